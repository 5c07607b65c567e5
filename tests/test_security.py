"""Hostile spreadsheet text: escaped in every HTML page, never a live formula in CSV/XLSX exports."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from analysis.outputs import safe_frame
from analysis.runner import Progress, run

pytestmark = pytest.mark.slow

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
FORMULA = "=1+2"


def _rename(book: Path, names: dict[str, str]) -> int:
    """Replace agent names (by 工号) in every sheet of ``book``; returns cells changed."""
    wb = load_workbook(book)
    changed = 0
    for ws in wb.worksheets:
        header = None
        for row in ws.iter_rows():
            values = [c.value for c in row]
            if header is None:
                if "工号" in values and "姓名" in values:
                    header = (values.index("工号"), values.index("姓名"))
                continue
            agent = values[header[0]]
            if agent in names:
                row[header[1]].value = names[agent]
                row[header[1]].data_type = "s"
                changed += 1
    wb.save(book)
    return changed


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory, sample_dir: Path):
    data = tmp_path_factory.mktemp("hostile") / "data"
    shutil.copytree(sample_dir, data)
    names = {"KF0101": SCRIPT, "KF0301": IMG, "KF0102": FORMULA}
    changed = _rename(data / "roster.xlsx", names)
    for book in sorted((data / "scorecards").glob("*.xlsx")):
        changed += _rename(book, names)
    assert changed > 10
    out = data.parent / "reports"
    result = run(data=str(data), out=str(out), progress=Progress(quiet=True))
    assert result.exit_code == 0, result.message
    return result.folder


def test_hostile_names_appear_as_text_in_every_page(hostile_run: Path) -> None:
    pages = sorted(hostile_run.glob("*.html"))
    assert len(pages) >= 4
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert SCRIPT not in text, page.name
        assert IMG not in text, page.name
    bulletin = (hostile_run / "20_scorecards.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in bulletin
    assert "&lt;img src=x onerror=alert(1)&gt;" in bulletin


def test_csv_and_xlsx_exports_hold_formulas_as_text(hostile_run: Path) -> None:
    csv = pd.read_csv(hostile_run / "scorecards.csv", encoding="utf-8-sig", dtype=str)
    assert "'" + FORMULA in set(csv["name"])
    assert FORMULA not in set(csv["name"])
    wb = load_workbook(hostile_run / "scorecards.xlsx")
    cells = [
        c
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.value in (FORMULA, "'" + FORMULA)
    ]
    assert cells, "the hostile name is in the payroll workbook"
    assert all(c.data_type == "s" for c in cells)


def test_safe_frame_neutralises_every_formula_prefix() -> None:
    df = pd.DataFrame(
        {
            "t": ["=A1", "+A1", "-A1", "@A1", "\tA1", "\rA1", "普通", None],
            "n": [-1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0],
        }
    )
    out = safe_frame(df, money=["n"])
    assert out["t"].tolist()[:6] == ["'=A1", "'+A1", "'-A1", "'@A1", "'\tA1", "'\rA1"]
    assert out["t"].tolist()[6] == "普通"
    assert pd.isna(out["t"].tolist()[7])
    assert out["n"].tolist()[0] == -1.0  # numbers are numbers, negative or not
