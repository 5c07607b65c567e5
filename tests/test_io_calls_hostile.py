"""Hostile call logs: exports that once gave a wrong figure in silence or a traceback.

Each test builds its own file the way an ACD/IVR system exports it, loads the folder and, where the
fault showed in a KPI, computes the KPIs from the loaded parts, with exact expected values.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from analysis import config
from analysis.errors import ConfigError
from analysis.io import engine
from analysis.io.call_rules import duration_factor
from analysis.io.folder import load_all
from analysis.service import kpis as K


def _cfg(**calls: object) -> dict:
    cfg = config.load_config()
    cfg["calls"] = {**cfg.get("calls", {}), **calls}
    return cfg


def _write(folder: Path, name: str, lines: list[str]) -> Path:
    path = folder / "calls" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _load(folder: Path, tmp: Path, cfg: dict | None = None):
    return load_all(folder, cfg or _cfg(), cache_dir=tmp / "cache", lang="en")


def _part(ds) -> pd.DataFrame:
    assert len(ds.calls) == 1
    return pd.read_parquet(ds.calls[0]).sort_values("source_row").reset_index(drop=True)


def _all_row(ds, cfg: dict) -> pd.Series:
    con = engine.connect(cfg)
    out = K.kpis(engine.calls_table(con, list(ds.calls)), None, None, cfg)
    hit = out[(out["level"] == "all") & (out["key"] == "all")]
    assert len(hit) == 1
    return hit.iloc[0]


def _dq(ds, code: str) -> pd.DataFrame:
    return ds.dq[ds.dq["code"] == code].reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# A log without a wait column: no service level (it was published as 0 %), and a log without a
# queue or agent column: the KPIs run (an all-null column was written untyped and Ibis failed).


@pytest.mark.parametrize(
    ("header", "rows", "offered", "answered", "aht"),
    [
        (
            "Date,Time,Agent Name,Talk Time,CSAT",
            [
                "03/02/2026,9:05:03 AM,Ann,00:03:20,5",
                "03/02/2026,9:15:00 AM,,,",
                "03/02/2026,1:05:10 PM,Bob,00:05:00,3",
            ],
            3,
            2,
            250.0,
        ),
        (
            "日期,时间,通话时长(秒),是否接通",
            [
                "2026-05-04,08:00:00,60,是",
                "2026-05-04,08:10:00,0,否",
                "2026-05-04,08:20:00,0,否",
                "2026-05-04,08:30:00,90,是",
                "2026-05-04,08:40:00,120,是",
            ],
            5,
            3,
            90.0,
        ),
    ],
)
def test_log_without_wait_queue_or_agent(
    tmp_path: Path, header: str, rows: list[str], offered: int, answered: int, aht: float
) -> None:
    _write(tmp_path / "d", "log.csv", [header, *rows])
    cfg = _cfg()
    ds = _load(tmp_path / "d", tmp_path, cfg)
    p = _part(ds)
    assert str(p["queue"].dtype) in ("str", "string", "object")
    assert pd.isna(p["queue"]).all() and pd.isna(p["agent_id"]).all()
    schema = pq.read_schema(ds.calls[0])
    assert schema.field("queue").type == pa.string()
    assert schema.field("agent_id").type == pa.string()
    w = _dq(ds, "call_no_wait")
    assert len(w) == 1 and w.at[0, "value"] == str(offered) and w.at[0, "severity"] == "warning"
    r = _all_row(ds, cfg)
    assert (r["offered"], r["answered"], r["short_abandoned"]) == (offered, answered, 0)
    # No wait measured: "answered within 20 s" cannot be told; null, not 0 %.
    assert pd.isna(r["service_level"]) and pd.isna(r["asa_s"])
    assert math.isclose(r["answer_rate"], answered / offered)
    assert math.isclose(r["aht_s"], aht)


def test_service_level_kept_when_some_waits_are_known(tmp_path: Path) -> None:
    """Only a group with no wait at all loses its level; a missing wait on one call keeps the
    documented rule (not within T)."""
    _write(
        tmp_path / "d",
        "log.csv",
        [
            "呼入时间,技能组,坐席工号,排队时长(秒),通话时长(秒)",
            "2026-03-02 09:00:00,A,K1,10,100",
            "2026-03-02 09:05:00,A,K1,,100",
            "2026-03-02 09:10:00,B,K2,,100",
        ],
    )
    cfg = _cfg()
    ds = _load(tmp_path / "d", tmp_path, cfg)
    con = engine.connect(cfg)
    out = K.kpis(engine.calls_table(con, list(ds.calls)), None, None, cfg).set_index(
        ["level", "key"]
    )
    assert math.isclose(out.loc[("all", "all"), "service_level"], 1 / 3)
    assert math.isclose(out.loc[("queue", "A"), "service_level"], 1 / 2)
    assert pd.isna(out.loc[("queue", "B"), "service_level"])


# --------------------------------------------------------------------------------------------
# Milliseconds: "毫秒" holds "秒", and "(ms)" named no unit; both were read as seconds (1000 × off).


@pytest.mark.parametrize(
    ("wait_header", "talk_header"),
    [
        ("排队时长(毫秒)", "通话时长(毫秒)"),
        ("Wait Time (ms)", "Talk Time (ms)"),
        ("Wait Time (msec)", "Talk Time (msec)"),
        ("等待时长(毫秒)", "talk time (milliseconds)"),
    ],
)
def test_millisecond_durations(tmp_path: Path, wait_header: str, talk_header: str) -> None:
    _write(
        tmp_path / "d",
        "log.csv",
        [
            f"呼叫编号,呼入时间,坐席工号,{wait_header},{talk_header}",
            "C1,2026-03-02 09:00:00,K1,12000,200000",
            "C2,2026-03-02 09:10:00,K2,30500,61250",
            "C3,2026-03-02 09:20:00,,4000,0",
        ],
    )
    cfg = _cfg()
    ds = _load(tmp_path / "d", tmp_path, cfg)
    p = _part(ds)
    assert p["wait_s"].tolist() == [12.0, 30.5, 4.0]
    assert p["talk_s"].tolist() == [200.0, 61.25, 0.0]
    r = _all_row(ds, cfg)
    assert math.isclose(r["asa_s"], 21.25) and math.isclose(r["aht_s"], 130.625)
    assert r["short_abandoned"] == 1 and math.isclose(r["service_level"], 1 / 2)


@pytest.mark.parametrize(
    ("header", "factor"),
    [("通话时长(秒)", 1.0), ("talk_s", 1.0), ("通话时长(分钟)", 60.0), ("时长(毫秒)", 0.001)],
)
def test_duration_units_from_header(header: str, factor: float) -> None:
    assert duration_factor(header, ["5", "7"])[0] == factor


# --------------------------------------------------------------------------------------------
# Time-zone-aware Parquet: its text is an instant ("… 01:00:00+00"); every row was refused as a
# bad date. Now read as the wall clock of [calls] timezone.


@pytest.mark.parametrize(
    ("zone", "utc", "local"),
    [
        (
            "Asia/Shanghai",
            ["2026-03-02 01:00:00", "2026-03-31 17:30:00"],
            ["2026-03-02 09:00:00", "2026-04-01 01:30:00"],
        ),
        (
            "Europe/Berlin",
            ["2026-03-28 23:30:00", "2026-03-29 01:30:00"],  # CET, then CEST from 01:00 UTC
            ["2026-03-29 00:30:00", "2026-03-29 03:30:00"],
        ),
    ],
)
def test_timezone_aware_parquet(
    tmp_path: Path, zone: str, utc: list[str], local: list[str]
) -> None:
    folder = tmp_path / "d"
    (folder / "calls").mkdir(parents=True)
    pd.DataFrame(
        {
            "call_id": ["C1", "C2"],
            "start": pd.to_datetime(utc).tz_localize("UTC").tz_convert("America/New_York"),
            "agent_id": ["K1", None],
            "wait_s": [10.0, 50.0],
        }
    ).to_parquet(folder / "calls" / "log.parquet")
    ds = _load(folder, tmp_path, _cfg(timezone=zone))
    p = _part(ds)
    assert p["start"].tolist() == [pd.Timestamp(x) for x in local]
    assert p["answered"].tolist() == [True, False]
    assert any(zone in str(n) for n in ds.inputs["note"])


def test_unknown_timezone_is_a_clear_stop(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    (folder / "calls").mkdir(parents=True)
    pd.DataFrame(
        {"start": pd.to_datetime(["2026-03-02 01:00"]).tz_localize("UTC"), "agent_id": ["K1"]}
    ).to_parquet(folder / "calls" / "log.parquet")
    with pytest.raises(ConfigError, match="Mars/Olympus"):
        _load(folder, tmp_path, _cfg(timezone="Mars/Olympus"))


# --------------------------------------------------------------------------------------------
# Loaded but doubtful: a call id on two rows, a start after today, an absurd duration. They were
# loaded in silence; now each is a warning with the count and the first row.


@pytest.mark.parametrize(
    ("ids", "repeated", "first_row", "first_id"),
    [(["A", "B", "A", "C"], 1, 4, "A"), (["7", "7", "8", "8", "8"], 3, 3, "7")],
)
def test_repeated_call_id_is_warned(
    tmp_path: Path, ids: list[str], repeated: int, first_row: int, first_id: str
) -> None:
    rows = [f"{c},2026-03-02 09:{i:02d}:00,K1,5,60" for i, c in enumerate(ids)]
    _write(tmp_path / "d", "log.csv", ["Call ID,Call Start,Agent ID,Wait,Talk", *rows])
    ds = _load(tmp_path / "d", tmp_path)
    assert len(_part(ds)) == len(ids)  # still loaded: which leg is "the call" is not guessed
    w = _dq(ds, "call_id_repeated")
    assert len(w) == 1 and w.at[0, "severity"] == "warning"
    assert (int(w.at[0, "row"]), w.at[0, "column"], w.at[0, "value"]) == (
        first_row,
        "Call ID",
        first_id,
    )
    assert f"{repeated} rows repeat" in w.at[0, "message"]


def test_future_call_is_warned(tmp_path: Path) -> None:
    _write(
        tmp_path / "d",
        "log.csv",
        [
            "呼叫编号,呼入时间,坐席工号,排队时长(秒),通话时长(秒)",
            "C1,2026-03-02 09:00:00,K1,5,60",
            "C2,2099-03-02 09:00:00,K1,5,60",
            "C3,2098-01-01 08:00:00,K1,5,60",
        ],
    )
    ds = _load(tmp_path / "d", tmp_path)
    w = _dq(ds, "call_future")
    assert len(w) == 1
    assert (int(w.at[0, "row"]), w.at[0, "value"]) == (3, "2099-03-02 09:00:00")
    assert "2 calls start after today" in w.at[0, "message"]
    assert _dq(ds, "call_id_repeated").empty


@pytest.mark.parametrize(
    ("limit_h", "waits", "n", "first_row", "first"),
    [(8, [10, 99999, 40000, 20], 2, 3, "99999"), (1, [10, 3601, 3600, 7200.5], 2, 3, "3601")],
)
def test_long_duration_is_warned(
    tmp_path: Path, limit_h: float, waits: list[float], n: int, first_row: int, first: str
) -> None:
    rows = [f"C{i},2026-03-02 09:{i:02d}:00,K1,{w},60" for i, w in enumerate(waits)]
    _write(
        tmp_path / "d", "log.csv", ["呼叫编号,呼入时间,坐席工号,排队时长(秒),通话时长(秒)", *rows]
    )
    cfg = _cfg(max_duration_h=limit_h)
    ds = _load(tmp_path / "d", tmp_path, cfg)
    w = _dq(ds, "call_long_duration")
    assert len(w) == 1
    assert (int(w.at[0, "row"]), w.at[0, "column"], w.at[0, "value"]) == (
        first_row,
        "排队时长(秒)",
        first,
    )
    assert f"{n} calls have a duration above {limit_h:g} h" in w.at[0, "message"]
    # Loaded as they are (the figure is said to include them, not silently changed).
    assert math.isclose(_all_row(ds, cfg)["asa_s"], sum(waits) / len(waits))


# --------------------------------------------------------------------------------------------
# "Call Date" + "Call Time": "call time" is a start alias, so the time-of-day column was taken
# as the start and every row refused as a bad date. "Queue Name" was not a queue.


@pytest.mark.parametrize(
    ("header", "rows", "starts", "queues"),
    [
        (
            "Call Date,Call Time,Queue Name,Agent ID,Wait Time (s),Talk Time (s)",
            ["03/02/2026,9:05:03 AM,Sales,A1,12,200", "03/02/2026,1:05:10 PM,Care,,40,0"],
            ["2026-03-02 09:05:03", "2026-03-02 13:05:10"],
            ["Sales", "Care"],
        ),
        (
            "日期,呼叫时间,队列名称,坐席工号,排队时长(秒),通话时长(秒)",
            ["2026-07-15,23:59:59,售后,KF01,3,60", "2026-07-16,00:00:00,售前,KF02,7,61"],
            ["2026-07-15 23:59:59", "2026-07-16 00:00:00"],
            ["售后", "售前"],
        ),
    ],
)
def test_time_of_day_under_a_start_alias(
    tmp_path: Path, header: str, rows: list[str], starts: list[str], queues: list[str]
) -> None:
    _write(tmp_path / "d", "log.csv", [header, *rows])
    ds = _load(tmp_path / "d", tmp_path)
    p = _part(ds)
    assert p["start"].tolist() == [pd.Timestamp(x) for x in starts]
    assert p["queue"].tolist() == queues
    assert "read as time" in ds.inputs["note"].iloc[0]


def test_start_alias_holding_date_times_stays_the_start(tmp_path: Path) -> None:
    """The same two headers, but the second holds full date-times: it is the start."""
    _write(
        tmp_path / "d",
        "log.csv",
        [
            "Call Date,Call Time,Agent ID,Wait Time (s)",
            "2026-03-02,2026-03-02 09:05:03,A1,12",
            "2026-03-02,2026-03-02 23:10:00,,40",
        ],
    )
    p = _part(_load(tmp_path / "d", tmp_path))
    assert p["start"].tolist() == [
        pd.Timestamp("2026-03-02 09:05:03"),
        pd.Timestamp("2026-03-02 23:10:00"),
    ]


# --------------------------------------------------------------------------------------------
# Ratings: 0 was a grade of a 1 … 5 survey (a dissatisfied customer); a 1–10 survey kept its low
# grades only (CSAT 0 % from customers who gave 9 and 10).


@pytest.mark.parametrize(
    ("ratings", "loaded", "csat"),
    [
        (["0", "5", "4", "2"], [-1, 5.0, 4.0, 2.0], 2 / 3),
        (["1", "0", "0分", "5"], [1.0, -1, -1, 5.0], 1 / 2),
    ],
)
def test_rating_zero_is_not_a_grade(
    tmp_path: Path, ratings: list[str], loaded: list[float], csat: float
) -> None:
    rows = [f"C{i},2026-03-02 09:{i:02d}:00,K1,5,60,{r}" for i, r in enumerate(ratings)]
    _write(
        tmp_path / "d",
        "log.csv",
        ["呼叫编号,呼入时间,坐席工号,排队时长(秒),通话时长(秒),满意度", *rows],
    )
    cfg = _cfg()
    ds = _load(tmp_path / "d", tmp_path, cfg)
    assert _part(ds)["rating"].fillna(-1).tolist() == loaded
    assert len(_dq(ds, "bad_rating")) == loaded.count(-1)
    assert math.isclose(_all_row(ds, cfg)["csat"], csat)


@pytest.mark.parametrize(
    ("scale", "ratings", "top"),
    [(5, ["10", "9", "3", "8", ""], "10"), (10, ["7", "88", "95", "100", "6", "9"], "100")],
)
def test_ratings_on_another_scale_are_not_used(
    tmp_path: Path, scale: int, ratings: list[str], top: str
) -> None:
    rows = [f"C{i},2026-03-02 09:{i:02d}:00,K1,5,60,{r}" for i, r in enumerate(ratings)]
    _write(tmp_path / "d", "log.csv", ["Call ID,Call Start,Agent ID,Wait,Talk,CSAT", *rows])
    cfg = _cfg()
    cfg["service"] = {**cfg["service"], "rating_scale": scale, "satisfied_min": scale - 1}
    ds = _load(tmp_path / "d", tmp_path, cfg)
    assert _part(ds)["rating"].isna().all()
    e = _dq(ds, "rating_other_scale")
    assert len(e) == 1 and e.at[0, "severity"] == "error"
    assert (e.at[0, "column"], e.at[0, "value"]) == ("CSAT", top)
    assert _dq(ds, "bad_rating").empty
    assert pd.isna(_all_row(ds, cfg)["csat"])


def test_one_typo_above_the_scale_is_a_row_warning(tmp_path: Path) -> None:
    ratings = ["5", "4", "55", "1", "5"]
    rows = [f"C{i},2026-03-02 09:{i:02d}:00,K1,5,60,{r}" for i, r in enumerate(ratings)]
    _write(tmp_path / "d", "log.csv", ["Call ID,Call Start,Agent ID,Wait,Talk,CSAT", *rows])
    cfg = _cfg()
    ds = _load(tmp_path / "d", tmp_path, cfg)
    assert _dq(ds, "rating_other_scale").empty
    assert _dq(ds, "bad_rating")["row"].astype(int).tolist() == [4]
    assert math.isclose(_all_row(ds, cfg)["csat"], 3 / 4)


# --------------------------------------------------------------------------------------------
# Day-first slash dates: "13/03/2026" was refused while "04/03/2026" of the same column went to
# April in silence. A column showing a day above 12 first (and never second) is read D/M/Y.


@pytest.mark.parametrize(
    ("cells", "starts"),
    [
        (
            ["13/03/2026 09:00", "04/03/2026 09:10", "31/03/2026 23:59"],
            ["2026-03-13 09:00", "2026-03-04 09:10", "2026-03-31 23:59"],
        ),
        (
            ["1/2/2026 08:00:05", "2/1/2026 10:00:00", "28/1/2026 11:30:00"],
            ["2026-02-01 08:00:05", "2026-01-02 10:00:00", "2026-01-28 11:30:00"],
        ),
    ],
)
def test_day_first_slash_dates(tmp_path: Path, cells: list[str], starts: list[str]) -> None:
    rows = [f"C{i},{c},K1,5,60" for i, c in enumerate(cells)]
    _write(tmp_path / "d", "log.csv", ["Call ID,Call Start,Agent ID,Wait,Talk", *rows])
    ds = _load(tmp_path / "d", tmp_path)
    assert _part(ds)["start"].tolist() == [pd.Timestamp(x) for x in starts]
    assert "day first" in ds.inputs["note"].iloc[0]
    assert _dq(ds, "bad_date").empty


def test_month_first_slash_dates_stay_month_first(tmp_path: Path) -> None:
    """Days above 12 in the second place (or none above 12 at all): M/D/Y as before; a column
    mixing both orders keeps M/D/Y and reports the rows it cannot read."""
    rows = [
        "C1,03/14/2026 09:00,K1,5,60",
        "C2,04/03/2026 09:00,K1,5,60",
        "C3,14/03/2026 9:00,K1,5,60",
    ]
    _write(tmp_path / "d", "log.csv", ["Call ID,Call Start,Agent ID,Wait,Talk", *rows])
    ds = _load(tmp_path / "d", tmp_path)
    assert _part(ds)["start"].tolist() == [
        pd.Timestamp("2026-03-14 09:00"),
        pd.Timestamp("2026-04-03 09:00"),
    ]
    assert _dq(ds, "bad_date")["row"].astype(int).tolist() == [4]


def test_dotted_day_first_dates(tmp_path: Path) -> None:
    _write(
        tmp_path / "d",
        "log.csv",
        [
            "Call ID;Call Start;Agent ID;Wait Time (s);Talk Time (s)",
            "C1;02.03.2026 09:00:00;K1;10,5;100,25",
            "C2;28.02.2026 23:10;;30,0;0",
        ],
    )
    p = _part(_load(tmp_path / "d", tmp_path))
    assert p["start"].tolist() == [
        pd.Timestamp("2026-03-02 09:00"),
        pd.Timestamp("2026-02-28 23:10"),
    ]
    assert p["wait_s"].tolist() == [10.5, 30.0]


# --------------------------------------------------------------------------------------------
# A totals row (合计 / Total) in a call log was an *error* (no start time), so --strict refused a
# clean export; a call marked not answered with talk time was loaded without a word.


@pytest.mark.parametrize(
    ("total_row", "where"),
    [
        ("合计,,,,40,100", 4),
        (",Total:,,,40,100", 4),
        ("小计,,,,40,100", 4),
        (",,GRAND TOTAL,,40,100", 4),
    ],
)
def test_totals_row_is_info_not_error(tmp_path: Path, total_row: str, where: int) -> None:
    _write(
        tmp_path / "d",
        "log.csv",
        [
            "呼叫编号,呼入时间,技能组,呼叫结果,排队时长(秒),通话时长(秒)",
            "C1,2026-03-02 09:00:00,Q,接通,10,100",
            "C2,2026-03-02 09:10:00,Q,放弃,30,0",
            total_row,
        ],
    )
    ds = _load(tmp_path / "d", tmp_path)
    assert len(_part(ds)) == 2
    t = _dq(ds, "call_total_row")
    assert t["row"].astype(int).tolist() == [where] and t["severity"].tolist() == ["info"]
    assert ds.dq[ds.dq["severity"].isin(["error", "warning"])].empty
    r = ds.inputs.iloc[0]
    assert (int(r["rows_read"]), int(r["rows_loaded"]), int(r["rows_total"])) == (3, 2, 1)


def test_a_bad_date_beside_a_total_word_elsewhere_is_still_an_error(tmp_path: Path) -> None:
    _write(
        tmp_path / "d",
        "log.csv",
        [
            "呼叫编号,呼入时间,技能组,呼叫结果",
            "C1,2026-03-02 09:00:00,Q,接通",
            "C2,2026-13-45 09:00,Q,接通",
        ],
    )
    ds = _load(tmp_path / "d", tmp_path)
    assert _dq(ds, "bad_date")["row"].astype(int).tolist() == [3]
    assert _dq(ds, "call_total_row").empty


@pytest.mark.parametrize(
    ("rows", "n", "first_row", "first"),
    [
        (["C1,K1,放弃,300", "C2,K2,接通,120", "C3,,未接通,0"], 1, 2, "300"),
        (["C1,K1,接通,300", "C2,K2,no,12.5", "C3,K3,N,7"], 2, 3, "12.5"),
    ],
)
def test_unanswered_with_talk_time_is_warned(
    tmp_path: Path, rows: list[str], n: int, first_row: int, first: str
) -> None:
    lines = [
        f"{r.split(',', 1)[0]},2026-03-02 09:0{i}:00,{r.split(',', 1)[1]}"
        for i, r in enumerate(rows)
    ]
    _write(tmp_path / "d", "log.csv", ["呼叫编号,呼入时间,坐席工号,呼叫结果,通话时长(秒)", *lines])
    ds = _load(tmp_path / "d", tmp_path)
    w = _dq(ds, "call_unanswered_talk")
    assert len(w) == 1
    assert (int(w.at[0, "row"]), w.at[0, "column"], w.at[0, "value"]) == (
        first_row,
        "呼叫结果",
        first,
    )
    assert f"{n} calls marked not answered" in w.at[0, "message"]
    # Counted as the export says.
    assert _part(ds)["answered"].tolist() == (
        [False, True, False] if n == 1 else [True, False, False]
    )


# --------------------------------------------------------------------------------------------
# Durations with units ("3m20s", "3分20秒") refused every row; read now, by the one rule the ACD
# summaries use too. Nonsense (1m75s) stays invalid and reported.


@pytest.mark.parametrize(
    ("waits", "talks", "wait_s", "talk_s"),
    [
        (["12s", "1m5s", "3s"], ["3m20s", "1h 2m 3s", ""], [12.0, 65.0, 3.0], [200.0, 3723.0, -1]),
        (
            ["12秒", "1分5秒", "3秒"],
            ["3分20秒", "1小时2分3秒", ""],
            [12.0, 65.0, 3.0],
            [200.0, 3723.0, -1],
        ),
        (
            ["1 min", "90 sec", "2 secs"],
            ["5 min", "1 hr", ""],
            [60.0, 90.0, 2.0],
            [300.0, 3600.0, -1],
        ),
    ],
)
def test_durations_with_units(
    tmp_path: Path, waits: list[str], talks: list[str], wait_s: list[float], talk_s: list[float]
) -> None:
    rows = [
        f"C{i},2026-03-02 09:0{i}:00,{'K1' if t else ''},{w},{t}"
        for i, (w, t) in enumerate(zip(waits, talks, strict=True))
    ]
    _write(tmp_path / "d", "log.csv", ["呼叫编号,呼入时间,坐席工号,排队时长,通话时长", *rows])
    ds = _load(tmp_path / "d", tmp_path)
    p = _part(ds)
    assert p["wait_s"].tolist() == wait_s
    assert p["talk_s"].fillna(-1).tolist() == talk_s
    assert _dq(ds, "call_bad_duration").empty


def test_nonsense_unit_durations_are_reported(tmp_path: Path) -> None:
    rows = [
        "C1,2026-03-02 09:00:00,K1,5,3m20s",
        "C2,2026-03-02 09:01:00,K1,5,1m75s",
        "C3,2026-03-02 09:02:00,K1,5,2h60m",
    ]
    _write(tmp_path / "d", "log.csv", ["呼叫编号,呼入时间,坐席工号,排队时长,通话时长", *rows])
    ds = _load(tmp_path / "d", tmp_path)
    assert _part(ds)["talk_s"].tolist() == [200.0]
    bad = _dq(ds, "call_bad_duration")
    assert bad["row"].astype(int).tolist() == [3, 4] and bad["value"].tolist() == ["1m75s", "2h60m"]


@pytest.mark.parametrize(("day_first_from", "n_days"), [(13, 20), (25, 31)])
def test_streamed_log_sorted_by_time_judged_on_the_whole_date_column(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, day_first_from: int, n_days: int
) -> None:
    """A big CSV sorted by time shows only days 1–12 on the rows its header is found on; the
    order is then judged on the whole column (one more pass), not left M/D/Y, which sent those
    days to January … December and refused the rest."""
    from analysis.io import load_calls

    monkeypatch.setattr(load_calls, "STREAM_BYTES", 10)
    rows = [f"C{d:02d},{d:02d}/03/2026 09:00:00,K1,5,60" for d in range(1, n_days + 1)]
    path = _write(tmp_path / "d", "log.csv", ["Call ID,Call Start,Agent ID,Wait,Talk", *rows])
    # The header search sees the lines up to day_first_from - 1 only.
    head = sum(len(x) + 1 for x in path.read_text().splitlines()[:day_first_from])
    monkeypatch.setattr(load_calls, "HEAD_BYTES", head)
    ds = _load(tmp_path / "d", tmp_path)
    p = _part(ds)
    assert p["start"].tolist() == [pd.Timestamp(2026, 3, d, 9) for d in range(1, n_days + 1)]
    assert "streamed CSV" in ds.inputs["note"].iloc[0]
    assert "day first" in ds.inputs["note"].iloc[0]
    assert _dq(ds, "bad_date").empty


# --------------------------------------------------------------------------------------------
# Parquet timedelta columns: Parquet stores an Arrow duration as plain integers of its unit, so
# 200 s written in microseconds was read as 200,000,000 s (AHT 130,500,000 s, exit 0).


@pytest.mark.parametrize(
    ("unit", "talk_header", "wait_header"),
    [
        ("us", "talk_s", "wait_s"),
        ("ns", "通话时长(分钟)", "排队时长"),
        ("ms", "Talk Time", "Wait"),
        ("s", "talk", "wait"),
    ],
)
def test_parquet_duration_columns(
    tmp_path: Path, unit: str, talk_header: str, wait_header: str
) -> None:
    folder = tmp_path / "d"
    (folder / "calls").mkdir(parents=True)
    talk = pd.to_timedelta([200, 61.5, 0, 3725], unit="s").as_unit(unit if unit != "s" else "s")
    table = pa.table(
        {
            "start": pa.array(
                pd.to_datetime(
                    ["2026-03-02 09:00", "2026-03-02 09:10", "2026-03-02 09:20", "2026-03-02 09:30"]
                )
            ),
            "agent_id": ["K1", "K2", None, "K1"],
            wait_header: pa.array(pd.to_timedelta([10, 30, 50, 5], unit="s").as_unit(unit)),
            talk_header: pa.array(talk),
        }
    )
    pq.write_table(table, folder / "calls" / "log.parquet")
    cfg = _cfg()
    ds = _load(folder, tmp_path, cfg)
    p = _part(ds)
    expected_talk = [200.0, 61.5, 0.0, 3725.0] if unit != "s" else [200.0, 61.0, 0.0, 3725.0]
    assert p["talk_s"].tolist() == expected_talk
    assert p["wait_s"].tolist() == [10.0, 30.0, 50.0, 5.0]
    assert math.isclose(
        _all_row(ds, cfg)["aht_s"], (expected_talk[0] + expected_talk[1] + expected_talk[3]) / 3
    )
    assert _dq(ds, "call_long_duration").empty


# --------------------------------------------------------------------------------------------
# Complaint records closed on the day of receipt with a closing *date* only: midnight came
# before the receiving time, the record was refused and the complaint went uncounted.


def _complaints(folder: Path, rows: list[str]) -> None:
    path = folder / "complaints" / "投诉.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    head = "投诉单号,受理时间,渠道,投诉类型,被投诉工号,处理状态,结案时间"
    path.write_bytes(("\n".join([head, *rows]) + "\n").encode("gbk"))


@pytest.mark.parametrize(
    ("received", "closed", "as_read"),
    [
        ("2026-03-03 15:00", "2026-03-03", "2026-03-03 15:00"),
        ("2026/5/10 08:30:10", "2026/5/10", "2026-05-10 08:30:10"),
        ("2026-03-03 15:00", "2026-03-05", "2026-03-05 00:00"),
    ],
)
def test_complaint_closed_date_on_the_receiving_day(
    tmp_path: Path, received: str, closed: str, as_read: str
) -> None:
    _complaints(tmp_path / "d", [f"T1,{received},电话,态度,KF01,已结案,{closed}"])
    ds = _load(tmp_path / "d", tmp_path)
    assert ds.complaints["closed"].tolist() == [pd.Timestamp(as_read)]
    assert _dq(ds, "complaint_closed_before").empty


def test_complaint_closed_the_day_before_is_still_refused(tmp_path: Path) -> None:
    _complaints(
        tmp_path / "d",
        [
            "T1,2026-03-03 15:00,电话,态度,KF01,已结案,2026-03-02",
            "T2,2026-03-03 15:00,电话,态度,KF01,已结案,2026-03-03 14:59",
        ],
    )
    ds = _load(tmp_path / "d", tmp_path)
    assert ds.complaints.empty
    assert _dq(ds, "complaint_closed_before")["row"].astype(int).tolist() == [2, 3]


# --------------------------------------------------------------------------------------------
# Two wait columns (振铃时长 ring time before 排队时长 queue time): the first by column order was
# read as the wait (ASA 2.5 s, service level 100 %), and the "ambiguous column" note never
# reached the data-quality list.


@pytest.mark.parametrize(
    ("header", "rows", "asa", "sl"),
    [
        (
            "呼叫编号,呼入时间,坐席工号,呼叫结果,振铃时长,排队时长,通话时长",
            [
                "C1,2026-03-02 09:00:00,K1,接通,3,40,100",
                "C2,2026-03-02 09:10:00,K1,接通,2,10,200",
                "C3,2026-03-02 09:20:00,,放弃,0,60,0",
            ],
            25.0,
            1 / 3,
        ),
        (
            "呼叫编号,呼入时间,坐席工号,呼叫结果,等待时长,通话时长,振铃时长",
            [
                "C1,2026-03-02 09:00:00,K1,接通,15,100,1",
                "C2,2026-03-02 09:10:00,K1,接通,45,200,9",
                "C3,2026-03-02 09:20:00,K2,接通,5,50,4",
                "C4,2026-03-02 09:30:00,,放弃,3,0,0",
            ],
            65 / 3,
            2 / 3,
        ),
    ],
)
def test_queue_time_wins_over_ring_time(
    tmp_path: Path, header: str, rows: list[str], asa: float, sl: float
) -> None:
    _write(tmp_path / "d", "log.csv", [header, *rows])
    cfg = _cfg()
    ds = _load(tmp_path / "d", tmp_path, cfg)
    r = _all_row(ds, cfg)
    assert math.isclose(r["asa_s"], asa) and math.isclose(r["service_level"], sl)
    w = _dq(ds, "call_column_choice")
    assert len(w) == 1 and w.at[0, "value"] == "振铃时长"
    assert 'wait_s = "振铃时长"' in w.at[0, "message"]


@pytest.mark.parametrize(
    ("header", "row", "received", "closed"),
    [
        (
            "投诉单号,创建时间,受理时间,处理状态,完成时间,结案时间",
            "T1,2026-03-01 08:00,2026-03-05 10:00,已结案,2026-03-06 10:00,2026-03-12 10:00",
            "2026-03-05 10:00",
            "2026-03-12 10:00",
        ),
        (
            "Ticket ID,Created,Received,Status,Resolved At,Closed At",
            "T1,2026-04-01 08:00,2026-04-02 09:00,Closed,2026-04-03 10:00,2026-04-04 11:00",
            "2026-04-02 09:00",
            "2026-04-04 11:00",
        ),
    ],
)
def test_complaint_column_choice_by_alias_order(
    tmp_path: Path, header: str, row: str, received: str, closed: str
) -> None:
    path = tmp_path / "d" / "complaints" / "t.csv"
    path.parent.mkdir(parents=True)
    path.write_text(f"{header}\n{row}\n", encoding="utf-8")
    ds = _load(tmp_path / "d", tmp_path)
    c = ds.complaints.iloc[0]
    assert (c["received"], c["closed"]) == (pd.Timestamp(received), pd.Timestamp(closed))
    assert len(_dq(ds, "call_column_choice")) == 2


# --------------------------------------------------------------------------------------------
# A date column holding the full date-time beside a time column: the time of day was added
# twice (09:00 → 18:00; 18:10 → 12:20 the next day, the next month on the 31st).


@pytest.mark.parametrize(
    ("cells", "starts"),
    [
        (
            ["2026-03-02 09:00:00,09:00:00", "2026-03-31 18:10:00,18:10:00"],
            ["2026-03-02 09:00:00", "2026-03-31 18:10:00"],
        ),
        (
            ["2026/7/1 23:59:59,23:59:59", "2026/7/2,00:00:01"],
            ["2026-07-01 23:59:59", "2026-07-02 00:00:01"],
        ),
    ],
)
def test_date_column_holding_a_time_beside_a_time_column(
    tmp_path: Path, cells: list[str], starts: list[str]
) -> None:
    rows = [f"C{i},{c},K1,5,60" for i, c in enumerate(cells)]
    _write(
        tmp_path / "d", "log.csv", ["呼叫编号,日期,时间,坐席工号,排队时长(秒),通话时长(秒)", *rows]
    )
    p = _part(_load(tmp_path / "d", tmp_path))
    assert p["start"].tolist() == [pd.Timestamp(x) for x in starts]


# --------------------------------------------------------------------------------------------
# Start times every row of which was refused: UTC offsets (ISO "Z", "+08:00"), 12-hour clocks
# with the date, Chinese 上午/下午, fractional seconds after slashes.


@pytest.mark.parametrize(
    ("zone", "cells", "starts"),
    [
        (
            "Asia/Shanghai",
            ["2026-03-02T01:05:03Z", "2026-03-02T09:10:00+08:00", "2026-03-02 09:20:00 +0800"],
            ["2026-03-02 09:05:03", "2026-03-02 09:10:00", "2026-03-02 09:20:00"],
        ),
        (
            "America/New_York",
            ["2026-03-02T17:30:00.250Z", "2026-03-02T12:40:00-05:00", "2026-03-31T23:59:00-04:00"],
            ["2026-03-02 12:30:00.250", "2026-03-02 12:40:00", "2026-03-31 23:59:00"],
        ),
        (
            "Asia/Shanghai",
            ["3/2/2026 9:05 PM", "2026-03-02 下午 1:05:10", "2026/03/02 09:05:03.5"],
            ["2026-03-02 21:05:00", "2026-03-02 13:05:10", "2026-03-02 09:05:03.5"],
        ),
    ],
)
def test_start_time_forms(tmp_path: Path, zone: str, cells: list[str], starts: list[str]) -> None:
    rows = [f"C{i},{c},K1,5,60" for i, c in enumerate(cells)]
    _write(tmp_path / "d", "log.csv", ["Call ID,Call Start,Agent ID,Wait,Talk", *rows])
    ds = _load(tmp_path / "d", tmp_path, _cfg(timezone=zone))
    assert _part(ds)["start"].tolist() == [pd.Timestamp(x) for x in starts]
    assert _dq(ds, "bad_date").empty


@pytest.mark.parametrize(
    ("times", "starts"),
    [
        (["上午9:05", "下午 1:05:10", "12:30:00 上午"], ["09:05:00", "13:05:10", "00:30:00"]),
        (["9:05:03 AM", "1:05 PM", "11:59:59 PM"], ["09:05:03", "13:05:00", "23:59:59"]),
    ],
)
def test_time_of_day_forms(tmp_path: Path, times: list[str], starts: list[str]) -> None:
    rows = [f"C{i},2026-03-02,{t},K1,5,60" for i, t in enumerate(times)]
    _write(
        tmp_path / "d", "log.csv", ["呼叫编号,日期,时间,坐席工号,排队时长(秒),通话时长(秒)", *rows]
    )
    p = _part(_load(tmp_path / "d", tmp_path))
    assert p["start"].tolist() == [pd.Timestamp(f"2026-03-02 {x}") for x in starts]


# --------------------------------------------------------------------------------------------
# A month whose calls are all outbound: the service page failed with an IndexError (the KPIs,
# inbound only, had no department row) and the run published nothing.


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_outbound_only_month_is_said_not_crashed(tmp_path: Path, lang: str) -> None:
    from analysis.views import service as view

    _write(
        tmp_path / "d",
        "log.csv",
        [
            "呼叫编号,呼入时间,呼叫方向,坐席工号,呼叫结果,排队时长(秒),通话时长(秒)",
            "C1,2026-02-27 09:00:00,呼入,K1,接通,5,100",
            "C2,2026-03-02 09:00:00,呼出,K1,接通,0,100",
            "C3,2026-03-03 10:00:00,out,K2,未接通,0,0",
        ],
    )
    cfg = _cfg()
    ds = _load(tmp_path / "d", tmp_path, cfg)
    v = view.build(ds, cfg, "2026-03", lang)
    assert not v.has_data
    assert v.notes == [view.words(lang, "service")("no_inbound", period="2026-03")]
    assert "2026-03" in v.notes[0]
    # The month before, with its inbound call, still reports.
    feb = view.build(ds, cfg, "2026-02", lang)
    assert feb.has_data and int(feb.kpis.iloc[0]["offered"]) == 1


# --------------------------------------------------------------------------------------------
# Complaints still open but younger than the limit at the records' horizon are left out of
# "closed within 3 days": the page showed 100 % with two complaints open and said nothing.


@pytest.mark.parametrize(
    ("rows", "n", "judged", "horizon"),
    [
        (
            [
                "T1,2026-03-02 10:00,KF01,已结案,2026-03-02 12:00",
                "T2,2026-03-05 10:00,KF01,处理中,",
                "T3,2026-03-06 10:00,KF02,Open,",
            ],
            2,
            1,
            "2026-03-06 10:00",
        ),
        (
            [
                "T1,2026-03-01 10:00,KF01,Pending,",
                "T2,2026-03-02 10:00,KF01,Closed,2026-03-09 12:00",
                "T3,2026-03-08 10:00,KF02,Open,",
            ],
            1,
            2,
            "2026-03-09 12:00",
        ),
    ],
)
def test_pending_complaints_are_said(
    tmp_path: Path, rows: list[str], n: int, judged: int, horizon: str
) -> None:
    from analysis.views import service as view

    _write(tmp_path / "d", "log.csv", ["呼入时间,坐席工号,排队时长(秒),通话时长(秒)",
                                       "2026-03-02 09:00:00,KF01,5,60"])  # fmt: skip
    path = tmp_path / "d" / "complaints" / "t.csv"
    path.parent.mkdir(parents=True)
    path.write_text(
        "\n".join(["投诉单号,受理时间,被投诉工号,处理状态,结案时间", *rows]) + "\n", "utf-8"
    )
    cfg = _cfg()
    ds = _load(tmp_path / "d", tmp_path, cfg)
    v = view.build(ds, cfg, "2026-03", "en")
    note = [x for x in v.notes if "not judged yet" in x]
    assert len(note) == 1
    assert note[0].startswith(f"{n} complaint(s) of this month are still open")
    assert f"({horizon})" in note[0] and f"counts the other {judged}." in note[0]
    k = v.kpis[(v.kpis["level"] == "all") & (v.kpis["period"] == "2026-03")].iloc[0]
    assert int(k["complaints"]) == 3


# --------------------------------------------------------------------------------------------
# Excel-escaped text in a CSV (="0101", how exports keep leading zeros): the agent '="KF0102"'
# matched no roster entry (team "unassigned" in silence) and an escaped start was refused.


@pytest.mark.parametrize(
    ("cells", "ids", "agents", "waits"),
    [
        (['="0001",="2026-03-02 09:00:00",="KF0101",="10"', '="0002",2026-03-02 09:10:00,="kf 0102",30'],
         ["0001", "0002"], ["KF0101", "KF0102"], [10.0, 30.0]),
        (['="A-7",2026-03-02 09:00:00,="0101",5', "B8,2026-03-02 09:10:00,0102,\"=\"\"\"\"\""],
         ["A-7", "B8"], ["0101", "0102"], [5.0, -1]),
    ],
)  # fmt: skip
def test_excel_escaped_text(
    tmp_path: Path, cells: list[str], ids: list[str], agents: list[str], waits: list[float]
) -> None:
    _write(tmp_path / "d", "log.csv", ["Call ID,Call Start,Agent ID,Wait", *cells])
    p = _part(_load(tmp_path / "d", tmp_path))
    assert p["call_id"].tolist() == ids
    assert p["agent_id"].tolist() == agents
    assert p["wait_s"].fillna(-1).tolist() == waits


# --------------------------------------------------------------------------------------------
# Agent IDs of the log not on the roster (0101 vs KF0101): every call went to "(unassigned)" in
# the team table and the real teams showed nothing, without a word.


@pytest.mark.parametrize(
    ("agents", "n", "calls", "ids"),
    [(["101", "102", "KF0101"], 2, 2, "101, 102"), (["X9", "X9", "X8", ""], 2, 3, "X8, X9")],
)
def test_agents_not_on_the_roster_are_said(
    tmp_path: Path, agents: list[str], n: int, calls: int, ids: str
) -> None:
    import openpyxl

    from analysis.views import service as view

    folder = tmp_path / "d"
    rows = [
        f"C{i},2026-03-02 09:0{i}:00,{a},{'接通' if a else '放弃'},5,60"
        for i, a in enumerate(agents)
    ]
    _write(
        folder, "log.csv", ["呼叫编号,呼入时间,坐席工号,呼叫结果,排队时长(秒),通话时长(秒)", *rows]
    )
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "花名册"
    ws.append(["工号", "姓名", "处", "组", "组长"])
    ws.append(["KF0101", "朱雨", "售前处", "售前一组", "朱雨"])
    wb.save(folder / "roster.xlsx")
    cfg = _cfg()
    ds = _load(folder, tmp_path, cfg)
    v = view.build(ds, cfg, "2026-03", "en")
    note = [x for x in v.notes if "not on the roster" in x]
    assert note == [
        f"{n} agent ID(s) in the call log are not on the roster (e.g. {ids}): their {calls} "
        "answered calls count under “(not on the roster, or no team)” in the team table, not in "
        "any team. An ID written another way than on the roster (0101 vs KF0101) is the usual "
        "cause."
    ]


@pytest.mark.parametrize(
    ("first", "second", "n"), [("全部", "3月第1周", 2), ("March", "Week 10", 1)]
)
def test_repeated_call_ids_across_sheets_of_one_workbook(
    tmp_path: Path, first: str, second: str, n: int
) -> None:
    """A workbook holding the month and one of its weeks: the week's calls were counted twice
    without a word (the per-file time-overlap check sees one file)."""
    import datetime as dt

    import openpyxl

    head = ["呼叫编号", "呼入时间", "坐席工号", "呼叫结果", "排队时长(秒)", "通话时长(秒)"]
    rows = [
        ["C1", dt.datetime(2026, 3, 2, 9, 0), "K1", "接通", 10, 100],
        ["C2", dt.datetime(2026, 3, 2, 9, 30), None, "放弃", 40, None],
        ["C3", dt.datetime(2026, 3, 9, 9, 30), "K1", "接通", 5, 60],
    ]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = first
    for r in [head, *rows]:
        ws.append(r)
    ws2 = wb.create_sheet(second)
    for r in [head, *rows[:n]]:
        ws2.append(r)
    path = tmp_path / "d" / "calls" / "calls.xlsx"
    path.parent.mkdir(parents=True)
    wb.save(path)
    ds = _load(tmp_path / "d", tmp_path)
    w = _dq(ds, "call_id_repeated")
    assert len(w) == 1
    assert (w.at[0, "sheet"], int(w.at[0, "row"]), w.at[0, "column"], w.at[0, "value"]) == (
        second,
        2,
        "呼叫编号",
        "C1",
    )
    assert f"{n} rows repeat" in w.at[0, "message"]


# --------------------------------------------------------------------------------------------
# A row of units under the header ("", "毫秒", "秒"): it was an error row (no start) and the
# milliseconds were read as seconds (ASA 10,000 s).


@pytest.mark.parametrize(
    ("units", "wait", "talk"),
    [(",,,,毫秒,毫秒", [10.0, 30.0], [100.0, 0.0]), (",,,,(s),(min)", [10000.0, 30000.0], [6e6, 0.0]),
     (",,,,ms,sec", [10.0, 30.0], [100000.0, 0.0])],
)  # fmt: skip
def test_units_row_under_the_header(
    tmp_path: Path, units: str, wait: list[float], talk: list[float]
) -> None:
    _write(
        tmp_path / "d",
        "log.csv",
        [
            "呼叫编号,呼入时间,坐席工号,呼叫结果,排队时长,通话时长",
            units,
            "C1,2026-03-02 09:00:00,K1,接通,10000,100000",
            "C2,2026-03-02 09:10:00,,放弃,30000,0",
        ],
    )
    ds = _load(tmp_path / "d", tmp_path)
    p = _part(ds)
    assert p["wait_s"].tolist() == wait and p["talk_s"].tolist() == talk
    u = _dq(ds, "call_unit_row")
    assert u["row"].astype(int).tolist() == [2] and u["severity"].tolist() == ["info"]
    assert ds.dq[ds.dq["severity"] == "error"].empty
    r = ds.inputs.iloc[0]
    assert (int(r["rows_read"]), int(r["rows_loaded"]), int(r["rows_note"])) == (3, 2, 1)


def test_a_first_call_row_is_not_a_units_row(tmp_path: Path) -> None:
    _write(
        tmp_path / "d",
        "log.csv",
        [
            "呼叫编号,呼入时间,坐席工号,呼叫结果,排队时长(秒),通话时长(秒)",
            "C1,2026-03-02 09:00:00,K1,接通,12,100",
        ],
    )
    ds = _load(tmp_path / "d", tmp_path)
    assert _part(ds)["wait_s"].tolist() == [12.0]
    assert _dq(ds, "call_unit_row").empty
