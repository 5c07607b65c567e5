"""Finding the table inside a sheet: header row(s), columns, units, total/section/note rows.

Why: department spreadsheets put titles, unit notes and blank rows above the header, use two-row
headers from merged cells (预算 over 1月…12月), and mix subtotal and section rows into the data.
This module turns a raw grid into a located table with every column named by its field, and
classifies each body row, so the kind loaders only ever see real lines.
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
from analysis.io.errors import message
from analysis.io.read import Grid
from analysis.schema import PRESALES_ITEMS

HEADER_SCAN_ROWS = 30
#: Year of month-only headers when no year is named anywhere; resolved later by load_all.
PLACEHOLDER_YEAR = 1
GROUP_FIELDS = ("plan", "amount", "revised_plan")
TOTAL_COLUMN_LABELS = {
    "合计",
    "全年",
    "全年合计",
    "年度合计",
    "总计",
    "小计",
    "total",
    "年合计",
    "累计",
}
_TOTAL_WORDS = r"合计|小计|总计|共计|累计|汇总"
_TOTAL_RE = re.compile(
    rf"^(?:(.*?)(?:{_TOTAL_WORDS})(?:[:].*)?|_?(?:grand|sub)?_?total(?:[:].*)?|.*[_\s]total|.*\btotal\b.*)$",
    re.IGNORECASE,
)
_PREFILTER = rf"{_TOTAL_WORDS}|total|ｔｏｔａｌ|ＴＯＴＡＬ"
_GRAND_RE = re.compile(
    rf"^(?:总.*|(?:{_TOTAL_WORDS})|total|grandtotal|全部合计|总合计)(?:[:].*)?$",
    re.IGNORECASE,
)


@dataclass
class Column:
    idx: int
    header: str
    letter: str
    field: str | None = None
    group: str | None = None
    period: str | None = None
    unit: float | None = None
    is_total: bool = False


@dataclass
class Table:
    grid: Grid
    header_rows: list[int]
    columns: list[Column]
    body: pd.DataFrame
    unit: float = 1.0
    year: int | None = None
    dq: list[dict[str, Any]] = field(default_factory=list)

    def cols(self, fld: str) -> list[Column]:
        return [c for c in self.columns if c.field == fld]

    def col(self, fld: str) -> Column | None:
        found = self.cols(fld)
        return found[0] if found else None

    def has(self, fld: str) -> bool:
        return any(c.field == fld for c in self.columns)

    def months(self, group: str | None = None) -> list[Column]:
        return [
            c
            for c in self.columns
            if c.field == "month" and (group is None or (c.group or "plan") == group)
        ]

    def text(self, c: Column | None) -> pd.Series:
        """Stripped text of a column over the body (missing → NaN)."""
        if c is None:
            return pd.Series(np.nan, index=self.body.index, dtype="str")
        s = self.body[c.idx].astype("str").str.strip()
        return s.where(~V.is_missing(s))

    def dq_row(self, severity: str, code: str, row: Any, column: str = "", value: Any = "", **kw):
        self.dq.append(
            {
                "severity": severity,
                "code": code,
                "file": self.grid.file,
                "sheet": self.grid.sheet,
                "row": row,
                "column": column,
                "value": "" if value is None else str(value),
                "_fields": kw,
            }
        )


def alias_map(cfg: Mapping[str, Any]) -> dict[str, str]:
    """Normalised alias → field, from [aliases]."""
    out: dict[str, str] = {}
    for fld, names in cfg.get("aliases", {}).items():
        for name in names:
            out.setdefault(V.strip_unit(name), fld)
    return out


def match_header(text: object, amap: Mapping[str, str], year: int | None) -> Column:
    """What one header cell names: a field, an item code, a callback grade, a month, a total."""
    raw = "" if text is None or (isinstance(text, float) and np.isnan(text)) else str(text).strip()
    col = Column(idx=-1, header=raw, letter="")
    if not raw:
        return col
    col.unit = V.unit_from_text(raw)
    key = V.strip_unit(raw)
    if key in amap:
        col.field = amap[key]
        return col
    m = re.fullmatch(r"(?:回访|callback|cb)[_-]?([abcd])(?:[(].*[)])?.*", key)
    if m:
        col.field = f"cb_{m.group(1).upper()}"
        return col
    code = V.parse_code(raw)
    if code in PRESALES_ITEMS:
        col.field = code
        return col
    period = V.month_label(raw, year or PLACEHOLDER_YEAR)
    if period is not None:
        col.field, col.period = "month", period
        return col
    if key in TOTAL_COLUMN_LABELS:
        col.field, col.is_total = "row_total", True
        return col
    for (
        alias,
        fld,
    ) in amap.items():  # "2026年预算", "预算金额(元)": alias as suffix of a longer label
        if (
            len(alias) >= 2
            and key.endswith(alias)
            and re.fullmatch(r"\d{4}年?度?", key[: -len(alias)])
        ):
            col.field = fld
            return col
    return col


def year_hint(*texts: object) -> int | None:
    for t in texts:
        m = re.search(r"(20\d{2}|19\d{2})", str(t or ""))
        if m:
            return int(m.group(1))
    return None


def _row_matches(cells: pd.Series, amap: Mapping[str, str], year: int | None) -> list[Column]:
    return [match_header(v, amap, year) for v in cells.tolist()]


def locate(
    grid: Grid, cfg: Mapping[str, Any], *, min_fields: int = 2, file_hint: str = ""
) -> Table | None:
    """Find the header row(s) by matching known aliases; None when no row names ≥ 2 fields."""
    cells = grid.cells
    if cells.empty:
        return None
    amap = alias_map(cfg)
    head = cells.iloc[:HEADER_SCAN_ROWS]
    title_text = " ".join(
        v for v in head.iloc[:5].to_numpy().ravel().tolist() if isinstance(v, str)
    )
    year = year_hint(Path(file_hint).name, grid.sheet, title_text)
    best_row, best_score, best_cols = None, 0, None
    for r in head.index:
        row = head.loc[r]
        if row.notna().sum() < 2:
            continue
        cols = _row_matches(row, amap, year)
        fields = {c.field for c in cols if c.field}
        score = len(fields) + sum(1 for c in cols if c.field == "month") * 0.5
        if (
            len(fields) >= min_fields
            and score > best_score
            or (
                len(fields) == 1
                and sum(1 for c in cols if c.field == "month") >= 2
                and score > best_score
            )
        ):
            best_row, best_score, best_cols = r, score, cols
    if best_row is None:
        return None
    header_rows = [best_row]
    n_months = sum(1 for c in best_cols if c.field == "month")
    below = best_row + 1
    if n_months < 2 and below in cells.index:
        sub = _row_matches(cells.loc[below], amap, year)
        sub_months = sum(1 for c in sub if c.field == "month")
        sub_other = sum(1 for c in sub if c.header and c.field != "month")
        if sub_months >= 2 and sub_other <= 1 and any(c.field in GROUP_FIELDS for c in best_cols):
            best_cols = _combine(best_cols, sub)
            header_rows = [best_row, below]
    elif n_months >= 2 and best_row - 1 in cells.index:
        top = _row_matches(cells.loc[best_row - 1], amap, year)
        if any(c.field in GROUP_FIELDS for c in top):
            best_cols = _combine(top, best_cols)
            header_rows = [best_row - 1, best_row]
    columns = []
    for i, c in enumerate(best_cols):
        c.idx, c.letter = i, grid.letters[i] if i < len(grid.letters) else str(i)
        columns.append(c)
    # Units: header suffix wins, else a 单位 note above the table, else 元.
    unit = 1.0
    for r in cells.index[cells.index < header_rows[0]][:HEADER_SCAN_ROWS]:
        for v in cells.loc[r].dropna().tolist():
            u = V.unit_from_text(v)
            if u is not None and "单位" in V.norm(v):
                unit = u
    # Also "单位:万元" written in a cell to the right on the header row itself.
    for v in cells.loc[header_rows[-1]].dropna().tolist():
        if "单位" in V.norm(v) and V.unit_from_text(v):
            unit = V.unit_from_text(v)
    body = cells.loc[cells.index > header_rows[-1]]
    body = body.loc[body.notna().any(axis=1)]
    return Table(grid, header_rows, columns, body, unit=unit, year=year)


def _combine(top: list[Column], sub: list[Column]) -> list[Column]:
    """Two header rows → one: the upper (merged) labels fill right over the month columns."""
    n = max(len(top), len(sub))
    top = top + [Column(-1, "", "")] * (n - len(top))
    sub = sub + [Column(-1, "", "")] * (n - len(sub))
    out, group, group_header = [], None, ""
    for t, s in zip(top, sub, strict=True):
        if t.header:
            group = t.field if t.field in GROUP_FIELDS else None
            group_header = t.header
        if s.field == "month":
            s.group = group or (t.field if t.field in GROUP_FIELDS else None)
            s.header = f"{group_header} {s.header}".strip() if group else s.header
            s.unit = s.unit or t.unit
            out.append(s)
        elif s.header:
            if s.is_total and group:
                s.group = group
            out.append(s)
        else:
            group = None if t.header and t.field not in GROUP_FIELDS else group
            out.append(t)
    return out


# ---------------------------------------------------------------------------------------------
# Row classification


def _rows_naming_a_total(label_frame: pd.DataFrame) -> np.ndarray:
    """Rows where any label cell contains a total word (case-insensitive), as a bool array."""
    import pyarrow as pa
    import pyarrow.compute as pc

    cols = []
    for c in label_frame.columns:
        s = label_frame[c]
        arr = getattr(s.array, "_pa_array", None)
        if arr is None:
            arr = pa.chunked_array(
                [pa.array(s.astype(object).where(s.notna(), None), type=pa.string())]
            )
        cols.append(pc.cast(arr, pa.large_string()))
    if len(cols) == 1:
        joined = cols[0]
    else:
        sep = pa.scalar("\x1f", pa.large_string())
        joined = pc.binary_join_element_wise(
            *cols, sep, null_handling="replace", null_replacement=""
        )
    hit = pc.match_substring_regex(joined, _PREFILTER, ignore_case=True)
    return np.asarray(pc.fill_null(hit, False).to_numpy(zero_copy_only=False), dtype=bool)


def total_level(label_frame: pd.DataFrame) -> pd.Series:
    """Per row: 0 = not a total; 1 = subtotal; 2.. = higher totals; 99 = grand total."""
    if label_frame.empty:
        return pd.Series(0, index=label_frame.index)
    levels = pd.Series(0, index=label_frame.index)
    grand = pd.Series(False, index=label_frame.index)
    # One regex pass over all label cells of a row joined together finds the few candidate
    # rows; the per-column matching below then runs on those rows only (big ledgers).
    rows = _rows_naming_a_total(label_frame)
    if not rows.any():
        return levels
    for c in label_frame.columns:
        s = label_frame[c].where(rows)
        # Cheap pre-filter first: only cells naming a total word are normalised and matched.
        cand = s.notna() & s.str.contains(_PREFILTER, regex=True, case=False).fillna(False)
        if not cand.any():
            continue
        t = V.norm_series(s[cand])
        hit = t.str.match(_TOTAL_RE) & t.ne("")
        levels[cand] = levels[cand] + hit.astype(int)
        g = t.str.match(_GRAND_RE) & t.ne("") & ~t.str.contains("小计|sub", regex=True)
        grand[cand] = grand[cand] | g
    only_grand = grand & (levels == 1)
    return levels.where(~only_grand, 99)


def label_number(text: object) -> float | None:
    """ "总计:5000元" → 5000.0; None when the label states no figure."""
    m = re.search(r"[:：]\s*([-−(]?[\d,，.]+\)?)\s*(?:万元|千元|元)?\s*$", str(text or ""))
    if not m:
        return None
    val, bad = V.parse_amount(pd.Series([m.group(1)], dtype="str"))
    if bad.iloc[0] or np.isnan(val.iloc[0]):
        return None
    unit = V.unit_from_text(
        "(" + (re.search(r"(万元|千元|元)\s*$", str(text)) or [None, "元"])[1] + ")"
    )
    return float(val.iloc[0]) * (unit or 1.0)


def check_totals(
    table: Table,
    kind_rows: pd.Series,
    fen: pd.DataFrame,
    labels: pd.DataFrame,
    level: pd.Series,
    value_names: Mapping[int, str],
) -> None:
    """Compare each stated total with the lines it closes; report mismatches with both figures.

    ``fen`` holds integer 分 per value column for every body row; ``kind_rows`` is "line",
    "total", "section" or other per row. A total of level L closes the lines since the last total
    of level ≥ L (or section heading, for subtotals).
    """
    if not kind_rows.eq("total").any():
        return
    is_line = (kind_rows == "line").to_numpy()
    line_fen = np.where(is_line[:, None], fen.to_numpy(), 0)
    cum = np.vstack([np.zeros((1, line_fen.shape[1]), dtype="int64"), np.cumsum(line_fen, axis=0)])
    stated_present = fen.attrs.get("present")
    rows = list(kind_rows.index)
    kinds_arr = kind_rows.to_numpy()
    last_at_level: dict[int, int] = {}
    last_section = 0
    # Only structure rows need the walk; lines are summed through ``cum``.
    for pos in np.flatnonzero(np.isin(kinds_arr, ["section", "total"])):
        r = rows[pos]
        k = kinds_arr[pos]
        if k == "section":
            last_section = pos
            continue
        if k != "total":
            continue
        lv = int(level.iloc[pos])
        start = max([p for lvl, p in last_at_level.items() if lvl >= lv] + [0])
        if lv == 1:
            start = max(start, last_section)
        computed = cum[pos] - cum[start]
        stated = fen.iloc[pos].to_numpy()
        present = stated_present.iloc[pos].to_numpy() if stated_present is not None else stated != 0
        label_txt = " ".join(labels.iloc[pos].dropna().astype(str).tolist())
        if not present.any():
            num = label_number(label_txt)
            if num is not None:
                s_fen, c_fen = int(round(num * 100)), int(computed.sum())
                if s_fen != c_fen:
                    table.dq_row(
                        "warning",
                        "total_mismatch",
                        r,
                        "",
                        label_txt,
                        stated=_yuan(s_fen),
                        computed=_yuan(c_fen),
                        diff=_yuan(s_fen - c_fen),
                    )
        else:
            for j in np.flatnonzero(present & (stated != computed)):
                col_idx = fen.columns[j]
                table.dq_row(
                    "warning",
                    "total_mismatch",
                    r,
                    value_names.get(col_idx, str(col_idx)),
                    label_txt,
                    stated=_yuan(int(stated[j])),
                    computed=_yuan(int(computed[j])),
                    diff=_yuan(int(stated[j] - computed[j])),
                )
        last_at_level[lv] = pos + 1
        if lv >= 1:
            last_section = max(last_section, pos + 1) if lv == 1 else pos + 1


def _yuan(fen: int) -> str:
    return f"{fen / 100:,.2f}"


def finish_dq(table: Table, lang: str) -> list[dict[str, Any]]:
    """Fill the ``message`` of every collected row in ``lang``."""
    out = []
    for d in table.dq:
        d = dict(d)
        fields = dict(d.pop("_fields", {}) or {})
        fields.setdefault("value", d.get("value", ""))
        code = fields.pop("_msg", d["code"])
        out.append({**d, "message": message(code, lang, **fields)})
    return out


# ---------------------------------------------------------------------------------------------
# Generic reading (any table, no business fields needed)


@dataclass
class ReadResult:
    """A generic table read from one sheet: typed columns under their own header names."""

    frame: pd.DataFrame
    dq: pd.DataFrame
    header_row: int
    rows_read: int
    rows_loaded: int
    rows_reported: int
    types: dict[str, str]
