"""The landing page's verdicts: the words and colours a manager reads first, and the proof that
its figures are the report pages' figures (on the sample run)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd
import pytest

from analysis.budget import VARIANCE_COLUMNS
from analysis.config import load_defaults
from analysis.run.landing import (
    budget_verdict,
    bulletin_verdict,
    report_files,
    staffing_verdict,
)


def _line(dept: str, cat: str, plan_ytd: float, actual_ytd: float, status: str) -> dict:
    return {
        "period": "2025-03", "department": dept, "category": cat, "item": "",
        "plan": plan_ytd / 3, "actual": actual_ytd / 3, "variance": (actual_ytd - plan_ytd) / 3,
        "variance_pct": 0.0, "execution_rate": 0.0, "plan_ytd": plan_ytd,
        "actual_ytd": actual_ytd, "variance_ytd": actual_ytd - plan_ytd,
        "variance_ytd_pct": 0.0, "plan_full_year": plan_ytd * 4,
        "forecast_full_year": plan_ytd * 3 + actual_ytd, "status": status,
    }  # fmt: skip


def _budget_csv(folder: Path, rows: list[dict]) -> None:
    frame = pd.DataFrame(rows)[[c for c in VARIANCE_COLUMNS if c in rows[0]]]
    frame.to_csv(folder / "budget_variance.csv", index=False, encoding="utf-8-sig")


def test_budget_verdict_names_status_overspends_and_time_elapsed(tmp_path: Path) -> None:
    _budget_csv(
        tmp_path,
        [
            _line("售后部", "外包费", 3000.0, 4800.0, "over"),
            _line("售后部", "差旅费", 2000.0, 2600.0, "over"),
            _line("培训部", "教材", 9000.0, 9000.0, "on_track"),
        ],
    )
    v = budget_verdict(tmp_path, "zh", load_defaults())
    assert v is not None
    assert (v["word"], v["tone"]) == ("超支", "over")
    facts = {f["key"] or f["label"]: f["value"] for f in v["facts"]}
    assert facts["n_over"] == "2"
    assert facts["超支最多"].startswith("售后部 · 外包费") and "+1,800.00" in facts["超支最多"]
    assert facts["execution_rate_ytd"] == "117.1 % / 25.0 %"  # March: a quarter of the year
    assert facts["actual_ytd"] == "16,400.00 元 / 14,000.00 元"
    en = budget_verdict(tmp_path, "en", load_defaults())
    assert en is not None and en["word"] == "Over"


def test_budget_verdict_under_plan_is_green_and_names_no_overspend(tmp_path: Path) -> None:
    _budget_csv(tmp_path, [_line("Ops", "Rent", 9000.0, 6000.0, "under")])
    v = budget_verdict(tmp_path, "en", load_defaults())
    assert v is not None and (v["word"], v["tone"]) == ("Under", "under")
    assert [f for f in v["facts"] if f["label"] == "Largest overspend"] == []


def test_budget_verdict_absent_without_the_csv(tmp_path: Path) -> None:
    assert budget_verdict(tmp_path, "zh", load_defaults()) is None


def test_bulletin_verdict_names_first_and_last_per_role(tmp_path: Path) -> None:
    pd.DataFrame(
        {
            "role": ["aftersales", "aftersales", "aftersales", "presales"],
            "name": ["王五", "赵六", "钱七", "孙八"],
            "total": [101.5, 77.0, 90.0, 88.0],
            "rank": [1, 3, 2, 1],
            "status": ["scored"] * 4,
        }
    ).to_csv(tmp_path / "scorecards.csv", index=False, encoding="utf-8-sig")
    heads = [{"label": "红线", "value": "1"}, {"label": "整改", "value": "0"}]
    v = bulletin_verdict(tmp_path, "zh", heads)
    assert v is not None and v["tone"] == "warn"
    facts = {f["label"]: f for f in v["facts"]}
    assert facts["售后专员"]["value"] == "第一 王五 (101.5) · 末位 赵六 (77)"
    assert facts["售前专员"]["value"] == "第一 孙八 (88) · 末位 孙八 (88)"
    assert (facts["红线"]["value"], facts["红线"]["tone"]) == ("1", "over")
    assert facts["整改"]["tone"] is None


def test_staffing_verdict_recommends_one_figure_and_names_the_method() -> None:
    heads = [
        {"label": "建议人数", "value": "41", "sub": "按话务量测算（Erlang C）"},
        {"label": "人员缺口", "value": "-14", "sub": "花名册一线 27 人", "tone": "over"},
        {"label": "峰值在线座席", "value": "19"},
        {"label": "另一方法（参考）", "value": "15", "sub": "按用户数测算"},
    ]
    v = staffing_verdict("zh", heads)
    assert v is not None and (v["word"], v["tone"]) == ("缺 14 人", "over")
    facts = {f["label"]: f["value"] for f in v["facts"]}
    assert facts["建议人数"] == "41"
    assert "Erlang C" in facts["测算方法"]
    assert "15" in facts["另一方法"]
    assert staffing_verdict("en", [{"label": "Peak agents", "value": "15"}]) is None


def test_report_files_lists_only_published_files(tmp_path: Path) -> None:
    (tmp_path / "budget.xlsx").write_bytes(b"x")
    assert report_files(tmp_path, "budget") == ["budget.xlsx"]
    assert report_files(tmp_path, "unknown") == []


def _visible(path: Path) -> str:
    """A page's text without tags, scripts and styles, whitespace squeezed."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return re.sub(r"\s+", " ", text)


def _tiles(path: Path) -> dict[str, str]:
    """label → value of a report page's headline tiles."""
    raw = path.read_text(encoding="utf-8")
    pairs = re.findall(
        r'<div class="label">(.*?)</div><div class="value">(.*?)</div>', raw, flags=re.S
    )
    return {html.unescape(k): html.unescape(v) for k, v in pairs}


def _landing_facts(path: Path) -> dict[str, str]:
    raw = path.read_text(encoding="utf-8")
    pairs = re.findall(
        r'data-key="([\w.]+)"><span>.*?</span><span class="v">(.*?)</span>', raw, flags=re.S
    )
    return {k: html.unescape(v) for k, v in pairs}


@pytest.mark.slow
@pytest.mark.xdist_group("published")
def test_landing_figures_equal_the_report_pages(published) -> None:
    folder: Path = published.folder
    facts = _landing_facts(folder / "index.html")
    budget_page, score_page = _visible(folder / "10_budget.html"), folder / "20_scorecards.html"
    for key in ("budget.actual_ytd", "budget.actual"):
        for figure in facts[key].split(" / "):
            assert figure in budget_page, f"{key}: {figure} is not on the budget page"
    rate = facts["budget.execution_rate_ytd"].split(" / ")[0]
    assert rate in budget_page
    table = pd.read_csv(folder / "budget_variance.csv", encoding="utf-8-sig")
    assert int(facts["budget.n_over"]) == int(
        table["status"].isin(["over", "revenue_under", "unbudgeted"]).sum()
    )
    tiles = _tiles(score_page)
    for key, label in (
        ("r_tile_red", "红线"),
        ("r_to_check", "待核实"),
        ("r_tile_improve", "整改"),
    ):
        assert facts[f"scorecards.{key}"] == tiles[label]
    score_text = _visible(score_page)
    for role in ("presales", "aftersales"):
        names = re.findall(r"(?:第一|末位) (\S+) \(([\d.]+)\)", facts[f"scorecards.first_{role}"])
        assert len(names) == 2
        for name, score in names:
            assert re.search(rf"{re.escape(name)}.{{0,400}}{re.escape(score)}", score_text)
    staffing = _tiles(folder / "30_staffing.html")
    assert facts["staffing.recommended"] == staffing["建议人数"]
    assert facts["staffing.gap"] == staffing["人员缺口"]
    assert facts["staffing.roster"] in _visible(folder / "30_staffing.html")
