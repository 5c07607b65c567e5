"""Budget execution charts: plan vs actual by category, variance waterfall, cumulative landing,
bullet chart per department.

Each function takes frames from :mod:`analysis.budget` (the variance table, its totals, or
``monthly_variance``) and returns a Figure; words come from ``catalog/<lang>/budget.toml``. Amounts are 元 (axis ticks switch to 万 for large values).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from analysis import budget
from analysis.catalog import words
from analysis.plots.base import COLORS, new_figure, yuan_formatter

#: More categories than this are folded into one "other" bar in the bar and waterfall charts.
MAX_BARS = 14


def _empty(fig: Figure, ax, text: str) -> Figure:
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes)
    ax.set_axis_off()
    return fig


def _category(t, name: object) -> str:
    """A category as shown: the 计划外支出 bucket in the report's language, others as written."""
    return t("unbudgeted_category") if name == budget.UNBUDGETED else str(name)


def _fold(df: pd.DataFrame, key: str, value: str, other: str, n: int = MAX_BARS) -> pd.DataFrame:
    """Keep the ``n − 1`` largest rows by |value|; sum the rest into one ``other`` row."""
    if len(df) <= n:
        return df
    order = df[value].abs().sort_values(ascending=False).index
    keep, rest = df.loc[order[: n - 1]], df.loc[order[n - 1 :]]
    folded = rest.select_dtypes("number").sum().to_frame().T.assign(**{key: other})
    return pd.concat([keep, folded], ignore_index=True)


def _lines_over(data: pd.DataFrame, categories: pd.Series) -> list[bool]:
    """Per category: does any of its lines have an unfavourable status (the table's red rows)?"""
    bad = set(data.loc[data["status"].isin(budget.UNFAVOURABLE), "category"])
    return [c in bad for c in categories]


def _categories(
    table: pd.DataFrame, cfg: Mapping[str, Any] | None, value: str
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Cost lines and their totals per category (the largest by ``value``, the rest folded);
    None for the totals when there is no cost line to chart."""
    data = budget.cost_lines(table, cfg)
    if data.empty:
        return data, None
    return data, _fold(budget.by_category(data, cfg), "category", value, "…")


def plan_vs_actual(
    table: pd.DataFrame, lang: str = "zh", cfg: Mapping[str, Any] | None = None
) -> Figure:
    """Grouped bars per category: plan YTD (grey) and actual YTD (blue; red when over plan by
    the materiality thresholds), execution rate written above each pair."""
    t = words(lang, "budget")
    fig, ax = new_figure(10, 4.8)
    data, cats = _categories(table, cfg, "plan_ytd")
    if cats is None:
        return _empty(fig, ax, t("no_data"))
    cats = cats.reset_index(drop=True)
    x = np.arange(len(cats))
    w = 0.38
    ax.bar(x - w / 2, cats["plan_ytd"], w, color=COLORS["plan"], label=t("legend_plan"))
    over = cats.get("status", pd.Series("", index=cats.index)).isin(budget.UNFAVOURABLE)
    colors = np.where(over, COLORS["over"], COLORS["actual"])
    bars = ax.bar(x + w / 2, cats["actual_ytd"], w, color=colors, label=t("legend_actual"))
    # a category whose total is within the thresholds can still hold a line that is over (the
    # table's red row): its bar gets a red hatch, so chart and table never disagree silently
    lines_over = _lines_over(data, cats["category"])
    for bar, flagged, whole in zip(bars, lines_over, over, strict=True):
        if flagged and not whole:
            bar.set_hatch("///")
            bar.set_edgecolor(COLORS["over"])
    top = np.maximum(cats["plan_ytd"].to_numpy(float), cats["actual_ytd"].to_numpy(float))
    for xi, h, rate in zip(x, top, cats["execution_rate_ytd"], strict=True):
        if pd.notna(rate):
            ax.annotate(f"{rate * 100:.0f}%", (xi, h), ha="center", va="bottom", fontsize=8,
                        xytext=(0, 2), textcoords="offset points")  # fmt: skip
    ax.set_xticks(x, [_category(t, c) for c in cats["category"]], rotation=30 if len(x) > 6 else 0,
                  ha="right" if len(x) > 6 else "center")  # fmt: skip
    ax.yaxis.set_major_formatter(yuan_formatter())
    ax.set_ylabel(t("axis_yuan"))
    ax.set_title(t("chart_bars"))
    handles = [
        Patch(color=COLORS["plan"], label=t("legend_plan")),
        Patch(color=COLORS["actual"], label=t("legend_actual")),
        Patch(color=COLORS["over"], label=f"{t('legend_actual')} ({t('statuses.over')})"),
        Patch(
            facecolor=COLORS["actual"],
            edgecolor=COLORS["over"],
            hatch="///",
            label=t("legend_line_over"),
        ),  # fmt: skip
    ]
    ax.legend(handles=handles, loc="upper right")
    return fig


def variance_waterfall(
    table: pd.DataFrame, lang: str = "zh", cfg: Mapping[str, Any] | None = None
) -> Figure:
    """Waterfall from total plan YTD to total actual YTD, one step per category's variance
    (red up = overspend, green down = underspend)."""
    t = words(lang, "budget")
    fig, ax = new_figure(10, 4.8)
    data, cats = _categories(table, cfg, "variance_ytd")
    if cats is None:
        return _empty(fig, ax, t("no_data"))
    cats = cats[cats["variance_ytd"] != 0].sort_values("variance_ytd", ascending=False)
    start = float(data["plan_ytd"].sum())
    end = float(data["actual_ytd"].sum())
    steps = cats["variance_ytd"].to_numpy(float)
    # (no step at all when every category is on plan: an empty waterfall between two bars)
    bottoms = start + np.concatenate([[0.0], np.cumsum(steps)])[: len(steps)]
    labels = [
        t("bar_plan_total"),
        *[_category(t, c) for c in cats["category"]],
        t("bar_actual_total"),
    ]
    x = np.arange(len(labels))
    ax.bar(x[0], start, 0.6, color=COLORS["plan"])
    ax.bar(x[-1], end, 0.6, color=COLORS["actual"])
    # coloured by the table's rule (status on the year to date with the materiality thresholds),
    # not by the bare sign: a step within the thresholds is grey
    status = cats.get("status", pd.Series("", index=cats.index)).to_numpy()
    colors = [
        COLORS["over"] if st in budget.UNFAVOURABLE else COLORS["under"]
        if st in budget.FAVOURABLE else COLORS["neutral"]
        for st in status
    ]  # fmt: skip
    ax.bar(x[1:-1], steps, 0.6, bottom=bottoms, color=colors)
    ax.legend(handles=[Patch(color=COLORS["over"], label=t("statuses.over")),
                       Patch(color=COLORS["under"], label=t("statuses.under")),
                       Patch(color=COLORS["neutral"], label=t("statuses.on_track"))],
              loc="upper right", fontsize=8)  # fmt: skip
    level = np.concatenate([[start], bottoms + steps])
    for i in range(len(labels) - 1):  # connectors between bars (a dozen lines, not data rows)
        ax.plot([x[i] + 0.3, x[i + 1] - 0.3], [level[i], level[i]], color="#7b8794", lw=0.8)
    for xi, s, b in zip(x[1:-1], steps, bottoms, strict=True):
        ax.annotate(f"{s:+,.0f}", (xi, b + max(s, 0)), ha="center", va="bottom", fontsize=8,
                    xytext=(0, 2), textcoords="offset points")  # fmt: skip
    for xi, v in ((x[0], start), (x[-1], end)):
        ax.annotate(f"{v:,.0f}", (xi, v), ha="center", va="bottom", fontsize=8,
                    xytext=(0, 2), textcoords="offset points")  # fmt: skip
    lo = min(start, end, float(level.min()))
    hi = max(start, end, float(level.max()))
    pad = (hi - lo) * 0.6 if hi > lo else abs(hi) * 0.1 + 1
    ax.set_ylim(max(0.0, lo - pad) if lo >= 0 else lo - pad, hi + pad * 0.4)
    ax.set_xticks(
        x, labels, rotation=30 if len(x) > 6 else 0, ha="right" if len(x) > 6 else "center"
    )
    ax.yaxis.set_major_formatter(yuan_formatter())
    ax.set_ylabel(t("axis_yuan"))
    ax.set_title(t("chart_waterfall"))
    return fig


def cumulative(monthly: pd.DataFrame, lang: str = "zh") -> Figure:
    """Cumulative plan (12 months) and actual (to date) by month, with both landings:
    the plan's own phasing (dashed) and the run rate (dotted); monthly actual as bars."""
    t = words(lang, "budget")
    fig, ax = new_figure(10, 4.8)
    if monthly.empty:
        return _empty(fig, ax, t("no_data"))
    x = np.arange(len(monthly))
    labels = [t("month_tick", m=str(p)[5:7].lstrip("0")) for p in monthly["period"]]
    done = monthly["cum_actual"].notna().to_numpy()
    last = int(np.flatnonzero(done)[-1]) if done.any() else -1
    ax.bar(x, monthly["actual"].fillna(0), 0.5, color=COLORS["actual"], alpha=0.25,
           label=f"{t('legend_actual')} ({t('month')})")  # fmt: skip
    ax.plot(x, monthly["cum_plan"], color=COLORS["plan"], lw=2, marker="o", ms=3,
            label=t("legend_plan"))  # fmt: skip
    ax.plot(x[done], monthly["cum_actual"][done], color=COLORS["actual"], lw=2.2, marker="o", ms=4,
            label=t("legend_actual"))  # fmt: skip
    if 0 <= last < len(x) - 1:
        tail = slice(last, None)
        ax.plot(x[tail], monthly["cum_forecast"].to_numpy()[tail], color=COLORS["forecast"], lw=1.8,
                ls="--", label=t("legend_forecast"))  # fmt: skip
        ax.plot(x[tail], monthly["cum_run_rate"].to_numpy()[tail], color=COLORS["revised"], lw=1.5,
                ls=":", label=t("legend_run_rate"))  # fmt: skip
        ax.axvline(last + 0.5, color="#bcccdc", lw=1)
        ends = {s: float(monthly[s].iloc[-1]) for s in ("cum_forecast", "cum_run_rate")}
        higher = max(ends, key=ends.get)
        for series, color in (
            ("cum_forecast", COLORS["forecast"]),
            ("cum_run_rate", COLORS["revised"]),
        ):
            ax.annotate(f"{ends[series]:,.0f}", (x[-1], ends[series]), textcoords="offset points",
                        xytext=(4, 7 if series == higher else -7), va="center", fontsize=8,
                        color=color)  # fmt: skip
    ax.set_xticks(x, labels)
    ax.yaxis.set_major_formatter(yuan_formatter())
    ax.set_ylabel(t("axis_yuan"))
    ax.set_title(t("chart_cumulative"))
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left", fontsize=8)
    return fig


def bullet(departments: pd.DataFrame, lang: str = "zh") -> Figure:
    """One bullet per department (from ``budget.totals(table, "department", cfg)``), each on its
    own 元 scale: the full-year plan as the pale band, plan YTD as the mid band, actual YTD as
    the thin bar (red over / green under / blue on track), the full-year landing as a tick."""
    t = words(lang, "budget")
    n = max(1, len(departments))
    fig, axes = new_figure(10, 0.9 + 1.0 * n, nrows=n, ncols=1, squeeze=False)
    axes = axes[:, 0]
    if departments.empty:
        return _empty(fig, axes[0], t("no_data"))
    d = departments.reset_index(drop=True)
    status = d.get("status", pd.Series("", index=d.index))
    for k, rec in d.iterrows():  # one axis per department (a handful), not per data row
        ax = axes[k]
        unfav, fav = status[k] in budget.UNFAVOURABLE, status[k] in budget.FAVOURABLE
        color = COLORS["over"] if unfav else COLORS["under"] if fav else COLORS["actual"]
        ax.barh(0, rec["plan_full_year"], 0.8, color="#e4e7eb", label=t("legend_full_year"))
        ax.barh(0, rec["plan_ytd"], 0.8, color=COLORS["plan"], label=t("bar_plan_total"))
        ax.barh(0, rec["actual_ytd"], 0.3, color=color, label=t("bar_actual_total"))
        ax.plot([rec["forecast_full_year"]] * 2, [-0.4, 0.4], color="#1f2d3d", lw=2.5,
                label=t("legend_forecast"))  # fmt: skip
        rate = rec["execution_rate_ytd"]
        text = f"{rec['actual_ytd']:,.0f}" + (f" ({rate * 100:.0f}%)" if pd.notna(rate) else "")
        ax.set_title(f"{rec['department'] or '—'}  ·  {text}", loc="left", fontsize=10)
        top = max(float(rec["plan_full_year"]), float(rec["forecast_full_year"]),
                  float(rec["actual_ytd"]), 1.0)  # fmt: skip
        ax.set_xlim(0, top * 1.05)
        ax.set_ylim(-0.6, 0.6)
        ax.set_yticks([])
        ax.grid(axis="y", visible=False)
        ax.xaxis.set_major_formatter(yuan_formatter())
    axes[-1].set_xlabel(t("axis_yuan"))
    fig.suptitle(t("chart_bullet"))
    handles, labels = axes[0].get_legend_handles_labels()
    # the actual bar's legend entry in the three status colours (the first department's colour
    # alone would say its status is everyone's)
    actual = labels.index(t("bar_actual_total"))
    handles[actual : actual + 1] = [
        Patch(color=COLORS["over"], label=f"{t('bar_actual_total')} ({t('statuses.over')})"),
        Patch(color=COLORS["under"], label=f"{t('bar_actual_total')} ({t('statuses.under')})"),
        Patch(color=COLORS["actual"], label=f"{t('bar_actual_total')} ({t('statuses.on_track')})"),
    ]
    labels[actual : actual + 1] = [h.get_label() for h in handles[actual : actual + 3]]
    fig.legend(handles, labels, loc="outside lower center", ncols=3, fontsize=8)
    return fig
