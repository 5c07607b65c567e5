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
    PLACEHOLDER_YEAR,
    Column,
    Table,
    check_totals,
    total_level,
)
from analysis.money import is_revenue
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
CALLBACK_COLUMNS = [
    "period", "agent_id", "cb_A", "cb_B", "cb_C", "cb_D", "check", *SOURCE_COLUMNS,
]  # fmt: skip
QA_COLUMNS = ["period", "agent_id", "code", "count", "check", *SOURCE_COLUMNS]
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
    cat = table.text(table.col("category")).fillna("")
    flow = pd.Series(np.where(is_revenue(cat, cfg), "revenue", "cost"), index=table.body.index)
    fc = table.col("flow")
    if fc is not None:
        own = table.text(fc).map(lambda t: V.flow_kind(t) if isinstance(t, str) else None)
        flow = flow.where(own.isna(), own)
    return flow


# ---------------------------------------------------------------------------------------------
# Scorecards
#
# Scores only from what was scored. Every loaded scorecard row carries ``check``: the reasons it
# cannot be scored as read, as "code:field:value" tokens joined by ";" ("" when it can). A blank
# scored cell stays NaN (the scorer decides: 待核实, or 0 under ``blank_as_zero``); an invalid value
# (grade outside A–E, exam outside 0–100, negative or fractional count) is NaN plus a token and an
# error row. A component with no column at all is an InputError unless the month's rules list it
# under ``not_scored``; business/discipline and satisfaction may come from a QA or callback log
# of the same folder, so those are checked after merging (``dataset._missing_components``).

_MONTH_RE = re.compile(r"(20\d{2})[-_./年]?(\d{1,2})(?:月|(?!\d))")
_MONTH_ONLY_RE = re.compile(r"^(\d{1,2})月份?$")

#: Fields a blank cell of which means "0 occurrences": deduction, suggestion and complaint
#: counts (real sheets leave them empty when nothing happened). Any other scored field blank is
#: a blank score (待核实, or 0 under ``blank_as_zero``).
OCCURRENCE_COUNTS = [*PRESALES_ITEMS, "late_reports", "violations", "suggestions", "complaints"]

#: The columns each scored component is read from, per role.
COMPONENT_FIELDS: dict[str, dict[str, list[str]]] = {
    "presales": {
        "business": [f"A{i}" for i in range(1, 12)],
        "discipline": [f"B{i}" for i in range(1, 13)],
        "exam": ["exam"],
    },
    "aftersales": {
        "volume": ["tickets"],
        "satisfaction": ["cb_A", "cb_B", "cb_C", "cb_D"],
        "attitude": ["attitude"],
        "reports": ["late_reports"],
        "rules": ["violations"],
        "teamwork": ["teamwork"],
        "bonus": ["suggestions"],
        "penalty": ["complaints"],
    },
}
#: Components a long log can supply (QA log → business/discipline, callback log → satisfaction).
LOG_COMPONENTS = ("business", "discipline", "satisfaction")
_CODE_ALIASES = {
    "business": [
        "A1…A11 (列名以项目代码开头 / header starting with the item code)",
        "质检记录 QA log",
    ],
    "discipline": [
        "B1…B12 (列名以项目代码开头 / header starting with the item code)",
        "质检记录 QA log",
    ],
    "satisfaction": ["回访A…回访D", "callback A…D", "回访记录 callback log (工号, 日期, 评价)"],
}


def check_token(code: str, fld: str, value: Any = "") -> str:
    """One ``check`` token; the value loses the separators so tokens split back cleanly."""
    text = "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)
    return f"{code}:{fld}:{re.sub(r'[;:]', ' ', text).strip()[:40]}"


def add_tokens(check: pd.Series, mask: pd.Series, tokens: pd.Series | str) -> pd.Series:
    """Append ``tokens`` to ``check`` where ``mask``."""
    if not mask.any():
        return check
    tok = tokens if isinstance(tokens, pd.Series) else pd.Series(tokens, index=check.index)
    tok = tok.reindex(check.index).fillna("").astype("str")
    joined = check.where(check.eq(""), check + ";") + tok
    return check.where(~mask, joined)


def flag_values(check: pd.Series, mask: pd.Series, raw: pd.Series, fld: str) -> pd.Series:
    """An ``out_of_range`` token with the raw cell for each row of ``mask`` (built only there)."""
    if not mask.any():
        return check
    return add_tokens(check, mask, raw[mask].map(lambda x: check_token("out_of_range", fld, x)))


def drop_tokens(check: pd.Series, prefix: str, mask: pd.Series) -> pd.Series:
    """Remove the tokens starting with ``prefix`` where ``mask`` (a log supplied the component)."""
    busy = mask & check.str.contains(prefix, regex=False)
    if not busy.any():
        return check
    kept = check[busy].map(
        lambda c: ";".join(t for t in c.split(";") if t and not t.startswith(prefix))
    )
    return check.where(~busy, kept.reindex(check.index))


def component_aliases(fld_list: list[str], cfg: Mapping[str, Any], comp: str) -> list[str]:
    if comp in _CODE_ALIASES:
        return list(_CODE_ALIASES[comp])
    return [a for f in fld_list for a in cfg.get("aliases", {}).get(f, [])]


def _month_in(text: str) -> str | None:
    found = {
        f"{int(y):04d}-{int(m):02d}"
        for y, m in _MONTH_RE.findall(V.norm(text))
        if 1 <= int(m) <= 12
    }
    return found.pop() if len(found) == 1 else None  # two months named: neither is "the" month


def _named_months(table: Table) -> list[tuple[str, str, str]]:
    """(source zh, source en, month) for the sheet name and the file name that name one month.

    A sheet named only by month ("3月") takes the year of the file name or of the table.
    """
    out = []
    stem = Path(table.grid.file).stem
    sheet_m = _month_in(table.grid.sheet)
    only = _MONTH_ONLY_RE.match(V.norm(table.grid.sheet))
    if sheet_m is None and only and 1 <= int(only.group(1)) <= 12:
        year = re.search(r"20\d{2}", V.norm(stem))
        y = int(year.group(0)) if year else table.year
        if y and y != PLACEHOLDER_YEAR:
            sheet_m = f"{y:04d}-{int(only.group(1)):02d}"
    if sheet_m:
        out.append(("工作表名", "the sheet name", sheet_m))
    file_m = _month_in(stem)
    if file_m:
        out.append(("文件名", "the file name", file_m))
    return out


def table_period(table: Table) -> str | None:
    """The month the sheet name or file name states; both naming different months is an error."""
    found = _named_months(table)
    if len({m for *_, m in found}) > 1:
        (za, ea, a), (zb, eb, b) = found[0], found[1]
        raise InputError(
            f"月份来源矛盾:{za}是 {a},{zb}是 {b}。请改正文件名或工作表名",
            f"conflicting months: {ea} says {a}, {eb} says {b}; correct the file or sheet name",
            file=table.grid.file,
            sheet=table.grid.sheet,
        )
    return found[0][2] if found else None


def _periods(table: Table, rows: pd.Series) -> pd.Series:
    """Each row's month: its 月份 column, else its date column, else the sheet or file name.

    Any two of these that name different months for one of ``rows`` stop the table with an
    error naming both (a March file holding April rows is the wrong file, not an April bulletin).
    """
    idx = table.body.index
    sources: list[tuple[str, str, pd.Series]] = []
    pc, dc = table.col("period"), table.col("date")
    if pc is not None:
        p, _ = V.parse_period(table.body[pc.idx], table.year)
        sources.append((f"列「{pc.header}」", f"column '{pc.header}'", p))
    if dc is not None:
        d, _ = V.parse_date(table.body[dc.idx])
        sources.append((f"列「{dc.header}」", f"column '{dc.header}'", V.month_of(d)))
    for zh, en, m in _named_months(table)[:1] if table_period(table) else []:
        sources.append((zh, en, pd.Series(m, index=idx, dtype="str")))
    per = pd.Series(np.nan, index=idx, dtype="str")
    for _, _, s in sources:
        per = per.where(per.notna(), s)
    for i, (za, ea, a) in enumerate(sources):
        for zb, eb, b in sources[i + 1 :]:
            clash = rows & a.notna() & b.notna() & a.ne(b)
            if clash.any():
                r = clash.index[clash][0]
                raise InputError(
                    f"第 {r} 行的月份来源矛盾:{za}是 {a[r]},{zb}是 {b[r]}"
                    f"(共 {int(clash.sum())} 行)。请改正其中之一",
                    f"row {r}: conflicting months: {ea} says {a[r]}, {eb} says {b[r]} "
                    f"({int(clash.sum())} rows); correct one of them",
                    file=table.grid.file,
                    sheet=table.grid.sheet,
                )
    return per


def _agent_lines(table: Table, cfg: Mapping[str, Any], value_cols: list[Column]):
    if not table.has("agent_id"):
        raise missing_field(table, "agent_id", cfg, "工号", "agent ID")
    cls = classify(table, value_cols, sections=False, keep=table.col("agent_id"))
    _report_structure(table, cls)
    lines = cls["kind"] == "line"
    agent = table.text(table.col("agent_id"))
    no_agent = lines & agent.isna()
    _reject(table, no_agent, "warning", "missing_agent", table.col("agent_id"))
    period = _periods(table, lines & ~no_agent)
    no_per = lines & ~no_agent & period.isna()
    _reject(table, no_per, "error", "no_period", table.col("period") or table.col("date"))
    return cls, lines & ~no_agent & ~no_per, agent, period


def _options(table: Table, cfg: Mapping[str, Any], role: str, period: pd.Series, ok: pd.Series):
    """Per row: blank_as_zero (bool Series) and the month's not_scored components (by period)."""
    from analysis.config import ConfigError
    from analysis.scorecard import month_rules  # the one reading of these switches

    months = sorted(period[ok].dropna().unique())
    try:
        rules = {p: month_rules(cfg, p)[role] for p in months}
    except ConfigError as exc:
        zh, _, en = str(exc).partition(" / ")
        raise InputError(zh, en or zh, file=table.grid.file, sheet=table.grid.sheet) from None
    zero = period.map({p: bool(r["blank_as_zero"]) for p, r in rules.items()}).eq(True)
    not_scored = {p: set(r["not_scored"]) for p, r in rules.items()}
    return zero, not_scored


def _require(
    table: Table,
    cfg: Mapping[str, Any],
    role: str,
    period: pd.Series,
    ok: pd.Series,
    not_scored: dict[str, set[str]],
    check: pd.Series,
) -> pd.Series:
    """Components without a column: an error (or a token, for those a log may supply)."""
    from analysis.scorecard import LABELS

    missing: list[str] = []
    for comp, fields in COMPONENT_FIELDS[role].items():
        if any(table.has(f) for f in fields):
            continue
        needed = ok & period.map(lambda p, c=comp: c not in not_scored.get(p, set())).astype(bool)
        if not needed.any():
            continue
        if comp in LOG_COMPONENTS:
            check = add_tokens(
                check, needed, check_token("missing_column", comp, table.header_rows[-1])
            )
        else:
            missing.append(comp)
    if missing:
        fields = [f for c in missing for f in COMPONENT_FIELDS[role][c]]
        zh_names = "、".join(
            f"{LABELS['zh'][c]}({'/'.join(COMPONENT_FIELDS[role][c])})" for c in missing
        )
        en_names = ", ".join(
            f"{LABELS['en'][c]} ({'/'.join(COMPONENT_FIELDS[role][c])})" for c in missing
        )
        raise InputError(
            f"缺少考核项目的列:{zh_names}(表头在第 {table.header_rows[-1]} 行)。这些项目不能按 0 或 100 计分;"
            f"如本月确实不考核,请在 config.toml 的 [scorecard.{role}] 写 "
            f"not_scored = {missing!r}".replace("'", '"'),
            f"scorecard columns missing: {en_names} (header at row {table.header_rows[-1]}). They cannot "
            f"be scored as 0 or 100; if the month does not score them, set not_scored = "
            f"{missing!r} under [scorecard.{role}] in config.toml".replace("'", '"'),
            file=table.grid.file,
            sheet=table.grid.sheet,
            field=", ".join(fields),
            aliases=[
                a for c in missing for a in component_aliases(COMPONENT_FIELDS[role][c], cfg, c)
            ],
        )
    return check


def _blank(
    table: Table, mask: pd.Series, zero: pd.Series, cols: list[Column], allowed: str
) -> None:
    """A data-quality row per blank scored cell: error (待核实) or warning (scored as 0)."""
    header = ", ".join(c.header for c in cols)
    for r in mask.index[mask]:
        if zero[r]:
            table.dq_row(
                "warning", "blank_score", r, header, "", _msg="blank_score_zero", allowed=allowed
            )
        else:
            table.dq_row("error", "blank_score", r, header, "", allowed=allowed)


def _invalid(
    table: Table,
    mask: pd.Series,
    col: Column,
    raw: pd.Series,
    allowed: str,
    msg: str = "out_of_range",
) -> None:
    for r in mask.index[mask]:
        val = raw.get(r, "")
        table.dq_row(
            "error",
            "out_of_range",
            r,
            col.header,
            "" if pd.isna(val) else val,
            _msg=msg,
            allowed=allowed,
        )


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


def _score_counts(
    table: Table, fields: list[str], ok: pd.Series, zero: pd.Series, check: pd.Series
) -> tuple[dict[str, pd.Series], pd.Series]:
    """Count fields → floats. Occurrence counts: blank = 0. Tickets: blank = NaN (a blank score).
    Callback counts: blank beside a filled grade = 0; all four blank = a blank score.
    Negative, fractional or unreadable: NaN, an error row and a ``check`` token."""
    out: dict[str, pd.Series] = {}
    blank: dict[str, pd.Series] = {}
    for f in fields:
        c = table.col(f)
        if c is None:
            continue
        v, bad = V.parse_amount(table.body[c.idx])
        wrong = (bad | (v < 0) | (v.notna() & (v.round() != v))) & ok
        _invalid(table, wrong, c, table.body[c.idx], "", msg="out_of_range_count")
        check = flag_values(check, wrong, table.body[c.idx], f)
        blank[f] = v.isna() & ~wrong
        v = v.where(~wrong)
        out[f] = v.fillna(0.0).where(~wrong) if f in OCCURRENCE_COUNTS else v
    if "tickets" in blank:
        b = blank["tickets"] & ok
        _blank(table, b, zero, [table.col("tickets")], "≥ 0")
    cb = [f for f in ("cb_A", "cb_B", "cb_C", "cb_D") if f in out]
    if cb:
        all_blank = pd.concat([blank[f] for f in cb], axis=1).all(axis=1)
        bad_any = pd.concat([out[f].isna() & ~blank[f] for f in cb], axis=1).any(axis=1)
        _blank(table, all_blank & ok, zero, [table.col(f) for f in cb], "≥ 0")
        for f in cb:  # a blank beside a filled grade is 0 callbacks of that grade
            out[f] = out[f].where(all_blank | bad_any | out[f].notna(), 0.0)
    return out, check


def _grades(
    table: Table, fld: str, allowed: str, ok: pd.Series, zero: pd.Series | None, check: pd.Series
) -> tuple[pd.Series, pd.Series]:
    """Grade letters (full-width and lower case accepted); blank = NaN, anything else = error."""
    c = table.col(fld)
    if c is None:
        return pd.Series(np.nan, index=table.body.index, dtype="str"), check
    g = table.text(c).str.normalize("NFKC").str.upper().str.strip()
    wrong = g.notna() & ~g.isin(list(allowed)) & ok
    rng = f"{allowed[0]}–{allowed[-1]}"
    _invalid(table, wrong, c, table.body[c.idx], rng)
    check = flag_values(check, wrong, table.body[c.idx], fld)
    if zero is not None:
        _blank(table, g.isna() & ok, zero, [c], rng)
    return g.where(~wrong), check


def presales_table(table: Table, cfg: Mapping[str, Any]) -> Part:
    items = [c for c in table.columns if c.field in PRESALES_ITEMS]
    exam = table.col("exam")
    cls, ok, agent, period = _agent_lines(table, cfg, items + ([exam] if exam else []))
    zero, not_scored = _options(table, cfg, "presales", period, ok)
    check = pd.Series("", index=table.body.index, dtype="str")
    check = _require(table, cfg, "presales", period, ok, not_scored, check)
    counts, check = _score_counts(table, [c.field for c in items], ok, zero, check)
    exam_v = pd.Series(np.nan, index=table.body.index)
    if exam is not None:
        exam_v, bad_e = V.parse_amount(table.body[exam.idx])
        bad_e = (bad_e | ~exam_v.between(0, 100) & exam_v.notna()) & ok
        _invalid(table, bad_e, exam, table.body[exam.idx], "0–100")
        check = flag_values(check, bad_e, table.body[exam.idx], "exam")
        exam_v = exam_v.where(~bad_e)
        _blank(table, exam_v.isna() & ~bad_e & ok, zero, [exam], "0–100")
    frame = pd.DataFrame(
        {
            "period": period[ok].to_numpy(),
            "agent_id": agent[ok].to_numpy(),
            "name": table.text(table.col("name"))[ok].fillna("").to_numpy(),
            **{
                code: (counts[code][ok].to_numpy() if code in counts else 0.0)
                for code in PRESALES_ITEMS
            },
            "exam": exam_v[ok].to_numpy(),
            "check": check[ok].to_numpy(),
            **_src(table, table.body.index[ok]),
        }
    )
    # An invalid count stays missing here (NaN, token); whole counts are int64 downstream.
    part = Part(frames={"presales": frame[PRESALES_COLUMNS]})
    part.inputs.append(account(table, "presales", table.body, ok, None, 0))
    return part


def aftersales_table(table: Table, cfg: Mapping[str, Any]) -> Part:
    cols = [table.col(f) for f in AFTERSALES_COUNTS if table.has(f)]
    grade_cols = [table.col(f) for f in ("attitude", "teamwork") if table.has(f)]
    cls, ok, agent, period = _agent_lines(table, cfg, cols + grade_cols)
    zero, not_scored = _options(table, cfg, "aftersales", period, ok)
    check = pd.Series("", index=table.body.index, dtype="str")
    check = _require(table, cfg, "aftersales", period, ok, not_scored, check)
    counts, check = _score_counts(table, AFTERSALES_COUNTS, ok, zero, check)
    data: dict[str, Any] = {
        "period": period[ok].to_numpy(),
        "agent_id": agent[ok].to_numpy(),
        "name": table.text(table.col("name"))[ok].fillna("").to_numpy(),
    }
    for f in AFTERSALES_COUNTS:
        data[f] = counts[f][ok].to_numpy() if f in counts else np.nan
    att, check = _grades(table, "attitude", "ABCDE", ok, zero, check)
    tw, check = _grades(table, "teamwork", "ABCDE", ok, zero, check)
    data["attitude"] = att[ok].to_numpy()
    data["teamwork"] = tw[ok].to_numpy()
    data["check"] = check[ok].to_numpy()
    frame = pd.DataFrame({**data, **_src(table, table.body.index[ok])})
    part = Part(frames={"aftersales": frame[AFTERSALES_COLUMNS]})
    part.inputs.append(account(table, "aftersales", table.body, ok, None, 0))
    return part


def callbacks_table(table: Table, cfg: Mapping[str, Any]) -> Part:
    """One row per callback (工号, 日期, 评价 A–D) → counts per agent and month.

    A blank or invalid grade is not counted: it is an error row, and the agent's month carries a
    ``bad_callback`` token (待核实), since the month's satisfaction would otherwise change silently.
    """
    grade_col = table.col("grade")
    cls, ok, agent, period = _agent_lines(table, cfg, [])
    check = pd.Series("", index=table.body.index, dtype="str")
    g, check = _grades(table, "grade", "ABCD", ok, None, check)
    blank_g = ok & g.isna() & ~check.str.contains("out_of_range", regex=False)
    for r in blank_g.index[blank_g]:
        table.dq_row(
            "error", "blank_score", r, grade_col.header if grade_col else "", "", allowed="A–D"
        )
    check = add_tokens(check, blank_g, check_token("bad_callback", "satisfaction", ""))
    check = check.str.replace("out_of_range:grade:", "bad_callback:satisfaction:", regex=False)
    counted = ok & g.notna()
    long = pd.DataFrame(
        {"period": period[ok], "agent_id": agent[ok], "grade": g[ok], "row": table.body.index[ok],
         "check": check[ok]}
    )  # fmt: skip
    wide = (
        long[counted[ok]]
        .assign(n=1)
        .pivot_table(
            index=["period", "agent_id"], columns="grade", values="n", aggfunc="sum", fill_value=0
        )
        .reindex(columns=list("ABCD"), fill_value=0)
        .add_prefix("cb_")
    )
    per_agent = long.groupby(["period", "agent_id"]).agg(
        row=("row", "min"), check=("check", lambda s: ";".join(x for x in s if x))
    )
    wide = (
        per_agent.join(wide, how="left")
        .fillna({f"cb_{x}": 0 for x in "ABCD"})
        .reset_index()
        .assign(source_file=table.grid.file, source_sheet=table.grid.sheet)
        .rename(columns={"row": "source_row"})
    )
    part = Part(frames={"callbacks": wide.reindex(columns=CALLBACK_COLUMNS)})
    part.inputs.append(account(table, "callbacks", table.body, ok, None, 0))
    return part


def qa_log_table(table: Table, cfg: Mapping[str, Any]) -> Part:
    """Long QA log (日期, 工号, 扣分项, 次数) → counts summed per agent and month.

    A line with an unknown item code or a bad count is not counted (an error row); it stays in
    the frame with count 0 and a ``check`` token, so the agent's month goes to 待核实 instead of
    being scored without it.
    """
    code_col, count_col = table.col("code"), table.col("count")
    cls, ok, agent, period = _agent_lines(table, cfg, [count_col] if count_col else [])
    lines = ok
    codes = table.text(code_col).map(lambda t: V.parse_code(t) if isinstance(t, str) else None)
    wrong = ok & ~codes.isin(PRESALES_ITEMS)
    _reject(table, wrong, "error", "bad_count", code_col, table.body[code_col.idx])
    check = pd.Series("", index=table.body.index, dtype="str")
    check = flag_values(check, wrong, table.body[code_col.idx], "qa_code")
    ok = ok & ~wrong
    if count_col is not None:
        counts, bad_row = _counts(table, [count_col], ok)
        n = counts[count_col.idx].where(table.text(count_col).notna(), 1.0)
        bad_n = bad_row & ok
        raw_n = table.body[count_col.idx][bad_n]
        tok = pd.Series(
            [
                check_token("out_of_range", c or "qa_count", x)
                for c, x in zip(codes[bad_n], raw_n, strict=True)
            ],
            index=raw_n.index,
            dtype="str",
        )
        check = add_tokens(check, bad_n, tok)
        ok = ok & ~bad_row
    else:
        n = pd.Series(1.0, index=table.body.index)
    keep = lines  # counted lines and the ones whose finding must reach the agent's month
    frame = pd.DataFrame(
        {
            "period": period[keep].to_numpy(),
            "agent_id": agent[keep].to_numpy(),
            "code": codes.where(ok)[keep].to_numpy(),
            "count": n.where(ok, 0.0)[keep].to_numpy(),
            "check": check[keep].to_numpy(),
            **_src(table, table.body.index[keep]),
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
