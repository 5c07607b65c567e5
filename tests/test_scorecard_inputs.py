"""Scorecards read from spreadsheets (issue 11): what a blank, an out-of-range value, a duplicate
row or a missing column does to pay, rank and the lists, end to end through ``load_all``.

Every expected figure is computed by hand from DOMAIN.md §2 in the comments next to it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from scorecard_words import check_list_words as _check_list
from scorecard_words import list_words as _lists
from scorecard_words import table_words as _w

from analysis import scorecard as sc
from analysis.config import load_config
from analysis.io import InputError, load_all


def _folder(tmp_path: Path, config: str = "") -> Path:
    (tmp_path / "scorecards").mkdir(parents=True)
    (tmp_path / "actuals").mkdir()
    (tmp_path / "actuals" / "l.csv").write_text("日期,科目,金额\n2026-04-02,工资,1\n", "utf-8")
    if config:
        (tmp_path / "config.toml").write_text(config, encoding="utf-8")
    return tmp_path


def _xlsx(path: Path, sheets: dict[str, list[list[Any]]]) -> None:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for r, row in enumerate(rows, start=1):
            for c, v in enumerate(row, start=1):
                if v is not None:
                    ws.cell(r, c, v)
    wb.save(path)


def _score(folder: Path) -> tuple[Any, pd.DataFrame]:
    ds = load_all(folder, use_cache=False)
    return ds, _w(sc.build_scorecards(ds.presales, ds.aftersales, ds.roster, load_config(folder)))


def _twelve(blank_row_agent: str = "Q05") -> list[list[Any]]:
    # Q01…Q12: A2 (2 points) × (k − 1) → business 100 − 2(k − 1); discipline 100; exam 90.
    # total = 0.6 × (100 − 2(k − 1)) + 30 + 9 = 99 − 1.2(k − 1); Q05 (94.2) has a blank exam.
    # Scored as 0 it would be 85.2: last of 12, below Q12's 85.8, on the improvement list.
    head = ["笔试", "员工编号", "A2 未用标准问候语", "A9 答非所问", "B1 迟到"]
    rows: list[list[Any]] = [["2026年4月 售前考核表"], [], head]
    for k in range(1, 13):
        agent = f"Q{k:02d}"
        rows.append([None if agent == blank_row_agent else 90, agent, k - 1 or None, None, None])
    return rows


def test_blank_exam_read_from_a_sheet_goes_to_check(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    _xlsx(folder / "scorecards" / "售前考核_2026-04.xlsx", {"Sheet1": _twelve()})
    ds, table = _score(folder)
    dq = ds.dq[ds.dq["code"] == "blank_score"]
    assert dq[["severity", "sheet", "row", "column"]].values.tolist() == [
        ["error", "Sheet1", 8, "笔试"]
    ]
    assert "0–100" in dq["message"].item() and "待核实" in dq["message"].item()
    ok = table[table["status"] == "scored"]
    assert ok["agent_id"].tolist() == [f"Q{k:02d}" for k in range(1, 13) if k != 5]
    assert ok["rank"].tolist() == list(range(1, 12))
    # pay = 4 × total: 99 → 396.00, 97.8 → 391.20, …, Q06 93 → 372.00, …, Q12 85.8 → 343.20
    assert ok["pay"].tolist() == [
        396.00, 391.20, 386.40, 381.60, 372.00, 367.20, 362.40, 357.60, 352.80, 348.00, 343.20,
    ]  # fmt: skip
    q05 = table[table["agent_id"] == "Q05"].iloc[0]
    assert (q05["status"], q05["reason"], q05["source_row"]) == ("to_check", "笔试空白", 8)
    cons = _lists(sc.consequences(table, load_config(folder), "2026-04"))
    assert cons.loc[cons["list"] == "improvement", "agent_id"].tolist() == ["Q11", "Q12"]
    listed = _check_list(sc.to_check_list(table, "2026-04"))
    assert listed.values.tolist() == [
        ["presales", "Q05", "", "笔试空白", "scorecards/售前考核_2026-04.xlsx · Sheet1 · 第 8 行"]
    ]


def test_blank_as_zero_in_the_folder_config(tmp_path: Path) -> None:
    folder = _folder(tmp_path, "[scorecard]\nblank_as_zero = true\n")
    _xlsx(folder / "scorecards" / "售前考核_2026-04.xlsx", {"Sheet1": _twelve()})
    ds, table = _score(folder)
    dq = ds.dq[ds.dq["code"] == "blank_score"]
    assert dq["severity"].tolist() == ["warning"] and "blank_as_zero" in dq["message"].item()
    q05 = table.set_index("agent_id").loc["Q05"]
    # 0.6 × 92 + 30 + 0 = 85.2 → last of 12 → 340.80
    assert q05[["total", "rank", "pay", "status"]].tolist() == [85.2, 12, 340.80, "scored"]
    assert q05["explanation"] == "A2 未用标准问候语 ×4 −8; 笔试 空白按 0 计"


def test_out_of_range_exam_and_grade(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    head = ["工号", "处理单量", "回访A", "回访B", "回访C", "回访D", "工作态度", "团队协作",
            "迟交报告", "违规", "建议采纳", "投诉"]  # fmt: skip
    _xlsx(
        folder / "scorecards" / "2026-04.xlsx",
        {
            "售前": [["工号", "A1", "B1", "笔试"], ["P1", 0, 0, 105], ["P2", 0, 0, 100]],
            "售后": [
                head,
                ["H1", 100, 20, 0, 0, 0, "Ａ", "b", None, None, None, None],
                ["H2", 100, 20, 0, 0, 0, "F", "A", None, None, None, None],
            ],
        },
    )
    ds, table = _score(folder)
    rng = ds.dq[ds.dq["code"] == "out_of_range"].sort_values("sheet")
    assert rng[["severity", "sheet", "row", "column", "value"]].values.tolist() == [
        ["error", "售前", 2, "笔试", "105"],
        ["error", "售后", 3, "工作态度", "F"],
    ]
    assert "0–100" in rng["message"].iloc[0] and "A–E" in rng["message"].iloc[1]
    t = table.set_index("agent_id")
    assert t.loc["P1", "reason"] == "笔试「105」超出允许范围"
    assert t.loc["H2", "reason"] == "工作态度「F」超出允许范围"
    # P2 alone in pre-sales: 100 → 400.00; H1 alone: 30 + 30 + 10 + 10 + 10 + 8 = 98 → 392.00
    assert t.loc["P2", ["rank", "pay"]].tolist() == [1, 400.0]
    assert t.loc["H1", ["rank", "pay"]].tolist() == [1, 392.0]
    assert t.loc[["P1", "H2"], "pay"].isna().all()


def test_duplicate_across_files_is_never_paid_twice(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    head = ["工号", "姓名", "A1 响铃", "A3 工号", "B5 离岗", "笔试"]
    _xlsx(folder / "scorecards" / "2026-04_售前.xlsx", {"售前": [head, ["E1", "甲", 0, 0, 0, 80],
                                                               ["E2", "乙", 1, 0, 0, 70],
                                                               ["E3", "丙", 2, 0, 1, 60]]})  # fmt: skip
    _xlsx(folder / "scorecards" / "2026-04_补录.xlsx", {"补录": [head, ["E2", "乙", 0, 0, 0, 75]]})
    ds, table = _score(folder)
    dup = ds.dq[ds.dq["code"] == "duplicate_scorecard"].sort_values("file")
    assert dup[["file", "row", "value"]].values.tolist() == [
        ["scorecards/2026-04_售前.xlsx", 3, "E2"],
        ["scorecards/2026-04_补录.xlsx", 2, "E2"],
    ]
    assert "2026-04_补录.xlsx · 补录 · 第 2 行" in dup["message"].iloc[0]
    assert "2026-04_售前.xlsx · 售前 · 第 3 行" in dup["message"].iloc[1]
    # E1 100/100/80 → 98 → 392.00; E3 96/97/60 → 57.6 + 29.1 + 6 = 92.7 → 370.80
    pay = sc.payroll(
        table, _lists(sc.consequences(table, load_config(folder), "2026-04")), "2026-04"
    )
    assert pay[["agent_id", "rank", "pay_due"]].values.tolist() == [
        ["E1", 1, 392.0],
        ["E3", 2, 370.8],
    ]
    assert (table["agent_id"] == "E2").sum() == 2 and table.loc[
        table["agent_id"] == "E2", "pay"
    ].isna().all()


def test_agent_in_both_roles_and_roster_gaps(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    _xlsx(
        folder / "roster.xlsx",
        {"花名册": [["工号", "姓名", "岗位", "组"], ["B1", "甲", "售前", "一组"],
                    ["B2", "乙", "售前", "一组"], ["B3", "丙", "售后", "二组"],
                    ["B4", "丁", "售后", "二组"]]},
    )  # fmt: skip
    head = ["工号", "处理单量", "回访A", "回访B", "回访C", "回访D", "工作态度", "团队协作",
            "迟交报告", "违规", "建议采纳", "投诉"]  # fmt: skip
    _xlsx(
        folder / "scorecards" / "2026-04_考核.xlsx",
        {
            "售前": [["工号", "A1", "B1", "笔试"], ["B1", 0, 0, 90], ["B2", 0, 0, 80]],
            "售后": [head, ["B1", 100, 20, 0, 0, 0, "A", "A", 0, 0, 0, 0],
                     ["B3", 100, 20, 0, 0, 0, "B", "A", 0, 0, 0, 0]],
        },
    )  # fmt: skip
    ds, table = _score(folder)
    both = ds.dq[ds.dq["code"] == "both_roles"]
    assert sorted(both["sheet"]) == ["售前", "售后"] and set(both["value"]) == {"B1"}
    assert ds.dq.loc[ds.dq["code"] == "missing_scorecard", "value"].tolist() == ["B4"]
    # B2 alone scored in pre-sales: 60 + 30 + 8 = 98 → 392.00; B3 (team avg of its own 100
    # tickets, B1 left out: listed twice): 30 + 30 + 8 + 10 + 10 + 10 = 98 → 392.00
    ok = table[table["status"] == "scored"]
    assert ok[["role", "agent_id", "pay"]].values.tolist() == [
        ["presales", "B2", 392.0],
        ["aftersales", "B3", 392.0],
    ]
    listed = _check_list(sc.to_check_list(table, "2026-04", ds.roster))
    assert listed[["role", "agent_id", "reason"]].values.tolist() == [
        [
            "presales",
            "B1",
            "同月既在售前又在售后 (另见 scorecards/2026-04_考核.xlsx · 售后 · 第 2 行)",
        ],
        [
            "aftersales",
            "B1",
            "同月既在售前又在售后 (另见 scorecards/2026-04_考核.xlsx · 售前 · 第 2 行)",
        ],
        ["aftersales", "B4", "在花名册, 本月无考核记录"],
    ]


def _no_grades(folder: Path) -> None:
    _xlsx(
        folder / "scorecards" / "after.xlsx",
        {
            "Sheet1": [
                ["month", "agent id", "tickets handled", "attitude", "late reports", "violations",
                 "suggestions adopted", "complaints"],
                ["2026-04", "X", 300, "A", 0, 1, None, None],
                ["2026-04", "Y", 200, "C", 2, 0, None, 1],
            ]
        },
    )  # fmt: skip


def test_missing_components_are_refused_by_name(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    _no_grades(folder)
    with pytest.raises(InputError) as err:
        load_all(folder, use_cache=False)
    text = str(err.value)
    for word in ("团队协作", "teamwork", "表头在第 1 行", "not_scored", "after.xlsx"):
        assert word in text, word


def test_not_scored_rescales_the_remaining_weights(tmp_path: Path) -> None:
    folder = _folder(
        tmp_path, '[scorecard.aftersales]\nnot_scored = ["satisfaction", "teamwork"]\n'
    )
    _no_grades(folder)
    ds, table = _score(folder)
    t = table.set_index("agent_id")
    # Role average 250 (no roster): X volume 120, Y 80. Remaining weights 0.3 + 0.1 × 3 = 0.6.
    # X: (36 + 10 + 10 + 9.5) / 0.6 = 109.17 → 436.68; Y: (24 + 6 + 9 + 10) / 0.6 − 5 = 76.67 → 306.68
    assert t.loc["X", ["total", "rank", "pay"]].tolist() == [109.17, 1, 436.68]
    assert t.loc["Y", ["total", "rank", "pay"]].tolist() == [76.67, 2, 306.68]
    assert t["satisfaction"].isna().all() and t["teamwork"].isna().all()
    assert t.loc["X", "explanation"].endswith(
        "未计分: 客户满意度、团队协作; 其余权重 ÷ 0.6 折算为合计 100%"
    )
    assert "blank_score" not in set(ds.dq["code"])


def test_scorecard_month_from_a_date_column_with_a_callback_log(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    head = [
        "考核日期",
        "工号",
        "处理单量",
        "工作态度",
        "团队协作",
        "迟交报告",
        "违规",
        "建议采纳",
        "投诉",
    ]
    head[0] = "日期"
    _xlsx(
        folder / "scorecards" / "售后考核.xlsx",
        {
            "考核": [head, ["2026-04-30", "C1", 120, "A", "A", 0, 0, 0, 0],
                     ["2026-04-30", "C2", 80, "B", "A", 0, 0, 0, 0]],
            "回访": [["工号", "日期", "评价"]]
            + [["C1", f"2026-04-{d:02d}", "A"] for d in range(1, 21)]
            + [["C2", f"2026-04-{d:02d}", "B" if d % 2 else "C"] for d in range(1, 11)],
        },
    )  # fmt: skip
    ds, table = _score(folder)
    t = table.set_index("agent_id")
    assert set(t["period"]) == {"2026-04"}
    # C1: volume 120 (avg 100), 20 × A = 100 → 36 + 30 + 10 + 10 + 10 + 10 = 106 → 424.00
    # C2: volume 80, 10 calls 5 × B + 5 × C = 15 → × 20/10 = 30 → 24 + 9 + 8 + 30 = 71 → 284.00
    assert t.loc["C1", ["total", "pay"]].tolist() == [106.0, 424.0]
    assert t.loc["C2", ["total", "pay"]].tolist() == [71.0, 284.0]
    assert "callbacks_scaled" in t.loc["C2", "flags"]


def test_qa_log_supplies_items_and_its_findings_reach_the_agent(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    _xlsx(
        folder / "scorecards" / "2026-05_考核.xlsx",
        {
            "售前": [["工号", "姓名", "笔试"], ["G1", "甲", 90], ["G2", "乙", 80], ["G3", "丙", 70],
                     ["G4", "丁", 60]],
            "质检记录": [["日期", "工号", "扣分项", "次数"], ["2026-05-06", "G1", "A7 语气不当", 1],
                         ["2026-05-07", "G2", "B1", 2], ["2026-05-08", "G2", "A7", -1],
                         ["2026-05-09", "G3", "Z9", 1], ["2026-05-10", "G5", "A1", 1]],
        },
    )  # fmt: skip
    ds, table = _score(folder)
    assert sorted(ds.dq.loc[ds.dq["code"] == "bad_count", "row"]) == [4, 5]
    t = table.set_index("agent_id")
    # G1: business 100 − 4 = 96 → 57.6 + 30 + 9 = 96.6 → 386.40; G4 (no QA line): 60 + 30 + 6 = 96
    assert t.loc["G1", ["rank", "pay"]].tolist() == [1, 386.4]
    assert t.loc["G4", ["rank", "pay"]].tolist() == [2, 384.0]
    assert t.loc["G2", "reason"] == "A7「-1」超出允许范围"
    assert t.loc["G3", "reason"] == "质检扣分项「Z9」超出允许范围"
    assert t.loc["G5", "reason"] == "只在质检记录中出现, 没有考核表行 (笔试无从得知)"
    assert t.loc[["G2", "G3", "G5"], "pay"].isna().all()


def test_no_items_and_no_qa_log_is_refused(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    _xlsx(folder / "scorecards" / "2026-05_考核.xlsx", {"售前": [["工号", "笔试"], ["G1", 90]]})
    with pytest.raises(InputError) as err:
        load_all(folder, use_cache=False)
    for word in ("业务考核", "工作纪律", "质检", "not_scored", "Business", "Discipline"):
        assert word in str(err.value), word


def test_a_misspelt_not_scored_component_is_refused(tmp_path: Path) -> None:
    folder = _folder(tmp_path, '[scorecard.aftersales]\nnot_scored = ["satisfation"]\n')
    _no_grades(folder)
    with pytest.raises(InputError) as err:
        load_all(folder, use_cache=False)
    assert "satisfation" in str(err.value) and "satisfaction" in str(err.value)


def test_agent_missing_from_the_callback_log_is_not_scored_zero(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    head = ["工号", "处理单量", "工作态度", "团队协作", "迟交报告", "违规", "建议采纳", "投诉"]
    _xlsx(
        folder / "scorecards" / "2026-06_售后.xlsx",
        {
            "售后": [head, ["L1", 100, "A", "A", 0, 0, 0, 0], ["L2", 100, "A", "A", 0, 0, 0, 0]],
            "回访": [["工号", "日期", "评价"]] + [["L1", f"2026-06-{d:02d}", "B"] for d in range(1, 21)],
        },
    )  # fmt: skip
    ds, table = _score(folder)
    miss = ds.dq[ds.dq["code"] == "no_callbacks_logged"]
    assert miss[["severity", "sheet", "row", "value"]].values.tolist() == [
        ["error", "售后", 3, "L2"]
    ]
    t = table.set_index("agent_id")
    # L1: volume 100, 20 × B = 60 → 30 + 18 + 10 + 10 + 10 + 10 = 88 → 352.00
    assert t.loc["L1", ["rank", "pay"]].tolist() == [1, 352.0]
    assert t.loc["L2", "status"] == "to_check" and t.loc["L2", "reason"] == "客户满意度空白"
    # blank_as_zero: no callbacks → satisfaction 0 → 30 + 0 + 40 = 70 → 280.00, rank 2
    (folder / "config.toml").write_text("[scorecard]\nblank_as_zero = true\n", encoding="utf-8")
    _, table = _score(folder)
    t = table.set_index("agent_id")
    assert t.loc["L2", ["total", "rank", "pay"]].tolist() == [70.0, 2, 280.0]
    assert "blank_as_zero" in t.loc["L2", "flags"]
    assert (
        t.loc["L2", "explanation"]
        == "单量 100 / 岗位均 100 = 100; 回访 空白按 0 计; 态度 A 100; 协作 A 100"
    )
