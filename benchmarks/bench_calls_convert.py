"""Benchmark: convert a generated call-log CSV (default 10^7 rows) into the canonical Parquet part.

Why: a call log is converted once into the parse cache (``analysis.io.load_calls``); this says
how fast that one conversion is (rows/s, wall and CPU time, peak RSS) on this machine. Not a
timed test: run ``python benchmarks/bench_calls_convert.py [--rows N] [--parquet]``.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq


def make_log(rows: int, seed: int = 1) -> pa.Table:
    """Calls over one year as a contact centre exports them (Chinese headers, text cells)."""
    rng = np.random.default_rng(seed)
    secs = np.sort(rng.integers(0, 365 * 86400, rows))
    start = np.datetime_as_string(np.datetime64("2026-01-01T00:00:00") + secs, unit="s")
    answered = rng.random(rows) < 0.9
    agent = np.where(answered, np.char.add("KF", rng.integers(100, 400, rows).astype(str)), "")
    talk = rng.integers(30, 900, rows)
    mm_ss = np.char.add(
        np.char.add((talk // 60).astype(str), ":"), np.char.zfill((talk % 60).astype(str), 2)
    )
    return pa.table(
        {
            "通话编号": np.char.add("C", np.arange(rows).astype(str)),
            "呼入时间": np.char.replace(start, "T", " "),
            "技能组": np.where(rng.random(rows) < 0.5, "售前", "售后"),
            "坐席工号": agent,
            "是否接通": np.where(answered, "是", "否"),
            "排队时长": rng.integers(0, 300, rows).astype(str),
            "通话时长": np.where(answered, mm_ss, ""),
            "满意度": np.where(answered, rng.integers(1, 6, rows).astype(str), ""),
            "主叫号码": np.char.add("138", rng.integers(10**7, 10**8, rows).astype(str)),
        }
    )


def write_log(path: Path, rows: int, parquet: bool) -> None:
    table = make_log(rows)
    if parquet:
        pq.write_table(table, path)
    else:
        pacsv.write_csv(table, path, write_options=pacsv.WriteOptions(quoting_style="none"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--parquet", action="store_true", help="the log as Parquet instead of CSV")
    args = ap.parse_args(argv)
    from analysis import config
    from analysis.io.load_calls import load_calls_file

    with tempfile.TemporaryDirectory(prefix="kefu-bench-calls-") as tmp:
        folder = Path(tmp)
        src = folder / ("log.parquet" if args.parquet else "log.csv")
        t0 = time.perf_counter()
        # Generated in a child process, so the peak RSS below is the conversion's own.
        child = multiprocessing.get_context("spawn").Process(
            target=write_log, args=(src, args.rows, args.parquet)
        )
        child.start()
        child.join()
        print(f"generated {src.name}: {args.rows:,} rows, {src.stat().st_size / 1e6:,.0f} MB "
              f"in {time.perf_counter() - t0:.1f} s")  # fmt: skip
        cpu0 = resource.getrusage(resource.RUSAGE_SELF)
        t0 = time.perf_counter()
        out = load_calls_file(
            src, f"calls/{src.name}", config.load_config(), folder / "part.parquet"
        )
        wall = time.perf_counter() - t0
        cpu1 = resource.getrusage(resource.RUSAGE_SELF)
        r = out["readings"].iloc[0]
        cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
        print(f"converted {int(r['rows_read']):,} rows ({int(r['rows_loaded']):,} loaded) in "
              f"{wall:.1f} s wall, {cpu:.1f} s CPU: {r['rows_read'] / wall:,.0f} rows/s; "
              f"part {(folder / 'part.parquet').stat().st_size / 1e6:,.0f} MB; peak RSS "
              f"{cpu1.ru_maxrss / 1024:,.0f} MB")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
