"""The query engine at the edge: where the call log is aggregated (DuckDB, Spark or Trino via Ibis).

Why: a year of a contact centre's calls (10^8 rows) does not fit in pandas (about 18 GB), but an
embedded columnar engine reads the loader's Parquet parts column by column and spills to disk
when memory runs short. The KPI queries (``analysis.service.kpis``) are Ibis expressions, so the
same code runs on DuckDB in-process (the default), on a Spark session, or on a Trino cluster when
a group outgrows one machine; ``[service] engine`` chooses, nothing else changes.

This module knows engines and files; the KPI module knows only Ibis tables.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import weakref
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from analysis.errors import UsageError

ENGINES = ("duckdb", "pyspark", "trino")

#: The canonical call log (``schema.CALL_COLUMNS``, written by the loader) as Ibis types: used
#: for a log with no parts, so the KPIs come out as empty frames instead of failing.
CALL_SCHEMA: dict[str, str] = {
    "call_id": "string",
    "start": "timestamp(6)",
    "queue": "string",
    "agent_id": "string",
    "direction": "string",
    "answered": "boolean",
    "wait_s": "float64",
    "talk_s": "float64",
    "hold_s": "float64",
    "wrap_s": "float64",
    "rating": "float64",
    "resolved": "boolean",
    "caller_key": "int64",
    "source_file": "string",
    "source_sheet": "string",
    "source_row": "int64",
}

#: What to install for each engine (named in the error when the package is missing).
_PACKAGES = {
    "duckdb": "duckdb and ibis-framework[duckdb]",
    "pyspark": "pyspark and ibis-framework[pyspark] (and a Java runtime)",
    "trino": "trino and ibis-framework[trino]",
}


class EngineError(UsageError):
    """The configured engine cannot be used: its package is missing or the connection failed."""


def _service(cfg: Mapping[str, Any]) -> Mapping[str, Any]:
    """Accept the whole config or its ``[service]`` section."""
    section = cfg.get("service")
    return section if isinstance(section, Mapping) else cfg


def connect(cfg: Mapping[str, Any]) -> Any:
    """An Ibis backend as ``[service]`` configures it (``engine``, ``engine_url``, ``memory_limit``,
    ``threads``); an :class:`EngineError` with one actionable sentence if that is impossible.

    - duckdb: in-process, in memory, capped at ``memory_limit`` with ``threads`` workers; it spills
      to a private temporary folder (removed when the connection is garbage-collected).
    - pyspark: a local SparkSession (``local[threads]``, UI off, few shuffle partitions) unless
      ``engine_url`` names a master (``spark://host:7077``, ``yarn`` …).
    - trino: ``ibis.connect(engine_url)``, e.g. ``trino://user@host:8080/hive/calls``.
    """
    svc = _service(cfg)
    engine = str(svc.get("engine", "duckdb") or "duckdb").strip().lower()
    url = str(svc.get("engine_url", "") or "").strip()
    threads = int(svc.get("threads", 2) or 2)
    if engine not in ENGINES:
        raise EngineError(
            f"[service] engine = {engine!r} is not known; use one of {', '.join(ENGINES)}."
        )
    try:
        import ibis
    except ImportError:
        raise EngineError(
            f"[service] engine = {engine!r} needs the Python package ibis-framework, which is "
            f"not installed; install {_PACKAGES[engine]}."
        ) from None
    try:
        if engine == "duckdb":
            return _duckdb(ibis, svc, threads)
        if engine == "pyspark":
            return _pyspark(ibis, url, threads)
        if not url:
            raise EngineError(
                "[service] engine = 'trino' needs engine_url, e.g. "
                "'trino://user@host:8080/catalog/schema'."
            )
        import trino  # noqa: F401 - only to name the missing package clearly

        return ibis.connect(url)
    except EngineError:
        raise
    except ImportError as exc:
        raise EngineError(
            f"[service] engine = {engine!r}: the package {exc.name or exc} is not installed; "
            f"install {_PACKAGES[engine]}"
            + (", or set engine = 'duckdb'." if engine != "duckdb" else ".")
        ) from None
    except Exception as exc:  # noqa: BLE001 - any driver failure becomes one clear paragraph
        where = f" at {url}" if url else ""
        raise EngineError(
            f"[service] engine = {engine!r}{where}: the connection failed "
            f"({type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''})."
            " Check the [service] engine settings in config.toml"
            + (", or set engine = 'duckdb'." if engine != "duckdb" else ".")
        ) from None


def duckdb_connection(
    cfg: Mapping[str, Any], temp_dir: str | None = None, *, keep_order: bool = False
) -> Any:
    """A raw in-process DuckDB connection with the ``[service]`` limits (``memory_limit``,
    ``threads``): the one place they are applied, for the loader's conversions and the KPIs.

    ``keep_order``: the loader keeps the file's row order (row numbers in messages); the KPI
    queries do not need it and let DuckDB stream aggregates instead.
    """
    import duckdb

    svc = _service(cfg)
    con = duckdb.connect(":memory:")
    limit = str(svc.get("memory_limit", "1500MB") or "1500MB").replace("'", "")
    con.execute(f"SET memory_limit = '{limit}'")
    con.execute(f"SET threads = {max(int(svc.get('threads', 2) or 2), 1)}")
    if temp_dir:
        con.execute(f"SET temp_directory = '{str(temp_dir).replace(chr(39), chr(39) * 2)}'")
    con.execute(f"SET preserve_insertion_order = {'true' if keep_order else 'false'}")
    # In a Jupyter kernel without ipywidgets DuckDB refuses to touch the setting at all (and then
    # draws no bar either): nothing to switch off there.
    with contextlib.suppress(Exception):
        con.execute("SET enable_progress_bar = false")
    return con


def _duckdb(ibis: Any, svc: Mapping[str, Any], threads: int) -> Any:
    spill = tempfile.mkdtemp(prefix="analysis-duckdb-")
    raw = duckdb_connection({**svc, "threads": threads}, spill)
    con = ibis.duckdb.from_connection(raw)
    weakref.finalize(con, shutil.rmtree, spill, True)
    return con


def _pyspark(ibis: Any, url: str, threads: int) -> Any:
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master(url or f"local[{max(threads, 1)}]")
        .appName("analysis-service")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", str(max(threads, 1) * 2))
        .config("spark.sql.session.timeZone", "UTC")  # naive local times stay as written
        .getOrCreate()
    )
    return ibis.pyspark.connect(session)


def calls_table(con: Any, parts: Sequence[str | Path]) -> Any:
    """The canonical call log as one Ibis table over the loader's Parquet parts.

    Only the canonical columns, in their order, so a query reads no more than it names (Parquet
    is columnar: a KPI query touches a handful of the 16 columns). No parts → an empty table of
    the canonical schema. On Trino, whose workers cannot read this machine's files, ``parts`` is
    one table name (``catalog.schema.table``) holding the log.
    """
    import ibis

    paths = [str(p) for p in parts]
    if not paths:
        return ibis.memtable(ibis.schema(CALL_SCHEMA).to_pyarrow().empty_table())
    name = getattr(con, "name", "")
    try:
        if name == "trino":
            if len(paths) != 1 or Path(paths[0]).suffix:
                raise EngineError(
                    "Trino reads tables, not this machine's files: load the Parquet parts into a "
                    "table and pass its name (catalog.schema.table)."
                )
            table = con.table(paths[0])
        elif name == "duckdb":
            table = con.read_parquet(paths)
        else:
            tables = [con.read_parquet(p) for p in paths]
            table = tables[0].union(*tables[1:]) if len(tables) > 1 else tables[0]
        missing = [c for c in CALL_SCHEMA if c not in table.columns]
        if missing:
            raise EngineError(
                "The call log parts lack the canonical column(s) "
                f"{', '.join(missing)}; rebuild the parse cache (the loader writes them)."
            )
        table = table.select(*CALL_SCHEMA)
        # A column the export lacked may have been written as Parquet's NULL type (a part from an
        # older cache): cast it to the canonical type, or every query naming it fails.
        wrong = {
            c: t
            for c, t in CALL_SCHEMA.items()
            if table[c].type().copy(nullable=True) != ibis.dtype(t).copy(nullable=True)
        }
        return table.cast(wrong) if wrong else table
    except EngineError:
        raise
    except Exception as exc:  # noqa: BLE001 - a missing or unreadable part: one paragraph
        raise EngineError(
            f"The call log could not be read by {name or 'the engine'} "
            f"({type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''})."
        ) from None


__all__ = ["CALL_SCHEMA", "ENGINES", "EngineError", "calls_table", "connect"]
