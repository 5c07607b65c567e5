"""`make bench`: run every benchmark script and write benchmarks/RESULTS.md.

Benchmarks are measured here, never asserted in timed tests: a loaded CI machine would make such
tests flaky, and a figure in a results file is what a reviewer needs.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PY = sys.executable


def _machine() -> str:
    try:
        mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError):
        mem_gb = float("nan")
    cpu = platform.processor() or platform.machine()
    return f"{platform.platform()} · {os.cpu_count()} cores · {mem_gb:.0f} GiB · {cpu} · Python {platform.python_version()}"


def _timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, int, str]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=env)
    took = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if proc.returncode != 0:
        print(proc.stdout, proc.stderr, file=sys.stderr)
        raise SystemExit(f"benchmark command failed: {' '.join(cmd)}")
    return took, max(peak, before), proc.stdout + proc.stderr


def sample_run() -> list[str]:
    """`analysis run` on the bundled sample: cold (no parse cache) and warm."""
    lines = ["## `analysis run` on the sample data", "", "| run | seconds |", "|---|---|"]
    with tempfile.TemporaryDirectory() as tmp:
        interim = ROOT / "data" / "interim"
        if interim.exists():
            shutil.rmtree(interim)
        cold, _, log_cold = _timed([PY, "-m", "analysis", "run", "--out", tmp])
        warm, _, log_warm = _timed([PY, "-m", "analysis", "run", "--out", tmp])
    lines += [f"| cold (no cache) | {cold:.1f} |", f"| warm (cache) | {warm:.1f} |", ""]
    lines += ["Stages of the warm run:", "", "```", log_warm.strip(), "```", ""]
    return lines


def scripts() -> list[str]:
    out = []
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"running {script.name} …", file=sys.stderr, flush=True)
        took, _, log = _timed([PY, str(script)])
        out += [
            f"## {script.stem}",
            "",
            "```",
            log.strip(),
            "```",
            f"(script wall time {took:.1f} s)",
            "",
        ]
    return out


def main() -> int:
    lines = [
        "# Benchmark results",
        "",
        f"- date: {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}",
        f"- machine: {_machine()}",
        "- command: `make bench` (benchmarks/run_all.py)",
        "",
    ]
    lines += scripts()
    lines += sample_run()
    text = "\n".join(lines) + "\n"
    (HERE / "RESULTS.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
