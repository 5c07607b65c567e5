"""Staffing charts: agents needed by interval, roster against need, seed method against Erlang C.

Each function takes the frames from :mod:`analysis.staffing` (codes, not words) and returns a
Figure; its words come from ``catalog/<lang>/staffing.toml`` in the report's language.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis.plots.base import COLORS, new_figure
from analysis.views.words import words

#: Seven clearly different colours, one per weekday.
DAY_COLORS = ["#2f6fb3", "#e67e22", "#27ae60", "#c0392b", "#8e44ad", "#7f8c8d", "#f1c40f"]

#: More days than this are drawn as the mean and the busiest value per interval, not one line each.
MAX_DAY_LINES = 7


def required_by_interval(
    plan: pd.DataFrame,
    lang: str = "zh",
    column: str = "agents",
    reference: float | None = None,
    reference_label: str = "",
) -> Figure:
    """Agents needed per interval (one line per day, or mean and max over many days).

    ``column`` is "agents" (on the phones, i.e. seats in use) or "agents_after_shrinkage".
    ``reference`` draws a dashed level, e.g. the seats the seed method gives.
    """
    t = words(lang, "staffing")
    fig, ax = new_figure(10, 4.5)
    if plan.empty:
        ax.text(0.5, 0.5, t("none"), ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    wide = plan.pivot_table(
        index="interval", columns="day", values=column, aggfunc="sum", sort=True
    )
    wide = wide[[d for d in dict.fromkeys(plan["day"]) if d in wide.columns]]
    x = np.arange(len(wide.index))
    if wide.shape[1] <= MAX_DAY_LINES:
        for k, day in enumerate(wide.columns):
            ax.plot(x, wide[day].to_numpy(), marker="o", ms=3, lw=1.6,
                    color=DAY_COLORS[k % len(DAY_COLORS)], label=str(day))  # fmt: skip
    else:
        lo, hi, mean = wide.min(axis=1), wide.max(axis=1), wide.mean(axis=1)
        ax.fill_between(x, lo.to_numpy(), hi.to_numpy(), color=COLORS["plan"], alpha=0.35,
                        label=t("range_days", n=wide.shape[1]))  # fmt: skip
        ax.plot(
            x,
            mean.to_numpy(),
            color=COLORS["actual"],
            lw=2,
            label=t("mean"),
        )
    if reference is not None:
        ax.axhline(reference, color=COLORS["forecast"], ls="--", lw=1.2, label=reference_label)
    step = max(1, len(x) // 14)
    ax.set_xticks(x[::step], [str(i) for i in wide.index[::step]], rotation=0)
    ax.set_xlabel(t("interval"))
    ax.set_ylabel(t(column))
    ax.set_title(t("chart_required"))
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncols=8, fontsize=8)
    return fig


def _grouped(ax, labels: list[str], series: dict[str, list[float]], colors: list[str]) -> None:
    x = np.arange(len(labels))
    width = 0.8 / max(1, len(series))
    for k, (name, values) in enumerate(series.items()):
        bars = ax.bar(
            x + (k - (len(series) - 1) / 2) * width, values, width, label=name, color=colors[k]
        )
        ax.bar_label(bars, fmt="%.0f", fontsize=8, padding=2)
    ax.set_xticks(x, labels)
    ax.set_xlim(-1, len(labels))
    ax.margins(y=0.12)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncols=len(series))


def roster_gap_chart(gap: pd.DataFrame, lang: str = "zh") -> Figure:
    """Roster agents against people needed, per role and in total (frame of ``roster_gap``)."""
    t = words(lang, "staffing")
    fig, ax = new_figure(7, 4)
    _grouped(
        ax,
        [t(str(r)) for r in gap["role"]],
        {
            t("available"): gap["roster_agents"].tolist(),
            t("required"): gap["needed_people"].tolist(),
        },
        [COLORS["actual"], COLORS["plan"]],
    )
    ax.set_ylabel(t("people"))
    ax.set_title(t("chart_gap"))
    return fig


def method_comparison_chart(comp: pd.DataFrame, lang: str = "zh") -> Figure:
    """Seats and people by the seed method and by Erlang C (frame of ``method_comparison``)."""
    t = words(lang, "staffing")
    rows = comp.set_index("metric").loc[["seats", "people"]]
    fig, ax = new_figure(7, 4)
    _grouped(
        ax,
        [t(m) for m in rows.index],
        {
            t("seed"): rows["seed"].astype(float).tolist(),
            t("erlang_c"): rows["erlang_c"].astype(float).tolist(),
        },
        [COLORS["plan"], COLORS["actual"]],
    )
    ax.set_title(f"{t('seed')} / {t('erlang_c')}")
    return fig
