"""Service-quality charts: KPIs by month against their targets, the intraday profile, complaints.

Each function takes frames of codes from :mod:`analysis.service.kpis` (and the view) and returns a
Figure; words come from ``catalog/<lang>/service.toml``. One colour per series in every chart
(the KPI colours below; a target is the same colour, dashed), units in every title and axis.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis.plots.base import COLORS, PALETTE, new_figure, pct_formatter
from analysis.views.words import words

#: One colour per KPI, the same in every service chart.
KPI_COLORS = {
    "answer_rate": PALETTE[0],
    "service_level": PALETTE[4],
    "csat": PALETTE[5],
    "fcr": PALETTE[7],
    "asa_s": PALETTE[0],
    "aht_s": PALETTE[5],
}
RATE_KPIS = ("answer_rate", "service_level", "csat", "fcr")


def _empty(ax, text: str) -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes)
    ax.set_axis_off()


def _chart(lang: str, width: float, height: float) -> tuple[Any, Figure, Any]:
    """The page's words and a new figure for one chart."""
    fig, ax = new_figure(width, height)
    return words(lang, "service"), fig, ax


def _nothing(frame: pd.DataFrame, ax: Any, t: Any) -> bool:
    """True (and the axes say so) when there is nothing to draw."""
    if frame.empty:
        _empty(ax, t("none"))
    return frame.empty


def _per_day(ax: Any, dates: pd.Series, t: Any, title: str) -> None:
    """Day-of-month ticks, calls on the y axis with thousands separators, axis words, title."""
    x = np.arange(len(dates))
    ax.set_xticks(x, [f"{d:%d}" for d in dates], fontsize=8)
    ax.yaxis.set_major_formatter(lambda v, _p: f"{v:,.0f}")
    ax.set_xlabel(t("date"))
    ax.set_ylabel(t("axis_calls"))
    ax.set_title(title)


def trend_rates(trend: pd.DataFrame, targets: Mapping[str, float], lang: str = "zh") -> Figure:
    """接通率, service level, 满意度 and FCR per month (solid, one colour each) with their targets
    (grey dashed lines, each named at its right end: two KPIs may share one target level)."""
    t, fig, ax = _chart(lang, 9, 4.2)
    if _nothing(trend, ax, t):
        return fig
    x = np.arange(len(trend))
    for kpi in RATE_KPIS:
        values = pd.to_numeric(trend[kpi], errors="coerce").to_numpy(dtype=float)
        color = KPI_COLORS[kpi]
        ax.plot(x, values, marker="o", lw=2, color=color, label=t(kpi))
    levels: dict[float, list[str]] = {}
    for kpi in RATE_KPIS:
        if kpi in targets:
            levels.setdefault(float(targets[kpi]), []).append(t(kpi))
    for level, names in levels.items():  # one grey dashed line per target, named at its end
        ax.axhline(level, color=COLORS["neutral"], ls="--", lw=1, alpha=0.8)
        ax.annotate(t("target_of", names=t("list_sep").join(names), target=f"{level:.0%}"),
                    (1.0, level), xycoords=("axes fraction", "data"), xytext=(4, 0),
                    textcoords="offset points", va="center", fontsize=8, color=COLORS["neutral"])  # fmt: skip
    ax.set_xticks(x, [str(p) for p in trend["period"]])
    ax.yaxis.set_major_formatter(pct_formatter())
    ax.set_ylabel(t("axis_rate"))
    ax.set_title(t("chart_trend_rates"))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncols=4, fontsize=9)
    return fig


def trend_volume(trend: pd.DataFrame, lang: str = "zh") -> Figure:
    """Calls offered and answered per month (grouped bars, labelled)."""
    t, fig, ax = _chart(lang, 9, 3.8)
    if _nothing(trend, ax, t):
        return fig
    x = np.arange(len(trend))
    width = 0.38
    for k, (col, color) in enumerate((("offered", COLORS["plan"]), ("answered", COLORS["actual"]))):
        bars = ax.bar(x + (k - 0.5) * width, trend[col].astype(float), width, color=color,
                      label=t(col))  # fmt: skip
        ax.bar_label(bars, labels=[f"{v:,.0f}" for v in trend[col]], fontsize=8, padding=2)
    ax.set_xticks(x, [str(p) for p in trend["period"]])
    ax.yaxis.set_major_formatter(lambda v, _p: f"{v:,.0f}")
    ax.margins(y=0.12)
    ax.set_ylabel(t("axis_calls"))
    ax.set_title(t("chart_trend_volume"))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncols=2)
    return fig


def intraday(
    profile: pd.DataFrame,
    lang: str = "zh",
    *,
    answering_only: bool = False,
    required_methods: Sequence[str] = ("erlang_c",),
) -> Figure:
    """Mean calls offered (and answered) per interval; agents required and logged in on a second
    axis when the profile has them (``required_agents``, ``agents_logged_in``; with
    ``answering_only`` the latter is labelled as the agents answering, a lower bound)."""
    t, fig, ax = _chart(lang, 10, 4.4)
    if _nothing(profile, ax, t):
        return fig
    x = np.arange(len(profile))
    ax.bar(x, profile["mean_offered"], 0.8, color=COLORS["plan"], label=t("mean_offered"))
    ax.plot(x, profile["mean_answered"], color=COLORS["actual"], lw=2, label=t("mean_answered"))
    ax.set_ylabel(t("axis_calls"))
    handles, labels = ax.get_legend_handles_labels()
    agents = [c for c in ("required_agents", "agents_logged_in") if c in profile]
    agents = [c for c in agents if profile[c].notna().any()]
    if agents:
        ax2 = ax.twinx()
        styles = {
            "required_agents": (COLORS["over"], "--"),
            "agents_logged_in": (COLORS["under"], "-"),
        }
        for col in agents:
            color, ls = styles[col]
            label = t("agents_answering" if answering_only and col == "agents_logged_in" else col)
            if col == "required_agents":
                label = t("required_by", methods=" / ".join(t(m) for m in required_methods))
            ax2.plot(x, profile[col], color=color, ls=ls, lw=1.8, label=label)
        ax2.set_ylabel(t("axis_agents"))
        ax2.set_ylim(bottom=0)
        ax2.grid(False)
        ax2.spines["right"].set_visible(True)
        h2, l2 = ax2.get_legend_handles_labels()
        handles, labels = handles + h2, labels + l2
    step = max(1, len(x) // 14)
    ax.set_xticks(x[::step], [str(i) for i in profile["interval_start"].iloc[::step]])
    ax.set_xlabel(t("axis_interval"))
    ax.set_title(t("chart_intraday"))
    ax.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncols=4,
              fontsize=9)  # fmt: skip
    return fig


def complaint_bars(counts: pd.DataFrame, label_col: str, title: str, lang: str = "zh") -> Figure:
    """Complaints per type or channel (horizontal bars, largest on top, counts labelled)."""
    t, fig, ax = _chart(lang, 6, max(2.2, 0.45 * len(counts) + 1.2))
    if _nothing(counts, ax, t):
        return fig
    df = counts.sort_values("received", kind="stable")
    bars = ax.barh(df[label_col].astype(str), df["received"], color=COLORS["actual"])
    ax.bar_label(bars, fmt="%d", padding=3, fontsize=9)
    ax.xaxis.set_major_locator(_int_locator())
    ax.margins(x=0.15)
    ax.set_xlabel(t("axis_complaints"))
    ax.set_title(title)
    return fig


def weekly_complaints(weekly: pd.DataFrame, labels: Sequence[str], lang: str = "zh") -> Figure:
    """Complaints received per week, the part closed within 3 days darker."""
    t, fig, ax = _chart(lang, 8, 3.6)
    if _nothing(weekly, ax, t):
        return fig
    x = np.arange(len(weekly))
    ax.bar(x, weekly["received"], 0.6, color=COLORS["plan"], label=t("complaints"))
    ax.bar(x, weekly["closed_in_3d"], 0.6, color=COLORS["actual"], label=t("closed_3d"))
    for xi, n in zip(x, weekly["received"], strict=True):
        ax.text(xi, n, f"{int(n)}", ha="center", va="bottom", fontsize=9)
    ax.set_xticks(x, list(labels), fontsize=8)
    ax.yaxis.set_major_locator(_int_locator())
    ax.margins(y=0.15)
    ax.set_ylabel(t("axis_complaints"))
    ax.set_title(t("chart_weekly"))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncols=2)
    return fig


def _int_locator():
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(integer=True)


def forecast_daily(daily: pd.DataFrame, month: str, lang: str = "zh") -> Figure:
    """Calls forecast per day of next month (bars; weekend days lighter), each bar labelled."""
    t, fig, ax = _chart(lang, 10, 3.8)
    if _nothing(daily, ax, t):
        return fig
    x = np.arange(len(daily))
    weekend = daily["weekday"].to_numpy() >= 5
    colors = [COLORS["plan"] if w else COLORS["forecast"] for w in weekend]
    bars = ax.bar(x, daily["forecast"].astype(float), 0.75, color=colors)
    ax.bar_label(bars, labels=[f"{v:,.0f}" for v in daily["forecast"]], fontsize=7, padding=2)
    ax.margins(y=0.12)
    _per_day(ax, daily["date"], t, t("chart_fc_daily", month=month))
    from matplotlib.patches import Patch

    handles = [Patch(color=COLORS["forecast"], label=t("day_weekday"))]
    if weekend.any():
        handles.append(Patch(color=COLORS["plan"], label=t("day_weekend")))
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncols=2)
    return fig


def forecast_profile(profile: pd.DataFrame, month: str, lang: str = "zh") -> Figure:
    """Mean forecast calls per interval for weekdays and weekend days (solid), agents required
    on a second axis (dashed, the same colour per day type)."""
    t, fig, ax = _chart(lang, 10, 4.2)
    if _nothing(profile, ax, t):
        return fig
    slots = sorted(profile["interval_start"].unique())
    x = np.arange(len(slots))
    ax2 = ax.twinx()
    styles = {"weekday": COLORS["forecast"], "weekend": PALETTE[5]}
    for kind, color in styles.items():
        part = profile[profile["day_type"] == kind].set_index("interval_start").reindex(slots)
        if part["forecast"].isna().all():
            continue
        ax.plot(x, part["forecast"].fillna(0.0), color=color, lw=2, label=t(f"day_{kind}"))
        ax2.plot(x, part["required_agents"].fillna(0.0), color=color, lw=1.5, ls="--",
                 label=t("fc_agents_of", day=t(f"day_{kind}")))  # fmt: skip
    ax.set_ylabel(t("axis_calls"))
    ax.set_ylim(bottom=0)
    ax2.set_ylabel(t("axis_agents"))
    ax2.set_ylim(bottom=0)
    ax2.grid(False)
    ax2.spines["right"].set_visible(True)
    step = max(1, len(x) // 14)
    ax.set_xticks(x[::step], [str(s) for s in slots[::step]])
    ax.set_xlabel(t("axis_interval"))
    ax.set_title(t("chart_fc_profile", month=month))
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    ax.legend(h1 + h2, l1 + l2, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncols=2,
              fontsize=9)  # fmt: skip
    return fig


def backtest_daily(by_day: pd.DataFrame, month: str, lang: str = "zh") -> Figure:
    """Calls offered per day of the report month (bars) against the baseline's forecast (line)."""
    t, fig, ax = _chart(lang, 10, 3.8)
    if _nothing(by_day, ax, t):
        return fig
    x = np.arange(len(by_day))
    ax.bar(x, by_day["actual"].astype(float), 0.75, color=COLORS["actual"], label=t("actual"))
    ax.plot(x, by_day["forecast"].astype(float), color=COLORS["forecast"], lw=2, marker="o",
            ms=3, label=t("forecast"))  # fmt: skip
    _per_day(ax, by_day["date"], t, t("chart_backtest", month=month))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncols=2)
    return fig
