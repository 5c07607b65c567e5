"""Scorecards: exact, hand-computed numbers for every rule of DOMAIN.md §2."""

from __future__ import annotations

import pandas as pd
import pytest
from scorecard_words import check_list_words as _check_list
from scorecard_words import list_words as _lists
from scorecard_words import table_words as _w

from analysis import config
from analysis import scorecard as sc
from analysis.schema import PRESALES_ITEMS
from analysis.views import scorecards as views_sc

CFG = config.load_config()
RULES = config.scorecard_rules(CFG, "2026-10")


def pre_row(agent: str, period: str = "2026-10", exam: float | None = 80, **counts: int) -> dict:
    row = {"period": period, "agent_id": agent, "name": f"姓名{agent[-2:]}"}
    row.update({c: 0 for c in PRESALES_ITEMS})
    row.update(counts)
    row["exam"] = exam
    return row


def aft_row(agent: str, period: str = "2026-10", **values) -> dict:
    row = {
        "period": period, "agent_id": agent, "name": f"姓名{agent[-2:]}", "tickets": 100,
        "cb_A": 20, "cb_B": 0, "cb_C": 0, "cb_D": 0, "attitude": "A", "teamwork": "A",
        "late_reports": 0, "violations": 0, "suggestions": 0, "complaints": 0,
    }  # fmt: skip
    row.update(values)
    return row


def roster_of(*rows: tuple[str, str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "agent_id": [r[0] for r in rows],
            "name": [f"姓名{r[0][-2:]}" for r in rows],
            "team": [r[1] for r in rows],
            "role": [r[2] for r in rows],
            "leader": ["组长"] * len(rows),
            "is_leader": [False] * len(rows),
        }
    )


# --------------------------------------------------------------------------------- pre-sales


def test_seed_example_presales():
    # 业务 100 − A1×11×2 − A7×2×4 = 70; 纪律 100 − B1×3 − B6×2 = 95; 笔试 80
    frame = pd.DataFrame([pre_row("KF0101", A1=11, A7=2, B1=1, B6=1)])
    out = _w(sc.score_presales(frame, RULES))
    assert out.loc[0, ["business", "discipline", "exam"]].tolist() == [70.0, 95.0, 80.0]
    assert out.loc[0, "total"] == 78.5  # 42 + 28.5 + 8
    assert (
        out.loc[0, "explanation"]
        == "A1 接听不及时 ×11 −22; A7 用语或语气不当 ×2 −8; B1 迟到或早退 ×1 −3; B6 事假(每天) ×1 −2; 笔试 80"
    )
    en = _w(sc.score_presales(frame, RULES), "en")
    assert (
        en.loc[0, "explanation"]
        == "A1 call not answered within 3 rings ×11 −22; A7 poor wording or tone ×2 −8; B1 late or early leave ×1 −3; B6 personal leave (per day) ×1 −2; exam 80"
    )

    table = _w(sc.build_scorecards(frame, None, roster_of(("KF0101", "售前一组", "presales")), CFG))
    assert list(table.columns) == sc.TABLE_COLUMNS + ["explanation", "reason"]
    assert table.loc[0, "pay"] == 314.00
    assert table.loc[0, "rank"] == 1
    assert table.loc[0, "team"] == "售前一组"
    assert table.loc[0, "flags"] == ""


def test_presales_floor_red_line_and_missing_exam():
    # A8×30 = −120 → business floored at 0; B3×25 = −125 → discipline 0; exam blank → 待核实
    frame = pd.DataFrame([pre_row("KF0102", exam=None, A8=30, B3=25, R1=1, R2=2)])
    out = _w(sc.score_presales(frame, RULES))
    assert out.loc[0, ["business", "discipline"]].tolist() == [0.0, 0.0]
    assert pd.isna(out.loc[0, "exam"]) and pd.isna(out.loc[0, "total"])
    assert out.loc[0, "status"] == "to_check" and out.loc[0, "check"] == "blank_score:exam:"
    assert bool(out.loc[0, "flag_floor"]) and bool(out.loc[0, "flag_red_line"])
    assert not bool(out.loc[0, "flag_exam_missing"])
    assert out.loc[0, "explanation"] == (
        "A8 对客户用语不文明 ×30 −120; B3 缺勤未及时电话报告 ×25 −125; R1 与客户争执或冲突 ×1 红线; R2 绕过工单私下联系技术人员 ×2 红线; 业务 封底 0; 纪律 封底 0; 笔试 缺"
    )
    # blank_as_zero: the blank exam scores 0, and the explanation and flags say so
    zero = sc.month_rules(
        config.load_config(overrides={"scorecard": {"blank_as_zero": True}}), "2026-10"
    )
    out = _w(sc.score_presales(frame, zero))
    assert out.loc[0, ["business", "discipline", "exam", "total"]].tolist() == [0.0, 0.0, 0.0, 0.0]
    assert out.loc[0, "status"] == "scored"
    assert bool(out.loc[0, "flag_exam_missing"]) and bool(out.loc[0, "flag_blank_as_zero"])
    assert out.loc[0, "explanation"].endswith("笔试 空白按 0 计")


@pytest.mark.parametrize(("n", "discipline"), [(0, 100.0), (1, 95.0), (2, 85.0), (3, 75.0)])
def test_b12_first_then_later(n, discipline):
    # first refusal 5, each later one 10
    out = _w(sc.score_presales(pd.DataFrame([pre_row("KF0103", B12=n)]), RULES))
    assert out.loc[0, "discipline"] == discipline


def test_b12_explanation_and_configurable():
    frame = pd.DataFrame([pre_row("KF0103", B12=3)])
    assert (
        _w(sc.score_presales(frame, RULES)).loc[0, "explanation"]
        == "B12 拒绝主管安排 ×3 −25; 笔试 80"
    )
    cfg = config.load_config(
        overrides={"scorecard": {"presales": {"b12": {"first": 4, "later": 6}}}}
    )
    out = _w(sc.score_presales(frame, config.scorecard_rules(cfg, "2026-10")))
    assert out.loc[0, "discipline"] == 84.0  # 100 − 4 − 2×6


# --------------------------------------------------------------------------------- after-sales


def test_aftersales_hand_computed():
    frame = pd.DataFrame(
        [
            # team avg (120 + 80) / 2 = 100
            aft_row("KF0201", tickets=120, cb_A=10, cb_B=5, cb_C=3, cb_D=2, attitude="B",
                    teamwork="A", late_reports=2, violations=1, suggestions=7, complaints=2),
            aft_row("KF0202", tickets=80, cb_A=6, cb_B=4, cb_C=1, cb_D=1, attitude="c",
                    teamwork=None, late_reports=25),
        ]
    )  # fmt: skip
    roster = roster_of(("KF0201", "售后一组", "aftersales"), ("KF0202", "售后一组", "aftersales"))
    out = _w(sc.score_aftersales(frame, RULES, roster=roster)).set_index("agent_id")
    a = out.loc["KF0201"]
    # volume 120; callbacks 50 + 15 + 0 − 10 = 55; attitude B 80; reports 100 − 10 = 90;
    # rules 100 − 5 = 95; teamwork A 100; suggestions 7×5 = 35 capped at 30; complaints −10
    comps = [
        "volume",
        "satisfaction",
        "attitude",
        "reports",
        "rules",
        "teamwork",
        "bonus",
        "penalty",
    ]
    assert a[comps].tolist() == [120.0, 55.0, 80.0, 90.0, 95.0, 100.0, 30.0, -10.0]
    # 36 + 16.5 + 8 + 9 + 9.5 + 10 + 30 − 10 = 109
    assert a["total"] == 109.0
    assert bool(a["flag_cap"]) and not bool(a["flag_callbacks_scaled"])
    assert a["explanation"] == (
        "单量 120 / 组均 100 = 120; 回访 A×10 +50, B×5 +15, C×3 0, D×2 −10 = +55; 态度 B 80; "
        "协作 A 100; 迟交报告×2 −10; 违规×1 −5; 建议×7 +35 → 封顶 +30; 投诉×2 −10"
    )
    # KF0202's teamwork grade is blank: not a score, so 待核实 (no total, rank or pay) by default
    b = out.loc["KF0202"]
    assert b["status"] == "to_check" and b["check"] == "blank_score:teamwork:"
    assert pd.isna(b["total"]) and pd.isna(b["teamwork"])
    table = _w(sc.build_scorecards(None, frame, roster, CFG)).set_index("agent_id")
    assert table.loc["KF0201", "pay"] == 436.00  # 400 × 109 / 100
    assert table.loc["KF0201", "rank"] == 1 and table.loc["KF0201", "status"] == "scored"
    assert pd.isna(table.loc["KF0202", "pay"]) and pd.isna(table.loc["KF0202", "rank"])
    assert table.loc["KF0202", "reason"] == "团队协作空白"

    # With blank_as_zero the blank grade scores 0 and the explanation says so.
    # 12 callbacks: 30 + 12 + 0 − 5 = 37, scaled to 20: 37 × 20 / 12 = 61.67; reports floored at 0;
    # teamwork blank → 0. Total 24 + 18.5 + 6 + 0 + 10 + 0 = 58.5
    cfg0 = config.load_config(overrides={"scorecard": {"blank_as_zero": True}})
    b = _w(sc.score_aftersales(frame, sc.month_rules(cfg0, "2026-10"), roster=roster))
    b = b.set_index("agent_id").loc["KF0202"]
    assert b[comps].tolist() == [80.0, 61.67, 60.0, 0.0, 100.0, 0.0, 0.0, 0.0]
    assert b["total"] == 58.5 and b["status"] == "scored"
    assert (
        bool(b["flag_callbacks_scaled"]) and bool(b["flag_floor"]) and bool(b["flag_grade_missing"])
    )
    assert b["explanation"] == (
        "单量 80 / 组均 100 = 80; 回访 12 条: A×6 +30, B×4 +12, C×1 0, D×1 −5 = +37 → ×20/12 = +61.67; "
        "态度 C 60; 协作 空白按 0 计; 迟交报告×25 −125; 日志周报 封底 0"
    )
    table = _w(sc.build_scorecards(None, frame, roster, cfg0)).set_index("agent_id")
    assert table.loc["KF0201", "pay"] == 436.00
    assert table.loc["KF0202", "pay"] == 234.00
    assert table.loc["KF0202", "flags"] == "callbacks_scaled;floor;grade_missing;blank_as_zero"


def test_more_than_20_callbacks_scaled_down_and_no_callbacks():
    frame = pd.DataFrame(
        [
            aft_row("KF0203", cb_A=25, cb_B=0),
            aft_row("KF0204", cb_A=0),
            aft_row("KF0205", cb_A=19, cb_D=1),
        ]
    )
    out = _w(sc.score_aftersales(frame, RULES)).set_index("agent_id")
    assert out.loc["KF0203", "satisfaction"] == 100.0  # 125 × 20 / 25
    assert bool(out.loc["KF0203", "flag_callbacks_scaled"])
    assert out.loc["KF0204", "satisfaction"] == 0.0
    assert bool(out.loc["KF0204", "flag_no_callbacks"])
    assert out.loc["KF0205", "satisfaction"] == 90.0  # 95 − 5, exactly 20: not scaled
    assert not bool(out.loc["KF0205", "flag_callbacks_scaled"])


def test_complaints_unlimited_and_total_floor():
    frame = pd.DataFrame(
        [
            aft_row("KF0206", complaints=12),  # −60, no cap
            aft_row("KF0207", tickets=0, cb_A=0, cb_D=20, attitude="E", teamwork="E",
                    late_reports=30, violations=30, complaints=10),
        ]
    )  # fmt: skip
    out = _w(sc.score_aftersales(frame, RULES)).set_index("agent_id")
    # KF0206: volume 100/50 × 100 = 200 (team avg of 100 and 0 is 50): 60 + 30 + 10×4 − 60 = 70
    assert out.loc["KF0206", "penalty"] == -60.0
    assert out.loc["KF0206", "volume"] == 200.0
    assert out.loc["KF0206", "total"] == 70.0
    # KF0207: 0 − 30 (satisfaction −100 × 0.3) + 0 − 50 = −80 → raised to the floor 0
    assert out.loc["KF0207", ["satisfaction", "reports", "rules"]].tolist() == [-100.0, 0.0, 0.0]
    assert out.loc["KF0207", "total"] == 0.0
    assert out.loc["KF0207", "explanation"].endswith("投诉×10 −50; 总分 封底 0")


def test_volume_falls_back_to_role_average_when_not_in_roster():
    frame = pd.DataFrame(
        [
            aft_row("KF0201", tickets=120),
            aft_row("KF0202", tickets=80),
            aft_row("KF0299", tickets=150),
        ]
    )
    roster = roster_of(("KF0201", "售后一组", "aftersales"), ("KF0202", "售后一组", "aftersales"))
    table = _w(sc.build_scorecards(None, frame, roster, CFG)).set_index("agent_id")
    assert table.loc["KF0201", "volume"] == 120.0  # team average 100
    assert table.loc["KF0299", "volume"] == 128.57  # 150 / ((120 + 80 + 150) / 3) × 100
    assert "not_in_roster" in table.loc["KF0299", "flags"].split(";")
    assert pd.isna(table.loc["KF0299", "team"])
    assert table.loc["KF0299", "explanation"].startswith("单量 150 / 岗位均 116.67 = 128.57")
    check = sc.roster_check(table.reset_index(), roster_of(("KF0201", "售后一组", "aftersales"),
                            ("KF0202", "售后一组", "aftersales"), ("KF0300", "售后二组", "aftersales")), "2026-10")  # fmt: skip
    assert check.values.tolist() == [
        ["KF0300", "姓名00", "aftersales", "no_scorecard"],
        ["KF0299", "姓名99", "aftersales", "not_in_roster"],
    ]


# --------------------------------------------------------------------------------- ranking, pay


def test_ties_share_the_lower_rank_and_bottom_two():
    # totals 90.8 / 87.2 / 87.2 / 86: A7×3, A1×6, A1×6, A1×10 (business 88, 88, 88, 80)
    frame = pd.DataFrame(
        [
            pre_row("KF0101", A7=3),  # 52.8 + 30 + 8 = 90.8
            pre_row("KF0102", A1=6, exam=44),  # 52.8 + 30 + 4.4 = 87.2
            pre_row("KF0103", A7=3, exam=44),  # 87.2
            pre_row("KF0104", A1=10),  # 48 + 30 + 8 = 86
        ]
    )
    table = _w(sc.build_scorecards(frame, None, None, CFG)).set_index("agent_id")
    assert table["total"].tolist() == [90.8, 87.2, 87.2, 86.0]
    assert table["rank"].tolist() == [1, 2, 2, 4]
    assert table["pay"].tolist() == [363.2, 348.8, 348.8, 344.0]
    assert table["flags"].tolist() == ["", "tie;bottom_n", "tie;bottom_n", "bottom_n"]
    cons = _lists(sc.consequences(table.reset_index(), CFG, "2026-10"))
    imp = cons[cons["list"] == "improvement"]
    assert imp["agent_id"].tolist() == ["KF0102", "KF0103", "KF0104"]
    assert set(imp["due_date"]) == {"2026-11-08"}  # bulletin 1 Nov + 7 days
    later = _lists(sc.consequences(table.reset_index(), CFG, "2026-10", bulletin="2026-11-03"))
    assert set(later.loc[later["list"] == "improvement", "due_date"]) == {"2026-11-10"}


def test_pay_rounded_to_two_decimals():
    # business 100 − A1×1 = 98, discipline 100, exam 77 → 58.8 + 30 + 7.7 = 96.5 → 386.00;
    # exam 77.33 → 96.53 (rounded) → 386.12
    frame = pd.DataFrame([pre_row("KF0101", A1=1, exam=77.33)])
    table = _w(sc.build_scorecards(frame, None, None, CFG))
    assert table.loc[0, "total"] == 96.53
    assert table.loc[0, "pay"] == 386.12


def test_red_line_listed_whatever_the_score():
    frame = pd.DataFrame(
        [pre_row("KF0101", R2=1, exam=100), pre_row("KF0102"), pre_row("KF0103", A1=1)]
    )
    table = _w(sc.build_scorecards(frame, None, None, CFG))
    top = table.set_index("agent_id").loc["KF0101"]
    assert top["rank"] == 1 and top["total"] == 100.0
    assert top["flags"] == "red_line"
    cons = _lists(sc.consequences(table, CFG, "2026-10", presales=frame))
    red = cons[cons["list"] == "red_line"]
    assert red[["agent_id", "reason"]].values.tolist() == [
        ["KF0101", "红线项目 R2 绕过工单私下联系技术人员 ×1"]
    ]
    en = _lists(sc.consequences(table, CFG, "2026-10", presales=frame), "en")
    assert en.loc[en["list"] == "red_line", "reason"].tolist() == [
        "red-line items R2 contacting technicians privately ×1"
    ]


# --------------------------------------------------------------------------------- streaks


def year_frame(months: range = range(1, 13), skip: tuple[str, str] | None = None) -> pd.DataFrame:
    rows = []
    for m in months:
        p = f"2026-{m:02d}"
        rows += [
            pre_row("KF0101", p, A7=3),  # 90.8 under A7 = 4; 96.2 once A7 = 1 (from July)
            pre_row("KF0102", p, A1=5),  # 92
            pre_row("KF0103", p, A1=10),  # 86: last every month
        ]
    frame = pd.DataFrame(rows)
    if skip:
        frame = frame[~((frame["agent_id"] == skip[0]) & (frame["period"] == skip[1]))]
    return frame.reset_index(drop=True)


CHANGE = {
    "scorecard": {"changes": [{"from": "2026-07", "presales": {"business_points": {"A7": 1}}}]}
}


def test_streaks_across_a_year_with_a_rule_change():
    cfg = config.load_config(overrides=CHANGE)
    table = _w(sc.build_scorecards(year_frame(), None, None, cfg))
    by = table.pivot(index="period", columns="agent_id", values="total")
    assert by.loc["2026-06"].tolist() == [90.8, 92.0, 86.0]  # each month by its own rules
    assert by.loc["2026-07"].tolist() == [96.2, 92.0, 86.0]
    top = table.pivot(index="period", columns="agent_id", values="streak_top_months")
    assert top["KF0102"].tolist() == [1, 2, 3, 4, 5, 6, 0, 0, 0, 0, 0, 0]
    assert top["KF0101"].tolist() == [0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6]
    bottom = table.pivot(index="period", columns="agent_id", values="streak_bottom_months")
    assert bottom["KF0103"].tolist() == list(range(1, 13))

    bonus = pd.concat([_lists(sc.consequences(table, cfg, f"2026-{m:02d}")) for m in range(1, 13)])
    lines = bonus[bonus["list"] == "bonus"]
    assert lines[["period", "agent_id", "amount"]].values.tolist() == [
        ["2026-03", "KF0102", 300.0],
        ["2026-06", "KF0102", 300.0],
        ["2026-09", "KF0101", 300.0],
        ["2026-12", "KF0101", 300.0],
    ]
    transfer = bonus[bonus["list"] == "transfer"]
    assert transfer["period"].tolist() == [f"2026-{m:02d}" for m in range(3, 13)]
    assert set(transfer["agent_id"]) == {"KF0103"}
    assert (
        "top_streak" in table.set_index(["period", "agent_id"]).loc[("2026-09", "KF0101"), "flags"]
    )

    # without the change KF0102 stays first all year
    plain = _w(sc.build_scorecards(year_frame(), None, None, CFG))
    assert plain.pivot(index="period", columns="agent_id", values="streak_top_months")[
        "KF0102"
    ].tolist() == list(range(1, 13))

    summary = sc.year_summary(table, 2026, bonus=lines).set_index("agent_id")
    x = summary.loc["KF0101"]
    assert x["months"] == 12
    assert x["average"] == 93.5  # (6 × 90.8 + 6 × 96.2) / 12
    assert (x["best_period"], x["best_total"]) == ("2026-07", 96.2)
    assert (x["worst_period"], x["worst_total"]) == ("2026-01", 90.8)
    assert x["pay_total"] == 4488.0  # 6 × 363.2 + 6 × 384.8
    assert x["bonus_total"] == 600.0
    assert x["2026-12"] == 96.2
    assert summary.index.tolist() == ["KF0101", "KF0102", "KF0103"]  # by average, best first


def test_missing_month_breaks_a_streak():
    table = _w(
        sc.build_scorecards(year_frame(range(1, 7), skip=("KF0102", "2026-04")), None, None, CFG)
    )
    top = table.pivot(index="period", columns="agent_id", values="streak_top_months")
    assert top["KF0102"].fillna(-1).tolist() == [1, 2, 3, -1, 1, 2]
    assert top["KF0101"].tolist() == [0, 0, 0, 1, 0, 0]  # first in April while KF0102 is absent


def test_payroll_adds_the_streak_bonus_and_flags_in_words():
    cfg = config.load_config(overrides=CHANGE)
    table = _w(sc.build_scorecards(year_frame(range(1, 4)), None, None, cfg))
    lists = _lists(sc.consequences(table, cfg, "2026-03"))
    pay = sc.payroll(table, lists, "2026-03").set_index("agent_id")
    assert pay.loc["KF0102", ["pay", "streak_bonus", "pay_due"]].tolist() == [368.0, 300.0, 668.0]
    assert pay.loc["KF0101", ["pay", "streak_bonus", "pay_due"]].tolist() == [363.2, 0.0, 363.2]
    words = views_sc.describe_flags(pd.Series(["red_line;tie", "", "bottom_n"]))
    assert words.tolist() == ["红线、同分", "", "末位"]
    assert views_sc.describe_flags(pd.Series(["tie;cap"]), "en").tolist() == ["tie, capped"]


def test_chart_agents_keeps_best_worst_and_red_lines() -> None:
    from analysis.scorecard import chart_agents, most_deducted

    n = 100
    table = pd.DataFrame(
        {
            "period": "2026-03",
            "role": "presales",
            "agent_id": [f"KF{i:04d}" for i in range(n)],
            "rank": range(1, n + 1),
            "flags": ["red_line" if i == 50 else "" for i in range(n)],
        }
    )
    shown = chart_agents(table, "2026-03", 10)
    # ranks 1-5 and 96-100, plus the red-line case at rank 51
    assert shown == sorted([f"KF{i:04d}" for i in [0, 1, 2, 3, 4, 95, 96, 97, 98, 99, 50]])
    assert chart_agents(table, "2026-03", 200) == table["agent_id"].tolist()
    bd = pd.DataFrame({"agent_id": ["a", "a", "b", "c"], "points": [-4.0, 5.0, -2.0, -9.0]})
    assert sorted(most_deducted(bd, 2)["agent_id"].unique()) == ["a", "c"]


# ------------------------------------------------------------- 待核实: blanks, duplicates, not scored


def _twenty(blank_agent: str = "P10") -> pd.DataFrame:
    # P01…P20: B6 (personal leave, 2 points) × (k − 1) → discipline 100 − 2(k − 1);
    # total = 60 + 0.3 × discipline + 8 = 98 − 0.6(k − 1). P10 (92.6) has a blank exam.
    rows = [pre_row(f"P{k:02d}", B6=k - 1) for k in range(1, 21)]
    for r in rows:
        if r["agent_id"] == blank_agent:
            r["exam"] = None
    return pd.DataFrame(rows)


def test_blank_exam_goes_to_check_not_to_the_bottom():
    table = _w(sc.build_scorecards(_twenty(), None, None, CFG))
    ok = table[table["status"] == "scored"]
    assert ok["agent_id"].tolist() == [f"P{k:02d}" for k in range(1, 21) if k != 10]
    assert ok["rank"].tolist() == list(range(1, 20))
    # pay = 400 × total / 100: P01 98 → 392.00 … P09 93.2 → 372.80, P11 92 → 368.00 … P20 86.6
    assert ok["pay"].tolist() == [
        392.00, 389.60, 387.20, 384.80, 382.40, 380.00, 377.60, 375.20, 372.80,
        368.00, 365.60, 363.20, 360.80, 358.40, 356.00, 353.60, 351.20, 348.80, 346.40,
    ]  # fmt: skip
    p10 = table[table["agent_id"] == "P10"].iloc[0]
    assert p10["status"] == "to_check" and p10["reason"] == "笔试空白"
    assert pd.isna(p10["total"]) and pd.isna(p10["rank"]) and pd.isna(p10["pay"])
    assert "bottom_n" not in p10["flags"]
    cons = _lists(sc.consequences(table, CFG, "2026-10"))
    assert cons.loc[cons["list"] == "improvement", "agent_id"].tolist() == ["P19", "P20"]
    pay = sc.payroll(table, cons, "2026-10")
    assert len(pay) == 19 and "P10" not in set(pay["agent_id"])
    assert round(pay["pay_due"].sum(), 2) == 7013.60  # 4 × (1846 − 92.6)
    check = _check_list(sc.to_check_list(table, "2026-10"))
    assert check[["agent_id", "reason"]].values.tolist() == [["P10", "笔试空白"]]
    en = _w(sc.build_scorecards(_twenty(), None, None, CFG), "en")
    assert en.loc[en["agent_id"] == "P10", "reason"].item() == "Exam blank"

    # blank_as_zero: the blank exam scores 0 → 60 + 0.3 × 82 = 84.6, last of 20, improvement plan
    cfg0 = config.load_config(overrides={"scorecard": {"presales": {"blank_as_zero": True}}})
    zero = _w(sc.build_scorecards(_twenty(), None, None, cfg0)).set_index("agent_id")
    assert zero.loc["P10", ["total", "rank", "pay"]].tolist() == [84.6, 20, 338.40]
    assert zero.loc["P10", "explanation"] == "B6 事假(每天) ×9 −18; 笔试 空白按 0 计"
    assert zero.loc["P10", "flags"] == "bottom_n;exam_missing;blank_as_zero"
    cons = _lists(sc.consequences(zero.reset_index(), cfg0, "2026-10"))
    assert cons.loc[cons["list"] == "improvement", "agent_id"].tolist() == ["P20", "P10"]


def test_to_check_month_breaks_streaks():
    # K1 first in Aug, Sep and Nov, but Oct's exam is blank → the run restarts, no quarter bonus;
    # K2 last in Aug, Sep and Nov, but listed twice in Oct → no transfer review.
    rows = []
    for p in ("2026-08", "2026-09", "2026-10", "2026-11"):
        rows += [pre_row("K1", p, exam=None if p == "2026-10" else 100), pre_row("K2", p, exam=10),
                 pre_row("K3", p, exam=60)]  # fmt: skip
    rows.append(pre_row("K2", "2026-10", exam=20))
    table = _w(sc.build_scorecards(pd.DataFrame(rows), None, None, CFG))
    oct_ = table[table["period"] == "2026-10"].set_index("agent_id")
    assert oct_.loc["K3", ["rank", "pay", "streak_top_months"]].tolist() == [1, 384.0, 1]
    assert oct_.index[oct_["status"] == "to_check"].tolist() == ["K1", "K2", "K2"]
    assert oct_.loc["K2", "reason"].str.startswith("同月有两行").all()
    assert _lists(
        sc.consequences(table, CFG, "2026-10")
    ).empty  # one scored agent: nobody is bottom
    nov = table[table["period"] == "2026-11"].set_index("agent_id")
    assert nov["streak_top_months"].to_dict() == {"K1": 1, "K3": 0, "K2": 0}
    assert nov.loc["K2", "streak_bottom_months"] == 1
    cons = _lists(sc.consequences(table, CFG, "2026-11"))
    assert cons[["list", "agent_id"]].values.tolist() == [
        ["improvement", "K3"],
        ["improvement", "K2"],
    ]


def test_same_agent_twice_or_in_both_roles_is_never_paid():
    pre = pd.DataFrame(
        [
            {**pre_row("D1"), "source_file": "a.xlsx", "source_sheet": "售前", "source_row": 2},
            {
                **pre_row("D1", A1=1),
                "source_file": "b.xlsx",
                "source_sheet": "3月",
                "source_row": 7,
            },
            {**pre_row("D2"), "source_file": "a.xlsx", "source_sheet": "售前", "source_row": 3},
            {
                **pre_row("D3", A1=5),
                "source_file": "a.xlsx",
                "source_sheet": "售前",
                "source_row": 4,
            },
            {
                **pre_row("D4", A1=10),
                "source_file": "a.xlsx",
                "source_sheet": "售前",
                "source_row": 5,
            },
        ]
    )
    aft = pd.DataFrame(
        [{**aft_row("D2"), "source_file": "c.csv", "source_sheet": "", "source_row": 9}]
    )
    table = _w(sc.build_scorecards(pre, aft, None, CFG))
    ok = table[table["status"] == "scored"]
    # D3 100 − 10 = 90 → 54 + 30 + 8 = 92 → 368.00; D4 80 → 48 + 38 = 86 → 344.00
    assert ok[["agent_id", "rank", "pay"]].values.tolist() == [["D3", 1, 368.0], ["D4", 2, 344.0]]
    bad = table[table["status"] == "to_check"].set_index(["role", "source_file"])
    assert bad.loc[("presales", "a.xlsx"), "reason"].tolist() == [
        "同月有两行 (另见 b.xlsx · 3月 · 第 7 行)",
        "同月既在售前又在售后 (另见 c.csv · 第 9 行)",
    ]
    assert (
        bad.loc[("aftersales", "c.csv"), "reason"]
        == "同月既在售前又在售后 (另见 a.xlsx · 售前 · 第 3 行)"
    )
    assert bad["pay"].isna().all() and bad["rank"].isna().all()
    pay = sc.payroll(table, _lists(sc.consequences(table, CFG, "2026-10")), "2026-10")
    assert pay["agent_id"].tolist() == ["D3", "D4"]
    where = _check_list(sc.to_check_list(table, "2026-10"), "en")["where"].tolist()
    assert where == ["a.xlsx · 售前 · row 2", "b.xlsx · 3月 · row 7", "a.xlsx · 售前 · row 3",
                     "c.csv · row 9"]  # fmt: skip


def test_not_scored_components_rescale_the_other_weights():
    # Seed example without the exam: 70 × 0.6/0.9 + 95 × 0.3/0.9 = 46.667 + 31.667 = 78.33
    frame = pd.DataFrame([pre_row("KF0101", exam=None, A1=11, A7=2, B1=1, B6=1)])
    cfg = config.load_config(overrides={"scorecard": {"presales": {"not_scored": ["exam"]}}})
    table = _w(sc.build_scorecards(frame, None, None, cfg))
    row = table.iloc[0]
    assert row["status"] == "scored" and pd.isna(row["exam"])
    assert row[["business", "discipline", "total", "pay"]].tolist() == [70.0, 95.0, 78.33, 313.32]
    assert row["flags"] == "not_scored"
    assert row["explanation"] == (
        "A1 接听不及时 ×11 −22; A7 用语或语气不当 ×2 −8; B1 迟到或早退 ×1 −3; B6 事假(每天) ×1 −2; 未计分: 笔试; 其余权重 ÷ 0.9 折算为合计 100%"
    )
    # After-sales without satisfaction and teamwork (no callback or teamwork data at all):
    # volume 100 × 0.3 + attitude B 80 × 0.1 + reports 95 × 0.1 + rules 100 × 0.1 = 57.5,
    # ÷ 0.6 = 95.83; + 1 suggestion 5 = 100.83 → 403.32
    no_cb = {"cb_A": None, "cb_B": None, "cb_C": None, "cb_D": None}
    aft = pd.DataFrame([aft_row("KF0301", **no_cb, teamwork=None, attitude="B",
                                late_reports=1, suggestions=1)])  # fmt: skip
    cfg = config.load_config(
        overrides={"scorecard": {"aftersales": {"not_scored": ["satisfaction", "teamwork"]}}}
    )
    row = _w(sc.build_scorecards(None, aft, None, cfg)).iloc[0]
    assert row["status"] == "scored"
    assert row[["volume", "attitude", "reports", "rules", "bonus", "total", "pay"]].tolist() == [
        100.0, 80.0, 95.0, 100.0, 5.0, 100.83, 403.32,
    ]  # fmt: skip
    assert pd.isna(row["satisfaction"]) and pd.isna(row["teamwork"])
    assert row["explanation"].endswith(
        "未计分: 客户满意度、团队协作; 其余权重 ÷ 0.6 折算为合计 100%"
    )
    # The same frame with the default rules: blank callbacks and teamwork → 待核实
    row = _w(sc.build_scorecards(None, aft, None, CFG)).iloc[0]
    assert row["status"] == "to_check" and row["reason"] == "客户满意度空白; 团队协作空白"
    # A rule change for one period only
    cfg = config.load_config(
        overrides={
            "scorecard": {
                "changes": [{"from": "2026-10", "aftersales": {"not_scored": ["teamwork"]}}]
            }
        }
    )
    assert sc.month_rules(cfg, "2026-09")["aftersales"]["not_scored"] == []
    assert sc.month_rules(cfg, "2026-10")["aftersales"]["not_scored"] == ["teamwork"]
