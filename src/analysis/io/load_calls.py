"""Call logs (one row per call) and per-agent daily ACD summaries in ``calls/``.

Why: a call log may be one file of 10^7+ rows, past what a spreadsheet or a pandas frame holds
comfortably. The header is found on the first rows with the shared header machinery
(``io/header.py``, the ``[call_aliases]`` table); then every row is converted in DuckDB by the
rules of ``io/call_rules.py`` (one definition for every file kind) and written once as the
canonical Parquet part (``schema.CALL_COLUMNS``) into the parse cache. Rows that cannot be a call
go to the data-quality list (the first rows of each reason in detail, one summary row with the
exact count), so every input row is loaded or reported.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.io import call_rules, rows
from analysis.io import values as V
from analysis.io.errors import InputError, dq_frame
from analysis.io.grid import CSV_SUFFIXES, Grid, col_letter
from analysis.io.header import Column, Table, cell_range, locate_all
from analysis.io.read import read_grids
from analysis.io.sheets import _dq, pin_for
from analysis.io.sniff import os_input_error
from analysis.io.text import as_written, decode_text, read_csv_grid
from analysis.schema import ACD_COLUMNS, CALL_COLUMNS, READING_COLUMNS

#: Data-quality rows in detail per reason code and file; the rest are counted in one row.
DETAIL_ROWS = 50
#: CSV files from this size on are streamed (pyarrow → DuckDB) instead of read as a grid.
STREAM_BYTES = 16 << 20
#: Rows of a streamed file read to find its header.
HEAD_BYTES = 1 << 20

DURATIONS = ("wait_s", "talk_s", "hold_s", "wrap_s")
ACD_DURATIONS = ("login_s", "talk_s", "wait_s", "pause_s", "wrap_s", "dead_s", "customer_s")
PARQUET_SUFFIXES = {".parquet", ".pq"}


def alias_cfg(cfg: Mapping[str, Any], section: str) -> dict[str, Any]:
    """The config the header finder sees for a table kind with its own alias table."""
    return {
        "aliases": cfg.get(section, {}) or {},
        "user_aliases": cfg.get(f"user_{section}", {}) or {},
    }


@dataclass
class _Source:
    """One table of call rows as a DuckDB relation of text columns ``c0 … cN`` and ``_row``."""

    sheet: str
    table: Table
    relation: str
    raw_cols: list[str]
    notes: list[str] = field(default_factory=list)
    #: Rows the reader could not split into cells (streamed CSV): (line, text).
    invalid: list[tuple[int, str]] = field(default_factory=list)
    #: A streamed CSV: (path, encoding, header row, texts of rows set aside by the reader).
    stream: tuple[Path, str, int, list[str]] | None = None
    #: A streamed CSV: a fresh reader of some of its columns (a second pass, when one is needed).
    reopen: Any = None


def load_calls_file(
    path: Path, rel: str, cfg: Mapping[str, Any], part: Path
) -> dict[str, pd.DataFrame]:
    """One file of ``calls/`` → frames ``acd``, ``dq``, ``readings`` and ``call_months`` (period,
    calls loaded, first and last start); call rows written to ``part`` (Parquet, ``schema.CALL_COLUMNS``) when the file
    holds any."""
    work = part.parent / f".work-{uuid.uuid4().hex[:8]}"
    work.mkdir(parents=True, exist_ok=True)
    con = call_rules.connect(cfg, str(work))
    out = _Out()
    try:
        suffix = path.suffix.lower()
        if suffix in PARQUET_SUFFIXES:
            sources = [_parquet_source(con, path, rel, cfg)]
        elif suffix in CSV_SUFFIXES and path.stat().st_size >= STREAM_BYTES:
            sources = [_stream_source(con, path, rel, cfg)]
        else:
            sources = _grid_sources(con, path, rel, cfg, out)
        staged = []
        for i, src in enumerate(sources):
            pinned = str(src.table.pin.get("layout") or "")
            try:
                if pinned == "agent_daily" or (pinned != "call_log" and _is_acd(src.table)):
                    _acd(con, src, cfg, out)
                    continue
                staged.append(_calls(con, src, cfg, work / f"stage-{i}.parquet", out))
            finally:
                # What the header search and the field choice noted (ambiguous columns …).
                out.dq.extend(src.table.dq)
        staged = [s for s in staged if s is not None]
        months = pd.DataFrame(
            {
                "period": pd.Series(dtype="str"),
                "calls": pd.Series(dtype="int64"),
                "first": pd.Series(dtype="datetime64[us]"),
                "last": pd.Series(dtype="datetime64[us]"),
            }
        )
        if staged:
            files = ", ".join(f"'{s}'" for s in staged)
            con.execute(
                f"COPY (SELECT {', '.join(CALL_COLUMNS)} FROM read_parquet([{files}]) "
                f"WHERE _reason IS NULL) TO '{part}' (FORMAT parquet, COMPRESSION zstd)"
            )
            _repeated_ids(con, part, rel, out)
            # The months a log covers, kept beside the part: Dataset.periods without a scan.
            months = con.execute(
                f"SELECT strftime(start, '%Y-%m') AS period, count(*)::BIGINT AS calls, "
                "min(start) AS first, max(start) AS last "
                f"FROM read_parquet('{part}') GROUP BY 1 ORDER BY 1"
            ).df()
        if not any(r.get("status") == "read" for r in out.readings):
            raise _no_table(rel, cfg)
    finally:
        con.close()
        shutil.rmtree(work, ignore_errors=True)
    return {
        "acd": pd.concat(out.acd, ignore_index=True)
        if out.acd
        else pd.DataFrame(columns=ACD_COLUMNS),
        "dq": dq_frame(out.dq),
        "readings": pd.DataFrame(out.readings).reindex(columns=READING_COLUMNS),
        "call_months": months,
    }


@dataclass
class _Out:
    acd: list[pd.DataFrame] = field(default_factory=list)
    dq: list[dict[str, Any]] = field(default_factory=list)
    readings: list[dict[str, Any]] = field(default_factory=list)
    #: Sheet → header of its call-id column (for the file's repeated-id check).
    id_headers: dict[str, str] = field(default_factory=dict)


def _is_acd(table: Table) -> bool:
    """An ACD summary: agent rows with a call count (and no per-call start or answered flag)."""
    return (
        table.has("calls")
        and (table.has("agent_id") or table.has("name"))
        and not table.has("start")
        and not table.has("answered")
    )


def _is_calls(table: Table) -> bool:
    return table.has("start") or table.has("date") or table.has("time")


# --------------------------------------------------------------------------------------------
# Sources: an xlsx/xls sheet or a small CSV (the grid readers), a big CSV (streamed), Parquet.


def _grid_sources(con, path: Path, rel: str, cfg, out: _Out) -> list[_Source]:
    limits = {**(cfg.get("limits", {}) or {})}
    limits["max_file_mb"] = limits.get("max_call_file_mb", limits.get("max_file_mb", 200))
    wanted = list(cfg.get("sheets", {}).get("calls", []) or []) or None
    grids = read_grids(path, rel, wanted, limits)
    acfg = alias_cfg(cfg, "call_aliases")
    sources = []
    for gi, grid in enumerate(grids):
        for note in grid.notes:
            out.dq.append(_dq(note["code"], rel, grid.sheet, value=note["value"]))
        pin = pin_for(cfg, rel, grid.sheet)
        base = {"file": rel, "sheet": grid.sheet, "kind": "calls"}
        if pin.get("skip"):
            out.readings.append({**base, "status": "skipped", "note": "skipped by config"})
            continue
        if grid.hidden and not pin.get("read_hidden"):
            if not grid.cells.empty:
                out.dq.append(_dq("hidden_sheet", rel, grid.sheet))
            out.readings.append({**base, "status": "hidden", "note": "hidden sheet, not read"})
            continue
        if grid.cells.empty:
            out.readings.append({**base, "status": "empty"})
            continue
        located = locate_all(grid, acfg, file_hint=rel, pin=pin)
        n = 0
        for ti, table in enumerate(located.tables):
            if not (_is_calls(table) or _is_acd(table) or pin.get("layout")):
                continue
            name = f"src_{gi}_{ti}"
            body = table.body
            cols = [f"c{c}" for c in body.columns]
            frame = pd.DataFrame(
                {f"c{c}": body[c].astype("str").to_numpy() for c in body.columns}
            ).assign(_row=body.index.to_numpy(dtype="int64"))
            con.register(name, frame)
            sources.append(_Source(grid.sheet, table, name, cols))
            n += 1
        if not n:
            out.dq.append(_dq("sheet_skipped", rel, grid.sheet, "", "warning"))
            out.readings.append(
                {
                    **base,
                    "status": "skipped",
                    "note": "no recognisable table",
                    "pin": rows.pin_lines(rel, grid.sheet, header_row="N"),
                }
            )
    return sources


def _head_table(grid: Grid, cfg, rel: str) -> Table:
    pin = pin_for(cfg, rel, grid.sheet)
    located = locate_all(grid, alias_cfg(cfg, "call_aliases"), file_hint=rel, pin=pin)
    for t in located.tables:
        if _is_calls(t) or _is_acd(t) or pin.get("layout"):
            return t
    raise _no_table(rel, cfg)


def _stream_source(con, path: Path, rel: str, cfg) -> _Source:
    """A big CSV: the header found on its first rows, then every row streamed by pyarrow's
    reader (any encoding the text engine detects) into DuckDB; no Python object per row."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    try:
        with open(path, "rb") as fh:
            head = fh.read(HEAD_BYTES)
    except OSError as exc:
        raise os_input_error(rel, exc) from None
    head = head[: head.rfind(b"\n") + 1] or head
    text, encoding, _ = decode_text(head)
    try:
        delimiter = csv.Sniffer().sniff(text[:8192], delimiters=",\t;|").delimiter
    except csv.Error:
        delimiter = ","
    grid = read_csv_grid(path, rel, cfg.get("limits", {}) or {}, raw=head)
    table = _head_table(grid, cfg, rel)
    header_row = table.header_rows[-1]
    width = grid.cells.shape[1]
    names = [f"c{i}" for i in range(width)]
    invalid: list[str] = []

    def on_invalid(row: Any) -> str:
        invalid.append(row.text)
        return "skip"

    enc = "utf8" if encoding in ("utf-8", "utf-8-sig") else encoding

    def open_reader(handler: Any, columns: list[str] | None = None) -> Any:
        convert = as_written(names)
        if columns is not None:
            convert.include_columns = columns
        return pacsv.open_csv(
            path,
            read_options=pacsv.ReadOptions(
                skip_rows=header_row, column_names=names, block_size=16 << 20, encoding=enc
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter, ignore_empty_lines=False, invalid_row_handler=handler
            ),
            convert_options=convert,
        )

    reader = open_reader(on_invalid)
    counter = {"n": 0}

    def numbered():
        for batch in reader:
            n = counter["n"]
            counter["n"] += batch.num_rows
            idx = pa.array(np.arange(n, n + batch.num_rows, dtype=np.int64))
            yield pa.RecordBatch.from_arrays([*batch.columns, idx], names=[*names, "_k"])

    schema = pa.schema([*[(c, pa.string()) for c in names], ("_k", pa.int64())])
    batches = pa.RecordBatchReader.from_batches(schema, numbered())
    con.register("src_stream", batches)
    # Records become rows: line = header + 1 + record index, shifted past rows the reader set
    # aside (a note with fewer cells): those are found again after the scan (_shift_rows).
    src = _Source("", table, "src_stream_rows", names)
    src.notes.append(f"streamed CSV ({encoding}, delimiter {delimiter!r})")
    src.stream = (path, encoding, header_row, invalid)
    src.reopen = lambda columns: open_reader(lambda _row: "skip", columns)
    con.execute(
        f"CREATE VIEW src_stream_rows AS SELECT {', '.join(names)}, _k + {header_row + 1} AS _row "
        "FROM src_stream"
    )
    return src


def _parquet_source(con, path: Path, rel: str, cfg) -> _Source:
    """A Parquet log: column names are the header; the first rows (as text) help recognise it."""
    p = str(path).replace("'", "''")
    tz = _local_zone(cfg, rel)
    try:
        desc = con.execute(f"DESCRIBE SELECT * FROM read_parquet('{p}')").fetchall()
        cols = [r[0] for r in desc]
        zoned = {r[0] for r in desc if "TIME ZONE" in str(r[1]).upper()}
        spans = _arrow_durations(path)
        casts = [
            _duration_text(c, spans[c]) if c in spans else _cast(c, tz if c in zoned else "")
            for c in cols
        ]
        head = con.execute(
            f"SELECT * FROM (SELECT {', '.join(casts)} FROM read_parquet('{p}') LIMIT 200)"
        ).fetchall()
    except Exception as exc:  # duckdb raises its own error types
        raise InputError(
            f"Parquet 文件无法读取({exc})",
            f"the Parquet file cannot be read ({exc})",
            file=rel,
        ) from None
    cells = pd.DataFrame([cols, *[list(r) for r in head]], dtype="str")
    cells.index = pd.RangeIndex(1, len(cells) + 1)
    grid = Grid(rel, "", cells, [col_letter(i) for i in range(len(cols))])
    table = _head_table(grid, cfg, rel)
    names = [f"c{i}" for i in range(len(cols))]
    sel = ", ".join(f"{x} AS {n}" for x, n in zip(casts, names, strict=True))
    con.execute(
        f"CREATE VIEW src_parquet AS SELECT {sel}, file_row_number + 1 AS _row "
        f"FROM read_parquet('{p}', file_row_number = true)"
    )
    src = _Source("", table, "src_parquet", names)
    src.notes.append("Parquet: row = record number")
    if zoned:
        src.notes.append(f"{', '.join(sorted(zoned))}: time-zone-aware, read as {tz} local time")
    for c, unit in sorted(spans.items()):
        src.notes.append(f"{c}: Arrow duration in {unit}")
    return src


#: Ticks per second of Arrow's duration units.
_TICKS = {"s": 1, "ms": 1_000, "us": 1_000_000, "ns": 1_000_000_000}


def _arrow_durations(path: Path) -> dict[str, str]:
    """Columns written as Arrow durations (pandas timedelta): Parquet stores them as plain
    integers of the unit (DuckDB reads a BIGINT), the unit is only in the Arrow schema."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        schema = pq.read_schema(path)
    except Exception:  # not readable by pyarrow: DuckDB's own error is said later
        return {}
    return {f.name: f.type.unit for f in schema if pa.types.is_duration(f.type)}


def _duration_text(col: str, unit: str) -> str:
    """An Arrow duration as "h:mm:ss.ffffff" text, so the duration rule reads it whatever unit
    the header names (the ticks are not seconds)."""
    c, k = '"' + col.replace('"', '""') + '"', _TICKS.get(unit, 1)
    return (
        f"CASE WHEN {c} >= 0 THEN printf('%d:%02d:%09.6f', {c} // {3600 * k}, "
        f"({c} // {60 * k}) % 60, ({c} % {60 * k}) / {float(k)!r}) "
        f"ELSE CAST({c} AS VARCHAR) END"
    )


def _cast(col: str, tz: str = "") -> str:
    """A column as text; a time-zone-aware timestamp first turned into the wall clock of ``tz``
    (its text "… 01:00:00+00" is an instant, not the local time the KPIs group by)."""
    c = '"' + col.replace('"', '""') + '"'
    if tz:
        return f"CAST(timezone('{_sql(tz)}', {c}) AS VARCHAR)"
    return f"CAST({c} AS VARCHAR)"


def _local_zone(cfg: Mapping[str, Any], rel: str) -> str:
    """The centre's time zone (``call_rules.local_zone``)."""
    return call_rules.local_zone(cfg)


# --------------------------------------------------------------------------------------------
# Call rows


def _field_cols(
    table: Table, cfg: Mapping[str, Any] | None = None, section: str = "call_aliases"
) -> dict[str, Column]:
    """Field → the column naming it. When two columns name one field, the one whose header is
    the earlier alias of ``section`` wins (排队时长 before 振铃时长: queue time, not the ring
    time, is the wait), whatever the column order; the other is reported, not read."""
    acfg = alias_cfg(cfg or {}, section)

    def rank(c: Column) -> int:
        names = [
            V.strip_unit(n)
            for src in (acfg["user_aliases"], acfg["aliases"])
            for n in (src.get(c.field, []) or [])
        ]
        key = V.strip_unit(c.header)
        return names.index(key) if key in names else len(names)

    out: dict[str, Column] = {}
    for c in table.columns:
        if not c.field:
            continue
        if c.field not in out:
            out[c.field] = c
            continue
        keep, drop = (out[c.field], c) if rank(out[c.field]) <= rank(c) else (c, out[c.field])
        pin = rows.pin_lines(
            table.grid.file, table.grid.sheet, columns=f'{{ {c.field} = "{drop.header}" }}'
        )
        table.dq_row(
            "warning", "call_column_choice", "", keep.header, drop.header, used=keep.header, pin=pin
        )
        out[c.field] = keep
        drop.field = None
    return out


@dataclass
class _Plan:
    """What is decided about one call table before its rows are read (fields, units, rules)."""

    f: dict[str, Column]
    #: The field the day comes from: "start" (a date-time) or "date" (beside a "time" column).
    date_fld: str
    #: The row of units right under the header (no call), if there is one.
    unit_row: int | None
    #: Seconds per number of each duration column, and why (said in the reading's note).
    factors: dict[str, float]
    unit_notes: list[str]
    #: SQL: answered when the answered cell is blank or missing; "NULL" when nothing can tell.
    implied: str
    #: The ratings are on another scale: none is used (:func:`_other_rating_scale`).
    other_scale: bool = False
    #: The date rule: ``kf_ts``, or ``kf_ts_dmy`` for a column of day-first slash dates.
    kf_ts: str = "kf_ts"

    @property
    def used(self) -> list[str]:
        """The fields read from the table, in the order the header search found them."""
        return [k for k in self.f if k in _CALL_INPUTS]


def _calls(con, src: _Source, cfg, stage: Path, out: _Out) -> Path | None:
    """Convert one source to the staged call rows (canonical columns + why a row is out)."""
    plan = _plan(con, src, cfg, out)
    con.execute(_stage_sql(src, plan, stage))
    return _account(con, src, plan, cfg, stage, out)


def _plan(con, src: _Source, cfg, out: _Out) -> _Plan:
    """The fields of a call table and the choices made on them before the one pass over its rows
    (a time-of-day column named like a start, duration units, answered, rating scale, D/M/Y);
    a table that cannot be a call log is refused here, before any row is read."""
    table = src.table
    f = _field_cols(table, cfg)
    _time_named_start(con, table, f, src.notes)
    _require_start(table, f, cfg)
    unit_row, factors, unit_notes = _duration_factors(table, f)
    date_fld = "start" if "start" in f else "date"
    implied = _implied_answered(table, f, cfg)
    plan = _Plan(f, date_fld, unit_row, factors, unit_notes, implied)
    plan.other_scale = "rating" in f and _other_rating_scale(con, src, table, f["rating"], cfg, out)
    if _day_first(con, src, table, f[date_fld]):
        plan.kf_ts = "kf_ts_dmy"
        src.notes.append(f"{f[date_fld].header}: slash dates day first (D/M/Y: a day above 12)")
    return plan


def _require_start(table: Table, f: Mapping[str, Column], cfg) -> None:
    """Refuse a call table without a start (or a date): no call can be placed in time."""
    if not (f.get("start") or f.get("date")):
        if f.get("time") and not f.get("date"):
            raise rows.missing_field(table, "date", alias_cfg(cfg, "call_aliases"), "日期", "date")
        raise rows.missing_field(
            table, "start", alias_cfg(cfg, "call_aliases"), "呼入时间", "start"
        )


def _duration_factors(
    table: Table, f: Mapping[str, Column], fields: tuple[str, ...] = DURATIONS
) -> tuple[int | None, dict[str, float], list[str]]:
    """The units row (if any), the seconds per number of each duration column and why: the unit
    under or in the header, else what the first values look like (``call_rules.duration_factor``).
    Call logs and ACD summaries (``fields``) share it: "Talk (min)" is minutes in both."""
    factors, unit_notes = {}, []
    unit_row, units = _unit_row(table)
    for d in fields:
        if d in f:
            c = f[d]
            sample = table.body[c.idx].dropna().head(200).tolist() if c.idx in table.body else []
            if unit_row:
                sample = sample[1:]
            label = f"{c.header} ({units[c.idx]})" if c.idx in units else c.header
            factors[d], why = call_rules.duration_factor(label, sample)
            unit_notes.append(f"{label}: {why}")
    return unit_row, factors, unit_notes


def _implied_answered(table: Table, f: Mapping[str, Column], cfg) -> str:
    """SQL for "answered" where the export leaves it blank (or has no such column): answered
    when an agent is named, else when there is talk time; "NULL" when only the answered column
    can tell. A log with none of the three is refused."""
    if "agent_id" in f:
        return "t_agent_id IS NOT NULL"
    if "talk_s" in f:
        return "coalesce(v_talk_s, 0) > 0"
    if "answered" in f:
        return "NULL"
    raise rows.missing_field(
        table, "answered", alias_cfg(cfg, "call_aliases"), "是否接通/坐席/通话时长", "answered"
    )


def _start_sql(plan: _Plan) -> tuple[str, str]:
    """SQL of the start of a call, and of "no start written". The day of the date column (an
    export may write the full date-time there too: adding the time column to it counted the time
    of day twice) plus the time of day, when there is a time column."""
    if "time" in plan.f:
        start = (
            f"date_trunc('day', v_{plan.date_fld}) + "
            "to_microseconds(CAST(v_time * 1000000 AS BIGINT))"
        )
        return start, f"t_{plan.date_fld} IS NULL OR t_time IS NULL"
    return f"v_{plan.date_fld}", f"t_{plan.date_fld} IS NULL"


def _total_row_sql(plan: _Plan) -> str:
    """SQL: a totals row (合计, Total …) in the call id, date, queue or agent column."""
    words = _list_sql(_TOTAL_WORDS)
    labels = [f"t_{k}" for k in ("call_id", plan.date_fld, "queue", "agent_id") if k in plan.f]
    return " OR ".join(
        f"list_contains({words}, lower(regexp_replace({x}, '[\\s:：]', '', 'g')))" for x in labels
    )


def _reason_checks(plan: _Plan) -> list[tuple[str, str, str]]:
    """Why a row is not a call: (condition, code, field), the first that holds is reported."""
    f, date_fld = plan.f, plan.date_fld
    no_start = _start_sql(plan)[1]
    checks: list[tuple[str, str, str]] = [
        (f"_row = {plan.unit_row or -1}", "call_unit_row", ""),
        (f"v_{date_fld} IS NULL AND ({_total_row_sql(plan)})", "call_total_row", ""),
        (f"({no_start}) AND _n <= 1", "note_row", ""),
        (f"t_{date_fld} IS NULL", "call_no_start", date_fld),
    ]
    if "time" in f:
        checks.append(("t_time IS NULL", "call_no_start", "time"))
    checks.append((f"v_{date_fld} IS NULL", "bad_date", date_fld))
    if "time" in f:
        checks.append(("v_time IS NULL", "bad_time", "time"))
    checks += [
        (f"t_{d} IS NOT NULL AND v_{d} IS NULL", "call_bad_duration", d)
        for d in DURATIONS
        if d in f
    ]
    if "answered" in f:
        checks.append(
            (
                "t_answered IS NOT NULL AND kf_answered(t_answered) IS NULL",
                "bad_answered",
                "answered",
            )
        )
    if plan.implied == "NULL":
        checks.append(("t_answered IS NULL", "bad_answered", "answered"))
    if "direction" in f:
        checks.append(
            (
                "t_direction IS NOT NULL AND kf_direction(t_direction) IS NULL",
                "bad_direction",
                "direction",
            )
        )
    return checks


def _warn_sql(plan: _Plan) -> str:
    """SQL: the doubt about a loaded call's rating or resolved cell (loaded, cell unread)."""
    f = plan.f
    warn = "CASE " + " ".join(
        w
        for w in (
            "WHEN t_rating IS NOT NULL AND v_rating IS NULL THEN 'bad_rating'"
            if "rating" in f and not plan.other_scale
            else "",
            "WHEN t_resolved IS NOT NULL AND kf_yesno(t_resolved) IS NULL THEN 'bad_resolved'"
            if "resolved" in f
            else "",
        )
        if w
    )
    return warn + " END" if warn != "CASE " else "NULL"


def _value_sql(plan: _Plan) -> list[str]:
    """SQL of the parsed values (``v_…``): the date, time of day, durations and rating."""
    f, date_fld = plan.f, plan.date_fld
    vals = [f"{plan.kf_ts}(t_{date_fld}) AS v_{date_fld}"]
    if "time" in f:
        vals.append("kf_tod(t_time) AS v_time")
    vals += [f"kf_dur(t_{d}, p_{d}, {plan.factors[d]!r}) AS v_{d}" for d in DURATIONS if d in f]
    if "rating" in f:
        vals.append(
            "CAST(NULL AS DOUBLE) AS v_rating"
            if plan.other_scale
            else "kf_rating(t_rating) AS v_rating"
        )
    return vals


def _stage_sql(src: _Source, plan: _Plan, stage: Path) -> str:
    """The COPY of one table's rows to ``stage``: clean text, duration parts (once per row),
    values, why a row is not a call, then the canonical columns (:func:`_select_sql`)."""
    f = plan.f
    raw = ", ".join(f"kf_txt(c{f[k].idx}) AS t_{k}" for k in plan.used)
    parts = "".join(f", kf_dur_parts(t_{d}) AS p_{d}" for d in DURATIONS if d in f)
    checks = _reason_checks(plan)
    reason = "CASE " + " ".join(f"WHEN {c} THEN '{code}'" for c, code, _ in checks) + " END"
    rfield = "CASE " + " ".join(f"WHEN {c} THEN '{fld}'" for c, _, fld in checks) + " END"
    return f"""
    COPY (
      WITH raw AS (
        SELECT _row, {raw}, {_n_cells(src.raw_cols)} AS _n FROM {src.relation}
      ), split AS (
        SELECT *{parts} FROM raw WHERE _n > 0
      ), parsed AS (
        SELECT *, {", ".join(_value_sql(plan))} FROM split
      ), judged AS (
        SELECT *, {reason} AS _reason, {rfield} AS _rfield, {_warn_sql(plan)} AS _warn FROM parsed
      )
      SELECT{_select_sql(src, plan)}
      FROM judged
    ) TO '{stage}' (FORMAT parquet)
    """


def _select_sql(src: _Source, plan: _Plan) -> str:
    """The SELECT list of a staged call row: ``schema.CALL_COLUMNS`` (a missing field a typed
    NULL: an untyped NULL column is written as Parquet's NULL type), then why a row is out."""
    f = plan.f

    def t(fld: str) -> str:
        return f"t_{fld}" if fld in f else "CAST(NULL AS VARCHAR)"

    implied = plan.implied
    answered_expr = f"coalesce(kf_answered(t_answered), {implied})" if "answered" in f else implied
    answered = f"coalesce({answered_expr}, false)"
    return f"""
        CAST({t("call_id")} AS VARCHAR) AS call_id,
        CAST({_start_sql(plan)[0]} AS TIMESTAMP) AS start,
        CAST({t("queue")} AS VARCHAR) AS queue,
        CAST(CASE WHEN {answered} THEN {"kf_agent(t_agent_id)" if "agent_id" in f else "NULL"}
          END AS VARCHAR) AS agent_id,
        {"coalesce(kf_direction(t_direction), 'in')" if "direction" in f else "'in'"} AS direction,
        {answered} AS answered,
        {"CAST(v_wait_s AS DOUBLE)" if "wait_s" in f else "CAST(NULL AS DOUBLE)"} AS wait_s,
        {"CAST(v_talk_s AS DOUBLE)" if "talk_s" in f else "CAST(NULL AS DOUBLE)"} AS talk_s,
        {"CAST(v_hold_s AS DOUBLE)" if "hold_s" in f else "CAST(NULL AS DOUBLE)"} AS hold_s,
        {"CAST(v_wrap_s AS DOUBLE)" if "wrap_s" in f else "CAST(NULL AS DOUBLE)"} AS wrap_s,
        {"CAST(v_rating AS DOUBLE)" if "rating" in f else "CAST(NULL AS DOUBLE)"} AS rating,
        {"kf_yesno(t_resolved)" if "resolved" in f else "CAST(NULL AS BOOLEAN)"} AS resolved,
        {"kf_caller(t_caller)" if "caller" in f else "CAST(NULL AS BIGINT)"} AS caller_key,
        '{_sql(src.table.grid.file)}' AS source_file,
        '{_sql(src.sheet)}' AS source_sheet,
        CAST(_row AS BIGINT) AS source_row,
        _reason, _rfield,
        CASE _rfield {" ".join(f"WHEN '{k}' THEN t_{k}" for k in plan.used)} END AS _rvalue,
        _warn,
        CASE WHEN _warn = 'bad_rating' THEN {t("rating")}
             WHEN _warn = 'bad_resolved' THEN {t("resolved")} END AS _wvalue,
        {"t_caller LIKE '%*%'" if "caller" in f else "false"} AS _masked"""


def _account(con, src: _Source, plan: _Plan, cfg, stage: Path, out: _Out) -> Path | None:
    """After the pass: every row read counted as loaded or reported (the data-quality rows, the
    doubts about loaded calls), the reading said, and a table of which no row is a call refused.
    The staged file (row numbers shifted past rows a streamed CSV set aside), or None if empty."""
    table, f = src.table, plan.f
    invalid = _invalid_rows(src)
    if invalid:
        stage = _shift_rows(con, stage, src, [line for line, _ in invalid])
    stats = con.execute(
        f"SELECT count(*), count(*) FILTER (WHERE _reason IS NULL), "
        f"count(*) FILTER (WHERE _masked), min(start) FILTER (WHERE _reason IS NULL), "
        f"max(start) FILTER (WHERE _reason IS NULL) FROM read_parquet('{stage}')"
    ).fetchone()
    n_read, n_loaded, n_masked = int(stats[0]) + len(invalid), int(stats[1]), int(stats[2])
    by_code = _dq_rows(con, stage, table, f, out, invalid)
    if n_masked:
        out.dq.append(
            _dq_row(table, "warning", "caller_masked", None, f["caller"].header, n_masked)
        )
    _doubts(con, stage, table, f, cfg, out)
    if "wait_s" not in f and n_loaded:
        out.dq.append(_dq_row(table, "warning", "call_no_wait", None, "", n_loaded))
    n_note = by_code.get("note_row", 0) + by_code.get("call_unit_row", 0)
    n_total = by_code.get("call_total_row", 0)
    out.readings.append(
        _reading(
            table,
            "call_log",
            n_read,
            n_loaded,
            n_note,
            _call_note(src, plan),
            period=_span(stats[3], stats[4]),
            n_total=n_total,
        )
    )
    _refuse_if_nothing(table, n_read, n_loaded, n_note + n_total, by_code)
    return stage if n_loaded or n_read else None


def _call_note(src: _Source, plan: _Plan) -> str:
    """The reading's note of a call table: how it was read (source, units, answered rule)."""
    notes = [*src.notes, *plan.unit_notes]
    if "answered" not in plan.f:
        notes.append(
            "answered: " + ("agent named" if "agent_id" in plan.f else "talk time above 0")
        )
    return "; ".join(notes)


def _repeated_ids(con, part: Path, rel: str, out: _Out) -> None:
    """A call id on more than one row of the file (its sheets together: a workbook holding the
    month and one of its weeks counts those calls twice): a transfer exported as one row per
    leg, or a row exported twice. Loaded as they are (which leg is "the call" is not guessed),
    said once with the count and the first repeat."""
    if not out.id_headers:
        return
    hit = con.execute(
        "SELECT source_sheet, source_row, call_id, count(*) OVER () FROM (SELECT source_sheet, "
        "source_row, call_id, row_number() OVER (PARTITION BY call_id ORDER BY file_row_number) "
        f"AS k, file_row_number FROM read_parquet('{part}', file_row_number = true) "
        "WHERE call_id IS NOT NULL) WHERE k > 1 ORDER BY file_row_number LIMIT 1"
    ).fetchall()
    if hit:
        sheet, row, value, n = hit[0]
        out.dq.append(
            {
                "severity": "warning",
                "code": "call_id_repeated",
                "file": rel,
                "sheet": sheet,
                "row": int(row),
                "column": out.id_headers.get(sheet, ""),
                "value": str(value),
                "message": "",
                "_fields": {"value": str(value), "count": str(int(n))},
            }
        )


def _doubts(con, stage: Path, table: Table, f: Mapping[str, Column], cfg, out: _Out) -> None:
    """Loaded calls that would skew a figure without being unreadable, each said once per table
    with the count and the first row (repeated call ids: :func:`_repeated_ids`): a start after
    today (a wrong clock or year: it would open a month of its own and feed the forecast), a
    duration beyond
    ``[calls] max_duration_h`` (a 99999 s wait moves the ASA of a whole month), and a call the
    export marks not answered that has talk time (counted as the export says, but one of the two
    columns is wrong)."""
    loaded = f"read_parquet('{stage}') WHERE _reason IS NULL"
    checks = []
    if "call_id" in f:
        out.id_headers[table.grid.sheet] = f["call_id"].header
    if "answered" in f and "talk_s" in f:
        checks.append(
            (
                "call_unanswered_talk",
                f["answered"].header,
                f"SELECT source_row, talk_s, count(*) OVER () FROM {loaded} AND NOT answered "
                "AND talk_s > 0 ORDER BY source_row LIMIT 1",
            )
        )
    tomorrow = (pd.Timestamp.now().normalize() + pd.Timedelta(days=1)).strftime("%Y-%m-%d")
    checks.append(
        (
            "call_future",
            f.get("start", f.get("date")).header,
            f"SELECT source_row, strftime(start, '%Y-%m-%d %H:%M:%S'), count(*) OVER () "
            f"FROM {loaded} AND start >= TIMESTAMP '{tomorrow}' ORDER BY source_row LIMIT 1",
        )
    )
    limit = float((cfg.get("calls", {}) or {}).get("max_duration_h", 8)) * 3600
    for d in DURATIONS:
        if d in f:
            checks.append(
                (
                    "call_long_duration",
                    f[d].header,
                    f"SELECT source_row, {d}, count(*) OVER () FROM {loaded} AND {d} > {limit!r} "
                    "ORDER BY source_row LIMIT 1",
                )
            )
    for code, column, sql in checks:
        hit = con.execute(sql).fetchone()
        if hit:
            row, value, n = hit
            value = f"{value:g}" if isinstance(value, float) else str(value)
            out.dq.append(
                _dq_row(table, "warning", code, int(row), column, value, count=int(n),
                        hours=f"{limit / 3600:g}")
            )  # fmt: skip


#: Share of a table's numeric ratings above the rating scale from which the table is taken to
#: use another scale (a 1–10 survey read on 5 points would keep only its low grades).
OTHER_SCALE_SHARE = 0.05


def _other_rating_scale(con, src: _Source, table: Table, col: Column, cfg, out: _Out) -> bool:
    """True (and one error said) when the table's ratings are evidently on another scale (two or
    more different grades above it, in more than OTHER_SCALE_SHARE of the ratings; one odd grade
    is a typo, reported row by row): then none is used, since the grades within the scale are
    the unhappy end of the other one and would make the satisfaction rate wrong, not thinner."""
    scale = float((cfg.get("service", {}) or {}).get("rating_scale", 5))
    # A streamed CSV can be scanned once only: judged on the rows its header was found on.
    if src.stream:
        body = table.body[col.idx] if col.idx in table.body else pd.Series(dtype="str")
        cells, args = "(SELECT unnest(?) AS v)", [[str(v) for v in body.dropna()]]
    else:
        cells, args = f"(SELECT c{col.idx} AS v FROM {src.relation})", []
    n_above, kinds, n_num, top = con.execute(
        f"SELECT count(*) FILTER (WHERE n > {scale!r}), count(DISTINCT n) FILTER (WHERE n > "
        f"{scale!r}), count(n), max(n) FROM (SELECT TRY_CAST(rtrim(kf_txt(v), '分') AS DOUBLE) "
        f"AS n FROM {cells})",
        args,
    ).fetchone()
    if kinds < 2 or n_above <= OTHER_SCALE_SHARE * n_num:
        return False
    out.dq.append(
        _dq_row(table, "error", "rating_other_scale", None, col.header, f"{top:g}",
                count=int(n_above), rated=int(n_num), scale=f"{scale:g}")
    )  # fmt: skip
    return True


def _day_first(con, src: _Source, table: Table, col: Column) -> bool:
    """D/M/Y slash dates in the table's date column (``call_rules.day_first``). A streamed CSV
    can be scanned once only: it is judged on the rows its header was found on, and when those
    leave the order open (slash dates, none with a number above 12: a log sorted by time shows
    its first twelve days only) the date column alone is read once more."""
    if not src.stream:
        return call_rules.day_first(con, f"(SELECT c{col.idx} AS v FROM {src.relation})")
    body = table.body[col.idx] if col.idx in table.body else pd.Series(dtype="str")
    first, second, n = call_rules.slash_days(
        con, "(SELECT unnest(?) AS v)", [[str(v) for v in body.dropna()]]
    )
    if first or second or not n or src.reopen is None:
        return bool(first) and not second
    con.register("src_date_pass", src.reopen([f"c{col.idx}"]))
    try:
        return call_rules.day_first(con, f"(SELECT c{col.idx} AS v FROM src_date_pass)")
    finally:
        con.unregister("src_date_pass")


def _time_named_start(con, table: Table, f: dict[str, Column], notes: list[str]) -> None:
    """ "Call Date" + "Call Time" (or 日期 + 呼叫时间): the second header is a start alias, but
    beside a date column its cells are times of day ("9:05:03 AM"), which as a start are bad
    dates for every row. When no sampled cell reads as a date and they read as times, the
    column is the time of day."""
    if "start" not in f or "date" not in f or "time" in f:
        return
    c = f["start"]
    sample = [str(v) for v in table.body[c.idx].dropna().head(200)] if c.idx in table.body else []
    if not sample:
        return
    n_ts, n_tod = con.execute(
        "SELECT count(kf_ts(kf_txt(v))), count(kf_tod(kf_txt(v))) FROM (SELECT unnest(?) AS v)",
        [sample],
    ).fetchone()
    if n_ts == 0 and n_tod > 0:
        c.field = "time"
        f["time"] = f.pop("start")
        notes.append(f"{c.header}: times of day beside the date column, read as time")


#: Rows that are no call by design (a footer note, a totals row, a units row): info, not errors.
_INFO_CODES = ("note_row", "call_total_row", "call_unit_row")

_UNIT_CELL = re.compile(
    r"[(（\[]?\s*(毫秒|秒|分钟|分|小时|ms|msec|s|sec|secs|seconds|min|mins|minutes|h|hr|hrs|hours"
    r"|hh:mm:ss|h:mm:ss|mm:ss)\s*[)）\]]?",
    re.IGNORECASE,
)


def _unit_row(table: Table) -> tuple[int | None, dict[int, str]]:
    """A row of units right under the header ("", "", "毫秒", "秒" …): the columns' units, not a
    call. Read as data it was an error row, and its durations' unit was lost (milliseconds read
    as seconds)."""
    body = table.body
    if body.empty:
        return None, {}
    first = body.iloc[0]
    cells = {
        int(c): str(v).strip()
        for c, v in first.items()
        if str(v).strip() not in ("", "nan", "None")
    }
    if cells and all(_UNIT_CELL.fullmatch(v) for v in cells.values()):
        return int(body.index[0]), cells
    return None, {}


def _list_sql(words) -> str:
    return "[" + ", ".join("'" + _sql(w.replace(" ", "")) + "'" for w in words) + "]"


def _n_cells(cols: list[str]) -> str:
    """SQL: how many cells of the row hold something (a lone cell is a note, none a blank)."""
    return " + ".join(f"(coalesce(trim({c}), '') <> '')::INT" for c in cols) or "0"


_CALL_INPUTS = (
    "call_id",
    "start",
    "date",
    "time",
    "queue",
    "agent_id",
    "direction",
    "answered",
    *DURATIONS,
    "rating",
    "resolved",
    "caller",
)


def _sql(text: str) -> str:
    return str(text).replace("'", "''")


def _span(lo: Any, hi: Any) -> str:
    if lo is None or hi is None:
        return ""
    a, b = f"{pd.Timestamp(lo):%Y-%m}", f"{pd.Timestamp(hi):%Y-%m}"
    return a if a == b else f"{a}…{b}"


def _shift_rows(con, stage: Path, src: _Source, lines: list[int]) -> Path:
    """Row numbers past the rows the CSV reader set aside: a record after the j-th of them sits
    j lines further down than its record index says."""
    assert src.stream is not None
    first = src.stream[2] + 1  # the line of record 0
    gaps = sorted(line - first - j for j, line in enumerate(sorted(lines)))
    out = stage.with_name(stage.stem + "-rows.parquet")
    con.execute(
        f"COPY (SELECT * REPLACE (source_row + len(list_filter({gaps}, "
        f"lambda g: g <= source_row - {first})) AS source_row) FROM read_parquet('{stage}')) "
        f"TO '{out}' (FORMAT parquet)"
    )
    return out


def _invalid_rows(src: _Source) -> list[tuple[int, str]]:
    """Rows of a streamed CSV the reader could not split (a footer note, a short row), with the
    line each is on (a second pass over the file, only when there are any)."""
    if not src.stream:
        return []
    path, encoding, header_row, texts = src.stream
    if not texts:
        return []
    wanted: dict[str, int] = {}
    for tx in texts:
        wanted[tx.rstrip("\r\n")] = wanted.get(tx.rstrip("\r\n"), 0) + 1
    found = []
    with open(
        path, encoding="utf-8-sig" if encoding.startswith("utf-8") else encoding, newline=""
    ) as fh:
        for i, line in enumerate(fh, start=1):
            if i <= header_row:
                continue
            key = line.rstrip("\r\n")
            if wanted.get(key):
                wanted[key] -= 1
                found.append((i, key))
    src.invalid = found
    return found


def _dq_rows(
    con, stage: Path, table: Table, f: Mapping[str, Column], out: _Out, invalid
) -> dict[str, int]:
    """The rows that are not calls and the doubts about calls: the first DETAIL_ROWS of each code
    in detail, then one row with the count of the rest."""
    header = {k: c.header for k, c in f.items()}
    counts: dict[str, int] = {}
    for kind, code_col, field_col, value_col, sev in (
        ("reason", "_reason", "_rfield", "_rvalue", "error"),
        ("warn", "_warn", "'rating_or_resolved'", "_wvalue", "warning"),
    ):
        detail = con.execute(
            f"SELECT {code_col}, {field_col}, source_row, {value_col} FROM read_parquet('{stage}') "
            f"WHERE {code_col} IS NOT NULL "
            f"QUALIFY row_number() OVER (PARTITION BY {code_col} ORDER BY source_row) <= {DETAIL_ROWS} "
            "ORDER BY source_row"
        ).fetchall()
        totals = dict(
            con.execute(
                f"SELECT {code_col}, count(*) FROM read_parquet('{stage}') "
                f"WHERE {code_col} IS NOT NULL GROUP BY 1"
            ).fetchall()
        )
        for code, fld, row, value in detail:
            if code in _INFO_CODES:
                severity = "info"
            elif kind == "warn":
                severity = "warning"
            else:
                severity = sev
            if fld == "rating_or_resolved":
                fld = "rating" if code == "bad_rating" else "resolved"
            col = "" if code in _INFO_CODES else header.get(fld, "")
            out.dq.append(_dq_row(table, severity, code, int(row), col, value or ""))
        for code, n in totals.items():
            counts[code] = counts.get(code, 0) + int(n)
            if n > DETAIL_ROWS:
                out.dq.append(
                    _dq_row(
                        table,
                        "info" if code in _INFO_CODES else "warning",
                        "rows_more",
                        None,
                        "",
                        int(n) - DETAIL_ROWS,
                        reason=code,
                        total=int(n),
                    )
                )
    for line, text in invalid:
        one = len([x for x in next(csv.reader(io.StringIO(text)), []) if x.strip()]) <= 1
        code = "note_row" if one else "call_bad_row"
        counts[code] = counts.get(code, 0) + 1
        out.dq.append(_dq_row(table, "info" if one else "error", code, line, "", text[:80]))
    return counts


def _dq_row(
    table: Table, severity: str, code: str, row: Any, column: str, value: Any, **kw: Any
) -> dict[str, Any]:
    """One data-quality row (code, place, message fields; worded later per language)."""
    v = "" if value is None or (isinstance(value, float) and value != value) else str(value)
    return {
        "severity": severity,
        "code": code,
        "file": table.grid.file,
        "sheet": table.grid.sheet,
        "row": row,
        "column": column,
        "value": v,
        "message": "",
        "_fields": {"value": v, **{k: str(x) for k, x in kw.items()}},
    }


def _refuse_if_nothing(table: Table, n_read: int, n_loaded: int, n_note: int, by_code) -> None:
    if n_read and not n_loaded and n_read > n_note:
        codes = ", ".join(sorted(k for k in by_code if k not in _INFO_CODES))
        raise rows.table_error(
            table,
            f"通话记录中 {n_read} 行全部未能读取(原因代码 {codes}),请核对各列的写法,或在 config.toml 中指明列",
            f"none of the {n_read} rows of the call log could be read (codes {codes}); check "
            "how the columns are written, or pin the columns in config.toml (lines below)",
            rows.pin_lines(
                table.grid.file, table.grid.sheet, header_row=str(table.header_rows[-1])
            ),
        )


def _reading(
    table: Table,
    layout: str,
    n_read: int,
    n_loaded: int,
    n_note: int,
    note: str,
    period: str = "",
    n_total: int = 0,
) -> dict[str, Any]:
    """The reading record of one call-log or ACD table (schema.READING_COLUMNS)."""
    grid = table.grid
    cols = [c.idx for c in table.columns if c.header]
    fields = "; ".join(
        f"{c.letter} {c.header}→{c.field or '(not used)'}" for c in table.columns if c.header
    )
    last = table.header_rows[-1] + n_read
    pin = {"layout": f'"{layout}"', "header_row": str(table.header_rows[-1])}
    if layout == "agent_daily" and period:
        pin["period"] = f'"{period}"'
    reported = n_read - n_loaded
    return {
        "file": grid.file,
        "sheet": grid.sheet,
        "kind": "calls",
        "table": "calls" if layout == "call_log" else "acd",
        "status": "read",
        "layout": layout,
        "range": cell_range(grid, [table.header_rows[0], last], cols) if cols else "",
        "header_rows": "-".join(str(h) for h in table.header_rows),
        "fields": fields,
        "period": period,
        "rows_read": n_read,
        "rows_loaded": n_loaded,
        "rows_total": n_total,
        "rows_note": n_note,
        "rows_rejected": max(reported - n_note - n_total, 0),
        "rows_reported": reported,
        "note": note,
        "pin": rows.pin_lines(grid.file, grid.sheet, **pin),
    }


def _no_table(rel: str, cfg: Mapping[str, Any]) -> InputError:
    aliases = cfg.get("call_aliases", {}) or {}
    looked = "; ".join(
        f"{k}: {', '.join(map(str, aliases.get(k, [])[:6]))}" for k in ("start", "date", "calls")
    )
    return InputError(
        "没有找到可识别的通话记录或话务汇总表:需要含有呼入时间(或日期与时间)的表头行,或坐席与通话量列;"
        f"查找的列名为 {looked}。请在 config.toml 的 [call_aliases] 中添加别的名称,或用下面几行指明表头行",
        "no recognisable call log or ACD summary found: a header row naming the start time (or "
        f"date and time), or agents with call counts, is needed; names looked for: {looked}. "
        "Add other names to [call_aliases] in config.toml, or pin the header row (lines below)",
        file=rel,
        pin=rows.pin_lines(rel, "", header_row="N"),
    )


# --------------------------------------------------------------------------------------------
# Per-agent daily ACD summaries


_TOTAL_WORDS = ("合计", "总计", "小计", "total", "totals", "grand total", "汇总")


def _acd(con, src: _Source, cfg, out: _Out) -> None:
    """An ACD summary (ViciDial-like): one row per agent (and day); durations checked, invalid
    ones (4:32:60) reported and left missing, CALLS checked against inbound + outbound."""
    table = src.table
    rel, sheet = table.grid.file, table.grid.sheet
    f = _acd_fields(table, cfg)
    pin = pin_for(cfg, rel, sheet)
    durs = [d for d in ACD_DURATIONS if d in f]
    counts = [k for k in ("calls", "inbound", "outbound") if k in f]
    _, factors, unit_notes = _duration_factors(table, f, ACD_DURATIONS)
    src.notes.extend(unit_notes)
    df = con.execute(_acd_sql(src, f, counts, factors)).df()
    dq: list[tuple[str, str, Any, str, Any, dict]] = []
    ok, is_total, note = _acd_row_kinds(df, dq)
    ok = _acd_value_checks(df, f, counts, durs, ok, dq)
    period, psrc = _acd_period(pin, rel, sheet)
    per_row = df["v_date"].dt.strftime("%Y-%m") if "date" in f else pd.Series("", index=df.index)
    periods = per_row.where(per_row.notna() & per_row.ne(""), period).fillna("")
    for sev, code, row, col, value, kw in dq:
        out.dq.append(_dq_row(table, sev, code, int(row), col, value, **kw))
    out.acd.append(_acd_frame(df[ok], periods[ok], f, counts, durs, rel, sheet))
    if "date" not in f and not period:
        out.dq.append(
            _dq_row(
                table,
                "warning",
                "acd_no_period",
                None,
                "",
                rel,
                pin=rows.pin_lines(rel, sheet, period='"YYYY-MM"'),
            )
        )
    out.readings.append(
        _reading(
            table,
            "agent_daily",
            len(df),
            int(ok.sum()),
            int(note.sum()),
            _acd_note(src, f, psrc),
            period=period,
            n_total=int(is_total.sum()),
        )
    )


def _acd_fields(table: Table, cfg) -> dict[str, Column]:
    """Field → column of an ACD summary; ViciDial's TIME column is the time logged in."""
    f = _field_cols(table, cfg)
    if "time" in f and "login_s" not in f:
        f["login_s"] = f.pop("time")  # ViciDial's TIME: time logged in
        f["login_s"].field = "login_s"
    return f


def _acd_sql(
    src: _Source, f: Mapping[str, Column], counts: list[str], factors: Mapping[str, float]
) -> str:
    """SQL reading an ACD summary's non-blank rows: who, the date, the counts and the durations
    (plain numbers in the unit ``factors`` gives, seconds per number), each value beside its
    text (``t_…``) so what cannot be read is reported as written."""
    texts = [f"kf_txt(c{c.idx}) AS t_{k}" for k, c in f.items()]
    return f"""
      WITH raw AS (SELECT _row, {", ".join(texts)},
                   {_n_cells(src.raw_cols)} AS _n
                   FROM {src.relation})
      SELECT _row, _n,
        {"t_agent_id" if "agent_id" in f else "NULL"} AS t_agent,
        {"t_name" if "name" in f else "NULL"} AS t_name,
        {"kf_ts(t_date)" if "date" in f else "CAST(NULL AS TIMESTAMP)"} AS v_date,
        {"t_date" if "date" in f else "NULL"} AS t_date,
        {", ".join(f"TRY_CAST(t_{k} AS DOUBLE) AS v_{k}, t_{k}" for k in counts) or "NULL AS _nc"},
        {
        ", ".join(f"kf_dur1(t_{d}, {factors[d]!r}) AS v_{d}, t_{d}" for d in factors)
        or "NULL AS _nd"
    }
      FROM raw WHERE _n > 0 ORDER BY _row
    """


def _acd_row_kinds(df: pd.DataFrame, dq: list) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Rows of an ACD summary that are no agent's: totals and notes (info), rows naming no agent
    (errors). Their reports go to ``dq``; returns (agent rows, totals rows, note rows)."""
    who = df["t_agent"].fillna(df["t_name"])
    is_total = who.fillna("").str.strip().str.lower().isin(_TOTAL_WORDS)
    note = who.isna() & (df["_n"] <= 1)
    for r in df.index[is_total]:
        dq.append(("info", "total_row", df.at[r, "_row"], "", who[r], {}))
    for r in df.index[note]:
        dq.append(("info", "note_row", df.at[r, "_row"], "", "", {}))
    no_agent = who.isna() & ~note
    for r in df.index[no_agent]:
        dq.append(("error", "acd_no_agent", df.at[r, "_row"], "", "", {}))
    ok = pd.Series(True, index=df.index) & ~is_total & ~note & ~no_agent
    return ok, is_total, note


def _acd_value_checks(
    df: pd.DataFrame,
    f: Mapping[str, Column],
    counts: list[str],
    durs: list[str],
    ok: pd.Series,
    dq: list,
) -> pd.Series:
    """The values of the agent rows: a bad count or date drops the row (error), a bad duration
    is left missing and CALLS ≠ inbound + outbound is loaded as written (warnings). Reports go
    to ``dq``; returns the rows kept."""
    for k in counts:
        v, tx = df[f"v_{k}"], df[f"t_{k}"]
        bad = tx.notna() & (v.isna() | (v < 0) | (v % 1 != 0)) & ok
        for r in df.index[bad]:
            dq.append(("error", "bad_count", df.at[r, "_row"], f[k].header, tx[r], {}))
        ok &= ~bad
    for d in durs:
        bad = df[f"t_{d}"].notna() & df[f"v_{d}"].isna() & ok
        for r in df.index[bad]:
            dq.append(
                ("warning", "bad_duration", df.at[r, "_row"], f[d].header, df.at[r, f"t_{d}"], {})
            )
    if {"calls", "inbound", "outbound"} <= set(counts):
        diff = ok & (df["v_calls"] != df["v_inbound"].fillna(0) + df["v_outbound"].fillna(0))
        for r in df.index[diff]:
            dq.append(
                (
                    "warning",
                    "acd_calls_mismatch",
                    df.at[r, "_row"],
                    f["calls"].header,
                    df.at[r, "t_calls"],
                    {"inbound": df.at[r, "t_inbound"], "outbound": df.at[r, "t_outbound"]},
                )
            )
    if "date" in f:
        bad = df["t_date"].notna() & df["v_date"].isna() & ok
        for r in df.index[bad]:
            dq.append(
                ("error", "bad_date", df.at[r, "_row"], f["date"].header, df.at[r, "t_date"], {})
            )
        ok &= ~bad
    return ok


def _acd_frame(
    keep: pd.DataFrame,
    periods: pd.Series,
    f: Mapping[str, Column],
    counts: list[str],
    durs: list[str],
    rel: str,
    sheet: str,
) -> pd.DataFrame:
    """The kept rows of an ACD summary as ``schema.ACD_COLUMNS`` (a missing column NaN/None)."""
    frame = pd.DataFrame(
        {
            "period": periods.astype("str").to_numpy(),
            "date": keep["v_date"].astype("datetime64[us]").to_numpy(),
            "agent_id": V.agent_ids(keep["t_agent"].astype("str")).to_numpy()
            if "agent_id" in f
            else None,
            "name": keep["t_name"].astype("str").to_numpy() if "name" in f else "",
            **{
                k: keep[f"v_{k}"].astype("float64").to_numpy() if k in counts else float("nan")
                for k in ("calls", "inbound", "outbound")
            },
            **{
                d: keep[f"v_{d}"].astype("float64").to_numpy() if d in durs else float("nan")
                for d in ("login_s", "talk_s", "wait_s", "pause_s", "wrap_s")
            },
            "source_file": rel,
            "source_sheet": sheet,
            "source_row": keep["_row"].astype("int64").to_numpy(),
        }
    )
    return frame.reindex(columns=ACD_COLUMNS)


def _acd_note(src: _Source, f: Mapping[str, Column], psrc: str) -> str:
    """The reading's note of an ACD summary: how it was read and where its month came from."""
    note_txt = [*src.notes]
    if "login_s" in f and f["login_s"].header.strip().lower() == "time":
        note_txt.append(f"“{f['login_s'].header}” read as login time")
    if psrc:
        note_txt.append(f"month from {psrc}")
    elif "date" in f:
        note_txt.append("month from the date column")
    else:
        note_txt.append(
            "no period: not in the file or sheet name, no date column, no [[read]] period pin"
        )
    return "; ".join(note_txt)


_PERIOD_RE = re.compile(r"(?<!\d)(20\d{2})[-_./年]?(0[1-9]|1[0-2]|[1-9](?!\d))月?")


def _acd_period(pin: Mapping[str, Any], rel: str, sheet: str) -> tuple[str, str]:
    """The month of an ACD summary: a [[read]] pin, else the file or sheet name."""
    if pin.get("period"):
        label = V.month_label(str(pin["period"]))
        if label:
            return label, "config"
    for where, text in (("sheet name", sheet), ("file name", Path(rel).stem)):
        m = _PERIOD_RE.search(text or "")
        if m:
            return f"{m.group(1)}-{int(m.group(2)):02d}", f"{where} “{text}”"
    return "", ""


__all__ = ["DETAIL_ROWS", "alias_cfg", "load_calls_file"]
