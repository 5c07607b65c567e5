"""Every report notebook runs under papermill into a temporary folder, in English too."""

from __future__ import annotations

from pathlib import Path

import nbformat
import papermill as pm
import pytest

from analysis.paths import PROJ_ROOT
from analysis.runner import kernel_name, report_notebooks

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("notebook", report_notebooks(), ids=lambda p: p.stem)
def test_report_notebook_runs_in_english(notebook: Path, tmp_path: Path, sample_dir: Path) -> None:
    out = tmp_path / notebook.name
    pm.execute_notebook(
        str(notebook),
        str(out),
        parameters={
            "data_dir": str(sample_dir),
            "period": "",
            "lang": "en",
            "out_dir": str(tmp_path),
        },
        kernel_name=kernel_name(),
        cwd=str(PROJ_ROOT),
        progress_bar=False,
        execution_timeout=300,
    )
    nb = nbformat.read(out, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    html = "".join(str(o.get("data", {}).get("text/html", "")) for o in outputs)
    assert html, "the report shows something"
    assert (tmp_path / ".headlines" / f"{notebook.stem.split('_', 1)[1]}.json").is_file()


def test_scorecard_bulletin_lists_to_check(tmp_path: Path, sample_dir: Path) -> None:
    """A blank exam and an agent listed twice: a 待核实 section, status in scorecards.csv."""
    import shutil

    import openpyxl
    import pandas as pd

    data = tmp_path / "data"
    shutil.copytree(sample_dir, data)
    book = data / "scorecards" / "2026-09_绩效考核.xlsx"
    wb = openpyxl.load_workbook(book)
    ws = wb["售前专员"]
    exam = [c.value for c in ws[1]].index("笔试") + 1
    blank_id, twice_id = ws.cell(5, 1).value, ws.cell(9, 1).value
    ws.cell(5, exam).value = None
    ws.append([c.value for c in ws[9]])
    wb.save(book)
    out = tmp_path / "out"
    pm.execute_notebook(
        str(PROJ_ROOT / "notebooks" / "reports" / "20_scorecards.ipynb"),
        str(tmp_path / "sc.ipynb"),
        parameters={"data_dir": str(data), "period": "2026-09", "lang": "zh", "out_dir": str(out)},
        kernel_name=kernel_name(),
        cwd=str(PROJ_ROOT),
        progress_bar=False,
        execution_timeout=300,
    )
    nb = nbformat.read(tmp_path / "sc.ipynb", as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    html = "".join(str(o.get("data", {}).get("text/html", "")) for o in outputs)
    assert "待核实" in html and "笔试空白" in html and "同月有两行" in html
    csv = pd.read_csv(
        out / "scorecards.csv", dtype=str, encoding="utf-8-sig", keep_default_na=False
    )
    checks = csv[csv["status"] == "to_check"]
    assert sorted(checks["agent_id"]) == sorted([blank_id, twice_id, twice_id])
    assert (checks["pay"] == "").all() and (checks["rank"] == "").all()
    scored = csv[(csv["status"] == "scored") & (csv["role"] == "presales")]
    assert scored["rank"].astype(int).tolist()[0] == 1 and len(scored) == 20 - 2
    sheets = openpyxl.load_workbook(out / "scorecards.xlsx").sheetnames
    assert "待核实" in sheets
