"""Plan tables in every layout people use, and actuals kept in a plan's shape.

Why: a plan is written as month columns (wide), a month per row (long), one sheet per month, one
yearly amount per line, or beside its actuals (预计 | 实际 | 差异). Each layout means something
different for the same numbers: a monthly figure spread over twelve months is twelve times wrong.
This module decides the layout from the table itself (or a pin), records the decision, and turns
every layout into the same tidy rows. Anything it cannot decide it refuses, naming the pin.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.io import rows
from analysis.io import values as V
from analysis.io.errors import InputError
from analysis.io.header import PLACEHOLDER_YEAR, Column, Table
from analysis.io.totals import check_totals
from analysis.money import is_revenue, spread_fen
from analysis.schema import ACTUAL_COLUMNS, PLAN_COLUMNS

#: Column fields that are set aside, never loaded: year-to-date, prior-year and this-month
#: columns beside a plan (their figures belong to the ledger, which is the source of actuals).
ASIDE_FIELDS = ("actual_ytd", "prior", "current_month", "variance")


_TARGET = {"plan": "plan", "revised_plan": "revised", "amount": "actuals"}


def pin_text(table: Table, **keys: Any) -> str:
    """The config.toml lines that pin a reading of this table."""
    toml = {
        k: f'"{v}"' if isinstance(v, str) and not v.startswith("{") else v for k, v in keys.items()
    }
    return rows.pin_lines(table.grid.file, table.grid.sheet, **toml)


def sheet_month(table: Table, pin: Mapping[str, Any]) -> tuple[str | None, str]:
    """The month a whole sheet is for: pin, sheet name (10月份, 2026-10, October), file name."""
    if pin.get("period"):
        return str(pin["period"]), "config"
    year = table.year or PLACEHOLDER_YEAR
    name = table.grid.sheet.strip()
    if name:
        label = V.month_label(name, year)
        if label is None:
            m = re.fullmatch(r"(?:(\d{4})年?)?\s*(\d{1,2})\s*月份?(?:预算|实际|执行|费用)*", name)
            if m and 1 <= int(m.group(2)) <= 12:
                label = f"{int(m.group(1) or year):04d}-{int(m.group(2)):02d}"
        if label is not None:
            return label, f"sheet name “{name}”"
    stem = V.norm(Path(table.grid.file).stem)
    # "2026-10_…" names a month; "…_2023-09-30" is an as-of date, not the month of a plan.
    m = re.search(r"(20\d{2})[-_./年]?(0?[1-9]|1[0-2])(?:月|(?![\d]|[-_./]\d))", stem)
    if m:
        return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}", "file name"
    return None, ""


def _row_kind(table: Table, labels: pd.DataFrame, cls: pd.DataFrame, cfg: Mapping[str, Any]):
    """cost | revenue per body row: flow column, then section heading, then category name."""
    kind = pd.Series("cost", index=table.body.index, dtype="str")
    by_cat = is_revenue(labels["category"], cfg)
    kind[by_cat] = "revenue"
    sec = cls["section"].where(cls["kind"] == "section")
    sec_kind = sec.map(lambda t: _section_flow(t) if isinstance(t, str) else None)
    # A section's flow holds until the next section that names one (or a grand total).
    flow = sec_kind.where(sec.notna())
    flow = flow.where(~(cls["level"] == 99), "").ffill().replace("", np.nan)
    kind[flow.eq("revenue")] = "revenue"
    kind[flow.eq("cost")] = "cost"
    fc = table.col("flow")
    if fc is not None:
        own = table.text(fc).map(lambda t: V.flow_kind(t) if isinstance(t, str) else None)
        own = own.where(own.notna()).ffill()  # merged cells down the column
        kind[own.eq("revenue")] = "revenue"
        kind[own.eq("cost")] = "cost"
    return kind


def _section_flow(text: str) -> str | None:
    """The flow a section heading implies: "Income:"/"营业收入" revenue, "营业费用"/"人员成本" cost;
    None for a heading that names neither (its lines keep the flow of the section above)."""
    own = V.flow_kind(text)
    if own:
        return own
    t = V.norm(text)
    if re.search(r"收入|income|revenue|sales|receipts", t):
        return "revenue"
    if re.search(r"费用|支出|成本|开支|expense|cost|spending", t):
        return "cost"
    return None


def decide_sign(
    table: Table, amounts: np.ndarray, what: str, pin: Mapping[str, Any], what_kind: str = "plan"
):
    """+1 or -1 for ``amounts`` (分, one flow: costs or revenue): stored as negatives?

    Most non-zero amounts negative → the table stores them negative (an accounting export
    convention) and they are flipped; a few positives among them are then refunds. Between 20 %
    and 80 % negative over five or more amounts is refused: refunds and a convention cannot be
    told apart, so the user pins it.
    """
    if pin.get("sign") in ("negative", "positive"):
        return (-1 if pin["sign"] == "negative" else 1), "config"
    nz = amounts[amounts != 0]
    n, neg = len(nz), int((nz < 0).sum())
    if n == 0 or neg == 0:
        return 1, ""
    share = neg / n
    if share > 0.8:
        return -1, f"detected: {neg} of {n} {what} amounts negative"
    # A ledger's refunds are a small share; a plan's negative lines are cuts (调减), judged by
    # the majority. In between, the convention cannot be read off the numbers.
    pos = n - neg
    if share >= (0.2 if what_kind == "actuals" else 0.5) and n >= 5 and min(neg, pos) >= 2:
        raise InputError(
            f"金额正负混杂({neg}/{n} 为负),无法判断负数是退款还是记账方向。请在 config.toml "
            '中写明下面几行(sign = "negative":负数是支出;"positive":负数是退款)',
            f"{what} amounts are mixed ({neg} of {n} negative): refunds cannot be told from a "
            'sign convention. Pin it in config.toml with the lines below (sign = "negative": '
            'negatives are expenses; "positive": negatives are refunds)',
            file=table.grid.file,
            sheet=table.grid.sheet,
            pin=pin_text(table, sign="negative"),
        )
    if share > 0.5:  # too few amounts to refuse: the majority says which are the refunds
        return -1, f"detected: {neg} of {n} {what} amounts negative"
    return 1, ""


def apply_sign(
    table: Table,
    vals: pd.DataFrame,
    cols: list[Column],
    rows: pd.Series,
    flow: pd.Series,
    pin: Mapping[str, Any],
    what_kind: str = "plan",
    judge: list[Column] | None = None,
) -> tuple[pd.DataFrame, str, str]:
    """Flip the columns ``cols`` where costs (or revenue) are stored negative; say so. The
    convention is judged on the ``judge`` columns (the loaded money), default ``cols``."""
    if not cols:
        return vals, "positive", ""
    idx = [c.idx for c in cols]
    fen = V.fen_frame(vals[[c.idx for c in (judge or cols)]])
    out = vals.copy()
    signs, notes = [], []
    for what in ("cost", "revenue"):
        sel = rows & flow.eq(what)
        if not sel.any():
            continue
        sign, why = decide_sign(table, fen.loc[sel].to_numpy().ravel(), what, pin, what_kind)
        if sign < 0:
            # Totals and subtotals of these lines are written in the same convention.
            every = flow.eq(what)
            out.loc[every, idx] = -out.loc[every, idx]
            signs.append(what)
            notes.append(why)
    if signs:
        return out, "negative", "; ".join(n for n in notes if n) or "config"
    return out, "positive", "config" if pin.get("sign") else ""


def fill_labels(table: Table, cls: pd.DataFrame) -> pd.DataFrame:
    """Department, category and item per row: merged cells filled down, sections as category."""
    dept = table.text(table.col("department"))
    if table.col("department") is None and table.context.get("department"):
        dept = pd.Series(table.context["department"], index=table.body.index, dtype="str")
    cat = table.text(table.col("category"))
    item = table.text(table.col("item"))
    lines = cls["kind"] == "line"
    block = (cls["kind"] != "line").cumsum()
    # Merged group cells: only the first line of a group carries the label.
    dept = dept.where(~lines).combine_first(dept.where(lines).groupby(block).ffill())
    if table.has("item"):
        cat = cat.where(~lines).combine_first(cat.where(lines).groupby(block).ffill())
    section = cls["section"].where(cls["kind"] == "section")
    # A flow heading ("Income:", "支出") is not a category: it decides revenue vs cost only.
    section = section.where(
        section.map(lambda t: V.flow_kind(t) is None if isinstance(t, str) else True)
    )
    resets = (cls["level"] == 99) | (cls["kind"] == "section")
    section = section.where(~resets | section.notna(), "").ffill().replace("", np.nan)
    has_sec = section.notna() & lines
    own_label_is_item = has_sec & item.isna() & cat.notna()
    item = item.where(~own_label_is_item, cat)
    cat = cat.where(~has_sec | (cat.notna() & ~own_label_is_item), section)
    return pd.DataFrame(
        {"department": dept.fillna(""), "category": cat, "item": item.fillna("")},
        index=table.body.index,
    )


def is_revised_sheet(sheet: str, cfg: Mapping[str, Any]) -> bool:
    s = V.norm(sheet)
    names = [V.norm(a) for a in cfg.get("aliases", {}).get("revised_plan", [])] + [
        "调整",
        "修订",
        "revised",
    ]
    return any(n and n in s for n in names)


def _refuse_no_month(table: Table, act: list[Column]) -> InputError:
    heads = "、".join(c.header for c in act)
    zh = f"表中预算与实际并列({heads}),但看不出是哪个月的数(工作表名、文件名、月份列都没有写)。"
    en = f"plan and actual side by side ({heads}) but no month is named (sheet name, file name "
    return rows.table_error(
        table,
        zh + "请在 config.toml 中用下面几行写明月份",
        en + "or a month column). Pin the month in config.toml with the lines below",
        pin_text(table, period="YYYY-MM"),
    )


def _value_specs(table: Table, cfg: Mapping[str, Any], kind: str, pin: Mapping[str, Any]):
    """Which columns are loaded, into which frame, for which month; the layout they make."""
    revised_sheet = is_revised_sheet(table.grid.sheet, cfg)
    months = table.months()
    default_group = "amount" if kind == "actuals" else ("revised_plan" if revised_sheet else "plan")
    for c in months:
        c.group = c.group or default_group
        if c.group == "plan" and revised_sheet:
            c.group = "revised_plan"
    singles = [c for c in table.columns if c.field in ("plan", "revised_plan", "amount")]
    if revised_sheet:
        for c in singles:
            if c.field == "plan":
                c.field = "revised_plan"
    aside = [c for c in table.columns if c.field in ASIDE_FIELDS]
    checks = [c for c in table.columns if c.field == "row_total"]
    info: dict[str, Any] = {"period": "", "period_source": ""}
    if months:
        groups = {c.group for c in months}
        layout = "monthly_actuals" if groups == {"amount"} else "wide_plan"
        specs = [(c, _TARGET[c.group], c.period) for c in months]
        # A yearly figure beside month columns is the months' total: checked, not added.
        checks += [c for c in singles if c.field == "plan"]
        aside += [c for c in singles if c.field != "plan"]
        return layout, specs, checks, aside, info
    if not singles:
        return "", [], checks, aside, info
    has_plan = any(c.field in ("plan", "revised_plan") for c in singles)
    has_act = any(c.field == "amount" for c in singles)
    pc = table.col("period")
    if pc is not None:
        per, _bad = V.parse_period(table.body[pc.idx], table.year or PLACEHOLDER_YEAR)
        info.update(period_source=f"column “{pc.header}”")
        layout = (
            "plan_actual"
            if has_plan and has_act
            else ("long_plan" if has_plan else "monthly_actuals")
        )
        return layout, [(c, _TARGET[c.field], per) for c in singles], checks, aside, info
    ytd = any(c.field == "actual_ytd" for c in aside)
    # Budget beside a year-to-date actual is a full-year budget, whatever month the file is for.
    month, source = (None, "") if ytd and not pin.get("period") else sheet_month(table, pin)
    if month is not None:
        info.update(period=month, period_source=source)
        layout = (
            "plan_actual"
            if has_plan and has_act
            else ("long_plan" if has_plan else "monthly_actuals")
        )
        return layout, [(c, _TARGET[c.field], month) for c in singles], checks, aside, info
    if has_act:
        raise _refuse_no_month(table, [c for c in singles if c.field == "amount"])
    return "annual_plan", [(c, _TARGET[c.field], None) for c in singles], checks, aside, info


def plan_table(
    table: Table, cfg: Mapping[str, Any], kind: str, pin: Mapping[str, Any] | None = None
) -> rows.Part:
    """Plan lines in any layout (see the module docstring), revised plan, actuals in plan shape."""
    pin = pin or {}
    if not (table.has("category") or table.has("item")):
        raise rows.missing_field(table, "category", cfg, "费用项目/科目", "category")
    layout, specs, checks, aside, info = _value_specs(table, cfg, kind, pin)
    if not specs:
        raise rows.missing_field(
            table, "plan", cfg, "预算金额或月份列(1月…12月)", "plan amount or month columns"
        )
    value_cols = [c for c, _, _ in specs]
    all_cols = value_cols + checks + aside
    cls = rows.classify(table, all_cols, sections=True)
    rows.report_structure(table, cls)
    labels = fill_labels(table, cls)
    flow = _row_kind(table, labels, cls, cfg)
    lines = cls["kind"] == "line"
    rows.refuse_foreign_money(table, value_cols + checks, lines)
    fen, bad, sign, sign_source = _money(table, cls, lines, flow, pin, value_cols, checks, aside)
    loaded = _loadable(table, specs, lines, bad, labels)
    _check_row_totals(table, checks, value_cols, fen, loaded)
    _check_variance(table, cls, fen, value_cols, aside, loaded)
    out, loaded_fen = _spread_or_place(table, cfg, specs, fen, labels, flow, loaded)
    if layout == "annual_plan" and loaded.any():
        table.dq_row("info", "annual_spread", "", ", ".join(c.header for c in value_cols), "")
    part = rows.Part()
    _frames(part, out)
    amount_fen = fen[[c.idx for c in value_cols]].sum(axis=1)
    part.inputs.append(
        rows.account(table, kind, table.body, loaded, amount_fen, loaded_fen, lines.index[lines])
    )
    part.reading = {
        "layout": layout,
        "sign": sign,
        "sign_source": sign_source,
        "period": info["period"],
        "period_source": info["period_source"],
        "note": _aside_note(aside),
        "table": "actuals" if layout == "monthly_actuals" else "plan",
    }
    if sign == "negative":
        table.dq_row("info", "sign_negative", "", "", sign_source)
    return part


def _money(table, cls, lines, flow, pin, value_cols, checks, aside):
    """Every money column in 分, costs turned positive; stated totals checked as written."""
    all_cols = value_cols + checks + aside
    raw, bad = rows.parse_values(table, all_cols)
    vals, sign, sign_source = apply_sign(table, raw, all_cols, lines, flow, pin, judge=value_cols)
    fen = V.fen_frame(vals)
    fen.attrs["present"] = ~V.missing_frame(table.body[[c.idx for c in all_cols]])
    names = {c.idx: c.header for c in value_cols + checks}
    # Stated totals are checked in the table's own sign convention (a net grand total of
    # income and negative expenses adds up as written), before expenses are turned positive.
    checked = V.fen_frame(raw[[c.idx for c in value_cols + checks]])
    checked.attrs["present"] = fen.attrs["present"][checked.columns]
    label_cells = table.body[[c for c in table.body.columns if c not in {c.idx for c in all_cols}]]
    check_totals(table, cls["kind"], checked, label_cells, cls["level"], names)
    return fen, bad, sign, sign_source


def _loadable(table, specs, lines, bad, labels) -> pd.Series:
    """Lines with money, a month and a label; percentages and unreadable cells reported."""
    bad_row = pd.Series(False, index=table.body.index)
    for c, _, _ in specs:
        pct = rows.percent(table, c) & lines
        rows.reject(table, pct & ~bad_row, "error", "percent_amount", c, table.body[c.idx])
        wrong = bad[c.idx] & lines & ~pct
        rows.reject(table, wrong & ~bad_row & ~pct, "error", "bad_amount", c, table.body[c.idx])
        bad_row |= wrong | pct
    no_period = pd.Series(False, index=table.body.index)
    for _c, _, p in specs:
        if isinstance(p, pd.Series):
            no_period |= p.isna() & lines & ~bad_row
    pc = table.col("period")
    if no_period.any():
        rows.reject(table, no_period, "error", "bad_period", pc, table.body[pc.idx] if pc else None)
    nolabel = lines & ~bad_row & ~no_period & labels["category"].isna() & labels["item"].eq("")
    rows.reject(table, nolabel, "warning", "missing_category", table.col("category"))
    return lines & ~bad_row & ~no_period & ~nolabel


def _spread_or_place(table, cfg, specs, fen, labels, flow, loaded):
    """Each value column into its frame: annual amounts spread over the plan year's months,
    monthly ones placed in their month (never spread)."""
    base = labels[loaded].assign(kind=flow[loaded])
    src = rows.source(table, base.index)
    out: dict[str, list[pd.DataFrame]] = {"plan": [], "revised": [], "actuals": []}
    loaded_fen = 0
    weights = list(cfg.get("budget", {}).get("monthly_distribution", [1] * 12))
    year = table.year or PLACEHOLDER_YEAR
    for c, target, p in specs:
        cell = fen.loc[loaded, c.idx]
        present = fen.attrs["present"].loc[loaded, c.idx]
        if p is None:
            parts = spread_fen(cell.to_numpy(), weights)
            loaded_fen += int(parts.sum())
            months = [(f"{year:04d}-{m + 1:02d}", parts[:, m] / 100) for m in range(12)]
        else:
            loaded_fen += int(cell.sum())
            per = p[loaded].to_numpy() if isinstance(p, pd.Series) else p
            months = [(per, (cell / 100).to_numpy())]
        for period, values in months:
            v = pd.Series(values, index=cell.index)
            if target == "revised":
                v = v.where(present)  # a blank revised cell means "not revised", not 0
            out[target].append(
                base.assign(period=period, value=v.to_numpy(), **src).reset_index(drop=True)
            )
    return out, loaded_fen


def _check_row_totals(table, checks, value_cols, fen, loaded) -> None:
    """A 合计/全年 column against the months of its group, on every loaded line."""
    months = [c for c in value_cols if c.field == "month"]
    if not (checks and months):
        return
    for t in checks:
        grp = t.group or ("plan" if t.field in ("plan", "row_total") else t.field)
        grp_cols = [c.idx for c in months if c.group == grp] or [c.idx for c in months]
        present = fen.attrs["present"][t.idx]
        diff = fen[t.idx] - fen[grp_cols].sum(axis=1)
        for r in diff.index[loaded & present & diff.ne(0)]:
            table.dq_row(
                "warning",
                "total_mismatch",
                r,
                t.header,
                table.body.at[r, t.idx],
                _msg="row_total_mismatch",
                stated=f"{fen.at[r, t.idx] / 100:,.2f}",
                computed=f"{fen.loc[r, grp_cols].sum() / 100:,.2f}",
                diff=f"{diff[r] / 100:,.2f}",
            )


def _check_variance(table, cls, fen, value_cols, aside, loaded) -> None:
    """A 差异/Variance column beside plan and actual: checked in either direction, not loaded."""
    var = [c for c in aside if c.field == "variance"]
    plan = [c for c in value_cols if c.field in ("plan", "revised_plan")]
    act = [c for c in value_cols if c.field == "amount"]
    if not (var and plan and act):
        return
    v, p, a = fen[var[0].idx], fen[plan[-1].idx], fen[act[0].idx]
    present = fen.attrs["present"][var[0].idx] & loaded
    ok = (v.abs() == (a - p).abs()) & ((v == a - p) | (v == p - a))
    for r in ok.index[present & ~ok]:
        table.dq_row(
            "warning",
            "variance_mismatch",
            r,
            var[0].header,
            table.body.at[r, var[0].idx],
            stated=f"{v[r] / 100:,.2f}",
            computed=f"{(a[r] - p[r]) / 100:,.2f}",
        )


def _aside_note(aside: list[Column]) -> str:
    if not aside:
        return ""
    return "set aside (checked or not loaded): " + ", ".join(c.header for c in aside)


def _frames(part, out: dict[str, list[pd.DataFrame]]) -> None:

    if out["plan"]:
        plan = pd.concat(out["plan"], ignore_index=True).rename(columns={"value": "plan"})
        plan = plan.assign(revised_plan=np.nan, category=plan["category"].fillna(""))
        r = pd.concat(out["revised"], ignore_index=True) if out["revised"] else None
        # One long table with both 全年预算 and 调整后预算 fills revised_plan on the same rows.
        if (
            r is not None
            and len(r) == len(plan)
            and (r["source_row"].to_numpy() == plan["source_row"].to_numpy()).all()
            and (r["period"].to_numpy() == plan["period"].to_numpy()).all()
        ):
            plan = plan.assign(revised_plan=r["value"].to_numpy())
            out["revised"] = []
        part.frames["plan"] = plan[PLAN_COLUMNS].sort_values(
            ["source_row", "period"], kind="stable", ignore_index=True
        )
    if out["revised"]:
        rev = pd.concat(out["revised"], ignore_index=True).rename(columns={"value": "revised_plan"})
        part.frames["revised"] = rev.assign(category=rev["category"].fillna(""))[
            rows.REVISED_COLUMNS
        ].sort_values(["source_row", "period"], kind="stable", ignore_index=True)
    if out["actuals"]:
        act = pd.concat(out["actuals"], ignore_index=True).rename(columns={"value": "amount"})
        act = act.sort_values(["source_row", "period"], kind="stable", ignore_index=True)
        part.frames["actuals"] = act.assign(
            date=pd.NaT, description="", voucher="", category=act["category"].fillna("")
        )[ACTUAL_COLUMNS]
