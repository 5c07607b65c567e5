"""Scorecard loaders: pre-sales and after-sales monthly sheets, callback lists and QA logs.

Why: pay depends on these cells, so a blank or out-of-range value is never a number and the
month comes from wherever it is written (file, sheet, column), conflicts refused.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.io import rows
from analysis.io import values as V
from analysis.io.errors import InputError
from analysis.io.header import PLACEHOLDER_YEAR, Column, Table
from analysis.schema import (
    AFTERSALES_COLUMNS,
    AFTERSALES_COUNTS,
    PRESALES_COLUMNS,
    PRESALES_ITEMS,
    SOURCE_COLUMNS,
)

CALLBACK_COLUMNS = [
    "period", "agent_id", "cb_A", "cb_B", "cb_C", "cb_D", "check", *SOURCE_COLUMNS,
]  # fmt: skip


QA_COLUMNS = ["period", "agent_id", "code", "count", "check", *SOURCE_COLUMNS]


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


_EN_MONTH = (
    r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)(?:uary|ruary|ch|il|e|y|ust|t|tember"
    r"|ober|ember)?"
)
_EN_MONTH_RE = re.compile(rf"(?<![a-z]){_EN_MONTH}[-_.,' ]{{0,2}}(20\d{{2}})(?!\d)")
_EN_YEAR_FIRST_RE = re.compile(rf"(?<!\d)(20\d{{2}})[-_.,' ]{{0,2}}{_EN_MONTH}(?![a-z])")


def _month_in(text: str) -> str | None:
    """The one month a file or sheet name states: 2026-03, 2026年3月, Oct 2026, 2026_October."""
    t = V.norm(text)
    found = {f"{int(y):04d}-{int(m):02d}" for y, m in _MONTH_RE.findall(t) if 1 <= int(m) <= 12}
    # English months on the words as written ("After-sales Oct 2026"): spaces mark the word.
    words = re.sub(r"[\s_]+", " ", unicodedata.normalize("NFKC", str(text)).lower())
    for mon, y in _EN_MONTH_RE.findall(words):
        found.add(f"{int(y):04d}-{V.EN_MONTHS[mon]:02d}")
    for y, mon in _EN_YEAR_FIRST_RE.findall(words):
        found.add(f"{int(y):04d}-{V.EN_MONTHS[mon]:02d}")
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
        raise rows.missing_field(table, "agent_id", cfg, "工号", "agent ID")
    cls = rows.classify(table, value_cols, sections=False, keep=table.col("agent_id"))
    rows.report_structure(table, cls)
    lines = cls["kind"] == "line"
    agent = V.agent_ids(table.text(table.col("agent_id")))
    no_agent = lines & agent.isna()
    rows.reject(table, no_agent, "warning", "missing_agent", table.col("agent_id"))
    period = _periods(table, lines & ~no_agent)
    no_per = lines & ~no_agent & period.isna()
    rows.reject(table, no_per, "error", "no_period", table.col("period") or table.col("date"))
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

    missing: list[str] = []
    maybe: list[str] = []
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
            maybe.append(comp)
        else:
            missing.append(comp)
    if missing:
        raise missing_components(
            role,
            missing,
            table.header_rows[-1],
            table.grid.file,
            table.grid.sheet,
            cfg,
            log_checked=False,
            unless_log=maybe,
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
        rows.parse_values(table, fld_cols)
        if fld_cols
        else (pd.DataFrame(index=table.body.index), pd.DataFrame(index=table.body.index))
    )
    bad_row = pd.Series(False, index=table.body.index)
    for c in fld_cols:
        v = vals[c.idx]
        wrong = (bad[c.idx] | (v < 0) | (v.notna() & (v.round() != v))) & lines
        rows.reject(table, wrong & ~bad_row, "error", "bad_count", c, table.body[c.idx])
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


def presales_table(table: Table, cfg: Mapping[str, Any]) -> rows.Part:
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
        # "88%" (text or a percent-formatted cell) is not an exam score: never 0.88 points.
        pct = rows.percent(table, exam)
        bad_e = (bad_e | pct | ~exam_v.between(0, 100) & exam_v.notna()) & ok
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
            **rows.source(table, table.body.index[ok]),
        }
    )
    # An invalid count stays missing here (NaN, token); whole counts are int64 downstream.
    part = rows.Part(frames={"presales": frame[PRESALES_COLUMNS]})
    part.inputs.append(rows.account(table, "presales", table.body, ok, None, 0))
    return part


def aftersales_table(table: Table, cfg: Mapping[str, Any]) -> rows.Part:
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
    frame = pd.DataFrame({**data, **rows.source(table, table.body.index[ok])})
    part = rows.Part(frames={"aftersales": frame[AFTERSALES_COLUMNS]})
    part.inputs.append(rows.account(table, "aftersales", table.body, ok, None, 0))
    return part


def callbacks_table(table: Table, cfg: Mapping[str, Any]) -> rows.Part:
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
    part = rows.Part(frames={"callbacks": wide.reindex(columns=CALLBACK_COLUMNS)})
    part.inputs.append(rows.account(table, "callbacks", table.body, ok, None, 0))
    return part


def qa_log_table(table: Table, cfg: Mapping[str, Any]) -> rows.Part:
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
    rows.reject(table, wrong, "error", "bad_count", code_col, table.body[code_col.idx])
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
            **rows.source(table, table.body.index[keep]),
        }
    )
    part = rows.Part(frames={"qa_log": frame[QA_COLUMNS]})
    part.inputs.append(rows.account(table, "qa_log", table.body, ok, None, 0))
    return part


def missing_components(
    role: str,
    comps: list[str],
    header_row: Any,
    file: str,
    sheet: str,
    cfg: Mapping[str, Any],
    *,
    log_checked: bool,
    unless_log: list[str] | None = None,
) -> InputError:
    """A component without its columns cannot be scored as 0 or 100: the error names the
    columns and the not_scored setting that leaves the component out on purpose."""
    from analysis.catalog import labels

    def names(lang: str, sep: str, which: list[str]) -> str:
        words = labels("scorecard", lang)
        return sep.join(f"{words[c]} ({'/'.join(COMPONENT_FIELDS[role][c])})" for c in which)

    # Every missing component at once: those a log may still supply are named as such.
    also = list(unless_log or [])
    setting = f"not_scored = {comps + also!r}".replace("'", '"')
    log_zh = ",文件夹中也没有当月的质检/回访记录" if log_checked else ""
    log_en = " and no QA or callback log for the month" if log_checked else ""
    if also:
        log_zh += f";另缺 {names('zh', '、', also)} 的列(除非有当月的质检/回访记录)"
        log_en += (
            f"; also missing: {names('en', ', ', also)} (unless a QA or callback log has them)"
        )
    return InputError(
        f"缺少考核项目的列:{names('zh', '、', comps)}(表头在第 {header_row} 行){log_zh}。这些项目不能按 0 "
        f"或 100 计分;如本月确实不考核,请在 config.toml 的 [scorecard.{role}] 写 {setting}",
        f"scorecard columns missing: {names('en', ', ', comps)} (header at row {header_row}){log_en}. "
        f"They cannot be scored as 0 or 100; if the month does not score them, set {setting} "
        f"under [scorecard.{role}] in config.toml",
        file=file,
        sheet=sheet,
        field=", ".join(f for c in comps for f in COMPONENT_FIELDS[role][c]),
        aliases=[a for c in comps for a in component_aliases(COMPONENT_FIELDS[role][c], cfg, c)],
    )
