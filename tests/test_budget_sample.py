"""Budget reconciliation on the bundled sample (data/sample): the README's stated figures."""

from __future__ import annotations

import numpy as np
import pytest

from analysis import budget as b
from analysis.config import load_config
from analysis.paths import SAMPLE_DATA_DIR

io = pytest.importorskip("analysis.io")

# data/sample/README.md: YTD to 2026-10 per department × category (original plan), actual,
# status (code) on the original plan and on the revised plan.
EXPECTED = [
    ("售前处", "人员成本", 1980000.00, 1998250.80, "on_track", "on_track"),
    ("售后处", "人员成本", 1075000.00, 1067303.84, "on_track", "on_track"),
    ("售前处", "设备成本", 104000.00, 130593.00, "over", "over"),
    ("售后处", "设备成本", 38000.00, 26334.00, "under", "under"),
    ("售前处", "培训成本", 20400.00, 20320.00, "on_track", "on_track"),
    ("售后处", "培训成本", 22000.00, 28800.00, "over", "over"),
    ("售前处", "差旅费用", 15000.00, 0.00, "under", "under"),
    ("售后处", "差旅费用", 64000.00, 61837.00, "on_track", "on_track"),
    ("售前处", "业务外包", 84000.00, 50200.00, "under", "under"),
    ("售后处", "业务外包", 199000.00, 259200.00, "over", "over"),
    ("客服部", "客户满意度调研", 50000.00, 48000.00, "on_track", "on_track"),
    ("客服部", "神秘访客暗访", 20000.00, 0.00, "under", "under"),
    ("客服部", "回访短信费", 5000.00, 5598.00, "on_track", "on_track"),
]
MONTH_TOTALS = {
    "2026-01": 358447.30, "2026-02": 355425.21, "2026-03": 384511.10, "2026-04": 359152.20,
    "2026-05": 389687.69, "2026-06": 372265.20, "2026-07": 384657.52, "2026-08": 353207.92,
    "2026-09": 379026.81, "2026-10": 382655.69,
}  # fmt: skip


@pytest.fixture(scope="module")
def sample():
    ds = io.load_all(SAMPLE_DATA_DIR, use_cache=False)
    return ds, load_config(SAMPLE_DATA_DIR)


def test_sample_matches_readme(sample) -> None:
    ds, cfg = sample
    assert ds.latest_period == "2026-10"
    original = ds.plan.assign(revised_plan=np.nan)
    for plan, status_col in ((original, 4), (ds.plan, 5)):
        t = b.reconcile(plan, ds.actuals, "2026-10", cfg)
        cats = b.totals(t, ["department", "category"], cfg).set_index(["department", "category"])
        for row in EXPECTED:
            got = cats.loc[(row[0], row[1])]
            assert got["actual_ytd"] == row[3], row
            assert got["status"] == row[status_col], row
            if plan is original:
                assert got["plan_ytd"] == row[2], row
    t = b.reconcile(ds.plan, ds.actuals, "2026-10", cfg)
    unb = b.unbudgeted(t)
    assert sorted(zip(unb["department"], unb["item"], unb["actual_ytd"], strict=True)) == [
        ("售前处", "团建费", 5800.0),
        ("售后处", "团建费", 1800.0),
        ("客服部", "咨询费", 15000.0),
    ]
    assert set(b.unspent(t)["category"]) >= {"差旅费用", "神秘访客暗访"}


def test_sample_ties_out_every_month(sample) -> None:
    ds, cfg = sample
    running = 0.0
    for period, total in MONTH_TOTALS.items():
        t = b.reconcile(ds.plan, ds.actuals, period, cfg)
        running = round(running + total, 2)
        assert round(t["actual"].sum(), 2) == total
        assert round(t["actual_ytd"].sum(), 2) == running
    revisions = b.plan_revisions(ds.plan, "2026-10", cfg)
    assert sorted(revisions["item"]) == ["外包维修服务", "工单系统", "电脑及耳麦"]
