"""Scorecard charts for the monthly bulletin: ranking, teams, distribution, trends, deductions.

Why: a manager scans a bar chart faster than a 30-row table; the colours repeat the bulletin's
lists (red line, improvement plan, first place) so the chart and the tables tell one story.
Each function takes the tidy frames of :mod:`analysis.scorecard` and returns a Figure.
"""

from __future__ import annotations

import math

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from analysis.catalog import labels, words
from analysis.plots.base import COLORS, PALETTE, new_figure
from analysis.scorecard import has_flag


def _t(lang: str):
    return words(lang, "scorecard")


def _item_label(item: str, lang: str, t) -> str:
    """A deduction item's name (迟交报告, 回访 D …); item codes (A7, B12) are their own name."""
    key = f"p_item_{item}"
    return t(key) if key in labels("scorecard", lang) else item


def _empty(fig: Figure, ax, t) -> Figure:
    ax.text(0.5, 0.5, t("p_no_data"), ha="center", va="center", transform=ax.transAxes)
    ax.set_axis_off()
    return fig


def _agent_label(df: pd.DataFrame) -> pd.Series:
    return df["name"].fillna("").astype("str") + " (" + df["agent_id"].astype("str") + ")"


def ranking(table: pd.DataFrame, role: str, period: str, *, lang: str = "zh") -> Figure:
    """Horizontal bars of each agent's total for one role and month, best at the top, pay at the
    bar end; first place, the bottom N and red-line cases coloured."""
    t = _t(lang)
    df = table[(table["period"] == period) & (table["role"] == role)].sort_values(
        ["rank", "agent_id"], ascending=[False, False]
    )
    fig, ax = new_figure(9.0, max(2.5, 0.32 * len(df) + 1.2))
    if df.empty:
        return _empty(fig, ax, t)
    red = has_flag(df, "red_line").to_numpy()
    bottom = has_flag(df, "bottom_n").to_numpy()
    first = (df["rank"] == 1).to_numpy()
    colors = np.where(
        red,
        COLORS["over"],
        np.where(bottom, COLORS["accent"], np.where(first, COLORS["under"], COLORS["actual"])),
    )
    y = np.arange(len(df))
    ax.barh(y, df["total"], color=colors)
    ax.set_yticks(y, (df["rank"].astype(str) + ". " + _agent_label(df)).tolist())
    right = max(float(df["total"].max()), 100.0)
    for yi, total, pay in zip(y, df["total"], df["pay"], strict=True):
        ax.text(total + right * 0.01, yi, f"{total:.1f} · {pay:,.2f}", va="center", fontsize=8)
    ax.set_xlim(0, right * 1.22)
    ax.set_xlabel(t("p_total"))
    ax.grid(axis="y", visible=False)
    ax.set_title(t("p_ranking", role=t(f"role_{role}"), period=period))
    ax.legend(
        handles=[
            Patch(color=COLORS["under"], label=t("p_first")),
            Patch(color=COLORS["accent"], label=t("p_bottom")),
            Patch(color=COLORS["over"], label=t("p_red")),
            Patch(color=COLORS["actual"], label=t("p_other")),
        ],
        loc="lower right",
        fontsize=8,
    )
    return fig


def team_comparison(table: pd.DataFrame, period: str, *, lang: str = "zh") -> Figure:
    """Box plot of totals per team (grouped by role) for one month, with each agent as a dot."""
    t = _t(lang)
    df = table[table["period"] == period].assign(team=lambda d: d["team"].fillna("—").astype("str"))
    fig, ax = new_figure(9.0, 4.5)
    if df.empty:
        return _empty(fig, ax, t)
    groups = df.groupby(["role", "team"], sort=True)["total"]
    keys = list(groups.groups)
    data = [groups.get_group(k).to_numpy() for k in keys]
    roles = sorted({k[0] for k in keys})
    colour = {r: PALETTE[i % len(PALETTE)] for i, r in enumerate(roles)}
    box = ax.boxplot(data, patch_artist=True, widths=0.55, showfliers=False)
    for patch, key in zip(box["boxes"], keys, strict=True):
        patch.set_facecolor(colour[key[0]])
        patch.set_alpha(0.35)
    rng = np.random.default_rng(0)
    for i, values in enumerate(data, start=1):
        ax.scatter(
            i + rng.uniform(-0.12, 0.12, len(values)), values, s=12, color="#1f2d3d", zorder=3
        )
    ax.set_xticks(range(1, len(keys) + 1), [k[1] for k in keys], rotation=20)
    ax.set_ylabel(t("p_total"))
    ax.set_title(t("p_teams", period=period))
    ax.legend(
        handles=[Patch(color=colour[r], alpha=0.35, label=t(f"role_{r}")) for r in roles],
        fontsize=8,
    )
    return fig


def distribution(table: pd.DataFrame, period: str, *, lang: str = "zh") -> Figure:
    """Histogram of totals per role for one month (5-point bins)."""
    t = _t(lang)
    df = table[table["period"] == period]
    fig, ax = new_figure(9.0, 4.0)
    if df.empty:
        return _empty(fig, ax, t)
    hi = max(100.0, math.ceil(float(df["total"].max()) / 5) * 5)
    lo = min(0.0, math.floor(float(df["total"].min()) / 5) * 5)
    bins = np.arange(lo, hi + 5, 5)
    roles = [r for r in ("presales", "aftersales") if (df["role"] == r).any()]
    ax.hist(
        [df.loc[df["role"] == r, "total"] for r in roles],
        bins=bins,
        label=[t(f"role_{r}") for r in roles],
        color=PALETTE[: len(roles)],
        alpha=0.85,
    )
    ax.set_xlabel(t("p_total"))
    ax.set_ylabel(t("p_agents"))
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_title(t("p_distribution", period=period))
    ax.legend(fontsize=8)
    return fig


def trends(
    table: pd.DataFrame, *, role: str | None = None, lang: str = "zh", ncols: int = 6
) -> Figure:
    """Small multiples: one panel per agent with the total by month against the role median."""
    t = _t(lang)
    df = table if role is None else table[table["role"] == role]
    periods = sorted(df["period"].unique())
    agents = df.drop_duplicates(["role", "agent_id"]).sort_values(["role", "agent_id"])
    n = len(agents)
    ncols = max(1, min(ncols, n))
    nrows = max(1, math.ceil(n / ncols))
    fig, axes = new_figure(
        2.0 * ncols + 1, 1.6 * nrows + 0.8, nrows=nrows, ncols=ncols, squeeze=False, sharey=True
    )
    axes_flat = axes.ravel()
    if n == 0:
        return _empty(fig, axes_flat[0], t)
    wide = df.pivot_table(
        index=["role", "agent_id"], columns="period", values="total", aggfunc="first"
    ).reindex(columns=periods)
    median = (
        df.groupby(["role", "period"])["total"].median().unstack("period").reindex(columns=periods)
    )
    x = np.arange(len(periods))
    short = [p[-2:] for p in periods]
    for ax, (_, agent) in zip(axes_flat, agents.iterrows(), strict=False):
        ax.plot(x, median.loc[agent["role"]].to_numpy(), color=COLORS["plan"], lw=1, ls="--")
        ax.plot(
            x,
            wide.loc[(agent["role"], agent["agent_id"])].to_numpy(),
            color=COLORS["actual"],
            marker="o",
            ms=2.5,
        )
        ax.set_title(f"{agent['name']} {agent['agent_id']}", fontsize=8)
        ax.set_xticks(x, short, fontsize=6)
        ax.tick_params(axis="y", labelsize=6)
    for ax in axes_flat[n:]:
        ax.set_axis_off()
    fig.suptitle(f"{t('p_trend')} — {t('p_total')}; --- {t('p_role_median')}", fontsize=11)
    return fig


def _item_colour(i: int):
    """Distinct colours for up to 40 items (the palette has 8; scorecards have ~30 items)."""
    if i < len(PALETTE):
        return PALETTE[i]
    j = i - len(PALETTE)
    return matplotlib.colormaps["tab20" if j < 20 else "tab20b"](j % 20)


def deduction_breakdown(deductions: pd.DataFrame, period: str, *, lang: str = "zh") -> Figure:
    """Stacked horizontal bars per agent: points lost (left of 0) and gained (right) per item."""
    t = _t(lang)
    df = deductions.assign(label=_agent_label(deductions))
    fig, ax = new_figure(9.0, max(2.5, 0.3 * df["label"].nunique() + 1.5))
    if df.empty:
        return _empty(fig, ax, t)
    wide = df.pivot_table(
        index="label", columns="item", values="points", aggfunc="sum", fill_value=0.0
    )
    wide = wide.loc[wide.clip(upper=0).sum(axis=1).sort_values(ascending=False).index]
    items = wide.abs().sum().sort_values(ascending=False).index
    y = np.arange(len(wide))
    neg = np.zeros(len(wide))
    pos = np.zeros(len(wide))
    for i, item in enumerate(items):
        v = wide[item].to_numpy()
        left = np.where(v < 0, neg, pos)
        ax.barh(y, v, left=left, color=_item_colour(i), label=_item_label(item, lang, t))
        neg += np.minimum(v, 0)
        pos += np.maximum(v, 0)
    ax.axvline(0, color="#1f2d3d", lw=0.8)
    ax.set_yticks(y, wide.index.tolist(), fontsize=8)
    ax.set_xlabel(t("p_points"))
    ax.grid(axis="y", visible=False)
    ax.set_title(t("p_deductions", period=period))
    ax.legend(fontsize=7, ncols=min(6, len(items)), loc="upper center", bbox_to_anchor=(0.5, -0.12))
    return fig
