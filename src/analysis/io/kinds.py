"""From a located table to tidy rows, per input kind (plan, actuals, scorecards, roster, staffing).

Why: each kind has its own required fields and value rules, but all share the row accounting:
every body row is either loaded or reported (total, section, note, rejected), and every amount
read is either loaded or reported, to the 分. :func:`account` asserts both.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.io import values as V
from analysis.io.errors import InputError
from analysis.io.table import (
    DERIVED_RE,
    Column,
    Table,
    check_totals,
    total_level,
)
from analysis.schema import (
    ACTUAL_COLUMNS,
    AFTERSALES_COLUMNS,
    AFTERSALES_COUNTS,
    PRESALES_COLUMNS,
    PRESALES_ITEMS,
    ROSTER_COLUMNS,
    SOURCE_COLUMNS,
    STAFFING_COLUMNS,
)

LABEL_FIELDS = (
    "department",
    "category",
    "item",
    "description",
    "voucher",
    "name",
    "agent_id",
    "team",
    "role",
    "leader",
)
#: Layouts without money columns (no sign to decide).
NO_AMOUNT_LAYOUTS = ("presales", "aftersales", "callbacks", "qa_log", "roster", "staffing")
CALLBACK_COLUMNS = ["period", "agent_id", "cb_A", "cb_B", "cb_C", "cb_D", *SOURCE_COLUMNS]
QA_COLUMNS = ["period", "agent_id", "code", "count", *SOURCE_COLUMNS]
REVISED_COLUMNS = ["period", "department", "category", "item", "revised_plan", *SOURCE_COLUMNS]


@dataclass
class Part:
    """What one input table contributes: frames by name, data-quality rows, one inputs row."""

    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    dq: list[dict[str, Any]] = field(default_factory=list)
    inputs: list[dict[str, Any]] = field(default_factory=list)
    #: What the loader decided about the table (layout, sign, period …): see schema.READING_COLUMNS.
    reading: dict[str, Any] = field(default_factory=dict)


def missing_field(table: Table, fld: str, cfg: Mapping[str, Any], what_zh: str, what_en: str):
    aliases = list(cfg.get("aliases", {}).get(fld, []))
    return InputError(
        f"找不到必需的列「{what_zh}」(表头在第 {table.header_rows[-1]} 行)",
        f"required column '{what_en}' not found (header at row {table.header_rows[-1]})",
        file=table.grid.file,
        sheet=table.grid.sheet,
        field=fld,
        aliases=aliases,
    )


def _src(table: Table, index: pd.Index) -> dict[str, Any]:
    return {
        "source_file": table.grid.file,
        "source_sheet": table.grid.sheet,
        "source_row": np.asarray(index, dtype="int64"),
    }


def classify(
    table: Table, value_cols: list[Column], *, sections: bool, keep: Column | None = None
) -> pd.DataFrame:
    """Row kind per body row: line, total, section, note; plus total level and section name."""
    body = table.body
    value_idx = [c.idx for c in value_cols]
    label_cols = [
        c.idx for c in table.columns if c.idx not in value_idx and c.field != "row_total"
    ] or [c for c in body.columns if c not in value_idx]
    labels = body[[c for c in label_cols if c in body.columns]]
    level = total_level(labels)
    if value_idx:
        has_value = (~V.missing_frame(body[value_idx])).any(axis=1)
    else:
        has_value = pd.Series(False, index=body.index)
    n_cells = body.notna().sum(axis=1)
    first_text = pd.Series(np.nan, index=body.index, dtype="str")
    for c in labels.columns:  # column-wise: a row-wise bfill is far too slow on big ledgers
        if first_text.isna().any():
            first_text = first_text.fillna(labels[c])
    kind = pd.Series("line", index=body.index, dtype="str")
    kind[level > 0] = "total"
    derived = (level == 0) & first_text.notna()
    if derived.any():
        derived &= first_text.where(derived, "").map(lambda t: bool(DERIVED_RE.match(V.norm(t))))
        kind[derived] = "derived"
    section_name = pd.Series(np.nan, index=body.index, dtype="str")
    if sections:
        numbered = first_text.map(lambda t: V.section_label(t) if isinstance(t, str) else None)
        is_section = (level == 0) & ~has_value & first_text.notna() & (kind == "line")
        kind[is_section] = "section"
        section_name = numbered.where(numbered.notna(), first_text).where(is_section)
    else:
        is_note = (level == 0) & ~has_value & (n_cells <= 1) & (body.shape[1] >= 3)
        if keep is not None:
            is_note &= V.is_missing(body[keep.idx])
        kind[is_note] = "note"
    return pd.DataFrame(
        {"kind": kind, "level": level, "section": section_name, "first": first_text}
    )


def _parse_values(table: Table, cols: list[Column]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Amount columns → (元 floats, bad mask), units applied."""
    vals, bads = {}, {}
    for c in cols:
        v, b = V.parse_amount(table.body[c.idx])
        vals[c.idx] = (v * (c.unit or table.unit)).round(6)
        bads[c.idx] = b
    idx = table.body.index
    return pd.DataFrame(vals, index=idx), pd.DataFrame(bads, index=idx, dtype=bool)


def account(
    table: Table,
    kind: str,
    rows: pd.DataFrame,
    loaded_mask: pd.Series,
    amount_fen: pd.Series | None,
    loaded_fen: int,
    line_rows: pd.Index | None = None,
) -> dict[str, Any]:
    """The conservation check for one table: rows and 分 read = loaded + reported. Asserted."""
    n_read = len(rows)
    n_loaded = int(loaded_mask.sum())
    reported_rows = {
        int(d["row"])
        for d in table.dq
        if d.get("row") not in (None, "") and d["code"] not in ("total_mismatch",)
    }
    n_reported = int((~loaded_mask).sum())
    unreported = set(rows.index[~loaded_mask]) - reported_rows
    assert not unreported, f"rows neither loaded nor reported: {sorted(unreported)[:5]}"
    if amount_fen is not None:
        # Structure rows (totals, sections, notes) are checked, not read as amounts.
        amount_fen = (
            amount_fen.where(rows.index.isin(line_rows), 0) if line_rows is not None else amount_fen
        )
    fen_read = int(amount_fen.sum()) if amount_fen is not None else 0
    fen_reported = int(amount_fen[~loaded_mask].sum()) if amount_fen is not None else 0
    assert n_read == n_loaded + n_reported, (n_read, n_loaded, n_reported)
    assert fen_read == loaded_fen + fen_reported, (
        f"{table.grid.file}/{table.grid.sheet}: 分 read {fen_read} != loaded {loaded_fen} "
        f"+ reported {fen_reported}"
    )
    return {
        "file": table.grid.file,
        "kind": kind,
        "sheet": table.grid.sheet,
        "rows_read": n_read,
        "rows_loaded": n_loaded,
        "rows_reported": n_reported,
        "amount_read": fen_read / 100,
        "amount_loaded": loaded_fen / 100,
        "amount_reported": fen_reported / 100,
    }


def _report_structure(table: Table, cls: pd.DataFrame) -> None:
    for r, row in cls[cls["kind"] != "line"].iterrows():
        code = {
            "total": "total_row",
            "section": "section_row",
            "note": "note_row",
            "derived": "derived_row",
        }[row["kind"]]
        table.dq_row("info", code, r, "", row["first"] if isinstance(row["first"], str) else "")


def _reject(
    table: Table,
    mask: pd.Series,
    severity: str,
    code: str,
    col: Column | None,
    raw: pd.Series | None = None,
) -> None:
    for r in mask.index[mask]:
        val = "" if raw is None else raw.get(r, "")
        table.dq_row(severity, code, r, col.header if col else "", "" if pd.isna(val) else val)


# ---------------------------------------------------------------------------------------------
# Plan (and monthly actuals in the plan's layout)


from analysis.io.plans import (  # noqa: E402,F401 - plan_table and spread_fen re-exported
    _percent,
    apply_sign,
    plan_table,
    spread_fen,
)

# ---------------------------------------------------------------------------------------------
# Actuals ledger


def ledger_table(
    table: Table, cfg: Mapping[str, Any], pin: Mapping[str, Any] | None = None
) -> Part:
    """One row per expense line: date/period, department, category, amount, 摘要, 凭证号."""
    amount_col = table.col("amount")
    if amount_col is None:
        raise missing_field(table, "amount", cfg, "金额", "amount")
    date_col, period_col = table.col("date"), table.col("period")
    if date_col is None and period_col is None:
        raise missing_field(table, "date", cfg, "日期", "date")
    if not table.has("category"):
        raise missing_field(table, "category", cfg, "科目", "category")
    cls = classify(table, [amount_col], sections=False)
    _report_structure(table, cls)
    vals, bad = _parse_values(table, [amount_col])
    lines = cls["kind"] == "line"
    flow = _ledger_flow(table, cfg)
    raw = V.fen_frame(vals)
    raw.attrs["present"] = ~V.missing_frame(table.body[[amount_col.idx]])
    vals, sign, sign_source = apply_sign(
        table, vals, [amount_col], lines, flow, pin or {}, "actuals"
    )
    fen = V.fen_frame(vals)
    fen.attrs["present"] = raw.attrs["present"]
    check_totals(  # in the table's own sign convention, as its totals were written
        table,
        cls["kind"],
        raw,
        table.body[[c for c in table.body.columns if c != amount_col.idx]],
        cls["level"],
        {amount_col.idx: amount_col.header},
    )
    amount = vals[amount_col.idx]
    pct = _percent(table, amount_col) & lines
    _reject(table, pct, "error", "percent_amount", amount_col, table.body[amount_col.idx])
    bad_amt = (bad[amount_col.idx] | pct) & lines
    no_amt = amount.isna() & ~bad_amt & lines
    _reject(table, bad_amt & ~pct, "error", "bad_amount", amount_col, table.body[amount_col.idx])
    _reject(table, no_amt, "warning", "missing_amount", amount_col)
    ok = lines & ~bad_amt & ~no_amt
    dates = pd.Series(pd.NaT, index=table.body.index, dtype="datetime64[us]")
    period = pd.Series(np.nan, index=table.body.index, dtype="str")
    if date_col is not None:
        dates, bad_d = V.parse_date(table.body[date_col.idx])
        period = V.month_of(dates)
    if period_col is not None:
        p, bad_p = V.parse_period(table.body[period_col.idx], table.year)
        period = p.where(p.notna(), period)
    no_period = ok & period.isna()
    col = date_col or period_col
    _reject(
        table,
        no_period,
        "error",
        "bad_date" if date_col is not None else "bad_period",
        col,
        table.body[col.idx],
    )
    ok = ok & ~no_period
    cat = table.text(table.col("category"))
    nocat = ok & cat.isna()
    for r in nocat.index[nocat]:
        table.dq_row("warning", "missing_category", r, table.col("category").header, "")
    sub = table.body.index[ok]
    every = bool(ok.all())

    def pick(series: pd.Series) -> pd.Series:
        return (series if every else series[ok]).reset_index(drop=True)

    frame = pd.DataFrame(
        {
            "date": pick(dates),
            "period": pick(period),
            "department": pick(table.text(table.col("department")).fillna("")),
            "category": pick(cat.fillna("")),
            "item": pick(table.text(table.col("item")).fillna("")),
            "amount": pick(fen[amount_col.idx] / 100),
            "description": pick(table.text(table.col("description")).fillna("")),
            "voucher": pick(table.text(table.col("voucher")).fillna("")),
            **_src(table, sub),
        }
    )
    loaded_fen = int(fen.loc[ok, amount_col.idx].sum())
    part = Part(frames={"actuals": frame[ACTUAL_COLUMNS]})
    part.inputs.append(
        account(
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


def _ledger_flow(table: Table, cfg: Mapping[str, Any]) -> pd.Series:
    """cost | revenue per ledger line: a 收支/InOrOut column, else the revenue category list."""
    revenue = {V.norm(x) for x in cfg.get("budget", {}).get("revenue_categories", [])}
    cat = table.text(table.col("category")).fillna("")
    flow = pd.Series(
        np.where(V.norm_series(cat).isin(revenue), "revenue", "cost"), index=table.body.index
    )
    fc = table.col("flow")
    if fc is not None:
        own = table.text(fc).map(lambda t: V.flow_kind(t) if isinstance(t, str) else None)
        flow = flow.where(own.isna(), own)
    return flow


# ---------------------------------------------------------------------------------------------
# Scorecards


def table_period(table: Table) -> str | None:
    """Scorecard month from the sheet name, else the file name."""
    for text in (table.grid.sheet, Path(table.grid.file).stem):
        t = V.norm(text)
        m = re.search(r"(20\d{2})[-_./年]?(\d{1,2})(?:月|(?!\d))", t)
        if m and 1 <= int(m.group(2)) <= 12:
            return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}"
    return None


def _periods(table: Table) -> pd.Series:
    fixed = table_period(table)
    per = pd.Series(fixed if fixed else np.nan, index=table.body.index, dtype="str")
    pc = table.col("period")
    if pc is not None:
        p, _ = V.parse_period(table.body[pc.idx], table.year)
        per = p.where(p.notna(), per)
    return per


def _counts(
    table: Table, fld_cols: list[Column], lines: pd.Series
) -> tuple[pd.DataFrame, pd.Series]:
    vals, bad = (
        _parse_values(table, fld_cols)
        if fld_cols
        else (pd.DataFrame(index=table.body.index), pd.DataFrame(index=table.body.index))
    )
    bad_row = pd.Series(False, index=table.body.index)
    for c in fld_cols:
        v = vals[c.idx]
        wrong = (bad[c.idx] | (v < 0) | (v.notna() & (v.round() != v))) & lines
        _reject(table, wrong & ~bad_row, "error", "bad_count", c, table.body[c.idx])
        bad_row |= wrong
    return vals.fillna(0.0), bad_row


def _agent_lines(table: Table, cfg: Mapping[str, Any], value_cols: list[Column]):
    if not table.has("agent_id"):
        raise missing_field(table, "agent_id", cfg, "工号", "agent ID")
    cls = classify(table, value_cols, sections=False, keep=table.col("agent_id"))
    _report_structure(table, cls)
    lines = cls["kind"] == "line"
    agent = table.text(table.col("agent_id"))
    no_agent = lines & agent.isna()
    _reject(table, no_agent, "warning", "missing_agent", table.col("agent_id"))
    period = _periods(table)
    no_per = lines & ~no_agent & period.isna()
    _reject(table, no_per, "error", "no_period", table.col("period"))
    return cls, lines & ~no_agent & ~no_per, agent, period


def presales_table(table: Table, cfg: Mapping[str, Any]) -> Part:
    items = [c for c in table.columns if c.field in PRESALES_ITEMS]
    exam = table.col("exam")
    cls, ok, agent, period = _agent_lines(table, cfg, items + ([exam] if exam else []))
    counts, bad_row = _counts(table, items, ok)
    ok = ok & ~bad_row
    exam_v = pd.Series(np.nan, index=table.body.index)
    if exam is not None:
        exam_v, bad_e = V.parse_amount(table.body[exam.idx])
        bad_e = (bad_e | ~exam_v.between(0, 100) & exam_v.notna()) & ok
        _reject(table, bad_e, "warning", "bad_number", exam, table.body[exam.idx])
        exam_v = exam_v.where(~bad_e)
    frame = pd.DataFrame(
        {
            "period": period[ok].to_numpy(),
            "agent_id": agent[ok].to_numpy(),
            "name": table.text(table.col("name"))[ok].fillna("").to_numpy(),
            **{
                code: (counts[table.col(code).idx][ok].to_numpy() if table.has(code) else 0.0)
                for code in PRESALES_ITEMS
            },
            "exam": exam_v[ok].to_numpy(),
            **_src(table, table.body.index[ok]),
        }
    )
    for code in PRESALES_ITEMS:
        frame[code] = frame[code].astype("int64")
    part = Part(frames={"presales": frame[PRESALES_COLUMNS]})
    part.inputs.append(account(table, "presales", table.body, ok, None, 0))
    return part


def _grades(table: Table, fld: str, allowed: str, ok: pd.Series) -> pd.Series:
    c = table.col(fld)
    if c is None:
        return pd.Series(np.nan, index=table.body.index, dtype="str")
    g = table.text(c).str.normalize("NFKC").str.upper().str.strip()
    wrong = g.notna() & ~g.isin(list(allowed)) & ok
    _reject(table, wrong, "warning", "bad_grade", c, table.body[c.idx])
    return g.where(~wrong)


def aftersales_table(table: Table, cfg: Mapping[str, Any]) -> Part:
    count_fields = AFTERSALES_COUNTS
    cols = [table.col(f) for f in count_fields if table.has(f)]
    cls, ok, agent, period = _agent_lines(table, cfg, cols)
    counts, bad_row = _counts(table, cols, ok)
    ok = ok & ~bad_row
    data: dict[str, Any] = {
        "period": period[ok].to_numpy(),
        "agent_id": agent[ok].to_numpy(),
        "name": table.text(table.col("name"))[ok].fillna("").to_numpy(),
    }
    for f in count_fields:
        c = table.col(f)
        data[f] = (
            counts[c.idx][ok].to_numpy()
            if c is not None
            else (np.nan if f.startswith("cb_") else 0.0)
        )
    data["attitude"] = _grades(table, "attitude", "ABCDE", ok)[ok].to_numpy()
    data["teamwork"] = _grades(table, "teamwork", "ABCDE", ok)[ok].to_numpy()
    frame = pd.DataFrame({**data, **_src(table, table.body.index[ok])})
    part = Part(frames={"aftersales": frame[AFTERSALES_COLUMNS]})
    part.inputs.append(account(table, "aftersales", table.body, ok, None, 0))
    return part


def callbacks_table(table: Table, cfg: Mapping[str, Any]) -> Part:
    """One row per callback (工号, 日期, 评价 A–D) → counts per agent and month."""
    grade_col = table.col("grade")
    cls, ok, agent, period = _agent_lines(table, cfg, [])
    if table.has("date") and table_period(table) is None:
        d, _ = V.parse_date(table.body[table.col("date").idx])
        period = period.where(period.notna(), d.dt.strftime("%Y-%m"))
    g = _grades(table, "grade", "ABCD", ok)
    ok = ok & g.notna()
    missing_g = (cls["kind"] == "line") & agent.notna() & g.isna() & ~table.text(grade_col).notna()
    _reject(table, missing_g & period.notna(), "warning", "bad_grade", grade_col)
    long = pd.DataFrame(
        {"period": period[ok], "agent_id": agent[ok], "grade": g[ok], "row": table.body.index[ok]}
    )
    wide = (
        long.assign(n=1)
        .pivot_table(
            index=["period", "agent_id"], columns="grade", values="n", aggfunc="sum", fill_value=0
        )
        .reindex(columns=list("ABCD"), fill_value=0)
        .add_prefix("cb_")
        .reset_index()
    )
    first_row = long.groupby(["period", "agent_id"])["row"].min().reset_index()
    wide = (
        wide.merge(first_row, on=["period", "agent_id"], how="left")
        .assign(source_file=table.grid.file, source_sheet=table.grid.sheet)
        .rename(columns={"row": "source_row"})
    )
    part = Part(frames={"callbacks": wide.reindex(columns=CALLBACK_COLUMNS)})
    part.inputs.append(account(table, "callbacks", table.body, ok, None, 0))
    return part


def qa_log_table(table: Table, cfg: Mapping[str, Any]) -> Part:
    """Long QA log (日期, 工号, 扣分项, 次数) → counts summed per agent and month."""
    code_col, count_col = table.col("code"), table.col("count")
    cls, ok, agent, period = _agent_lines(table, cfg, [count_col] if count_col else [])
    if table.has("date"):
        d, _ = V.parse_date(table.body[table.col("date").idx])
        period = d.dt.strftime("%Y-%m").where(d.notna(), period)
    codes = table.text(code_col).map(lambda t: V.parse_code(t) if isinstance(t, str) else None)
    wrong = ok & ~codes.isin(PRESALES_ITEMS)
    _reject(table, wrong, "error", "bad_count", code_col, table.body[code_col.idx])
    ok = ok & ~wrong
    if count_col is not None:
        counts, bad_row = _counts(table, [count_col], ok)
        n = counts[count_col.idx].where(table.text(count_col).notna(), 1.0)
        ok = ok & ~bad_row
    else:
        n = pd.Series(1.0, index=table.body.index)
    frame = pd.DataFrame(
        {
            "period": period[ok].to_numpy(),
            "agent_id": agent[ok].to_numpy(),
            "code": codes[ok].to_numpy(),
            "count": n[ok].to_numpy(),
            **_src(table, table.body.index[ok]),
        }
    )
    part = Part(frames={"qa_log": frame[QA_COLUMNS]})
    part.inputs.append(account(table, "qa_log", table.body, ok, None, 0))
    return part


# ---------------------------------------------------------------------------------------------
# Roster and staffing


def canonical_role(s: pd.Series, cfg: Mapping[str, Any]) -> pd.Series:
    lookup = {V.norm(a): role for role, names in cfg.get("roles", {}).items() for a in names}
    lookup.update({role: role for role in cfg.get("roles", {})})
    return V.norm_series(s.fillna("")).map(lookup)


def roster_table(table: Table, cfg: Mapping[str, Any]) -> Part:
    if not table.has("agent_id"):
        raise missing_field(table, "agent_id", cfg, "工号", "agent ID")
    cls = classify(table, [], sections=False, keep=table.col("agent_id"))
    # A roster has no amount columns: only totals and one-cell notes are structure.
    _report_structure(table, cls)
    lines = cls["kind"] == "line"
    agent = table.text(table.col("agent_id"))
    no_agent = lines & agent.isna()
    _reject(table, no_agent, "warning", "missing_agent", table.col("agent_id"))
    ok = lines & ~no_agent
    dup = ok & agent.duplicated() & agent.notna()
    _reject(table, dup, "error", "duplicate_agent", table.col("agent_id"), agent)
    ok = ok & ~dup
    role_raw = table.text(table.col("role"))
    role = canonical_role(role_raw, cfg)
    unknown = ok & role.isna()
    for r in unknown.index[unknown]:
        table.dq_row(
            "warning",
            "unknown_role",
            r,
            table.col("role").header if table.has("role") else "",
            role_raw.get(r, ""),
        )
    name = table.text(table.col("name")).fillna("")
    leader = table.text(table.col("leader")).fillna("")
    frame = pd.DataFrame(
        {
            "agent_id": agent[ok].to_numpy(),
            "name": name[ok].to_numpy(),
            "team": table.text(table.col("team"))[ok].fillna("").to_numpy(),
            "role": role[ok].fillna("").to_numpy(),
            "leader": leader[ok].to_numpy(),
            "is_leader": (
                (leader[ok] != "") & ((leader[ok] == name[ok]) | (leader[ok] == agent[ok]))
            ).to_numpy(),
            **_src(table, table.body.index[ok]),
        }
    )
    part = Part(frames={"roster": frame[ROSTER_COLUMNS]})
    part.inputs.append(account(table, "roster", table.body, ok, None, 0))
    return part


def staffing_table(table: Table, cfg: Mapping[str, Any]) -> Part:
    calls_col, int_col = table.col("calls"), table.col("interval")
    if calls_col is None:
        raise missing_field(table, "calls", cfg, "来电量", "calls")
    if int_col is None:
        raise missing_field(table, "interval", cfg, "时段", "interval")
    aht = table.col("aht_s")
    cls = classify(table, [calls_col] + ([aht] if aht else []), sections=False)
    _report_structure(table, cls)
    lines = cls["kind"] == "line"
    calls, bad = _counts(table, [calls_col], lines)
    ok = lines & ~bad
    interval, bad_i = V.parse_interval(table.body[int_col.idx])
    bad_i = (bad_i | interval.isna()) & ok
    _reject(table, bad_i, "error", "bad_interval", int_col, table.body[int_col.idx])
    ok = ok & ~bad_i
    day = pd.Series("", index=table.body.index, dtype="str")
    if table.has("date"):
        d, bad_d = V.parse_date(table.body[table.col("date").idx])
        bad_d = (bad_d | d.isna()) & ok
        _reject(
            table, bad_d, "error", "bad_date", table.col("date"), table.body[table.col("date").idx]
        )
        ok = ok & ~bad_d
        day = d.dt.strftime("%Y-%m-%d")
    elif table.has("weekday"):
        day = table.text(table.col("weekday")).fillna("")
    aht_v = pd.Series(np.nan, index=table.body.index)
    if aht is not None:
        aht_v, bad_a = V.parse_amount(table.body[aht.idx])
        _reject(table, bad_a & ok, "warning", "bad_number", aht, table.body[aht.idx])
    frame = pd.DataFrame(
        {
            "day": day[ok].to_numpy(),
            "interval": interval[ok].to_numpy(),
            "calls": calls[calls_col.idx][ok].to_numpy(),
            "aht_s": aht_v[ok].to_numpy(),
            **_src(table, table.body.index[ok]),
        }
    )
    part = Part(frames={"staffing": frame[STAFFING_COLUMNS]})
    part.inputs.append(account(table, "staffing", table.body, ok, None, 0))
    return part
