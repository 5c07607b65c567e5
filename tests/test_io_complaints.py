"""Complaint records (投诉单) in complaints/: exact values, open complaints, faults with place."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from analysis import config
from analysis.io.errors import InputError
from analysis.io.folder import load_all
from analysis.schema import COMPLAINT_COLUMNS

ZH = [
    "投诉单号,受理时间,渠道,投诉类型,被投诉工号,责任人,处理状态,结案时间",
    "T1,2026-03-01 09:00,电话,服务态度,kf 0201,张三,已结案,2026-03-02 10:00",
    "T2,2026-03-03 14:30,微信,处理时效,,李四,处理中,",
    "T3,2026-03-05 09:00,电话,服务态度,KF0202,张三,已结案,2026-03-04 10:00",
    "T4,,电话,其他,,王五,已结案,2026-03-06 10:00",
    "T5,2026-03-07 09:00,邮件,其他,,王五,已结案,不详",
    "合计:5 件,,,,,,,",
]


def _load(folder: Path, tmp: Path):
    return load_all(folder, config.load_config(), cache_dir=tmp / "cache", lang="en")


def _write(folder: Path, name: str, lines: list[str]) -> Path:
    path = folder / "complaints" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_complaints_exact(tmp_path: Path) -> None:
    _write(tmp_path / "d", "2026-03.csv", ZH)
    ds = _load(tmp_path / "d", tmp_path)
    c = ds.complaints
    assert list(c.columns) == COMPLAINT_COLUMNS
    assert c["complaint_id"].tolist() == ["T1", "T2"]
    assert c["received"].tolist() == [
        pd.Timestamp("2026-03-01 09:00"),
        pd.Timestamp("2026-03-03 14:30"),
    ]
    assert c["closed"].iloc[0] == pd.Timestamp("2026-03-02 10:00")
    assert pd.isna(c["closed"].iloc[1])  # open: no closing time
    assert c["channel"].tolist() == ["电话", "微信"]
    assert c["type"].tolist() == ["服务态度", "处理时效"]
    assert c["agent_id"].tolist() == ["KF0201", ""]
    assert c["owner"].tolist() == ["张三", "李四"]
    assert c["status"].tolist() == ["已结案", "处理中"]
    assert c["source_row"].tolist() == [2, 3]
    assert ds.periods["complaints"] == ["2026-03"]


def test_complaint_faults_reported(tmp_path: Path) -> None:
    _write(tmp_path / "d", "2026-03.csv", ZH)
    ds = _load(tmp_path / "d", tmp_path)
    got = {
        (d.severity, d.code, int(d.row), d.column, d.value)
        for d in ds.dq.itertuples()
        if pd.notna(d.row)
    }
    assert got == {
        ("error", "complaint_closed_before", 4, "结案时间", "2026-03-04 10:00"),
        ("error", "complaint_no_received", 5, "受理时间", ""),
        ("error", "bad_date", 6, "结案时间", "不详"),
        ("info", "note_row", 7, "", ""),
    }
    r = ds.inputs.iloc[0]
    assert (r["layout"], r["rows_read"], r["rows_loaded"], r["rows_note"], r["rows_rejected"]) == (
        "complaints",
        6,
        2,
        1,
        3,
    )
    msg = ds.dq.loc[ds.dq["code"] == "complaint_closed_before", "message"].iloc[0]
    assert "2026-03-05 09:00" in msg


def test_english_xlsx_complaints(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Complaints"
    ws.append(["Complaint report March"])
    ws.append(["Complaint ID", "Received", "Channel", "Type", "Owner", "Status", "Closed"])
    ws.append(
        [
            "E1",
            pd.Timestamp("2026-03-10 08:00").to_pydatetime(),
            "Phone",
            "Billing",
            "Ann",
            "Closed",
            pd.Timestamp("2026-03-12 17:00").to_pydatetime(),
        ]
    )
    ws.append(["E2", "2026/3/11", "Email", "Delay", "Bo", "Open", None])
    (tmp_path / "d" / "complaints").mkdir(parents=True)
    wb.save(tmp_path / "d" / "complaints" / "march.xlsx")
    ds = _load(tmp_path / "d", tmp_path)
    c = ds.complaints
    assert c["complaint_id"].tolist() == ["E1", "E2"]
    assert c["received"].tolist() == [pd.Timestamp("2026-03-10 08:00"), pd.Timestamp("2026-03-11")]
    assert c["closed"].iloc[0] == pd.Timestamp("2026-03-12 17:00") and pd.isna(c["closed"].iloc[1])
    assert c["source_row"].tolist() == [3, 4]
    assert c["source_sheet"].eq("Complaints").all()
    assert ds.inputs.iloc[0]["header_rows"] == "2"


def test_no_complaint_table_stops(tmp_path: Path) -> None:
    _write(tmp_path / "d", "x.csv", ["a,b", "1,2"])
    with pytest.raises(InputError, match="complaint_aliases"):
        _load(tmp_path / "d", tmp_path)


def test_only_complaints_folder_loads(tmp_path: Path) -> None:
    _write(tmp_path / "d", "c.csv", ZH[:3])
    ds = _load(tmp_path / "d", tmp_path)
    assert len(ds.complaints) == 2 and ds.calls == () and ds.acd.empty


def test_read_one_complaints_dataframe() -> None:
    from analysis.io.api import read_one

    frame = pd.DataFrame(
        {"投诉单号": ["D1"], "受理时间": ["2026-05-01 08:30"], "结案时间": ["2026-05-03 08:30"]}
    )
    ds = read_one(frame, "complaints", config.load_config(), lang="en")
    assert ds.complaints["closed"].tolist() == [pd.Timestamp("2026-05-03 08:30")]
    assert ds.complaints["source_file"].tolist() == ["<DataFrame>"]


def test_closed_without_time_and_duplicates(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    _write(folder, "a.csv", ZH[:3] + ["T6,2026-03-08 09:00,电话,其他,,王五,已结案,"])
    _write(
        folder,
        "b.csv",
        [ZH[0], "T1,2026-03-01 09:00,电话,服务态度,kf 0201,张三,已结案,2026-03-02 10:00"],
    )
    ds = _load(folder, tmp_path)
    assert ds.complaints["complaint_id"].tolist() == ["T1", "T2", "T6"]  # T1 counted once
    assert pd.isna(ds.complaints["closed"].iloc[2])  # closed without a time: counted as open
    w = ds.dq[ds.dq["code"] == "complaint_closed_no_time"]
    assert (w["file"].tolist(), w["row"].tolist(), w["value"].tolist()) == (
        ["complaints/a.csv"],
        [4],
        ["已结案"],
    )
    d = ds.dq[ds.dq["code"] == "duplicate_complaint"]
    assert (d["file"].tolist(), d["row"].tolist()) == (["complaints/b.csv"], [2])
    assert "complaints/a.csv" in d["message"].iloc[0]
