"""load_all on the sample folder and small fixtures: shapes, conservation, cache, fatal errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis.io import Dataset, InputError, load_all
from analysis.io import values as V
from analysis.schema import (
    ACTUAL_COLUMNS,
    AFTERSALES_COLUMNS,
    DQ_COLUMNS,
    PLAN_COLUMNS,
    PRESALES_COLUMNS,
    ROSTER_COLUMNS,
    STAFFING_COLUMNS,
)

MINI_LEDGER = '日期,凭证号,部门,科目,摘要,金额\n2026-01-05,1,售前处,工资,一月,"1,000.50"\n2026-02-05,2,售前处,耳麦,退货,(20)\n'


def _mini(tmp_path: Path) -> Path:
    (tmp_path / "actuals").mkdir(parents=True)
    (tmp_path / "actuals" / "l.csv").write_text(MINI_LEDGER, encoding="utf-8")
    return tmp_path


@pytest.fixture(scope="module")
def sample(sample_dir: Path) -> Dataset:
    return load_all(sample_dir, use_cache=False)


def test_sample_frames_have_schema_columns(sample: Dataset) -> None:
    for name, cols in [
        ("plan", PLAN_COLUMNS),
        ("actuals", ACTUAL_COLUMNS),
        ("presales", PRESALES_COLUMNS),
        ("aftersales", AFTERSALES_COLUMNS),
        ("roster", ROSTER_COLUMNS),
        ("staffing", STAFFING_COLUMNS),
    ]:
        assert list(getattr(sample, name).columns) == cols, name
    assert list(sample.dq.columns) == DQ_COLUMNS
    assert sample.latest_period == "2026-10"
    assert sample.periods["plan"] == [f"2026-{m:02d}" for m in range(1, 13)]
    assert sample.periods["actuals"][-1] == "2026-10"


def test_sample_only_deliberate_problems(sample: Dataset) -> None:
    assert (sample.dq["severity"] == "error").sum() == 0
    warnings = sample.dq[sample.dq["severity"] == "warning"]
    allowed = {"total_mismatch", "missing_scorecard", "not_in_roster"}
    assert set(warnings["code"]) <= allowed
    tm = warnings[warnings["code"] == "total_mismatch"]
    # README: the 三、培训成本 subtotal states 9,400 for 3月, lines add up to 8,400.
    assert tm[["sheet", "column"]].values.tolist() == [["年度预算", "3月"]]
    assert "9,400.00" in tm["message"].item() and "8,400.00" in tm["message"].item()


def test_sample_conservation_and_ledger_total(sample: Dataset) -> None:
    inp = sample.inputs
    assert (inp["rows_read"] == inp["rows_loaded"] + inp["rows_reported"]).all()
    assert (
        (inp["amount_read"] - inp["amount_loaded"] - inp["amount_reported"]).abs() < 0.005
    ).all()
    # The sample README states the ledger's line count and each month's total (the generator
    # prints them); the loader must reproduce them to the 分.
    import re

    readme = (sample.data_dir / "README.md").read_text(encoding="utf-8")
    n_lines = int(re.search(r"共 ([\d,]+) 行", readme).group(1).replace(",", ""))
    months = {
        m: float(v.replace(",", ""))
        for m, v in re.findall(r"^\| (2026-\d\d) \| ([\d,.]+) \|$", readme, re.M)
    }
    assert len(sample.actuals) == n_lines
    got = sample.actuals.groupby("period")["amount"].sum().round(2).to_dict()
    assert len(months) == 10 and all(abs(got[m] - v) < 0.005 for m, v in months.items())
    assert sample.roster["agent_id"].str.match(r"^KF\d{4}$").all()
    assert set(sample.roster["role"]) == {"presales", "aftersales"}


def test_sample_revised_and_annual_plan(sample: Dataset) -> None:
    p = sample.plan
    survey = p[p["item"].eq("客户满意度调研") | p["category"].eq("客户满意度调研")]
    assert len(survey) == 12 and round(survey["plan"].sum(), 2) == 60000.00
    revised = p[p["revised_plan"].notna()]
    assert revised.groupby(["department", "item"]).ngroups == 3


def test_sample_callback_month_aggregated(sample: Dataset) -> None:
    june = sample.aftersales[sample.aftersales["period"] == "2026-06"]
    assert len(june) == 10
    assert june[["cb_A", "cb_B", "cb_C", "cb_D"]].notna().all().all()
    cb_rows = sample.inputs[(sample.inputs["table"] == "callbacks")]["rows_loaded"].sum()
    assert june[["cb_A", "cb_B", "cb_C", "cb_D"]].to_numpy().sum() == cb_rows


def test_english_messages(sample_dir: Path) -> None:
    ds = load_all(sample_dir, lang="en", use_cache=False)
    tm = ds.dq[ds.dq["code"] == "total_mismatch"]["message"].item()
    assert tm.startswith("total does not match: stated 9,400.00")


def test_missing_folder_and_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="data folder not found"):
        load_all(tmp_path / "nope")
    (tmp_path / "scorecards").mkdir()
    with pytest.raises(InputError, match="no budget"):
        load_all(tmp_path, use_cache=False)


def test_optional_inputs_give_empty_frames(tmp_path: Path) -> None:
    ds = load_all(_mini(tmp_path), use_cache=False)
    assert ds.plan.empty and list(ds.plan.columns) == PLAN_COLUMNS
    assert ds.staffing.empty and list(ds.staffing.columns) == STAFFING_COLUMNS
    assert ds.actuals["amount"].tolist() == [1000.5, -20.0]
    assert ds.latest_period == "2026-02"
    assert ds.inputs.loc[0, "file"] == "actuals/l.csv"


def test_cache_reused_and_corrupt_entry_rebuilt(tmp_path: Path) -> None:
    data, cache = _mini(tmp_path / "d"), tmp_path / "cache"
    first = load_all(data, cache_dir=cache)
    entries = [p for p in cache.iterdir() if not p.name.startswith(".")]
    assert len(entries) == 1
    second = load_all(data, cache_dir=cache)
    pd.testing.assert_frame_equal(first.actuals, second.actuals)
    (entries[0] / "actuals.parquet").write_bytes(b"garbage")
    third = load_all(data, cache_dir=cache)
    pd.testing.assert_frame_equal(first.actuals, third.actuals)
    # A changed file is parsed again.
    (data / "actuals" / "l.csv").write_text(
        MINI_LEDGER + "2026-03-01,3,售后处,话机,x,5\n", encoding="utf-8"
    )
    assert load_all(data, cache_dir=cache).actuals["amount"].tolist() == [1000.5, -20.0, 5.0]


def test_oversized_input_refused(tmp_path: Path) -> None:
    from analysis.config import load_config

    data = _mini(tmp_path)
    cfg = load_config(data, overrides={"limits": {"max_file_mb": 0.00001}})
    with pytest.raises(InputError, match="too large"):
        load_all(data, cfg, use_cache=False)
    shutil.copy(
        Path(__file__).parent / "corpus" / "files" / "ledger_date_forms.xlsx", data / "actuals"
    )
    (data / "actuals" / "l.csv").unlink()
    cfg = load_config(data, overrides={"limits": {"max_cells": 5}})
    with pytest.raises(InputError, match="cells"):
        load_all(data, cfg, use_cache=False)


def test_value_parsers() -> None:
    s = pd.Series(["1,234.50", "(1,234)", "−1 234元", "5%", "-", "", "abc", None], dtype="str")
    vals, bad = V.parse_amount(s)
    assert vals.iloc[:4].tolist() == [1234.5, -1234.0, -1234.0, 0.05]
    assert bad.tolist() == [False] * 6 + [True, False]
    d, bad_d = V.parse_date(
        pd.Series(["46086", "2026/3/5", "2026年3月5日", "2026-03-05 00:00:00", "x"], dtype="str")
    )
    assert d.iloc[:4].dt.strftime("%Y-%m-%d").tolist() == ["2026-03-05"] * 4
    assert bad_d.tolist() == [False] * 4 + [True]
    assert [
        V.month_label(x, 2026) for x in ["3月", "Mar", "March 2026", "2026年3月", "2026/03", "三月"]
    ] == ["2026-03"] * 6
    secs, bad_s = V.parse_duration(pd.Series(["4:32:60", "18:39:20", "0:04:42"], dtype="str"))
    assert bad_s.tolist() == [True, False, False] and secs.iloc[1] == 67160
    assert V.parse_code("A7 用语不佳") == "A7" and V.parse_code("b12") == "B12"


def test_spread_is_exact() -> None:
    import numpy as np

    from analysis.money import spread_fen

    parts = spread_fen(np.array([100000, 7]), [1] * 12)
    assert parts.sum(axis=1).tolist() == [100000, 7]
    assert sorted(set(parts[0].tolist())) == [8333, 8334]
