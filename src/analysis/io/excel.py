"""The workbook engine: .xlsx/.xlsm/.xls/.xlsb/.ods through calamine (fastexcel, into Arrow)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.io.errors import InputError
from analysis.io.formats import percent_cells
from analysis.io.grid import Grid, col_letter
from analysis.io.sniff import (
    _EXPECTED,
    _WORKBOOK_KINDS,
    CONTENT_LABELS,
    os_input_error,
    password_error,
    sniff,
    too_many_cells,
)


def sheet_names(path: Path, rel: str) -> list[tuple[str, bool]]:
    """(name, visible) of every sheet; CSV text and HTML tables have one sheet named ""."""
    content = sniff(path, rel)
    if content not in _WORKBOOK_KINDS:
        return [("", True)]
    import fastexcel

    try:
        reader = fastexcel.read_excel(_excel_source(path, content))
    except Exception as exc:  # calamine raises its own error types
        raise _unreadable(rel, exc, content) from exc
    return [(n, True) for n in reader.sheet_names]


def _excel_source(path: Path, content: str) -> str | bytes:
    """calamine picks its reader by extension for a path and by content for bytes: a workbook
    whose extension lies is handed over as bytes."""
    if _EXPECTED.get(path.suffix.lower()) == content:
        return str(path)
    return path.read_bytes()


def _unreadable(rel: str, exc: Exception, content: str = "") -> InputError:
    """A workbook calamine could not open or parse, in one paragraph (never its multi-line
    context): encrypted workbooks as such, the rest as damaged, with the first line of the
    library's reason for whoever maintains the workbook."""
    detail = " ".join(str(exc).splitlines()[0].split())[:200] if str(exc) else type(exc).__name__
    low = str(exc).lower()
    if "password" in low or "encrypt" in low or "filepass" in low:
        return password_error(rel)
    label_zh, label_en = CONTENT_LABELS.get(content, ("工作簿", "workbook"))
    return InputError(
        f"文件内容是{label_zh},但无法解析(已损坏或不完整;{detail});请用 Excel/WPS 打开后另存为 .xlsx 再放入数据文件夹",
        f"the file is {'an' if label_en[0] in 'aeiouxAEIOUX' else 'a'} {label_en} but cannot be "
        f"parsed (damaged or incomplete: {detail}); open it in Excel/WPS, save it as .xlsx and "
        "put that copy in the data folder",
        file=rel,
    )


def read_excel_grids(
    path: Path,
    rel: str,
    sheets: list[str] | None,
    limits: Mapping[str, Any],
    content: str | None = None,
) -> list[Grid]:
    """Every wanted sheet of a workbook as a text grid (fastexcel: calamine into Arrow)."""
    import fastexcel

    content = content or _EXPECTED.get(path.suffix.lower(), "xlsx")
    try:
        reader = fastexcel.read_excel(_excel_source(path, content))
        names = reader.sheet_names
    except OSError as exc:
        raise os_input_error(rel, exc) from None
    except Exception as exc:
        raise _unreadable(rel, exc, content) from exc
    wanted = names if not sheets else [n for n in names if n in sheets]
    max_cells = int(limits.get("max_cells", 50_000_000))
    grids = []
    for name in wanted:
        try:
            sheet = reader.load_sheet(
                name, header_row=None, skip_rows=0, dtypes="string", whitespace_as_null=True
            )
        except Exception as exc:
            msg = str(exc).lower()
            if "empty" in msg or "no data" in msg or "not found" in msg:
                grids.append(Grid(rel, name, pd.DataFrame(), []))
                continue
            err = _unreadable(rel, exc, content)
            raise InputError(err.zh, err.en, file=rel, sheet=name) from exc
        if sheet.total_height * max(sheet.width, 1) > max_cells:
            err = too_many_cells(
                rel, "工作表", "sheet", sheet.total_height * sheet.width, max_cells
            )
            raise InputError(err.zh, err.en, file=rel, sheet=name)
        cols = sheet.available_columns()
        batch = sheet.to_arrow()
        df = batch.to_pandas()
        df.columns = range(df.shape[1])
        df.index = pd.RangeIndex(1, len(df) + 1)
        letters = [col_letter(c.absolute_index) for c in cols]
        # fastexcel says "visible", "hidden" or "veryhidden".
        visible = str(getattr(sheet, "visible", "visible")).lower()
        grid = Grid(rel, name, df, letters, hidden=visible not in ("visible", "true"))
        grid.percent = percent_cells(path, name)
        grids.append(grid)
    return grids
