"""Benchmark: service-quality KPIs of a year of 10^8 calls in DuckDB, beside a pandas baseline.

Why: call logs outgrow pandas (10^8 calls need about 18 GB there); issue 14 asks for a year of
10^8 canonical calls in ≤ 60 s and ≤ 2 GB peak on the 2-core machine, through
``analysis.service.kpis`` on the embedded engine (DuckDB, threads 2, memory_limit 1500MB).

The year is generated once with DuckDB SQL (fixed seed: values come from ``hash()`` of the row
number, so they do not depend on thread scheduling) as one Parquet part per month, like the
loader's parse cache, under ``benchmarks/data/service_1e8/`` (git-ignored); a second run reuses
it. Realistic shape: 12 months, 20 queues, 2,000 agents, ~10 % abandons, ~5 % outbound, ratings on
~20 % of answered calls, about one call in five from a caller who called in the previous week.

Each measurement runs in its own child process so its peak memory (``ru_maxrss``, plus psutil's
sampled RSS of the process and any children) is its own.

Run: ``python benchmarks/bench_service.py [--rows N] [--pandas-rows N ...] [--skip-pandas]``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"
PY = sys.executable
YEAR = 2026
QUEUES = 20
AGENTS = 2000
#: One generation per content: change it when the generator changes, so stale data is rebuilt.
GEN_VERSION = 1
T_SECONDS = 60.0
T_PEAK_GB = 2.0
GB = 1024**3


def _u(i: str, k: int) -> str:
    """A uniform number in [0, 1) from the row number: deterministic whatever the threads."""
    return f"((hash({i} * 64 + {k}) % 1000003) / 1000003.0)"


def month_sql(lo: int, hi: int, n: int, month: int) -> str:
    """SELECT producing the canonical calls of rows [lo, hi) (one month) of an n-call year."""
    i = "i"
    answered = f"({_u(i, 1)} >= 0.10)"
    tod = f"(27000 + floor(({_u(i, 2)} + {_u(i, 3)}) / 2 * 50400))::BIGINT"
    doy = f"({i} * 365 // {n})"
    # one call in five comes from a caller of up to ~7.5 days before (rows are in day order)
    back = f"(floor({_u(i, 5)} * {n} / 365 * 7.5))::BIGINT"
    caller = f"(CASE WHEN {_u(i, 4)} < 0.20 THEN greatest({i} - 1 - {back}, 0) ELSE {i} END)"
    rating_u = _u(i, 11)
    return f"""
SELECT
  'C' || {i}::VARCHAR AS call_id,
  (DATE '{YEAR}-01-01' + to_days({doy}::INTEGER)) + to_seconds({tod}) AS start,
  'Q' || lpad((floor(pow({_u(i, 6)}, 1.5) * {QUEUES})::INTEGER + 1)::VARCHAR, 2, '0') AS queue,
  CASE WHEN {answered} THEN
    'A' || lpad(((hash({i} * 64 + 7) % {AGENTS}) + 1)::VARCHAR, 4, '0') END AS agent_id,
  CASE WHEN {_u(i, 8)} < 0.05 THEN 'out' ELSE 'in' END AS direction,
  {answered} AS answered,
  round(-ln(1 - {_u(i, 9)}) * CASE WHEN {answered} THEN 25 ELSE 40 END, 1) AS wait_s,
  CASE WHEN {answered} THEN round(60 - ln(1 - {_u(i, 10)}) * 180, 1) END AS talk_s,
  CASE WHEN {answered} AND {_u(i, 12)} >= 0.05 THEN
    CASE WHEN {_u(i, 13)} < 0.3 THEN round({_u(i, 14)} * 90, 1) ELSE 0 END END AS hold_s,
  CASE WHEN {answered} AND {_u(i, 12)} < 0.95 THEN round(20 + {_u(i, 15)} * 40, 1) END
    AS wrap_s,
  CASE WHEN {answered} AND {rating_u} < 0.20 THEN
    CASE WHEN {rating_u} < 0.11 THEN 5 WHEN {rating_u} < 0.16 THEN 4
         WHEN {rating_u} < 0.18 THEN 3 WHEN {rating_u} < 0.19 THEN 2 ELSE 1 END END::DOUBLE
    AS rating,
  CASE WHEN {answered} THEN {_u(i, 16)} < 0.8 END AS resolved,
  (hash({caller}) >> 1)::BIGINT AS caller_key,
  'calls/{YEAR}-{month:02d}.csv' AS source_file,
  '' AS source_sheet,
  ({i} - {lo} + 2)::BIGINT AS source_row
FROM range({lo}, {hi}) t({i})
"""


def month_bounds(n: int) -> list[tuple[int, int, int]]:
    """(month, first row, end row) so that each month holds the rows of its days."""
    import calendar

    out, doy = [], 0
    for m in range(1, 13):
        days = calendar.monthrange(YEAR, m)[1]
        lo = -(-doy * n // 365)  # first i with i * 365 // n >= doy
        doy += days
        hi = -(-doy * n // 365)
        out.append((m, lo, min(hi, n)))
    return out


def generate(n: int, log=print) -> Path:
    """The cached year of ``n`` calls (one Parquet part per month); built once."""
    import duckdb

    folder = DATA / f"service_{n:.0e}".replace("+", "")
    stamp = folder / "done.json"
    meta = {"rows": n, "version": GEN_VERSION, "year": YEAR}
    if stamp.is_file() and json.loads(stamp.read_text()) == meta:
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.parquet"):
        old.unlink()
    con = duckdb.connect()
    con.execute("SET threads = 2; SET memory_limit = '1500MB'; SET enable_progress_bar = false")
    con.execute(f"SET temp_directory = '{folder / 'tmp'}'")
    t0 = time.perf_counter()
    for m, lo, hi in month_bounds(n):
        path = folder / f"calls_{YEAR}-{m:02d}.parquet"
        con.execute(
            f"COPY ({month_sql(lo, hi, n, m)}) TO '{path}' "
            "(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 500000)"
        )
        log(f"  generated {path.name}: {hi - lo:,} calls ({time.perf_counter() - t0:.0f} s)")
    con.close()
    stamp.write_text(json.dumps(meta))
    return folder


def slice_file(folder: Path, rows: int) -> Path:
    """The first ``rows`` calls of the year as one Parquet file (cached): the pandas baseline's
    input, also run through the engine so the two can be compared figure by figure."""
    import duckdb

    path = DATA / f"service_slice_{rows:.0e}.parquet".replace("+", "")
    stamp = path.with_suffix(".json")
    meta = {"rows": rows, "version": GEN_VERSION, "source": folder.name}
    if path.is_file() and stamp.is_file() and json.loads(stamp.read_text()) == meta:
        return path
    con = duckdb.connect()
    con.execute("SET threads = 2; SET memory_limit = '1500MB'; SET enable_progress_bar = false")
    parts = sorted(str(p) for p in folder.glob("*.parquet"))
    con.execute(
        f"COPY (SELECT * FROM read_parquet({parts!r}) ORDER BY source_file, source_row "
        f"LIMIT {rows}) TO '{path}' (FORMAT parquet, COMPRESSION zstd)"
    )
    con.close()
    stamp.write_text(json.dumps(meta))
    return path


# The engine run, in a child process: kpis() + intervals() as a report calls them.
_ENGINE_CODE = r"""
import glob, json, resource, sys, time
import pandas as pd
from analysis.config import load_config
from analysis.io import engine
from analysis.service import kpis as K
source = sys.argv[1]
cfg = load_config(overrides={"service": {"engine": "duckdb", "threads": 2,
                                         "memory_limit": "1500MB"}})
parts = sorted(glob.glob(source + "/*.parquet")) if not source.endswith(".parquet") else [source]
roster = pd.DataFrame({"agent_id": [f"A{i:04d}" for i in range(1, 2001)],
                       "team": [f"T{(i - 1) // 10 + 1:03d}" for i in range(1, 2001)]})
complaints = pd.DataFrame(columns=["complaint_id", "received", "channel", "type", "agent_id",
                                   "owner", "status", "closed"])
t0 = time.perf_counter()
con = engine.connect(cfg)
calls = engine.calls_table(con, parts)
k = K.kpis(calls, complaints, roster, cfg)
t1 = time.perf_counter()
iv = K.intervals(calls, cfg)
t2 = time.perf_counter()
top = k[k["level"] == "all"]
figures = {c: float(top[c].astype("float64").sum()) for c in
           ("offered", "answered", "abandoned", "short_abandoned")}
figures.update({c: float((top[c] * top["offered"]).sum() / top["offered"].sum())
                for c in ("answer_rate", "service_level", "csat", "fcr")})
print("ENGINE " + json.dumps({"kpis_s": t1 - t0, "intervals_s": t2 - t1, "kpi_rows": len(k),
      "interval_rows": len(iv), "maxrss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
      "figures": figures}))
"""

# The pandas baseline, in a child process: the same all- and agent-level KPIs in plain pandas.
_PANDAS_CODE = r"""
import json, resource, sys, time
import pandas as pd
path = sys.argv[1]
S, T, SAT, FCR = 5, 20, 4, pd.Timedelta(days=7)
cols = ["start", "queue", "agent_id", "direction", "answered", "wait_s", "talk_s", "hold_s",
        "wrap_s", "rating", "caller_key"]
t0 = time.perf_counter()
df = pd.read_parquet(path, columns=cols)
t1 = time.perf_counter()
df = df[df["direction"].fillna("in") == "in"]
ans = df["answered"]
wait = df["wait_s"]
df = df.assign(
    period=df["start"].dt.strftime("%Y-%m"),
    agent=df["agent_id"].fillna("(no agent)"),
    n=1,
    ab=(~ans).astype("int64"),
    ans=ans.astype("int64"),
    short=((~ans) & (wait < S)).astype("int64"),
    in_t=(ans & (wait <= T)).astype("int64"),
    w=wait.where(ans),
    h=(df["talk_s"] + df["hold_s"].fillna(0) + df["wrap_s"].fillna(0)).where(ans),
    rated=df["rating"].notna().astype("int64"),
    sat=(df["rating"] >= SAT).astype("int64"),
)
known = df[df["caller_key"].notna()].sort_values(["caller_key", "start"])
nxt = known.groupby("caller_key")["start"].shift(-1)
repeat = nxt.notna() & (nxt <= known["start"] + FCR)
df["fcr_base"] = (ans & df["caller_key"].notna()).astype("int64")
df["fcr_ok"] = 0
df.loc[known.index, "fcr_ok"] = ((known["answered"]) & ~repeat).astype("int64")
def level(keys):
    g = df.groupby(keys).agg(offered=("n", "sum"), answered=("ans", "sum"), abandoned=("ab", "sum"),
        short=("short", "sum"), in_t=("in_t", "sum"), w=("w", "mean"), h=("h", "mean"),
        rated=("rated", "sum"), sat=("sat", "sum"), fb=("fcr_base", "sum"), fo=("fcr_ok", "sum"))
    net = (g["offered"] - g["short"]).where(lambda s: s > 0)
    return g.assign(answer_rate=g["answered"] / net, service_level=g["in_t"] / net,
                    csat=g["sat"] / g["rated"].where(lambda s: s > 0),
                    fcr=g["fo"] / g["fb"].where(lambda s: s > 0))
top = level(["period"])
agents = level(["period", "agent"])
t2 = time.perf_counter()
figures = {c: float(top[c].sum()) for c in ("offered", "answered", "abandoned")}
figures["short_abandoned"] = float(top["short"].sum())
figures.update({c: float((top[c] * top["offered"]).sum() / top["offered"].sum())
                for c in ("answer_rate", "service_level", "csat", "fcr")})
print("PANDAS " + json.dumps({"read_s": t1 - t0, "compute_s": t2 - t1, "rows": len(df),
      "agent_rows": len(agents), "maxrss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
      "figures": figures}))
"""


def _prepare(kind: str, n: int, folder: Path | None = None) -> Path:
    """Generate the year or cut a slice in a child process, so this process stays small: a
    child's ``ru_maxrss`` starts from the RSS of the process that forked it, and DuckDB's
    buffers in this process would be counted in every measurement after it."""
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import bench_service as b; "
        "from pathlib import Path; log = lambda s: print(s, file=sys.stderr, flush=True); "
        + (
            "print(b.generate(int(sys.argv[2]), log=log))"
            if kind == "year"
            else "print(b.slice_file(Path(sys.argv[3]), int(sys.argv[2])))"
        )
    )
    args = [PY, "-c", code, str(HERE), str(n)] + ([str(folder)] if folder else [])
    done = subprocess.run(args, check=True, stdout=subprocess.PIPE, text=True)
    return Path(done.stdout.strip().splitlines()[-1])


def _child(code: str, arg: str, tag: str, timeout: float = 600.0) -> tuple[dict | None, object]:
    """Run ``code`` in a child process; its JSON line and the measured wall time / memory."""
    from run_all import measure

    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    m = measure([PY, "-c", code, arg], timeout=timeout, env=env)
    hit = re.search(rf"^{tag} (.*)$", m.output, re.M)
    return (json.loads(hit.group(1)) if hit else None), m


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=10**8, help="calls in the year (default 10^8)")
    ap.add_argument(
        "--pandas-rows",
        type=int,
        nargs="*",
        default=[10**6, 10**7],
        help="slices for the pandas baseline (default 10^6 and 10^7)",
    )
    ap.add_argument("--skip-pandas", action="store_true", help="no pandas baseline")
    args = ap.parse_args(argv)
    print(f"generating {args.rows:,} calls (reused when present) …", file=sys.stderr, flush=True)
    t0 = time.perf_counter()
    folder = _prepare("year", args.rows)
    size = sum(p.stat().st_size for p in folder.glob("*.parquet"))
    print(f"data: {folder.relative_to(ROOT)} ({size / GB:.2f} GB Parquet, 12 parts; "
          f"{time.perf_counter() - t0:.1f} s to generate or find)")  # fmt: skip

    print("\n## DuckDB (threads 2, memory_limit 1500MB): kpis() + intervals()")
    res, m = _child(_ENGINE_CODE, str(folder), "ENGINE")
    if res is None:
        print(f"engine run failed (exit {m.exit_code}):\n{m.output[-2000:]}")
        return 1
    total = res["kpis_s"] + res["intervals_s"]
    peak = max(res["maxrss"], m.peak_rss_sum_bytes)
    ok = total <= T_SECONDS and peak <= T_PEAK_GB * GB
    print(
        f"{args.rows:,} calls: kpis + intervals in {total:.1f} s (kpis {res['kpis_s']:.1f} s, "
        f"intervals {res['intervals_s']:.1f} s; process wall time {m.seconds:.1f} s), "
        f"peak {peak / GB:.2f} GB (ru_maxrss {res['maxrss'] / GB:.2f} GB); "
        f"{res['kpi_rows']:,} KPI rows, {res['interval_rows']:,} interval rows; "
        f"targets ≤ {T_SECONDS:g} s and ≤ {T_PEAK_GB:g} GB: {'PASS' if ok else 'MISS'}"
    )
    if args.skip_pandas:
        return 0

    print("\n## pandas baseline (all and agent levels) beside the engine on the same slice")
    head = "| calls | pandas read (s) | pandas compute (s) | pandas peak (GB) | DuckDB kpis + intervals (s) | DuckDB peak (GB) | same figures |"  # noqa: E501
    lines = [head, "|---:|---:|---:|---:|---:|---:|---|"]
    for n in args.pandas_rows:
        path = _prepare("slice", n, folder)
        pres, pm = _child(_PANDAS_CODE, str(path), "PANDAS")
        eres, em = _child(_ENGINE_CODE, str(path), "ENGINE")
        if pres is None or eres is None:
            bad = pm if pres is None else em
            lines.append(f"| {n:,} | failed (exit {bad.exit_code}): "
                         f"{bad.output.strip().splitlines()[-1:]} | | | | | |")  # fmt: skip
            continue
        same = all(
            abs(pres["figures"][k] - eres["figures"][k]) <= 1e-9 * max(1.0, abs(eres["figures"][k]))
            for k in eres["figures"]
        )
        ppeak = max(pres["maxrss"], pm.peak_rss_sum_bytes)
        epeak = max(eres["maxrss"], em.peak_rss_sum_bytes)
        lines.append(
            f"| {n:,} | {pres['read_s']:.1f} | {pres['compute_s']:.1f} | {ppeak / GB:.2f} | "
            f"{eres['kpis_s'] + eres['intervals_s']:.1f} | {epeak / GB:.2f} | "
            f"{'yes' if same else 'NO: ' + json.dumps([pres['figures'], eres['figures']])} |"
        )
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
