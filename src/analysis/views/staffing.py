"""座席与人员测算 as data: everything the staffing page shows, built and labelled in one call.

Why: the page compares three answers (the seed method from subscribers, Erlang C per interval from
the call volumes, the roster); building them here keeps the notebook to one call and a cell per
section and lets tests check each table with small frames. The numbers come from
:mod:`analysis.staffing`; the words from ``catalog/<lang>/staffing.toml``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import fmt, report
from analysis import staffing as st
from analysis.outputs import write_csv
from analysis.report import Col
from analysis.views.table import Table
from analysis.views.words import words

#: The per-interval plan for other tools (English codes as headers; one row per interval).
PLAN_CSV = "staffing_plan.csv"
#: Days shown in the daily summary (a month has at most 31; a few more leave room for queues).
DAILY_ROWS = 62
#: Parameters shown as percentages in the assumptions table.
RATES = frozenset({"service_level", "max_occupancy", "shrinkage"})


@dataclass(frozen=True)
class StaffingView:
    """The staffing page. Without call volumes (``plan`` is None) only the seed method shows.

    ``plan``, ``daily``, ``gap`` and ``comparison`` hold codes (chart inputs, the CSV);
    the ``*_table`` fields are the same figures labelled for the page.
    """

    lang: str
    period: str
    title: str
    t: Callable[..., str]
    seed: dict[str, Any]
    plan: pd.DataFrame | None
    daily: pd.DataFrame | None
    gap: pd.DataFrame | None
    comparison: pd.DataFrame | None
    tiles: list[dict[str, Any]]
    seed_reference: str
    methods_note: str
    daily_table: Table | None
    methods_table: Table
    gap_table: Table | None
    assumptions_table: Table
    rules: Mapping[str, Any]

    def what_if(self, agents: float | pd.Series) -> pd.DataFrame | None:
        """Each planned interval staffed with ``agents`` (one number or one per interval): the
        service level, waiting, ASA and occupancy they would give; None without volumes."""
        return None if self.plan is None else st.what_if_plan(self.plan, agents, self.rules)


def _whole_or_two(value: Any) -> str:
    """6 → "6", 2.4138 → "2.41": seats and people are whole, people per seat is not."""
    v = float(value)
    return fmt.num(v, decimals=0 if v.is_integer() else 2)


def _one(value: Any) -> str:
    return fmt.num(value, decimals=1)


def _signed(value: Any) -> str:
    return f"{int(value):+d}"


def _count(label: str) -> Col:
    return Col(label, fmt.num, numeric=True)


def _short(row: Mapping[str, Any]) -> str | None:
    return "over" if row["gap"] < 0 else None


def _tiles(seed: dict[str, Any], daily: Any, gap: Any, t: Callable[..., str]) -> list[dict]:
    seed_tile = {"label": t("tile_seed"), "value": fmt.num(seed["people"]),
                 "sub": f"{t('seats')} {seed['seats']}"}  # fmt: skip
    if daily is None:
        return [seed_tile]
    peak = daily.loc[daily["peak_agents_after_shrinkage"].idxmax()]
    total = gap.set_index("role").loc["total"]
    when = f"{peak['day']} {peak['peak_interval']}"
    return [
        {"label": t("tile_peak"), "value": fmt.num(daily["peak_agents"].max()),
         "sub": t("tile_peak_sub", n=int(peak["peak_agents_after_shrinkage"]), when=when)},
        {"label": t("tile_people"), "value": fmt.num(total["needed_people"])},
        seed_tile,
        {"label": t("tile_roster"), "value": fmt.num(total["roster_agents"])},
        {"label": t("tile_gap"), "value": _signed(total["gap"]),
         "tone": "over" if total["gap"] < 0 else "under"},
    ]  # fmt: skip


def _daily_table(daily: pd.DataFrame, t: Callable[..., str]) -> Table:
    cols: dict[str, Col | str] = {"day": t("day")}
    cols.update({c: _count(t(c)) for c in ("calls", "peak_agents", "peak_agents_after_shrinkage")})
    cols["peak_interval"] = t("peak_interval")
    cols.update({c: Col(t(c), _one, numeric=True) for c in ("agent_hours", "staff_hours")})
    return Table(daily, cols, max_rows=DAILY_ROWS)


def _methods_table(seed: dict, comparison: Any, t: Callable[..., str]) -> Table:
    if comparison is None:
        metrics = ["seats", "people_per_seat", "people"]
        comparison = pd.DataFrame({"metric": metrics, "seed": [seed[m] for m in metrics]})
    cols = {"metric": t("metric")}
    cols.update({c: Col(t(c), _whole_or_two, numeric=True) for c in ("seed", "erlang_c")})
    shown = [c for c in cols if c in comparison.columns]
    return Table(comparison.assign(metric=comparison["metric"].map(t)), {c: cols[c] for c in shown})


def _gap_table(gap: pd.DataFrame, t: Callable[..., str]) -> Table:
    cols: dict[str, Col | str] = {"role": t("role")}
    cols.update({c: _count(t(c)) for c in ("roster_total", "roster_agents")})
    cols.update({c: Col(t(c), _one, numeric=True) for c in ("staff_hours_per_day", "needed")})
    cols["needed_people"] = _count(t("needed_people"))
    cols["needed_peak_day"] = Col(t("needed_peak_day"), _one, numeric=True)
    cols["gap"] = Col(t("gap"), _signed, numeric=True)
    return Table(gap.assign(role=gap["role"].map(t)), cols, row_tone=_short)


def _assumptions_table(cfg: Mapping[str, Any], t: Callable[..., str]) -> Table:
    rows = [
        {"parameter": t(f"cfg_{k}"), "value": fmt.pct(v, decimals=0) if k in RATES else str(v)}
        for k, v in st.section(cfg).items()
    ]
    return Table(pd.DataFrame(rows), {"parameter": t("parameter"), "value": t("value")})


def build(
    ds: Any, cfg: Mapping[str, Any] | None = None, period: str = "", lang: str = "zh"
) -> StaffingView:
    """Everything 座席与人员测算 shows for a loaded dataset; no ``cfg`` means the defaults."""
    from analysis.config import load_defaults

    fmt.use_lang(lang)
    cfg = load_defaults() if cfg is None else cfg
    t = words(lang, "staffing")
    seed = st.seed_method(cfg)
    period = period or getattr(ds, "latest_period", "") or ""
    volumes, month = st.select_period(ds.staffing, period)
    plan = daily = gap = comparison = None
    if not volumes.empty:
        plan = st.interval_plan(volumes, cfg)
        daily = st.daily_summary(plan, st.erlang_params(cfg)["interval_min"])
        gap = st.roster_gap(plan, ds.roster, cfg)
        comparison = st.method_comparison(seed, plan, cfg)
    title = f"{t('title')} · {month}" if month else t("title")
    return StaffingView(
        lang, month, title, t, seed, plan, daily, gap, comparison,
        tiles=_tiles(seed, daily, gap, t),
        seed_reference=f"{t('seed')}: {seed['seats']} {t('seats')}",
        methods_note=t("methods_note", per_seat=fmt.num(seed["subscribers_per_seat"]),
                       rule=seed["seat_rounding"], pps=fmt.num(seed["people_per_seat"], decimals=2)),
        daily_table=None if daily is None else _daily_table(daily, t),
        methods_table=_methods_table(seed, comparison, t),
        gap_table=None if gap is None else _gap_table(gap, t),
        assumptions_table=_assumptions_table(cfg, t),
        rules=st.section(cfg),
    )  # fmt: skip


def write_exports(view: StaffingView, out_dir: str | Path) -> None:
    """Write staffing_plan.csv (when there are volumes) and the headline tiles for the landing
    page; nothing without ``out_dir``. Returns None, so a notebook cell echoes no path."""
    if not out_dir:
        return
    report.save_headlines(out_dir, "staffing", view.tiles)
    if view.plan is not None:
        write_csv(view.plan, Path(out_dir) / PLAN_CSV)
