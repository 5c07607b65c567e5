"""Write the issue-10 layout corpus: one small data folder per case (budget/, actuals/, config.toml).

Why: the loader must read the layouts people really use (plan and actual side by side, one sheet
per month, a month per row, plan and ledger in one workbook, totals and sections, negative
expenses, merged cells, side-by-side tables, hidden sheets, copies, years that are not written)
the way their authors meant them, or refuse with a message naming file and pin. Each case here is
built from fixed numbers (no randomness) so the expected figures in tests/test_layouts.py can be
worked out by hand from the rows below.

Usage: ``python tests/corpus/layouts/make_layouts.py OUTDIR [CASE ...]`` writes ``OUTDIR/<case>/``;
tests call :func:`build` into a tmp folder. Nothing generated is committed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
import sys
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl

FIXED_TIME = dt.datetime(2026, 1, 1, 8, 0, 0)
Row = Sequence[Any]


@dataclass
class Sheet:
    """One worksheet: blocks of rows placed at (top row, left column), merges, visibility."""

    title: str
    rows: list[Row] = field(default_factory=list)
    blocks: list[tuple[int, int, list[Row]]] = field(default_factory=list)
    merges: list[str] = field(default_factory=list)
    hidden: bool = False
    formats: dict[str, str] = field(default_factory=dict)


def write_xlsx(path: Path, sheets: list[Sheet]) -> None:
    """An .xlsx with fixed document times, so two builds give the same content."""
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for spec in sheets:
        ws = wb.create_sheet(spec.title)
        blocks = [(1, 1, spec.rows), *spec.blocks] if spec.rows else list(spec.blocks)
        for top, left, rows in blocks:
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    if value is not None and value != "":
                        ws.cell(top + r, left + c, value)
        for rng in spec.merges:
            ws.merge_cells(rng)
        for ref, fmt in spec.formats.items():
            ws[ref].number_format = fmt
        if spec.hidden:
            ws.sheet_state = "hidden"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    buf = io.BytesIO()
    wb.save(buf)
    _fixed_zip(buf.getvalue(), path)


def _fixed_zip(data: bytes, path: Path) -> None:
    """Rewrite the package with fixed member times: the same build gives the same bytes."""
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time here
                body = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2026-01-01T08:00:00Z", body
                )
            dst.writestr(fixed, body)


def write_csv(path: Path, rows: list[Row], encoding: str = "utf-8") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh, lineterminator="\r\n")
        for row in rows:
            w.writerow(["" if v is None else v for v in row])


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def d(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%d")


CASES: dict[str, Callable[[Path], None]] = {}


def case(name: str) -> Callable[[Callable[[Path], None]], Callable[[Path], None]]:
    def deco(fn: Callable[[Path], None]) -> Callable[[Path], None]:
        CASES[name] = fn
        return fn

    return deco


ZH_MONTHS = [f"{i}月" for i in range(1, 13)]
ZH_MONTHS_CN = ["一月", "二月", "三月", "四月", "五月", "六月", "七月", "八月", "九月", "十月", "十一月", "十二月"]  # fmt: skip
EN_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


# ---------------------------------------------------------------------------------------------
# Plan and actual side by side


@case("pa_yuji_sheet_month")
def _pa_yuji(root: Path) -> None:
    """预计|实际|差异 (actual − plan) in sheet 10月份; year only in the title; a 合计 row."""
    write_xlsx(
        root / "budget" / "客服部费用执行表.xlsx",
        [
            Sheet(
                "10月份",
                [
                    ["2026年客服部费用执行情况"],
                    [],
                    ["项目", "预计", "实际", "差异"],
                    ["人员成本", 120000, 118500, -1500],
                    ["设备成本", 15000, 16200, 1200],
                    ["培训成本", 8000, 6400, -1600],
                    ["差旅费用", 6000, 7350, 1350],
                    ["业务外包", 30000, 30000, 0],
                    ["合计", 179000, 178450, -550],
                ],
            )
        ],
    )


@case("pa_budget_actual_variance_en")
def _pa_en(root: Path) -> None:
    """Budget|Actual|Variance (budget − actual) in sheet October; year from the file name."""
    write_xlsx(
        root / "budget" / "cs_costs_2026.xlsx",
        [
            Sheet(
                "October",
                [
                    ["Customer service - monthly cost report"],
                    ["Category", "Budget", "Actual", "Variance"],
                    ["Salaries", 64000, 65210.50, -1210.50],
                    ["Telephony", 4800, 4512.30, 287.70],
                    ["Training", 2500, 2500, 0],
                    ["Travel", 1200, 1845.25, -645.25],
                    ["Total Operating Costs", 72500, 74068.05, -1568.05],
                ],
            )
        ],
    )


@case("pa_stacked")
def _pa_stacked(root: Path) -> None:
    """Two plan-actual tables stacked in sheet 2026-09, each with its own header and 小计."""
    write_xlsx(
        root / "budget" / "执行表.xlsx",
        [
            Sheet(
                "2026-09",
                [
                    ["表1 热线组"],
                    ["费用项目", "预算", "实际", "差异"],
                    ["人员成本", 50000, 49800, -200],
                    ["设备成本", 6000, 7250, 1250],
                    ["培训成本", 3000, 2100, -900],
                    ["小计", 59000, 59150, 150],
                    [],
                    ["表2 在线组"],
                    ["费用项目", "预算", "实际", "差异"],
                    ["人员成本", 42000, 43500.5, 1500.5],
                    ["差旅费用", 2500, 2480, -20],
                    ["业务外包", 18000, 18000, 0],
                    ["耗材", 1200, 1315.8, 115.8],
                    ["小计", 63700, 65296.3, 1596.3],
                ],
            )
        ],
    )


@case("pa_variance_mismatch")
def _pa_variance(root: Path) -> None:
    """计划|实际发生|差额 in sheet 'Sep 2026'; row 4's 差额 is wrong (680, true 650)."""
    write_xlsx(
        root / "budget" / "部门费用.xlsx",
        [
            Sheet(
                "Sep 2026",
                [
                    ["科目", "计划", "实际发生", "差额"],
                    ["办公费", 3000, 2870, -130],
                    ["通讯费", 1500, 1620, 120],
                    ["招待费", 2000, 2650, 680],
                    ["快递费", 800, 760, -40],
                ],
            )
        ],
    )


@case("pa_ytd_actual")
def _pa_ytd(root: Path) -> None:
    """全年预算 beside 本年累计实际: the plan is annual, the YTD column is set aside."""
    write_xlsx(
        root / "budget" / "预算执行.xlsx",
        [
            Sheet(
                "2026年预算执行",
                [
                    ["费用项目", "全年预算", "本年累计实际"],
                    ["人员成本", 1200000, 985400],
                    ["培训成本", 60000, 41250],
                    ["设备成本", 180000, 150600],
                ],
            )
        ],
    )


# ---------------------------------------------------------------------------------------------
# One sheet per month


@case("sheet_per_month_zh")
def _spm_zh(root: Path) -> None:
    """Sheets 10月份 and 11月份, each a month's plan; year from the file name."""
    write_xlsx(
        root / "budget" / "2026预算.xlsx",
        [
            Sheet(
                "10月份",
                [["科目", "预算"], ["人员成本", 80000], ["培训成本", 5000], ["差旅费用", 3000]],
            ),
            Sheet(
                "11月份",
                [["科目", "预算"], ["人员成本", 82000], ["培训成本", 4500], ["差旅费用", 3600]],
            ),
        ],
    )


@case("sheet_per_month_iso_pa")
def _spm_iso(root: Path) -> None:
    """Sheets 2026-08 and 2026-09, each plan and actual side by side (预算|实际|差异)."""
    write_xlsx(
        root / "budget" / "月度执行.xlsx",
        [
            Sheet(
                "2026-08",
                [
                    ["科目", "预算", "实际", "差异"],
                    ["客服外包", 20000, 21000, 1000],
                    ["电话费", 3000, 2890, -110],
                ],
            ),
            Sheet(
                "2026-09",
                [
                    ["科目", "预算", "实际", "差异"],
                    ["客服外包", 20000, 19500, -500],
                    ["电话费", 3000, 3120, 120],
                ],
            ),
        ],
    )


@case("sheet_per_month_en")
def _spm_en(root: Path) -> None:
    """Sheets October and November of plan_2026.xlsx, one month's plan each."""
    write_xlsx(
        root / "budget" / "plan_2026.xlsx",
        [
            Sheet("October", [["Category", "Budget"], ["Salaries", 50000], ["Rent", 8000]]),
            Sheet(
                "November",
                [["Category", "Budget"], ["Salaries", 50000], ["Rent", 8000], ["Software", 1250]],
            ),
        ],
    )


# ---------------------------------------------------------------------------------------------
# Long monthly plan


@case("long_plan_zh")
def _long_zh(root: Path) -> None:
    """月份|部门|科目|预算, one row per category × month: never spread."""
    staff = [100000, 100000, 105000, 105000, 110000, 110000]
    train = [8000, 2000, 2000, 6000, 2000, 2000]
    rows: list[Row] = [["月份", "部门", "科目", "预算"]]
    for i in range(6):
        rows.append([f"2026-{i + 1:02d}", "客服部", "人员成本", staff[i]])
        rows.append([f"2026-{i + 1:02d}", "客服部", "培训成本", train[i]])
    write_csv(root / "budget" / "月度预算.csv", rows)


@case("long_plan_en")
def _long_en(root: Path) -> None:
    """Month (date cells)|Category|Budget below a title; header on row 3."""
    rows: list[Row] = [["Monthly budget by category"], [], ["Month", "Category", "Budget"]]
    sal = [40000, 40000, 42000]
    tel = [1500, 1650, 1580]
    for i in range(3):
        rows.append([dt.datetime(2026, i + 1, 1), "Salaries", sal[i]])
        rows.append([dt.datetime(2026, i + 1, 1), "Telephony", tel[i]])
    write_xlsx(root / "budget" / "monthly_budget.xlsx", [Sheet("Budget", rows)])


# ---------------------------------------------------------------------------------------------
# A plan sheet and a ledger sheet in one workbook (budget/)


@case("plan_and_ledger_workbook")
def _plan_ledger(root: Path) -> None:
    train = [2000, 2000, 8000, 2000, 2000, 2000, 2000, 2000, 8000, 2000, 2000, 2000]
    write_xlsx(
        root / "budget" / "客服部2026.xlsx",
        [
            Sheet(
                "预算",
                [
                    ["科目", *ZH_MONTHS, "合计"],
                    ["人员成本", *([50000] * 12), 600000],
                    ["培训成本", *train, 36000],
                ],
            ),
            Sheet(
                "费用明细",
                [
                    ["日期", "科目", "金额", "摘要", "凭证号"],
                    [d("2026-01-25"), "人员成本", 49800, "工资1月", "记-001"],
                    [d("2026-01-18"), "培训成本", 1800, "讲师费", "记-002"],
                    [d("2026-02-25"), "人员成本", 50120.5, "工资2月", "记-010"],
                    [d("2026-02-14"), "培训成本", 2350, "教材", "记-011"],
                    [d("2026-02-20"), "培训成本", -150, "教材退款", "记-012"],
                    [d("2026-02-08"), "设备成本", 3200, "耳麦", "记-013"],
                ],
            ),
        ],
    )


# ---------------------------------------------------------------------------------------------
# Total rows, derived rows, sections


@case("totals_en")
def _totals_en(root: Path) -> None:
    """'X Total', 'Total X' right; 'Grand Total' stated 640,000 for lines of 636,000."""
    write_xlsx(
        root / "budget" / "plan_2026.xlsx",
        [
            Sheet(
                "Plan",
                [
                    ["Category", "Budget"],
                    ["Salaries", 480000],
                    ["Benefits", 96000],
                    ["Staff Costs Total", 576000],
                    ["Telephony", 36000],
                    ["Software", 24000],
                    ["Total Operating Costs", 60000],
                    ["Grand Total", 640000],
                ],
            )
        ],
    )


@case("totals_zh_labels")
def _totals_zh_labels(root: Path) -> None:
    """Totals inside labels: 人员成本合计, 设备_Total, then 汇总 and 预算总额 over all lines."""
    write_xlsx(
        root / "budget" / "预算2026.xlsx",
        [
            Sheet(
                "预算",
                [
                    ["科目", "全年预算"],
                    ["工资", 240000],
                    ["社保", 48000],
                    ["人员成本合计", 288000],
                    ["耳麦", 6000],
                    ["电脑", 24000],
                    ["设备_Total", 30000],
                    ["培训费", 12000],
                    ["汇总", 330000],
                    ["预算总额", 330000],
                ],
            )
        ],
    )


@case("totals_zh_wide")
def _totals_zh(root: Path) -> None:
    """Q1 wide plan: 小计 and 费用合计 rows, a 合计 column; all stated totals right."""
    write_xlsx(
        root / "budget" / "一季度预算.xlsx",
        [
            Sheet(
                "Sheet1",
                [
                    ["2026年度费用预算(单位:元)"],
                    ["费用项目", "1月", "2月", "3月", "合计"],
                    ["电话费", 3000, 3000, 3000, 9000],
                    ["网络费", 1200, 1200, 1200, 3600],
                    ["小计", 4200, 4200, 4200, 12600],
                    ["办公用品", 500, 800, 500, 1800],
                    ["费用合计", 4700, 5000, 4700, 14400],
                ],
            )
        ],
    )


@case("sections_income_expenses_en")
def _sections_en(root: Path) -> None:
    """'Income:' and 'Expenses:' sections, Total Income / Total Expenses, a Savings row."""
    write_xlsx(
        root / "budget" / "household_style.xlsx",
        [
            Sheet(
                "2026",
                [
                    ["Category", "Budget"],
                    ["Income:"],
                    ["Service fees", 120000],
                    ["Training income", 30000],
                    ["Total Income", 150000],
                    ["Expenses:"],
                    ["Salaries", 90000],
                    ["Rent", 24000],
                    ["Telephony", 6000],
                    ["Total Expenses", 120000],
                    ["Savings", 30000],
                ],
            )
        ],
    )


@case("sections_zh_profit")
def _sections_zh(root: Path) -> None:
    """一、营业收入 / 二、营业费用 sections, 费用合计, 利润 and 净利润 derived rows."""
    write_xlsx(
        root / "budget" / "经营预算.xlsx",
        [
            Sheet(
                "预算",
                [
                    ["2026年经营预算"],
                    ["项目", "全年预算"],
                    ["一、营业收入"],
                    ["咨询服务收入", 200000],
                    ["培训收入", 50000],
                    ["二、营业费用"],
                    ["人员成本", 120000],
                    ["房租", 36000],
                    ["营销费用", 24000],
                    ["费用合计", 180000],
                    ["利润", 70000],
                    ["净利润", 70000],
                ],
            )
        ],
    )


# ---------------------------------------------------------------------------------------------
# Signs

NEG_LEDGER = [
    ("2026-10-02", "办公费", -3200.00, "打印机硒鼓"),
    ("2026-10-03", "通讯费", -1580.50, "10月话费"),
    ("2026-10-05", "房租", -12000.00, "10月房租"),
    ("2026-10-08", "快递费", -860.00, "顺丰月结"),
    ("2026-10-09", "差旅费", -2450.75, "广州出差"),
    ("2026-10-12", "办公费", -980.00, "文具"),
    ("2026-10-15", "培训费", -5600.00, "质检培训"),
    ("2026-10-16", "快递费", -320.40, "京东物流"),
    ("2026-10-20", "外包服务费", -7400.00, "夜班外包"),
    ("2026-10-22", "设备", -1999.00, "耳麦"),
    ("2026-10-25", "办公费", 260.00, "文具退货"),
    ("2026-10-28", "快递费", 120.50, "运费退回"),
]


@case("ledger_negative")
def _ledger_neg(root: Path) -> None:
    """10 of 12 lines negative: expenses stored negative, two positive refunds."""
    rows: list[Row] = [["日期", "科目", "金额", "摘要"]]
    rows += [list(r[:3]) + [r[3]] for r in NEG_LEDGER]
    write_csv(root / "actuals" / "费用导出.csv", rows)


@case("plan_negative")
def _plan_neg(root: Path) -> None:
    """An annual plan with every expense negative; year in the title 'FY2026 budget'."""
    write_xlsx(
        root / "budget" / "budget.xlsx",
        [
            Sheet(
                "Budget",
                [
                    ["FY2026 budget"],
                    ["Account", "Budget"],
                    ["Salaries", -60000],
                    ["Rent", -24000],
                    ["Telephony", -12000],
                    ["Training", -6000],
                    ["Postage", -3000],
                ],
            )
        ],
    )


MIXED = [-1000, -2000, -1500, -500, -800, 700, 300, 1200, 400, 900]


@case("sign_mixed")
def _sign_mixed(root: Path) -> None:
    """5 of 10 lines negative: neither convention; must be refused with the sign pin."""
    rows: list[Row] = [["日期", "科目", "金额"]]
    for i, amt in enumerate(MIXED):
        rows.append([f"2026-09-{i + 1:02d}", "办公费" if i % 2 else "差旅费", amt])
    write_csv(root / "actuals" / "混合符号.csv", rows)


# ---------------------------------------------------------------------------------------------
# Merged cells, header far down


@case("merged_category")
def _merged(root: Path) -> None:
    """科目 merged down column A over its 明细 rows (A3:A5, A6:A7)."""
    write_xlsx(
        root / "budget" / "2026一季度预算.xlsx",
        [
            Sheet(
                "一季度",
                [
                    ["2026年一季度预算"],
                    ["科目", "明细", "1月", "2月", "3月"],
                    ["人员成本", "工资", 30000, 30000, 30000],
                    [None, "社保", 9000, 9000, 9000],
                    [None, "公积金", 3600, 3600, 3600],
                    ["设备成本", "耳麦", 1200, 400, 600],
                    [None, "电脑", 5000, 9000, 4500],
                ],
                merges=["A3:A5", "A6:A7"],
            )
        ],
    )


def _notes(n: int, first: str) -> list[Row]:
    rows: list[Row] = [[first]]
    for i in range(2, n + 1):
        rows.append([f"{i - 1}. 填表说明第{i - 1}条:金额以元为单位,按月填列,不含税。"])
    return rows


@case("header_row_45")
def _header45(root: Path) -> None:
    """43 rows of instructions, a blank row, the header on row 45."""
    rows = _notes(43, "2026年度预算填表说明")
    rows += [
        [],
        ["科目", "全年预算"],
        ["人员成本", 360000],
        ["培训成本", 24000],
        ["差旅费用", 18000],
    ]
    write_xlsx(root / "budget" / "年度预算.xlsx", [Sheet("预算", rows)])


@case("header_row_230")
def _header230(root: Path) -> None:
    """The header on row 230, beyond the 200 rows searched: refused with the header_row pin."""
    rows = _notes(228, "2026年度预算填表说明")
    rows += [
        [],
        ["科目", "全年预算"],
        ["人员成本", 360000],
        ["培训成本", 24000],
        ["差旅费用", 18000],
    ]
    write_xlsx(root / "budget" / "长说明预算.xlsx", [Sheet("预算", rows)])


# ---------------------------------------------------------------------------------------------
# Two tables side by side, stray notes


@case("side_by_side_ledger")
def _sbs_ledger(root: Path) -> None:
    """Annual plan in A1:B4, a ledger in F1:I5 of the same sheet."""
    write_xlsx(
        root / "budget" / "预算与明细.xlsx",
        [
            Sheet(
                "2026",
                blocks=[
                    (
                        1,
                        1,
                        [
                            ["科目", "全年预算"],
                            ["人员成本", 240000],
                            ["培训成本", 12000],
                            ["差旅费用", 9600],
                        ],
                    ),
                    (
                        1,
                        6,
                        [
                            ["日期", "科目", "金额", "摘要"],
                            [d("2026-03-05"), "差旅费用", 1250, "北京出差"],
                            [d("2026-03-12"), "培训成本", 3000, "外训"],
                            [d("2026-03-28"), "人员成本", 19800, "3月工资"],
                            [d("2026-03-30"), "差旅费用", -200, "退票"],
                        ],
                    ),
                ],
            )
        ],
    )


@case("side_by_side_plan")
def _sbs_plan(root: Path) -> None:
    """Two departments' annual plans side by side (A1:B4 and E1:F4), each under its title."""
    write_xlsx(
        root / "budget" / "2026年部门预算.xlsx",
        [
            Sheet(
                "部门预算",
                blocks=[
                    (
                        1,
                        1,
                        [
                            ["客服一部"],
                            ["科目", "全年预算"],
                            ["人员成本", 120000],
                            ["培训成本", 6000],
                        ],
                    ),  # fmt: skip
                    (
                        1,
                        5,
                        [
                            ["客服二部"],
                            ["科目", "全年预算"],
                            ["人员成本", 96000],
                            ["设备成本", 14400],
                        ],
                    ),  # fmt: skip
                ],
            )
        ],
    )


@case("unread_notes_right")
def _unread(root: Path) -> None:
    """A plan in A1:B4 and a block of stray notes in H3:J6 (H3:H6 and H6:J6) that fits nothing."""
    write_xlsx(
        root / "budget" / "预算2026.xlsx",
        [
            Sheet(
                "预算",
                blocks=[
                    (
                        1,
                        1,
                        [
                            ["科目", "全年预算"],
                            ["人员成本", 300000],
                            ["设备成本", 48000],
                            ["业务外包", 96000],
                        ],
                    ),
                    (3, 8, [["备注:"], ["1. 预算经总经理审批"], ["2. 差旅按公司标准执行"]]),
                    (6, 8, [["编制:张三", "审核:李四", "2026-01-05"]]),
                ],
            )
        ],
    )


# ---------------------------------------------------------------------------------------------
# Hidden sheets, copies, repeated lines

VISIBLE_LEDGER = [
    (d("2026-09-03"), "通讯费", 1200, "9月话费", "记-101"),
    (d("2026-09-10"), "办公费", 356.8, "文具", "记-102"),
    (d("2026-09-15"), "差旅费", 2890, "深圳出差", "记-103"),
    (d("2026-09-22"), "培训费", 4500, "新人培训", "记-104"),
    (d("2026-09-28"), "办公费", -56.8, "文具退货", "记-105"),
]


@case("hidden_old_ledger")
def _hidden_old(root: Path) -> None:
    """Visible 明细 and a hidden 旧版明细 (an old copy: 记-103 differs, 记-105 absent)."""
    head = ["日期", "科目", "金额", "摘要", "凭证号"]
    old = [list(r) for r in VISIBLE_LEDGER[:4]]
    old[2][2] = 2980
    write_xlsx(
        root / "actuals" / "费用明细2026.xlsx",
        [
            Sheet("明细", [head, *[list(r) for r in VISIBLE_LEDGER]]),
            Sheet("旧版明细", [head, *old], hidden=True),
        ],
    )


@case("hidden_helper")
def _hidden_helper(root: Path) -> None:
    """A wide plan, a hidden lookup-list sheet and a visible instructions sheet that fit nothing."""
    write_xlsx(
        root / "budget" / "2026预算.xlsx",
        [
            Sheet(
                "预算",
                [
                    ["科目", *ZH_MONTHS],
                    ["人员成本", *([60000] * 12)],
                    ["设备成本", *([5000] * 12)],
                ],
            ),
            Sheet(
                "lists",
                [
                    ["部门", "科目"],
                    ["客服一部", "人员成本"],
                    ["客服二部", "设备成本"],
                    [None, "培训成本"],
                ],  # fmt: skip
                hidden=True,
            ),
            Sheet("填表说明", [["请在预算表中按月填写"], ["金额单位:元"]]),
        ],
    )


COPY_LINES = [
    ["日期", "科目", "金额", "摘要", "凭证号"],
    ["2026-10-09", "通讯费", 1860, "10月话费", "记-301"],
    ["2026-10-12", "办公费", 412.5, "打印纸", "记-302"],
    ["2026-10-19", "差旅费", 3180, "成都出差", "记-303"],
    ["2026-10-26", "外包服务费", 15000, "10月外包", "记-304"],
]


@case("duplicate_file_copy")
def _dup_file(root: Path) -> None:
    """A ledger and its byte-identical copy '10月明细 - 副本.csv'."""
    src = root / "actuals" / "10月明细.csv"
    write_csv(src, COPY_LINES)
    shutil.copyfile(src, root / "actuals" / "10月明细 - 副本.csv")


@case("duplicate_lines_export")
def _dup_lines(root: Path) -> None:
    """Two exports overlapping on three voucher lines (记-203…205); 记-206 only looks alike."""
    head = ["日期", "凭证号", "科目", "摘要", "金额"]
    write_csv(
        root / "actuals" / "export_0901_0915.csv",
        [
            head,
            ["2026-09-02", "记-201", "办公费", "打印纸", "420.00"],
            ["2026-09-05", "记-202", "通讯费", "9月话费", "1860.00"],
            ["2026-09-10", "记-203", "差旅费", "上海出差", "3275.50"],
            ["2026-09-12", "记-204", "培训费", "新人培训", "6000.00"],
            ["2026-09-15", "记-205", "办公费", "墨盒", "389.00"],
        ],
    )
    write_csv(
        root / "actuals" / "export_0910_0930.csv",
        [
            head,
            ["2026-09-10", "记-203", "差旅费", "上海出差", "3275.50"],
            ["2026-09-12", "记-204", "培训费", "新人培训", "6000.00"],
            ["2026-09-15", "记-205", "办公费", "墨盒", "389.00"],
            ["2026-09-15", "记-206", "办公费", "墨盒", "389.00"],
            ["2026-09-26", "记-207", "外包服务费", "9月外包", "15000.00"],
        ],
    )


@case("duplicate_lines_no_voucher")
def _dup_novoucher(root: Path) -> None:
    """No voucher column: two identical lines inside one file are two parcels (kept); the
    second file repeats one of them (counted once) and adds one."""
    head = ["日期", "科目", "摘要", "金额"]
    write_xlsx(
        root / "actuals" / "快递8月上.xlsx",
        [
            Sheet(
                "明细",
                [
                    head,
                    [d("2026-08-03"), "快递费", "顺丰", 56],
                    [d("2026-08-03"), "快递费", "顺丰", 56],
                ],  # fmt: skip
            )
        ],
    )
    write_xlsx(
        root / "actuals" / "快递8月下.xlsx",
        [
            Sheet(
                "明细",
                [
                    head,
                    [d("2026-08-03"), "快递费", "顺丰", 56],
                    [d("2026-08-04"), "快递费", "京东", 32],
                ],  # fmt: skip
            )
        ],
    )


@case("plan_copy_and_summary")
def _plan_copy(root: Path) -> None:
    """A detailed plan, its copy in sheet '明细预算 (2)' and a category summary of it."""
    detail = [
        ["部门", "科目", "全年预算"],
        ["客服一部", "人员成本", 120000],
        ["客服一部", "培训成本", 6000],
        ["客服二部", "人员成本", 90000],
        ["客服二部", "培训成本", 4800],
    ]
    write_xlsx(
        root / "budget" / "2026年预算.xlsx",
        [
            Sheet("明细预算", detail),
            Sheet("明细预算 (2)", [list(r) for r in detail]),
            Sheet("汇总", [["科目", "全年预算"], ["人员成本", 210000], ["培训成本", 10800]]),
        ],
    )


# ---------------------------------------------------------------------------------------------
# Years, percentages, ambiguous columns, aliases, future dates


@case("year_from_ledger")
def _year_ledger(root: Path) -> None:
    """一月…十二月 with no year; 合计 of 20260 and 2025.00; a ledger dated 2026 elsewhere."""
    net = [1690] * 11 + [1670]
    write_xlsx(
        root / "budget" / "年度预算.xlsx",
        [
            Sheet(
                "预算",
                [
                    ["年度费用预算"],
                    ["科目", *ZH_MONTHS_CN, "合计"],
                    ["网络费", *net, 20260],
                    ["耗材", *([168.75] * 12), 2025.00],
                ],
            )
        ],
    )
    write_csv(
        root / "actuals" / "明细账.csv",
        [
            ["日期", "科目", "金额"],
            ["2026-01-10", "网络费", 1690],
            ["2026-02-10", "网络费", 1690],
            ["2026-02-15", "耗材", 150],
        ],
    )


@case("year_missing")
def _year_missing(root: Path) -> None:
    """Jan…Dec with no year anywhere and no other dated data: refused, asking for `year =`."""
    clean = [169] * 11 + [165]
    write_xlsx(
        root / "budget" / "plan.xlsx",
        [
            Sheet(
                "Sheet1",
                [
                    ["Category", *EN_MONTHS, "Total"],
                    ["Postage", *([100] * 12), 1200],
                    ["Cleaning", *clean, 2024],
                ],
            )
        ],
    )


@case("percent_amount")
def _percent(root: Path) -> None:
    """'12%' as text (row 4) and 0.05 formatted 0% (row 6) in the 金额 column."""
    write_xlsx(
        root / "actuals" / "10月费用.xlsx",
        [
            Sheet(
                "明细",
                [
                    ["日期", "科目", "金额"],
                    [d("2026-10-08"), "办公费", 520],
                    [d("2026-10-09"), "通讯费", 880],
                    [d("2026-10-12"), "绩效奖金", "12%"],
                    [d("2026-10-15"), "培训费", 2400],
                    [d("2026-10-20"), "提成", 0.05],
                ],
                formats={"C6": "0%"},
            )
        ],
    )


@case("percent_amount_csv")
def _percent_csv(root: Path) -> None:
    write_csv(
        root / "actuals" / "明细.csv",
        [
            ["日期", "科目", "金额"],
            ["2026-10-08", "办公费", "520"],
            ["2026-10-09", "通讯费", "8.5%"],
            ["2026-10-15", "培训费", "2400"],
        ],
    )


@case("two_amount_columns")
def _two_amounts(root: Path) -> None:
    """Two columns headed 金额 (C: with tax, D: without): refused, naming C and D."""
    write_xlsx(
        root / "actuals" / "发票明细.xlsx",
        [
            Sheet(
                "Sheet1",
                [
                    ["日期", "科目", "金额", "金额", "摘要"],
                    [d("2026-07-03"), "办公费", 1130, 1000, "含税/不含税"],
                    [d("2026-07-09"), "办公费", 565, 500, "含税/不含税"],
                    [d("2026-07-21"), "通讯费", 226, 200, "含税/不含税"],
                ],
            )
        ],
    )


@case("config_alias_conflict")
def _alias(root: Path) -> None:
    """config.toml says 金额 is the plan (a default alias of amount); 实际 stays the actual."""
    write_xlsx(
        root / "budget" / "执行.xlsx",
        [
            Sheet(
                "2026-07",
                [["科目", "金额", "实际"], ["人员成本", 50000, 49000], ["培训成本", 3000, 3600]],
            )
        ],
    )
    write_text(root / "config.toml", '[aliases]\nplan = ["金额"]\n')


@case("future_date")
def _future(root: Path) -> None:
    """2026 lines and one mistyped 2031-01-05 line (row 5)."""
    write_csv(
        root / "actuals" / "ledger.csv",
        [
            ["日期", "科目", "金额"],
            ["2026-08-14", "办公费", "300"],
            ["2026-09-14", "办公费", "450"],
            ["2026-10-14", "办公费", "520"],
            ["2031-01-05", "办公费", "610"],
            ["2026-10-20", "通讯费", "1200"],
        ],
    )


# ---------------------------------------------------------------------------------------------
# Units, monthly actuals


@case("unit_wan_note")
def _unit_wan(root: Path) -> None:
    """'单位:万元' in a note row above the header; 12.5 万元 = 125,000 元."""
    write_xlsx(
        root / "budget" / "预算.xlsx",
        [
            Sheet(
                "2026",
                [
                    ["2026年客服部预算"],
                    ["单位:万元"],
                    ["科目", "全年预算"],
                    ["人员成本", 12.5],
                    ["培训成本", 3.1],
                ],
            )
        ],
    )


@case("unit_qian_header")
def _unit_qian(root: Path) -> None:
    """'全年预算(千元)' in the header; 480 千元 = 480,000 元."""
    write_xlsx(
        root / "budget" / "预算2026.xlsx",
        [Sheet("Sheet1", [["科目", "全年预算(千元)"], ["人员成本", 480], ["设备成本", 36]])],
    )


@case("monthly_actuals")
def _monthly_actuals(root: Path) -> None:
    """Actuals already summed per month: 科目 | 2026-01 | 2026-02 | 2026-03."""
    write_xlsx(
        root / "actuals" / "月度实际.xlsx",
        [
            Sheet(
                "实际",
                [
                    ["科目", "2026-01", "2026-02", "2026-03"],
                    ["人员成本", 49000, 50500, 51000],
                    ["培训成本", 1200, 3400, 800],
                ],
            )
        ],
    )


# ---------------------------------------------------------------------------------------------
# The seed budget (DOMAIN.md §1, 市场营销策划方案各项费用预算)

SEED_SECTIONS: list[tuple[str, list[tuple[str, int]], int]] = [
    (
        "一、市场调研费用预算",
        [
            ("调查问卷设计与印刷费用", 500),
            ("调查人员薪资与交通费用", 2000),
            ("数据分析与报告撰写费用", 2000),
            ("其他费用(如电话费、邮费等)", 500),
        ],
        5000,
    ),
    (
        "二、产品开发费用预算",
        [
            ("原料与材料采购费用", 3000),
            ("产品研发人员薪资", 5000),
            ("产品测试与改进费用", 2000),
            ("包装设计费用", 2000),
            ("其他费用(如设备租赁费用等)", 2000),
        ],
        12000,
    ),
    (
        "三、品牌建设费用预算",
        [
            ("品牌设计与标志制作费用", 5000),
            ("品牌宣传材料制作费用", 3000),
            ("品牌推广活动策划与执行费用", 10000),
            ("媒体广告投放费用", 20000),
            ("其他费用(如礼品赠送费用等)", 2000),
        ],
        40000,
    ),
    (
        "四、销售渠道建设费用预算",
        [
            ("分销渠道开发费用", 10000),
            ("建立线上销售平台费用", 5000),
            ("建立线下销售网点费用", 5000),
            ("培训销售人员费用", 3000),
            ("其他费用(如物流费用等)", 3000),
        ],
        26000,
    ),
    (
        "五、促销活动费用预算",
        [
            ("促销活动策划与执行费用", 10000),
            ("促销礼品采购费用", 5000),
            ("媒体宣传费用", 5000),
            ("其他费用(如赞助费用等)", 3000),
        ],
        23000,
    ),
    (
        "六、市场推广费用预算",
        [
            ("媒体广告投放费用", 30000),
            ("线上推广费用(如搜索引擎推广费用等)", 10000),
            ("线下推广费用(如户外广告费用等)", 10000),
            ("其他费用(如推广活动费用等)", 5000),
        ],
        55000,
    ),
    (
        "七、售后服务费用预算",
        [
            ("售后服务人员薪资与培训费用", 5000),
            ("售后服务设备与工具费用", 2000),
            ("售后服务活动费用", 3000),
            ("其他费用(如维修费用等)", 2000),
        ],
        13000,
    ),
    (
        "八、项目管理费用预算",
        [
            ("项目经理薪资与福利费用", 10000),
            ("项目管理工具与软件费用", 2000),
            ("项目会议与沟通费用", 5000),
            ("其他费用(如文件打印与复印费用等)", 2000),
        ],
        19000,
    ),
]
SEED_GRAND_TOTAL = 248000


@case("seed_budget")
def _seed(root: Path) -> None:
    """The seed as a sheet: section rows 一、…, item rows, 总计 per section, 总费用预算."""
    rows: list[Row] = [["2026年市场营销策划方案各项费用预算"], ["费用项目", "预算金额(元)"]]
    for title, items, stated in SEED_SECTIONS:
        rows.append([title])
        rows += [[f"{i}. {label}", amt] for i, (label, amt) in enumerate(items, start=1)]
        rows.append(["总计", stated])
    rows.append(["总费用预算", SEED_GRAND_TOTAL])
    write_xlsx(root / "budget" / "市场营销策划方案各项费用预算.xlsx", [Sheet("费用预算", rows)])


@case("seed_budget_inline")
def _seed_inline(root: Path) -> None:
    """The seed as written: one column, each amount inside its label ('…:500元')."""
    rows: list[Row] = [["2026年市场营销策划方案各项费用预算"]]
    for title, items, stated in SEED_SECTIONS:
        rows.append([title])
        rows += [[f"{i}. {label}:{amt}元"] for i, (label, amt) in enumerate(items, start=1)]
        rows.append([f"总计:{stated}元"])
    rows.append([f"总费用预算:{SEED_GRAND_TOTAL}元"])
    write_xlsx(root / "budget" / "市场营销策划方案.xlsx", [Sheet("Sheet1", rows)])


# ---------------------------------------------------------------------------------------------


def build(root: Path, names: Sequence[str] | None = None) -> dict[str, Path]:
    """Write each named case (all by default) into ``root/<case>/``; returns case → folder."""
    out = {}
    for name in names or list(CASES):
        folder = Path(root) / name
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        CASES[name](folder)
        out[name] = folder
    return out


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        print("cases:", ", ".join(CASES))
        return 0 if argv else 2
    unknown = [n for n in argv[1:] if n not in CASES]
    if unknown:
        print(f"unknown case(s): {', '.join(unknown)}", file=sys.stderr)
        return 2
    for name, folder in build(Path(argv[0]), argv[1:] or None).items():
        print(f"{name}: {folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
