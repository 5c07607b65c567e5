"""service.staffing_feed and its wiring: call-log volumes for the staffing page, abandons and
waiting seconds from a hand-made call log, required (Erlang C and A) vs logged-in agents, and
after-sales 处理单量 from answered calls through config (default unchanged)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from analysis import staffing as st
from analysis.config import load_defaults, merge
from analysis.io.errors import fill_messages
from analysis.schema import DQ_COLUMNS, ROSTER_COLUMNS, STAFFING_COLUMNS
from analysis.service import erlang_a as ea
from analysis.service import staffing_feed as sf
from analysis.views import scorecards as sc_view
from analysis.views import staffing as staffing_view

# The rules these figures follow, spelt out so they do not move with other defaults: 30-minute
# intervals, short abandon < 5 s, the net service level, and no abandon cap (1.0: the default cap
# follows the answer-rate target, tested on its own below).
CFG = merge(load_defaults(), {"service": {
    "interval_min": 30, "short_abandon_s": 5, "service_level_variant": "net",
    "erlang_a": {"min_abandons": 20, "max_abandon": 1.0}}})  # fmt: skip
COLS = ["date", "interval_start", "queue", "offered", "answered", "abandoned", "asa_s", "aht_s"]


def _intervals(rows: list[tuple]) -> pd.DataFrame:
    f = pd.DataFrame(rows, columns=COLS)
    return f.assign(date=pd.to_datetime(f["date"]))


# ---------------------------------------------------------------------------------------------
# (a) volumes in the staffing module's shape


def test_volumes_from_intervals_pool_queues() -> None:
    iv = _intervals(
        [
            ("2026-10-05", "09:00", "a", 10, 8, 2, 10.0, 100.0),
            ("2026-10-05", "09:00", "b", 30, 20, 10, 40.0, 200.0),
            ("2026-10-05", "09:30", "a", 4, 0, 4, np.nan, np.nan),  # nobody answered
        ]
    )
    v = sf.volumes_from_intervals(iv)
    assert list(v.columns) == STAFFING_COLUMNS
    assert v[["day", "interval"]].values.tolist() == [
        ["2026-10-05", "09:00"],
        ["2026-10-05", "09:30"],
    ]
    assert v["calls"].tolist() == [40.0, 4.0]
    # AHT of the answered calls: (8 × 100 + 20 × 200) / 28
    assert v["aht_s"].iloc[0] == pytest.approx(4800 / 28, rel=1e-15)
    assert np.isnan(v["aht_s"].iloc[1])  # the plan then uses [staffing] aht_s
    assert set(v["source_file"]) == {"calls"}
    # Short abandons counted by the KPIs leave the staffing volume.
    short = sf.volumes_from_intervals(iv.assign(short_abandoned=[1, 2, 4]))
    assert short["calls"].tolist() == [37.0, 0.0]
    # The staffing module plans from it as from a typed table (the configured AHT fills in).
    plan = st.interval_plan(v, CFG)
    assert plan["aht_s"].tolist() == [pytest.approx(4800 / 28), 240.0]
    pooled = sf.pool_queues(iv)
    assert pooled["asa_s"].iloc[0] == pytest.approx((8 * 10 + 20 * 40) / 28)


# ---------------------------------------------------------------------------------------------
# (b) what the logs add, and required vs logged in

CALLS = pd.DataFrame(
    {
        "start": pd.to_datetime(
            [
                "2026-10-05 09:05",
                "2026-10-05 09:10",
                "2026-10-05 09:20",
                "2026-10-05 09:29:59",
                "2026-10-05 09:30",
                "2026-10-05 09:15",
                "2026-10-05 09:16",
                "2026-10-05 09:17",
                "2026-10-05 09:12",
            ],
            format="ISO8601",
        ),  # fmt: skip
        "queue": ["q", "q", "q", "q", "q", "q", "q", None, "q"],
        "agent_id": ["A", None, None, "B", "A", "C", None, "A", None],
        "direction": ["in", "in", "in", "in", "in", "out", "in", "in", "in"],
        "answered": [True, False, False, True, True, True, False, True, False],
        "wait_s": [10.0, 5.0, 30.0, 0.0, 5.0, 0.0, np.nan, 2.0, 4.9],
    }
)


def test_interval_facts_from_a_call_log() -> None:
    # 09:00 queue q: an answer after 10 s (A), a short abandon after 4.9 s (short: < 5 s, the
    # KPIs' rule), an abandon after exactly 5 s and one after 30 s, an answer at once (B) at 09:29:59; an outbound call and an abandon without a wait time
    # are not counted. 09:30: one answer after 5 s. Queue blank: one answer after 2 s (A).
    f = sf.interval_facts(CALLS, CFG | {"service": {"interval_min": 30, "short_abandon_s": 5}})
    assert f[["interval_start", "queue"]].values.tolist() == [["09:00", "(no queue)"],
                                                              ["09:00", "q"], ["09:30", "q"]]  # fmt: skip
    assert f["short_abandoned"].tolist() == [0, 1, 0]
    assert f["abandoned"].tolist() == [0, 2, 0]
    assert f["wait_s"].tolist() == [2.0, 10 + 5 + 30 + 0, 5.0]
    assert f["agents_answering"].tolist() == [1, 2, 1]
    assert (f["date"] == pd.Timestamp("2026-10-05")).all()
    import ibis

    same = sf.interval_facts(ibis.memtable(CALLS), {"interval_min": 30, "short_abandon_s": 5})
    pd.testing.assert_frame_equal(same, f)


IV = _intervals(
    [
        ("2026-10-05", "09:00", "q", 120, 100, 20, 20.0, 180.0),
        ("2026-10-05", "09:30", "q", 60, 55, 5, 10.0, np.nan),
    ]
)


def test_required_vs_logged_in_from_the_logs() -> None:
    facts = sf.interval_facts(CALLS.loc[CALLS["queue"].notna()], {"service": {}})
    out = sf.required_vs_logged_in(IV, CFG, facts=facts)
    assert list(out.columns) == [*COLS, "short_abandoned", *sf.FEED_COLUMNS]
    # calls = offered − short abandons (1 at 09:00); AHT 240 (configured) where none is known.
    assert out["calls"].tolist() == [119.0, 60.0]
    # Erlang C with the [staffing] targets (80 % in 20 s, occupancy ≤ 85 %): the staffing module.
    c = [st.required_agents(119, 30, 180, 20, 0.8, 0.85).agents,
         st.required_agents(60, 30, 240, 20, 0.8, 0.85).agents]  # fmt: skip
    assert out["required_agents_c"].tolist() == c == [16, 11]
    # Patience: 2 abandons < 20 → pooled over all calls: 2 abandons ÷ 50 s waited.
    assert out["patience_level"].tolist() == ["all", "all"]
    assert out["patience_rate"].tolist() == [2 / 50, 2 / 50]
    a = [ea.required_agents_a(119, 30, 180, 2 / 50, 20, 0.8, max_occupancy=0.85).agents,
         ea.required_agents_a(60, 30, 240, 2 / 50, 20, 0.8, max_occupancy=0.85).agents]  # fmt: skip
    assert out["required_agents_a"].tolist() == a == [12, 9]
    assert out["required_agents"].tolist() == [12, 9]
    assert out["required_method"].tolist() == ["erlang_a", "erlang_a"]
    # No login data: agents who answered (A and B at 09:00, A at 09:30), a lower bound.
    assert out["agents_logged_in"].tolist() == [2, 1]
    assert out["logged_in_source"].tolist() == ["answering", "answering"]
    assert out["gap"].tolist() == [2 - 12, 1 - 9]


def test_answer_rate_target_caps_abandonment() -> None:
    facts = sf.interval_facts(CALLS.loc[CALLS["queue"].notna()], {"service": {}})
    # max_abandon 0: the cap is 1 − the answer-rate target, here 5 %.
    cfg = merge(
        CFG, {"service": {"erlang_a": {"max_abandon": 0}, "targets": {"answer_rate": 0.95}}}
    )
    out = sf.required_vs_logged_in(IV, cfg, facts=facts)
    free = sf.required_vs_logged_in(IV, CFG, facts=facts)
    assert (out["abandon_rate_a"] <= 0.05).all() and (free["abandon_rate_a"] > 0.05).all()
    assert (out["required_agents_a"] > free["required_agents_a"]).all()


def test_login_data_and_pooled_queues() -> None:
    two = pd.concat([IV, IV.assign(queue="r", offered=[30, 30], answered=[30, 30],
                                   abandoned=[0, 0], aht_s=[180.0, 180.0])])  # fmt: skip
    login = pd.DataFrame({"date": ["2026-10-05"], "interval_start": ["09:00"], "agents": [21]})
    out = sf.required_vs_logged_in(two, CFG, login)
    # Login data has no queue: the queues are pooled, one row per interval, like for like.
    assert out["queue"].tolist() == ["all", "all"]
    assert out["calls"].tolist() == [150.0, 90.0]
    assert out["logged_in_source"].tolist() == ["login", "none"]
    assert out["agents_logged_in"].iloc[0] == 21 and np.isnan(out["agents_logged_in"].iloc[1])
    # Without facts there is no patience: Erlang C decides, and says so.
    assert out["required_method"].tolist() == ["erlang_c", "erlang_c"]
    assert out["patience_level"].tolist() == ["none", "none"]
    assert out["required_agents"].tolist() == out["required_agents_c"].astype(float).tolist()
    assert out["gap"].iloc[0] == 21 - out["required_agents"].iloc[0]
    nothing = sf.required_vs_logged_in(IV, CFG)
    assert nothing["logged_in_source"].tolist() == ["none", "none"]
    assert nothing["gap"].isna().all()


# ---------------------------------------------------------------------------------------------
# (c) after-sales 处理单量 from answered calls

KPIS = pd.DataFrame(
    [
        ("2026-10", "all", "all", 400),
        ("2026-10", "team", "东组", 171),
        ("2026-10", "agent", "H1", 120),
        ("2026-10", "agent", "H2", 51),
        ("2026-10", "agent", "P9", 60),  # not on the after-sales scorecard: not added
    ],
    columns=["period", "level", "key", "answered"],
)


def _aft(agent: str, period: str, tickets: float, row: int) -> dict:
    return {"period": period, "agent_id": agent, "name": f"售后{agent}", "tickets": tickets,
            "cb_A": 15, "cb_B": 5, "cb_C": 0, "cb_D": 0, "attitude": "B", "teamwork": "A",
            "late_reports": 0, "violations": 0, "suggestions": 0, "complaints": 0, "check": "",
            "source_file": "scorecards/售后.xlsx", "source_sheet": "10月", "source_row": row}  # fmt: skip


AFT = pd.DataFrame(
    [
        _aft("H1", "2026-10", 100, 3),  # logs: 120, 20 apart > 5 % of 120 → warning
        _aft("H2", "2026-10", 50, 4),  # logs: 51, 1 ≤ 2.55 → quiet
        _aft("H3", "2026-10", 90, 5),  # no call in a month the logs cover → typed kept, warning
        _aft("H1", "2026-09", 80, 6),  # September: no logs → typed
    ]
)


def test_aftersales_tickets_from_calls() -> None:
    fed = sf.aftersales_tickets_from_calls(KPIS, AFT)
    assert fed["tickets"].tolist() == [120, 51, 90, 80]
    assert fed["tickets_typed"].tolist() == [100, 50, 90, 80]
    assert fed["tickets_logged"].tolist()[:2] == [120, 51]
    assert fed["tickets_logged"].iloc[2:].isna().all()
    assert fed["tickets_source"].tolist() == ["calls", "calls", "scorecard_no_calls", "scorecard"]
    assert len(fed) == len(AFT)  # P9 is not added
    dq = sf.tickets_findings(fed, 0.05)
    assert list(dq.columns)[: len(DQ_COLUMNS)] == DQ_COLUMNS
    assert dq[["severity", "code", "row", "column", "value"]].values.tolist() == [
        ["warning", "tickets_calls_differ", 3, "tickets", "100"],
        ["warning", "tickets_no_calls", 5, "tickets", "H3"],
    ]
    assert set(dq["file"]) == {"scorecards/售后.xlsx"} and set(dq["sheet"]) == {"10月"}
    en = fill_messages(dq, "en")["message"].tolist()
    assert en[0].startswith("after-sales tickets typed 100, answered calls in the call logs 120")
    assert "5%" in en[0] and "H3" in en[1] and "2026-10" in en[1]
    zh = fill_messages(dq, "zh")["message"].tolist()
    assert zh[0].startswith("处理单量填写为 100,话单中接通 120 通")
    # A wider tolerance keeps H1 quiet.
    assert sf.tickets_findings(fed, 0.2)["code"].tolist() == ["tickets_no_calls"]


def test_aftersales_feed_refuses_kpis_without_columns() -> None:
    with pytest.raises(ValueError, match="answered"):
        sf.aftersales_tickets_from_calls(KPIS.drop(columns="answered"), AFT)


def _sc_ds() -> SimpleNamespace:
    roster = pd.DataFrame({"agent_id": ["H1", "H2", "H3"], "name": ["甲", "乙", "丙"],
                           "team": ["东组"] * 3, "role": ["aftersales"] * 3, "leader": ["丁"] * 3})  # fmt: skip
    return SimpleNamespace(presales=pd.DataFrame(), aftersales=AFT.iloc[:3], roster=roster,
                           latest_period="2026-10", calls=())  # fmt: skip


def _scored_tickets(v: sc_view.ScorecardsView) -> dict[str, float]:
    """The ticket count each agent's volume score was computed from (its "volume" item)."""
    return {a: next(i.count for i in items if i.code == "volume")
            for a, items in zip(v.table_all["agent_id"], v.table_all["items"], strict=True)}  # fmt: skip


def test_scorecards_default_scores_the_typed_tickets() -> None:
    v = sc_view.build(_sc_ds(), CFG, "2026-10", "en", agent_kpis=KPIS)
    assert _scored_tickets(v) == {"H1": 100, "H2": 50, "H3": 90}
    assert v.tickets is None and v.tickets_dq is None


def test_scorecards_take_tickets_from_calls_when_configured() -> None:
    cfg = merge(CFG, {"service": {"aftersales_tickets_from": "calls"}})
    v = sc_view.build(_sc_ds(), cfg, "2026-10", "en", agent_kpis=KPIS)
    assert _scored_tickets(v) == {"H1": 120, "H2": 51, "H3": 90}
    # Volume = tickets ÷ the team's average × 100: (120 + 51 + 90) / 3 = 87.
    volume = v.table_all.set_index("agent_id")["volume"]
    assert volume[["H1", "H2", "H3"]].tolist() == [137.93, 58.62, 103.45]  # to 2 decimals
    assert v.tickets["tickets_source"].tolist() == ["calls", "calls", "scorecard_no_calls"]
    assert v.tickets_dq["code"].tolist() == ["tickets_calls_differ", "tickets_no_calls"]
    check = v.tickets_check["table"]["df"]
    assert v.tickets_check["heading"] == "Tickets against the call logs"
    assert check["where"].tolist()[0].startswith("scorecards/售后.xlsx")
    assert check["message"].tolist()[1].startswith("agent H3 answered no call")
    assert any(n.startswith("After-sales tickets are taken from the call logs") and
               "2 agents this month from the logs, 1 keep" in n for n in v.notes)  # fmt: skip
    # Asked for calls, but the folder has no logs: typed figures, and the page says so.
    none = sc_view.build(_sc_ds(), cfg, "2026-10", "en")
    assert _scored_tickets(none) == {"H1": 100, "H2": 50, "H3": 90}
    assert any("no call logs" in n for n in none.notes)
    with pytest.raises(ValueError, match="aftersales_tickets_from"):
        sc_view.build(_sc_ds(), merge(CFG, {"service": {"aftersales_tickets_from": "x"}}))


# ---------------------------------------------------------------------------------------------
# The staffing page: log volumes when there are logs, the typed table otherwise, said on the page


def _staffing_ds() -> SimpleNamespace:
    typed = pd.DataFrame([("2026-10-05", "09:00", 999.0, 200.0, "staffing/v.csv", "", 2)],
                         columns=STAFFING_COLUMNS)  # fmt: skip
    roster = pd.DataFrame([("B1", "员工", "二组", "presales", "乙", False, "r.xlsx", "", 2)],
                          columns=ROSTER_COLUMNS)  # fmt: skip
    return SimpleNamespace(staffing=typed, roster=roster, latest_period="2026-10", calls=())


def test_staffing_page_uses_the_logs_and_says_so() -> None:
    facts = sf.interval_facts(CALLS.loc[CALLS["queue"].notna()], {"service": {}})
    v = staffing_view.build(_staffing_ds(), CFG, "2026-10", "en", intervals=IV, facts=facts)
    assert v.volume_source == "calls"
    assert v.source_note.startswith(
        "Calls per interval and their handle time are taken from the call logs"
    )
    assert v.plan["calls"].tolist() == [119.0, 60.0]  # less the short abandon; not the typed 999
    assert v.plan["aht_s"].tolist() == [180.0, 240.0]
    assert v.logged_in["required_agents"].tolist() == [12, 9]
    html = v.logged_in_table.html()
    assert "Agents needed (Erlang A)" in html and "agents answering calls (at least)" in html


def test_staffing_page_without_logs_uses_the_typed_table() -> None:
    v = staffing_view.build(_staffing_ds(), CFG, "2026-10", "zh")
    assert v.volume_source == "typed" and v.plan["calls"].tolist() == [999.0]
    assert v.source_note.startswith("各时段来电量取自填写的来电量表")
    assert v.logged_in is None and v.logged_in_table is None


def test_intervals_with_staffing_on_the_kpis_intervals() -> None:
    kpis = pytest.importorskip("analysis.service.kpis")
    import ibis

    table = ibis.memtable(
        CALLS.assign(
            talk_s=100.0,
            hold_s=np.nan,
            wrap_s=np.nan,
            rating=np.nan,
            caller_key=1,
            resolved=pd.array([None] * len(CALLS), dtype="boolean"),
        )  # fmt: skip
    )
    out, facts = sf.intervals_with_staffing(table, CFG)
    intervals = kpis.intervals(table, CFG)
    pd.testing.assert_frame_equal(facts, sf.interval_facts(table, CFG))
    expected = sf.required_vs_logged_in(intervals, CFG, facts=facts)
    pd.testing.assert_frame_equal(out, expected)
    # 09:00 queue q: 6 inbound calls offered (the abandon without a wait time too), one a short
    # abandon → 5 calls to staff for; A and B answered.
    row = out.loc[(out["interval_start"] == "09:00") & (out["queue"] == "q")].iloc[0]
    assert (row["offered"], row["calls"], row["agents_logged_in"]) == (6, 5.0, 2.0)
