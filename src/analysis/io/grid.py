"""A sheet as a grid of text cells, indexed by the row numbers Excel shows.

Why: every engine (calamine, the CSV reader, the HTML reader) hands over the same shape, so the
header finding and every message after it can point at file, sheet, row and column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}


CSV_SUFFIXES = {".csv", ".txt", ".tsv"}


SUPPORTED_SUFFIXES = EXCEL_SUFFIXES | CSV_SUFFIXES


@dataclass
class Grid:
    """One sheet's cells as text: columns 0..n-1, index = Excel row number (1-based)."""

    file: str
    sheet: str
    cells: pd.DataFrame
    letters: list[str]
    hidden: bool = False
    notes: list[dict[str, Any]] = field(default_factory=list)
    #: (row, column letter) of cells formatted as a percentage (xlsx only; see io.formats).
    percent: set[tuple[int, str]] = field(default_factory=set)


def col_letter(idx: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    out = ""
    idx += 1
    while idx:
        idx, rem = divmod(idx - 1, 26)
        out = chr(65 + rem) + out
    return out


def _letters_to_idx(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1
