"""Scorecard charts for the monthly bulletin: ranking, teams, distribution, trends, deductions.

Why: a manager scans a bar chart faster than a 30-row table; the colours repeat the bulletin's
lists (red line, improvement plan, first place) so the chart and the tables tell one story.
Each function takes the tidy frames of :mod:`analysis.scorecard` and returns a Figure.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from analysis.catalog import labels, words
from analysis.plots.base import COLORS, new_figure, role_color
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
        np.where(bottom, COLORS["accent"], np.where(first, COLORS["under"], role_color(role))),
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
            Patch(color=role_color(role), label=t("p_other")),
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
    colour = {r: role_color(r) for r in roles}
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
        color=[role_color(r) for r in roles],
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
            color=role_color(agent["role"]),
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


#: The chart's groups in drawing order: table A (business), table B (discipline), the after-sales
#: deductions, then every gain. Why groups, not items: 24 item colours cannot be told apart; the
#: items themselves are in the legend table and each agent's card.
GROUPS = ("table_a", "table_b", "aftersales", "gain")
GROUP_COLORS = {"table_a": "#1f4e79", "table_b": "#8e44ad", "aftersales": "#95a5a6",
                "gain": COLORS["under"]}  # fmt: skip


def item_groups(deductions: pd.DataFrame) -> pd.Series:
    """The chart group of each row: a gain (points > 0), else table A (A1…), table B (B1…) or
    an after-sales deduction (late reports, violations, complaints, poor callbacks)."""

    def group(item: str, points: float) -> str:
        if points > 0:
            return "gain"
        if re.fullmatch(r"A\d+", item):
            return "table_a"
        if re.fullmatch(r"B\d+", item):
            return "table_b"
        return "aftersales"

    return pd.Series(
        [
            group(str(i), float(p))
            for i, p in zip(deductions["item"], deductions["points"], strict=True)
        ],
        index=deductions.index,
        dtype="str",
    )


def deduction_breakdown(deductions: pd.DataFrame, period: str, *, lang: str = "zh") -> Figure:
    """Stacked horizontal bars per agent: points lost (left of 0) by table A, table B and the
    after-sales items, and points gained (right); four colours, legend in words."""
    t = _t(lang)
    df = deductions.assign(label=_agent_label(deductions))
    fig, ax = new_figure(9.0, max(2.5, 0.3 * df["label"].nunique() + 1.8))
    if df.empty:
        return _empty(fig, ax, t)
    df = df.assign(group=item_groups(df))
    wide = df.pivot_table(
        index="label", columns="group", values="points", aggfunc="sum", fill_value=0.0
    )
    wide = wide.loc[wide.clip(upper=0).sum(axis=1).sort_values(ascending=False).index]
    order = [g for g in GROUPS if g in wide.columns]
    y = np.arange(len(wide))
    neg = np.zeros(len(wide))
    pos = np.zeros(len(wide))
    for group in order:
        v = wide[group].to_numpy()
        left = np.where(v < 0, neg, pos)
        ax.barh(y, v, left=left, color=GROUP_COLORS[group], label=t(f"p_group_{group}"))
        neg += np.minimum(v, 0)
        pos += np.maximum(v, 0)
    ax.axvline(0, color="#1f2d3d", lw=0.8)
    ax.set_yticks(y, wide.index.tolist(), fontsize=8)
    ax.set_xlabel(t("p_points"))
    ax.grid(axis="y", visible=False)
    ax.set_title(t("p_deductions", period=period))
    ax.legend(fontsize=8, ncols=min(4, len(order)), loc="upper center", bbox_to_anchor=(0.5, -0.1))
    return fig
