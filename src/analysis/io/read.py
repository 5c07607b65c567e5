"""``read_grids``: one input file → its sheets as text grids, by the engine its content needs."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from analysis.io.errors import InputError
from analysis.io.excel import read_excel_grids
from analysis.io.grid import SUPPORTED_SUFFIXES, Grid
from analysis.io.html import read_html_grid
from analysis.io.sniff import (
    _EXPECTED,
    _WORKBOOK_KINDS,
    CONTENT_LABELS,
    check_limits,
    os_input_error,
    sniff,
)
from analysis.io.text import read_csv_grid


def read_grids(
    path: Path, rel: str, sheets: list[str] | None = None, limits: Mapping[str, Any] | None = None
) -> list[Grid]:
    """All wanted sheets of one input file as text grids (limits checked first).

    The content decides how the file is read (see :func:`sniff`); when it differs from what the
    extension promises, the first grid carries a ``content_differs`` note.
    """
    limits = limits or {}
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise InputError(
            f"不支持的文件类型 {suffix}(支持 .xlsx .xlsm .xls .ods .csv)",
            f"unsupported file type {suffix} (.xlsx .xlsm .xls .ods .csv are supported)",
            file=rel,
        )
    if path.is_dir():
        raise InputError(
            "这是一个文件夹,不是文件;请把其中的表格文件直接放在数据文件夹中",
            "this is a folder, not a file; put the spreadsheet files themselves in the data folder",
            file=rel,
        )
    if not path.exists():
        raise InputError("文件不存在", "file not found", file=rel)
    content = sniff(path, rel)
    try:
        check_limits(path, rel, limits, content)
    except OSError as exc:
        raise os_input_error(rel, exc) from None
    if content in _WORKBOOK_KINDS:
        grids = read_excel_grids(path, rel, sheets, limits, content)
    elif content == "html":
        grids = [read_html_grid(path, rel, limits)]
    else:
        grids = [read_csv_grid(path, rel, limits)]
    expected = _EXPECTED[suffix]
    if content != expected and grids:
        grids[0].notes.insert(
            0, {"code": "content_differs", "value": f"{suffix} → {CONTENT_LABELS[content][1]}"}
        )
    return grids
