"""Finding the tables of a sheet: header rows, columns → fields, side-by-side and stacked tables.

Why: department spreadsheets put titles, unit notes and blank rows above the header, use two-row
headers from merged cells (预算 over 1月…12月), set tables side by side or one under another.
Every column is named by its field (or left unused, on the record), every table gets its cell
range, unit and year with where they came from.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.io import values as V
from analysis.io.errors import InputError
from analysis.io.grid import Grid
from analysis.schema import (
    PRESALES_ITEMS,
)

HEADER_SCAN_ROWS = 200


#: Stacked tables (a second header row further down) are looked for in sheets up to this size.
STACK_SCAN_ROWS = 5000


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
}


#: Fields of which a table may hold only one column: a second one is an ambiguity.
VALUE_FIELDS = {
    "plan",
    "revised_plan",
    "amount",
    "date",
    "period",
    "agent_id",
    "exam",
    "tickets",
    "calls",
    "interval",
    "aht_s",
    "count",
    "code",
    "grade",
    "attitude",
    "teamwork",
}


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
    #: Where the unit and the year came from (for the reading), "" when defaulted.
    unit_source: str = ""
    year_source: str = ""
    #: The pin (config [[read]] keys) that applied to this sheet.
    pin: dict[str, Any] = field(default_factory=dict)
    #: Labels a title row above the table gives all its lines ("Department: Hotline").
    context: dict[str, str] = field(default_factory=dict)
    #: Sum of the lines per money column header, in 分 (set by totals.check_totals).
    line_fen: dict[str, int] = field(default_factory=dict)
    _texts: dict[tuple[int, int], pd.Series] = field(default_factory=dict, repr=False)

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
        key = (c.idx, len(self.body))
        if key not in self._texts:  # each loader step asks again: strip a big column once
            s = self.body[c.idx].astype("str").str.strip()
            self._texts[key] = s.where(~V.is_missing(s))
        return self._texts[key].copy()

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
    """Normalised alias → field, from [aliases]; an alias the user gave in config.toml wins over
    a default alias of another field (the user said what their header means)."""
    out: dict[str, str] = {}
    for fld, names in cfg.get("user_aliases", {}).items():
        for name in names:
            out[V.strip_unit(name)] = fld
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
    aside = _aside_field(key)
    if aside:
        col.field = aside
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


_YEAR_RE = re.compile(r"(?<!\d)(20\d{2}|19\d{2})(?!\d)")


_NUMBER_LIKE = re.compile(r"^[\s\d,，.\-−+()%％元¥￥$]*$")


def _aside_field(key: str) -> str | None:
    """Headers beside a plan that are never loaded: year-to-date and prior-year columns
    ("本年累计实际", "YTD Actual", "上年同期实际"), whatever their exact wording."""
    if re.search(r"累计|ytd|yeartodate|年初至今", key) and not re.search(
        r"预算|计划|budget|plan", key
    ):
        return "actual_ytd"
    if re.search(r"上年|去年|同期|lastyear|prioryear|previousyear", key):
        return "prior"
    return None


def year_hint(*texts: object) -> int | None:
    """A year named in a text (file name, sheet name, title): never from a number cell."""
    found = year_source(*[("text", t) for t in texts])
    return found[0]


def year_source(*named: tuple[str, object]) -> tuple[int | None, str]:
    """The first year named in (source, text) pairs, and the source; amounts never count."""
    for src, t in named:
        text = str(t or "")
        if not text or (src in ("title", "header", "") and _NUMBER_LIKE.match(text)):
            continue  # a cell holding a number is an amount, never a year
        m = _YEAR_RE.search(text)
        if m:
            return int(m.group(1)), src
    return None, ""


def _row_matches(cells: pd.Series, amap: Mapping[str, str], year: int | None) -> list[Column]:
    """What each cell of a row names. Cells repeat (a ledger's categories, amounts): each
    distinct text is matched once per alias table and year."""
    owner, memo = _MATCH_MEMO.get((id(amap), year), (None, {}))
    if owner is not amap or len(memo) > 50_000:  # another alias table (or a huge sheet)
        _MATCH_MEMO.clear()
        memo = {}
        _MATCH_MEMO[(id(amap), year)] = (amap, memo)
    out = []
    for v in cells.tolist():
        key = v if isinstance(v, str) else None
        if key not in memo:
            memo[key] = match_header(v, amap, year)
        out.append(dataclasses.replace(memo[key]))
    return out


#: (alias table, year) → (that table, cell text → Column); cleared for another table.
_MATCH_MEMO: dict[tuple[int, int | None], tuple[Any, dict[str | None, Column]]] = {}


def locate(
    grid: Grid, cfg: Mapping[str, Any], *, min_fields: int = 2, file_hint: str = ""
) -> Table | None:
    """The first table of a sheet (see :func:`locate_all`); None when there is none."""
    found = locate_all(grid, cfg, min_fields=min_fields, file_hint=file_hint)
    return found.tables[0] if found.tables else None


@dataclass
class Located:
    """Every table of one sheet, and what lies outside them (reported, never dropped)."""

    tables: list[Table]
    #: Cell ranges with content outside every table ("H3:K20"), and why they were not read.
    unread: list[tuple[str, str]] = field(default_factory=list)
    scanned_rows: int = 0


def _bands(cells: pd.DataFrame) -> list[list[int]]:
    """Runs of columns separated by a column that is empty on every row (tables side by side)."""
    filled = cells.notna().any(axis=0).to_numpy()
    bands, cur = [], []
    for i, f in enumerate(filled):
        if f:
            cur.append(i)
        elif cur:
            bands.append(cur)
            cur = []
    if cur:
        bands.append(cur)
    return bands


def _sub_grid(grid: Grid, cols: list[int]) -> Grid:
    cells = grid.cells[cols].copy()
    cells.columns = range(len(cols))
    letters = [grid.letters[c] if c < len(grid.letters) else str(c) for c in cols]
    return Grid(
        grid.file,
        grid.sheet,
        cells,
        letters,
        hidden=grid.hidden,
        notes=grid.notes,
        percent=grid.percent,
    )


def cell_range(grid: Grid, rows: pd.Index | list[int], cols: list[int]) -> str:
    """ "A3:P40" for the rows and (grid) columns given."""
    if len(rows) == 0 or not cols:
        return ""
    first = grid.letters[cols[0]] if cols[0] < len(grid.letters) else str(cols[0])
    last = grid.letters[cols[-1]] if cols[-1] < len(grid.letters) else str(cols[-1])
    return f"{first}{min(rows)}:{last}{max(rows)}"


def locate_all(
    grid: Grid,
    cfg: Mapping[str, Any],
    *,
    min_fields: int = 2,
    file_hint: str = "",
    pin: Mapping[str, Any] | None = None,
) -> Located:
    """Find every table of a sheet: side by side (split at empty columns) and stacked (each
    with its own header row). Content outside every table is listed in ``unread``."""
    pin = dict(pin or {})
    cells = grid.cells
    if cells.empty:
        return Located([])
    amap = alias_map(cfg)
    bands = [list(range(cells.shape[1]))] if pin.get("header_row") else _bands(cells)
    if len(bands) > 1:
        bands = _join_bands(cells, bands, amap, min_fields)
    out = Located([], scanned_rows=min(len(cells), HEADER_SCAN_ROWS))
    for band in bands:
        sub = _sub_grid(grid, band) if len(bands) > 1 else grid
        tables = _tables_in(sub, cfg, amap, min_fields, file_hint, pin)
        if not tables:
            rows = sub.cells.index[sub.cells.notna().any(axis=1)]
            if len(rows):
                out.unread.append((cell_range(grid, rows, band), "no_table"))
            continue
        for t in tables:
            t.pin = pin
        top = tables[0].header_rows[0]
        above = sub.cells.loc[sub.cells.index < top]
        above = above.loc[above.notna().any(axis=1)]
        numeric = above.apply(lambda c: c.astype("str").str.fullmatch(r"[\s\d,.\-−()元]+")).fillna(
            False
        )
        if len(above) and numeric.to_numpy().any():
            out.unread.append((cell_range(grid, above.index, band), "above_header"))
        out.tables.extend(tables)
    return out


def _join_bands(cells, bands, amap, min_fields) -> list[list[int]]:
    """An empty spacer column inside one table is not a gap between two tables: a band with no
    header of its own joins the neighbour whose header row it shares."""
    heads = []
    for band in bands:
        sub = cells[band].iloc[:HEADER_SCAN_ROWS]
        found = _header_rows(sub, amap, None, min_fields) if len(band) >= 2 else []
        heads.append(found[0][0] if found else None)
    merged = True
    while merged and len(bands) > 1:
        merged = False
        for i, band in enumerate(bands):
            if heads[i] is not None:
                continue
            for j in (i - 1, i + 1):
                if (
                    0 <= j < len(bands)
                    and heads[j] is not None
                    and heads[j] in cells.index
                    and cells.loc[heads[j], band].notna().any()
                ):
                    lo, hi = min(i, j), max(i, j)
                    bands[lo : hi + 1] = [sorted(bands[lo] + bands[hi])]
                    heads[lo : hi + 1] = [heads[j]]
                    merged = True
                    break
            if merged:
                break
    return bands


def _header_score(cols: list[Column]) -> tuple[int, float]:
    fields = {c.field for c in cols if c.field}
    n_months = sum(1 for c in cols if c.field == "month")
    return len(fields), len(fields) + n_months * 0.5


def _tables_in(
    grid: Grid,
    cfg: Mapping[str, Any],
    amap: Mapping[str, str],
    min_fields: int,
    file_hint: str,
    pin: Mapping[str, Any],
) -> list[Table]:
    cells = grid.cells
    head = cells.iloc[:HEADER_SCAN_ROWS]
    title_cells = [v for v in head.iloc[:8].to_numpy().ravel().tolist() if isinstance(v, str)]
    if pin.get("year"):
        year, ysrc = int(pin["year"]), "config"
    else:
        year, ysrc = year_source(
            ("file name", Path(file_hint).name),
            ("sheet name", grid.sheet),
            *[("title", t) for t in title_cells],
        )
    if pin.get("header_row"):
        r = int(pin["header_row"])
        if r not in cells.index:
            return []
        starts = [(r, _row_matches(cells.loc[r], amap, year))]
    else:
        starts = _header_rows(cells, amap, year, min_fields)
    tables = []
    prev_end = cells.index.min() - 1
    for i, (row, cols) in enumerate(starts):
        end = starts[i + 1][0] - 1 if i + 1 < len(starts) else cells.index.max()
        if i + 1 < len(starts):
            end = _title_rows_before(cells, row, end)
        t = _build_table(grid, cells, row, cols, end, amap, year, ysrc, pin)
        if t is not None:
            t.context = _title_context(cells.loc[(cells.index > prev_end) & (cells.index < row)])
            tables.append(t)
        prev_end = end
    return tables


_DEPT_TITLE = re.compile(
    r"^\s*(?:部门|部門|成本中心|department|dept\.?|cost\s*cent(?:er|re)|team)\s*[:：]\s*(.+?)\s*$",
    re.IGNORECASE,
)


def _title_context(rows: pd.DataFrame) -> dict[str, str]:
    """A title row naming the department ("Department: Hotline", "部门:售后处") of the table
    below it: the table's lines belong to that department when it has no department column."""
    out: dict[str, str] = {}
    for _, row in rows.iterrows():
        vals = row.dropna().astype("str").str.strip()
        vals = vals[vals.ne("")]
        if len(vals) == 1:
            m = _DEPT_TITLE.match(vals.iloc[0])
            if m:
                out["department"] = m.group(1)
    return out


def _title_rows_before(cells: pd.DataFrame, start: int, end: int) -> int:
    """The last body row of a stacked table: blank rows and one-cell titles just above the next
    table's header belong to that next table (its title), not to this one."""
    r = end
    while r > start + 1:
        row = cells.loc[r] if r in cells.index else None
        if row is None or row.isna().all():
            r -= 1
            continue
        vals = row.dropna().astype("str")
        if len(vals) == 1 and not vals.str.fullmatch(r"[\s\d,.\-−()%元]+").any():
            r -= 1
            continue
        break
    return r


def _header_rows(cells, amap, year, min_fields) -> list[tuple[int, list[Column]]]:
    """The best header row in the first rows, then further header rows of the same shape below
    (stacked tables), each a table of its own."""
    head = cells.iloc[:HEADER_SCAN_ROWS]
    best_row, best_score, best_cols = None, 0.0, None
    for n, r in enumerate(head.index):
        # A header naming three or more fields in the first 30 rows is not beaten further down:
        # stop there (a big ledger's rows are not all matched); else search all 200 rows.
        if n >= 30 and best_cols is not None and len({c.field for c in best_cols if c.field}) >= 3:
            break
        row = head.loc[r]
        if row.notna().sum() < 2:
            continue
        cols = _row_matches(row, amap, year)
        n_fields, score = _header_score(cols)
        n_months = sum(1 for c in cols if c.field == "month")
        if score > best_score and (n_fields >= min_fields or (n_fields == 1 and n_months >= 2)):
            best_row, best_score, best_cols = r, score, cols
    if best_row is None:
        return []
    found = [(best_row, best_cols)]
    if len(cells) > STACK_SCAN_ROWS:
        return found
    want = {c.field for c in best_cols if c.field}
    below = cells.loc[cells.index > best_row + 1]
    texty = below.notna().sum(axis=1) >= 2
    for r in below.index[texty.to_numpy()]:
        row = below.loc[r]
        vals = row.dropna().astype("str")
        if vals.str.fullmatch(r"[\s\d,.\-−()%元]+").any():
            continue
        cols = _row_matches(row, amap, year)
        fields = {c.field for c in cols if c.field}
        if (
            len(fields) >= max(2, min_fields)
            and len(fields & want) >= min(len(want), 2)
            and r - 1 != found[-1][0]
        ):
            found.append((r, cols))
    return found


def _build_table(grid, cells, best_row, best_cols, end, amap, year, ysrc, pin) -> Table | None:
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
    _apply_column_pins(grid, columns, pin)
    if not ysrc and year is None:
        hy, hsrc = year_source(*[("header", c.header) for c in columns if c.field != "month"])
        year, ysrc = (hy, hsrc) if hy else (None, "")
    unit, usrc = 1.0, ""
    for r in cells.index[cells.index < header_rows[0]][:HEADER_SCAN_ROWS]:
        for v in cells.loc[r].dropna().tolist():
            u = V.unit_from_text(v)
            if u is not None and "单位" in V.norm(v):
                unit, usrc = u, f"note “{str(v).strip()}” (row {r})"
    for v in cells.loc[header_rows[-1]].dropna().tolist():
        if "单位" in V.norm(v) and V.unit_from_text(v):
            unit, usrc = V.unit_from_text(v), f"note “{str(v).strip()}” (header row)"
    if not usrc:  # "预算(万元).xlsx", a sheet named "单位万元": the unit of the whole table
        for where, text in (("file name", Path(grid.file).stem), ("sheet name", grid.sheet)):
            u = V.unit_from_text(text)
            if u is not None and not usrc:
                unit, usrc = u, f"{where} “{text}”"
    if pin.get("unit"):
        unit, usrc = V.UNIT_FACTORS.get(str(pin["unit"]), unit), "config"
    body = cells.loc[(cells.index > header_rows[-1]) & (cells.index <= end)]
    body = body.loc[body.notna().any(axis=1)]
    return Table(
        grid,
        header_rows,
        columns,
        body,
        unit=unit,
        year=year,
        unit_source=usrc,
        year_source=ysrc,
    )


def _apply_column_pins(grid: Grid, columns: list[Column], pin: Mapping[str, Any]) -> None:
    """``columns = { amount = "实际", category = "B" }``: the user says which column is which."""
    for fld, ref in (pin.get("columns") or {}).items():
        ref_s = str(ref).strip()
        hit = [
            c
            for c in columns
            if c.letter == ref_s.upper() and re.fullmatch(r"[A-Za-z]{1,3}", ref_s)
        ]
        hit = hit or [c for c in columns if V.norm(c.header) == V.norm(ref_s)]
        if len(hit) > 1:  # the pinned header names two columns: which one is still open
            letters = "、".join(c.letter for c in hit)
            raise InputError(
                f"config.toml 指定 {fld} 为「{ref_s}」,但有 {len(hit)} 列叫这个名字({letters});"
                "请改用列字母",
                f"config.toml pins {fld} to '{ref_s}', a header {len(hit)} columns share "
                f"({letters.replace('、', ', ')}); pin it by column letter instead",
                file=grid.file,
                sheet=grid.sheet,
            )
        if not hit:
            continue
        for c in columns:
            if c.field == fld and c is not hit[0]:
                c.field = None
        hit[0].field = fld


def duplicate_fields(table: Table) -> dict[str, list[Column]]:
    """Fields matched by more than one column (two 金额 columns): the caller decides."""
    seen: dict[str, list[Column]] = {}
    for c in table.columns:
        if c.field and c.field != "month" and not c.is_total:
            seen.setdefault(c.field, []).append(c)
    return {f: cs for f, cs in seen.items() if len(cs) > 1}


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


def finish_dq(table: Table) -> list[dict[str, Any]]:
    """The table's data-quality rows with their message fields (worded later, per language)."""
    out = []
    for d in table.dq:
        d = dict(d)
        fields = dict(d.pop("_fields", {}) or {})
        fields.setdefault("value", d.get("value", ""))
        msg = fields.pop("_msg", None)
        if msg:
            fields["msg_code"] = msg
        out.append({**d, "message": "", "_fields": fields})
    return out


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
