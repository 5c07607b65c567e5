"""The analyst's API: `import analysis` is light and lists its verbs; no config means the shipped
rules; a wrong frame is a message naming the column; one file or DataFrame reads like a folder."""

from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path

import pandas as pd
import pytest

import analysis
from analysis import budget
from analysis.config import load_config
from analysis.errors import AnalysisError, FrameError

VERBS = [
    "load",
    "read_plan",
    "read_ledger",
    "read_scorecard",
    "reconcile",
    "score",
    "staffing_plan",
]


KEYS = ["period", "department", "category", "item"]


def _plan() -> pd.DataFrame:
    """A small plan of our own: two cost lines in one department, Oct and Nov."""
    rows = [
        ("2027-10", "话费", 50_000.0),
        ("2027-10", "办公用品", 8_000.0),
        ("2027-11", "话费", 50_000.0),
    ]
    return pd.DataFrame([(p, "呼叫中心", c, "", v) for p, c, v in rows], columns=[*KEYS, "plan"])


def _actuals() -> pd.DataFrame:
    """October's spending: over on 话费, under on 办公用品, and a line with no plan (团建)."""
    rows = [("话费", 61_234.5), ("办公用品", 7_900.0), ("团建", 3_300.0)]
    return pd.DataFrame(
        [("2027-10", "呼叫中心", c, "", v) for c, v in rows], columns=[*KEYS, "amount"]
    )


def test_import_analysis_is_light_and_lists_the_verbs() -> None:
    code = "import sys, analysis; print(sorted(m for m in ('pandas', 'numpy') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    for verb in VERBS:
        assert verb in analysis.__all__ and verb in dir(analysis)
        fn = getattr(analysis, verb)
        assert callable(fn) and fn.__doc__ and len(fn.__doc__) > 40


def test_from_analysis_import_keeps_the_modules() -> None:
    from analysis import config, staffing

    assert hasattr(staffing, "erlang_c") and hasattr(config, "load_config")


def test_reconcile_without_config_uses_the_shipped_rules() -> None:
    table = analysis.reconcile(_plan(), _actuals(), "2027-10")
    expected = budget.reconcile(_plan(), _actuals(), "2027-10", load_config())
    pd.testing.assert_frame_equal(table, expected)
    phone = table[table["category"] == "话费"].iloc[0]
    assert phone["actual"] == pytest.approx(61_234.5) and phone["plan"] == pytest.approx(50_000)
    assert phone["execution_rate"] == pytest.approx(61_234.5 / 50_000, abs=1e-4)


def test_a_wrong_column_name_is_named() -> None:
    with pytest.raises(FrameError) as info:
        analysis.reconcile(_plan().rename(columns={"plan": "budget"}), _actuals(), "2027-10")
    assert "plan" in str(info.value) and "read_plan" in str(info.value)
    with pytest.raises(FrameError, match="amount"):
        analysis.reconcile(_plan(), _actuals().drop(columns="amount"), "2027-10")
    with pytest.raises(FrameError, match="period 或 / or date"):
        analysis.reconcile(_plan(), _actuals().drop(columns="period"), "2027-10")


def test_a_mistyped_column_is_named_with_its_first_bad_value() -> None:
    bad = _actuals().astype({"amount": object})
    bad.loc[1, "amount"] = "七千九"
    with pytest.raises(FrameError) as info:
        analysis.reconcile(_plan(), bad, "2027-10")
    assert "amount" in str(info.value) and "七千九" in str(info.value)
    assert isinstance(info.value, AnalysisError) and isinstance(info.value, ValueError)


def test_pandas_periods_are_accepted() -> None:
    actuals = _actuals().assign(period=pd.PeriodIndex(_actuals()["period"], freq="M"))
    got = analysis.reconcile(_plan(), actuals, "2027-10")
    pd.testing.assert_frame_equal(got, analysis.reconcile(_plan(), _actuals(), "2027-10"))


def test_read_ledger_from_a_dataframe_with_chinese_headers() -> None:
    typed = pd.DataFrame(
        {
            "记账日期": ["2027-03-02", "2027-03-15", "2027-03-20"],
            "部门": ["热线组", "热线组", "热线组"],
            "费用科目": ["快递费", "快递费", "打印费"],
            "金额": [120.4, 88.0, 301.25],
        }
    )
    ledger = analysis.read_ledger(typed)
    assert ledger["amount"].sum() == pytest.approx(509.65)
    assert set(ledger["period"]) == {"2027-03"}
    assert set(ledger["source_file"]) == {"<DataFrame>"}
    assert "data_quality" in ledger.attrs


def test_read_plan_from_a_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "计划.csv"
    pd.DataFrame(
        {
            "月份": ["2027-05", "2027-06"],
            "部门": ["售后", "售后"],
            "科目": ["培训费", "培训费"],
            "预算": [1200, 1500],
        }
    ).to_csv(path, index=False)
    plan = analysis.read_plan(path)
    assert plan["plan"].tolist() == [1200.0, 1500.0]
    assert set(plan["source_file"]) == {str(path)}


def test_read_of_a_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(analysis.InputError, match="nope.xlsx"):
        analysis.read_plan(tmp_path / "nope.xlsx")


def test_staffing_plan_defaults_and_overrides() -> None:
    volumes = pd.DataFrame(
        {"day": ["2027-01-04"] * 2, "interval": ["09:00", "09:30"], "calls": [40.0, 55.0]}
    )
    plan = analysis.staffing_plan(volumes)
    stricter = analysis.staffing_plan(volumes, service_level=0.95)
    assert (stricter["agents"] >= plan["agents"]).all() and stricter["agents"].sum() > plan[
        "agents"
    ].sum()
    with pytest.raises(FrameError, match="calls"):
        analysis.staffing_plan(volumes.rename(columns={"calls": "volume"}))


def test_score_needs_scorecards() -> None:
    with pytest.raises(FrameError):
        analysis.score()
    with pytest.raises(FrameError, match="agent_id"):
        analysis.score(pd.DataFrame({"period": ["2027-01"], "工号": ["A1"]}))


def test_report_setup_leaves_the_kernels_warning_filters() -> None:
    from analysis import report

    with warnings.catch_warnings():
        before = list(warnings.filters)
        report.setup(show=False)
        added = [f for f in warnings.filters if f not in before]
        assert ("ignore", None, Warning, None, 0) not in warnings.filters
        assert all(f[3] is not None for f in added)  # only by module
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("default")
            warnings.warn("an analyst should see this", FutureWarning, stacklevel=1)
        assert caught
