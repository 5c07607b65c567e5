"""Benchmark: 2,000 agents × 12 months scored, ranked, paid, streaked and explained (target < 1 s).

Run: ``.venv/bin/python benchmarks/bench_scorecard.py`` (``make bench``). Prints the figure; not a
timed test, because CI machines vary.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from analysis import config, scorecard
from analysis.schema import PRESALES_ITEMS

AGENTS = 2_000
MONTHS = 12
TARGET_S = 1.0


def make_inputs(agents: int = AGENTS, months: int = MONTHS, seed: int = 7):
    """Synthetic scorecards: half pre-sales, half after-sales, teams of 10, sparse item counts."""
    rng = np.random.default_rng(seed)
    periods = [f"2026-{m:02d}" for m in range(1, months + 1)]
    n_pre = agents // 2
    n_aft = agents - n_pre
    pre_ids = [f"KF1{i:05d}" for i in range(n_pre)]
    aft_ids = [f"KF2{i:05d}" for i in range(n_aft)]
    roster = pd.DataFrame(
        {
            "agent_id": pre_ids + aft_ids,
            "name": [f"客服{i}" for i in range(agents)],
            "team": [f"售前{i // 10}组" for i in range(n_pre)]
            + [f"售后{i // 10}组" for i in range(n_aft)],
            "role": ["presales"] * n_pre + ["aftersales"] * n_aft,
            "leader": "组长",
            "is_leader": False,
        }
    )
    rows = n_pre * months
    pre = pd.DataFrame(
        {
            "period": np.repeat(periods, n_pre),
            "agent_id": np.tile(pre_ids, months),
            "name": np.tile(roster["name"][:n_pre].to_numpy(), months),
            **{c: rng.poisson(0.15, rows) for c in PRESALES_ITEMS},
            "exam": rng.integers(50, 101, rows).astype(float),
        }
    )
    rows = n_aft * months
    cb = rng.multinomial(20, [0.5, 0.3, 0.15, 0.05], rows)
    aft = pd.DataFrame(
        {
            "period": np.repeat(periods, n_aft),
            "agent_id": np.tile(aft_ids, months),
            "name": np.tile(roster["name"][n_pre:].to_numpy(), months),
            "tickets": rng.integers(60, 160, rows),
            "cb_A": cb[:, 0], "cb_B": cb[:, 1], "cb_C": cb[:, 2], "cb_D": cb[:, 3],
            "attitude": rng.choice(list("ABCDE"), rows, p=[0.4, 0.3, 0.2, 0.07, 0.03]),
            "teamwork": rng.choice(list("ABCDE"), rows, p=[0.4, 0.3, 0.2, 0.07, 0.03]),
            "late_reports": rng.poisson(0.5, rows),
            "violations": rng.poisson(0.3, rows),
            "suggestions": rng.poisson(1.0, rows),
            "complaints": rng.poisson(0.3, rows),
        }
    )  # fmt: skip
    return pre, aft, roster


def main() -> float:
    pre, aft, roster = make_inputs()
    cfg = config.load_config(
        overrides={
            "scorecard": {
                "changes": [{"from": "2026-07", "presales": {"business_points": {"A7": 5}}}]
            }
        }
    )
    scorecard.build_scorecards(pre.head(50), aft.head(50), roster, cfg)  # warm-up (imports, caches)
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        table = scorecard.build_scorecards(pre, aft, roster, cfg)
        best = min(best, time.perf_counter() - start)
    assert len(table) == AGENTS * MONTHS
    status = "OK" if best < TARGET_S else "SLOW"
    print(
        f"scorecards: {AGENTS:,} agents × {MONTHS} months = {len(table):,} rows scored, ranked and "
        f"explained in {best:.3f} s (best of 3; target < {TARGET_S:.0f} s) {status}"
    )
    return best


if __name__ == "__main__":
    main()
