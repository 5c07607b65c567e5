"""Writing the product's output files: CSV for scripts, XLSX for managers.

Why: these files are the interface other scripts and Excel users rely on. CSVs are UTF-8 with a
BOM (Excel then opens Chinese correctly), money has 2 decimals, and any text cell that Excel would
read as a formula (``=``, ``+``, ``-``, ``@``, tab, carriage return) is written as text, so a
malicious name in a spreadsheet cannot become a live formula in the manager's export.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_text(value: object) -> object:
    """Prefix a formula-looking *text* with an apostrophe; numbers and other values pass through."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _text_columns(df: pd.DataFrame) -> list[str]:
    return [c for c in df.columns if df[c].dtype == object or pd.api.types.is_string_dtype(df[c])]


def safe_frame(df: pd.DataFrame, money: Iterable[str] = (), decimals: int = 2) -> pd.DataFrame:
    """A copy ready to export: money rounded to ``decimals``, text neutralised against formulas."""
    out = df.copy()
    for col in money:
        if col in out.columns:
            out[col] = pd.to_numeric(out[col], errors="coerce").round(decimals)
    for col in _text_columns(out):
        s = out[col]
        mask = s.notna() & s.astype("string").str.match(r"^[=+\-@\t\r]").fillna(False).astype(bool)
        if mask.any():
            out[col] = s.astype(object).where(~mask, "'" + s.astype("string").astype(object))
    return out


def _atomic_write(path: Path, write) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; outputs are ordinary files
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def write_csv(df: pd.DataFrame, path: str | Path, *, money: Iterable[str] = ()) -> Path:
    """UTF-8-with-BOM CSV, money to 2 decimals, formula-safe text, written atomically."""
    frame = safe_frame(df, money)
    fmt_money = list(money)

    def _write(tmp: Path) -> None:
        out = frame.copy()
        for col in fmt_money:
            if col in out.columns:
                vals = pd.to_numeric(out[col], errors="coerce")
                out[col] = np.where(vals.isna(), "", vals.map(lambda v: f"{v:.2f}"))
        out.to_csv(tmp, index=False, encoding="utf-8-sig", lineterminator="\n")

    return _atomic_write(Path(path), _write)


def write_xlsx(
    sheets: Mapping[str, pd.DataFrame],
    path: str | Path,
    *,
    money: Sequence[str] = (),
    percent: Sequence[str] = (),
    headers: Mapping[str, str] | None = None,
    totals: Mapping[str, Mapping[str, object]] | None = None,
) -> Path:
    """A formatted workbook, one sheet per entry: bold frozen header, widths, 元 and % formats.

    ``headers`` renames columns for people (e.g. to Chinese); ``totals`` adds a bold last row per
    sheet. Text that looks like a formula is stored as text (never evaluated by Excel).
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    headers = dict(headers or {})
    totals = dict(totals or {})

    def _write(tmp: Path) -> None:
        wb = Workbook()
        wb.remove(wb.active)
        for name, df in sheets.items():
            df = df.assign(
                **{
                    c: pd.to_numeric(df[c], errors="coerce").round(2)
                    for c in money
                    if c in df.columns
                }
            )
            ws = wb.create_sheet(title=_sheet_title(name))
            cols = list(df.columns)
            ws.append([headers.get(c, c) for c in cols])
            for cell in ws[1]:
                cell.font = Font(bold=True)
                cell.fill = PatternFill("solid", fgColor="EEF2F7")
                cell.alignment = Alignment(vertical="center")
            rows = df.astype(object).where(df.notna(), None).itertuples(index=False, name=None)
            for r_idx, row in enumerate(rows, start=2):
                for c_idx, value in enumerate(row, start=1):
                    _set(ws.cell(row=r_idx, column=c_idx), value)
            last = ws.max_row
            if name in totals:
                total_row = last + 1
                for c_idx, col in enumerate(cols, start=1):
                    cell = ws.cell(row=total_row, column=c_idx)
                    _set(cell, totals[name].get(col))
                    cell.font = Font(bold=True)
            for c_idx, col in enumerate(cols, start=1):
                letter = get_column_letter(c_idx)
                fmt = "#,##0.00" if col in money else "0.0%" if col in percent else None
                if fmt:
                    for (cell,) in ws.iter_rows(min_row=2, min_col=c_idx, max_col=c_idx):
                        cell.number_format = fmt
                width = max(
                    [len(str(headers.get(col, col))) * 2]
                    + [min(len(str(v)), 60) for v in df[col].head(200)]
                )
                ws.column_dimensions[letter].width = min(max(8, width + 2), 62)
            ws.freeze_panes = "A2"
            ws.auto_filter.ref = ws.dimensions
        wb.save(tmp)

    return _atomic_write(Path(path), _write)


def _set(cell, value: object) -> None:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and np.isnan(value):
        value = None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"  # never a formula, whatever the text starts with
        if value.startswith(FORMULA_PREFIXES):
            cell.quotePrefix = True
        return
    cell.value = value


def _sheet_title(name: str) -> str:
    bad = "[]:*?/\\"
    clean = "".join("_" if ch in bad else ch for ch in str(name))
    return clean[:31] or "Sheet"
