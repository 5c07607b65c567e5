"""A table a view hands to its notebook: the frame, its columns in words, and how rows are toned.

Why: the notebook then shows it with one call (``view.daily.show()``) and holds no column maps or
formatting lambdas; tests read ``frame`` and ``columns`` directly.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from analysis import report
from analysis.report import Col


@dataclass(frozen=True)
class Table:
    """``frame`` shown with ``columns`` (column → label or :class:`Col`), in that order."""

    frame: pd.DataFrame
    columns: Mapping[str, Col | str] = field(default_factory=dict)
    row_tone: Callable[[Mapping[str, Any]], str | None] | None = None
    max_rows: int | None = None
    empty: str = "—"

    def show(self) -> None:
        """Display the table in the report (returns None, so a cell ending here echoes nothing)."""
        self._render(show=True)

    def html(self) -> str:
        """The table's HTML (for tests and for pages assembled outside a notebook)."""
        return self._render(show=False) or ""

    def _render(self, *, show: bool) -> str | None:
        return report.table(
            self.frame,
            dict(self.columns) or None,
            row_tone=self.row_tone,
            max_rows=self.max_rows,
            empty=self.empty,
            show=show,
        )
