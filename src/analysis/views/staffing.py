"""座席与人员测算 as data: everything the staffing page shows, built and labelled in one call.

Why: the page compares three answers (the seed method from subscribers, Erlang C per interval from
the call volumes, the roster); building them here keeps the notebook to one call and a cell per
section and lets tests check each table with small frames. The numbers come from
:mod:`analysis.staffing`; the words from ``catalog/<lang>/staffing.toml``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import fmt, report
from analysis import staffing as st
from analysis.outputs import write_csv
from analysis.report import Col
from analysis.service import staffing_feed as feed
from analysis.views.table import Table
from analysis.views.verdict import Line
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
    recommended: pd.DataFrame | None = None  # per role: method, people, roster_agents, gap
    verdict: list[Line] = field(default_factory=list)
    #: Where the per-interval volumes came from: "calls" (the call logs), "typed" (the 来电量
    #: table under staffing/) or "none"; ``source_note`` says it on the page.
    volume_source: str = "none"
    source_note: str = ""
    #: Per interval of the month (call logs only): required agents by Erlang C and Erlang A next
    #: to agents logged in (:func:`analysis.service.staffing_feed.required_vs_logged_in`).
    logged_in: pd.DataFrame | None = None
    logged_in_table: Table | None = None

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


#: The methods a recommendation can name (``[staffing].recommended_method``).
METHODS = ("erlang_c", "subscribers")


def method_words(method: str, seed: Mapping[str, Any], t: Callable[..., str]) -> str:
    """A method in plain words: "按话务量测算（Erlang C）", "按用户数测算（每 2 万用户一个座席）"."""
    if method == "subscribers":
        return t("method_subscribers", per_seat=_people_count(seed["subscribers_per_seat"]))
    return t("method_erlang_c")


def _people_count(n: Any) -> str:
    """20000 → "2 万" in Chinese (as the seed document says it), "20,000" otherwise."""
    v = float(n)
    if fmt._lang == "zh" and v >= 10000 and v % 10000 == 0:
        return f"{int(v) // 10000} 万"
    return fmt.num(v)


def recommend(
    seed: Mapping[str, Any], gap: pd.DataFrame | None, cfg: Mapping[str, Any]
) -> pd.DataFrame:
    """One recommended figure per role: ``role, method, people, roster_agents, gap, other_method,
    other_people``. With call volumes the method is ``[staffing].recommended_method`` (Erlang C
    by default) for the total and Erlang C for a single role (the subscriber rule sizes the whole
    centre only); without volumes the subscriber rule is the only answer (roster unknown here).
    """
    chosen = str(st.section(cfg).get("recommended_method", "erlang_c"))
    if chosen not in METHODS:
        raise ValueError(
            f"[staffing].recommended_method must be one of {', '.join(METHODS)}, got {chosen!r}"
        )
    cols = ["role", "method", "people", "roster_agents", "gap", "other_method", "other_people"]
    if gap is None or gap.empty:
        row = ("total", "subscribers", int(seed["people"]), pd.NA, pd.NA, "", pd.NA)
        return pd.DataFrame([row], columns=cols)
    rows = []
    for rec in gap.to_dict("records"):
        erlang, have = int(rec["needed_people"]), int(rec["roster_agents"])
        if rec["role"] == "total" and chosen == "subscribers":
            people, other, other_people = int(seed["people"]), "erlang_c", erlang
        elif rec["role"] == "total":
            people, other, other_people = erlang, "subscribers", int(seed["people"])
        else:
            people, other, other_people = erlang, "", pd.NA
        method = "subscribers" if other == "erlang_c" else "erlang_c"
        rows.append((rec["role"], method, people, have, have - people, other, other_people))
    return pd.DataFrame(rows, columns=cols)


def verdict(rec: pd.DataFrame, seed: Mapping[str, Any], t: Callable[..., str]) -> list[Line]:
    """The staffing page's first screen: per role the recommended people with the method in
    words and the gap to the roster; the other method as a note."""
    out: list[Line] = []
    for r in rec.to_dict("records"):
        method = method_words(r["method"], seed, t)
        if pd.isna(r["gap"]):
            out.append(Line(t("v_recommended_only", n=fmt.num(r["people"]),
                              seats=fmt.num(seed["seats"]), method=method)))  # fmt: skip
            continue
        g = int(r["gap"])
        word = t("v_short", n=-g) if g < 0 else t("v_spare", n=g) if g > 0 else t("v_even")
        role = t("centre") if r["role"] == "total" else t(str(r["role"]))
        out.append(Line(t("v_recommended", role=role, n=fmt.num(r["people"]),
                          method=method, have=fmt.num(r["roster_agents"]), gap_word=word),
                        "over" if g < 0 else "under"))  # fmt: skip
        if r["other_method"]:
            out.append(Line(t("v_other", method=method_words(r["other_method"], seed, t),
                              n=fmt.num(r["other_people"]))))  # fmt: skip
    return out


def _tiles(
    seed: dict[str, Any], daily: Any, rec: pd.DataFrame, t: Callable[..., str]
) -> list[dict]:
    total = rec.set_index("role").loc["total"]
    tiles = [{"label": t("tile_recommended"), "value": fmt.num(total["people"]),
              "sub": method_words(total["method"], seed, t)}]  # fmt: skip
    if daily is None:
        return [*tiles, {"label": t("seats"), "value": fmt.num(seed["seats"])}]
    peak = daily.loc[daily["peak_agents_after_shrinkage"].idxmax()]
    when = f"{peak['day']} {peak['peak_interval']}"
    return [
        *tiles,
        {"label": t("tile_gap"), "value": _signed(total["gap"]),
         "sub": t("tile_roster_sub", n=fmt.num(total["roster_agents"])),
         "tone": "over" if total["gap"] < 0 else "under"},
        {"label": t("tile_peak"), "value": fmt.num(daily["peak_agents"].max()),
         "sub": t("tile_peak_sub", n=int(peak["peak_agents_after_shrinkage"]), when=when)},
        {"label": t("tile_other"), "value": fmt.num(total["other_people"]),
         "sub": method_words(total["other_method"], seed, t)},
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
    def shown(key: str, value: Any) -> str:
        if key in RATES:
            return fmt.pct(value, decimals=0)
        if key == "recommended_method" and value in METHODS:
            return t(
                f"method_{value}", per_seat=_people_count(st.section(cfg)["subscribers_per_seat"])
            )
        if key == "seat_rounding":
            return t(f"rounding_{value}")
        return str(value)

    rows = [{"parameter": t(f"cfg_{k}"), "value": shown(k, v)} for k, v in st.section(cfg).items()]
    return Table(pd.DataFrame(rows), {"parameter": t("parameter"), "value": t("value")})


def call_intervals(ds: Any, cfg: Mapping[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """The call logs' ``intervals()`` frame and :func:`~analysis.service.staffing_feed.interval_facts`
    through the engine (``[service] engine``), or None when the dataset has no call logs."""
    parts = tuple(getattr(ds, "calls", ()) or ())
    if not parts:
        return None
    from analysis.io import engine
    from analysis.service import kpis

    table = engine.calls_table(engine.connect(cfg), parts)
    return kpis.intervals(table, cfg), feed.interval_facts(table, cfg)


def _volumes(
    ds: Any, logs: tuple[pd.DataFrame, pd.DataFrame | None] | None
) -> tuple[pd.DataFrame, str]:
    """Per-interval volumes and their source: the call logs when there are any, else the typed
    来电量 table, else none (the page then shows the subscriber rule only)."""
    if logs is not None and len(logs[0]):
        return feed.volumes_from_intervals(feed.with_short_abandons(*logs)), "calls"
    return ds.staffing, "typed" if len(ds.staffing) else "none"


def _logged_in(
    logs: tuple[pd.DataFrame, pd.DataFrame | None] | None, month: str, cfg: Mapping[str, Any]
) -> pd.DataFrame | None:
    """Required vs logged-in agents for the intervals of ``month`` (all of them when "")."""
    if logs is None or not len(logs[0]):
        return None
    intervals, facts = logs
    days = pd.to_datetime(intervals["date"]).dt.strftime("%Y-%m")
    chosen = intervals.loc[days == month] if month else intervals
    if facts is not None and month:
        facts = facts.loc[pd.to_datetime(facts["date"]).dt.strftime("%Y-%m") == month]
    return feed.required_vs_logged_in(chosen, cfg, facts=facts) if len(chosen) else None


def _logged_in_table(frame: pd.DataFrame, t: Callable[..., str]) -> Table:
    shown = frame.assign(
        date=frame["date"].dt.strftime("%Y-%m-%d"),
        logged_in_source=frame["logged_in_source"].map(lambda s: t(f"logged_in_{s}")),
    )
    cols: dict[str, Col | str] = {"date": t("day"), "interval_start": t("interval")}
    if shown["queue"].nunique() > 1:
        cols["queue"] = t("queue")
    cols["calls"] = _count(t("calls"))
    cols.update({c: _count(t(c)) for c in ("required_agents_c", "required_agents_a")})
    cols["agents_logged_in"] = _count(t("agents_logged_in"))
    cols["logged_in_source"] = t("logged_in_source")
    cols["gap"] = Col(t("gap"), lambda v: "—" if pd.isna(v) else _signed(v), numeric=True)
    return Table(shown, cols, row_tone=lambda r: "over" if r["gap"] < 0 else None,
                 max_rows=DAILY_ROWS)  # fmt: skip


def build(
    ds: Any,
    cfg: Mapping[str, Any] | None = None,
    period: str = "",
    lang: str = "zh",
    *,
    intervals: pd.DataFrame | None = None,
    facts: pd.DataFrame | None = None,
) -> StaffingView:
    """Everything 座席与人员测算 shows for a loaded dataset; no ``cfg`` means the defaults.

    Per-interval volumes come from the call logs when there are any: ``intervals`` (the
    ``service.kpis.intervals`` frame, with ``facts`` from the same logs for Erlang A and agents
    answering) when given, else computed from ``ds.calls`` through the engine; else from the typed
    来电量 table. The page says which (``source_note``).
    """
    from analysis.config import load_defaults

    fmt.use_lang(lang)
    cfg = load_defaults() if cfg is None else cfg
    t = words(lang, "staffing")
    seed = st.seed_method(cfg)
    period = period or getattr(ds, "latest_period", "") or ""
    logs = (intervals, facts) if intervals is not None else call_intervals(ds, cfg)
    source_volumes, source = _volumes(ds, logs)
    volumes, month = st.select_period(source_volumes, period)
    logged_in = _logged_in(logs, month, cfg) if source == "calls" else None
    plan = daily = gap = comparison = None
    if not volumes.empty:
        plan = st.interval_plan(volumes, cfg)
        daily = st.daily_summary(plan, st.erlang_params(cfg)["interval_min"])
        gap = st.roster_gap(plan, ds.roster, cfg)
        comparison = st.method_comparison(seed, plan, cfg)
    title = f"{t('title')} · {month}" if month else t("title")
    rec = recommend(seed, gap, cfg)
    return StaffingView(
        lang, month, title, t, seed, plan, daily, gap, comparison,
        tiles=_tiles(seed, daily, rec, t),
        seed_reference=f"{t('seed')}: {seed['seats']} {t('seats')}",
        methods_note=t("methods_note", per_seat=fmt.num(seed["subscribers_per_seat"]),
                       rule=t(f"rounding_{seed['seat_rounding']}"),
                       pps=fmt.num(seed["people_per_seat"], decimals=2)),
        daily_table=None if daily is None else _daily_table(daily, t),
        methods_table=_methods_table(seed, comparison, t),
        gap_table=None if gap is None else _gap_table(gap, t),
        assumptions_table=_assumptions_table(cfg, t),
        rules=st.section(cfg),
        recommended=rec,
        verdict=verdict(rec, seed, t),
        volume_source=source,
        source_note=t(f"source_{source}"),
        logged_in=logged_in,
        logged_in_table=None if logged_in is None else _logged_in_table(logged_in, t),
    )  # fmt: skip


def write_exports(view: StaffingView, out_dir: str | Path) -> None:
    """Write staffing_plan.csv (when there are volumes) and the headline tiles for the landing
    page; nothing without ``out_dir``. Returns None, so a notebook cell echoes no path."""
    if not out_dir:
        return
    report.save_headlines(out_dir, "staffing", view.tiles)
    if view.plan is not None:
        write_csv(view.plan, Path(out_dir) / PLAN_CSV)
