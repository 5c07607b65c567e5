"""服务质量月报 built from small hand-made frames: verdict lines, tiles, tables, exports, no data.

Why: the page is what managers read; each figure here is worked out by hand from six calls and
three complaints (below), so a change in a rule or a label shows as a changed sentence.
"""

from __future__ import annotations

import types
from pathlib import Path

import pandas as pd
import pytest

from analysis.config import load_defaults
from analysis.io import engine
from analysis.run.landing import service_verdict
from analysis.views import service as sv

# October: Q1 has c1 (answered in 10 s, handle 150 s, rated 5), c2 (30 s, 210 s, rated 2) and
# c5 (abandoned after 40 s); Q2 has c3 (5 s, 60 s, rated 4) and c4 (abandoned after 3 s: short).
# September: one answered call. Whole centre, October: offered 5, answered 3, short 1 →
# 接通率 3/4, service level 2/4 (c1, c3 within 20 s), ASA 15 s, AHT 140 s, 满意度 2/3, FCR 3/3.
CALLS = [
    ("c1", "2026-10-01 09:00:00", "Q1", "A1", True, 10, 100, 20, 30, 5, 1),
    ("c2", "2026-10-01 09:10:00", "Q1", "A2", True, 30, 200, 0, 10, 2, 2),
    ("c3", "2026-10-02 10:00:00", "Q2", "A1", True, 5, 60, 0, 0, 4, 3),
    ("c4", "2026-10-02 10:05:00", "Q2", None, False, 3, None, None, None, None, 4),
    ("c5", "2026-10-02 10:20:00", "Q1", None, False, 40, None, None, None, None, 5),
    ("c6", "2026-09-15 09:00:00", "Q1", "A1", True, 8, 100, 0, 0, 5, 9),
]
# k1 closed in a day; k2 still open 15.9 days after receipt (the records end with k3's closing);
# k3 closed in a day. 3 complaints per 3 answered calls: 1,000 per 1,000; 3 日结案率 2/3.
COMPLAINTS = [
    ("k1", "2026-10-03 09:00", "2026-10-04 09:00", "A1", "电话", "服务态度"),
    ("k2", "2026-10-05 10:00", None, "A2", "微信", "处理时效"),
    ("k3", "2026-10-20 08:00", "2026-10-21 08:00", "A2", "微信", "处理时效"),
]
ROSTER = pd.DataFrame(
    {"agent_id": ["A1", "A2"], "name": ["张三", "李四"], "team": ["一组", "二组"]}
)


def _calls_part(folder: Path) -> str:
    df = pd.DataFrame(
        CALLS,
        columns=["call_id", "start", "queue", "agent_id", "answered", "wait_s", "talk_s",
                 "hold_s", "wrap_s", "rating", "caller_key"],
    )  # fmt: skip
    n = len(df)
    canon = pd.DataFrame(
        {
            "call_id": df["call_id"].astype("string"),
            "start": pd.to_datetime(df["start"]).astype("datetime64[us]"),
            "queue": df["queue"].astype("string"),
            "agent_id": df["agent_id"].astype("string"),
            "direction": pd.Series(["in"] * n, dtype="string"),
            "answered": df["answered"].astype(bool),
            **{c: df[c].astype("float64") for c in ("wait_s", "talk_s", "hold_s", "wrap_s")},
            "rating": df["rating"].astype("float64"),
            "resolved": pd.Series([pd.NA] * n, dtype="boolean"),
            "caller_key": df["caller_key"].astype("int64"),
            "source_file": pd.Series(["calls/log.csv"] * n, dtype="string"),
            "source_sheet": pd.Series([""] * n, dtype="string"),
            "source_row": pd.Series(range(2, n + 2), dtype="int64"),
        }
    )[list(engine.CALL_SCHEMA)]
    path = folder / "part-0.parquet"
    canon.to_parquet(path)
    return str(path)


def _complaints() -> pd.DataFrame:
    rows = [
        {"complaint_id": cid, "received": pd.Timestamp(rec),
         "closed": pd.Timestamp(closed) if closed else pd.NaT, "agent_id": agent,
         "channel": channel, "type": kind, "owner": "组长", "status": "已结案" if closed else "处理中",
         "source_file": "complaints/c.xlsx", "source_sheet": "投诉单", "source_row": i + 2}
        for i, (cid, rec, closed, agent, channel, kind) in enumerate(COMPLAINTS)
    ]  # fmt: skip
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def ds(tmp_path_factory):
    folder = tmp_path_factory.mktemp("calls")
    return types.SimpleNamespace(
        calls=(_calls_part(folder),), complaints=_complaints(), roster=ROSTER, latest_period=None
    )


@pytest.fixture(scope="module")
def view(ds):
    return sv.build(ds, load_defaults(), "2026-10", "zh")


def test_verdict_names_every_missed_target_the_queue_and_the_overdue_complaint(view):
    assert [(line.text, line.tone) for line in view.verdict] == [
        ("满意度未达标：66.7 %，目标 ≥ 80 %", "over"),
        ("接通率未达标：75.0 %，目标 ≥ 90 %", "over"),
        ("服务水平未达标：50.0 %，目标 ≥ 80 %", "over"),
        ("投诉率（每千通接通）未达标：1,000.00，目标 ≤ 1.0", "over"),
        ("3 日结案率未达标：66.7 %，目标 ≥ 100 %", "over"),
        ("Q1技能组满意度 50.0 %，未达目标 ≥ 80 %", "warn"),
        ("Q1技能组接通率 66.7 %，未达目标 ≥ 90 %", "warn"),
        ("Q1技能组服务水平 33.3 %，未达目标 ≥ 80 %", "warn"),
        ("1 张投诉超过 3 天仍未结案（最早 2026-10-05 受理，k2 · A2）", "over"),
        ("达标：首次解决率", None),
    ]


def test_tiles_show_each_figure_against_its_target(view):
    got = {t["label"]: (t["value"], t.get("sub"), t.get("tone")) for t in view.tiles}
    assert got == {
        "来电量": ("5", "接通 3 · 放弃 2", None),
        "接通率": ("75.0 %", "目标 ≥ 90 %", "over"),
        "服务水平": ("50.0 %", "目标 ≥ 80 %", "over"),
        "平均应答速度（秒）": ("15", None, None),
        "平均处理时长（秒）": ("140", None, None),
        "满意度": ("66.7 %", "目标 ≥ 80 %", "over"),
        "首次解决率": ("100.0 %", "目标 ≥ 70 %", "under"),
        "投诉率（每千通接通）": ("1,000.00", "目标 ≤ 1.0", "over"),
        "3 日结案率": ("66.7 %", "目标 ≥ 100 %", "over"),
    }


def test_trend_has_both_months_and_names_the_missed_targets(view):
    df = view.trend_table.frame
    assert df["period"].tolist() == ["2026-09", "2026-10"]
    assert df["offered"].tolist() == [1, 5]
    assert df["missed"].tolist() == [
        "",  # September: one answered call, no complaint (3 日结案率 has nothing to judge)
        "满意度、接通率、服务水平、投诉率（每千通接通）、3 日结案率",
    ]
    assert view.trend_table.row_tone(df.iloc[1].to_dict()) == "over"
    html = view.trend_table.html()
    assert "<th>月份</th>" in html and "2026-10" in html


def test_queue_team_and_agent_tables(view):
    q = view.queue_table.frame.set_index("name")
    assert q.loc["Q1", ["offered", "answered", "abandoned"]].tolist() == [3, 2, 1]
    assert q.loc["Q2", "short_abandoned"] == 1 and q.loc["Q2", "answer_rate"] == 1.0
    assert view.queue_table.row_tone(q.reset_index().iloc[0].to_dict()) == "warn"
    teams = view.team_table.frame
    assert teams["name"].tolist() == ["一组", "二组"]  # abandoned calls belong to no team
    assert teams["complaints"].tolist() == [1, 2]
    agents = view.agent_table.frame
    assert agents[["agent_id", "name", "team", "answered"]].values.tolist() == [
        ["A1", "张三", "一组", 2],
        ["A2", "李四", "二组", 1],
    ]
    html = view.agent_table.html()
    assert "张三" in html and "None" not in html and "nan" not in html


def test_complaint_tables_weekly_and_overdue(view):
    types_ = view.type_table.frame
    assert types_[["label", "received", "closed_in_3d", "open"]].values.tolist() == [
        ["处理时效", 2, 1, 1],
        ["服务态度", 1, 1, 0],
    ]
    weekly = view.weekly_table.frame
    assert weekly["week"].tolist() == ["2026-W40", "2026-W41", "2026-W43"]
    assert weekly["label"].tolist() == ["09-28 至 10-04", "10-05 至 10-11", "10-19 至 10-25"]
    assert weekly["received"].tolist() == [1, 1, 1]
    over = view.overdue
    assert over["complaint_id"].tolist() == ["k2"]
    assert over["days_open"].round(4).tolist() == [round(15 + 22 / 24, 4)]


def test_exports_use_the_issue_columns(view, tmp_path):
    sv.write_exports(view, tmp_path)
    kpis = pd.read_csv(tmp_path / sv.KPIS_CSV)
    assert list(kpis.columns) == [
        "period", "level", "key", "offered", "answered", "abandoned", "short_abandoned",
        "answer_rate", "service_level", "asa_s", "aht_s", "csat", "fcr", "complaints",
        "complaint_rate", "closed_3d_rate",
    ]  # fmt: skip
    row = kpis[(kpis["period"] == "2026-10") & (kpis["level"] == "all")].iloc[0]
    assert (row["offered"], row["aht_s"], row["asa_s"]) == (5, 140.0, 15.0)
    intervals = pd.read_csv(tmp_path / sv.INTERVALS_CSV)
    assert list(intervals.columns)[:10] == [
        "date", "interval_start", "queue", "offered", "answered", "abandoned", "asa_s", "aht_s",
        "required_agents", "agents_logged_in",
    ]  # fmt: skip
    first = intervals.iloc[0]
    assert (first["date"], first["interval_start"], first["queue"], first["offered"]) == (
        "2026-10-01",
        "09:00",
        "Q1",
        2,
    )
    assert (tmp_path / sv.XLSX).is_file()
    assert (tmp_path / ".headlines" / "service.json").is_file()


def test_period_without_call_logs_says_no_data(ds):
    v = sv.build(ds, load_defaults(), "2026-11", "zh")
    assert not v.has_data and v.tiles == [] and v.verdict == []
    assert v.notes == ["2026-11 没有呼叫明细（数据目录 calls/ 下没有这个月的来电），本期无数据。"]
    empty = types.SimpleNamespace(calls=(), complaints=None, roster=ROSTER, latest_period="2026-10")
    v = sv.build(empty, load_defaults(), "", "en")
    assert not v.has_data and v.period == "2026-10"
    assert v.title == "Service quality report · 2026-10"


def test_english_words(ds):
    v = sv.build(ds, load_defaults(), "2026-10", "en")
    assert v.verdict[0].text == "Satisfaction missed: 66.7 %, target ≥ 80 %"
    assert v.verdict[-1].text == "Met: First-contact resolution"
    assert v.trend_table.frame["missed"].iloc[1].startswith("Satisfaction, Answer rate, ")


def test_landing_card_counts_the_missed_targets(view):
    card = service_verdict("zh", view.tiles)
    assert card["word"] == "5 项未达标" and card["tone"] == "over"
    assert card["sentence"] == "未达标: 接通率、服务水平、满意度、投诉率（每千通接通）、3 日结案率"
    assert service_verdict("zh", []) is None
    met = [{"label": "接通率", "value": "95 %", "tone": "under"}]
    assert service_verdict("zh", met)["word"] == "全部达标"


def test_charts_have_titles_with_units_and_one_colour_per_series(view):
    from analysis.plots import service as charts

    trend = charts.trend_rates(view.trend, view.targets, "zh")
    ax = trend.axes[0]
    assert ax.get_title() == "接通率、服务水平、满意度、首次解决率（%）"
    lines = [
        ln
        for ln in ax.get_lines()
        if ln.get_label() in {"接通率", "服务水平", "满意度", "首次解决率"}
    ]
    assert len({ln.get_color() for ln in lines}) == 4
    targets = sorted(t.get_text() for t in ax.texts)
    assert targets == ["接通率目标 90%", "服务水平、满意度目标 80%", "首次解决率目标 70%"]
    day = charts.intraday(view.profile, "zh", answering_only=True, required_methods=("erlang_a",))
    assert day.axes[0].get_title() == "各时段平均来电量（通 / 30 分钟）"
    assert day.axes[0].get_ylabel() == "来电（通）" and day.axes[1].get_ylabel() == "座席（人）"
    labels = [t.get_text() for t in day.axes[0].get_legend().get_texts()]
    assert labels[-2:] == ["所需座席（Erlang A）", "接听座席（在线人数下限）"]
    weekly = charts.weekly_complaints(view.complaint_stats["weekly"], view.week_labels, "zh")
    assert weekly.axes[0].get_ylabel() == "投诉（件）"
    assert [t.get_text() for t in weekly.axes[0].get_xticklabels()] == view.week_labels
