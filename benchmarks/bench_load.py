"""Benchmark: load a 200,000-line ledger .xlsx three ways, side by side.

Why: the loader must stay close to the raw reader (≤ 1.5× fastexcel's own read of the cells) and
far from openpyxl (≥ 10× faster than ``pandas.read_excel(engine="openpyxl")``). Not a timed test:
run ``python benchmarks/bench_load.py [--rows N] [--skip-openpyxl]`` and read the table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"


def make_ledger(path: Path, rows: int, seed: int = 7) -> None:
    """A ledger like the department's: 日期 | 凭证号 | 部门 | 科目 | 摘要 | 金额 (write-only openpyxl)."""
    import openpyxl

    rnd = random.Random(seed)
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("明细账")
    ws.append(["日期", "凭证号", "部门", "科目", "摘要", "金额"])
    start = dt.date(2026, 1, 1)
    cats = ["工资", "社保", "耳麦", "电脑", "培训费", "机票", "酒店", "外包服务费", "团建费"]
    depts = ["售前处", "售后处", "客服部"]
    for i in range(rows):
        amount = round(rnd.uniform(-500, 8000), 2)
        ws.append(
            [
                start + dt.timedelta(days=i % 300),
                f"记-{i // 1000:03d}-{i % 1000:04d}",
                rnd.choice(depts),
                rnd.choice(cats),
                f"摘要 {i}",
                amount,
            ]
        )
    wb.save(path)


def timed(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--skip-openpyxl", action="store_true", help="skip the slow openpyxl baseline")
    args = ap.parse_args(argv)

    import fastexcel
    import pandas as pd

    from analysis.io import load_all

    DATA.mkdir(parents=True, exist_ok=True)
    ledger = DATA / f"ledger_{args.rows}.xlsx"
    if not ledger.exists():
        t0 = time.perf_counter()
        make_ledger(ledger, args.rows)
        print(f"generated {ledger.name} in {time.perf_counter() - t0:.1f} s")
    folder = Path(tempfile.mkdtemp(prefix="bench_load_"))
    (folder / "actuals").mkdir()
    shutil.copy(ledger, folder / "actuals" / ledger.name)

    def fast() -> int:
        return fastexcel.read_excel(str(ledger)).load_sheet(0).to_arrow().num_rows

    def ours() -> int:
        ds = load_all(folder, use_cache=False)
        return len(ds.actuals)

    t_fast, n_fast = timed(fast, args.repeat)
    t_ours, n_ours = timed(ours, args.repeat)
    rows = [("fastexcel (cells only)", t_fast, n_fast), ("analysis.io.load_all", t_ours, n_ours)]
    if not args.skip_openpyxl:
        t_pyxl, df = timed(lambda: pd.read_excel(ledger, engine="openpyxl"), 1)
        rows.append(('pandas.read_excel(engine="openpyxl")', t_pyxl, len(df)))
    shutil.rmtree(folder, ignore_errors=True)
    print(f"\n{'reader':40s} {'seconds':>9s} {'rows':>9s} {'× fastexcel':>12s}")
    for name, t, n in rows:
        print(f"{name:40s} {t:9.3f} {n:9d} {t / t_fast:12.2f}")
    ratio = t_ours / t_fast
    print(f"\nload_all / fastexcel = {ratio:.2f} (target ≤ 1.5)")
    ok = ratio <= 1.5
    if not args.skip_openpyxl:
        speedup = rows[2][1] / t_ours
        print(f"openpyxl / load_all = {speedup:.1f} (target ≥ 10)")
        ok = ok and speedup >= 10
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
