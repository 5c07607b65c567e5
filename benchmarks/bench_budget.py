"""Benchmark: reconcile 1,000,000 ledger lines against a 12-month plan of 500 lines.

Target: under 2 s of compute (data generation excluded). Run: ``.venv/bin/python
benchmarks/bench_budget.py`` (or ``make bench``). Prints the figure; not a timed test.
"""

from __future__ import annotations

import sys
import time

import numpy as np
import pandas as pd

from analysis import budget
from analysis.config import load_config

N_LINES = 1_000_000
N_PLAN_LINES = 500
YEAR = "2026"
PERIOD = "2026-10"


def make_data(seed: int = 7) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A plan of 500 lines × 12 months and a ledger of 1M lines (5 % unmapped labels)."""
    rng = np.random.default_rng(seed)
    depts = [f"部门{d:02d}" for d in range(10)]
    cats = [f"科目{c:02d}" for c in range(10)]
    items = [f"明细{i}" for i in range(5)]
    keys = pd.DataFrame(
        [(d, c, i) for d in depts for c in cats for i in items],
        columns=["department", "category", "item"],
    ).head(N_PLAN_LINES)
    months = [f"{YEAR}-{m:02d}" for m in range(1, 13)]
    plan = keys.loc[keys.index.repeat(12)].reset_index(drop=True)
    plan = plan.assign(
        period=np.tile(months, len(keys)),
        plan=np.round(rng.uniform(1_000, 50_000, len(plan)), 2),
        revised_plan=np.where(rng.random(len(plan)) < 0.1, 60_000.0, np.nan),
        kind="cost",
        source_file="budget/plan.xlsx",
        source_sheet="年度预算",
        source_row=np.arange(len(plan)) + 5,
    )
    pick = rng.integers(0, len(keys), N_LINES)
    unmapped = rng.random(N_LINES) < 0.05
    labels = keys["item"].to_numpy()[pick].astype(object)
    labels[unmapped] = np.array([f"其他{j}" for j in range(20)], dtype=object)[
        rng.integers(0, 20, unmapped.sum())
    ]
    days = rng.integers(0, 304, N_LINES)  # 2026-01-01 … 2026-10-31
    dates = pd.Timestamp(f"{YEAR}-01-01") + pd.to_timedelta(days, unit="D")
    actuals = pd.DataFrame(
        {
            "date": dates,
            "period": dates.strftime("%Y-%m"),
            "department": keys["department"].to_numpy()[pick],
            "category": np.where(unmapped, labels, keys["category"].to_numpy()[pick]),
            "item": np.where(unmapped, "", labels),
            "amount": np.round(rng.normal(450, 300, N_LINES), 2),
            "description": "",
            "voucher": "",
            "source_file": "actuals/ledger.xlsx",
            "source_sheet": "明细账",
            "source_row": np.arange(N_LINES) + 2,
        }
    )
    return plan, actuals


def main() -> int:
    cfg = load_config()
    plan, actuals = make_data()
    budget.reconcile(plan.head(24), actuals.head(1000), PERIOD, cfg)  # warm-up (imports, caches)
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        table = budget.reconcile(plan, actuals, PERIOD, cfg)
        best = min(best, time.perf_counter() - t0)
    verdict = "within" if best < 2.0 else "OVER"
    print(
        f"budget.reconcile: {N_LINES:,} ledger lines × {N_PLAN_LINES} plan lines × 12 months "
        f"→ {len(table):,} rows in {best:.2f} s (best of 3; {verdict} the 2 s target)"
    )
    t0 = time.perf_counter()
    lines = budget.ledger_lines(actuals, plan, PERIOD, cfg, department="部门03", category="科目04")
    t_lines = time.perf_counter() - t0
    t0 = time.perf_counter()
    budget.monthly_variance(
        plan, actuals, PERIOD, cfg, {"department": "部门03", "category": "科目04"}
    )
    t_months = time.perf_counter() - t0
    print(f"budget.ledger_lines (drill-down to {len(lines):,} source rows): {t_lines:.2f} s")
    print(f"budget.monthly_variance (one line, 12 months): {t_months:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
