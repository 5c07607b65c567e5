"""Call logs in calls/: every format and fault the loader handles, with exact values."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from analysis import config
from analysis.io import load_calls
from analysis.io.api import read_one
from analysis.io.errors import InputError
from analysis.io.folder import load_all
from analysis.io.snapshot import read_snapshot, write_snapshot
from analysis.schema import CALL_COLUMNS

HEADER = "通话编号,呼入时间,技能组,坐席工号,呼叫结果,排队时长,通话时长,保持时长,话后处理,满意度,是否解决,主叫号码"
ROWS = [
    "C1,2026-03-02 08:59:58,售前,kf 0201,接通,12,0:05:07,01:10,30,非常满意,是,138-0000-1111",
    "C2,2026-03-02 09:00:03,售前,,放弃,4,,,,,,13800001111",
    "C3,2026/3/2 23:59:30,售后,KF0202,已接通,65,1:02:03,,15,3,否,13900002222",
    "C4,,售后,KF0202,接通,5,0:01:00,,,,,13900002222",
    "C5,2026-03-03 10:00:00,售后,KF0203,接通,8,4:32:60,,,,,13900003333",
    "C6,2026-03-03 10:05:00,售后,KF0203,也许,8,0:02:00,,,,,13900003333",
    "C7,2026-03-03 10:06:00,售后,KF0203,未接通,30,,,,,,",
    "C8,2026-03-03 10:07:00,售后,KF0203,接通,9,0:03:00,,,7,是,13900004444",
    "以上为测试数据,,,,,,,,,,,",
]


def _cfg() -> dict:
    return config.load_config()


def _csv(folder: Path, name: str = "log.csv", encoding: str = "utf-8", rows=None) -> Path:
    path = folder / "calls" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "\n".join([HEADER, *(ROWS if rows is None else rows)]) + "\n", encoding=encoding
    )
    return path


def _part(ds) -> pd.DataFrame:
    assert len(ds.calls) == 1
    return pd.read_parquet(ds.calls[0]).sort_values("source_row").reset_index(drop=True)


def _load(folder: Path, tmp: Path, **kw):
    return load_all(folder, _cfg(), cache_dir=tmp / "cache", lang="en", **kw)


def test_csv_values_exact(tmp_path: Path) -> None:
    _csv(tmp_path / "d")
    ds = _load(tmp_path / "d", tmp_path)
    p = _part(ds)
    assert list(p.columns) == CALL_COLUMNS
    assert p["call_id"].tolist() == ["C1", "C2", "C3", "C7", "C8"]
    assert p["source_row"].tolist() == [2, 3, 4, 8, 9]
    assert p["start"].tolist() == [
        pd.Timestamp("2026-03-02 08:59:58"),
        pd.Timestamp("2026-03-02 09:00:03"),
        pd.Timestamp("2026-03-02 23:59:30"),
        pd.Timestamp("2026-03-03 10:06:00"),
        pd.Timestamp("2026-03-03 10:07:00"),
    ]
    assert p["answered"].tolist() == [True, False, True, False, True]
    # Agent IDs spelled one way; null when not answered.
    assert p["agent_id"].fillna("-").tolist() == ["KF0201", "-", "KF0202", "-", "KF0203"]
    assert p["direction"].eq("in").all()
    assert p["wait_s"].tolist() == [12.0, 4.0, 65.0, 30.0, 9.0]
    assert p["talk_s"].fillna(-1).tolist() == [307.0, -1, 3723.0, -1, 180.0]
    assert p["hold_s"].fillna(-1).tolist() == [70.0, -1, -1, -1, -1]
    assert p["wrap_s"].fillna(-1).tolist() == [30.0, -1, 15.0, -1, -1]
    # 7 is outside the 5-point scale: reported, loaded without a rating.
    assert p["rating"].fillna(-1).tolist() == [5.0, -1, 3.0, -1, -1]
    assert p["resolved"].tolist()[:3] == [True, None, False]
    # The same caller written two ways is one key; the number itself is not stored.
    assert p["caller_key"].iloc[0] == p["caller_key"].iloc[1]
    assert p["caller_key"].iloc[2] != p["caller_key"].iloc[0]
    assert pd.isna(p["caller_key"].iloc[3])
    assert str(pq.read_schema(ds.calls[0]).field("caller_key").type) == "int64"


def test_csv_faults_reported(tmp_path: Path) -> None:
    _csv(tmp_path / "d")
    ds = _load(tmp_path / "d", tmp_path)
    dq = ds.dq[ds.dq["file"] == "calls/log.csv"]
    got = {(r.code, int(r.row), r.column, r.value) for r in dq.itertuples() if pd.notna(r.row)}
    assert got == {
        ("call_no_start", 5, "呼入时间", ""),
        ("call_bad_duration", 6, "通话时长", "4:32:60"),
        ("bad_answered", 7, "呼叫结果", "也许"),
        ("bad_rating", 9, "满意度", "7"),
        ("note_row", 10, "", ""),
    }
    r = ds.inputs.set_index("file").loc["calls/log.csv"]
    assert (r["layout"], r["rows_read"], r["rows_loaded"]) == ("call_log", 9, 5)
    assert (r["rows_note"], r["rows_rejected"], r["rows_reported"]) == (1, 3, 4)
    assert r["period"] == "2026-03"
    assert "not guessed" in dq.loc[dq["code"] == "call_bad_duration", "message"].iloc[0]


def test_gbk_csv_reads_like_utf8(tmp_path: Path) -> None:
    _csv(tmp_path / "u")
    _csv(tmp_path / "g", encoding="gbk")
    a = _part(_load(tmp_path / "u", tmp_path / "cu"))
    b = _part(_load(tmp_path / "g", tmp_path / "cg"))
    pd.testing.assert_frame_equal(a, b)


def test_streamed_csv_same_as_grid(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [*ROWS[:-1], "", ROWS[-1]]  # a blank line before the footer note
    _csv(tmp_path / "a", rows=rows)
    grid = _load(tmp_path / "a", tmp_path / "ca")
    monkeypatch.setattr(load_calls, "STREAM_BYTES", 10)
    streamed = _load(tmp_path / "a", tmp_path / "cb")
    pd.testing.assert_frame_equal(_part(grid), _part(streamed))
    key = ["code", "row", "column", "value"]
    a = grid.dq[key].sort_values(["row"]).reset_index(drop=True)
    b = streamed.dq[key].sort_values(["row"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(a[a["code"] != "encoding"], b[b["code"] != "encoding"])
    assert int(b.loc[b["code"] == "note_row", "row"].iloc[0]) == 11
    ra = grid.inputs.iloc[0]
    rb = streamed.inputs.iloc[0]
    assert (ra["rows_read"], ra["rows_loaded"]) == (rb["rows_read"], rb["rows_loaded"]) == (9, 5)
    assert "streamed CSV" in rb["note"]


def test_streamed_gbk_with_title_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A GBK export with a title and a blank line above the header, streamed: same calls and
    rows as the grid reader gives."""
    folder = tmp_path / "a" / "calls"
    folder.mkdir(parents=True)
    text = "\n".join(["呼入明细 2026年3月,,,,,,,,,,,", "", HEADER, *ROWS]) + "\n"
    (folder / "t.csv").write_bytes(text.encode("gbk"))
    grid = _load(tmp_path / "a", tmp_path / "ca")
    monkeypatch.setattr(load_calls, "STREAM_BYTES", 10)
    streamed = _load(tmp_path / "a", tmp_path / "cb")
    a, b = _part(grid), _part(streamed)
    pd.testing.assert_frame_equal(a, b)
    assert a["source_row"].tolist() == [4, 5, 6, 10, 11]
    assert streamed.inputs.iloc[0]["header_rows"] == "3"


def test_streamed_csv_rows_after_a_short_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A note line inside a streamed file: the calls below it keep their own line numbers."""
    rows = [ROWS[0], "以下为补录", ROWS[2], "", ROWS[7]]
    _csv(tmp_path / "a", rows=rows)
    monkeypatch.setattr(load_calls, "STREAM_BYTES", 10)
    ds = _load(tmp_path / "a", tmp_path)
    p = _part(ds)
    assert p["call_id"].tolist() == ["C1", "C3", "C8"]
    assert p["source_row"].tolist() == [2, 4, 6]
    note = ds.dq[ds.dq["code"] == "note_row"]
    assert note["row"].tolist() == [3]


def test_xlsx_date_time_columns_and_excel_fractions(tmp_path: Path) -> None:
    """Date as text, Time as an Excel time cell, talk as an Excel time fraction number, wait as
    a time cell over an hour; no answered column: answered when an agent is named."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "三月"
    ws.append(["Call Id", "Date", "Time", "Agent", "Wait", "Talk", "Satisfaction rating"])
    ws.append(["A1", "2026-03-05", dt.time(9, 15, 30), "Becky", dt.time(0, 0, 20), 0.0625, 4])
    ws.append(["A2", "2026-03-05", dt.time(9, 16, 0), None, dt.time(1, 2, 3), None, None])
    ws.append(
        ["A3", "2026-03-06", dt.time(23, 59, 59), "Joe", dt.time(0, 1, 0), 0.5, "Very satisfied"]
    )
    (tmp_path / "d" / "calls").mkdir(parents=True)
    wb.save(tmp_path / "d" / "calls" / "march.xlsx")
    ds = _load(tmp_path / "d", tmp_path)
    p = _part(ds)
    assert p["start"].tolist() == [
        pd.Timestamp("2026-03-05 09:15:30"),
        pd.Timestamp("2026-03-05 09:16:00"),
        pd.Timestamp("2026-03-06 23:59:59"),
    ]
    assert p["answered"].tolist() == [True, False, True]
    assert p["agent_id"].fillna("-").tolist() == ["BECKY", "-", "JOE"]
    assert p["wait_s"].tolist() == [20.0, 3723.0, 60.0]
    assert p["talk_s"].iloc[0] == 5400.0 and p["talk_s"].iloc[2] == 43200.0
    assert p["rating"].iloc[0] == 4.0 and p["rating"].iloc[2] == 5.0
    assert p["source_sheet"].eq("三月").all()
    note = ds.inputs.iloc[0]["note"]
    assert "Excel day fractions" in note and "answered: agent named" in note


def test_workbook_of_month_sheets_is_one_part(tmp_path: Path) -> None:
    """A workbook with a call sheet per month and an ACD summary sheet: one part with the calls
    of both months (each row naming its sheet), the summary in Dataset.acd."""
    wb = openpyxl.Workbook()
    jan = wb.active
    jan.title = "1月"
    jan.append(["呼入时间", "坐席工号", "是否接通"])
    jan.append(["2026-01-05 10:00:00", "KF1", "是"])
    feb = wb.create_sheet("2月")
    feb.append(["呼入时间", "坐席工号", "是否接通"])
    feb.append(["2026-02-05 10:00:00", None, "否"])
    feb.append(["2026-02-06 10:00:00", "KF2", "是"])
    acd = wb.create_sheet("坐席汇总 2026-02")
    acd.append(["坐席工号", "通话量", "呼入量", "呼出量"])
    acd.append(["KF2", 1, 1, 0])
    (tmp_path / "d" / "calls").mkdir(parents=True)
    wb.save(tmp_path / "d" / "calls" / "q1.xlsx")
    ds = _load(tmp_path / "d", tmp_path)
    p = _part(ds).sort_values("start")
    assert p["source_sheet"].tolist() == ["1月", "2月", "2月"]
    assert p["answered"].tolist() == [True, False, True]
    assert ds.acd["agent_id"].tolist() == ["KF2"] and ds.acd["period"].tolist() == ["2026-02"]
    assert ds.inputs["layout"].tolist() == ["call_log", "call_log", "agent_daily"]
    assert ds.periods["calls"] == ["2026-01", "2026-02"]


def test_parquet_log(tmp_path: Path) -> None:
    folder = tmp_path / "d" / "calls"
    folder.mkdir(parents=True)
    table = pa.table(
        {
            "call_id": ["P1", "P2", "P3"],
            "start_time": pa.array(
                [dt.datetime(2026, 4, 1, 8, 0), dt.datetime(2026, 4, 1, 8, 1), None],
                type=pa.timestamp("us"),
            ),
            "queue": ["A", "B", "A"],
            "agent_id": ["kf1", None, "kf2"],
            "wait_s": [3, 40, 5],
            "talk_s": [100.5, None, 10.0],
            "answered": [1, 0, 1],
        }
    )
    pq.write_table(table, folder / "april.parquet")
    ds = _load(tmp_path / "d", tmp_path)
    p = _part(ds)
    assert p["call_id"].tolist() == ["P1", "P2"]
    assert p["answered"].tolist() == [True, False]
    assert p["wait_s"].tolist() == [3.0, 40.0]
    assert p["talk_s"].iloc[0] == 100.5
    assert p["source_row"].tolist() == [1, 2]
    bad = ds.dq[ds.dq["code"] == "call_no_start"]
    assert bad["row"].tolist() == [3]


def test_serial_dates_fractions_minutes_direction(tmp_path: Path) -> None:
    """Excel serial dates and day-fraction times written out as numbers, 1/0 answered, a
    minutes header, and a direction column (outbound kept and marked, an unknown one refused)."""
    folder = tmp_path / "d" / "calls"
    folder.mkdir(parents=True)
    (folder / "s.csv").write_text(
        "Date,Time,Agent,Answered,Talk (min),Direction\n"
        "46083,0.375,kf1,1,2.5,呼入\n"
        "46083,0.75,kf2,0,,outbound\n"
        "46084,0.5,kf3,1,1,sideways\n",
        encoding="utf-8",
    )
    ds = _load(tmp_path / "d", tmp_path)
    p = _part(ds)
    assert p["start"].tolist() == [
        pd.Timestamp("2026-03-02 09:00"),
        pd.Timestamp("2026-03-02 18:00"),
    ]
    assert p["answered"].tolist() == [True, False]
    assert p["direction"].tolist() == ["in", "out"]
    assert p["talk_s"].iloc[0] == 150.0
    bad = ds.dq[ds.dq["code"] == "bad_direction"]
    assert (bad["row"].tolist(), bad["value"].tolist()) == ([4], ["sideways"])
    assert "Talk (min): minutes (header)" in ds.inputs.iloc[0]["note"]


def test_overlapping_logs_warned(tmp_path: Path) -> None:
    """A month file and a copy of part of it under another name: both are loaded (they are not
    identical files) and the overlap is said, with both files and the span."""
    _csv(tmp_path / "d", "march.csv")
    _csv(tmp_path / "d", "march_part.csv", rows=ROWS[2:3])
    ds = _load(tmp_path / "d", tmp_path)
    assert len(ds.calls) == 2
    w = ds.dq[ds.dq["code"] == "calls_overlap"]
    assert w["file"].tolist() == ["calls/march_part.csv"] and w["value"].tolist() == [
        "calls/march.csv"
    ]
    assert "2026-03-02 23:59 to 2026-03-02 23:59" in w["message"].iloc[0]


def test_date_time_columns_faults_name_their_column(tmp_path: Path) -> None:
    folder = tmp_path / "d" / "calls"
    folder.mkdir(parents=True)
    (folder / "x.csv").write_text(
        "日期,时间,坐席工号\n2026-03-02,09:00:00,KF1\n2026-03-02,,KF1\n,09:00,KF1\n"
        "2026-03-02,25:00,KF1\n2026-02-30,09:00,KF1\n",
        encoding="utf-8",
    )
    ds = _load(tmp_path / "d", tmp_path)
    got = [(r.code, int(r.row), r.column) for r in ds.dq.itertuples() if pd.notna(r.row)]
    assert got == [
        ("call_no_start", 3, "时间"),
        ("call_no_start", 4, "日期"),
        ("bad_time", 5, "时间"),
        ("bad_date", 6, "日期"),
    ]
    assert _part(ds)["start"].tolist() == [pd.Timestamp("2026-03-02 09:00")]


def test_masked_callers_warned(tmp_path: Path) -> None:
    rows = [
        "M1,2026-03-02 09:00:00,售前,KF1,接通,1,0:01:00,,,,,138****1234",
        "M2,2026-03-02 09:01:00,售前,KF1,接通,1,0:01:00,,,,,139****1234",
    ]
    _csv(tmp_path / "d", rows=rows)
    ds = _load(tmp_path / "d", tmp_path)
    w = ds.dq[ds.dq["code"] == "caller_masked"]
    assert w["value"].tolist() == ["2"] and w["column"].tolist() == ["主叫号码"]
    assert "first-contact resolution" in w["message"].iloc[0]


def test_detail_capped_count_exact(tmp_path: Path) -> None:
    bad = [f"B{i},2026-03-02 09:00:00,售前,KF1,接通,1,0:61:00,,,,," for i in range(60)]
    good = ["G1,2026-03-02 09:00:00,售前,KF1,接通,1,0:01:00,,,,,"]
    _csv(tmp_path / "d", rows=good + bad)
    ds = _load(tmp_path / "d", tmp_path)
    rows = ds.dq[ds.dq["code"] == "call_bad_duration"]
    assert len(rows) == load_calls.DETAIL_ROWS == 50
    assert rows["row"].tolist() == list(range(3, 53))
    more = ds.dq[ds.dq["code"] == "rows_more"]
    assert more["value"].tolist() == ["10"]
    assert "60" in more["message"].iloc[0]
    r = ds.inputs.iloc[0]
    assert (r["rows_read"], r["rows_loaded"], r["rows_rejected"]) == (61, 1, 60)


def test_all_rows_bad_stops(tmp_path: Path) -> None:
    _csv(tmp_path / "d", rows=["X1,2026-03-02 09:00:00,售前,KF1,好像,1,,,,,,"])
    with pytest.raises(InputError, match="none of the 1 rows"):
        _load(tmp_path / "d", tmp_path)


def test_answered_unknowable_stops_or_reports(tmp_path: Path) -> None:
    """Without an answered, agent or talk column nothing says whether a call was answered:
    the load stops naming the field; with only an answered column, a blank cell is reported."""
    path = tmp_path / "d" / "calls" / "x.csv"
    path.parent.mkdir(parents=True)
    path.write_text("呼入时间,技能组\n2026-03-02 09:00,售前\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        _load(tmp_path / "d", tmp_path)
    assert err.value.field == "answered"
    path.write_text("呼入时间,是否接通\n2026-03-02 09:00,是\n2026-03-02 09:01,\n", encoding="utf-8")
    ds = _load(tmp_path / "d", tmp_path / "c2")
    assert pd.read_parquet(ds.calls[0])["answered"].tolist() == [True]
    bad = ds.dq[ds.dq["code"] == "bad_answered"]
    assert (bad["row"].tolist(), bad["column"].tolist()) == ([3], ["是否接通"])


def test_no_call_table_stops(tmp_path: Path) -> None:
    path = tmp_path / "d" / "calls" / "x.csv"
    path.parent.mkdir(parents=True)
    path.write_text("foo,bar\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError, match="call_aliases"):
        _load(tmp_path / "d", tmp_path)


def test_partial_folders_and_cache(tmp_path: Path) -> None:
    _csv(tmp_path / "d")
    first = _load(tmp_path / "d", tmp_path)
    again = _load(tmp_path / "d", tmp_path)
    assert first.calls == again.calls  # converted once, the cached part reused
    assert first.periods["calls"] == again.periods["calls"] == ["2026-03"]
    pd.testing.assert_frame_equal(first.dq, again.dq)
    assert first.complaints.empty and first.acd.empty
    assert first.plan.empty and first.actuals.empty
    # A folder without call logs: no parts, empty frames.
    other = tmp_path / "o" / "staffing"
    other.mkdir(parents=True)
    (other / "v.csv").write_text("日期,时段,来电量\n2026-03-02,09:00,10\n", encoding="utf-8")
    ds = _load(tmp_path / "o", tmp_path)
    assert ds.calls == () and ds.complaints.empty and ds.acd.empty


def test_snapshot_holds_parts(tmp_path: Path) -> None:
    _csv(tmp_path / "d")
    ds = _load(tmp_path / "d", tmp_path)
    snap = write_snapshot(ds, tmp_path / "snap")
    back = read_snapshot(snap)
    assert len(back.calls) == 1
    assert Path(back.calls[0]).parent == (snap / "calls").resolve()
    pd.testing.assert_frame_equal(_part(ds), _part(back))
    pd.testing.assert_frame_equal(ds.complaints, back.complaints)
    pd.testing.assert_frame_equal(ds.acd, back.acd)


def test_read_one_calls(tmp_path: Path) -> None:
    path = _csv(tmp_path / "d")
    ds = read_one(path, "calls", _cfg(), lang="en")
    assert len(pd.read_parquet(ds.calls[0])) == 5
    assert ds.inputs["file"].tolist() == [str(path)]


def test_call_aliases_do_not_touch_budget_aliases() -> None:
    cfg = _cfg()
    budget = {a.lower() for names in cfg["aliases"].values() for a in names}
    assert "date" in budget  # "Date" of a ledger line …
    assert "date" in cfg["call_aliases"]["date"]  # … and of a call, in separate tables
    assert "agent" not in budget


def test_user_call_aliases_extend(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    rows = ["Z1,2026-03-02 09:00:00,KF1,Y"]
    path = folder / "calls" / "z.csv"
    path.parent.mkdir(parents=True)
    path.write_text("编号,进线时刻,人员,应答\n" + "\n".join(rows) + "\n", encoding="utf-8")
    (folder / "config.toml").write_text(
        '[call_aliases]\nstart = ["进线时刻"]\nagent_id = ["人员"]\nanswered = ["应答"]\n',
        encoding="utf-8",
    )
    ds = load_all(folder, cache_dir=tmp_path / "cache", lang="en")
    p = _part(ds)
    assert p["agent_id"].tolist() == ["KF1"] and p["answered"].tolist() == [True]


def test_pwc_realworld(tmp_path: Path, realworld_dir: Path) -> None:
    name = "en_call_center_calls_pwc_agent.xlsx"
    folder = tmp_path / "d" / "calls"
    folder.mkdir(parents=True)
    (folder / name).write_bytes((realworld_dir / name).read_bytes())
    ds = _load(tmp_path / "d", tmp_path)
    p = pd.read_parquet(ds.calls[0])
    assert len(p) == 5000
    assert int(p["answered"].sum()) == 4054
    assert int((~p["answered"]).sum()) == 946
    note = ds.dq[ds.dq["code"] == "note_row"]
    assert note["row"].tolist() == [5002]
    assert 5002 not in set(p["source_row"])
    r = ds.inputs.iloc[0]
    assert (r["rows_read"], r["rows_loaded"], r["rows_note"], r["rows_rejected"]) == (
        5001,
        5000,
        1,
        0,
    )
    assert r["period"] == "2021-01…2021-03"
    assert ds.periods["calls"] == ["2021-01", "2021-02", "2021-03"]
    assert "AvgTalkDuration: h:mm:ss" in r["note"]
    # Unanswered calls carry no talk time, rating or agent; answered ones all have a rating.
    un = p[~p["answered"]]
    assert un["talk_s"].isna().all() and un["rating"].isna().all() and un["agent_id"].isna().all()
    assert p.loc[p["answered"], "rating"].between(1, 5).all()
    assert p["agent_id"].dropna().nunique() == 8
    first = p[p["call_id"] == "ID0015"].iloc[0]
    assert (first["wait_s"], first["talk_s"], first["rating"]) == (48.0, 227.0, 4.0)
    assert first["start"] == pd.Timestamp("2021-01-01 11:55:41")


def test_a_missing_text_column_is_a_typed_null_column(tmp_path: Path) -> None:
    """A log without a queue or call id column (the PwC export has no queue) writes them as
    string columns of nulls, not as Parquet's NULL type the engine cannot compare with text."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Date", "Time", "Agent", "Speed of answer in seconds"])
    ws.append(["2026-03-05", dt.time(9, 15, 30), "Becky", 20])
    (tmp_path / "d" / "calls").mkdir(parents=True)
    wb.save(tmp_path / "d" / "calls" / "log.xlsx")
    ds = _load(tmp_path / "d", tmp_path)
    schema = pq.read_schema(ds.calls[0])
    assert schema.field("queue").type == pa.string()
    assert schema.field("call_id").type == pa.string()
    p = _part(ds)
    assert p["queue"].isna().all() and p["agent_id"].tolist() == ["BECKY"]
