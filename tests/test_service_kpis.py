"""Service KPIs (analysis.service.kpis) on small hand-made call logs with exact expected values.

The logs are canonical frames written to Parquet, read back through ``analysis.io.engine`` as the
reports do, so the Ibis queries run on the real engine (DuckDB; Spark in local mode, marked slow).
"""

from __future__ import annotations

import math
import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis.config import load_config
from analysis.errors import ConfigError, FrameError
from analysis.io import engine
from analysis.service import kpis as K

NAN = float("nan")
COLUMNS = list(engine.CALL_SCHEMA)


def call(
    start: str,
    queue: str | None,
    agent: str | None,
    answered: bool,
    wait: float | None,
    talk: float | None = None,
    hold: float | None = None,
    wrap: float | None = None,
    rating: float | None = None,
    caller: int | None = None,
    direction: str = "in",
) -> dict:
    return {
        "start": start,
        "queue": queue,
        "agent_id": agent,
        "direction": direction,
        "answered": answered,
        "wait_s": wait,
        "talk_s": talk,
        "hold_s": hold,
        "wrap_s": wrap,
        "rating": rating,
        "caller_key": caller,
    }


# October: 8 inbound calls (4 answered, 4 abandoned: 3 s, 5 s, 40 s, no wait), one outbound;
# caller 111 calls on 1 Oct, again on day 6 (7 Oct) and again on day 8 after that (15 Oct);
# caller 444 calls at 23:50 on 31 Oct (a 21-minute call: it ends in November) and on 3 Nov.
# December: one short abandon only (no answered call).
CALLS = [
    call("2026-10-01 09:00:00", "Q1", "A1", True, 10, 100, 20, 30, 5, 111),  # c1
    call("2026-10-07 09:00:00", "Q1", "A2", True, 30, 200, None, None, None, 111),  # c2
    call("2026-10-15 09:00:00", "Q2", "A1", True, 20, 60, 0, 0, 3, 111),  # c3
    call("2026-10-02 10:00:00", "Q1", None, False, 3, caller=222),  # c4 below 5 s
    call("2026-10-02 10:10:00", "Q2", None, False, 5),  # c5 at 5 s, no caller id
    call("2026-10-02 10:20:00", "Q2", None, False, 40, caller=333),  # c6 above
    call("2026-10-31 23:50:00", "Q1", "A3", True, 8, 1200, 0, 60, 4, 444),  # c7 over midnight
    call("2026-10-03 12:00:00", "Q1", None, False, None, caller=666),  # c10 abandoned, no wait
    call("2026-10-05 11:00:00", "Q1", "A1", True, 1, 50, 0, 0, 1, 555, "out"),  # c9 outbound
    call("2026-11-03 10:00:00", "Q1", "A1", True, 12, 90, 0, 10, 2, 444),  # c8
    call("2026-12-01 08:00:00", "Q1", None, False, 2, caller=777),  # c11 short abandon
]
ROSTER = pd.DataFrame({"agent_id": ["A1", "A2"], "team": ["T1", "T2"]})


def complaint(cid, received, closed, agent, channel, kind) -> dict:
    return {
        "complaint_id": cid,
        "received": pd.Timestamp(received),
        "channel": channel,
        "type": kind,
        "agent_id": agent,
        "owner": None,
        "status": "closed" if closed else "open",
        "closed": pd.Timestamp(closed) if closed else pd.NaT,
        "source_file": "complaints/c.csv",
        "source_sheet": "",
        "source_row": 2,
    }


COMPLAINTS = pd.DataFrame(
    [
        complaint("k1", "2026-10-02 09:00", "2026-10-04 09:00", "A1", "phone", "attitude"),  # 2 d
        complaint("k2", "2026-10-05 10:00", "2026-10-09 10:00", "A2", "web", "billing"),  # 4 d
        complaint("k3", "2026-10-10 08:00", None, "A2", "web", "billing"),  # open, overdue
        complaint("k4", "2026-10-30 12:00", None, None, "phone", "attitude"),  # open, 0 d: pending
        complaint("k5", "2026-10-20 08:00", "2026-10-23 08:00", "A3", "phone", None),  # 3 d exactly
    ]
)


def calls_frame(rows: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(rows)
    n = len(df)
    return pd.DataFrame(
        {
            "call_id": pd.array([f"c{i}" for i in range(n)], dtype="string"),
            "start": pd.to_datetime(df["start"]).astype("datetime64[us]"),
            "queue": pd.array(df["queue"], dtype="string"),
            "agent_id": pd.array(df["agent_id"], dtype="string"),
            "direction": pd.array(df["direction"], dtype="string"),
            "answered": df["answered"].astype(bool),
            "wait_s": pd.to_numeric(df["wait_s"]).astype("float64"),
            "talk_s": pd.to_numeric(df["talk_s"]).astype("float64"),
            "hold_s": pd.to_numeric(df["hold_s"]).astype("float64"),
            "wrap_s": pd.to_numeric(df["wrap_s"]).astype("float64"),
            "rating": pd.to_numeric(df["rating"]).astype("float64"),
            "resolved": pd.array(
                df["resolved"] if "resolved" in df else [None] * n, dtype="boolean"
            ),
            "caller_key": pd.array(df["caller_key"], dtype="Int64"),
            "source_file": pd.array(["calls/log.csv"] * n, dtype="string"),
            "source_sheet": pd.array([""] * n, dtype="string"),
            "source_row": pd.array(range(2, n + 2), dtype="int64"),
        }
    )[COLUMNS]


def write_parts(tmp_path: Path, rows: list[dict], parts: int = 2) -> list[str]:
    """The log as ``parts`` Parquet files, like the loader's one part per input file."""
    df = calls_frame(rows)
    paths = []
    for i in range(parts):
        path = tmp_path / f"part{i}.parquet"
        df.iloc[i::parts].to_parquet(path, index=False)
        paths.append(str(path))
    return paths


@pytest.fixture(scope="module")
def cfg() -> dict:
    return load_config()


@pytest.fixture
def table(tmp_path: Path, cfg: dict):
    con = engine.connect(cfg)
    return engine.calls_table(con, write_parts(tmp_path, CALLS))


def row(df: pd.DataFrame, period: str, level: str, key: str) -> pd.Series:
    hit = df[(df["period"] == period) & (df["level"] == level) & (df["key"] == key)]
    assert len(hit) == 1, f"{period} {level} {key}: {len(hit)} rows"
    return hit.iloc[0]


def check(r: pd.Series, **expected: float | None) -> None:
    for name, want in expected.items():
        got = r[name]
        if want is None:
            assert pd.isna(got), f"{name}: {got!r}, expected null"
        else:
            assert not pd.isna(got), f"{name}: null, expected {want!r}"
            assert math.isclose(float(got), want, rel_tol=1e-12), f"{name}: {got!r} != {want!r}"


# ---------------------------------------------------------------------------------------------


def test_department_level_october(table, cfg) -> None:
    out = K.kpis(table, COMPLAINTS, ROSTER, cfg)
    assert list(out.columns) == K.KPI_COLUMNS
    check(
        row(out, "2026-10", "all", "all"),
        offered=8,  # the outbound call is not offered
        answered=4,
        abandoned=4,
        short_abandoned=1,  # 3 s only: 5 s is not below 5, a null wait is not short
        answer_rate=4 / 7,
        service_level=3 / 7,  # 10 s, 20 s (at T counts), 8 s of (8 − 1)
        asa_s=(10 + 30 + 20 + 8) / 4,
        aht_s=(150 + 200 + 60 + 1260) / 4,  # null hold/wrap as 0
        csat=2 / 3,  # the missing rating is left out
        fcr=2 / 4,  # day-6 repeat: c1 not resolved; day-8 one: c2 resolved; c7 by 3 Nov
        complaints=5,
        complaint_rate=5 * 1000 / 4,
        closed_3d_rate=2 / 4,  # 2 d and 3 d in time; 4 d late, old open late; young open pending
    )


def test_month_after_and_month_without_answered_calls(table, cfg) -> None:
    out = K.kpis(table, COMPLAINTS, ROSTER, cfg)
    check(
        row(out, "2026-11", "all", "all"),
        offered=1,
        answered=1,
        answer_rate=1.0,
        service_level=1.0,
        csat=0.0,
        fcr=1.0,
        complaints=0,
        complaint_rate=0.0,
        closed_3d_rate=None,
    )
    check(
        row(out, "2026-12", "all", "all"),
        offered=1,
        answered=0,
        abandoned=1,
        short_abandoned=1,
        answer_rate=None,
        service_level=None,
        asa_s=None,
        aht_s=None,
        csat=None,
        fcr=None,
        complaints=0,
        complaint_rate=None,
        closed_3d_rate=None,
    )
    assert set(out["period"]) == {"2026-10", "2026-11", "2026-12"}  # the midnight call: October


def test_queue_team_and_agent_levels(table, cfg) -> None:
    out = K.kpis(table, COMPLAINTS, ROSTER, cfg)
    oct_ = out[out["period"] == "2026-10"]
    assert sorted(oct_[oct_["level"] == "queue"]["key"]) == ["Q1", "Q2"]
    check(row(out, "2026-10", "queue", "Q1"), offered=5, answered=3, short_abandoned=1,
          answer_rate=3 / 4, service_level=2 / 4, complaints=None, complaint_rate=None)  # fmt: skip
    check(row(out, "2026-10", "queue", "Q2"), offered=3, answered=1, abandoned=2,
          answer_rate=1 / 3, service_level=1 / 3)  # fmt: skip
    teams = sorted(oct_[oct_["level"] == "team"]["key"])
    assert teams == sorted(["T1", "T2", K.UNASSIGNED, K.NO_AGENT])
    check(row(out, "2026-10", "team", "T1"), offered=2, answered=2, asa_s=15.0, aht_s=105.0,
          csat=0.5, fcr=0.5, complaints=1, complaint_rate=500.0, closed_3d_rate=1.0)  # fmt: skip
    check(row(out, "2026-10", "team", "T2"), offered=1, asa_s=30.0, aht_s=200.0, csat=None,
          fcr=1.0, complaints=2, complaint_rate=2000.0, closed_3d_rate=0.0)  # fmt: skip
    check(row(out, "2026-10", "team", K.UNASSIGNED), offered=1, asa_s=8.0, aht_s=1260.0,
          csat=1.0, fcr=0.0, complaints=1, closed_3d_rate=1.0)  # fmt: skip
    check(row(out, "2026-10", "team", K.NO_AGENT), offered=4, answered=0, abandoned=4,
          short_abandoned=1, answer_rate=None, asa_s=None, complaints=1, complaint_rate=None,
          closed_3d_rate=None)  # fmt: skip
    check(row(out, "2026-10", "agent", "A1"), offered=2, complaints=1, complaint_rate=500.0)
    # abandons reach no agent: a rate over offered calls per agent or team would read 100 % (or
    # 0 % for "no agent") — blank instead; answered within T ÷ answered still means something
    people = oct_[oct_["level"].isin(["team", "agent"])]
    assert people["answer_rate"].isna().all() and people["service_level"].isna().all()
    by_answered = K.kpis(table, COMPLAINTS, ROSTER, {**cfg["service"],
                         "service_level_variant": "answered"})  # fmt: skip
    # T1 = A1: c1 (10 s) and c3 (20 s) within 20 s; T2 = A2: c2 waited 30 s
    check(row(by_answered, "2026-10", "team", "T1"), answer_rate=None, service_level=1.0)
    check(row(by_answered, "2026-10", "team", "T2"), answer_rate=None, service_level=0.0)
    check(row(out, "2026-10", "agent", "A3"), offered=1, fcr=0.0, closed_3d_rate=1.0)
    # every call and every complaint is in each level once
    for level in ("queue", "team", "agent"):
        part = oct_[oct_["level"] == level]
        assert part["offered"].sum() == 8
        if level != "queue":
            assert part["complaints"].sum() == 5


@pytest.mark.parametrize(
    ("variant", "expected"),
    [("net", 3 / 7), ("answered", 3 / 4), ("offered", 3 / 8), ("abandons_in_threshold", 5 / 8)],
)
def test_service_level_variants(table, cfg, variant: str, expected: float) -> None:
    rules = {**cfg["service"], "service_level_variant": variant}
    out = K.kpis(table, COMPLAINTS, ROSTER, rules)
    check(row(out, "2026-10", "all", "all"), service_level=expected)
    # December: one short abandon, nothing answered
    dec = {"net": None, "answered": None, "offered": 0.0, "abandons_in_threshold": 1.0}
    check(row(out, "2026-12", "all", "all"), service_level=dec[variant])


def test_short_abandon_threshold_is_configurable(table, cfg) -> None:
    rules = {**cfg["service"], "short_abandon_s": 6}  # now 3 s and 5 s are short
    out = K.kpis(table, COMPLAINTS, ROSTER, rules)
    check(row(out, "2026-10", "all", "all"), short_abandoned=2, answer_rate=4 / 6)


def test_fcr_window_is_configurable(table, cfg) -> None:
    rules = {**cfg["service"], "fcr_days": 9}  # the day-8 repeat now counts too
    out = K.kpis(table, COMPLAINTS, ROSTER, rules)
    check(row(out, "2026-10", "all", "all"), fcr=1 / 4)


def test_intervals_count_a_call_where_it_started(table, cfg) -> None:
    out = K.intervals(table, cfg)
    assert list(out.columns) == K.INTERVAL_COLUMNS
    assert len(out) == 9
    assert out["offered"].sum() == 10  # inbound only
    late = out[(out["date"] == pd.Timestamp("2026-10-31")) & (out["interval_start"] == "23:30")]
    assert late[["queue", "offered", "answered", "abandoned"]].values.tolist() == [["Q1", 1, 1, 0]]
    check(late.iloc[0], asa_s=8.0, aht_s=1260.0)
    q2 = out[(out["date"] == pd.Timestamp("2026-10-02")) & (out["queue"] == "Q2")]
    assert q2["interval_start"].tolist() == ["10:00"]
    check(q2.iloc[0], offered=2, answered=0, abandoned=2, asa_s=None, aht_s=None)
    hourly = K.intervals(table, {**cfg["service"], "interval_min": 60})
    assert set(hourly["interval_start"]) == {"09:00", "10:00", "12:00", "23:00", "08:00"}


def test_complaint_stats(cfg) -> None:
    stats = K.complaint_stats(COMPLAINTS, cfg)
    by_type = stats["by_type"].set_index("type")
    assert by_type.loc["attitude", ["received", "closed_in_3d", "open"]].tolist() == [2, 1, 1]
    assert by_type.loc["billing", ["received", "closed_in_3d", "open"]].tolist() == [2, 0, 1]
    assert by_type.loc[K.UNKNOWN, ["received", "closed_in_3d", "open"]].tolist() == [1, 1, 0]
    by_channel = stats["by_channel"].set_index("channel")
    assert by_channel.loc["phone", ["received", "closed_in_3d", "open"]].tolist() == [3, 2, 1]
    assert by_channel.loc["web", ["received", "closed_in_3d", "open"]].tolist() == [2, 0, 1]
    weekly = stats["weekly"]
    assert weekly["week"].tolist() == ["2026-W40", "2026-W41", "2026-W43", "2026-W44"]
    assert weekly["week_start"].tolist() == [
        pd.Timestamp(d) for d in ("2026-09-28", "2026-10-05", "2026-10-19", "2026-10-26")
    ]
    assert weekly[["received", "closed_in_3d", "open"]].values.tolist() == [
        [1, 1, 0],
        [2, 0, 1],
        [1, 1, 0],
        [1, 0, 1],
    ]


def test_open_complaint_judged_at_a_later_horizon(table, cfg) -> None:
    """With the records' horizon 3 days later, the young open complaint is late, not pending."""
    rules = {**cfg["service"], "as_of": "2026-11-02 12:00"}
    out = K.kpis(table, COMPLAINTS, ROSTER, rules)
    check(row(out, "2026-10", "all", "all"), closed_3d_rate=2 / 5)
    check(row(out, "2026-10", "team", K.NO_AGENT), closed_3d_rate=0.0)


def test_no_complaint_records_is_unknown_not_zero(table, cfg) -> None:
    out = K.kpis(table, None, ROSTER, cfg)
    check(row(out, "2026-10", "all", "all"), complaints=None, complaint_rate=None)
    empty = K.kpis(table, COMPLAINTS.iloc[0:0], ROSTER, cfg)
    check(row(empty, "2026-10", "all", "all"), complaints=0, complaint_rate=0.0)


def test_target_check(table, cfg) -> None:
    out = K.kpis(table, COMPLAINTS, ROSTER, cfg)
    verdict = K.target_check(out[out["level"] == "all"], cfg)
    assert list(verdict.columns) == ["period", "kpi", "value", "target", "op", "met"]
    nov = verdict[verdict["period"] == "2026-11"].set_index("kpi")
    assert nov.loc["answer_rate", "met"] is True or bool(nov.loc["answer_rate", "met"])
    assert nov.loc["complaint_rate", "op"] == "<="
    assert bool(nov.loc["complaint_rate", "met"])  # 0 per 1,000 ≤ 1.0
    assert not bool(nov.loc["csat", "met"])
    assert pd.isna(nov.loc["closed_3d_rate", "met"])  # no complaint: no verdict
    dec = verdict[verdict["period"] == "2026-12"]
    assert dec["met"].isna().all()  # nothing answered: every KPI null, met null (not False)
    oct_ = verdict[verdict["period"] == "2026-10"].set_index("kpi")
    assert math.isclose(oct_.loc["csat", "value"], 2 / 3)
    assert oct_.loc["csat", "target"] == 0.80
    assert not oct_["met"].any()


def test_target_at_the_boundary_is_met(cfg) -> None:
    frame = pd.DataFrame({"period": ["2026-10"], "level": ["all"], "csat": [4 / 5]})
    verdict = K.target_check(frame, {**cfg["service"], "targets": {"csat": 0.80}})
    assert verdict["met"].tolist() == [True]


def test_empty_log(tmp_path: Path, cfg) -> None:
    con = engine.connect(cfg)
    t = engine.calls_table(con, [])
    out = K.kpis(t, None, ROSTER, cfg)
    assert out.empty and list(out.columns) == K.KPI_COLUMNS
    assert K.intervals(t, cfg).empty


@pytest.mark.parametrize(
    ("key", "value", "words"),
    [
        ("service_level_variant", "gross", "service_level_variant = 'gross'"),
        ("short_abandon_s", -1, "short_abandon_s = -1"),
        ("service_level_s", "20", "service_level_s = '20'"),
        ("interval_min", 7, "interval_min = 7"),
        ("fcr_days", 0, "fcr_days = 0"),
        ("satisfied_min", 6, "satisfied_min = 6"),
        ("engine", "oracle", "engine = 'oracle'"),
        ("threads", 0, "threads = 0"),
    ],
)
def test_rules_are_checked_at_the_boundary(cfg, key: str, value, words: str) -> None:
    with pytest.raises(ConfigError, match=words.replace("[", r"\[")):
        K.service_rules({**cfg["service"], key: value})


def test_targets_are_checked(cfg) -> None:
    with pytest.raises(ConfigError, match=r"\[service.targets\] csat = -0.1"):
        K.service_rules({**cfg["service"], "targets": {"csat": -0.1}})
    with pytest.raises(ConfigError, match="aht"):
        K.service_rules({**cfg["service"], "targets": {"aht": 300}})


def test_engine_errors_are_one_sentence(cfg, monkeypatch) -> None:
    with pytest.raises(engine.EngineError, match="engine = 'oracle' is not known"):
        engine.connect({"service": {**cfg["service"], "engine": "oracle"}})
    with pytest.raises(engine.EngineError, match="needs engine_url"):
        engine.connect({"service": {**cfg["service"], "engine": "trino"}})
    monkeypatch.setitem(sys.modules, "trino", None)  # the package is missing
    with pytest.raises(engine.EngineError, match="trino.*not installed"):
        engine.connect(
            {"service": {**cfg["service"], "engine": "trino", "engine_url": "trino://h:1/c/s"}}
        )


def test_calls_table_names_a_missing_column(tmp_path: Path, cfg) -> None:
    path = tmp_path / "bad.parquet"
    calls_frame(CALLS).drop(columns=["wait_s"]).to_parquet(path, index=False)
    with pytest.raises(engine.EngineError, match="wait_s"):
        engine.calls_table(engine.connect(cfg), [str(path)])


@pytest.mark.slow
def test_same_kpis_on_spark_local(tmp_path: Path, cfg) -> None:
    """The distributed path: the same Ibis queries on a local Spark session give the same frame."""
    pytest.importorskip("pyspark", reason="pyspark is not installed: the Spark path is untested")
    if shutil.which("java") is None:
        pytest.skip("no Java runtime: Spark cannot start")
    parts = write_parts(tmp_path, CALLS)
    duck = engine.calls_table(engine.connect(cfg), parts)
    spark_cfg = {"service": {**cfg["service"], "engine": "pyspark", "threads": 1}}
    con = engine.connect(spark_cfg)
    try:
        spark = engine.calls_table(con, parts)
        want = K.kpis(duck, COMPLAINTS, ROSTER, cfg)
        got = K.kpis(spark, COMPLAINTS, ROSTER, cfg)
        pd.testing.assert_frame_equal(got, want)
        pd.testing.assert_frame_equal(K.intervals(spark, cfg), K.intervals(duck, cfg))
    finally:
        con._session.stop()


def test_complaint_without_received_time_stops_with_its_row(cfg) -> None:
    bad = COMPLAINTS.assign(
        received=[COMPLAINTS["received"].iloc[0], pd.NaT, *COMPLAINTS["received"].iloc[2:]]
    )
    with pytest.raises(FrameError, match="complaints/c.csv.*received"):
        K.complaint_stats(bad, cfg)


def test_duckdb_takes_its_limits_from_config(cfg) -> None:
    con = engine.connect({"service": {**cfg["service"], "threads": 1, "memory_limit": "700MB"}})
    threads, limit, spill = con.raw_sql(
        "SELECT current_setting('threads'), current_setting('memory_limit'), "
        "current_setting('temp_directory')"
    ).fetchone()
    assert threads == 1
    assert limit.replace(" ", "").upper() in {"667.5MIB", "700.0MB", "700MB"}
    assert "analysis-duckdb-" in spill


def test_a_null_typed_column_in_a_part_is_read_as_its_type(tmp_path: Path, cfg) -> None:
    """A log without a queue column (the PwC export) once gave a Parquet column of the NULL type;
    the KPIs then failed with an IbisTypeError. calls_table casts it back to a string."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [
        call("2026-03-02 09:00:00", None, "A1", True, 10, 100, rating=5, caller=1),
        call("2026-03-02 09:10:00", None, None, False, 3, caller=2),
        call("2026-03-02 09:40:00", None, None, False, 30, caller=3),
    ]
    arrow = pa.Table.from_pandas(calls_frame(rows), preserve_index=False)
    arrow = arrow.set_column(
        COLUMNS.index("queue"), pa.field("queue", pa.null()), pa.nulls(3, pa.null())
    )
    path = tmp_path / "noqueue.parquet"
    pq.write_table(arrow, path)
    assert pq.read_schema(path).field("queue").type == pa.null()
    t = engine.calls_table(engine.connect(cfg), [str(path)])
    assert str(t.queue.type()) == "string"
    out = K.kpis(t, None, None, cfg)
    check(row(out, "2026-03", "queue", K.NO_QUEUE), offered=3, answered=1, answer_rate=0.5)
    iv = K.intervals(t, cfg)
    assert iv[["interval_start", "queue", "offered"]].values.tolist() == [
        ["09:00", K.NO_QUEUE, 2],
        ["09:30", K.NO_QUEUE, 1],
    ]
    from analysis.service import staffing_feed

    facts = staffing_feed.interval_facts(t, cfg)  # where the report failed: queue.fill_null
    assert facts["queue"].tolist() == [K.NO_QUEUE, K.NO_QUEUE]


def test_resolved_rate_is_the_export_s_flag_over_answered_calls_that_carry_it(
    tmp_path: Path, cfg: dict
) -> None:
    """是否解决 as the export marks it: yes 2, no 1, blank 1 among answered calls → 2 ÷ 3; an
    abandoned call marked resolved does not count; a month without any flag is blank, not 0 %."""
    flags = [True, False, True, None, True]
    rows = [
        {**call(f"2026-10-0{i + 1} 09:00:00", "Q1", "A1", True, 5, 60), "resolved": f}
        for i, f in enumerate(flags[:4])
    ]
    rows.append({**call("2026-10-09 09:00:00", "Q1", None, False, 30), "resolved": flags[4]})
    rows.append({**call("2026-11-02 09:00:00", "Q1", "A1", True, 5, 60), "resolved": None})
    con = engine.connect(cfg)
    out = K.kpis(engine.calls_table(con, write_parts(tmp_path, rows)), None, ROSTER, cfg)
    check(row(out, "2026-10", "all", "all"), resolved_rate=2 / 3)
    check(row(out, "2026-10", "agent", "A1"), resolved_rate=2 / 3)
    check(row(out, "2026-11", "all", "all"), resolved_rate=None)
