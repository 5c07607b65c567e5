"""Reading any table (no business fields needed): header found, columns typed, notes reported.

Why: analysts bring spreadsheets the budget and scorecard loaders do not know (call logs, dialer
exports, other departments' budgets). ``read_table`` gives them the same guarantees: the header
row found, text numbers and durations parsed, totals and footer notes kept out, every bad cell
reported rather than guessed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis import config as config_mod
from analysis.io import rows
from analysis.io import values as V
from analysis.io.errors import InputError, dq_frame, fill_messages
from analysis.io.header import Column, ReadResult, Table, finish_dq, locate
from analysis.io.read import Grid, read_grids
from analysis.io.totals import check_totals
from analysis.schema import SOURCE_COLUMNS

TYPE_SHARE = 0.9


def _generic_header(grid: Grid) -> int | None:
    """First row where at least half the columns hold text labels (not numbers or dates)."""
    cells = grid.cells.iloc[:30]
    width = cells.shape[1]
    for r in cells.index:
        row = cells.loc[r].dropna()
        if len(row) < max(2, width // 2):
            continue
        num, _ = V.parse_amount(row.astype("str"))
        if num.notna().sum() == 0:
            return int(r)
    return None


def _column_type(s: pd.Series) -> tuple[str, pd.Series, pd.Series]:
    present = ~V.is_missing(s)
    n = int(present.sum())
    if n == 0:
        return "text", s, pd.Series(False, index=s.index)
    mostly_numbers = pd.to_numeric(s, errors="coerce").notna().sum() > 0.5 * n
    # Numbers only when every value is one (IDs like "4027a" keep a column text); durations and
    # dates tolerate a few bad cells, which are then reported.
    for kind, parser, share in (
        ("number", V.parse_amount, 1.0),
        ("duration", V.parse_duration, TYPE_SHARE),
        ("date", V.parse_date, TYPE_SHARE),
    ):
        if kind != "number" and mostly_numbers:
            break  # "4001", "4027a": codes, not Excel date serials
        vals, bad = parser(s)
        if (n - int(bad.sum())) >= share * n:
            return kind, vals, bad
    return "text", s.str.strip().where(present), pd.Series(False, index=s.index)


def read_table(
    path: str | Path,
    sheet: str | int | None = None,
    *,
    cfg: Mapping[str, Any] | None = None,
    lang: str = "zh",
    header_row: int | None = None,
) -> Any:
    """Read one table from one sheet (or CSV) into typed columns under its own header names.

    Returns a :class:`analysis.io.header.ReadResult`: ``frame`` (columns as in the header, plus
    ``source_row``), ``dq`` (schema DQ columns), ``header_row`` and the row accounting
    (rows_read = rows_loaded + rows_reported). Cells that do not fit their column's type
    (e.g. the duration "4:32:60") are reported and left missing, never guessed.
    """
    cfg = cfg if cfg is not None else config_mod.load_defaults()
    path = Path(path)
    grid = _pick_sheet(path, sheet, cfg)
    if header_row is None:
        located = locate(grid, cfg, min_fields=3, file_hint=path.name)
        header_row = located.header_rows[-1] if located is not None else _generic_header(grid)
    if header_row is None:
        raise InputError("找不到表头行", "no header row found", file=path.name, sheet=grid.sheet)
    table = _generic_table(grid, header_row)
    body, columns = table.body, table.columns
    typed: dict[str, pd.Series] = {}
    types: dict[str, str] = {}
    bad_masks: dict[int, pd.Series] = {}
    for c in columns:
        kind, vals, bad = _column_type(body[c.idx])
        typed[c.header], types[c.header], bad_masks[c.idx] = vals, kind, bad
    value_cols = [c for c in columns if types[c.header] == "number"]
    cls = rows.classify(table, value_cols, sections=False)
    # A one-cell row in a wide table is a note (footer, comment), never a record.
    for r, row in cls[cls["kind"] != "line"].iterrows():
        code = "total_row" if row["kind"] == "total" else "note_row"
        table.dq_row("info", code, r, "", row["first"] if isinstance(row["first"], str) else "")
    _check_generic_totals(table, cls, value_cols, typed)
    lines = cls["kind"] == "line"
    for c in columns:
        bad = bad_masks[c.idx] & lines
        code = {"duration": "bad_duration", "date": "bad_date"}.get(types[c.header], "bad_value")
        for r in bad.index[bad]:
            table.dq_row("warning", code, r, c.header, body.at[r, c.idx])
    frame = pd.DataFrame({h: s[lines].to_numpy() for h, s in typed.items()})
    frame["source_row"] = np.asarray(body.index[lines], dtype="int64")
    n_read, n_loaded = len(body), int(lines.sum())
    return ReadResult(
        frame=frame,
        dq=fill_messages(dq_frame(finish_dq(table)), lang),
        header_row=int(header_row),
        rows_read=n_read,
        rows_loaded=n_loaded,
        rows_reported=n_read - n_loaded,
        types=types,
    )


def _pick_sheet(path: Path, sheet: str | int | None, cfg: Mapping[str, Any]):
    grids = read_grids(path, path.name, None, cfg.get("limits", {}))
    if isinstance(sheet, int):
        return grids[sheet]
    if sheet is None:
        return grids[0]
    found = [g for g in grids if g.sheet == sheet]
    if not found:
        raise InputError(
            f"找不到工作表「{sheet}」(现有:{'、'.join(g.sheet for g in grids)})",
            f"sheet '{sheet}' not found (sheets: {', '.join(g.sheet for g in grids)})",
            file=path.name,
        )
    return found[0]


def _generic_table(grid, header_row: int) -> Table:
    """The table under ``header_row``, columns named by their own headers (made unique)."""
    headers = grid.cells.loc[header_row]
    names, seen = [], {}
    for i, h in enumerate(headers.tolist()):
        base = str(h).strip() if isinstance(h, str) and h.strip() else f"col_{grid.letters[i]}"
        seen[base] = seen.get(base, 0) + 1
        names.append(base if seen[base] == 1 else f"{base}.{seen[base] - 1}")
    body = grid.cells.loc[grid.cells.index > header_row]
    body = body.loc[body.notna().any(axis=1)]
    columns = [Column(i, names[i], grid.letters[i]) for i in range(len(names))]
    return Table(grid, [header_row], columns, body)


def _check_generic_totals(table: Table, cls, value_cols, typed) -> None:
    """Stated totals against their lines; ratios (%, 率) do not add up and are not checked."""
    summable = [
        c for c in value_cols if not re.search(r"%|率|rate|ratio|pct|percent", c.header, re.I)
    ]
    if not summable:
        return
    body = table.body
    fen = pd.DataFrame({c.idx: V.to_fen(typed[c.header]) for c in summable}, index=body.index)
    fen.attrs["present"] = ~V.missing_frame(body[[c.idx for c in summable]])
    label_idx = [c.idx for c in table.columns if c not in summable]
    names = {c.idx: c.header for c in summable}
    check_totals(table, cls["kind"], fen, body[label_idx], cls["level"], names)


__all__ = ["read_table", "SOURCE_COLUMNS"]
