"""ACD summaries per agent (the switch's totals, e.g. ViciDial): the month's sums, occupancy, the
calls = inbound + outbound check said when it holds, and the section of 服务质量月报 with no call
log at all. Exact values on a hand-made summary; the real ViciDial export at the end."""

from __future__ import annotations

import math
import types
from pathlib import Path

import pandas as pd
import pytest

from analysis.config import load_defaults
from analysis.service import acd
from analysis.views import service as sv

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "realworld"


def frame(rows: list[dict]) -> pd.DataFrame:
    base = {"period": "2026-10", "date": pd.NaT, "name": None, "calls": None, "inbound": None,
            "outbound": None, "login_s": None, "talk_s": None, "wait_s": None, "pause_s": None,
            "wrap_s": None, "source_file": "calls/acd.xlsx", "source_sheet": "S",
            "source_row": 2}  # fmt: skip
    df = pd.DataFrame([{**base, **r} for r in rows])
    df["date"] = pd.to_datetime(df["date"])
    for c in ("calls", "inbound", "outbound", "login_s", "talk_s", "wait_s", "pause_s", "wrap_s"):
        df[c] = pd.to_numeric(df[c]).astype("float64")
    return df


ROWS = [
    # agent 7: two days; 8 h logged in, 1 h paused, 4.5 h talk, 0.5 h wrap → 5 ÷ 7
    dict(agent_id="7", name="Li", date="2026-10-01", calls=50, inbound=40, outbound=10,
         login_s=4 * 3600, pause_s=1800, talk_s=2 * 3600 + 1800, wrap_s=900),
    dict(agent_id="7", name="Li", date="2026-10-02", calls=30, inbound=30, outbound=0,
         login_s=4 * 3600, pause_s=1800, talk_s=2 * 3600, wrap_s=900),
    # agent 9: the export says 12 calls but 5 + 5 (a mismatch); never available → no occupancy
    dict(agent_id="9", name="Wu", date="2026-10-01", calls=12, inbound=5, outbound=5,
         login_s=600, pause_s=600, talk_s=0, wrap_s=0),
    # another month: never in October's figures
    dict(agent_id="7", name="Li", period="2026-09", date="2026-09-30", calls=99, inbound=99,
         outbound=0, login_s=3600, pause_s=0, talk_s=3600, wrap_s=0),
]  # fmt: skip


def test_month_sums_and_occupancy_per_agent() -> None:
    s = acd.summary(frame(ROWS), "2026-10")
    assert list(s.columns) == acd.SUMMARY_COLUMNS
    li = s[s["agent_id"] == "7"].iloc[0]
    assert (li["days"], li["calls"], li["inbound"], li["outbound"]) == (2, 80, 70, 10)
    assert li["login_s"] == 8 * 3600 and li["pause_s"] == 3600
    assert math.isclose(li["occupancy"], (4.5 * 3600 + 1800) / (7 * 3600))
    wu = s[s["agent_id"] == "9"].iloc[0]
    assert wu["calls"] == 12 and pd.isna(wu["occupancy"])
    assert acd.calls_add_up(frame(ROWS), "2026-10") == (3, 2)
    assert acd.summary(frame(ROWS), "2026-08").empty


def test_the_report_shows_the_summary_without_any_call_log(tmp_path: Path) -> None:
    ds = types.SimpleNamespace(calls=(), complaints=None, roster=pd.DataFrame(), acd=frame(ROWS),
                               latest_period=None, periods={"acd": ["2026-09", "2026-10"]})  # fmt: skip
    view = sv.build(ds, load_defaults(), "", "zh")
    assert view.period == "2026-10" and not view.has_data
    assert view.acd_lines == ["2 名坐席，共 92 通电话。",
                              "核对：3 行中 1 行的通话数不等于呼入 + 呼出（见数据质量列表）。"]  # fmt: skip
    html = view.acd_table.html()
    assert "占用率" in html and "71.4 %" in html and "登录（小时）" in html and "8.0" in html
    sv.write_exports(view, tmp_path)
    out = pd.read_csv(tmp_path / sv.ACD_CSV)
    assert out["calls"].tolist() == [80, 12]
    en = sv.build(ds, load_defaults(), "2026-10", "en")
    assert en.acd_lines[0] == "2 agents, 92 calls in all."


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/realworld is not beside the project")
def test_vicidial_export_summarised_and_checked() -> None:
    from analysis.io.api import read_one

    cfg = {**load_defaults(), "read": [{"file": "calls/*", "period": "2026-10"}]}
    ds = read_one(SHARED / "en_vicidial_agent_daily_performance.xlsx", "calls", cfg)
    s = acd.summary(ds.acd, "2026-10")
    assert len(s) == 23 and s["calls"].sum() == s["inbound"].sum() + s["outbound"].sum()
    assert acd.calls_add_up(ds.acd, "2026-10") == (23, 23)
    assert s["occupancy"].dropna().between(0, 1).all()
