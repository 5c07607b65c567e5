"""数据概览's 各文件的读取方式: every layout in words, sources beside decisions, rows accounted."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import overview
from analysis.catalog import labels as catalog_labels
from analysis.schema import LAYOUTS, READING_COLUMNS
from analysis.views.overview import READING_DISPLAY, readings_table


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_layout_and_status_has_a_label(lang: str) -> None:
    labels = catalog_labels("overview", lang)
    for code in LAYOUTS:
        word = overview.layout_label(code, "read", lang)
        assert word == labels[f"layout_{code}"] and word != code
    for status in ("skipped", "duplicate", "hidden", "empty"):
        assert labels[f"status_{status}"] in overview.layout_label("ledger", status, lang)


def test_readings_have_exactly_the_contract_columns() -> None:
    partial = pd.DataFrame([{"file": "a.csv", "rows_read": 3, "extra": 1}])
    r = overview.readings(partial)
    assert list(r.columns) == READING_COLUMNS
    assert r.loc[0, "file"] == "a.csv" and pd.isna(r.loc[0, "layout"])
    assert list(overview.readings(None).columns) == READING_COLUMNS


def test_readings_table_in_words() -> None:
    inputs = pd.DataFrame(
        [
            {
                "file": "budget/支出.xlsx",
                "sheet": "2026",
                "kind": "plan",
                "status": "read",
                "layout": "annual_plan",
                "range": "A2:C40",
                "header_rows": 2,
                "unit": "千元",
                "unit_source": "标题 B1",
                "sign": "negative",
                "sign_source": "detected: 30 of 31",
                "year": 2026.0,
                "year_source": "sheet name",
                "rows_loaded": 31,
                "rows_total": 3,
                "rows_section": 2,
                "rows_note": 1,
                "rows_rejected": 0,
                "amount_loaded": 1234.5,
            },
            {
                "file": "budget/支出 - 副本.xlsx",
                "sheet": "2026",
                "kind": "plan",
                "status": "duplicate",
                "layout": "",
                "rows_loaded": 0,
            },
            {
                "file": "scorecards/10月.xlsx",
                "sheet": "售后",
                "kind": "aftersales",
                "status": "read",
                "layout": "aftersales",
                "rows_loaded": 12,
                "amount_loaded": 0.0,
            },
        ]
    )
    t = readings_table(inputs, "zh")
    assert list(t.columns) == READING_DISPLAY
    first = t.iloc[0]
    assert first["layout"] == "年度预算(按月分摊)"
    assert first["unit"] == "千元 (标题 B1)"
    assert first["sign"] == "支出为负数(已转为正数) (detected: 30 of 31)"
    assert first["year"] == "2026 (sheet name)" and first["header_rows"] == "2"
    assert first[["rows_loaded", "rows_total", "rows_section", "rows_note"]].tolist() == [
        31,
        3,
        2,
        1,
    ]
    assert first["amount_loaded"] == 1234.5
    assert t.iloc[1]["layout"] == "预算 (重复, 只读一次)"  # no layout: the kind in words
    assert pd.isna(t.iloc[2]["amount_loaded"])  # a scorecard carries no money
    en = readings_table(inputs, "en")
    assert en.iloc[0]["layout"] == "Annual plan (spread over the months)"
    assert en.iloc[0]["sign"].startswith("expenses negative (turned positive)")
