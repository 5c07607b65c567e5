"""The scorecard bulletin as data (views.scorecards) and the public ``score`` verb, from small
literal frames: no papermill, no sample folder."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from analysis import config
from analysis import scorecard as sc
from analysis.io import InputError
from analysis.views import scorecards as views

CFG = config.load_config()
ITEMS = [f"A{i}" for i in range(1, 12)] + [f"B{i}" for i in range(1, 13)] + ["R1", "R2"]


def pre(agent: str, period: str, exam: float | None = 85, **counts: int) -> dict:
    return {"period": period, "agent_id": agent, "name": f"售前{agent}", **dict.fromkeys(ITEMS, 0),
            **counts, "exam": exam}  # fmt: skip


def aft(agent: str, period: str, tickets: float = 90, **values) -> dict:
    row = {"period": period, "agent_id": agent, "name": f"售后{agent}", "tickets": tickets,
           "cb_A": 15, "cb_B": 5, "cb_C": 0, "cb_D": 0, "attitude": "B", "teamwork": "A",
           "late_reports": 0, "violations": 0, "suggestions": 0, "complaints": 0}  # fmt: skip
    return {**row, **values}


def dataset(months: list[str]) -> SimpleNamespace:
    """Five pre-sales agents (one with a blank exam in the last month), three after-sales."""
    rows, arows = [], []
    for m in months:
        rows += [
            pre("S1", m, A3=1),
            pre("S2", m, B2=2),
            pre("S3", m, A9=3, B5=1),
            pre("S4", m, A1=4, B7=2),
            pre("S5", m, exam=None if m == months[-1] else 70),
        ]
        arows += [aft("H1", m, 120), aft("H2", m, 80, complaints=2), aft("H3", m, 100, cb_D=4)]
    roster = pd.DataFrame(
        {
            "agent_id": ["S1", "S2", "S3", "S4", "S5", "S6", "H1", "H2", "H3"],
            "name": [f"人{i}" for i in range(9)],
            "team": ["北组"] * 3 + ["南组"] * 3 + ["东组"] * 3,
            "role": ["presales"] * 6 + ["aftersales"] * 3,
            "leader": ["甲"] * 3 + ["乙"] * 3 + ["丙"] * 3,
        }
    )
    return SimpleNamespace(
        presales=pd.DataFrame(rows), aftersales=pd.DataFrame(arows), roster=roster,
        latest_period=months[-1],
    )  # fmt: skip


def test_build_holds_every_section_of_the_bulletin() -> None:
    ds = dataset(["2025-10", "2025-11", "2025-12"])
    v = views.build(ds, CFG, "", "zh")
    assert v.period == "2025-12" and v.has_data and v.roles == ["presales", "aftersales"]
    ranking = v.rankings["presales"]["table"]["df"]
    # S5's blank exam: not ranked, listed under 待核实 with the reason in words
    # S1 97.3 (A3 −2), S2 96.7 (B2×2 −6), S4 90.7, S3 90.4
    assert ranking["agent_id"].tolist() == ["S1", "S2", "S4", "S3"]
    assert ranking["rank"].tolist() == [1, 2, 3, 4]
    assert ranking.loc[ranking["agent_id"] == "S4", "explanation"].item() == (
        "A1 接听不及时 ×4 −8; B7 上班玩游戏 ×2 −10; 笔试 85"
    )
    check = v.to_check["table"]["df"]
    assert check[["agent_id", "reason"]].values.tolist() == [
        ["S5", "笔试空白"],
        ["S6", "在花名册, 本月无考核记录"],
    ]
    tiles = {t["label"]: t["value"] for t in v.tiles}
    assert tiles["考核人数"] == "7" and tiles["待核实"] == "1"
    lists = {part["heading"]: part["table"]["df"] for part in v.lists}
    assert lists["末位 · 提交整改方案"]["agent_id"].tolist() == ["S4", "S3", "H3", "H2"]
    assert lists["末位 · 提交整改方案"]["reason"].tolist()[0] == "本月排名 3/4"
    # after-sales: H1 101 (120 tickets / team average 100), H3 85.5 (4 D callbacks), H2 79.
    # First three months running: one streak bonus each, the default 300 元.
    assert lists["连续第一 · 季度奖励"][["agent_id", "amount", "reason"]].values.tolist() == [
        ["S1", 300.0, "连续 3 个月第一"],
        ["H1", 300.0, "连续 3 个月第一"],
    ]
    assert v.year is not None and v.year["heading"] == "2025 年终考评"
    assert set(v.teams["df"]["team"]) == {"北组", "南组", "东组"}
    deductions = v.charts["deductions"]
    assert {"A1", "B7", "complaints", "cb_D"} <= set(deductions["item"])
    assert deductions.loc[deductions["agent_id"] == "H3", "points"].item() == -20.0


def test_english_view_and_exports(tmp_path: Path) -> None:
    v = views.build(
        dataset(["2026-03"]), CFG, "2026-03", "en", bulletin="2026-04-03", today=dt.date(2026, 4, 3)
    )
    assert v.title == "Monthly scorecard bulletin · 2026-03"
    assert "2026-04-10" in v.lists_note
    assert v.year is None
    written = views.write_exports(v, tmp_path)
    assert [p.name for p in written] == ["scorecards.csv", "scorecards.xlsx"]
    csv = pd.read_csv(tmp_path / "scorecards.csv", encoding="utf-8-sig")
    assert csv.columns.tolist() == sc.SCORECARD_COLUMNS
    assert set(csv["status"]) == {"scored", "to_check"}
    assert csv.loc[csv["agent_id"] == "S5", "reason"].item() == "Exam blank"
    sheets = pd.read_excel(tmp_path / "scorecards.xlsx", sheet_name=None, engine="openpyxl")
    assert list(sheets) == [
        "Pre-sales agents",
        "After-sales agents",
        "Action lists",
        "To be checked",
    ]
    assert "Deductions and bonuses" in sheets["Pre-sales agents"].columns
    assert views.write_exports(v, "") == []


def test_a_month_without_scorecards_falls_back_and_says_so() -> None:
    v = views.build(dataset(["2026-01", "2026-02"]), CFG, "2026-05", "zh")
    assert v.period == "2026-02"
    assert "2026-05 无考核数据, 改为显示最近的考核月份 2026-02。" in v.notes


def test_explanations_are_items_in_the_domain_and_words_at_the_edge() -> None:
    frame = pd.DataFrame(
        [aft("H9", "2026-10", 100, cb_A=10, cb_B=0, cb_D=12, suggestions=9, late_reports=30)]
    )
    out = sc.score_aftersales(frame, sc.month_rules(CFG, "2026-10"))
    items = out.loc[0, "items"]
    assert all(isinstance(i, sc.Item) for i in items)
    codes = [i.code for i in items]
    assert codes == ["volume", "cb_A", "cb_D", "callbacks_scaled", "attitude", "teamwork",
                     "late_reports", "floor", "suggestions_capped"]  # fmt: skip
    cap = items[codes.index("suggestions_capped")]
    assert (cap.count, cap.points, cap.value) == (9.0, 45.0, 30.0)
    assert views.explain(items, "en") == (
        "tickets 100 / role avg 100 = 100; callbacks 22 calls: A×10 +50, D×12 −60 = −10 → ×20/22"
        " = −9.09; attitude B 80; teamwork A 100; late reports×30 −150; reports floored at 0; "
        "suggestions×9 +45 → capped +30"
    )


@pytest.mark.parametrize("seed", [1, 2])
def test_numbers_print_as_before(seed: int) -> None:
    """The words' numbers match the Arrow cast the explanation used before (8 → "8")."""
    rng = np.random.default_rng(seed)
    values = np.concatenate([rng.normal(0, 500, 500).round(d) for d in range(4)])
    arrow = pc.cast(pa.array(np.round(values, 2) + 0.0), pa.string()).to_pylist()
    assert [views._num(v) for v in values] == arrow


def test_one_streak_default_read_from_the_rules() -> None:
    cfg = {**CFG, "pay": {k: v for k, v in CFG["pay"].items() if k != "streak_months"}}
    assert sc.streak_months(cfg["pay"]) == config.load_defaults()["pay"]["streak_months"]
    ds = dataset(["2026-01", "2026-02", "2026-03"])
    table = sc.build_scorecards(ds.presales, None, None, cfg)
    lists = sc.consequences(table, cfg, "2026-03")
    assert table["flags"].str.contains("top_streak").sum() == 1
    assert lists.loc[lists["list"] == "bonus", "agent_id"].tolist() == ["S1"]


def test_score_reads_chinese_headers_with_the_default_rules() -> None:
    frame = pd.DataFrame(
        {
            "月份": ["2026-10", "2026-10"],
            "工号": [7, 8],
            "姓名": ["王", "李"],
            "A7": [2, 0],
            "B1": [1, None],
            "笔试": [80, 90],
        }  # fmt: skip
    )
    out = sc.score(frame)
    assert out.columns.tolist() == sc.TABLE_COLUMNS
    assert out[["agent_id", "total", "rank", "pay"]].values.tolist() == [
        ["8", 99.0, 1, 396.0],
        ["7", 92.3, 2, 369.2],
    ]
    assert (
        views.labelled(out, "zh")["explanation"].tolist()[1]
        == "A7 用语或语气不当 ×2 −8; B1 迟到或早退 ×1 −3; 笔试 80"
    )


def test_score_names_the_missing_or_mistyped_column() -> None:
    frame = pd.DataFrame([aft("H1", "2026-10"), aft("H2", "2026-10")])
    with pytest.raises(InputError, match="attitude"):
        sc.score(frame.drop(columns=["attitude"]))
    with pytest.raises(InputError, match=r"tickets row 1: 'many'"):
        sc.score(frame.assign(tickets=[10, "many"]))
    with pytest.raises(InputError, match="not a month"):
        sc.score(frame.assign(period=["2026-10", "soon"]))
    with pytest.raises(InputError, match="role"):
        sc.score(frame[["period", "agent_id", "name"]])
    assert sc.score(frame, role="aftersales")["status"].eq("scored").all()


def test_verdict_names_first_and_last_and_warns_of_a_second_month_last() -> None:
    # 2025-11: S1 97.3, S5 97, S2 96.7, S4 90.7, S3 90.4; 2025-12: S5's exam blank (待核实).
    # S3 is last of the pre-sales both months, H2 (79) of the after-sales both months.
    v = views.build(dataset(["2025-11", "2025-12"]), CFG, "", "zh", today=dt.date(2025, 12, 1))
    texts = [line.text for line in v.verdict]
    assert texts[0] == "售前专员: 第一 售前S1 (S1) 97.3 分; 末位 售前S3 (S3) 90.4 分"
    assert texts[1].startswith("售后专员: 第一 售后H1 (H1)")
    assert "本月无红线" in texts
    assert "待核实 2 人, 数据改正前不排名、不计发绩效工资: 售前S5 (S5)、人5 (S6)" in texts
    assert (
        "提交整改方案 4 人, 2026-01-08 前提交: 售前S4 (S4)、售前S3 (S3)、售后H3 (H3)、售后H2 (H2)"
        in texts
    )
    streak = [line for line in v.verdict if "连续第二个月末位" in line.text]
    assert [(line.text, line.tone) for line in streak] == [
        ("售后H2 (H2, 售后专员) 连续第二个月末位; 连续 3 个月末位将进入调岗审议", "over"),
        ("售前S3 (S3, 售前专员) 连续第二个月末位; 连续 3 个月末位将进入调岗审议", "over"),
    ]
    en = views.build(dataset(["2025-11", "2025-12"]), CFG, "", "en", today=dt.date(2025, 12, 1))
    assert any("last for the second month running" in line.text for line in en.verdict)


def test_previous_rank_and_change_beside_this_month() -> None:
    v = views.build(dataset(["2025-11", "2025-12"]), CFG, "", "zh", today=dt.date(2025, 12, 1))
    rows = v.rankings["presales"]["table"]["df"]
    assert rows["agent_id"].tolist() == ["S1", "S2", "S4", "S3"]
    assert rows["prev_rank"].tolist() == [1, 3, 4, 5]
    assert rows["rank_change"].tolist() == [0, 1, 1, 1]
    assert rows["rank_move"].tolist() == ["=", "↑1", "↑1", "↑1"]
    assert views.change_word(-2, 3) == "↓2"
    assert views.change_word(pd.NA, pd.NA, "en") == "new"
    first = views.build(dataset(["2025-11"]), CFG, "", "zh", today=dt.date(2025, 12, 1))
    assert set(first.rankings["presales"]["table"]["df"]["rank_move"]) == {"新"}


def test_legend_comes_from_the_rules_in_force() -> None:
    rules = config.scorecard_rules(CFG, "2026-10")
    rules["presales"]["business_points"] = {"A1": 3, "A9": 4}
    rules["presales"]["discipline_points"] = {"B1": 3}
    rules["presales"]["b12"] = {"first": 5, "later": 10}
    rules["presales"]["red_line"] = ["R1"]
    rules["aftersales"] = {"complaint_points": 5, "suggestion_points": 5, "suggestion_cap": 30}
    zh = views.legend(rules, "zh")
    assert zh.values.tolist() == [
        ["售前 · 业务考核 (表 A)", "A1", "接听不及时", "每次 −3"],
        ["售前 · 业务考核 (表 A)", "A9", "未认真倾听、答非所问", "每次 −4"],
        ["售前 · 工作纪律 (表 B)", "B1", "迟到或早退", "每次 −3"],
        ["售前 · 工作纪律 (表 B)", "B12", "拒绝主管安排", "首次 −5, 此后每次 −10"],
        ["售前 · 红线", "R1", "与客户争执或冲突", "不扣分, 报送辞退审议"],
        ["售后", "", "投诉", "每次 −5"],
        ["售后", "", "建议", "每条 +5, 封顶 +30"],
    ]
    en = views.legend(rules, "en")
    assert en.iloc[0].tolist() == [
        "Pre-sales · business (table A)", "A1", "call not answered within 3 rings", "−3 each",
    ]  # fmt: skip
    v = views.build(dataset(["2025-12"]), CFG, "", "zh", today=dt.date(2025, 12, 1))
    assert v.legend is not None and v.legend["heading"] == "扣分项目一览 (2025-12 有效规则)"
    # A1–A11, B1–B12, R1, R2; after-sales: late reports, violations, complaints, suggestions and
    # the four callback grades
    assert len(v.legend["table"]["df"]) == 25 + 4 + 4


def test_agent_cards_have_an_anchor_per_agent_and_one_item_per_line() -> None:
    v = views.build(dataset(["2025-12"]), CFG, "", "zh", today=dt.date(2025, 12, 1))
    html = v.cards["html"]
    for agent in ("S1", "S2", "S3", "S4", "S5", "H1", "H2", "H3"):
        assert f'id="agent-{agent}"' in html
    s4 = html[html.index('id="agent-S4"') :].split("</div></div>")[0]
    assert "<li>A1 接听不及时 ×4 −8</li><li>B7 上班玩游戏 ×2 −10</li><li>笔试 85</li>" in s4
    assert "售前专员 · 名次 3 · 总分 90.7 · 绩效工资 362.80 元" in s4
    assert views.agent_id_anchor("KF 01") == "agent-KF-01"
    assert "<script>" not in views.cards_html(
        pd.DataFrame(
            [
                {
                    "agent_id": "<script>",
                    "name": "x",
                    "role": "presales",
                    "status": "scored",
                    "rank": 1,
                    "total": 90,
                    "pay": 360,
                    "explanation": "",
                }
            ]
        )  # fmt: skip
    )


def test_improvement_deadline_is_never_past_on_the_day_of_generation() -> None:
    ds = dataset(["2025-12"])
    late = views.build(ds, CFG, "", "zh", today=dt.date(2026, 3, 10))
    due = {part["heading"]: part["table"]["df"] for part in late.lists}["末位 · 提交整改方案"]
    assert set(due["due_date"]) == {"2026-03-17"}  # generated 2026-03-10 + 7 days
    on_time = views.build(ds, CFG, "", "zh", today=dt.date(2025, 12, 20))
    due = {part["heading"]: part["table"]["df"] for part in on_time.lists}["末位 · 提交整改方案"]
    assert set(due["due_date"]) == {"2026-01-08"}  # bulletin 2026-01-01 + 7 days
