"""Scorecard charts: each returns a Figure with a translated title, never shown or saved."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure
from scorecard_words import table_words as _w

from analysis import config
from analysis import scorecard as sc
from analysis.plots import scorecard as charts
from analysis.schema import PRESALES_ITEMS

CFG = config.load_config()


def _inputs():
    pre = pd.DataFrame(
        [
            {
                "period": p,
                "agent_id": a,
                "name": n,
                **{c: 0 for c in PRESALES_ITEMS},
                "A7": k,
                "B1": 1,
                "exam": 80,
            }
            for p in ("2026-09", "2026-10")
            for a, n, k in (("KF0101", "甲", 1), ("KF0102", "乙", 3), ("KF0103", "丙", 0))
        ]
    )
    aft = pd.DataFrame(
        [
            {"period": p, "agent_id": a, "name": n, "tickets": k, "cb_A": 15, "cb_B": 5, "cb_C": 0, "cb_D": 0,
             "attitude": "A", "teamwork": "B", "late_reports": 1, "violations": 0, "suggestions": 2, "complaints": 1}
            for p in ("2026-09", "2026-10")
            for a, n, k in (("KF0301", "丁", 100), ("KF0302", "戊", 80))
        ]
    )  # fmt: skip
    roster = pd.DataFrame(
        {
            "agent_id": ["KF0101", "KF0102", "KF0103", "KF0301", "KF0302"],
            "name": ["甲", "乙", "丙", "丁", "戊"],
            "team": ["售前一组", "售前一组", "售前二组", "售后一组", "售后一组"],
            "role": ["presales"] * 3 + ["aftersales"] * 2,
            "leader": ["甲", "甲", "丙", "丁", "丁"],
            "is_leader": [True, False, True, True, False],
        }
    )
    return pre, aft, roster


def test_charts_return_figures_with_titles():
    pre, aft, roster = _inputs()
    table = _w(sc.build_scorecards(pre, aft, roster, CFG))
    figs = {
        "ranking": charts.ranking(table, "presales", "2026-10"),
        "teams": charts.team_comparison(table, "2026-10"),
        "dist": charts.distribution(table, "2026-10", lang="en"),
        "trends": charts.trends(table, role="presales"),
        "deductions": charts.deduction_breakdown(
            sc.deductions(pre, aft, CFG, "2026-10"), "2026-10"
        ),
    }
    assert all(isinstance(f, Figure) for f in figs.values())
    assert figs["ranking"].axes[0].get_title() == "售前专员排名 · 2026-10"
    assert [t.get_text() for t in figs["ranking"].axes[0].get_yticklabels()] == [
        "3. 乙 (KF0102)", "2. 甲 (KF0101)", "1. 丙 (KF0103)",
    ]  # fmt: skip
    assert figs["dist"].axes[0].get_title() == "Score distribution · 2026-10"
    assert len([a for a in figs["trends"].axes if a.axison]) == 3
    labels = [t.get_text() for t in figs["deductions"].axes[0].get_legend().get_texts()]
    # four groups at most, in words: table A, table B, after-sales deductions, gains
    assert labels == [
        "业务考核扣分 (表 A)", "工作纪律扣分 (表 B)", "售后扣分 (迟交报告、违规、投诉、回访 D)",
        "加分 (建议采纳、好评回访)",
    ]  # fmt: skip


def test_empty_month_draws_no_data_note():
    pre, aft, roster = _inputs()
    table = _w(sc.build_scorecards(pre, aft, roster, CFG))
    fig = charts.ranking(table, "presales", "2030-01", lang="en")
    assert fig.axes[0].texts[0].get_text() == "No data"


def test_deduction_groups_are_tables_and_gains() -> None:
    frame = pd.DataFrame({"item": ["A1", "A11", "B12", "complaints", "cb_D", "suggestions"],
                          "points": [-2.0, -4.0, -5.0, -10.0, -5.0, 10.0]})  # fmt: skip
    assert charts.item_groups(frame).tolist() == [
        "table_a", "table_a", "table_b", "aftersales", "aftersales", "gain",
    ]  # fmt: skip
