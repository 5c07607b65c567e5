"""views.overview: every table, tile and chart input of 数据概览 from small literal frames, the
headlines export, and the notebooks ending no cell with a value (no PosixPath on the page)."""

from __future__ import annotations

import ast
import json
from types import SimpleNamespace

import nbformat
import pandas as pd
import pytest

from analysis.paths import REPORT_NOTEBOOKS_DIR
from analysis.schema import DQ_COLUMNS
from analysis.views import overview as view_mod


def _inputs() -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"file": "预算/年度.xlsx", "sheet": "总表", "kind": "plan", "status": "read",
             "layout": "wide_plan", "rows_read": 14, "rows_loaded": 12, "rows_reported": 2,
             "amount_loaded": 9876.5},
            {"file": "流水/九月.csv", "sheet": "", "kind": "actuals", "status": "read",
             "layout": "ledger", "rows_read": 7, "rows_loaded": 6, "rows_reported": 1,
             "amount_loaded": 321.0},
            {"file": "排班/花名册.xlsx", "sheet": "人员", "kind": "roster", "status": "read",
             "layout": "roster", "rows_read": 3, "rows_loaded": 3, "rows_reported": 0,
             "amount_loaded": 0.0},
        ]
    )  # fmt: skip


def _dq() -> pd.DataFrame:
    rows = [
        ("warning", "total_mismatch", "预算/年度.xlsx", "总表", 9, "B", "合计", "差 1 元"),
        ("error", "bad_amount", "流水/九月.csv", "", 4, "金额", "abc", "不是金额"),
        ("warning", "total_mismatch", "预算/年度.xlsx", "总表", 15, "C", "小计", "差 2 元"),
    ]
    return pd.DataFrame(rows, columns=DQ_COLUMNS)


def _ds(dq: pd.DataFrame | None = None) -> SimpleNamespace:
    plan = pd.DataFrame({"period": ["2026-08", "2026-09", "2026-09"], "plan": [1.0, 2.0, 3.0]})
    actuals = pd.DataFrame({"period": ["2026-09"] * 2, "amount": [4.0, 5.0]})
    roster = pd.DataFrame({"agent_id": ["A", "B", "C"]})
    staffing = pd.DataFrame({"day": ["2026-09-01"], "calls": [5.0]})
    return SimpleNamespace(
        plan=plan, actuals=actuals, presales=pd.DataFrame(), aftersales=pd.DataFrame(),
        roster=roster, staffing=staffing, dq=_dq() if dq is None else dq, inputs=_inputs(),
        latest_period="2026-09",
    )  # fmt: skip


def test_title_tiles_and_files() -> None:
    view = view_mod.build(_ds(), None, "", "zh")
    assert view.period == "2026-09" and view.title == "数据概览 · 2026-09"
    tiles = {t["label"]: (t["value"], t.get("tone")) for t in view.tiles}
    assert tiles == {
        "文件数": ("3", None),
        "载入行数": ("9", None),  # 3 plan + 2 actuals + 3 roster + 1 volume line
        "数据错误": ("1", "over"),
        "数据警告": ("2", "warn"),
        "最新实际月份": ("2026-09", None),
    }
    assert view.files.frame["kind"].tolist() == ["预算", "实际支出", "花名册"]
    assert [getattr(c, "label", c) for c in view.files.columns.values()] == [
        "文件", "工作表", "类型", "读取行数", "载入行数", "列入数据质量"]  # fmt: skip
    assert view.conservation == "行数守恒: 读取 24 行 = 载入 21 行 + 列入数据质量 3 行。"


def test_readings_and_coverage() -> None:
    view = view_mod.build(_ds(), None, "2026-09", "en")
    r = view.readings.frame
    assert r["layout"].tolist() == ["Monthly plan (a column per month)",
                                    "Ledger (one line per entry)", "Roster"]  # fmt: skip
    assert r["amount_loaded"].tolist()[:2] == [9876.5, 321.0]
    assert pd.isna(r["amount_loaded"].iloc[2])  # a roster carries no money: blank, not 0
    assert view.readings.columns["amount_loaded"].fmt(9876.5) == "9,876.50"
    assert view.readings.empty == "No table was read."
    cov = view.coverage.frame.set_index("table")
    assert cov.loc["Plan", ["first", "last", "months", "rows"]].tolist() == [
        "2026-08",
        "2026-09",
        2,
        3,
    ]
    assert cov.loc["Call volumes", "months"] == 1
    assert view.rows_per_month.loc["2026-09"].to_dict() == {"plan": 2, "actuals": 2}
    assert view.chart_labels["cov_title"] == "Rows per month by table"
    assert view.chart_labels["actuals"] == "Actual spending"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_data_quality_summary_and_detail(lang: str) -> None:
    view = view_mod.build(_ds(), None, "", lang)
    summary = view.dq_summary.frame
    error, warning = ("错误", "警告") if lang == "zh" else ("Error", "Warning")
    # the page names each kind in words; data_quality.csv keeps the codes
    bad, mismatch = (
        ("金额无法识别", "合计不符")
        if lang == "zh"
        else ("amount not understood", "total does not match")
    )
    assert summary[["severity", "code", "count"]].values.tolist() == [
        [error, bad, 1], [warning, mismatch, 2]]  # fmt: skip
    assert view_mod.code_word("no_such_code", lang) == "no_such_code"
    detail = view.dq_detail
    assert detail.max_rows == view_mod.DQ_DETAIL_ROWS
    tones = [detail.row_tone(rec) for rec in detail.frame.to_dict("records")]
    assert tones == [None, "over", None]
    for table in (view.files, view.readings, view.coverage, view.dq_summary, detail):
        for key, col in table.columns.items():
            assert getattr(col, "label", col) not in ("", key), (lang, key)  # words, not keys
    assert str(view_mod.DQ_DETAIL_ROWS) in view.dq_detail_heading


def test_no_data_quality_lines() -> None:
    view = view_mod.build(_ds(dq=pd.DataFrame(columns=DQ_COLUMNS)), None, "", "zh")
    assert view.dq_summary is None and view.dq_detail is None
    assert [t.get("tone") for t in view.tiles[2:4]] == [None, None]


def test_write_exports_records_the_tiles_and_returns_none(tmp_path) -> None:
    view = view_mod.build(_ds(), None, "", "zh")
    assert view_mod.write_exports(view, tmp_path) is None
    saved = json.loads((tmp_path / ".headlines" / "overview.json").read_text(encoding="utf-8"))
    assert saved == [
        {"label": t["label"], "value": t["value"], "tone": t.get("tone")} for t in view.tiles
    ]
    assert view_mod.write_exports(view, "") is None


#: Calls a report cell may end with: each displays its output and returns None.
SILENT = {"heading", "note", "tiles", "table", "show_figure", "show", "write_exports", "setup"}


@pytest.mark.parametrize("name", ["00_overview.ipynb", "30_staffing.ipynb"])
def test_no_cell_ends_with_a_value(name: str) -> None:
    """A cell whose last line is an expression prints its value in the HTML (issue 13 found
    ``PosixPath('…/.headlines/overview.json')`` on 数据概览); these notebooks end each cell with
    a statement or a helper that returns None, and write no files themselves."""
    nb = nbformat.read(REPORT_NOTEBOOKS_DIR / name, as_version=4)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert sum(len([ln for ln in src.splitlines() if ln.strip()]) for src in code) <= 80
    for src in code[1:]:
        assert "save_headlines" not in src and "write_csv" not in src and "lambda" not in src
        last = ast.parse(src).body[-1]
        for node in ast.walk(last):
            assert not isinstance(node, (ast.For, ast.While, ast.ListComp, ast.DictComp, ast.Dict))
        if isinstance(last, ast.If):
            last = (last.orelse or last.body)[-1]
        if isinstance(last, ast.Expr):
            assert isinstance(last.value, ast.Call), ast.unparse(last)
            func = last.value.func
            assert getattr(func, "attr", getattr(func, "id", "")) in SILENT, ast.unparse(last)


def test_service_inputs_are_counted_and_covered() -> None:
    """Call logs (Parquet parts, counted from their readings), complaint records and an ACD
    summary count in 载入行数 and the coverage table; the ACD file is not called a call log."""
    ds = _ds()
    extra = pd.DataFrame(
        [
            {"file": "calls/十月.csv", "sheet": "", "kind": "calls", "table": "calls",
             "status": "read", "layout": "call_log", "rows_read": 1001, "rows_loaded": 1000,
             "rows_reported": 1, "amount_loaded": 0.0},
            {"file": "calls/vici.xlsx", "sheet": "Sheet1", "kind": "calls", "table": "acd",
             "status": "read", "layout": "agent_daily", "rows_read": 23, "rows_loaded": 23,
             "rows_reported": 0, "amount_loaded": 0.0},
        ]
    )  # fmt: skip
    ds.inputs = pd.concat([ds.inputs, extra], ignore_index=True)
    ds.periods = {"calls": ["2026-09", "2026-10"]}
    ds.complaints = pd.DataFrame(
        {"received": pd.to_datetime(["2026-09-03 10:00", "2026-10-01 09:00"])}
    )
    ds.acd = pd.DataFrame({"period": ["2026-10"] * 23})
    view = view_mod.build(ds, None, "", "zh")
    tiles = {t["label"]: t["value"] for t in view.tiles}
    assert tiles["载入行数"] == "1,034"  # 9 + 1,000 calls + 2 complaints + 23 agent rows
    cov = view.coverage.frame.set_index("table")
    assert cov.loc["通话记录", ["first", "last", "months", "rows"]].tolist() == [
        "2026-09", "2026-10", 2, 1000]  # fmt: skip
    assert cov.loc["投诉单", ["first", "last", "months", "rows"]].tolist() == [
        "2026-09", "2026-10", 2, 2]  # fmt: skip
    assert cov.loc["话务坐席汇总", ["months", "rows"]].tolist() == [1, 23]
    assert view.files.frame["kind"].tolist()[-2:] == ["通话记录", "话务坐席汇总"]
