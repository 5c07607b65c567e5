"""Issue 10: every layout of tests/corpus/layouts/make_layouts.py read as its author meant it.

Written against the issue-10 loader contract, not against the loader of the day: each test
builds one case folder in tmp_path, loads it with ``load_all(folder, use_cache=False)`` and checks
the figures worked out by hand from the rows in the generator (plan and actual sums per period,
line counts, revenue vs cost), the reading (ds.inputs: layout, status, sign, year, period,
header rows) and the data-quality rows, or the refusal (InputError naming the file and, for
ambiguities, the ``[[read]]`` lines that pin the reading), then that the pin makes it load.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis.io import InputError, load_all
from analysis.schema import READING_COLUMNS

GENERATOR = Path(__file__).parent / "corpus" / "layouts" / "make_layouts.py"


def _generator():
    if "make_layouts" not in sys.modules:
        spec = importlib.util.spec_from_file_location("make_layouts", GENERATOR)
        mod = importlib.util.module_from_spec(spec)
        sys.modules["make_layouts"] = mod
        spec.loader.exec_module(mod)
    return sys.modules["make_layouts"]


ML = _generator()


def build(tmp_path: Path, name: str, config: str | None = None) -> Path:
    """The case folder in tmp_path; ``config`` (TOML text) is appended to its config.toml."""
    folder = ML.build(tmp_path, [name])[name]
    if config is not None:
        cfg = folder / "config.toml"
        old = cfg.read_text(encoding="utf-8") if cfg.exists() else ""
        cfg.write_text(old + "\n" + config, encoding="utf-8")
    return folder


def load(folder: Path):
    ds = load_all(folder, use_cache=False)
    check_accounting(ds)
    return ds


# ---------------------------------------------------------------------------------------------
# Helpers: amounts in 分 (exact integers), dq and reading look-ups


def fen(x: float) -> int:
    return int(round(float(x) * 100))


def total(df: pd.DataFrame, col: str) -> int:
    return fen(df[col].sum()) if len(df) else 0


def by_period(df: pd.DataFrame, col: str) -> dict[str, int]:
    return {str(p): fen(v) for p, v in df.groupby("period")[col].sum().items()}


def by(df: pd.DataFrame, key: str, col: str) -> dict[str, int]:
    return {str(k): fen(v) for k, v in df.groupby(key)[col].sum().items()}


def dq(ds, code: str, severity: str | None = None) -> pd.DataFrame:
    out = ds.dq[ds.dq["code"] == code]
    if severity is not None:
        assert set(out["severity"]) <= {severity}, out[["severity", "code", "row"]]
    return out


def dq_rows(ds, code: str, severity: str | None = None) -> set[int]:
    return {int(r) for r in dq(ds, code, severity)["row"].dropna()}


def text(v) -> str:
    """A reading cell as text: 2026.0 → "2026", None/NaN → ""."""
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def readings(ds, sheet: str | None = None, status: str | None = None) -> pd.DataFrame:
    r = ds.inputs
    if sheet is not None:
        r = r[r["sheet"].astype(str) == sheet]
    if status is not None:
        r = r[r["status"] == status]
    return r


def one_reading(ds, sheet: str | None = None) -> pd.Series:
    r = readings(ds, sheet, "read")
    assert len(r) == 1, ds.inputs[["file", "sheet", "status", "layout", "range"]]
    return r.iloc[0]


def digits(s: str) -> str:
    """Message text with thousands separators and spaces removed, for number look-ups."""
    return re.sub(r"(?<=\d)[,\s](?=\d)", "", s)


def check_accounting(ds) -> None:
    """Contract: one reading per table with READING_COLUMNS; amount read = loaded + reported."""
    missing = [c for c in READING_COLUMNS if c not in ds.inputs.columns]
    assert not missing, f"ds.inputs lacks {missing}"
    for _, r in ds.inputs[ds.inputs["status"] == "read"].iterrows():
        read, loaded, reported = (
            fen(r["amount_read"]),
            fen(r["amount_loaded"]),
            fen(r["amount_reported"]),
        )
        assert read == loaded + reported, (r["file"], r["sheet"], read, loaded, reported)
        assert int(r["rows_read"]) == int(r["rows_loaded"]) + int(r["rows_reported"]), (
            r["file"],
            r["sheet"],
        )


def assert_spread(plan: pd.DataFrame, year: int, total_fen: int, lines: int) -> None:
    """An annual plan spread evenly over the 12 months of ``year``, its total kept to the 分."""
    assert sorted(plan["period"].unique()) == [f"{year}-{m:02d}" for m in range(1, 13)]
    assert len(plan) == 12 * lines
    assert total(plan, "plan") == total_fen
    for p, v in by_period(plan, "plan").items():
        assert abs(v - total_fen / 12) <= 12 * lines, (p, v)


def refused(folder: Path) -> str:
    with pytest.raises(InputError) as info:
        load_all(folder, use_cache=False)
    return str(info.value)


# ---------------------------------------------------------------------------------------------
# Plan and actual side by side


def test_pa_yuji_month_sheet(tmp_path: Path) -> None:
    ds = load(build(tmp_path, "pa_yuji_sheet_month"))
    assert len(ds.plan) == 5 and set(ds.plan["period"]) == {"2026-10"}
    assert total(ds.plan, "plan") == fen(179000)
    assert by(ds.plan, "category", "plan") == {
        "人员成本": fen(120000),
        "设备成本": fen(15000),
        "培训成本": fen(8000),
        "差旅费用": fen(6000),
        "业务外包": fen(30000),
    }
    assert len(ds.actuals) == 5 and set(ds.actuals["period"]) == {"2026-10"}
    assert total(ds.actuals, "amount") == fen(178450)
    assert by(ds.actuals, "category", "amount")["差旅费用"] == fen(7350)
    r = one_reading(ds, "10月份")
    assert r["layout"] == "plan_actual"
    assert text(r["period"]) == "2026-10" and text(r["year"]) == "2026"
    assert text(r["header_rows"]) == "3"
    assert dq_rows(ds, "total_row", "info") == {9}
    assert dq(ds, "total_mismatch").empty and dq(ds, "variance_mismatch").empty
    assert ds.latest_period == "2026-10"


def test_pa_budget_actual_variance_english(tmp_path: Path) -> None:
    ds = load(build(tmp_path, "pa_budget_actual_variance_en"))
    assert set(ds.plan["period"]) == {"2026-10"} and len(ds.plan) == 4
    assert total(ds.plan, "plan") == fen(72500)
    assert set(ds.actuals["period"]) == {"2026-10"} and len(ds.actuals) == 4
    assert total(ds.actuals, "amount") == fen(74068.05)
    assert by(ds.actuals, "category", "amount")["Telephony"] == fen(4512.30)
    r = one_reading(ds, "October")
    assert r["layout"] == "plan_actual" and text(r["header_rows"]) == "2"
    assert text(r["period"]) == "2026-10"
    assert dq_rows(ds, "total_row", "info") == {7}
    # Variance written as budget − actual is the other accepted convention: no warning.
    assert dq(ds, "variance_mismatch").empty and dq(ds, "total_mismatch").empty


def test_pa_two_stacked_tables_in_one_sheet(tmp_path: Path) -> None:
    ds = load(build(tmp_path, "pa_stacked"))
    tables = readings(ds, "2026-09", "read")
    assert len(tables) == 2
    assert set(tables["layout"]) == {"plan_actual"}
    assert sorted(text(h) for h in tables["header_rows"]) == ["2", "9"]
    assert set(ds.plan["period"]) == {"2026-09"} and len(ds.plan) == 7
    assert total(ds.plan, "plan") == fen(122700)
    assert total(ds.plan[ds.plan["source_row"] <= 5], "plan") == fen(59000)
    assert total(ds.plan[ds.plan["source_row"] >= 10], "plan") == fen(63700)
    assert len(ds.actuals) == 7 and set(ds.actuals["period"]) == {"2026-09"}
    assert total(ds.actuals, "amount") == fen(124446.30)
    assert by(ds.actuals, "category", "amount")["人员成本"] == fen(49800 + 43500.5)
    assert dq_rows(ds, "total_row", "info") == {6, 14}
    assert dq(ds, "total_mismatch").empty


def test_pa_wrong_variance_is_reported(tmp_path: Path) -> None:
    ds = load(build(tmp_path, "pa_variance_mismatch"))
    assert set(ds.plan["period"]) == {"2026-09"}
    assert total(ds.plan, "plan") == fen(7300) and len(ds.plan) == 4
    assert total(ds.actuals, "amount") == fen(7900) and len(ds.actuals) == 4
    assert set(ds.actuals["period"]) == {"2026-09"}
    # 招待费: 2650 − 2000 = 650, the sheet says 680. The variance column is checked, not loaded.
    assert dq_rows(ds, "variance_mismatch", "warning") == {4}
    assert dq(ds, "derived_row").empty  # 差额 is a header here, not a derived row
    assert one_reading(ds, "Sep 2026")["layout"] == "plan_actual"


def test_pa_ytd_actual_makes_plan_annual(tmp_path: Path) -> None:
    ds = load(build(tmp_path, "pa_ytd_actual"))
    assert_spread(ds.plan, 2026, fen(1440000), 3)
    assert by_period(ds.plan, "plan")["2026-06"] == fen(120000)
    assert ds.actuals.empty  # 本年累计 is year-to-date: set aside, never a month's actual
    r = one_reading(ds, "2026年预算执行")
    assert r["layout"] in ("annual_plan", "plan_actual")
    assert "累计" in text(r["note"]) or "ytd" in text(r["note"]).lower()
    assert not dq(ds, "annual_spread").empty


# ---------------------------------------------------------------------------------------------
# One sheet per month


def test_sheet_per_month_chinese_names(tmp_path: Path) -> None:
    ds = load(build(tmp_path, "sheet_per_month_zh"))
    assert len(ds.plan) == 6
    assert by_period(ds.plan, "plan") == {"2026-10": fen(88000), "2026-11": fen(90100)}
    assert dq(ds, "annual_spread").empty
    assert text(one_reading(ds, "10月份")["period"]) == "2026-10"
    assert text(one_reading(ds, "11月份")["period"]) == "2026-11"


def test_sheet_per_month_iso_names_plan_actual(tmp_path: Path) -> None:
    ds = load(build(tmp_path, "sheet_per_month_iso_pa"))
    assert by_period(ds.plan, "plan") == {"2026-08": fen(23000), "2026-09": fen(23000)}
    assert by_period(ds.actuals, "amount") == {"2026-08": fen(23890), "2026-09": fen(22620)}
    assert len(ds.plan) == 4 and len(ds.actuals) == 4
    for sheet in ("2026-08", "2026-09"):
        r = one_reading(ds, sheet)
        assert r["layout"] == "plan_actual" and text(r["period"]) == sheet


def test_sheet_per_month_english_names(tmp_path: Path) -> None:
    ds = load(build(tmp_path, "sheet_per_month_en"))
    assert len(ds.plan) == 5
    assert by_period(ds.plan, "plan") == {"2026-10": fen(58000), "2026-11": fen(59250)}
    assert dq(ds, "annual_spread").empty
    assert text(one_reading(ds, "November")["period"]) == "2026-11"


# ---------------------------------------------------------------------------------------------
# Long monthly plan: a month per row, never spread


def test_long_plan_chinese(tmp_path: Path) -> None:
    ds = load(build(tmp_path, "long_plan_zh"))
    assert len(ds.plan) == 12
    assert by_period(ds.plan, "plan") == {
        "2026-01": fen(108000),
        "2026-02": fen(102000),
        "2026-03": fen(107000),
        "2026-04": fen(111000),
        "2026-05": fen(112000),
        "2026-06": fen(112000),
    }
    assert by(ds.plan, "category", "plan") == {"人员成本": fen(630000), "培训成本": fen(22000)}
    assert one_reading(ds)["layout"] == "long_plan"
    assert dq(ds, "annual_spread").empty


def test_long_plan_english_date_month(tmp_path: Path) -> None:
    ds = load(build(tmp_path, "long_plan_en"))
    assert len(ds.plan) == 6
    assert by_period(ds.plan, "plan") == {
        "2026-01": fen(41500),
        "2026-02": fen(41650),
        "2026-03": fen(43580),
    }
    r = one_reading(ds, "Budget")
    assert r["layout"] == "long_plan" and text(r["header_rows"]) == "3"


# ---------------------------------------------------------------------------------------------
# A plan sheet and a ledger sheet in one workbook in budget/


def test_plan_and_ledger_in_one_budget_workbook(tmp_path: Path) -> None:
    ds = load(build(tmp_path, "plan_and_ledger_workbook"))
    assert len(ds.plan) == 24 and total(ds.plan, "plan") == fen(636000)
    months = by_period(ds.plan, "plan")
    assert months["2026-03"] == months["2026-09"] == fen(58000)
    assert months["2026-01"] == months["2026-12"] == fen(52000)
    assert len(ds.actuals) == 6
    assert by_period(ds.actuals, "amount") == {"2026-01": fen(51600), "2026-02": fen(55520.5)}
    assert set(ds.actuals["source_sheet"]) == {"费用明细"}
    refund = ds.actuals[ds.actuals["voucher"] == "记-012"]
    assert refund["amount"].tolist() == [-150.0]
    plan_r, ledger_r = one_reading(ds, "预算"), one_reading(ds, "费用明细")
    assert (plan_r["kind"], plan_r["layout"]) == ("plan", "wide_plan")
    assert (ledger_r["kind"], ledger_r["layout"]) == ("actuals", "ledger")
    assert dq(ds, "total_mismatch").empty and dq(ds, "row_total_mismatch").empty


# ---------------------------------------------------------------------------------------------
# Total rows, derived rows, sections


def test_english_total_rows_and_wrong_grand_total(tmp_path: Path) -> None:
    ds = load(build(tmp_path, "totals_en"))
    assert_spread(ds.plan, 2026, fen(636000), 4)
    assert set(ds.plan["category"]) == {"Salaries", "Benefits", "Telephony", "Software"}
    assert by_period(ds.plan, "plan")["2026-07"] == fen(53000)
    r = one_reading(ds, "Plan")
    assert r["layout"] == "annual_plan" and text(r["year"]) == "2026"
    assert not dq(ds, "annual_spread", "info").empty
    assert dq_rows(ds, "total_row", "info") == {4, 7, 8}
    tm = dq(ds, "total_mismatch", "warning")
    assert tm["row"].tolist() == [8]
    assert "Grand Total" in tm["value"].iloc[0]
    msg = digits(tm["message"].iloc[0])
    assert "640000" in msg and "636000" in msg and "4000" in msg


def test_total_words_inside_labels(tmp_path: Path) -> None:
    ds = load(build(tmp_path, "totals_zh_labels"))
    assert_spread(ds.plan, 2026, fen(330000), 5)
    assert set(ds.plan["category"]) == {"工资", "社保", "耳麦", "电脑", "培训费"}
    assert by_period(ds.plan, "plan")["2026-04"] == fen(27500)
    assert dq_rows(ds, "total_row", "info") == {4, 7, 9, 10}
    # 汇总 and 预算总额 state the sum of every line: right, even after the subtotals.
    assert dq(ds, "total_mismatch").empty


def test_chinese_subtotals_in_wide_plan(tmp_path: Path) -> None:
    ds = load(build(tmp_path, "totals_zh_wide"))
    assert len(ds.plan) == 9
    assert by_period(ds.plan, "plan") == {
        "2026-01": fen(4700),
        "2026-02": fen(5000),
        "2026-03": fen(4700),
    }
    assert set(ds.plan["category"]) == {"电话费", "网络费", "办公用品"}
    assert dq_rows(ds, "total_row", "info") == {5, 7}
    assert dq(ds, "total_mismatch").empty and dq(ds, "row_total_mismatch").empty
    r = one_reading(ds, "Sheet1")
    assert r["layout"] == "wide_plan" and text(r["header_rows"]) == "2"


def test_income_expense_sections_and_savings(tmp_path: Path) -> None:
    ds = load(build(tmp_path, "sections_income_expenses_en"))
    rev, cost = ds.plan[ds.plan["kind"] == "revenue"], ds.plan[ds.plan["kind"] == "cost"]
    assert_spread(rev, 2026, fen(150000), 2)
    assert_spread(cost, 2026, fen(120000), 3)
    assert set(rev["source_row"]) == {3, 4} and set(cost["source_row"]) == {7, 8, 9}
    assert dq_rows(ds, "section_row", "info") == {2, 6}
    assert dq_rows(ds, "total_row", "info") == {5, 10}
    assert dq_rows(ds, "derived_row", "info") == {11}
    assert dq(ds, "total_mismatch").empty


def test_chinese_sections_profit_rows(tmp_path: Path) -> None:
    ds = load(build(tmp_path, "sections_zh_profit"))
    rev, cost = ds.plan[ds.plan["kind"] == "revenue"], ds.plan[ds.plan["kind"] == "cost"]
    assert_spread(rev, 2026, fen(250000), 2)
    assert_spread(cost, 2026, fen(180000), 3)
    assert set(rev["source_row"]) == {4, 5} and set(cost["source_row"]) == {7, 8, 9}
    assert dq_rows(ds, "section_row", "info") == {3, 6}
    assert dq_rows(ds, "total_row", "info") == {10}
    assert dq_rows(ds, "derived_row", "info") == {11, 12}
    assert dq(ds, "total_mismatch").empty


# ---------------------------------------------------------------------------------------------
# Signs


def test_ledger_negative_expenses_with_refunds(tmp_path: Path) -> None:
    ds = load(build(tmp_path, "ledger_negative"))
    assert len(ds.actuals) == 12
    assert total(ds.actuals, "amount") == fen(36010.15)
    refunds = ds.actuals[ds.actuals["amount"] < 0].sort_values("source_row")
    assert refunds["description"].tolist() == ["文具退货", "运费退回"]
    assert [fen(a) for a in refunds["amount"]] == [fen(-260), fen(-120.5)]
    assert fen(ds.actuals.loc[ds.actuals["description"] == "10月房租", "amount"].sum()) == fen(
        12000
    )
    r = one_reading(ds)
    assert (r["kind"], r["layout"], r["sign"]) == ("actuals", "ledger", "negative")
    assert "10" in text(r["sign_source"]) and "12" in text(r["sign_source"])
    assert len(dq(ds, "sign_negative", "info")) >= 1


def test_plan_negative_expenses(tmp_path: Path) -> None:
    ds = load(build(tmp_path, "plan_negative"))
    assert_spread(ds.plan, 2026, fen(105000), 5)
    assert by_period(ds.plan, "plan")["2026-01"] == fen(8750)
    assert (ds.plan["plan"] > 0).all()
    r = one_reading(ds, "Budget")
    assert r["sign"] == "negative" and text(r["year"]) == "2026"


def test_mixed_signs_refused_with_pin(tmp_path: Path) -> None:
    msg = refused(build(tmp_path, "sign_mixed"))
    assert "混合符号.csv" in msg
    assert "[[read]]" in msg and 'sign = "negative"' in msg


@pytest.mark.parametrize(("sign", "expected"), [("negative", 2300), ("positive", -2300)])
def test_mixed_signs_load_once_pinned(tmp_path: Path, sign: str, expected: int) -> None:
    pin = f'[[read]]\nfile = "actuals/混合符号.csv"\nsign = "{sign}"\n'
    ds = load(build(tmp_path, "sign_mixed", pin))
    assert len(ds.actuals) == 10
    assert total(ds.actuals, "amount") == fen(expected)
    assert one_reading(ds)["sign"] == sign


# ---------------------------------------------------------------------------------------------
# Merged cells, header far down


def test_merged_category_cells_fill_down(tmp_path: Path) -> None:
    ds = load(build(tmp_path, "merged_category"))
    assert len(ds.plan) == 15
    cat_of = ds.plan.groupby("item")["category"].agg(lambda s: set(s))
    assert {k: sorted(v) for k, v in cat_of.items()} == {
        "工资": ["人员成本"],
        "社保": ["人员成本"],
        "公积金": ["人员成本"],
        "耳麦": ["设备成本"],
        "电脑": ["设备成本"],
    }
    assert by(ds.plan, "category", "plan") == {"人员成本": fen(127800), "设备成本": fen(20700)}
    assert by_period(ds.plan, "plan") == {
        "2026-01": fen(48800),
        "2026-02": fen(52000),
        "2026-03": fen(47700),
    }
    assert text(one_reading(ds, "一季度")["header_rows"]) == "2"


def test_header_on_row_45(tmp_path: Path) -> None:
    ds = load(build(tmp_path, "header_row_45"))
    assert_spread(ds.plan, 2026, fen(402000), 3)
    assert by_period(ds.plan, "plan")["2026-02"] == fen(33500)
    assert set(ds.plan["source_row"]) == {46, 47, 48}
    assert text(one_reading(ds, "预算")["header_rows"]) == "45"


def test_header_beyond_search_refused_with_pin(tmp_path: Path) -> None:
    msg = refused(build(tmp_path, "header_row_230"))
    assert "长说明预算.xlsx" in msg
    assert "200" in msg and "header_row" in msg and "[[read]]" in msg


def test_header_beyond_search_loads_once_pinned(tmp_path: Path) -> None:
    pin = '[[read]]\nfile = "budget/长说明预算.xlsx"\nheader_row = 230\n'
    ds = load(build(tmp_path, "header_row_230", pin))
    assert_spread(ds.plan, 2026, fen(402000), 3)
    assert set(ds.plan["source_row"]) == {231, 232, 233}


# ---------------------------------------------------------------------------------------------
# Two tables side by side, stray notes


def test_side_by_side_plan_and_ledger(tmp_path: Path) -> None:
    ds = load(build(tmp_path, "side_by_side_ledger"))
    assert_spread(ds.plan, 2026, fen(261600), 3)
    assert by_period(ds.plan, "plan")["2026-03"] == fen(21800)
    assert len(ds.actuals) == 4 and set(ds.actuals["period"]) == {"2026-03"}
    assert total(ds.actuals, "amount") == fen(23850)
    tables = readings(ds, "2026", "read")
    assert len(tables) == 2
    kinds = dict(zip(tables["kind"], tables["range"].map(text), strict=True))
    assert kinds["plan"].startswith("A1:") and kinds["actuals"].startswith("F1:")
    assert dq(ds, "unread_region").empty


def test_side_by_side_two_plans(tmp_path: Path) -> None:
    ds = load(build(tmp_path, "side_by_side_plan"))
    assert_spread(ds.plan, 2026, fen(236400), 4)
    assert by(ds.plan, "category", "plan") == {
        "人员成本": fen(216000),
        "培训成本": fen(6000),
        "设备成本": fen(14400),
    }
    assert len(readings(ds, "部门预算", "read")) == 2
    assert dq(ds, "unread_region").empty and dq(ds, "duplicate_table").empty


def test_stray_notes_reported_as_unread_region(tmp_path: Path) -> None:
    ds = load(build(tmp_path, "unread_notes_right"))
    assert_spread(ds.plan, 2026, fen(444000), 3)
    un = dq(ds, "unread_region", "warning")
    assert un["value"].tolist() == ["H3:J6"]
    assert set(un["sheet"]) == {"预算"}


# ---------------------------------------------------------------------------------------------
# Hidden sheets


def test_hidden_old_ledger_skipped(tmp_path: Path) -> None:
    ds = load(build(tmp_path, "hidden_old_ledger"))
    assert len(ds.actuals) == 5 and set(ds.actuals["source_sheet"]) == {"明细"}
    assert total(ds.actuals, "amount") == fen(8890)
    hidden = readings(ds, "旧版明细")
    assert hidden["status"].tolist() == ["hidden"]
    h = dq(ds, "hidden_sheet", "info")
    assert set(h["sheet"]) == {"旧版明细"}


def test_hidden_old_ledger_read_when_pinned(tmp_path: Path) -> None:
    pin = '[[read]]\nfile = "actuals/费用明细2026.xlsx"\nsheet = "旧版明细"\nread_hidden = true\n'
    ds = load(build(tmp_path, "hidden_old_ledger", pin))
    # 记-101, 记-102, 记-104 repeat the visible sheet: counted once; 记-103 differs (2,980).
    assert len(ds.actuals) == 6
    assert total(ds.actuals, "amount") == fen(8890 + 2980)
    assert len(dq(ds, "duplicate_line", "warning")) == 3
    assert one_reading(ds, "旧版明细")["layout"] == "ledger"


def test_hidden_helper_and_instructions_sheet(tmp_path: Path) -> None:
    ds = load(build(tmp_path, "hidden_helper"))
    assert len(ds.plan) == 24 and total(ds.plan, "plan") == fen(780000)
    assert set(by_period(ds.plan, "plan").values()) == {fen(65000)}
    assert readings(ds, "lists")["status"].tolist() == ["hidden"]
    assert set(dq(ds, "hidden_sheet", "info")["sheet"]) == {"lists"}
    assert readings(ds, "填表说明")["status"].tolist() == ["skipped"]
    assert set(dq(ds, "sheet_skipped", "warning")["sheet"]) == {"填表说明"}


# ---------------------------------------------------------------------------------------------
# Copies and repeated lines


def test_identical_copy_read_once(tmp_path: Path) -> None:
    ds = load(build(tmp_path, "duplicate_file_copy"))
    assert len(ds.actuals) == 4 and total(ds.actuals, "amount") == fen(20452.5)
    st = dict(zip(ds.inputs["file"].map(lambda f: Path(f).name), ds.inputs["status"], strict=True))
    assert sorted(st.values()) == ["duplicate", "read"]
    dup_file = next(f for f, s in st.items() if s == "duplicate")
    first = next(f for f, s in st.items() if s == "read")
    note = dq(ds, "duplicate_file", "info")
    assert len(note) == 1
    assert Path(note["file"].iloc[0]).name == dup_file
    assert first in note["value"].iloc[0] + note["message"].iloc[0]


def test_repeated_voucher_lines_counted_once(tmp_path: Path) -> None:
    ds = load(build(tmp_path, "duplicate_lines_export"))
    assert len(ds.actuals) == 7
    assert total(ds.actuals, "amount") == fen(27333.5)
    assert sorted(ds.actuals["voucher"]) == [f"记-20{i}" for i in range(1, 8)]
    dup = dq(ds, "duplicate_line", "warning")
    assert len(dup) == 3
    pairs = set()
    for _, r in dup.iterrows():
        both = f"{r['file']} {r['value']} {r['message']}"
        assert "export_0901_0915.csv" in both and "export_0910_0930.csv" in both
        other = re.findall(r"\d+", r["value"].split("/")[-1])
        pairs.add(frozenset({int(r["row"]), int(other[-1])}))
    assert pairs == {frozenset({4, 2}), frozenset({5, 3}), frozenset({6, 4})}


def test_repeated_lines_without_voucher(tmp_path: Path) -> None:
    ds = load(build(tmp_path, "duplicate_lines_no_voucher"))
    # Two parcels of 56 in one export are two lines; the other export repeats one of them.
    assert len(ds.actuals) == 3
    assert total(ds.actuals, "amount") == fen(56 + 56 + 32)
    assert len(dq(ds, "duplicate_line", "warning")) == 1


def test_plan_copy_and_summary_sheets_not_added(tmp_path: Path) -> None:
    ds = load(build(tmp_path, "plan_copy_and_summary"))
    assert_spread(ds.plan, 2026, fen(220800), 4)
    assert set(ds.plan["source_sheet"]) == {"明细预算"}
    assert readings(ds, "明细预算 (2)")["status"].tolist() == ["duplicate"]
    assert readings(ds, "汇总")["status"].tolist() == ["duplicate"]
    dup = dq(ds, "duplicate_table", "warning")
    assert set(dup["sheet"]) == {"明细预算 (2)", "汇总"}
    assert all("明细预算" in v + m for v, m in zip(dup["value"], dup["message"], strict=True))


# ---------------------------------------------------------------------------------------------
# Years: never from an amount


def test_year_taken_from_other_data_not_from_total(tmp_path: Path) -> None:
    ds = load(build(tmp_path, "year_from_ledger"))
    assert sorted(ds.plan["period"].unique()) == [f"2026-{m:02d}" for m in range(1, 13)]
    assert len(ds.plan) == 24 and total(ds.plan, "plan") == fen(22285)
    months = by_period(ds.plan, "plan")
    assert months["2026-01"] == fen(1858.75) and months["2026-12"] == fen(1838.75)
    assert len(dq(ds, "year_assumed", "warning")) >= 1
    r = one_reading(ds, "预算")
    assert text(r["year"]) == "2026" and r["layout"] == "wide_plan"
    assert dq(ds, "row_total_mismatch").empty
    assert len(ds.actuals) == 3 and total(ds.actuals, "amount") == fen(3530)


def test_year_missing_refused_with_pin(tmp_path: Path) -> None:
    msg = refused(build(tmp_path, "year_missing"))
    assert "plan.xlsx" in msg
    assert "[[read]]" in msg and re.search(r"year\s*=", msg)


def test_year_missing_loads_once_pinned(tmp_path: Path) -> None:
    ds = load(build(tmp_path, "year_missing", '[[read]]\nfile = "budget/plan.xlsx"\nyear = 2026\n'))
    assert sorted(ds.plan["period"].unique()) == [f"2026-{m:02d}" for m in range(1, 13)]
    assert total(ds.plan, "plan") == fen(3224)
    months = by_period(ds.plan, "plan")
    assert months["2026-01"] == fen(269) and months["2026-12"] == fen(265)
    assert text(one_reading(ds)["year"]) == "2026"


# ---------------------------------------------------------------------------------------------
# Percentages, two amount columns, config aliases, future dates


def test_percent_text_in_amount_rejected(tmp_path: Path) -> None:
    ds = load(build(tmp_path, "percent_amount"))
    assert 4 in dq_rows(ds, "percent_amount", "error")
    assert 4 not in set(ds.actuals["source_row"])
    assert {2, 3, 5} <= set(ds.actuals["source_row"])


def test_percent_formatted_cell_rejected(tmp_path: Path) -> None:
    ds = load(build(tmp_path, "percent_amount"))
    # 0.05 shown as 5% is not 0.05 元 either.
    assert dq_rows(ds, "percent_amount", "error") == {4, 6}
    assert len(ds.actuals) == 3 and total(ds.actuals, "amount") == fen(3800)


def test_percent_in_csv_amount_rejected(tmp_path: Path) -> None:
    ds = load(build(tmp_path, "percent_amount_csv"))
    bad = dq(ds, "percent_amount", "error")
    assert bad["row"].tolist() == [3] and "8.5%" in bad["value"].iloc[0]
    assert len(ds.actuals) == 2 and total(ds.actuals, "amount") == fen(2920)


def test_two_amount_columns_refused_with_pin(tmp_path: Path) -> None:
    msg = refused(build(tmp_path, "two_amount_columns"))
    assert "发票明细.xlsx" in msg and "金额" in msg
    # Column letters C and D (not inside a Latin word; CJK text may touch them: "C列").
    assert re.search(r"(?<![A-Za-z])C(?![A-Za-z])", msg)
    assert re.search(r"(?<![A-Za-z])D(?![A-Za-z])", msg)
    assert "[[read]]" in msg and re.search(r'columns\s*=\s*\{\s*amount\s*=\s*"', msg)


@pytest.mark.parametrize(("col", "expected"), [("D", 1700), ("C", 1921)])
def test_two_amount_columns_load_once_pinned(tmp_path: Path, col: str, expected: int) -> None:
    pin = f'[[read]]\nfile = "actuals/发票明细.xlsx"\ncolumns = {{ amount = "{col}" }}\n'
    ds = load(build(tmp_path, "two_amount_columns", pin))
    assert len(ds.actuals) == 3 and total(ds.actuals, "amount") == fen(expected)


def test_config_alias_wins_over_default(tmp_path: Path) -> None:
    ds = load(build(tmp_path, "config_alias_conflict"))
    assert set(ds.plan["period"]) == {"2026-07"} and len(ds.plan) == 2
    assert total(ds.plan, "plan") == fen(53000)
    assert set(ds.actuals["period"]) == {"2026-07"} and len(ds.actuals) == 2
    assert total(ds.actuals, "amount") == fen(52600)
    assert one_reading(ds, "2026-07")["layout"] == "plan_actual"


def test_alias_conflict_without_config_is_ambiguous(tmp_path: Path) -> None:
    folder = build(tmp_path, "config_alias_conflict")
    (folder / "config.toml").unlink()
    # 金额 and 实际 are both default aliases of amount: two columns for one field.
    msg = refused(folder)
    assert "执行.xlsx" in msg and "金额" in msg and "实际" in msg and "[[read]]" in msg


def test_future_date_does_not_move_latest_period(tmp_path: Path) -> None:
    ds = load(build(tmp_path, "future_date"))
    assert ds.latest_period == "2026-10"
    fut = dq(ds, "future_date", "warning")
    assert fut["row"].tolist() == [5] and "2031" in fut["value"].iloc[0]
    months = by_period(ds.actuals[ds.actuals["period"] < "2027"], "amount")
    assert months == {"2026-08": fen(300), "2026-09": fen(450), "2026-10": fen(1720)}


# ---------------------------------------------------------------------------------------------
# Units, monthly actuals


def test_unit_wan_from_note_row(tmp_path: Path) -> None:
    ds = load(build(tmp_path, "unit_wan_note"))
    assert_spread(ds.plan, 2026, fen(156000), 2)
    assert by(ds.plan, "category", "plan") == {"人员成本": fen(125000), "培训成本": fen(31000)}
    r = one_reading(ds, "2026")
    assert r["unit"] == "万元" and text(r["header_rows"]) == "3"


def test_unit_qian_from_header_suffix(tmp_path: Path) -> None:
    ds = load(build(tmp_path, "unit_qian_header"))
    assert_spread(ds.plan, 2026, fen(516000), 2)
    assert by_period(ds.plan, "plan")["2026-05"] == fen(43000)
    assert one_reading(ds)["unit"] == "千元"


def test_monthly_actuals_layout(tmp_path: Path) -> None:
    ds = load(build(tmp_path, "monthly_actuals"))
    assert len(ds.actuals) == 6
    assert by_period(ds.actuals, "amount") == {
        "2026-01": fen(50200),
        "2026-02": fen(53900),
        "2026-03": fen(51800),
    }
    r = one_reading(ds, "实际")
    assert (r["kind"], r["layout"]) == ("actuals", "monthly_actuals")
    assert ds.latest_period == "2026-03"


# ---------------------------------------------------------------------------------------------
# The seed budget (DOMAIN.md §1): 194,000 of lines; 12,000 / 13,000 / 248,000 stated wrongly

SEED_TOTAL_ROWS = {8, 15, 22, 29, 35, 41, 47, 53, 54}
SEED_SECTION_ROWS = {3, 9, 16, 23, 30, 36, 42, 48}
SEED_SECTION_SUMS = {
    "市场调研": 5000,
    "产品开发": 14000,
    "品牌建设": 40000,
    "销售渠道": 26000,
    "促销活动": 23000,
    "市场推广": 55000,
    "售后服务": 12000,
    "项目管理": 19000,
}


def _check_seed_mismatches(ds, rows: dict[int, tuple[int, int]]) -> None:
    tm = dq(ds, "total_mismatch", "warning")
    assert set(tm["row"].astype(int)) == set(rows)
    for _, r in tm.iterrows():
        stated, computed = rows[int(r["row"])]
        msg = digits(r["message"])
        assert str(stated) in msg and str(computed) in msg, r["message"]


def test_seed_budget_sheet(tmp_path: Path) -> None:
    ds = load(build(tmp_path, "seed_budget"))
    assert_spread(ds.plan, 2026, fen(194000), 35)
    assert dq_rows(ds, "total_row", "info") == SEED_TOTAL_ROWS
    assert dq_rows(ds, "section_row", "info") == SEED_SECTION_ROWS
    _check_seed_mismatches(ds, {15: (12000, 14000), 47: (13000, 12000), 54: (248000, 194000)})
    cats = by(ds.plan, "category", "plan")
    assert len(cats) == 8
    for key, amount in SEED_SECTION_SUMS.items():
        (cat,) = [c for c in cats if key in c]
        assert cats[cat] == fen(amount), cat
    assert set(ds.plan["kind"]) == {"cost"}
    r = one_reading(ds, "费用预算")
    assert r["layout"] == "annual_plan" and text(r["year"]) == "2026"
    assert (int(r["rows_total"]), int(r["rows_section"])) == (9, 8)


def test_seed_budget_amounts_inside_labels(tmp_path: Path) -> None:
    """'…:500元' in one column: right figures, or a clear refusal naming the file."""
    folder = build(tmp_path, "seed_budget_inline")
    try:
        ds = load(folder)
    except InputError as err:
        assert "市场营销策划方案.xlsx" in str(err)
        return
    assert_spread(ds.plan, 2026, fen(194000), 35)
    _check_seed_mismatches(ds, {14: (12000, 14000), 46: (13000, 12000), 53: (248000, 194000)})


# ---------------------------------------------------------------------------------------------
# The generator itself


def test_generator_is_deterministic(tmp_path: Path) -> None:
    a = ML.build(tmp_path / "a")
    b = ML.build(tmp_path / "b")
    assert set(a) == set(b) == set(ML.CASES)
    for name in a:
        files_a = sorted(p.relative_to(a[name]) for p in a[name].rglob("*") if p.is_file())
        files_b = sorted(p.relative_to(b[name]) for p in b[name].rglob("*") if p.is_file())
        assert files_a == files_b and files_a, name
        for rel in files_a:
            assert (a[name] / rel).read_bytes() == (b[name] / rel).read_bytes(), (name, rel)


# ---------------------------------------------------------------------------------------------
# A real workbook: a church's 2023 budget vs year-to-date actuals (../shared/realworld/INDEX.md)

CHURCH = "en_church_budget_vs_ytd_actual_2023-09-30.xlsx"


def _church_expected(path: Path) -> tuple[dict[str, int], dict[str, int], dict[str, int], int]:
    """From the file itself: the 211 accounts' Budget by In/Out (Out stored negative), the 2023
    ledger per month (spending positive, income positive), and per month the number of lines
    with fractions of a 分 (14641.666…), which a loader may round line by line."""
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    rows = list(wb["budget"].iter_rows(values_only=True))
    head = list(rows[0])
    io_, bud = head.index("InOrOut"), head.index("Budget")
    accounts = [r for r in rows[1:] if r[io_] in ("In", "Out")]
    assert len(accounts) == 211
    plan = {"revenue": 0.0, "cost": 0.0}
    for r in accounts:
        if r[io_] == "In":
            plan["revenue"] += r[bud] or 0
        else:
            plan["cost"] -= r[bud] or 0
    led = list(wb["actuals budget year"].iter_rows(values_only=True))
    head = list(led[0])
    di, ai, ii = head.index("Date"), head.index("Amount"), head.index("InOrOut")
    months: dict[str, float] = {}
    odd: dict[str, int] = {}
    for r in led[1:]:
        sign = 1 if r[ii] == "In" else -1
        key = r[di].strftime("%Y-%m")
        months[key] = months.get(key, 0.0) + sign * (r[ai] or 0)
        odd[key] = odd.get(key, 0) + (abs((r[ai] or 0) * 100 - fen(r[ai] or 0)) > 1e-6)
    wb.close()
    return (
        {k: fen(v) for k, v in plan.items()},
        {k: fen(v) for k, v in sorted(months.items())},
        odd,
        len(led) - 1,
    )


def test_church_budget_vs_ytd_without_double_counting(tmp_path: Path, realworld_dir: Path) -> None:
    import shutil

    src = realworld_dir / CHURCH
    (tmp_path / "budget").mkdir()
    shutil.copyfile(src, tmp_path / "budget" / CHURCH)
    plan_want, months_want, odd, n_lines = _church_expected(src)
    assert plan_want == {"revenue": fen(1252802), "cost": fen(1252804.70)}  # the file's own sums

    ds = load(tmp_path)
    plan = ds.plan
    assert set(plan["period"].str[:4]) == {"2023"}
    assert total(plan[plan["kind"] == "revenue"], "plan") == plan_want["revenue"]
    assert total(plan[plan["kind"] == "cost"], "plan") == plan_want["cost"]
    # One sheet gives the plan lines (budget or budget_totals, never both, never the summary).
    assert len(set(plan["source_sheet"])) == 1
    assert set(plan["source_sheet"]) <= {"budget", "budget_totals"}

    act = ds.actuals[ds.actuals["period"].str.startswith("2023")]
    assert set(act["source_sheet"]) == {"actuals budget year"}
    assert len(act) == n_lines
    got = by_period(act, "amount")
    assert got.keys() == months_want.keys()
    for m, v in months_want.items():
        assert abs(got[m] - v) <= 1 + odd[m], (m, got[m], v)
    # The Current Month / YTD columns of the budget sheets are never a second September.
    assert abs(got["2023-09"] - months_want["2023-09"]) <= 1 + odd["2023-09"]

    plan_sheet = plan["source_sheet"].iloc[0]
    for sheet in ("budget", "budget_totals", "budget_totals_summary", "inconsistencies"):
        if sheet == plan_sheet:
            continue
        r = readings(ds, sheet)
        assert len(r) >= 1, sheet
        assert set(r["status"]) <= {"duplicate", "skipped"}, (sheet, r["status"].tolist())
        said = not ds.dq[ds.dq["sheet"] == sheet].empty or r["note"].map(text).str.len().gt(0).any()
        assert said, f"sheet {sheet} set aside without a reason"
