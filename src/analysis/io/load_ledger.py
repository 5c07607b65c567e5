"""The ledger loader: one row per expense line (date or month, category, amount, voucher)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from analysis.io import rows
from analysis.io import values as V
from analysis.io.header import Column, Table
from analysis.io.load_plan import apply_sign
from analysis.io.totals import check_totals
from analysis.money import is_revenue
from analysis.schema import (
    ACTUAL_COLUMNS,
)


def ledger_table(
    table: Table, cfg: Mapping[str, Any], pin: Mapping[str, Any] | None = None
) -> rows.Part:
    """One row per expense line: date/period, department, category, amount, 摘要, 凭证号."""
    amount_col = table.col("amount")
    if amount_col is None:
        raise rows.missing_field(table, "amount", cfg, "金额", "amount")
    date_col, period_col = table.col("date"), table.col("period")
    if date_col is None and period_col is None:
        raise rows.missing_field(table, "date", cfg, "日期", "date")
    if not table.has("category"):
        raise rows.missing_field(table, "category", cfg, "科目", "category")
    cls = rows.classify(table, [amount_col], sections=False)
    rows.report_structure(table, cls)
    lines = cls["kind"] == "line"
    rows.refuse_foreign_money(table, [amount_col], lines)
    fen, amount, bad, sign, sign_source = _amounts(table, cfg, amount_col, cls, lines, pin or {})
    ok = _good_amounts(table, amount_col, amount, bad, lines)
    dates, period = _when(table, date_col, period_col)
    no_period = ok & period.isna()
    col = date_col or period_col
    code = "bad_date" if date_col is not None else "bad_period"
    rows.reject(table, no_period, "error", code, col, table.body[col.idx])
    ok = ok & ~no_period
    cat = table.text(table.col("category"))
    for r in cat.index[ok & cat.isna()]:
        table.dq_row("warning", "missing_category", r, table.col("category").header, "")
    frame = _ledger_frame(table, ok, dates, period, cat, fen[amount_col.idx] / 100)
    loaded_fen = int(fen.loc[ok, amount_col.idx].sum())
    part = rows.Part(frames={"actuals": frame[ACTUAL_COLUMNS]})
    part.inputs.append(
        rows.account(
            table, "actuals", table.body, ok, fen[amount_col.idx], loaded_fen, lines.index[lines]
        )
    )
    part.reading = {
        "layout": "ledger",
        "table": "actuals",
        "sign": sign,
        "sign_source": sign_source,
    }
    if sign == "negative":
        table.dq_row("info", "sign_negative", "", "", sign_source)
    return part


def _amounts(table, cfg, amount_col, cls, lines, pin):
    """Amounts in 分 with expenses positive; stated totals checked as the table wrote them."""
    vals, bad = rows.parse_values(table, [amount_col])
    raw = V.fen_frame(vals)
    raw.attrs["present"] = ~V.missing_frame(table.body[[amount_col.idx]])
    flow, own = _ledger_flow(table, cfg)
    vals, n_refunds = _by_direction(table, vals, amount_col, lines, flow, own, pin)
    vals, sign, sign_source = apply_sign(table, vals, [amount_col], lines, flow, pin, "actuals")
    if n_refunds:
        sign_source = f"by the 收支 column ({n_refunds} lines marked against their category)"
    fen = V.fen_frame(vals)
    fen.attrs["present"] = raw.attrs["present"]
    labels = table.body[[c for c in table.body.columns if c != amount_col.idx]]
    check_totals(table, cls["kind"], raw, labels, cls["level"], {amount_col.idx: amount_col.header})
    return fen, vals[amount_col.idx], bad[amount_col.idx], sign, sign_source


def _good_amounts(table: Table, amount_col: Column, amount, bad, lines: pd.Series) -> pd.Series:
    """Lines with an amount of money: percentages, unreadable and missing amounts reported."""
    cells = table.body[amount_col.idx]
    pct = rows.percent(table, amount_col) & lines
    rows.reject(table, pct, "error", "percent_amount", amount_col, cells)
    bad_amt = (bad | pct) & lines
    no_amt = amount.isna() & ~bad_amt & lines
    rows.reject(table, bad_amt & ~pct, "error", "bad_amount", amount_col, cells)
    rows.reject(table, no_amt, "warning", "missing_amount", amount_col)
    return lines & ~bad_amt & ~no_amt


def _when(table: Table, date_col: Column | None, period_col: Column | None):
    """Dates and "YYYY-MM" months per row, from a date column and/or a 月份 column."""
    dates = pd.Series(pd.NaT, index=table.body.index, dtype="datetime64[us]")
    period = pd.Series(np.nan, index=table.body.index, dtype="str")
    if date_col is not None:
        dates, _ = V.parse_date(table.body[date_col.idx])
        period = V.month_of(dates)
    if period_col is not None:
        p, _ = V.parse_period(table.body[period_col.idx], table.year)
        period = p.where(p.notna(), period)
    return dates, period


def _ledger_frame(table, ok, dates, period, cat, amount) -> pd.DataFrame:
    every = bool(ok.all())

    def pick(series: pd.Series) -> pd.Series:
        return (series if every else series[ok]).reset_index(drop=True)

    def text(fld: str) -> pd.Series:
        if table.col(fld) is None and table.context.get(fld):  # "部门:售后处" above the table
            return pick(pd.Series(table.context[fld], index=table.body.index, dtype="str"))
        return pick(table.text(table.col(fld)).fillna(""))

    return pd.DataFrame(
        {
            "date": pick(dates),
            "period": pick(period),
            "department": text("department"),
            "category": pick(cat.fillna("")),
            "item": text("item"),
            "amount": pick(amount),
            "description": text("description"),
            "voucher": text("voucher"),
            **rows.source(table, table.body.index[ok]),
        }
    )


#: The two flows of a ledger line, indexed by "is revenue".
FLOWS = pd.array(["cost", "revenue"], dtype="str")


def _ledger_flow(table: Table, cfg: Mapping[str, Any]) -> tuple[pd.Series, pd.Series | None]:
    """cost | revenue per ledger line, and each line's own 收支/InOrOut mark (None without one).

    A category's flow is the one most of its lines are marked with (or the revenue category
    list when no line is marked): a 收入 line on a cost category is a refund, not income.
    """
    cat = table.text(table.col("category")).fillna("")
    rev = np.asarray(is_revenue(cat, cfg), dtype=np.intp)
    flow = pd.Series(FLOWS.take(rev), index=table.body.index)  # take: no 200k Python strings
    fc = table.col("flow")
    if fc is None:
        return flow, None
    own = table.text(fc).map(lambda t: V.flow_kind(t) if isinstance(t, str) else None)
    marked = own.notna()
    if marked.any():
        majority = (
            pd.DataFrame({"c": cat[marked], "f": own[marked]})
            .groupby("c")["f"]
            .agg(lambda f: f.value_counts().idxmax())
        )
        by_cat = cat.map(majority)
        flow = flow.where(by_cat.isna(), by_cat)
    return flow, own


def _by_direction(table, vals, col, lines, flow, own, pin):
    """Amounts all written positive with a 收支 column giving the direction: a line marked
    against its category's flow (a 收入 line on a cost) is a refund and turns negative."""
    if own is None or pin.get("sign"):
        return vals, 0
    v = vals[col.idx]
    nz = v[lines & v.notna() & v.ne(0)]
    if not len(nz) or (nz < 0).mean() >= 0.05:
        return vals, 0  # amounts carry their own sign: the convention is judged as usual
    against = lines & own.notna() & own.ne(flow) & v.gt(0)
    if not against.any():
        return vals, 0
    out = vals.copy()
    out.loc[against, col.idx] = -out.loc[against, col.idx]
    for r in against.index[against]:
        table.dq_row("info", "refund_by_direction", r, col.header, table.body.at[r, col.idx])
    return out, int(against.sum())
