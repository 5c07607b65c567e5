"""Issue 10, property tests: whatever the layout details, every amount read is loaded or reported.

Hypothesis writes plan sheets (month columns or one annual amount) and ledger sheets with the
header anywhere in rows 1–40 under random title and note rows, a random subset and order of
columns with labels from the default aliases, amounts in 分 (a few negative refunds, or every
expense stored negative), subtotal rows with right or wrong stated totals, and a unit of 元, 千元
or 万元 stated in a 单位 note or a header suffix. The loader must then conserve money: loaded
lines add up to the generated lines to the 分, every total row is reported as total_row, exactly
the wrong ones as total_mismatch, and each reading's amount_read = amount_loaded + amount_reported.
Written against the issue-10 loader contract (README: the data folder, [[read]] pins).
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from analysis.io import load_all
from analysis.schema import READING_COLUMNS

YEAR = 2026
UNITS = {"元": 1, "千元": 1000, "万元": 10000}
CATEGORIES = ["人员成本", "设备成本", "培训成本", "差旅费用", "业务外包", "办公费", "通讯费", "房租", "Salaries", "Rent", "Telephony", "Training", "Postage"]  # fmt: skip
DEPARTMENTS = ["客服一部", "客服二部", "售后处", "Hotline"]
ITEMS = ["工资", "社保", "耳麦", "电脑", "话费", "机票", "酒店", "licences"]
TITLES = ["客服部费用预算表", "Customer service budget", "费用明细(财务系统导出)", "部门预算"]
NOTES = ["说明:本表由财务部编制", "Prepared by finance", "请勿修改公式", "数据截至月底"]
SUBTOTAL_LABELS = ["小计", "Subtotal", "Sub-total"]
GRAND_LABELS = ["合计", "总计", "Total", "Grand Total", "费用合计", "支出合计"]
MONTH_HEADERS = {
    "zh": lambda m: f"{m}月",
    "cn": lambda m: [
        "一月",
        "二月",
        "三月",
        "四月",
        "五月",
        "六月",
        "七月",
        "八月",
        "九月",
        "十月",
        "十一月",
        "十二月",
    ][m - 1],  # fmt: skip
    "en": lambda m: [
        "Jan",
        "Feb",
        "Mar",
        "Apr",
        "May",
        "Jun",
        "Jul",
        "Aug",
        "Sep",
        "Oct",
        "Nov",
        "Dec",
    ][m - 1],  # fmt: skip
    "iso": lambda m: f"{YEAR}-{m:02d}",
}
LABELS = {
    "department": ["部门", "成本中心", "Department"],
    "category": ["科目", "费用科目", "费用项目", "Category", "Account"],
    "item": ["明细", "子项目", "Item"],
    "plan": ["预算", "全年预算", "预算金额", "Budget"],
    "date": ["日期", "记账日期", "发生日期", "Date"],
    "amount": ["金额", "实际金额", "发生额", "Amount"],
    "description": ["摘要", "Description", "Memo"],
    "voucher": ["凭证号", "Voucher"],
}


@dataclass
class Generated:
    """A sheet as written, and what the loader must find in it."""

    kind: str  # "plan" | "actuals"
    rows: list[list[Any]]
    lines_fen: int  # generated lines, spending positive, in 分
    total_rows: set[int] = field(default_factory=set)  # Excel row numbers
    wrong_totals: set[int] = field(default_factory=set)
    header_row: int = 1


# ---------------------------------------------------------------------------------------------
# Strategies


@st.composite
def amounts_fen(draw, n: int, unit: str) -> tuple[list[int], bool]:
    """n amounts in 分 (spending positive), written as a multiple of the unit's 0.01 step;
    a few negative refunds when there are enough lines; whether the sheet stores them negative."""
    step = 100 if unit != "元" else 1  # 万元/千元 tables hold whole 元
    values = draw(st.lists(st.integers(1, 5_000_000), min_size=n, max_size=n))
    values = [v * step for v in values]
    if n >= 10:
        k = draw(st.integers(0, n // 10))
        for i in draw(st.lists(st.integers(0, n - 1), min_size=k, max_size=k, unique=True)):
            values[i] = -values[i]
    # Stored negative only from 3 lines up: one or two negative lines may as well be refunds.
    stored_negative = n >= 3 and draw(st.integers(0, 2)) == 0
    return values, stored_negative


def written(fen_value: int, unit: str, negative: bool) -> float:
    v = fen_value / 100 / UNITS[unit]
    return round(-v if negative else v, 6)


@st.composite
def preamble(draw, header_row: int, unit: str, unit_where: str) -> list[list[Any]]:
    """Rows above the header: an optional title, notes, the unit note, blanks."""
    rows: list[list[Any]] = [[] for _ in range(header_row - 1)]
    free = list(range(header_row - 1))
    if unit_where == "note":
        i = draw(st.sampled_from(free))
        rows[i] = [draw(st.sampled_from([f"单位:{unit}", f"金额单位:{unit}", f"（单位：{unit}）"]))]
        free.remove(i)
    if 0 in free and draw(st.booleans()):
        rows[0] = [draw(st.sampled_from(TITLES))]
        free.remove(0)
    for i in draw(st.lists(st.sampled_from(free), unique=True, max_size=4)) if free else []:
        rows[i] = [draw(st.sampled_from(NOTES))]
    return rows


@st.composite
def unit_choice(draw, header_row: int, suffix: bool) -> tuple[str, str]:
    """The unit and where it is stated: a 单位 note above the header, a header suffix
    "(万元)" on the amount column (not on month columns), or nowhere (元)."""
    ways = (["suffix"] if suffix else []) + (["note"] if header_row > 1 else [])
    unit = draw(st.sampled_from(list(UNITS))) if ways else "元"
    if unit == "元":
        return unit, draw(st.sampled_from(["none", *ways]))
    return unit, draw(st.sampled_from(ways))


def with_suffix(label: str, unit: str, where: str) -> str:
    return f"{label}({unit})" if where == "suffix" else label


def _groups(draw, n: int) -> list[int]:
    """Split points: the line indexes after which a subtotal row goes (may be none)."""
    if n < 2 or not draw(st.booleans()):
        return []
    return sorted(draw(st.lists(st.integers(0, n - 2), unique=True, max_size=3))) + [n - 1]


@st.composite
def plan_sheet(draw) -> Generated:
    header_row = draw(st.integers(1, 40))
    wide = draw(st.booleans())
    unit, unit_where = draw(unit_choice(header_row, suffix=not wide))
    rows = draw(preamble(header_row, unit, unit_where))
    n = draw(st.integers(1, 12))
    months = (
        draw(st.lists(st.integers(1, 12), min_size=1, max_size=12, unique=True)) if wide else []
    )
    label_fields = ["category"] + [f for f in ("department", "item") if draw(st.booleans())]
    label_fields = draw(st.permutations(label_fields))
    fmt = draw(st.sampled_from(list(MONTH_HEADERS)))
    with_total_col = wide and len(months) > 1 and draw(st.booleans())
    head = [draw(st.sampled_from(LABELS[f])) for f in label_fields]
    if wide:
        head += [MONTH_HEADERS[fmt](m) for m in months]
        if with_total_col:
            head.append("合计")
    else:
        head.append(with_suffix(draw(st.sampled_from(LABELS["plan"])), unit, unit_where))
    rows.append(head)
    n_cells = n * max(len(months), 1)
    values, negative = draw(amounts_fen(n_cells, unit))
    width = max(len(months), 1)
    cells = [values[i * width : (i + 1) * width] for i in range(n)]
    gen = Generated("plan", rows, sum(values), header_row=header_row)
    cuts = _groups(draw, n)
    open_since = 0
    for i in range(n):
        names = {
            "category": draw(st.sampled_from(CATEGORIES)),
            "department": draw(st.sampled_from(DEPARTMENTS)),
            "item": draw(st.sampled_from(ITEMS)),
        }
        amounts = [written(v, unit, negative) for v in cells[i]]
        row = [names[f] for f in label_fields] + amounts
        if with_total_col:
            row.append(written(sum(cells[i]), unit, negative))
        rows.append(row)
        if i in cuts:
            labels = GRAND_LABELS if cuts == [n - 1] else SUBTOTAL_LABELS
            group = cells[open_since : i + 1]
            _total_row(draw, gen, group, label_fields, unit, negative, with_total_col, labels)
            open_since = i + 1
    if len(cuts) > 1 and draw(st.booleans()):
        _total_row(draw, gen, cells, label_fields, unit, negative, with_total_col, GRAND_LABELS)
    return gen


def _total_row(draw, gen, cells, label_fields, unit, negative, with_total_col, labels) -> None:
    sums = [sum(c[j] for c in cells) for j in range(len(cells[0]))]
    wrong = draw(st.integers(0, 3)) == 0
    if wrong:
        j = draw(st.integers(0, len(sums) - 1))
        sums[j] += draw(st.sampled_from([-1, 1])) * draw(st.integers(1, 50)) * 100_000
    row: list[Any] = [""] * len(label_fields)
    row[0] = draw(st.sampled_from(labels))
    row += [written(s, unit, negative) for s in sums]
    if with_total_col:
        row.append(written(sum(sums), unit, negative))
    gen.rows.append(row)
    excel_row = len(gen.rows)
    gen.total_rows.add(excel_row)
    if wrong:
        gen.wrong_totals.add(excel_row)


@st.composite
def ledger_sheet(draw) -> Generated:
    header_row = draw(st.integers(1, 40))
    unit, unit_where = draw(unit_choice(header_row, suffix=True))
    rows = draw(preamble(header_row, unit, unit_where))
    fields = ["date", "category", "amount"] + [
        f for f in ("department", "description", "voucher") if draw(st.booleans())
    ]
    fields = draw(st.permutations(fields))
    head = [
        with_suffix(draw(st.sampled_from(LABELS[f])), unit, unit_where)
        if f == "amount"
        else draw(st.sampled_from(LABELS[f]))
        for f in fields
    ]
    rows.append(head)
    n = draw(st.integers(1, 15))
    values, negative = draw(amounts_fen(n, unit))
    gen = Generated("actuals", rows, sum(values), header_row=header_row)
    for i, v in enumerate(values):
        day = dt.date(YEAR, draw(st.integers(1, 10)), draw(st.integers(1, 28)))
        cell = {
            "date": day,
            "category": draw(st.sampled_from(CATEGORIES)),
            "amount": written(v, unit, negative),
            "department": draw(st.sampled_from(DEPARTMENTS)),
            "description": draw(st.sampled_from(ITEMS)),
            "voucher": f"记-{i + 1:03d}",
        }
        rows.append([cell[f] for f in fields])
    if n >= 2 and draw(st.booleans()):
        stated = sum(values)
        wrong = draw(st.integers(0, 3)) == 0
        if wrong:
            stated += draw(st.integers(1, 50)) * 100_000
        row: list[Any] = [""] * len(fields)
        row[fields.index("category")] = draw(st.sampled_from(GRAND_LABELS))
        row[fields.index("amount")] = written(stated, unit, negative)
        rows.append(row)
        gen.total_rows.add(len(rows))
        if wrong:
            gen.wrong_totals.add(len(rows))
    return gen


# ---------------------------------------------------------------------------------------------
# Writing and checking


def write(folder: Path, gen: Generated, as_csv: bool, sheet: str) -> str:
    sub = "budget" if gen.kind == "plan" else "actuals"
    name = f"{'预算' if gen.kind == 'plan' else '明细'}{YEAR}.{'csv' if as_csv else 'xlsx'}"
    path = folder / sub / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if as_csv:
        with open(path, "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            for row in gen.rows:
                w.writerow([v.isoformat() if isinstance(v, dt.date) else v for v in row])
    else:
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = sheet
        for r, row in enumerate(gen.rows, start=1):
            for c, v in enumerate(row, start=1):
                if v is not None and v != "":
                    ws.cell(r, c, v)
        wb.save(path)
    return f"{sub}/{name}"


def fen(x: float) -> int:
    return int(round(float(x) * 100))


def check(ds, gen: Generated, rel: str, frame: pd.DataFrame, col: str) -> None:
    assert fen(frame[col].sum()) == gen.lines_fen, (fen(frame[col].sum()), gen.lines_fen)
    mine = ds.dq[ds.dq["file"] == rel]
    total_rows = set(mine.loc[mine["code"] == "total_row", "row"].dropna().astype(int))
    assert gen.total_rows <= total_rows, (sorted(gen.total_rows), sorted(total_rows))
    mismatches = set(mine.loc[mine["code"] == "total_mismatch", "row"].dropna().astype(int))
    assert mismatches == gen.wrong_totals, (sorted(mismatches), sorted(gen.wrong_totals))
    read = ds.inputs[(ds.inputs["file"] == rel) & (ds.inputs["status"] == "read")]
    assert len(read) >= 1
    assert {str(int(float(h))) for h in read["header_rows"].astype(str).str.split("-").str[-1]} == {
        str(gen.header_row)
    }


def check_readings(ds) -> None:
    missing = [c for c in READING_COLUMNS if c not in ds.inputs.columns]
    assert not missing, f"ds.inputs lacks {missing}"
    for _, r in ds.inputs[ds.inputs["status"] == "read"].iterrows():
        assert fen(r["amount_read"]) == fen(r["amount_loaded"]) + fen(r["amount_reported"]), (
            r["file"],
            r["amount_read"],
            r["amount_loaded"],
            r["amount_reported"],
        )


SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
    # No shrinking: a failing loader is reported on its first failing sheet within seconds
    # (shrinking a 40-row workbook takes minutes); the example is printed as generated.
    phases=[Phase.explicit, Phase.generate],
    report_multiple_bugs=False,
)


@SETTINGS
@given(gen=plan_sheet(), sheet=st.sampled_from(["预算", "Sheet1", "Plan", str(YEAR)]))
def test_plan_amounts_conserved(gen: Generated, sheet: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        rel = write(folder, gen, as_csv=False, sheet=sheet)
        ds = load_all(folder, use_cache=False)
        check_readings(ds)
        check(ds, gen, rel, ds.plan, "plan")
        assert set(ds.plan["period"].str[:4]) <= {str(YEAR)}


@SETTINGS
@given(gen=ledger_sheet(), as_csv=st.booleans())
def test_ledger_amounts_conserved(gen: Generated, as_csv: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        rel = write(folder, gen, as_csv=as_csv, sheet="明细")
        ds = load_all(folder, use_cache=False)
        check_readings(ds)
        check(ds, gen, rel, ds.actuals, "amount")
        assert len(ds.actuals) == len(gen.rows) - gen.header_row - len(gen.total_rows)
