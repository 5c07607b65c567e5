"""`make bench`: every benchmark of the project, one results file (benchmarks/RESULTS.md).

What it measures (figures next to their targets, PASS/MISS):
- ``analysis run`` on the sample data and on a large synthetic year (2,000 agents × 12 months,
  1,000,000 + 200,000 ledger lines, 500 plan lines; ``make_large_year.py``), cold (the parse
  cache entries of that data folder removed) and warm; seconds per stage from the run's
  ``run.json``; per report execute / export seconds and HTML size; peak memory.
- Growth of load + reconcile at 10k / 100k / 1M ledger lines.
- The outputs of the other ``bench_*.py`` scripts (loader, reconciliation, scorecards).

Benchmarks are measured here, never asserted in timed tests: a loaded CI machine would make
such tests flaky, and a figure in a results file is what a reviewer needs. The exit code is 0
even when a figure misses its target (the table says so); it is 1 only if the harness broke.

Run: ``.venv/bin/python benchmarks/run_all.py [--quick] [--no-scripts]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PY = sys.executable
sys.path.insert(0, str(HERE))

#: Targets on the 2-core reference machine (issue 7 and the issues 3-5 "Tests and speed").
T_SAMPLE_S = 20.0
T_LARGE_COLD_S = 90.0
T_LARGE_WARM_S = 30.0
T_PEAK_GB = 3.0
T_GROWTH = 12.0
SCALE_SIZES = (10_000, 100_000, 1_000_000)
GB = 1024**3


# ---------------------------------------------------------------------------------------------
# Running a command: wall time, peak memory of its whole process tree, exit code


@dataclass
class Measured:
    """One command's wall time, peak memory and output (stdout + stderr)."""

    seconds: float
    exit_code: int
    output: str
    peak_tree_bytes: int = 0  # sampled sum of PSS over the process and all its descendants
    peak_rss_sum_bytes: int = 0  # the same with RSS (pages shared after fork counted per process)
    peak_single_bytes: int = 0  # largest single process (ru_maxrss of the waited tree)
    timed_out: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


class _TreeSampler(threading.Thread):
    """Samples the summed RSS of a process tree (the runner, its workers and their kernels)."""

    def __init__(self, pid: int, every: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.pid, self.every = pid, every
        self.peak_sum = self.peak_one = self.peak_pss = 0
        self.pss = True
        self.stop = threading.Event()

    def run(self) -> None:
        try:
            import psutil
        except ImportError:  # psutil comes with ipykernel; without it only ru_maxrss is shown
            return
        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        while not self.stop.is_set():
            total = 0
            try:
                procs = [root, *root.children(recursive=True)]
            except psutil.Error:
                break
            pss_total = 0
            for p in procs:
                try:
                    rss = p.memory_info().rss
                    # PSS splits pages shared by forked workers; RSS would count them per process
                    pss = getattr(p.memory_full_info(), "pss", rss) if self.pss else rss
                except psutil.AccessDenied:
                    self.pss = False
                    continue
                except psutil.Error:
                    continue
                total += rss
                pss_total += pss
                self.peak_one = max(self.peak_one, rss)
            self.peak_sum = max(self.peak_sum, total)
            self.peak_pss = max(self.peak_pss, pss_total)
            self.stop.wait(self.every)


def measure(
    cmd: list[str], *, timeout: float = 900.0, env: dict[str, str] | None = None
) -> Measured:
    """Run ``cmd`` from the project root in its own session; kill the whole group on timeout."""
    with tempfile.TemporaryFile("w+b") as log:
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )
        sampler = _TreeSampler(proc.pid)
        sampler.start()
        timed_out = False
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - start > timeout:
                timed_out = True
                os.killpg(proc.pid, signal.SIGKILL)
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.05)
        took = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        sampler.stop.set()
        sampler.join()
        log.seek(0)
        text = log.read().decode("utf-8", "replace")
    return Measured(
        seconds=took,
        exit_code=proc.returncode,
        output=text,
        peak_tree_bytes=max(sampler.peak_pss, usage.ru_maxrss * 1024),
        peak_rss_sum_bytes=max(sampler.peak_sum, usage.ru_maxrss * 1024),
        peak_single_bytes=max(sampler.peak_one, usage.ru_maxrss * 1024),
        timed_out=timed_out,
    )


# ---------------------------------------------------------------------------------------------
# `analysis run`


def drop_cache(data_dir: Path) -> str:
    """Remove the parse-cache entries of ``data_dir``'s files only (other folders stay warm,
    so helpers' tests running at the same time are not disturbed)."""
    from analysis import config
    from analysis.io import cache
    from analysis.io import folder as dataset
    from analysis.paths import INTERIM_DIR

    cache_dir = INTERIM_DIR / "io"
    try:
        cfg = config.load_config(data_dir)
        cfg_hash = cache.config_digest(cfg)
        removed = 0
        for kind, path in dataset.find_inputs(data_dir, cfg):
            rel = path.relative_to(data_dir).as_posix()
            sha = cache.file_digest(path)
            entry = cache_dir / cache.entry_key(sha, rel, kind, cfg_hash)
            if entry.exists():
                shutil.rmtree(entry, ignore_errors=True)
                removed += 1
        return f"parse cache of {data_dir.name} emptied: {removed} entries were present"
    except Exception as exc:  # noqa: BLE001 - the cache API moved: fall back to the whole cache
        shutil.rmtree(cache_dir, ignore_errors=True)
        return f"whole parse cache removed ({type(exc).__name__}: {exc})"


@dataclass
class RunFigures:
    """An `analysis run`: measured command plus what its run.json says."""

    label: str
    m: Measured
    status: str = "?"
    stages: dict[str, float] = field(default_factory=dict)
    reports: list[dict[str, Any]] = field(default_factory=list)
    html_bytes: dict[str, int] = field(default_factory=dict)
    note: str = ""

    @property
    def ok(self) -> bool:
        return self.m.exit_code == 0 and not self.m.timed_out


def analysis_run(
    label: str,
    data: Path,
    *,
    cold: bool,
    cell_timeout: int,
    wall: float,
    only: list[str] | None = None,
) -> RunFigures:
    note = drop_cache(data) if cold else "parse cache kept from the previous run"
    with tempfile.TemporaryDirectory(prefix="bench_run_") as out:
        cmd = [PY, "-m", "analysis", "run", "--data", str(data), "--out", out]
        cmd += ["--timeout", str(cell_timeout)] + (["--only", *only] if only else [])
        print(f"  {label} …", file=sys.stderr, flush=True)
        m = measure(cmd, timeout=wall)
        fig = RunFigures(label, m, note=note)
        manifests = sorted(Path(out).glob("*/run.json"))
        if manifests:
            man = json.loads(manifests[0].read_text(encoding="utf-8"))
            fig.status = man.get("status", "?")
            fig.stages = dict(man.get("seconds", {}))
            fig.reports = list(man.get("reports", []))
            folder = manifests[0].parent
            for r in fig.reports:
                html = folder / str(r.get("html", ""))
                if html.is_file():
                    fig.html_bytes[str(r.get("key"))] = html.stat().st_size
            index = folder / "index.html"
            if index.is_file():
                fig.html_bytes["index"] = index.stat().st_size
        else:
            fig.status = "timed out" if m.timed_out else f"exit {m.exit_code}"
    print(f"    {m.seconds:.1f} s, {fig.status}", file=sys.stderr, flush=True)
    return fig


def run_table(runs: list[RunFigures]) -> list[str]:
    """Stage seconds of several runs side by side."""
    stages: list[str] = []
    for r in runs:
        stages += [s for s in r.stages if s not in stages]
    head = "| stage | " + " | ".join(r.label for r in runs) + " |"
    lines = [head, "|---" * (len(runs) + 1) + "|"]
    lines.append(
        "| **wall time (s)** | " + " | ".join(f"**{r.m.seconds:.1f}**" for r in runs) + " |"
    )
    lines.append("| status | " + " | ".join(r.status for r in runs) + " |")
    for s in stages:
        lines.append(f"| {s} | " + " | ".join(_f(r.stages.get(s)) for r in runs) + " |")
    lines.append(
        "| peak memory, process tree, PSS (GB) | "
        + " | ".join(f"{r.m.peak_tree_bytes / GB:.2f}" for r in runs)
        + " |"
    )
    lines.append(
        "| peak memory, process tree, RSS sum (GB) | "
        + " | ".join(f"{r.m.peak_rss_sum_bytes / GB:.2f}" for r in runs)
        + " |"
    )
    lines.append(
        "| peak RSS, largest process (GB) | "
        + " | ".join(f"{r.m.peak_single_bytes / GB:.2f}" for r in runs)
        + " |"
    )
    return lines


def report_table(run: RunFigures) -> list[str]:
    lines = [
        "| report | ok | execute (s) | export (s) | HTML (KB) | error |",
        "|---|---|---|---|---|---|",
    ]
    for r in run.reports:
        key = str(r.get("key"))
        size = run.html_bytes.get(key)
        lines.append(
            f"| {key} | {'yes' if r.get('ok') else 'NO'} | {_f(r.get('seconds_execute'))} | "
            f"{_f(r.get('seconds_export'))} | {size / 1024:,.0f} | "
            f"{str(r.get('error', '')).replace('|', '/')[:160]} |"
            if size is not None
            else f"| {key} | {'yes' if r.get('ok') else 'NO'} | {_f(r.get('seconds_execute'))} | "
            f"{_f(r.get('seconds_export'))} | — | {str(r.get('error', '')).replace('|', '/')[:160]} |"
        )
    if "index" in run.html_bytes:
        lines.append(f"| index.html | | | | {run.html_bytes['index'] / 1024:,.0f} | |")
    return lines


def _f(v: Any, fmt: str = ".1f") -> str:
    return "—" if v is None else format(float(v), fmt)


# ---------------------------------------------------------------------------------------------
# Growth: load + reconcile at 10k / 100k / 1M ledger lines

_GROWTH_CODE = r"""
import json, resource, sys, time
from analysis import budget
from analysis.config import load_config
from analysis.io import load_all
folder, repeat = sys.argv[1], int(sys.argv[2])
best = None
for _ in range(repeat):
    t0 = time.perf_counter()
    ds = load_all(folder, use_cache=False)
    t1 = time.perf_counter()
    table = budget.reconcile(ds.plan, ds.actuals, ds.latest_period, load_config(ds.data_dir))
    t2 = time.perf_counter()
    if best is None or t2 - t0 < best["total"]:
        best = {"load": t1 - t0, "reconcile": t2 - t1, "total": t2 - t0}
best.update(lines=len(ds.actuals), rows=len(table), period=ds.latest_period,
            maxrss=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
print("GROWTH " + json.dumps(best))
"""


def growth(folders: dict[int, Path]) -> tuple[list[str], float | None]:
    lines = [
        "| ledger lines | load (s) | reconcile (s) | load + reconcile (s) | × previous | peak RSS (MB) |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    totals: dict[int, float] = {}
    prev = None
    for n, folder in folders.items():
        print(f"  growth {n:,} lines …", file=sys.stderr, flush=True)
        m = measure(
            [PY, "-c", _GROWTH_CODE, str(folder), "2" if n <= 100_000 else "1"], timeout=300
        )
        hit = re.search(r"^GROWTH (.*)$", m.output, re.M)
        if not hit:
            lines.append(f"| {n:,} | failed: {m.output.strip().splitlines()[-1:]} | | | | |")
            continue
        g = json.loads(hit.group(1))
        totals[n] = g["total"]
        ratio = f"{g['total'] / prev:.1f}" if prev else "—"
        prev = g["total"]
        lines.append(
            f"| {g['lines']:,} | {g['load']:.2f} | {g['reconcile']:.2f} | {g['total']:.2f} | "
            f"{ratio} | {g['maxrss'] / 2**20:,.0f} |"
        )
    big, mid = max(SCALE_SIZES), sorted(SCALE_SIZES)[-2]
    ratio = totals[big] / totals[mid] if big in totals and mid in totals else None
    return lines, ratio


# ---------------------------------------------------------------------------------------------
# The scorecard report's pieces at scale (why 20_scorecards is slow with 2,000 agents)

_PIECES_CODE = r"""
import json, sys, time, warnings
warnings.filterwarnings("ignore")
out = {}
try:
    from analysis import report, scorecard
    from analysis.config import load_config
    from analysis.io import load_all
    from analysis.plots import scorecard as charts
    report.setup()
    ds = load_all(sys.argv[1])
    cfg = load_config(ds.data_dir)
    table = scorecard.build_scorecards(ds.presales, ds.aftersales, ds.roster, cfg)
    period = max(table["period"])
    month = table[table["period"] == period]
    def timed(name, fn):
        t0 = time.perf_counter(); html = fn(); out[name] = [time.perf_counter() - t0, len(html or "")]
    for n in (25, 50, 100):
        ids = month[month["role"] == "presales"]["agent_id"].head(n)
        sub = table[table["agent_id"].isin(ids)]
        timed(f"trends small multiples, {n} agents",
              lambda: report.figure_html(charts.trends(sub, role="presales"), alt=""))
    bd = scorecard.deductions(ds.presales, ds.aftersales, cfg, period)
    for n in (250, 500):
        ids = set(month["agent_id"].head(n))
        timed(f"deduction breakdown, {n} agents",
              lambda: report.figure_html(charts.deduction_breakdown(bd[bd["agent_id"].isin(ids)], period), alt=""))
    pre = month[month["role"] == "presales"]
    for n in (250, 1000):
        ids = set(pre["agent_id"].head(n))
        timed(f"ranking chart, {n} agents",
              lambda: report.figure_html(charts.ranking(table[table["agent_id"].isin(ids)], "presales", period), alt=""))
except Exception as exc:
    out["error"] = [0, 0, f"{type(exc).__name__}: {exc}"]
print("PIECES " + json.dumps(out, ensure_ascii=False))
"""


def report_pieces(data: Path) -> list[str]:
    print("  scorecard report pieces …", file=sys.stderr, flush=True)
    m = measure([PY, "-c", _PIECES_CODE, str(data)], timeout=240)
    hit = re.search(r"^PIECES (.*)$", m.output, re.M)
    if not hit:
        return ["(probe failed)", "```", m.output.strip()[-2000:], "```"]
    pieces = json.loads(hit.group(1))
    lines = ["| piece (rendered to inline PNG) | seconds | HTML (KB) |", "|---|---:|---:|"]
    for name, v in pieces.items():
        if name == "error":
            lines.append(f"| probe error: {v[2]} | | |")
        else:
            lines.append(f"| {name} | {v[0]:.2f} | {v[1] / 1024:,.0f} |")
    return lines


# ---------------------------------------------------------------------------------------------
# The other bench_*.py scripts


SCRIPT_FIGURES = {
    # script: [(regex for the figure, label, target text, pass test)]
    "bench_budget": [
        (r"in ([\d.]+) s \(best", "reconcile 1M ledger lines × 500 plan lines (s)", "< 2", lambda v: v < 2)
    ],
    "bench_scorecard": [
        (r"explained in ([\d.]+) s", "score + rank 2,000 agents × 12 months (s)", "< 1", lambda v: v < 1)
    ],
    "bench_load": [
        (r"load_all / fastexcel = ([\d.]+)", "load 200k-line .xlsx ÷ fastexcel alone", "≤ 1.5",
         lambda v: v <= 1.5),
        (r"openpyxl / load_all = ([\d.]+)", "openpyxl read ÷ load 200k-line .xlsx", "≥ 10",
         lambda v: v >= 10),
    ],
    "bench_service": [
        (r"100,000,000 calls: kpis \+ intervals in ([\d.]+) s",
         "service KPIs + intervals, a year of 10^8 calls, DuckDB (s)", "≤ 60", lambda v: v <= 60),
        (r"100,000,000 calls: .*?, peak ([\d.]+) GB",
         "service KPIs, 10^8 calls, peak memory (GB)", "≤ 2", lambda v: v <= 2),
    ],
}  # fmt: skip

#: Scripts that need longer than the default 420 s (generation of their data on the first run).
SCRIPT_TIMEOUT = {"bench_service": 1200.0}


def scripts() -> tuple[list[str], list[tuple[str, str, str, bool | None]]]:
    out: list[str] = []
    figures: list[tuple[str, str, str, bool | None]] = []
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"  {script.name} …", file=sys.stderr, flush=True)
        m = measure([PY, str(script)], timeout=SCRIPT_TIMEOUT.get(script.stem, 420.0))
        text = m.output.strip()
        status = "timed out" if m.timed_out else f"exit {m.exit_code}"
        out += [f"### {script.stem}", "", "```", text[-4000:], "```"]
        out += [f"(wall time {m.seconds:.1f} s, {status})", ""]
        for pattern, label, target, ok in SCRIPT_FIGURES.get(script.stem, []):
            hit = re.search(pattern, text)
            if hit:
                v = float(hit.group(1))
                figures.append((label, f"{v:g}", target, ok(v)))
            else:
                figures.append((label, "not reported", target, None))
    return out, figures


# ---------------------------------------------------------------------------------------------


def _machine() -> str:
    try:
        mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / GB
    except (ValueError, OSError):
        mem_gb = float("nan")
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{platform.platform()} · {os.cpu_count()} cores ({cpu}) · {mem_gb:.0f} GiB RAM · "
        f"Python {platform.python_version()}"
    )


def _load_note() -> str:
    try:
        one, five, _ = os.getloadavg()
        return f"load average at start {one:.1f} / {five:.1f} (1 / 5 min)"
    except OSError:
        return ""


def _verdict(ok: bool | None) -> str:
    return "—" if ok is None else ("PASS" if ok else "**MISS**")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="sample runs and growth only")
    ap.add_argument("--no-scripts", action="store_true", help="skip the bench_*.py scripts")
    ap.add_argument(
        "--cell-timeout",
        type=int,
        default=150,
        help="notebook cell timeout of the large runs, s (default 150: keeps make bench short)",
    )
    args = ap.parse_args(argv)
    t_start = time.perf_counter()
    started = dt.datetime.now().astimezone()
    load_note = _load_note()

    import make_large_year as gen

    from analysis.paths import SAMPLE_DATA_DIR

    print("generating the large year (reused when present) …", file=sys.stderr, flush=True)
    t0 = time.perf_counter()
    large = gen.build_large(log=lambda s: print(s, file=sys.stderr, flush=True))
    folders = {n: gen.build_scale(n, large) for n in SCALE_SIZES}
    t_gen = time.perf_counter() - t0

    figures: list[tuple[str, str, str, bool | None]] = []
    body: list[str] = []

    print("analysis run on the sample …", file=sys.stderr, flush=True)
    s_cold = analysis_run("sample, cold", SAMPLE_DATA_DIR, cold=True, cell_timeout=600, wall=600)
    s_warm = analysis_run("sample, warm", SAMPLE_DATA_DIR, cold=False, cell_timeout=600, wall=600)
    for r in (s_cold, s_warm):
        figures.append((f"`analysis run` {r.label} (s)", f"{r.m.seconds:.1f}", f"≤ {T_SAMPLE_S:g}",
                        r.ok and r.m.seconds <= T_SAMPLE_S))  # fmt: skip
    runs = [s_cold, s_warm]
    body += ["## `analysis run` on the sample data (one month, 30 agents)", ""]
    body += run_table(runs) + [""]
    body += ["Reports of the warm sample run:", ""] + report_table(s_warm) + [""]

    large_runs: list[RunFigures] = []
    if not args.quick:
        print("analysis run on the large year …", file=sys.stderr, flush=True)
        wall = max(300.0, args.cell_timeout * 3.0)
        l_cold = analysis_run(
            "large, cold", large, cold=True, cell_timeout=args.cell_timeout, wall=wall
        )
        l_warm = analysis_run(
            "large, warm", large, cold=False, cell_timeout=args.cell_timeout, wall=wall
        )
        large_runs = [l_cold, l_warm]
        figures.append(
            (
                "`analysis run` large year, cold (s)",
                f"{l_cold.m.seconds:.1f}",
                f"≤ {T_LARGE_COLD_S:g}",
                l_cold.ok and l_cold.m.seconds <= T_LARGE_COLD_S,
            )
        )
        figures.append(
            (
                "`analysis run` large year, warm (s)",
                f"{l_warm.m.seconds:.1f}",
                f"≤ {T_LARGE_WARM_S:g}",
                l_warm.ok and l_warm.m.seconds <= T_LARGE_WARM_S,
            )
        )
        peak = max(r.m.peak_tree_bytes for r in large_runs)
        passed = [str(r["key"]) for r in l_warm.reports if r.get("ok")]
        if not l_warm.ok and passed and len(passed) < len(l_warm.reports):
            # what the other reports cost, so the time left for the failing one(s) is known
            l_rest = analysis_run(
                f"large, warm, only {' '.join(passed)}",
                large,
                cold=False,
                cell_timeout=args.cell_timeout,
                wall=wall,
                only=passed,
            )
            large_runs.append(l_rest)
            figures.append((f"`analysis run` large year, warm, only {', '.join(passed)} (s)",
                            f"{l_rest.m.seconds:.1f}", "(info)", None))  # fmt: skip
        figures.append(("peak memory, large year, process tree PSS (GB)", f"{peak / GB:.2f}",
                        f"≤ {T_PEAK_GB:g}", peak <= T_PEAK_GB * GB))  # fmt: skip
        body += [
            "## `analysis run` on the large year",
            "",
            f"`{large.relative_to(ROOT)}`: 2,000 agents × 12 months of scorecards, roster, "
            "500 plan lines × 12 months, 1,000,000 ledger lines (.csv) + 200,000 (.xlsx), "
            f"period 2026-12 (December: the year-end review is shown). Notebook cell timeout "
            f"{args.cell_timeout} s; a run that fails is a MISS whatever its time.",
            "",
        ]
        body += run_table(large_runs) + [""]
        for r in large_runs:
            body += [f"Reports of the {r.label} run ({r.note}):", ""] + report_table(r) + [""]
            if not r.ok:
                tail = "\n".join(r.m.output.strip().splitlines()[-6:])
                body += ["Its last lines:", "", "```", tail, "```", ""]
        body += ["### Pieces of the scorecard report at scale", ""]
        body += report_pieces(large) + [""]

    body += ["## Growth: load + reconcile at 10k / 100k / 1M ledger lines", ""]
    body += [
        "`analysis.io.load_all(folder, use_cache=False)` + `analysis.budget.reconcile` on folders "
        "holding the large year's plan and a CSV ledger of N lines spread over the year "
        "(best of 2 for ≤ 100k).",
        "",
    ]
    g_lines, g_ratio = growth(folders)
    body += g_lines + [""]
    figures.append(("time(1M) ÷ time(100k), load + reconcile",
                    "—" if g_ratio is None else f"{g_ratio:.1f}", f"≤ {T_GROWTH:g}",
                    None if g_ratio is None else g_ratio <= T_GROWTH))  # fmt: skip

    if not args.no_scripts and not args.quick:
        print("bench_*.py scripts …", file=sys.stderr, flush=True)
        s_lines, s_figs = scripts()
        figures += s_figs
        body += ["## Other benchmark scripts", ""] + s_lines

    total = time.perf_counter() - t_start
    head = [
        "# Benchmark results",
        "",
        f"- date: {started:%Y-%m-%d %H:%M %Z}",
        f"- machine: {_machine()}",
        f"- {load_note} (other work on the machine inflates the figures)" if load_note else "",
        "- command: `make bench` (benchmarks/run_all.py); "
        f"total {total / 60:.1f} min, data generation {t_gen:.1f} s (not counted)",
        "- cold = the parse-cache entries of that data folder removed first; warm = run again",
        "- peak memory: sampled every 0.2 s over the runner, its worker processes and their "
        "kernels; PSS counts pages shared after fork once (the target figure), the RSS sum "
        "counts them per process (an upper bound)",
        "",
        "## Figures",
        "",
        "| figure | value | target | result |",
        "|---|---:|---:|---|",
        *[
            f"| {label} | {value} | {target} | {_verdict(ok)} |"
            for label, value, target, ok in figures
        ],
        "",
    ]
    text = "\n".join(line for line in head if line is not None) + "\n" + "\n".join(body) + "\n"
    (HERE / "RESULTS.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
