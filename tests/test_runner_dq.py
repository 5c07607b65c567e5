"""Nothing silent: the landing page's warning banner, --strict, readings published, partial folders."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from cli_helpers import analysis_cmd

from analysis import runner
from analysis.runner import Progress, dq_banner, run, write_landing
from analysis.schema import DQ_COLUMNS, READING_COLUMNS


def _dq(n_warn: int, n_err: int = 0, n_info: int = 2) -> pd.DataFrame:
    rows = [
        ["info", "total_row", "plan.xlsx", "预算", 40 + i, "", "合计", "合计行"]
        for i in range(n_info)
    ]
    rows += [
        ["warning", "future_date", "ledger.csv", "", 10 + i, "日期", "2031-01-01", f"未来日期 {i}"]
        for i in range(n_warn)
    ]
    rows += [["error", "percent_amount", "b.xlsx", "S1", 7, "D", "12%", "金额是百分数"]] * n_err
    return pd.DataFrame(rows, columns=DQ_COLUMNS)


REPORTS = [
    {"name": "00_overview", "key": "overview", "html": "00_overview.html", "ok": True},
    {"name": "10_budget", "key": "budget", "html": "10_budget.html", "ok": True},
]


def _landing(tmp_path: Path, dq: pd.DataFrame, lang: str = "zh", reports=REPORTS) -> str:
    path = write_landing(
        tmp_path,
        period="2026-10",
        lang=lang,
        data_source="data/x",
        generated="2026-11-02 06:00",
        reports=reports,
        dq=dq,
    )
    return path.read_text(encoding="utf-8")


def test_banner_counts_warnings_lists_first_five_and_links(tmp_path: Path) -> None:
    html = _landing(tmp_path, _dq(7, n_err=1))
    assert 'id="dq-banner"' in html
    assert "本期数据有 7 条警告、1 条错误,可能影响数字" in html
    banner = html[html.index('id="dq-banner"') : html.index("</div>", html.index('id="dq-banner"'))]
    assert banner.count("<tr><td>") == 5
    assert banner.index("金额是百分数") < banner.index("未来日期 0")  # errors first
    assert "未来日期 3" in banner and "未来日期 4" not in banner
    assert "另有 3 条" in banner
    assert 'href="data_quality.csv"' in banner and 'href="00_overview.html#data-quality"' in banner


def test_no_banner_without_warnings_or_errors(tmp_path: Path) -> None:
    html = _landing(tmp_path, _dq(0, n_info=4))
    assert 'id="dq-banner"' not in html and "可能影响数字" not in html
    assert dq_banner(pd.DataFrame(columns=DQ_COLUMNS), "zh") is None


def test_english_banner_is_singular_for_one_warning(tmp_path: Path) -> None:
    html = _landing(tmp_path, _dq(1, n_info=1), lang="en")
    assert "This period&#39;s data has 1 warning that may affect the figures" in html
    assert "1 warnings" not in html
    assert "2 entries: 0 errors, 1 warning, 1 note." in html


def test_report_without_inputs_shows_no_data_card(tmp_path: Path) -> None:
    reports = [
        REPORTS[0],
        {
            "name": "10_budget",
            "key": "budget",
            "notebook": "10_budget.ipynb",
            "ok": True,
            "skipped": "no_data",
        },
    ]
    html = _landing(tmp_path, _dq(0), reports=reports)
    card = html[html.index("预算执行分析") - 200 : html.index("预算执行分析") + 200]
    assert "本期无数据" in card
    assert 'href="10_budget.html"' not in html


def test_strict_refuses_warnings_and_leaves_the_publication_untouched(
    tmp_path: Path, sample_dir: Path
) -> None:
    out = tmp_path / "out"
    previous = out / "2026-10"
    previous.mkdir(parents=True)
    (previous / "index.html").write_text("last month's run", encoding="utf-8")
    result = run(data=str(sample_dir), out=str(out), strict=True, progress=Progress(quiet=True))
    assert result.exit_code == 2
    assert "--strict" in result.message and "1 条警告" in result.message
    assert "客服部2026年度费用预算.xlsx" in result.message  # names the file
    assert "1 warning;" in result.message
    assert (previous / "index.html").read_text(encoding="utf-8") == "last month's run"
    assert sorted(p.name for p in out.iterdir()) == ["2026-10"]


def test_cli_strict_is_one_paragraph_exit_2(tmp_path: Path, sample_dir: Path) -> None:
    proc = subprocess.run(
        analysis_cmd("run", "--data", str(sample_dir), "--out", str(tmp_path / "o"), "--strict"),
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "Strict mode" in proc.stderr
    assert not (tmp_path / "o" / "2026-10").exists()


def test_only_does_not_carry_over_the_old_snapshot_or_readings(tmp_path: Path) -> None:
    final, build = tmp_path / "2026-10", tmp_path / "build"
    (final / ".snapshot").mkdir(parents=True)
    (final / ".snapshot" / "plan.parquet").write_bytes(b"old")
    (final / "inputs_read.csv").write_text("old")
    (final / "20_scorecards.html").write_text("kept")
    build.mkdir()
    runner.carry_over(final, build, [Path("10_budget.ipynb")])
    assert sorted(p.name for p in build.iterdir()) == ["20_scorecards.html"]


@pytest.mark.slow
@pytest.mark.xdist_group("published")
def test_published_month_carries_readings_and_banner(published) -> None:
    folder: Path = published.folder
    raw = (folder / "inputs_read.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    readings = pd.read_csv(folder / "inputs_read.csv", encoding="utf-8-sig")
    assert list(readings.columns) == READING_COLUMNS
    manifest = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    assert len(manifest["readings"]) == len(manifest["inputs"]) == len(readings)
    assert all(list(r) == READING_COLUMNS for r in manifest["readings"])
    assert [r["sha256"] for r in manifest["readings"]] == list(readings["sha256"])
    assert not any(o["file"].startswith(".") for o in manifest["outputs"])
    assert "inputs_read.csv" in {o["file"] for o in manifest["outputs"]}
    n = manifest["data_quality"]["warnings"] + manifest["data_quality"]["errors"]
    index = (folder / "index.html").read_text(encoding="utf-8")
    assert (f"本期数据有 {n} 条警告" in index) == (n > 0)
    overview = (folder / "00_overview.html").read_text(encoding="utf-8")
    assert "各文件的读取方式" in overview and 'id="data-quality"' in overview
    executed = json.loads((folder / "10_budget.ipynb").read_text(encoding="utf-8"))
    injected = next(
        "".join(c["source"])
        for c in executed["cells"]
        if "injected-parameters" in c["metadata"].get("tags", [])
    )
    assert "snapshot = " in injected and ".snapshot" in injected
    assert (folder / ".snapshot" / "snapshot.json").is_file()


@pytest.mark.slow
def test_scorecards_only_folder_runs_and_budget_shows_no_data(
    tmp_path: Path, sample_dir: Path
) -> None:
    data = tmp_path / "data"
    (data / "scorecards").mkdir(parents=True)
    for book in sorted((sample_dir / "scorecards").glob("2026-0[89]_*.xlsx")):
        shutil.copy(book, data / "scorecards" / book.name)
    shutil.copy(sample_dir / "roster.xlsx", data / "roster.xlsx")
    out = tmp_path / "out"
    result = run(data=str(data), out=str(out), progress=Progress(quiet=True), jobs=2)
    assert result.exit_code == 0, result.message
    folder = result.folder
    assert folder.name == "2026-09"
    assert (folder / "20_scorecards.html").is_file() and (folder / "scorecards.csv").is_file()
    assert not (folder / "10_budget.html").exists()
    index = (folder / "index.html").read_text(encoding="utf-8")
    card = index[index.index("预算执行分析") - 200 : index.index("预算执行分析") + 200]
    assert "本期无数据" in card
    manifest = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    budget = next(r for r in manifest["reports"] if r["key"] == "budget")
    assert budget.get("skipped") == "no_data"
    assert manifest["status"] == "ok"

    only = run(data=str(data), out=str(out), only=["scorecards"], progress=Progress(quiet=True))
    assert only.exit_code == 0, only.message
    assert (only.folder / "20_scorecards.html").is_file()


def test_strict_paragraph_and_banner_cope_with_rows_without_a_row_number(tmp_path: Path) -> None:
    from analysis.io.errors import dq_frame

    dq = dq_frame(
        [
            {
                "severity": "warning",
                "code": "sheet_skipped",
                "file": "预算/辅助.xlsx",
                "sheet": "Hidden",
                "row": None,
                "column": "",
                "value": "",
                "message": "跳过",
            },
            {
                "severity": "error",
                "code": "percent_amount",
                "file": "流水.csv",
                "sheet": "",
                "row": 12,
                "column": "金额",
                "value": "12%",
                "message": "百分数",
            },
        ]
    )
    assert str(dq["row"].dtype) == "Int64"
    text = runner.strict_refusal(dq, "zh")
    assert "流水.csv 第 12 行: 百分数; 预算/辅助.xlsx Hidden: 跳过" in text
    assert "1 warning and 1 error" in text and "\n" in text and "<NA>" not in text
    html = _landing(tmp_path, dq)
    assert "&lt;NA&gt;" not in html and "<NA>" not in html
