"""The real spreadsheets in ../shared/realworld/ (see its INDEX.md) through the generic reader."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.io import read_table
from analysis.paths import PROJ_ROOT

REALWORLD = PROJ_ROOT.parent / "shared" / "realworld"
CHURCH = "en_church_budget_vs_ytd_actual_2023-09-30.xlsx"
VICIDIAL = "en_vicidial_agent_daily_performance.xlsx"
PWC = "en_call_center_calls_pwc_agent.xlsx"


@pytest.fixture(scope="module")
def rw() -> Path:
    if not REALWORLD.is_dir():
        pytest.skip(f"{REALWORLD} is absent: the real-file tests need ../shared/realworld/")
    return REALWORLD


@pytest.mark.parametrize(
    ("sheet", "rows"),
    [
        ("budget", 211),
        ("actuals budget year", 1874),
        ("actuals comparison year", 2753),
        ("inconsistencies", 156),
        ("budget_totals_summary", 20),
    ],
)
def test_church_row_counts(rw: Path, sheet: str, rows: int) -> None:
    res = read_table(rw / CHURCH, sheet)
    assert res.header_row == 1
    assert res.rows_read == res.rows_loaded + res.rows_reported
    if sheet == "budget_totals_summary":
        # 23 rows under the header: 20 categories, the In and Out _Total rows and the grand total.
        assert res.rows_read == 23 and res.rows_loaded == rows
        assert res.dq.loc[res.dq["code"] == "total_row", "row"].tolist() == [9, 23, 24]
    else:
        assert res.rows_loaded == rows


def test_church_subtotals_reported_not_loaded(rw: Path) -> None:
    res = read_table(rw / CHURCH, "budget_totals")
    assert res.rows_read == 234
    assert res.rows_loaded == 211
    assert (res.dq["code"] == "total_row").sum() == 23


def test_church_ytd_equals_ledger(rw: Path) -> None:
    budget = read_table(rw / CHURCH, "budget").frame
    ledger = read_table(rw / CHURCH, "actuals budget year").frame
    assert budget["YTD"].dtype == "float64" and ledger["Amount"].dtype == "float64"
    sums = ledger.groupby("AccountNum")["Amount"].sum()
    got = budget.set_index("AccountNum")["YTD"]
    diff = (got - sums.reindex(got.index).fillna(0)).abs()
    assert len(got) == 211
    assert diff.max() < 0.01


def test_vicidial_invalid_duration_reported(rw: Path) -> None:
    res = read_table(rw / VICIDIAL)
    assert res.rows_loaded == 23
    f = res.frame
    assert (f["CALLS"] == f["TOTAL INBOUND CALLS"] + f["TOTAL OUTBOUND CALLS"]).all()
    assert res.types["CUSTOMER"] == "duration"
    bad = res.dq[res.dq["code"] == "bad_duration"]
    assert bad[["row", "column", "value"]].values.tolist() == [[2, "CUSTOMER", "4:32:60"]]
    assert pd.isna(f.loc[f["source_row"] == 2, "CUSTOMER"]).all()
    # Over-12-hour durations are kept as they are: 18:39:20 → 67,160 s.
    assert f.loc[f["USER NAME"] == "Srashti Kushwaha", "TIME"].item() == 18 * 3600 + 39 * 60 + 20


def test_pwc_footer_reported_not_loaded(rw: Path) -> None:
    res = read_table(rw / PWC)
    assert res.rows_loaded == 5000
    notes = res.dq[res.dq["code"] == "note_row"]
    assert notes["row"].tolist() == [5002]
    assert "About 5001" in notes["value"].item()
    f = res.frame
    assert f["Agent"].nunique() == 8
    assert f["Speed of answer in seconds"].isna().sum() == 946
    assert f["Date"].min() == pd.Timestamp("2021-01-01") and f["Date"].max() < pd.Timestamp(
        "2021-04-01"
    )
