"""The budget report notebook on the sample: its CSV (tidy, no totals) and XLSX (with totals)."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from analysis import budget as b

pytestmark = pytest.mark.slow


def test_budget_report_writes_csv_xlsx_and_headlines(
    tmp_path: Path, sample_dir: Path, run_report
) -> None:
    outputs = run_report("10_budget", tmp_path, data_dir=str(sample_dir), period="2026-09")
    assert not [o for o in outputs if o.get("output_type") in ("error", "stream")]
    html = "".join(str(o.get("data", {}).get("text/html", "")) for o in outputs)
    for text in ("预算执行分析 · 2026-09", "计划外支出", "团建费", "合计不符",
                 "data:image/png;base64"):  # fmt: skip
        assert text in html

    raw = (tmp_path / "budget_variance.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    csv = pd.read_csv(tmp_path / "budget_variance.csv", encoding="utf-8-sig", keep_default_na=False)
    assert list(csv.columns) == b.VARIANCE_COLUMNS
    assert not csv["department"].isin(["合计", "总计", "Total"]).any()
    assert (csv["period"] == "2026-09").all()
    # the README's September ledger total, to the 分
    assert round(csv["actual"].sum(), 2) == 379026.81

    wb = openpyxl.load_workbook(tmp_path / "budget.xlsx")
    ws = wb.worksheets[0]
    last = [c.value for c in ws[ws.max_row]]
    assert last[0] == "合计"
    assert round(last[5], 2) == 379026.81  # 本月实际 total row
    heads = json.loads((tmp_path / ".headlines" / "budget.json").read_text(encoding="utf-8"))
    assert heads[0]["value"] == "37.9 万元 / 37.1 万元"  # actual beside plan
