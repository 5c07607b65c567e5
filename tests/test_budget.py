"""Budget reconciliation: hand-computed plans and ledgers (analysis.budget)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import budget as b
from analysis.config import load_config
from analysis.schema import ACTUAL_COLUMNS, PLAN_COLUMNS

CFG = load_config()
REALWORLD = Path(__file__).resolve().parents[2] / "shared" / "realworld"
CHURCH = REALWORLD / "en_church_budget_vs_ytd_actual_2023-09-30.xlsx"


def plan_frame(rows: list[tuple]) -> pd.DataFrame:
    """rows: (period, department, category, item, plan[, revised[, kind]])."""
    recs = []
    for r in rows:
        period, dept, cat, item, plan = r[:5]
        revised = r[5] if len(r) > 5 else np.nan
        kind = r[6] if len(r) > 6 else ""
        recs.append(
            {
                "period": period,
                "department": dept,
                "category": cat,
                "item": item,
                "plan": float(plan),
                "revised_plan": revised,
                "kind": kind,
                "source_file": "budget/plan.xlsx",
                "source_sheet": "年度预算",
                "source_row": 5,
            }
        )
    return pd.DataFrame(recs, columns=PLAN_COLUMNS)


def ledger(rows: list[tuple]) -> pd.DataFrame:
    """rows: (date, department, label, amount[, item])."""
    recs = []
    for i, r in enumerate(rows):
        date, dept, label, amount = r[:4]
        recs.append(
            {
                "date": pd.Timestamp(date),
                "period": pd.Timestamp(date).strftime("%Y-%m"),
                "department": dept,
                "category": label,
                "item": r[4] if len(r) > 4 else "",
                "amount": float(amount),
                "description": f"line {i}",
                "voucher": f"V{i:03d}",
                "source_file": "actuals/ledger.xlsx",
                "source_sheet": "明细账",
                "source_row": i + 2,
            }
        )
    return pd.DataFrame(recs, columns=ACTUAL_COLUMNS)


def row(table: pd.DataFrame, dept: str, cat: str, item: str = "") -> pd.Series:
    hit = table[
        (table["department"] == dept) & (table["category"] == cat) & (table["item"] == item)
    ]
    assert len(hit) == 1, f"expected one row for {dept}/{cat}/{item}, got {len(hit)}"
    return hit.iloc[0]


MONTHS3 = ["2026-01", "2026-02", "2026-03"]


def simple_plan() -> pd.DataFrame:
    return plan_frame(
        [(p, "售前处", "人员成本", "工资", 10000) for p in MONTHS3]
        + [(p, "售前处", "设备成本", "耳麦", 2000) for p in MONTHS3]
        + [(p, "售前处", "培训成本", "", 1500) for p in MONTHS3]
    )


def simple_ledger() -> pd.DataFrame:
    return ledger(
        [
            ("2026-01-05", "售前处", "工资", 10500),  # category_map 工资 → 人员成本, item 工资
            ("2026-02-05", "售前处", "工资", 11800),
            ("2026-02-06", "售前处", "耳麦", 2500),  # category_map → 设备成本 / 耳麦
            ("2026-02-20", "售前处", "耳麦", -200.5),  # refund kept
            ("2026-02-21", "售前处", "团建费", 3000),  # maps nowhere → 计划外支出
            ("2026-03-02", "售前处", "工资", 99999),  # after the period: not in Feb's report
            ("2025-12-30", "售前处", "工资", 77777),  # another year: not in 2026 YTD
        ]
    )


# ---------------------------------------------------------------------------------------------
# the variance table


def test_columns_and_cost_variances() -> None:
    t = b.reconcile(simple_plan(), simple_ledger(), "2026-02", CFG)
    assert list(t.columns) == b.VARIANCE_COLUMNS
    assert (t["period"] == "2026-02").all()

    wage = row(t, "售前处", "人员成本", "工资")
    assert wage["plan"] == 10000.0
    assert wage["actual"] == 11800.0
    assert wage["variance"] == 1800.0
    assert wage["variance_pct"] == 0.18
    assert wage["execution_rate"] == 1.18
    assert wage["plan_ytd"] == 20000.0
    assert wage["actual_ytd"] == 22300.0
    assert wage["variance_ytd"] == 2300.0
    assert wage["variance_ytd_pct"] == 0.115
    assert wage["plan_full_year"] == 30000.0
    assert wage["forecast_full_year"] == 32300.0  # 22,300 spent + March's 10,000 still to come
    assert wage["status"] == b.STATUS_OVER  # 2,300 > 1,000 and 11.5 % > 5 %

    headset = row(t, "售前处", "设备成本", "耳麦")
    assert headset["actual"] == 2299.5  # 2,500 − 200.50 refund
    assert headset["variance_ytd"] == -1700.5
    assert headset["variance_ytd_pct"] == round(-1700.5 / 4000, 4)
    assert headset["status"] == b.STATUS_UNDER  # 1,700.50 > 1,000 and 42.5 % > 5 %


def test_plan_lines_without_spending_appear() -> None:
    t = b.reconcile(simple_plan(), simple_ledger(), "2026-02", CFG)
    training = row(t, "售前处", "培训成本", "")
    assert training["actual_ytd"] == 0.0
    assert training["plan_ytd"] == 3000.0
    assert training["execution_rate"] == 0.0
    assert training["forecast_full_year"] == 1500.0
    assert training["status"] == b.STATUS_UNDER
    assert list(b.unspent(t)["category"]) == ["培训成本"]


def test_unmapped_labels_are_unbudgeted_never_dropped() -> None:
    t = b.reconcile(simple_plan(), simple_ledger(), "2026-02", CFG)
    extra = row(t, "售前处", b.UNBUDGETED, "团建费")
    assert extra["plan"] == 0.0 and extra["actual"] == 3000.0
    assert math.isnan(extra["variance_pct"]) and math.isnan(extra["execution_rate"])
    assert extra["status"] == b.STATUS_UNBUDGETED
    assert t.iloc[-1]["category"] == b.UNBUDGETED  # 计划外 rows come last
    um = b.unmapped_labels(simple_ledger(), simple_plan(), "2026-02", CFG)
    assert um.to_dict("records") == [
        {
            "department": "售前处",
            "label": "团建费",
            "lines": 1,
            "amount_ytd": 3000.0,
            "amount_month": 3000.0,
            "proposed": "",  # no plan category names 团建 after normalisation
            "config_line": "",
        }
    ]
    assert list(b.unbudgeted(t)["item"]) == ["团建费"]


def test_tie_out_to_the_fen() -> None:
    act = simple_ledger()
    t = b.reconcile(simple_plan(), act, "2026-02", CFG)
    # Feb ledger: 11,800 + 2,500 − 200.50 + 3,000 = 17,099.50; YTD adds January's 10,500
    assert round(t["actual"].sum(), 2) == 17099.5
    assert round(t["actual_ytd"].sum(), 2) == 27599.5
    tie = b.tie_out(t, act, "2026-02")
    assert tie["ok"].all()
    assert list(tie["ledger"]) == [17099.5, 27599.5]
    tampered = t.assign(actual=t["actual"].where(t["category"] != b.UNBUDGETED, 0.0))
    bad = b.tie_out(tampered, act, "2026-02")
    assert list(bad["ok"]) == [False, False] or list(bad["ok"]) == [False, True]
    assert bad.loc[bad["check"] == "month", "difference"].iloc[0] == -3000.0


def test_reconcile_raises_when_totals_do_not_tie(monkeypatch: pytest.MonkeyPatch) -> None:
    real = b._tie_out

    def lying_tie_out(table, actuals, period):
        return real(table.assign(actual=table["actual"] + 0.01), actuals, period)

    monkeypatch.setattr(b, "_tie_out", lying_tie_out)
    with pytest.raises(b.BudgetTieOutError, match="does not tie"):
        b.reconcile(simple_plan(), simple_ledger(), "2026-02", CFG)


def test_zero_plan_gives_no_percentage() -> None:
    plan = plan_frame(
        [("2026-01", "售后处", "差旅费用", "", 0), ("2026-02", "售后处", "差旅费用", "", 5000)]
    )
    act = ledger([("2026-01-15", "售后处", "差旅费用", 800)])
    t = b.reconcile(plan, act, "2026-01", CFG)
    r = row(t, "售后处", "差旅费用")
    assert r["plan"] == 0.0 and r["actual"] == 800.0
    assert math.isnan(r["variance_pct"]) and math.isnan(r["execution_rate"])
    assert math.isnan(r["variance_ytd_pct"])
    assert not np.isinf(t.select_dtypes("number").to_numpy()).any()
    # 800 is below the 1,000 materiality: on track although the plan to date is zero
    assert r["status"] == b.STATUS_OK
    assert r["forecast_full_year"] == 5800.0
    # a larger spend against a zero plan to date is material (no percentage to fail)
    act2 = ledger([("2026-01-15", "售后处", "差旅费用", 1200)])
    assert (
        row(b.reconcile(plan, act2, "2026-01", CFG), "售后处", "差旅费用")["status"]
        == b.STATUS_OVER
    )


def test_status_needs_both_thresholds_on_ytd() -> None:
    # YTD plan 40,000 per line (two months of 20,000): thresholds 5 % (2,000) and 1,000 元
    lines = {"A": 42000, "B": 42000.01, "C": 40900, "D": 37999.99, "E": 38000, "F": 100}
    plan = plan_frame(
        [(p, "客服部", "业务外包", k, 20000) for k in lines for p in ["2026-01", "2026-02"]]
    )
    act = ledger(
        [("2026-01-10", "客服部", "业务外包", 0.0, k) for k in lines]
        + [("2026-02-10", "客服部", "业务外包", v, k) for k, v in lines.items()]
    )
    t = b.reconcile(plan, act, "2026-02", CFG)
    status = dict(zip(t["item"], t["status"], strict=True))
    assert status == {
        "A": b.STATUS_OK,  # exactly 5 % over: not past the threshold
        "B": b.STATUS_OVER,  # 2,000.01 over: 5.00003 % and > 1,000
        "C": b.STATUS_OK,  # 900 over: under 1,000 元
        "D": b.STATUS_UNDER,  # 2,000.01 under
        "E": b.STATUS_OK,  # exactly 5 % under
        "F": b.STATUS_UNDER,
    }
    # the month alone is 110 % over for A, but status is judged on the year to date
    assert row(t, "客服部", "业务外包", "A")["variance_pct"] == 1.1


def test_thresholds_come_from_config() -> None:
    cfg = load_config(overrides={"budget": {"materiality_pct": 0.01, "materiality_amount": 100.0}})
    plan = plan_frame([("2026-01", "客服部", "业务外包", "", 20000)])
    act = ledger([("2026-01-10", "客服部", "外包服务费", 20300)])  # mapped via category_map
    assert (
        row(b.reconcile(plan, act, "2026-01", CFG), "客服部", "业务外包")["status"] == b.STATUS_OK
    )
    assert (
        row(b.reconcile(plan, act, "2026-01", cfg), "客服部", "业务外包")["status"] == b.STATUS_OVER
    )


def test_revised_plan_used_where_present() -> None:
    plan = plan_frame(
        [
            ("2026-01", "售后处", "培训成本", "", 1000),
            ("2026-02", "售后处", "培训成本", "", 1000, 3000),  # revised up in February
            ("2026-03", "售后处", "培训成本", "", 1000, 3000),
            ("2026-01", "售后处", "设备成本", "", 500),
        ]
    )
    act = ledger([("2026-02-03", "售后处", "培训费", 2900)])
    t = b.reconcile(plan, act, "2026-02", CFG)
    r = row(t, "售后处", "培训成本")
    assert r["plan"] == 3000.0 and r["variance"] == -100.0
    assert r["plan_ytd"] == 4000.0
    assert r["plan_full_year"] == 7000.0
    assert r["forecast_full_year"] == 5900.0  # 2,900 spent + March's revised 3,000
    rev = b.plan_revisions(plan, "2026-02", CFG)
    assert rev.to_dict("records") == [
        {
            "department": "售后处",
            "category": "培训成本",
            "item": "",
            "original_ytd": 2000.0,
            "revised_ytd": 4000.0,
            "original_full_year": 3000.0,
            "revised_full_year": 7000.0,
            "change": 4000.0,
        }
    ]


def test_revenue_lines_flip_favourable() -> None:
    plan = plan_frame(
        [
            ("2026-01", "市场部", "销售收入", "", 100000, np.nan, "revenue"),
            (
                "2026-01",
                "市场部",
                "收入",
                "",
                50000,
            ),  # kind blank: revenue by [budget].revenue_categories
            ("2026-01", "市场部", "广告宣传", "", 10000),
        ]
    )
    act = ledger(
        [
            ("2026-01-31", "市场部", "销售收入", 120000),
            ("2026-01-31", "市场部", "收入", 40000),
            ("2026-01-31", "市场部", "广告宣传", 12000),
        ]
    )
    t = b.reconcile(plan, act, "2026-01", CFG)
    sales = row(t, "市场部", "销售收入")
    assert sales["variance"] == 20000.0 and sales["variance_pct"] == 0.2
    assert sales["status"] == b.STATUS_REVENUE_OVER
    assert row(t, "市场部", "收入")["status"] == b.STATUS_REVENUE_UNDER
    assert row(t, "市场部", "广告宣传")["status"] == b.STATUS_OVER
    h = b.headline(t, CFG)
    assert (h["plan"], h["actual"], h["variance"]) == (10000.0, 12000.0, 2000.0)
    assert (h["revenue_plan_ytd"], h["revenue_actual_ytd"]) == (150000.0, 160000.0)
    assert h["n_over"] == 2  # 广告宣传 over and 收入 short are both unfavourable
    top = b.largest_overspends(t)
    assert list(top["category"]) == ["收入", "广告宣传"]  # 10,000 short before 2,000 over


# ---------------------------------------------------------------------------------------------
# plans: annual spreading, drivers


def test_annual_plan_spread_evenly() -> None:
    plan = plan_frame(
        [("2026", "客服部", "客户满意度调研", "", 60000), ("2026", "客服部", "耗材", "", 1000)]
    )
    sp = b.spread_annual(plan, CFG)
    survey = sp[sp["category"] == "客户满意度调研"]
    assert list(survey["period"]) == [f"2026-{m:02d}" for m in range(1, 13)]
    assert (survey["plan"] == 5000.0).all()
    odd = sp[sp["category"] == "耗材"]["plan"].tolist()
    assert odd[:3] == [83.33, 83.34, 83.33]  # rounding 分 spread so the year adds up exactly
    assert round(sum(odd), 2) == 1000.0
    t = b.reconcile(
        plan, ledger([("2026-03-10", "客服部", "客户满意度调研", 20000)]), "2026-03", CFG
    )
    r = row(t, "客服部", "客户满意度调研")
    assert (r["plan"], r["plan_ytd"], r["variance_ytd"]) == (5000.0, 15000.0, 5000.0)
    assert r["forecast_full_year"] == 65000.0  # 20,000 + 9 × 5,000


def test_annual_plan_spread_by_distribution() -> None:
    cfg = load_config(
        overrides={"budget": {"monthly_distribution": [2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2]}}
    )
    plan = plan_frame([("2026", "客服部", "人员成本", "", 140000)])
    sp = b.spread_annual(plan, cfg)
    assert sp["plan"].tolist() == [20000.0] + [10000.0] * 10 + [20000.0]
    explicit = b.spread_annual(plan, CFG, weights={1: 1, 12: 1})
    assert explicit["plan"].tolist() == [70000.0] + [0.0] * 10 + [70000.0]
    with pytest.raises(ValueError, match="monthly_distribution"):
        b.spread_annual(plan, CFG, weights=[1, 2, 3])


def test_plan_from_drivers() -> None:
    drivers = pd.DataFrame(
        {
            "period": ["2026"],
            "department": ["市场部"],
            "volume": [1000],
            "price": [200.0],
            "unit_cost": [120.0],
        }
    )
    wide = b.driver_budget(drivers, CFG)
    r = wide.iloc[0]
    # 销售收入 200,000; 成本 120,000; 营销 10 % 20,000; 管理 5 % 10,000; 其他 2 % 4,000
    assert (r["revenue"], r["cost_of_sales"], r["marketing"], r["admin"], r["other"]) == (
        200000.0, 120000.0, 20000.0, 10000.0, 4000.0,
    )  # fmt: skip
    assert r["net_profit"] == 46000.0
    plan = b.plan_from_drivers(drivers.assign(marketing_rate=0.15), CFG)
    assert list(plan.columns) == PLAN_COLUMNS
    got = dict(zip(plan["category"], plan["plan"], strict=True))
    assert got == {
        "销售收入": 200000.0,
        "销售成本": 120000.0,
        "营销费用": 30000.0,
        "管理费用": 10000.0,
        "其他费用": 4000.0,
    }
    assert dict(zip(plan["category"], plan["kind"], strict=True))["销售收入"] == "revenue"
    t = b.reconcile(plan, ledger([("2026-01-31", "市场部", "营销费用", 2500)]), "2026-01", CFG)
    assert row(t, "市场部", "营销费用")["plan"] == 2500.0  # 30,000 / 12


# ---------------------------------------------------------------------------------------------
# mapping


def test_mapping_rules_and_items() -> None:
    plan = plan_frame(
        [
            ("2026-01", "售前处", "设备成本", "电脑", 5000),
            ("2026-01", "售前处", "设备成本", "话机", 1000),
            ("2026-01", "售后处", "业务外包", "呼叫外包", 8000),
        ]
    )
    act = ledger(
        [
            ("2026-01-02", "售前处", "电脑", 4000),  # category_map 电脑 → 设备成本, item by label
            ("2026-01-03", "售前处", "设备成本", 300, "话机"),  # plan category + ledger item
            ("2026-01-04", "售后处", "呼叫外包", 7000),  # exact plan item (same department)
            ("2026-01-05", "售后处", " 呼叫外包 ", 1000),  # spaces/width ignored
            ("2026-01-06", "售前处", "设备成本", 50),  # planned category, no item
            ("2026-01-07", "售前处", "咨询费", 600),  # nowhere
        ]
    )
    lines = b.ledger_lines(act, plan, "2026-01", CFG)
    got = lines.sort_values("source_row")[["category", "item", "mapped_by"]].values.tolist()
    assert got == [
        ["设备成本", "电脑", "category_map"],
        ["设备成本", "话机", "plan_category"],
        ["业务外包", "呼叫外包", "plan_item"],
        ["业务外包", "呼叫外包", "plan_item"],
        ["设备成本", "", "plan_category"],
        [b.UNBUDGETED, "咨询费", "unmapped"],
    ]
    t = b.reconcile(plan, act, "2026-01", CFG, level="item")
    assert row(t, "售后处", "业务外包", "呼叫外包")["actual"] == 8000.0
    # spending on a planned category outside its items: plan 0 within a planned category
    assert row(t, "售前处", "设备成本", "")["status"] == b.STATUS_OK  # 50 元, immaterial
    assert row(t, "售前处", "设备成本", "电脑")["actual"] == 4000.0
    assert row(t, "售前处", b.UNBUDGETED, "咨询费")["status"] == b.STATUS_UNBUDGETED
    # default "auto": 售前处 设备成本 has spending on no item, so it is one category row;
    # 售后处 业务外包 keeps its item (all its spending found the item)
    auto = b.reconcile(plan, act, "2026-01", CFG)
    eq = row(auto, "售前处", "设备成本", "")
    assert (eq["plan"], eq["actual"], eq["variance"]) == (6000.0, 4350.0, -1650.0)
    assert eq["status"] == b.STATUS_UNDER  # 1,650 and 27.5 % under
    assert row(auto, "售后处", "业务外包", "呼叫外包")["actual"] == 8000.0
    assert len(auto) == 3
    cat = b.reconcile(plan, act, "2026-01", CFG, level="category")
    assert row(cat, "售后处", "业务外包", "")["plan"] == 8000.0
    # drill-down on a category row ("" item) returns every line of the category
    lines = b.ledger_lines(
        act, plan, "2026-01", CFG, department="售前处", category="设备成本", item=""
    )
    assert sorted(lines["amount"]) == [50.0, 300.0, 4000.0]


def test_category_map_from_config_and_unplanned_department() -> None:
    cfg = load_config(overrides={"budget": {"category_map": {"团建费": "培训成本"}}})
    t = b.reconcile(simple_plan(), simple_ledger(), "2026-02", cfg)
    assert row(t, "售前处", "培训成本")["actual"] == 3000.0
    assert b.UNBUDGETED not in set(t["category"])
    # a mapped category the department has no plan for at all is unbudgeted too
    act = ledger([("2026-02-01", "售后处", "工资", 5000)])
    t2 = b.reconcile(simple_plan(), act, "2026-02", CFG)
    r = row(t2, "售后处", "人员成本")
    assert (r["plan_full_year"], r["actual"], r["status"]) == (0.0, 5000.0, b.STATUS_UNBUDGETED)


def test_monthly_sums_without_dates() -> None:
    act = pd.DataFrame(
        {
            "period": ["2026-01", "2026-02"],
            "department": ["售前处", "售前处"],
            "category": ["人员成本", "人员成本"],
            "item": ["工资", "工资"],
            "amount": [9000.0, 10000.0],
        }
    )
    t = b.reconcile(simple_plan(), act, "2026-02", CFG)
    r = row(t, "售前处", "人员成本", "工资")
    assert (r["actual"], r["actual_ytd"], r["variance_ytd"]) == (10000.0, 19000.0, -1000.0)
    assert r["status"] == b.STATUS_OK  # −1,000 is not past 1,000


# ---------------------------------------------------------------------------------------------
# drill-down, months, landing, headlines


def test_ledger_lines_drill_down_to_source_rows() -> None:
    lines = b.ledger_lines(
        simple_ledger(),
        simple_plan(),
        "2026-02",
        CFG,
        department="售前处",
        category="人员成本",
        item="工资",
    )
    assert lines["amount"].tolist() == [11800.0, 10500.0]
    assert lines[["source_file", "source_sheet", "source_row"]].values.tolist() == [
        ["actuals/ledger.xlsx", "明细账", 3],
        ["actuals/ledger.xlsx", "明细账", 2],
    ]
    month_only = b.ledger_lines(simple_ledger(), simple_plan(), "2026-02", CFG, ytd=False)
    assert round(month_only["amount"].sum(), 2) == 17099.5


def test_monthly_variance_drivers_and_landing() -> None:
    m = b.monthly_variance(simple_plan(), simple_ledger(), "2026-02", CFG)
    assert m["period"].tolist() == [f"2026-{i:02d}" for i in range(1, 13)]
    assert m["plan"].tolist()[:4] == [13500.0, 13500.0, 13500.0, 0.0]
    # the cost view excludes nothing here; 计划外 spending counts as actual
    assert m["actual"].tolist()[:2] == [10500.0, 17099.5]
    assert m["variance"].tolist()[:2] == [-3000.0, 3599.5]
    assert m["cum_actual"].tolist()[:2] == [10500.0, 27599.5]
    assert m["cum_forecast"].tolist()[2] == 41099.5  # 27,599.50 + March plan 13,500
    assert m["cum_run_rate"].tolist()[-1] == 165597.0  # 27,599.50 / 2 × 12
    assert math.isnan(m["actual"].iloc[2])
    drivers = b.variance_drivers(m)
    assert drivers["period"].tolist() == ["2026-02"]
    one = b.monthly_variance(
        simple_plan(), simple_ledger(), "2026-02", CFG, {"category": "人员成本"}
    )
    assert one["variance"].tolist()[:2] == [500.0, 1800.0]
    assert one["share_of_ytd_variance"].tolist()[:2] == [
        round(500 / 2300, 4),
        round(1800 / 2300, 4),
    ]
    assert b.variance_drivers(one)["period"].tolist() == ["2026-02", "2026-01"]


def test_headline_and_totals() -> None:
    t = b.reconcile(simple_plan(), simple_ledger(), "2026-02", CFG)
    h = b.headline(t, CFG)
    assert (h["plan"], h["actual"], h["variance"]) == (13500.0, 17099.5, 3599.5)
    assert (h["plan_ytd"], h["actual_ytd"]) == (27000.0, 27599.5)
    assert h["execution_rate_ytd"] == round(27599.5 / 27000, 4)
    assert h["plan_full_year"] == 40500.0
    assert h["forecast_full_year"] == 41099.5
    assert h["run_rate_full_year"] == 165597.0
    assert h["unbudgeted_ytd"] == 3000.0
    assert (h["n_over"], h["n_under"], h["n_unbudgeted"]) == (1, 2, 1)
    lt = b.landing(t)
    assert row(lt, "售前处", "人员成本", "工资")["run_rate_full_year"] == 133800.0
    tot = b.totals(t, by=None).iloc[0]
    assert (tot["plan_ytd"], tot["actual_ytd"]) == (27000.0, 27599.5)
    assert tot["variance_ytd_pct"] == round(599.5 / 27000, 4)
    cats = b.by_category(t)
    assert cats["category"].tolist() == ["人员成本", "设备成本", "培训成本", b.UNBUDGETED]


def test_bad_period_is_refused() -> None:
    with pytest.raises(ValueError, match="YYYY-MM"):
        b.reconcile(simple_plan(), simple_ledger(), "2026.1", CFG)


# ---------------------------------------------------------------------------------------------
# a real file: a church's budget vs YTD actuals (ground truth: budget.YTD == Σ ledger Amount)


@pytest.mark.skipif(not CHURCH.is_file(), reason="shared/realworld not present")
def test_church_budget_reconciles_to_stated_ytd() -> None:
    bud = pd.read_excel(CHURCH, sheet_name="budget", engine="calamine", dtype={"AccountNum": str})
    led = pd.read_excel(
        CHURCH, sheet_name="actuals budget year", engine="calamine", dtype={"AccountNum": str}
    )
    plan = pd.DataFrame(
        {
            "period": "2023",
            "department": "",
            "category": bud["AccountNum"].astype(str),
            "item": "",
            "plan": bud["Budget"].astype(float),
            "revised_plan": np.nan,
            "kind": np.where(bud["InOrOut"] == "In", "revenue", "cost"),
        }
    )
    act = pd.DataFrame(
        {
            "date": led["Date"],
            "period": "",
            "department": "",
            "category": led["AccountNum"].astype(str),
            "item": "",
            "amount": led["Amount"].astype(float),
        }
    )
    t = b.reconcile(plan, act, "2023-09", CFG)
    assert len(t) == 211
    assert b.UNBUDGETED not in set(t["category"])
    got = t.set_index("category")["actual_ytd"]
    want = bud.set_index(bud["AccountNum"].astype(str))["YTD"].round(2)
    diff = (got.reindex(want.index) - want).abs()
    assert diff.max() < 0.005
    assert round(t["actual_ytd"].sum(), 2) == round(led["Amount"].sum(), 2)
    fy = t.set_index("category")["plan_full_year"].reindex(want.index)
    assert (
        fy - bud.set_index(bud["AccountNum"].astype(str))["Budget"].round(2)
    ).abs().max() < 0.005
    # plan to date is 9/12 of the annual budget, to the 分
    assert row(t, "", "4010")["plan_ytd"] == round(335500 * 9 / 12, 2)
    # accounts with no budget and money this year are unbudgeted (e.g. 4014 Easter Offering)
    assert row(t, "", "4014")["status"] == b.STATUS_UNBUDGETED


def test_rollup_status_and_empty_inputs() -> None:
    t = b.reconcile(simple_plan(), simple_ledger(), "2026-02", CFG)
    cats = b.totals(t, ["department", "category"], CFG)
    assert dict(zip(cats["category"], cats["status"], strict=True)) == {
        "人员成本": b.STATUS_OVER,
        "设备成本": b.STATUS_UNDER,
        "培训成本": b.STATUS_UNDER,
        b.UNBUDGETED: b.STATUS_UNBUDGETED,
    }
    no_plan = plan_frame([]).iloc[0:0]
    no_actuals = ledger([]).iloc[0:0]
    only_actuals = b.reconcile(no_plan, simple_ledger(), "2026-02", CFG)
    assert set(only_actuals["status"]) == {b.STATUS_UNBUDGETED}
    assert round(only_actuals["actual_ytd"].sum(), 2) == 27599.5
    only_plan = b.reconcile(simple_plan(), no_actuals, "2026-02", CFG)
    assert only_plan["actual_ytd"].sum() == 0 and only_plan["plan_ytd"].sum() == 27000.0
    assert b.reconcile(no_plan, no_actuals, "2026-02", CFG).empty
