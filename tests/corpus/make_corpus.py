"""Generate the malformed-input corpus and its expected outcomes (tests/corpus/expected.toml).

Why: each awkward layout real departments produce gets one small file, and its expected outcome
(loaded rows and figures, the exact data-quality rows, or the fatal message) is written here next
to the data, by hand, so ``tests/test_io_corpus.py`` can check them all. Run from the project root:
``.venv/bin/python tests/corpus/make_corpus.py`` (deterministic; commit files and expected.toml).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import openpyxl

HERE = Path(__file__).resolve().parent
FILES = HERE / "files"
CASES: list[dict[str, Any]] = []
M3 = ["1月", "2月", "3月"]


def xlsx(
    name: str, sheets: dict[str, list[list[Any]]], merges: dict[str, list[str]] | None = None
) -> None:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for r, row in enumerate(rows, start=1):
            for c, v in enumerate(row, start=1):
                if v is not None:
                    ws.cell(r, c, v)
        for rng in (merges or {}).get(title, []):
            ws.merge_cells(rng)
    wb.save(FILES / name)


def csv_file(name: str, lines: list[str], encoding: str = "utf-8") -> None:
    (FILES / name).write_bytes("\r\n".join(lines).encode(encoding) + b"\r\n")


def case(file: str, kind: str, **expect: Any) -> None:
    CASES.append({"file": file, "kind": kind, **expect})


def build() -> None:
    FILES.mkdir(parents=True, exist_ok=True)
    for old in FILES.iterdir():
        old.unlink()

    # 1 Title, unit note in 万元, blank row, header on row 4.
    xlsx(
        "plan_title_unit_wan.xlsx",
        {
            "预算": [
                ["客服部2026年预算"],
                ["单位:万元"],
                [],
                ["部门", "费用项目", *M3, "合计"],
                ["售前处", "人员成本", 1.5, 1.5, 2, 5],
                ["售后处", "设备成本", 0.25, 0, "", 0.25],
            ]
        },
    )
    case(
        "plan_title_unit_wan.xlsx",
        "budget",
        frame="plan",
        rows_read=2,
        rows_loaded=2,
        rows_reported=0,
        amount_loaded=52500.0,
        dq=[],
        values=[
            {"period": "2026-01", "department": "售前处", "category": "人员成本", "plan": 15000.0},
            {"period": "2026-03", "plan": 20000.0, "at": 2},
        ],
    )

    # 2 Two-row header from merged cells: 预算 over months, 实际 over months.
    xlsx(
        "plan_two_row_header_2026.xlsx",
        {
            "执行": [
                ["费用项目", "预算", None, "实际", None],
                [None, "1月", "2月", "1月", "2月"],
                ["培训成本", 1000, 2000, 900, 2500],
            ]
        },
        merges={"执行": ["B1:C1", "D1:E1", "A1:A2"]},
    )
    case(
        "plan_two_row_header_2026.xlsx",
        "budget",
        frame="plan",
        rows_read=1,
        rows_loaded=1,
        rows_reported=0,
        amount_loaded=6400.0,
        dq=[],
        n_rows=2,
        values=[
            {"period": "2026-01", "category": "培训成本", "plan": 1000.0},
            {"period": "2026-02", "plan": 2000.0, "at": 1},
        ],
        other={"actuals": 2},
    )

    # 3 Sections with correct subtotals and a grand total.
    xlsx(
        "plan_sections_ok.xlsx",
        {
            "预算2026": [
                ["部门", "费用项目", "明细", *M3],
                ["一、人员成本"],
                ["售前处", None, "工资", 100, 100, 100],
                ["售前处", None, "社保", 50, 50, 50],
                ["小计", None, None, 150, 150, 150],
                ["二、设备成本"],
                ["售后处", None, "耳麦", 10, 0, 0],
                ["小计", None, None, 10, 0, 0],
                ["合计", None, None, 160, 150, 150],
            ]
        },
    )
    case(
        "plan_sections_ok.xlsx",
        "budget",
        frame="plan",
        rows_read=8,
        rows_loaded=3,
        rows_reported=5,
        amount_loaded=460.0,
        dq=[
            "info:section_row@2",
            "info:total_row@5",
            "info:section_row@6",
            "info:total_row@8",
            "info:total_row@9",
        ],
        values=[
            {"category": "人员成本", "item": "工资", "department": "售前处"},
            {"period": "2026-01", "category": "设备成本", "item": "耳麦", "plan": 10.0, "at": 6},
        ],
    )

    # 4 A wrong 小计 (stated 250, lines 150 in 2月).
    xlsx(
        "plan_bad_subtotal.xlsx",
        {
            "2026": [
                ["费用项目", "明细", *M3],
                ["(一)差旅费用"],
                [None, "机票", 100, 100, 100],
                [None, "酒店", 50, 50, 50],
                ["小计", None, 150, 250, 150],
            ]
        },
    )
    case(
        "plan_bad_subtotal.xlsx",
        "budget",
        frame="plan",
        rows_read=4,
        rows_loaded=2,
        rows_reported=2,
        amount_loaded=450.0,
        dq=["info:section_row@2", "info:total_row@5", "warning:total_mismatch@5"],
        messages={"total_mismatch@5": ["250.00", "150.00"]},
    )

    # 5 Label total "总计:5000元" that disagrees with lines (4,500).
    csv_file(
        "plan_label_total_2026.csv",
        ["部门,费用项目,全年预算", "市场部,广告宣传,3000", "市场部,市场调研,1500", "总计:5000元,,"],
    )
    case(
        "plan_label_total_2026.csv",
        "budget",
        frame="plan",
        rows_read=3,
        rows_loaded=2,
        rows_reported=1,
        amount_loaded=4500.0,
        n_rows=24,
        dq=["info:total_row@4", "warning:total_mismatch@4", "info:annual_spread@"],
        messages={"total_mismatch@4": ["5,000.00", "4,500.00"]},
    )

    # 6 Annual-only amount spread over 12 months exactly (1,000.00 → 83.33/83.34; every
    #   year-to-date sum is the exact share to the 分: analysis.money.spread_fen).
    csv_file("plan_annual_2026.csv", ["部门,费用项目,全年预算", "客服部,客户满意度调研,1000"])
    case(
        "plan_annual_2026.csv",
        "budget",
        frame="plan",
        rows_read=1,
        rows_loaded=1,
        rows_reported=0,
        amount_loaded=1000.0,
        n_rows=12,
        dq=["info:annual_spread@"],
        values=[
            {"period": "2026-01", "plan": 83.33},
            {"period": "2026-02", "plan": 83.34, "at": 1},
            {"period": "2026-12", "plan": 83.33, "at": 11},
        ],
    )

    # 7 合计 column that disagrees with its months.
    xlsx(
        "plan_row_total_bad.xlsx",
        {
            "2026预算": [
                ["部门", "项目", *M3, "合计"],
                ["售前处", "培训成本", 10, 20, 30, 70],
                ["售后处", "培训成本", 1, 2, 3, 6],
            ]
        },
    )
    case(
        "plan_row_total_bad.xlsx",
        "budget",
        frame="plan",
        rows_read=2,
        rows_loaded=2,
        rows_reported=0,
        amount_loaded=66.0,
        dq=["warning:total_mismatch@2"],
        messages={"total_mismatch@2": ["70.00", "60.00"]},
    )

    # 8 English headers and month names with a year in the title.
    xlsx(
        "plan_english.xlsx",
        {
            "Budget": [
                ["Budget FY2026"],
                ["Department", "Category", "Jan", "Feb", "Mar"],
                ["Support", "Training", 1, 2, 3],
                ["Support", "Revenue", 10, 10, 10],
            ]
        },
    )
    case(
        "plan_english.xlsx",
        "budget",
        frame="plan",
        rows_read=2,
        rows_loaded=2,
        rows_reported=0,
        amount_loaded=36.0,
        dq=[],
        values=[
            {"period": "2026-01", "category": "Training", "kind": "cost"},
            {"period": "2026-01", "category": "Revenue", "kind": "revenue", "at": 3},
        ],
    )

    # 9 Month headers written four ways.
    csv_file(
        "plan_month_formats.csv", ["类别,2026-01,2026年2月,2026/03,2026-04-01", "培训成本,1,2,3,4"]
    )
    case(
        "plan_month_formats.csv",
        "budget",
        frame="plan",
        rows_read=1,
        rows_loaded=1,
        rows_reported=0,
        amount_loaded=10.0,
        dq=[],
        values=[
            {"period": "2026-01", "plan": 1.0},
            {"period": "2026-02", "plan": 2.0, "at": 1},
            {"period": "2026-03", "plan": 3.0, "at": 2},
            {"period": "2026-04", "plan": 4.0, "at": 3},
        ],
    )

    # 10 Amounts as text with separators, 元, parentheses, minus signs, dashes.
    xlsx(
        "plan_text_numbers.xlsx",
        {
            "2026": [
                ["费用项目", *M3],
                ["A", "1,234.50", "1，000元", "-"],
                ["B", "(500)", "−200", "—"],
                ["C", " 12 ", "5%", None],
            ]
        },
    )
    case(
        "plan_text_numbers.xlsx",
        "budget",
        frame="plan",
        rows_read=3,
        rows_loaded=2,
        rows_reported=1,
        # "5%" in a money column is a rate, not 0.05 元: the row is rejected (issue 10).
        amount_loaded=1534.5,
        dq=["error:percent_amount@4"],
        values=[
            {"period": "2026-01", "plan": 1234.5},
            {"period": "2026-02", "plan": 1000.0, "at": 1},
            {"period": "2026-01", "plan": -500.0, "at": 3},
            {"period": "2026-02", "plan": -200.0, "at": 4},
        ],
    )

    # 11 A cell that is not a number: the line is rejected, amounts still conserved.
    xlsx("plan_bad_amount.xlsx", {"2026": [["费用项目", *M3], ["A", 1, 2, 3], ["B", 4, "五百", 6]]})
    case(
        "plan_bad_amount.xlsx",
        "budget",
        frame="plan",
        rows_read=2,
        rows_loaded=1,
        rows_reported=1,
        amount_loaded=6.0,
        amount_read=16.0,
        dq=["error:bad_amount@3"],
    )

    # 12 No category column at all: fatal, names the field and its aliases.
    xlsx("plan_no_category.xlsx", {"2026": [["部门", *M3], ["售前处", 1, 2, 3]]})
    case(
        "plan_no_category.xlsx",
        "budget",
        error=["plan_no_category.xlsx", "category", "费用项目", "科目"],
    )

    # 13 Vertically merged 部门 cells: only the first line carries the department.
    xlsx(
        "plan_merged_department.xlsx",
        {
            "2026": [
                ["部门", "费用项目", "明细", "1月"],
                ["售前处", "设备成本", "电脑", 10],
                [None, None, "耳麦", 5],
                ["售后处", "设备成本", "电脑", 7],
            ]
        },
        merges={"2026": ["A2:A3", "B2:B3"]},
    )
    case(
        "plan_merged_department.xlsx",
        "budget",
        frame="plan",
        rows_read=3,
        rows_loaded=3,
        rows_reported=0,
        amount_loaded=22.0,
        dq=[],
        values=[{"department": "售前处", "category": "设备成本", "item": "耳麦", "at": 1}],
    )

    # 14 Revised-plan sheet: blank months are "not revised"; a line only there is reported.
    xlsx(
        "plan_revised.xlsx",
        {
            "年度预算": [["部门", "费用项目", *M3], ["售前处", "设备成本", 10, 10, 10]],
            "调整后预算": [
                ["部门", "费用项目", *M3],
                ["售前处", "设备成本", None, None, 15],
                ["售后处", "培训成本", 1, 1, 1],
            ],
        },
    )
    case(
        "plan_revised.xlsx",
        "budget",
        frame="plan",
        via_folder=True,
        # The months name no year and nothing else in the folder is dated: pinned (issue 10).
        config='[[read]]\nfile = "budget/plan_revised.xlsx"\nyear = 2026\n',
        n_rows=6,
        dq=["warning:revised_only@3"],
        values=[
            {"period": "2026-01", "department": "售前处", "plan": 10.0, "revised_plan": None},
            {
                "period": "2026-03",
                "department": "售前处",
                "plan": 10.0,
                "revised_plan": 15.0,
                "at": 2,
            },
            {
                "period": "2026-01",
                "department": "售后处",
                "plan": 0.0,
                "revised_plan": 1.0,
                "at": 3,
            },
        ],
    )

    # 15 Church-style "_Total" subtotal rows at two levels, all correct.
    xlsx(
        "plan_underscore_totals.xlsx",
        {
            "budget_totals": [
                ["InOrOut", "Category", "Account", "2026-01"],
                ["Out", "Staff", "5001 Salary", -100],
                ["Out", "Staff", "5002 Benefits", -50],
                ["Out", "Staff", "_Total", -150],
                ["Out", "Office", "6001 Paper", -5],
                ["Out", "Office", "_Total", -5],
                ["Out", "_Total", "_Total", -155],
            ]
        },
    )
    case(
        "plan_underscore_totals.xlsx",
        "budget",
        frame="plan",
        rows_read=6,
        rows_loaded=3,
        rows_reported=3,
        # Expenses stored negative (InOrOut = Out) are read as spending (issue 10).
        amount_loaded=155.0,
        dq=[
            "info:category_as_item@",
            "info:sign_negative@",
            "info:total_row@4",
            "info:total_row@6",
            "info:total_row@7",
        ],
    )

    # 16 GBK-encoded ledger as Chinese Excel exports it.
    csv_file(
        "ledger_gbk.csv",
        [
            "日期,凭证号,部门,科目,摘要,金额",
            '2026/10/8,记-1,售前处,耳麦,采购耳麦,"1,234.50"',
            "2026/10/9,记-2,售后处,团建费,团建,-100",
        ],
        encoding="gbk",
    )
    case(
        "ledger_gbk.csv",
        "actuals",
        frame="actuals",
        rows_read=2,
        rows_loaded=2,
        rows_reported=0,
        amount_loaded=1134.5,
        dq=["info:encoding@"],
        values=[
            {
                "date": "2026-10-08",
                "period": "2026-10",
                "category": "耳麦",
                "amount": 1234.5,
                "description": "采购耳麦",
                "voucher": "记-1",
            }
        ],
    )

    # 17 UTF-8 with BOM, semicolon separated.
    csv_file(
        "ledger_bom_semicolon.csv",
        ["\ufeff日期;科目;金额", "2026-03-05;机票;820", "2026-03-06;机票;-820"],
    )
    case(
        "ledger_bom_semicolon.csv",
        "actuals",
        frame="actuals",
        rows_read=2,
        rows_loaded=2,
        rows_reported=0,
        amount_loaded=0.0,
        dq=[],
    )

    # 18 Dates as Excel serials, real date cells and Chinese date text.
    xlsx(
        "ledger_date_forms.xlsx",
        {
            "明细": [
                ["发生日期", "费用科目", "发生额"],
                [46086, "酒店", 300],
                [dt.datetime(2026, 3, 6), "酒店", 200],
                ["2026年3月7日", "酒店", 100],
                ["2026.3.8", "酒店", 50],
            ]
        },
    )
    case(
        "ledger_date_forms.xlsx",
        "actuals",
        frame="actuals",
        rows_read=4,
        rows_loaded=4,
        rows_reported=0,
        amount_loaded=650.0,
        dq=[],
        values=[
            {"date": "2026-03-05"},
            {"date": "2026-03-06", "at": 1},
            {"date": "2026-03-07", "at": 2},
            {"date": "2026-03-08", "at": 3},
        ],
    )

    # 19 A date that is not a date: rejected, reported, amount conserved.
    xlsx(
        "ledger_bad_date.xlsx",
        {"明细": [["日期", "科目", "金额"], ["2026-02-01", "工资", 10], ["下月补", "工资", 20]]},
    )
    case(
        "ledger_bad_date.xlsx",
        "actuals",
        frame="actuals",
        rows_read=2,
        rows_loaded=1,
        rows_reported=1,
        amount_loaded=10.0,
        amount_read=30.0,
        dq=["error:bad_date@3"],
    )

    # 20 No amount column: fatal.
    xlsx("ledger_no_amount.xlsx", {"明细": [["日期", "科目", "摘要"], ["2026-02-01", "工资", "x"]]})
    case(
        "ledger_no_amount.xlsx",
        "actuals",
        error=["ledger_no_amount.xlsx", "amount", "金额", "发生额"],
    )

    # 21 A closing 合计 row (correct) and a footer note.
    xlsx(
        "ledger_total_and_note.xlsx",
        {
            "明细账": [
                ["日期", "凭证号", "科目", "金额"],
                ["2026-01-02", "1", "工资", 100],
                ["2026-01-03", "2", "社保", 50.5],
                ["合计", None, None, 150.5],
                ["制表人:张三"],
            ]
        },
    )
    case(
        "ledger_total_and_note.xlsx",
        "actuals",
        frame="actuals",
        rows_read=4,
        rows_loaded=2,
        rows_reported=2,
        amount_loaded=150.5,
        dq=["info:total_row@4", "info:note_row@5"],
    )

    # 22 Wrong closing total on a ledger.
    xlsx(
        "ledger_total_wrong.xlsx",
        {
            "明细账": [
                ["日期", "科目", "金额"],
                ["2026-01-02", "工资", 100],
                ["2026-01-03", "社保", 50],
                ["总计", None, 160],
            ]
        },
    )
    case(
        "ledger_total_wrong.xlsx",
        "actuals",
        frame="actuals",
        rows_read=3,
        rows_loaded=2,
        rows_reported=1,
        amount_loaded=150.0,
        dq=["info:total_row@4", "warning:total_mismatch@4"],
        messages={"total_mismatch@4": ["160.00", "150.00"]},
    )

    # 23 Table not at A1, blank rows and a blank column inside.
    xlsx(
        "ledger_offset_blanks.xlsx",
        {
            "Sheet1": [
                [],
                [],
                [None, None, "日期", None, "科目", "金额"],
                [None, None, "2026-05-01", None, "话机", 99],
                [],
                [None, None, "2026-05-02", None, "话机", 1],
            ]
        },
    )
    case(
        "ledger_offset_blanks.xlsx",
        "actuals",
        frame="actuals",
        rows_read=2,
        rows_loaded=2,
        rows_reported=0,
        amount_loaded=100.0,
        dq=[],
        values=[{"source_row": 4}, {"source_row": 6, "at": 1}],
    )

    # 24 Full-width and spaced headers, English aliases in odd case.
    xlsx(
        "ledger_fullwidth_headers.xlsx",
        {"L": [["　日 期　", "ＡＣＣＯＵＮＴ", "Amount（元）"], ["2026-04-01", "电脑", "１２３"]]},
    )
    case(
        "ledger_fullwidth_headers.xlsx",
        "actuals",
        frame="actuals",
        rows_read=1,
        rows_loaded=1,
        rows_reported=0,
        amount_loaded=123.0,
        dq=[],
        values=[{"category": "电脑", "amount": 123.0}],
    )

    # 25 Amount header in 千元 and a missing amount.
    xlsx(
        "ledger_thousands_unit.xlsx",
        {
            "L": [
                ["日期", "科目", "金额(千元)"],
                ["2026-04-01", "外包服务费", 1.5],
                ["2026-04-02", "外包服务费", None],
            ]
        },
    )
    case(
        "ledger_thousands_unit.xlsx",
        "actuals",
        frame="actuals",
        rows_read=2,
        rows_loaded=1,
        rows_reported=1,
        amount_loaded=1500.0,
        dq=["warning:missing_amount@3"],
    )

    # 26 .xlsm (macros never run) with a period column instead of dates.
    xlsx(
        "ledger_period.xlsm",
        {
            "L": [
                ["会计期间", "科目", "金额"],
                ["2026年7月", "培训费", 10],
                ["2026-08", "培训费", 20],
            ]
        },
    )
    case(
        "ledger_period.xlsm",
        "actuals",
        frame="actuals",
        rows_read=2,
        rows_loaded=2,
        rows_reported=0,
        amount_loaded=30.0,
        dq=[],
        values=[{"period": "2026-07"}, {"period": "2026-08", "at": 1}],
    )

    # 27 Monthly actuals in the plan's layout (months, no amount column).
    xlsx(
        "actuals_wide.xlsx",
        {"2026实际": [["部门", "费用项目", *M3], ["售前处", "人员成本", 5, 6, 7]]},
    )
    case(
        "actuals_wide.xlsx",
        "actuals",
        frame="actuals",
        rows_read=1,
        rows_loaded=1,
        rows_reported=0,
        amount_loaded=18.0,
        dq=[],
        values=[{"period": "2026-02", "amount": 6.0, "at": 1}],
    )

    # 28 Pre-sales scorecard: item columns by code prefix, IDs with leading zeros, month from name.
    items = (
        [f"A{i} 项目{i}" for i in range(1, 12)]
        + ["R1 红线", "R2 红线"]
        + [f"B{i} 纪律{i}" for i in range(1, 13)]
    )
    xlsx(
        "2026-03_presales.xlsx",
        {
            "售前专员": [
                ["工号", "姓名", *items, "笔试"],
                ["0012", "张三", *([0] * 6 + [2] + [0] * 18), 80],
                ["KF0102", "李四", *([1] + [0] * 24), 95],
            ]
        },
    )
    case(
        "2026-03_presales.xlsx",
        "scorecards",
        frame="presales",
        rows_read=2,
        rows_loaded=2,
        rows_reported=0,
        dq=[],
        values=[
            {"period": "2026-03", "agent_id": "0012", "A7": 2, "exam": 80.0},
            {"agent_id": "KF0102", "A1": 1, "at": 1},
        ],
    )

    # 29 Scorecard with a 月份 column and codes without a space ("A7用语不佳").
    xlsx(
        "presales_period_column.xlsx",
        {
            "Sheet1": [
                ["月份", "工号", "A1接听不及时", "A7用语不佳", "B1迟到", "笔试"],
                ["2026-05", "KF1", 1, 2, 3, 88],
            ]
        },
    )
    case(
        "presales_period_column.xlsx",
        "scorecards",
        frame="presales",
        rows_read=1,
        rows_loaded=1,
        rows_reported=0,
        dq=[],
        values=[{"period": "2026-05", "A1": 1, "A7": 2, "B1": 3, "A2": 0, "exam": 88.0}],
    )

    # 30 After-sales without callback counts + a callbacks sheet (one row per callback).
    xlsx(
        "2026-06_aftersales.xlsx",
        {
            "售后专员": [
                [
                    "工号",
                    "姓名",
                    "处理单量",
                    "工作态度",
                    "团队协作",
                    "迟交报告",
                    "违规",
                    "建议采纳",
                    "投诉",
                ],
                ["KF0301", "王五", 300, "a", "B", None, None, 1, None],
                ["KF0302", "赵六", 280, "F", "A", 1, None, None, None],
            ],
            "回访记录": [
                ["工号", "日期", "评价"],
                ["KF0301", "2026-06-01", "A"],
                ["KF0301", "2026-06-02", "A"],
                ["KF0301", "2026-06-03", "D"],
                ["KF0302", "2026-06-03", "B"],
                ["KF0999", "2026-06-04", "C"],
            ],
        },
    )
    case(
        "2026-06_aftersales.xlsx",
        "scorecards",
        frame="aftersales",
        via_folder=True,
        n_rows=2,
        # 工作态度 F is outside A–E: an error, and the agent's month carries a finding (待核实).
        # Blank late-report, violation, suggestion and complaint cells are 0 occurrences.
        dq=["error:out_of_range@3", "warning:callback_unknown_agent@6"],
        messages={"out_of_range@3": ["F", "A–E", "待核实"]},
        values=[
            {
                "agent_id": "KF0301",
                "cb_A": 2.0,
                "cb_B": 0.0,
                "cb_D": 1.0,
                "attitude": "A",
                "tickets": 300.0,
                "late_reports": 0.0,
                "suggestions": 1.0,
                "check": "",
            },
            {
                "agent_id": "KF0302",
                "cb_B": 1.0,
                "attitude": None,
                "teamwork": "A",
                "late_reports": 1.0,
                "check": "out_of_range:attitude:F",
                "at": 1,
            },
        ],
    )

    # 31 Pre-sales QA log (date, agent, item code, count) summed into the month.
    xlsx(
        "2026-04_qa_log.xlsx",
        {
            "质检记录": [
                ["日期", "工号", "扣分项", "次数"],
                ["2026-04-01", "KF1", "A7 用语不佳", 1],
                ["2026-04-09", "KF1", "A7", 2],
                ["2026-04-10", "KF1", "B1", 1],
                ["2026-04-11", "KF2", "Z9", 1],
            ]
        },
    )
    case(
        "2026-04_qa_log.xlsx",
        "scorecards",
        frame="presales",
        via_folder=True,
        n_rows=1,
        dq=["error:bad_count@5"],
        values=[{"period": "2026-04", "agent_id": "KF1", "A7": 3, "B1": 1}],
    )

    # 32 Bad counts (negative, fractional) are rejected.
    xlsx(
        "2026-02_bad_counts.xlsx",
        {
            "售前": [
                ["工号", "A1 x", "A2 x", "A3 x", "B1 y", "笔试"],
                ["K1", 1, -1, 0, None, 90],
                ["K2", 1.5, 0, 0, None, 91],
                ["K3", 0, 0, 0, None, 92],
            ]
        },
    )
    case(
        "2026-02_bad_counts.xlsx",
        "scorecards",
        frame="presales",
        # Kept (the agent is listed under 待核实, not silently dropped from the month), never scored.
        rows_read=3,
        rows_loaded=3,
        dq=["error:out_of_range@2", "error:out_of_range@3"],
        messages={"out_of_range@2": ["-1", "待核实"]},
        values=[
            {"agent_id": "K1", "check": "out_of_range:A2:-1"},
            {"agent_id": "K2", "check": "out_of_range:A1:1.5", "at": 1},
            {"agent_id": "K3", "check": "", "B1": 0, "exam": 92.0, "at": 2},
        ],
    )

    # 33 Scorecard with no month anywhere: rows reported, not guessed.
    xlsx(
        "scorecard_no_month.xlsx",
        {"售前": [["工号", "A1 x", "A2 x", "B3 x", "笔试"], ["K1", 1, 0, 0, 70]]},
    )
    # Its only row has no month: the whole table would be missing from the bulletin, so the
    # load stops naming the row and the reason (issue 10: a clear stop, not a silent gap).
    case("scorecard_no_month.xlsx", "scorecards", error=["scorecard_no_month.xlsx", "no_period"])

    # 33a Blank and out-of-range scores (issue 11): never numbers. Blank exam → error, the agent
    # to 待核实; exam 105 → out of range (not "not understood"); blank deduction counts = 0.
    pre_head = ["工号", "姓名", "A1 接听", "A7 用语", "B1 迟到", "B6 事假", "笔试"]
    xlsx(
        "2026-07_presales_blanks.xlsx",
        {
            "售前专员": [
                pre_head,
                ["S01", "甲", 1, None, None, 1, 77],
                ["S02", "乙", None, 2, None, None, None],
                ["S03", "丙", None, None, 1, None, 105],
                ["S04", "丁", None, None, None, None, "-"],
            ]
        },
    )
    case(
        "2026-07_presales_blanks.xlsx",
        "scorecards",
        frame="presales",
        rows_read=4,
        rows_loaded=4,
        dq=["error:blank_score@3", "error:out_of_range@4", "error:blank_score@5"],
        messages={"out_of_range@4": ["105", "0–100"], "blank_score@3": ["0–100", "待核实"]},
        values=[
            {
                "period": "2026-07",
                "agent_id": "S01",
                "A1": 1,
                "A7": 0,
                "B6": 1,
                "exam": 77.0,
                "check": "",
            },
            {"agent_id": "S02", "A7": 2, "exam": None, "check": "", "at": 1},
            {"agent_id": "S03", "exam": None, "check": "out_of_range:exam:105", "at": 2},
        ],
    )

    # 33b After-sales blanks: blank tickets and all four callback cells blank are blank scores;
    # a blank callback cell beside filled grades is 0 calls of that grade; blank grade → blank.
    aft_head = ["工号", "处理单量", "回访A", "回访B", "回访C", "回访D", "工作态度", "团队协作",
                "迟交报告", "违规", "建议采纳", "投诉"]  # fmt: skip
    xlsx(
        "2026-08_aftersales_blanks.xlsx",
        {
            "售后专员": [
                aft_head,
                ["H01", 300, 15, 5, None, None, "A", "B", None, None, None, None],
                ["H02", None, 10, 10, 0, 0, "B", "B", 0, 0, 0, 0],
                ["H03", 250, None, None, None, None, "C", "A", None, None, None, None],
                ["H04", 260, 20, 0, 0, 0, "B", None, 1, None, None, 2],
                ["H05", 270, 20, 0, 0, 0, "B", "B", 0, -1, 0, 0],
            ]
        },
    )
    case(
        "2026-08_aftersales_blanks.xlsx",
        "scorecards",
        frame="aftersales",
        rows_read=5,
        rows_loaded=5,
        dq=[
            "error:blank_score@3",
            "error:blank_score@4",
            "error:blank_score@5",
            "error:out_of_range@6",
        ],  # fmt: skip
        messages={"out_of_range@6": ["-1", "待核实"]},
        values=[
            {"agent_id": "H01", "cb_A": 15.0, "cb_C": 0.0, "cb_D": 0.0, "late_reports": 0.0},
            {"agent_id": "H02", "tickets": None, "at": 1},
            {"agent_id": "H03", "cb_A": None, "cb_D": None, "at": 2},
            {"agent_id": "H04", "teamwork": None, "complaints": 2.0, "at": 3},
            {"agent_id": "H05", "violations": None, "check": "out_of_range:violations:-1", "at": 4},
        ],
    )

    # 33c The file name says 2026-03, the sheet name 2026-04: an error naming both.
    xlsx(
        "2026-03_month_conflict.xlsx",
        {"2026-04": [pre_head, ["S01", "甲", 1, 0, 0, 0, 80]]},
    )
    case(
        "2026-03_month_conflict.xlsx",
        "scorecards",
        error=["2026-03", "2026-04", "文件名", "工作表名", "file name", "sheet name"],
    )

    # 33d The file name says 2026-05, the 月份 column of row 3 says 2026-06: an error naming both.
    xlsx(
        "2026-05_period_conflict.xlsx",
        {
            "售前": [
                ["月份", *pre_head],
                ["2026-05", "S01", "甲", 1, 0, 0, 0, 80],
                ["2026年6月", "S02", "乙", 1, 0, 0, 0, 81],
            ]
        },
    )
    case(
        "2026-05_period_conflict.xlsx",
        "scorecards",
        error=["第 3 行", "2026-05", "2026-06", "月份", "文件名", "row 3"],
    )

    # 33e No month in the name: each row's month comes from its 日期 column (two months).
    xlsx(
        "presales_by_date.xlsx",
        {
            "售前": [
                ["日期", *pre_head],
                [dt.date(2026, 5, 31), "S01", "甲", 1, 0, 0, 0, 80],
                ["2026/06/30", "S01", "甲", 0, 0, 0, 0, 90],
            ]
        },
    )
    case(
        "presales_by_date.xlsx",
        "scorecards",
        frame="presales",
        rows_read=2,
        rows_loaded=2,
        dq=[],
        values=[
            {"period": "2026-05", "agent_id": "S01", "exam": 80.0},
            {"period": "2026-06", "agent_id": "S01", "exam": 90.0, "at": 1},
        ],
    )

    # 33f A callback log dated per row, no month in the name; the after-sales sheet has 月份.
    xlsx(
        "aftersales_dated_callbacks.xlsx",
        {
            "售后": [
                ["月份", *[h for h in aft_head if not h.startswith("回访")]],
                ["2026-04", "H01", 300, "A", "A", 0, 0, 0, 0],
                ["2026-05", "H01", 310, "B", "A", 0, 0, 0, 0],
            ],
            "回访": [
                ["工号", "日期", "评价"],
                ["H01", "2026-04-03", "A"],
                ["H01", "2026-04-20", "B"],
                ["H01", "2026-05-02", "D"],
                ["H01", "2026-05-09", "E"],
            ],
        },
    )
    case(
        "aftersales_dated_callbacks.xlsx",
        "scorecards",
        frame="aftersales",
        n_rows=2,
        # grade E is outside A–D: not counted, an error, the May month to 待核实
        dq=["error:out_of_range@5"],
        values=[
            {"period": "2026-04", "cb_A": 1.0, "cb_B": 1.0, "cb_D": 0.0, "check": ""},
            {
                "period": "2026-05",
                "cb_A": 0.0,
                "cb_D": 1.0,
                "check": "bad_callback:satisfaction:E",
                "at": 1,
            },
        ],
    )

    # 33g After-sales without attitude and teamwork columns: refused, naming both and not_scored.
    xlsx(
        "2026-09_no_grades.xlsx",
        {"售后专员": [["工号", "处理单量", "回访A", "回访B", "回访C", "回访D", "迟交报告", "违规",
                   "建议采纳", "投诉"], ["H01", 300, 20, 0, 0, 0, 0, 0, 0, 0]]},
    )  # fmt: skip
    case(
        "2026-09_no_grades.xlsx",
        "scorecards",
        error=["工作态度", "团队协作", "attitude", "teamwork", "not_scored", "第 1 行"],
    )

    # 33h After-sales without callback columns and no callback log: refused after merging.
    xlsx(
        "2026-09_no_callbacks.xlsx",
        {"售后专员": [["工号", "处理单量", "工作态度", "团队协作", "迟交报告", "违规", "建议采纳",
                   "投诉"], ["H01", 300, "A", "A", 0, 0, 0, 0]]},
    )  # fmt: skip
    case(
        "2026-09_no_callbacks.xlsx",
        "scorecards",
        error=["客户满意度", "回访", "not_scored", "satisfaction", "callback"],
    )

    # 33i One agent, one pay line: S01 twice in 售前, S02 in 售前 and in 售后.
    xlsx(
        "2026-10_duplicates.xlsx",
        {
            "售前": [
                pre_head,
                ["S01", "甲", 1, 0, 0, 0, 80],
                ["S01", "甲", 0, 0, 0, 0, 90],
                ["S02", "乙", 0, 0, 0, 0, 85],
            ],
            "售后": [aft_head, ["S02", 300, 20, 0, 0, 0, "A", "A", 0, 0, 0, 0]],
        },
    )
    case(
        "2026-10_duplicates.xlsx",
        "scorecards",
        frame="presales",
        n_rows=3,
        dq=[
            "error:duplicate_scorecard@2",
            "error:duplicate_scorecard@3",
            "error:both_roles@4",
            "error:both_roles@2",
        ],  # fmt: skip
        messages={
            "duplicate_scorecard@2": ["第 3 行", "2026-10_duplicates.xlsx"],
            "both_roles@4": ["售后", "第 2 行"],
        },
    )

    # 34 Roster: roles canonicalised, an unknown role, a duplicate ID, leader flag.
    xlsx(
        "roster.xlsx",
        {
            "花名册": [
                ["工号", "姓名", "岗位", "组", "组长"],
                ["KF0101", "甲", "售前专员", "一组", "甲"],
                ["KF0102", "乙", "售后处", "二组", "甲"],
                ["KF0103", "丙", "保洁", "二组", "甲"],
                ["KF0101", "丁", "售前", "一组", "甲"],
            ]
        },
    )
    case(
        "roster.xlsx",
        "roster",
        frame="roster",
        rows_read=4,
        rows_loaded=3,
        rows_reported=1,
        dq=["warning:unknown_role@4", "error:duplicate_agent@5"],
        values=[
            {"agent_id": "KF0101", "role": "presales", "is_leader": True},
            {"agent_id": "KF0102", "role": "aftersales", "is_leader": False, "at": 1},
            {"role": "", "at": 2},
        ],
    )

    # 35 Roster without an ID column: fatal.
    xlsx("roster_no_id.xlsx", {"花名册": [["姓名", "处", "组"], ["甲", "售前处", "一组"]]})
    case("roster_no_id.xlsx", "roster", error=["roster.xlsx", "花名册", "agent_id", "工号"])

    # 36 Staffing intervals written several ways, one impossible.
    csv_file(
        "calls.csv",
        [
            "日期,时段,来电量,平均处理时长(秒)",
            "2026-10-01,7:30,10,200",
            "2026-10-01,08:00-08:30,12,",
            "2026-10-01,25:00,3,100",
        ],
    )
    case(
        "calls.csv",
        "staffing",
        frame="staffing",
        rows_read=3,
        rows_loaded=2,
        rows_reported=1,
        dq=["error:bad_interval@4"],
        values=[
            {"day": "2026-10-01", "interval": "07:30", "calls": 10.0, "aht_s": 200.0},
            {"interval": "08:00", "aht_s": None, "at": 1},
        ],
    )

    # 37 Not a workbook at all.
    (FILES / "corrupt.xlsx").write_bytes(b"PK\x03\x04 this is not really a zip file" * 3)
    case("corrupt.xlsx", "budget", error=["corrupt.xlsx"])

    # 38 Empty CSV (0 bytes): said to be empty, not "no table".
    (FILES / "empty.csv").write_bytes(b"")
    case("empty.csv", "actuals", error=["empty.csv", "empty"])

    # 39 Header only, no data rows.
    xlsx("ledger_header_only.xlsx", {"L": [["日期", "科目", "金额"]]})
    case(
        "ledger_header_only.xlsx",
        "actuals",
        frame="actuals",
        rows_read=0,
        rows_loaded=0,
        rows_reported=0,
        amount_loaded=0.0,
        dq=["warning:empty_table@"],
    )

    (HERE / "expected.json").write_text(
        json.dumps({"cases": CASES}, ensure_ascii=False, indent=1, default=str) + "\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    build()
    print(f"{len(CASES)} cases written to {FILES}")
