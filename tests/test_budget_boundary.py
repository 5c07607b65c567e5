"""analysis.budget at its public boundary: defaults without a config, frames checked with a message
naming the column, and the money rules it shares with the loader (analysis.money)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import budget as b
from analysis import money
from analysis.config import load_config


def plan() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period": ["2027-04", "2027-05", "2027-04"],
            "department": ["呼叫中心", "呼叫中心", "呼叫中心"],
            "category": ["人员成本", "人员成本", "营业收入"],
            "item": ["", "", ""],
            "plan": [20000.0, 20000.0, 9000.0],
        }
    )


def actuals() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period": ["2027-04", "2027-04", "2027-04"],
            "department": ["呼叫中心", "呼叫中心", "呼叫中心"],
            "category": ["加班费", "工资", "营业收入"],  # both mapped by the default category_map
            "amount": [3100.0, 19000.0, 6000.0],
        }
    )


def test_no_config_means_the_defaults() -> None:
    bare = b.reconcile(plan(), actuals(), "2027-04")
    assert bare.equals(b.reconcile(plan(), actuals(), "2027-04", load_config()))
    staff = bare[bare["category"] == "人员成本"].iloc[0]
    assert (staff["actual"], staff["status"]) == (22100.0, b.STATUS_OVER)  # 10.5 %, 2,100 元
    assert b.UNBUDGETED not in set(bare["category"])
    income = bare[bare["category"] == "营业收入"].iloc[0]
    assert income["status"] == b.STATUS_REVENUE_UNDER  # a default revenue category


def test_a_partial_config_keeps_the_other_defaults() -> None:
    cfg = {"budget": {"materiality_amount": 5000.0}}
    t = b.reconcile(plan(), actuals(), "2027-04", cfg)
    assert t.set_index("category").loc["人员成本", "status"] == b.STATUS_OK  # 2,100 < 5,000
    assert t.set_index("category").loc["营业收入", "variance"] == -3000.0
    assert b.rules(cfg)["materiality_pct"] == b.rules()["materiality_pct"]


def test_a_misnamed_column_is_named() -> None:
    with pytest.raises(b.BudgetFrameError) as err:
        b.reconcile(plan().rename(columns={"plan": "budget"}), actuals(), "2027-04")
    text = str(err.value)
    assert "'plan'" in text and "budget" in text  # what is missing, and what was found
    assert len(err.value.problems) == 1


def test_every_problem_at_once() -> None:
    p = plan().assign(period=pd.PeriodIndex(plan()["period"], freq="M"))
    a = actuals().drop(columns="amount").assign(department=1)
    with pytest.raises(b.BudgetFrameError) as err:
        b.reconcile(p, a, "2027-04")
    problems = err.value.problems
    assert len(problems) == 2, problems
    assert "plan.period" in problems[0] and "period[M]" in problems[0]
    assert "'amount'" in problems[1]


def test_wrong_types_are_named() -> None:
    a = actuals().assign(amount=["3,100", "19000", "x"])
    with pytest.raises(b.BudgetFrameError, match=r"actuals\.amount: .*numbers"):
        b.reconcile(plan(), a, "2027-04")
    a = actuals().assign(period=pd.to_datetime(actuals()["period"]))
    with pytest.raises(b.BudgetFrameError, match=r"actuals\.period: .*text"):
        b.tie_out(b.reconcile(plan(), actuals(), "2027-04"), a, "2027-04")
    with pytest.raises(b.BudgetFrameError, match="missing column 'period'"):
        b.monthly_variance(plan(), actuals().drop(columns="period"), "2027-04")
    with pytest.raises(b.BudgetFrameError, match="plan.period"):
        b.plan_revisions(plan().assign(period="April"), "2027-04")


def test_numbers_as_text_that_read_as_numbers_pass() -> None:
    a = actuals().assign(amount=actuals()["amount"].astype(object))
    assert b.reconcile(plan(), a, "2027-04")["actual"].sum() == 28100.0


def test_spread_is_one_rule() -> None:
    parts = money.spread_fen(np.array([7, 33_550_000, -5]), [1] * 12)
    assert parts.sum(axis=1).tolist() == [7, 33_550_000, -5]
    assert parts[0].tolist() == [1, 0, 1, 0, 1, 0, 1, 1, 0, 1, 0, 1]
    assert parts[1][:9].sum() == 33_550_000 * 9 // 12  # year to date exact to the 分
    assert np.abs(parts[1] - 33_550_000 / 12).max() < 1
    sp = b.spread_annual(
        pd.DataFrame({"period": ["2027"], "category": ["调研"], "plan": [0.07]}), load_config()
    )
    assert (sp["plan"] * 100).round().astype(int).tolist() == parts[0].tolist()


def test_the_loader_spreads_with_the_same_rule(tmp_path) -> None:
    from analysis.io import load_all

    (tmp_path / "budget").mkdir()
    (tmp_path / "budget" / "annual_2027.csv").write_text(
        "部门,费用项目,全年预算\n呼叫中心,神秘访客,1000.07\n", encoding="utf-8"
    )
    ds = load_all(tmp_path, use_cache=False)
    months = ds.plan.sort_values("period")
    assert months["period"].tolist() == [f"2027-{m:02d}" for m in range(1, 13)]
    got = (months["plan"] * 100).round().astype(int).tolist()
    assert got == money.spread_fen(np.array([100007]), [1] * 12)[0].tolist()


def test_revenue_and_labels_use_the_loaders_normalisation() -> None:
    from analysis.io.values import norm

    labels = pd.Series(["Ｓａｌｅｓ", " Revenue ", "营业 收入", "人员成本", None])
    assert money.is_revenue(labels, load_config()).tolist() == [True, True, True, False, False]
    assert money.is_revenue(labels.astype("category"), None).tolist() == [False] * 5
    assert b.propose_category("Ｔｒａｖｅｌ Expenses", ["travel"]) == "travel"
    assert norm("Ｔｒａｖｅｌ") == "travel"
