"""Budget charts: each returns a Figure with titled axes in zh and en, and copes with no data."""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib.colors
import pandas as pd
import pytest
from matplotlib.figure import Figure

from analysis import budget as b
from analysis.catalog import labels
from analysis.plots import budget as pb
from analysis.plots.base import COLORS

sys.path.insert(0, str(Path(__file__).parent))
from test_budget import CFG, simple_ledger, simple_plan  # noqa: E402


@pytest.fixture(scope="module")
def frames():
    plan, act = simple_plan(), simple_ledger()
    table = b.reconcile(plan, act, "2026-02", CFG)
    return table, b.monthly_variance(plan, act, "2026-02", CFG), b.totals(table, "department", CFG)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_charts_have_titles_and_units(frames, lang: str) -> None:
    table, monthly, depts = frames
    t = labels("budget", lang)
    figs = {
        "chart_bars": pb.plan_vs_actual(table, lang, CFG),
        "chart_waterfall": pb.variance_waterfall(table, lang, CFG),
        "chart_cumulative": pb.cumulative(monthly, lang),
        "chart_bullet": pb.bullet(depts, lang),
    }
    for key, fig in figs.items():
        assert isinstance(fig, Figure)
        titles = [ax.get_title() for ax in fig.axes] + [
            fig._suptitle.get_text() if fig._suptitle else ""
        ]
        assert t[key] in titles, key
        units = [ax.get_ylabel() for ax in fig.axes] + [ax.get_xlabel() for ax in fig.axes]
        assert t["axis_yuan"] in units, key


def test_waterfall_steps_add_up(frames) -> None:
    table, _, _ = frames
    fig = pb.variance_waterfall(table, "zh", CFG)
    ax = fig.axes[0]
    heights = [round(p.get_height(), 2) for p in ax.patches]
    # plan 27,000; steps +3,000 (计划外) +2,300 (人员) −1,700.50 (设备) −3,000 (培训); actual 27,599.50
    assert heights[0] == 27000.0 and heights[1] == 27599.5
    assert sorted(heights[2:]) == [-3000.0, -1700.5, 2300.0, 3000.0]


def test_charts_with_no_data() -> None:
    empty = pd.DataFrame(columns=b.VARIANCE_COLUMNS)
    for fig in (
        pb.plan_vs_actual(empty, "zh", CFG),
        pb.variance_waterfall(empty, "en", CFG),
        pb.cumulative(pd.DataFrame(), "zh"),
        pb.bullet(b.totals(empty, "department", CFG), "zh"),
    ):
        assert isinstance(fig, Figure)


def _split_category() -> pd.DataFrame:
    """业务外包 over in one department (+4,000, 40 %) and under in the other (−3,900): the
    category total (+100) is on track, its 售后处 line is red in the table."""
    rows = [("售前处", 10000.0, 6100.0, "under"), ("售后处", 10000.0, 14000.0, "over")]
    return pd.DataFrame(
        [{"period": "2026-10", "department": d, "category": "业务外包", "item": "", "plan": p / 10,
          "actual": a / 10, "variance": (a - p) / 10, "plan_ytd": p, "actual_ytd": a,
          "variance_ytd": a - p, "plan_full_year": p * 1.2, "forecast_full_year": a + p * 0.2,
          "status": s, "status_month": s}
         for d, p, a, s in rows]
    )  # fmt: skip


def test_a_category_with_a_red_line_is_hatched_red_and_steps_follow_the_status_rule() -> None:
    table = _split_category()
    fig = pb.plan_vs_actual(table, "zh", CFG)
    actual_bar = [p for p in fig.axes[0].patches if p.get_hatch()]
    assert len(actual_bar) == 1  # on-track total, but a line inside it is over
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert "实际 (类别内有超支项目)" in labels
    fall = pb.variance_waterfall(table, "zh", CFG)
    step_colours = {matplotlib.colors.to_hex(p.get_facecolor()) for p in fall.axes[0].patches}
    assert COLORS["neutral"] in step_colours and COLORS["over"] not in step_colours
