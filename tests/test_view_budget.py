"""The budget report's view (analysis.views.budget) on a small hand-made department.

Hotline, period 2026-02 (figures worked by hand):
- Staff: annual 96,000 spread 8,000 a month; actual 8,000 + 10,000 → YTD +2,000 (12.5 %): over.
- Phones: 1,000 a month, February revised to 1,500; actual 1,000 + 900 → YTD −600: on track.
- Sales (revenue): 5,000 a month; actual 5,000 + 2,000 → YTD −3,000 (30 %): revenue short.
- Travel: 300 a month, nothing booked on it; the ledger's "Travel expenses" 250 maps nowhere
  (proposed: Travel), nor does "Party" 1,200: both unbudgeted.
Cost lines in February: plan 8,000 + 1,500 + 300 = 9,800; actual 10,000 + 900 + 1,200 + 250 =
12,350. The ledger's February total (with revenue): 14,350.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import nbformat
import numpy as np
import openpyxl
import pandas as pd
import pytest

from analysis import budget as b
from analysis.config import load_config
from analysis.schema import ACTUAL_COLUMNS, PLAN_COLUMNS
from analysis.views import budget as vb

CFG = load_config()
NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "reports" / "10_budget.ipynb"


def plan() -> pd.DataFrame:
    rows = [("2026", "Staff", 96000.0, np.nan)]
    rows += [("2026-01", "Phones", 1000.0, np.nan), ("2026-02", "Phones", 1000.0, 1500.0)]
    rows += [("2026-03", "Phones", 1000.0, np.nan)]
    rows += [(p, "Sales", 5000.0, np.nan) for p in ("2026-01", "2026-02")]
    rows += [(p, "Travel", 300.0, np.nan) for p in ("2026-01", "2026-02")]
    return pd.DataFrame(
        [
            {"period": p, "department": "Hotline", "category": c, "item": "", "plan": v,
             "revised_plan": r, "kind": "", "source_file": "plan.csv", "source_sheet": "",
             "source_row": i + 2}
            for i, (p, c, v, r) in enumerate(rows)
        ],
        columns=PLAN_COLUMNS,
    )  # fmt: skip


def actuals() -> pd.DataFrame:
    rows = [
        ("2026-01-10", "Staff", 8000), ("2026-02-10", "Staff", 10000),
        ("2026-01-12", "Phones", 1000), ("2026-02-11", "Phones", 900),
        ("2026-01-20", "Sales", 5000), ("2026-02-20", "Sales", 2000),
        ("2026-02-12", "Party", 1200), ("2026-02-13", "Travel expenses", 250),
        ("2026-03-01", "Staff", 500),  # after the period
    ]  # fmt: skip
    return pd.DataFrame(
        [
            {"date": pd.Timestamp(d), "period": d[:7], "department": "Hotline", "category": c,
             "item": "", "amount": float(a), "description": f"line {i}", "voucher": f"J{i}",
             "source_file": "ledger.csv", "source_sheet": "", "source_row": i + 2}
            for i, (d, c, a) in enumerate(rows)
        ],
        columns=ACTUAL_COLUMNS,
    )  # fmt: skip


def dataset(dq: pd.DataFrame | None = None) -> SimpleNamespace:
    if dq is None:
        dq = pd.DataFrame(columns=["severity", "code", "file", "sheet", "row", "column", "message"])
    return SimpleNamespace(plan=plan(), actuals=actuals(), dq=dq, latest_period="2026-03")


@pytest.fixture(scope="module")
def en() -> vb.BudgetView:
    return vb.build(dataset(), CFG, "2026-02", "en")


def test_statuses_are_codes(en: vb.BudgetView) -> None:
    keys = en.table["category"] + "/" + en.table["item"]
    status = dict(zip(keys, en.table["status"], strict=True))
    assert status == {
        "Staff/": "over",
        "Phones/": "on_track",
        "Sales/": "revenue_short",
        "Travel/": "on_track",
        f"{b.UNBUDGETED}/Party": "unbudgeted",
        f"{b.UNBUDGETED}/Travel expenses": "unbudgeted",
    }


def test_tiles(en: vb.BudgetView) -> None:
    tiles = {t["label"]: t for t in en.tiles}
    month = tiles["Actual / plan (month)"]
    # plan beside actual; January's cost actual 8,000 + 1,000 = 9,000 (revenue left out)
    assert (month["value"], month["sub"]) == (
        "12,350 CNY / 9,800 CNY",
        "previous month 9,000.00 CNY, change +3,350.00 CNY (+37.2 %)",
    )
    ytd = tiles["Actual / plan (YTD)"]
    # YTD cost: plan 16,000 + 2,500 + 600; actual 18,000 + 1,900 + 1,200 + 250; 2 of 12 months
    assert (ytd["value"], ytd["sub"]) == ("21,350 CNY / 19,100 CNY", "year elapsed 16.7 %")
    assert tiles["Variance YTD"]["value"] == "+2,250.00 CNY"
    unbudgeted = tiles["Unbudgeted (YTD)"]
    assert (unbudgeted["value"], unbudgeted["tone"]) == ("1,450.00 CNY", "warn")
    assert en.title == "Budget execution · 2026-02"
    assert "more than 5 % and more than 1,000 CNY" in en.intro


def test_variance_table_is_labelled_for_display(en: vb.BudgetView) -> None:
    table, departments = en.sections["variance"]
    shown = table.frame.set_index("item")
    assert shown.loc["Party", "status"] == "Unbudgeted"
    assert shown.loc["Party", "category"] == "Unbudgeted spending"
    assert shown.loc["Party", "_tone"] == "over"
    staff = table.frame[table.frame["category"] == "Staff"].iloc[0]
    assert (staff["status"], staff["_tone"], staff["run_rate_full_year"]) == (
        "Over",
        "over",
        108000.0,
    )
    assert table.columns["plan_ytd"].label == "Plan YTD"
    assert table.columns["variance"].fmt(-600) == "-600.00"
    assert table.total["department"] == "Total"
    assert table.total["actual"] == 14350.0  # with revenue: the ledger's month
    assert departments.frame["department"].tolist() == ["Hotline"]
    assert departments.level == 3


def test_chinese_words() -> None:
    zh = vb.build(dataset(), CFG, "2026-02", "zh")
    shown = zh.sections["variance"][0].frame
    assert set(shown["status"]) == {"超支", "正常", "短收", "计划外"}
    assert b.UNBUDGETED in set(shown["category"])
    assert zh.tiles[0]["value"] == "12,350 元 / 9,800 元"
    assert zh.table.equals(vb.build(dataset(), CFG, "2026-02", "en").table)  # numbers, no words


def test_largest_overspends_and_drilldowns(en: vb.BudgetView) -> None:
    top, *drills = en.sections["overspends"]
    assert top.frame["category"].tolist()[:3] == ["Sales", "Staff", "Unbudgeted spending"]
    assert len(drills) == 2 * vb.DRILLDOWNS
    months = drills[0]
    assert months.heading == "Hotline / Sales: -3,000.00 CNY (-30.0 %)"
    assert months.frame["period"].tolist() == ["2026-02"]  # the month that drove −3,000
    staff_lines = drills[3]
    assert staff_lines.note == "Main ledger lines (2 lines, largest first)"
    assert staff_lines.frame["amount"].tolist() == [10000.0, 8000.0]
    assert {"source_file", "source_row", "ledger_label"} <= set(staff_lines.columns)


def test_months_revisions_and_reconciliation(en: vb.BudgetView) -> None:
    (months,) = en.sections["months"]
    assert months.frame["period"].tolist() == ["2026-01", "2026-02"]
    assert months.frame.set_index("period").loc["2026-02", "_tone"] == "warn"
    (revisions,) = en.sections["revisions"]
    rev = revisions.frame.iloc[0]
    assert (rev["category"], rev["original_full_year"], rev["revised_full_year"]) == (
        "Phones",
        3000.0,
        3500.0,
    )
    assert rev["change"] == 500.0 and revisions.optional
    tie, unbudgeted, unspent, unmapped, stated = en.sections["reconciliation"]
    assert tie.frame["ok"].tolist() == ["yes", "yes"]
    assert tie.frame["ledger"].tolist() == [14350.0, 21350.0 + 7000.0]
    assert unbudgeted.frame["item"].tolist() == ["Party", "Travel expenses"]
    assert unspent.frame["category"].tolist() == ["Travel"]
    um = unmapped.frame.set_index("label")
    assert um.loc["Travel expenses", "proposed"] == "Travel"
    assert um.loc["Travel expenses", "config_line"] == '"Travel expenses" = "Travel"'
    assert um.loc["Party", "proposed"] == ""
    assert {"proposed", "config_line"} <= set(unmapped.columns)
    assert stated.frame.empty and stated.empty == "Nothing to list"


def test_stated_totals_come_from_the_data_quality_list() -> None:
    dq = pd.DataFrame(
        [
            {"severity": "warning", "code": "total_mismatch", "file": "plan.xlsx", "sheet": "P",
             "row": 9, "column": "Mar", "message": "stated 10 vs 12"},
            {"severity": "info", "code": "total_row", "file": "plan.xlsx", "sheet": "P",
             "row": 10, "column": "", "message": ""},
        ]
    )  # fmt: skip
    view = vb.build(dataset(dq), CFG, "2026-02", "en")
    stated = view.sections["reconciliation"][-1]
    assert stated.frame["row"].tolist() == [9]


def test_period_defaults_to_the_latest_month() -> None:
    assert vb.build(dataset(), CFG, "", "en").period == "2026-03"


def test_write_exports(en: vb.BudgetView, tmp_path: Path) -> None:
    assert vb.write_exports(en, "") == []
    csv_path, xlsx_path = vb.write_exports(en, tmp_path)
    csv = pd.read_csv(csv_path, encoding="utf-8-sig", keep_default_na=False)
    assert list(csv.columns) == b.VARIANCE_COLUMNS
    assert set(csv["status"]) <= set(b.STATUSES)
    assert round(csv["actual"].sum(), 2) == 14350.0
    wb = openpyxl.load_workbook(xlsx_path)
    assert wb.sheetnames == ["Variance by line", "By department", "Unmapped ledger labels"]
    ws = wb["Variance by line"]
    assert ws["A1"].value == "Period"
    last = [c.value for c in ws[ws.max_row]]
    assert last[0] == "Total" and round(last[5], 2) == 14350.0
    assert "Over" in [c.value for c in ws["P"]]  # status in words
    heads = [c.value for c in wb["Unmapped ledger labels"][1]]
    assert "Proposed category" in heads


def test_notebook_is_thin() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    lines = [ln for src in code for ln in src.splitlines() if ln.strip()]
    assert len(lines) <= 80
    body = "\n".join(code[1:])
    for word in ("lambda", "for ", "def ", "write_csv", "write_xlsx", "{"):
        assert word not in body, word
    first_output = next(i for i, src in enumerate(code) if "report.tiles" in src)
    assert sum(len(src.splitlines()) for src in code[: first_output + 1]) < 30
    assert "=" not in "".join(ln.split("#", 1)[1] for ln in code[0].splitlines() if "#" in ln)


def test_every_status_has_words() -> None:
    from analysis.catalog import labels

    for lang in ("zh", "en"):
        words = labels("budget", lang)
        assert {f"statuses.{s}" for s in b.STATUSES} <= set(words)


def test_headlines_json_shape(en: vb.BudgetView, tmp_path: Path) -> None:
    from analysis import report

    report.save_headlines(tmp_path, "budget", en.tiles)
    saved = json.loads((tmp_path / ".headlines" / "budget.json").read_text(encoding="utf-8"))
    # the landing page keeps label, value, tone and the sub line
    assert saved[0] == {
        "label": "Actual / plan (month)",
        "value": "12,350 CNY / 9,800 CNY",
        "tone": None,
        "sub": "previous month 9,000.00 CNY, change +3,350.00 CNY (+37.2 %)",
    }


def test_verdict_first_in_words_and_colour(en: vb.BudgetView) -> None:
    # cost YTD 21,350 against 19,100: +2,250 (11.8 %) passes both thresholds → over.
    # Over or short: Staff (+2,000) and Sales (revenue −3,000, the larger); Party and Travel
    # expenses unbudgeted (1,200 + 250). Full-year cost plan 96,000 + 3,500 + 600 = 100,100.
    assert [(line.text, line.tone) for line in en.verdict] == [
        ("Overall: Over; actual 21,350.00 CNY against plan 19,100.00 CNY for the year to date, "
         "variance +2,250.00 CNY (+11.8 %)", "over"),
        ("Lines over plan or revenue short: 2; the largest: Hotline / Sales, Below plan, "
         "-3,000.00 CNY (-30.0 %)", "over"),
        ("Unbudgeted spending: 2 lines, 1,450.00 CNY to date (no plan line)", "warn"),
        ("Year-to-date execution 111.8 % (actual ÷ plan to date); 21.3 % of the full-year plan "
         "used with 16.7 % of the year elapsed (2 of 12 months)", None),
        ("This month: actual 12,350.00 CNY, plan 9,800.00 CNY (execution 126.0 %); previous "
         "month 9,000.00 CNY, change +3,350.00 CNY (+37.2 %)", None),
    ]  # fmt: skip
    zh = vb.build(dataset(), CFG, "2026-02", "zh")
    assert zh.verdict[0].text.startswith("总体超支: ")
    assert "序时进度 16.7 % (2/12 个月)" in zh.verdict[3].text


def test_month_status_says_when_the_month_disagrees_with_the_year() -> None:
    # Staff: 8,000 a month; January 2,000 (under by 6,000), February 14,000 (+6,000, 175 %):
    # the year to date is on plan (16,000), the month is over by both thresholds.
    acts = actuals()
    acts.loc[acts["category"] == "Staff", "amount"] = [2000.0, 14000.0, 500.0]
    view = vb.build(SimpleNamespace(plan=plan(), actuals=acts, dq=dataset().dq,
                                    latest_period="2026-03"), CFG, "2026-02", "en")  # fmt: skip
    staff = view.table.set_index("category").loc["Staff"]
    assert (staff["status"], staff["status_month"]) == ("on_track", "over")
    shown = view.sections["variance"][0]
    assert shown.columns["status_month"] == "Month status"
    row = shown.frame[shown.frame["category"] == "Staff"].iloc[0]
    assert (row["status"], row["status_month"]) == ("On track", "Over")
    assert vb._row_tone(row.to_dict()) is None  # the row's colour is the year's: no colour
    assert view.verdict[-1] == vb.Line(
        "Over plan this month but not for the year to date: 1 (see the month status column)", "warn"
    )


def test_previous_month_and_last_year() -> None:
    assert b.year_elapsed("2026-10") == 0.8333
    assert b.shift_period("2026-01", -1) == "2025-12"
    assert b.shift_period("2026-03", -12) == "2025-03"
    acts = pd.concat([actuals(), actuals().iloc[[0]].assign(date=pd.Timestamp("2025-02-05"),
                                                            period="2025-02", amount=7000.0)])  # fmt: skip
    cmp = b.comparisons(plan(), acts, "2026-02", CFG)
    assert cmp == {
        "actual": 12350.0, "prev_period": "2026-01", "prev_actual": 9000.0,
        "mom_change": 3350.0, "mom_pct": 0.3722, "ly_period": "2025-02", "ly_actual": 7000.0,
        "yoy_change": 5350.0, "yoy_pct": 0.7643,
    }  # fmt: skip
    assert b.comparisons(plan(), actuals(), "2026-02", CFG)["ly_actual"] is None  # no data ≠ 0
    months = vb.build(dataset(), CFG, "2026-02", "en").sections["months"][0]
    assert months.frame["mom_change"].tolist()[1] == 3350.0
    assert months.columns["mom_change"].label == "Change on previous month"
