"""End to end: `analysis run` on the sample data publishes a complete, self-contained month."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from analysis.runner import report_notebooks

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("published")]

EXTERNAL = re.compile(
    r"""<(?:script|link|img|iframe)[^>]+(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.I
)


def test_run_publishes_every_report(published) -> None:
    folder: Path = published.folder
    assert published.index == folder / "index.html"
    keys = [nb.stem for nb in report_notebooks()]
    for stem in keys:
        assert (folder / f"{stem}.html").is_file(), stem
        assert (folder / f"{stem}.ipynb").is_file(), stem
    manifest = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "ok"
    assert manifest["parameters"]["lang"] == "zh"
    assert re.fullmatch(r"\d{4}-\d{2}", manifest["parameters"]["period"])
    assert manifest["inputs"], "run.json lists the input files"
    for entry in manifest["inputs"]:
        assert len(entry["sha256"]) == 64
        assert entry["rows_read"] == entry["rows_loaded"] + entry["rows_reported"]
    assert {"pandas", "papermill", "analysis"} <= set(manifest["versions"])
    assert set(manifest["data_quality"]) == {"errors", "warnings", "info"}


def test_reports_are_self_contained_and_hide_code(published) -> None:
    for html_file in published.folder.glob("*.html"):
        text = html_file.read_text(encoding="utf-8")
        assert not EXTERNAL.search(text), f"{html_file.name} loads something from the network"
        assert "from analysis" not in text, f"{html_file.name} shows code"
        assert "Traceback" not in text, f"{html_file.name} shows a traceback"


def test_landing_page_has_chinese_headings_and_links(published) -> None:
    text = (published.folder / "index.html").read_text(encoding="utf-8")
    assert "客服运营分析工作簿" in text
    assert "数据质量" in text
    for nb in report_notebooks():
        assert f'href="{nb.stem}.html"' in text


def test_data_quality_csv_has_the_contract_columns(published) -> None:
    path = published.folder / "data_quality.csv"
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    dq = pd.read_csv(path, encoding="utf-8-sig")
    assert list(dq.columns) == [
        "severity",
        "code",
        "file",
        "sheet",
        "row",
        "column",
        "value",
        "message",
    ]
    assert set(dq["severity"].dropna()) <= {"error", "warning", "info"}


def test_service_report_shows_the_sample_facts(published) -> None:
    """服务质量月报 on the sample: the designed facts of data/sample/README.md, on the page and in
    the exports (the generator asserts the same facts through the loader and the KPI rules)."""
    folder: Path = published.folder
    raw = (folder / "40_service.html").read_text(encoding="utf-8")
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", raw))
    assert "服务质量月报 · 2026-10" in page
    assert "3 日结案率未达标：92.3 %，目标 ≥ 100 %" in page
    assert "售后技能组满意度 78.8 %，未达目标 ≥ 80 %" in page
    assert "TS202610010" in page and "周投诉统计" in page
    kpis = pd.read_csv(folder / "service_kpis.csv", encoding="utf-8-sig")
    months = kpis[kpis["level"] == "all"].set_index("period")
    assert months.index.tolist() == ["2026-07", "2026-08", "2026-09", "2026-10"]
    assert months["offered"].tolist() == [55767, 61446, 55316, 53439]
    assert (months["answer_rate"] < 0.90).tolist() == [False, True, False, False]
    intervals = pd.read_csv(folder / "service_intervals.csv", encoding="utf-8-sig")
    assert list(intervals.columns[:10]) == [
        "date", "interval_start", "queue", "offered", "answered", "abandoned", "asa_s", "aht_s",
        "required_agents", "agents_logged_in",
    ]  # fmt: skip
    volumes = pd.read_csv(
        Path(__file__).parents[1] / "data" / "sample" / "staffing" / "来电量_2026-10.csv"
    )
    per_interval = intervals.groupby(["date", "interval_start"])["offered"].sum()
    assert per_interval.tolist() == volumes["来电量"].tolist()
    assert (folder / "service.xlsx").is_file()
    # 下月话务预测: November from the 4 complete weeks 09-28 … 10-25; the backtest of October
    # (from 08-31 … 09-27) misses the 国庆 holiday week, which the baseline does not model.
    assert "下月话务预测" in page and "2026-09-28 至 2026-10-25" in page
    assert "上月预测误差 WAPE 18.1 %，MAPE 23.3 %" in page
    fc = pd.read_csv(folder / "service_forecast.csv", encoding="utf-8-sig")
    assert list(fc.columns) == ["date", "interval_start", "queue", "forecast", "required_agents"]
    assert fc["date"].nunique() == 30 and set(fc["date"].str[:7]) == {"2026-11"}
    assert fc["forecast"].sum() == 51096.75 and fc["required_agents"].max() == 18
