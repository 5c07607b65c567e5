"""Overview charts: how many rows each table has per month (gaps show at a glance)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis.plots.base import PALETTE, new_figure


def coverage_chart(per_month: pd.DataFrame, labels: dict[str, str]) -> Figure:
    """Grouped bars: rows per month (x) for each table (colour). ``labels`` names tables and axes."""
    fig, ax = new_figure(10, 4)
    if per_month.empty:
        ax.text(0.5, 0.5, "—", ha="center", va="center", transform=ax.transAxes)
        ax.set_title(labels.get("cov_title", ""))
        return fig
    n = len(per_month.columns)
    x = np.arange(len(per_month.index))
    width = 0.8 / n
    for i, col in enumerate(per_month.columns):
        ax.bar(
            x + (i - (n - 1) / 2) * width,
            per_month[col].to_numpy(),
            width,
            label=labels.get(col, col),
            color=PALETTE[i % len(PALETTE)],
        )
    ax.set_xticks(x, [str(p) for p in per_month.index], rotation=45, ha="right")
    ax.set_yscale("log")
    ax.set_title(labels.get("cov_title", ""))
    ax.set_ylabel(labels.get("cov_y", ""))
    ax.set_xlabel(labels.get("cov_x", ""))
    ax.legend(ncols=min(n, 4), loc="upper left")
    return fig
