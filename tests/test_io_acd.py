"""Per-agent ACD summaries (ViciDial-like) in calls/: recognised by content, checked, exact."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis import config
from analysis.io.folder import load_all
from analysis.schema import ACD_COLUMNS

HEADER = (
    "USER NAME,ID,CALLS,TIME,PAUSE,WAIT,TALK,DISPO,DEAD,CUSTOMER,"
    "TOTAL INBOUND CALLS,TOTAL OUTBOUND CALLS"
)
ROWS = [
    "Ann Lee,101,10,9:00:21,01:34:23,0:2:3,4:49:13,0:04:42,0:16:13,4:30:00,9,1",
    "Bo Chen,102,12,25:10:00,2:05:25,1:28:24,5:22:53,0:06:47,0:08:30,4:32:60,10,1",
    "Cy Wu,103,5,8:00:00,0:30:00,0:10:00,3:00:00,0:01:00,0:00:30,2:59:30,0,5",
    "TOTAL,,27,42:10:21,,,,,,,,",
]


def _folder(tmp: Path, name: str, rows=None, header: str = HEADER, config_toml: str = "") -> Path:
    folder = tmp / "d"
    (folder / "calls").mkdir(parents=True, exist_ok=True)
    text = "\n".join([header, *(ROWS if rows is None else rows)]) + "\n"
    (folder / "calls" / name).write_text(text, encoding="utf-8")
    if config_toml:
        (folder / "config.toml").write_text(config_toml, encoding="utf-8")
    return folder


def _load(folder: Path, tmp: Path):
    return load_all(folder, config.load_config(folder), cache_dir=tmp / "cache", lang="en")


def test_acd_values_exact(tmp_path: Path) -> None:
    ds = _load(_folder(tmp_path, "acd_2026-10.csv"), tmp_path)
    assert ds.calls == ()  # a summary is not a call log
    acd = ds.acd
    assert list(acd.columns) == ACD_COLUMNS
    assert acd["agent_id"].tolist() == ["101", "102", "103"]
    assert acd["name"].tolist() == ["Ann Lee", "Bo Chen", "Cy Wu"]
    assert acd["period"].eq("2026-10").all() and acd["date"].isna().all()
    assert acd["calls"].tolist() == [10.0, 12.0, 5.0]
    assert acd["inbound"].tolist() == [9.0, 10.0, 0.0]
    assert acd["outbound"].tolist() == [1.0, 1.0, 5.0]
    # Mixed padding (0:2:3) and over 24 h (25:10:00) read as written.
    assert acd["login_s"].tolist() == [32421.0, 90600.0, 28800.0]
    assert acd["wait_s"].tolist() == [123.0, 5304.0, 600.0]
    assert acd["talk_s"].tolist() == [17353.0, 19373.0, 10800.0]
    assert acd["pause_s"].tolist() == [5663.0, 7525.0, 1800.0]
    assert acd["wrap_s"].tolist() == [282.0, 407.0, 60.0]
    assert acd["source_row"].tolist() == [2, 3, 4]
    r = ds.inputs.iloc[0]
    assert (r["layout"], r["period"], r["rows_read"], r["rows_loaded"]) == (
        "agent_daily",
        "2026-10",
        4,
        3,
    )
    assert (r["rows_total"], r["rows_rejected"]) == (1, 0)
    assert "file name" in r["note"] and "login time" in r["note"]


def test_acd_faults_reported(tmp_path: Path) -> None:
    ds = _load(_folder(tmp_path, "acd_2026-10.csv"), tmp_path)
    got = {
        (d.code, int(d.row), d.column, d.value)
        for d in ds.dq.itertuples()
        if pd.notna(d.row) and d.code != "encoding"
    }
    assert got == {
        ("bad_duration", 3, "CUSTOMER", "4:32:60"),  # reported, not guessed
        ("acd_calls_mismatch", 3, "CALLS", "12"),  # 12 ≠ 10 + 1
        ("total_row", 5, "", "TOTAL"),
    }
    msg = ds.dq.loc[ds.dq["code"] == "acd_calls_mismatch", "message"].iloc[0]
    assert "inbound 10" in msg and "outbound 1" in msg


def test_acd_period_pinned_or_missing(tmp_path: Path) -> None:
    pin = '[[read]]\nfile = "calls/agents.csv"\nperiod = "2026-09"\n'
    ds = _load(_folder(tmp_path / "a", "agents.csv", config_toml=pin), tmp_path / "a")
    assert ds.acd["period"].eq("2026-09").all()
    assert "month from config" in ds.inputs.iloc[0]["note"]
    ds = _load(_folder(tmp_path / "b", "agents.csv"), tmp_path / "b")
    assert ds.acd["period"].eq("").all()
    assert "no period" in ds.inputs.iloc[0]["note"]
    assert ds.dq["code"].eq("acd_no_period").sum() == 1


def test_acd_daily_dates_give_period(tmp_path: Path) -> None:
    header = "日期,坐席工号,姓名,通话量,呼入量,呼出量,通话时长"
    rows = ["2026-11-02,kf01,张三,3,2,1,0:10:00", "2026-11-03,kf01,张三,4,4,0,1:00:00"]
    ds = _load(_folder(tmp_path, "daily.csv", rows=rows, header=header), tmp_path)
    assert ds.acd["date"].tolist() == [pd.Timestamp("2026-11-02"), pd.Timestamp("2026-11-03")]
    assert ds.acd["period"].tolist() == ["2026-11", "2026-11"]
    assert ds.acd["agent_id"].tolist() == ["KF01", "KF01"]
    assert ds.acd["talk_s"].tolist() == [600.0, 3600.0]
    assert ds.periods["acd"] == ["2026-11"]


def test_vicidial_realworld(tmp_path: Path, realworld_dir: Path) -> None:
    name = "en_vicidial_agent_daily_performance.xlsx"
    folder = tmp_path / "d" / "calls"
    folder.mkdir(parents=True)
    (folder / name).write_bytes((realworld_dir / name).read_bytes())
    ds = _load(tmp_path / "d", tmp_path)
    acd = ds.acd
    assert len(acd) == 23
    assert (acd["calls"] == acd["inbound"] + acd["outbound"]).all()
    assert not ds.dq["code"].eq("acd_calls_mismatch").any()
    bad = ds.dq[ds.dq["code"] == "bad_duration"]
    assert [(int(r.row), r.column, r.value) for r in bad.itertuples()] == [
        (2, "CUSTOMER", "4:32:60")
    ]
    # Durations over 12 h read as written: Srashti Kushwaha's TIME 18:39:20.
    row = acd[acd["source_row"] == 24].iloc[0]
    assert row["login_s"] == 18 * 3600 + 39 * 60 + 20
    assert row["wait_s"] == 11 * 3600 + 30 * 60 + 34
    assert ds.inputs.iloc[0]["layout"] == "agent_daily"


def test_acd_durations_in_the_unit_their_header_names(tmp_path: Path) -> None:
    """Plain numbers under "Talk (min)" or "登录时长(分钟)" are minutes, as in a call log (one rule,
    call_rules.duration_factor): read as seconds they made occupancy 60 × too small in silence."""
    header = "工号,姓名,通话量,呼入量,呼出量,登录时长(分钟),通话时长(分钟),暂停时长(秒)"
    rows = ["201,甲,40,30,10,480,300,1800", "202,乙,20,20,0,240.5,90,0"]
    ds = _load(_folder(tmp_path, "坐席汇总_2026-11.csv", rows, header), tmp_path)
    acd = ds.acd
    assert acd["login_s"].tolist() == [28800.0, 14430.0]
    assert acd["talk_s"].tolist() == [18000.0, 5400.0]
    assert acd["pause_s"].tolist() == [1800.0, 0.0]
    assert "分钟" in ds.inputs.iloc[0]["note"] and "minutes" in ds.inputs.iloc[0]["note"]
