"""Feeds from the call logs into staffing and the after-sales scorecard (服务质量 → 排班、考核).

Why: staffing was sized from a hand-typed 来电量 table and the after-sales 处理单量 was typed into
the scorecard, while the call logs hold both. This module turns the logs into those inputs and
compares the agents the queueing models require with the agents who were there:

- :func:`volumes_from_intervals`: the per-interval calls and AHT in the shape
  :func:`analysis.staffing.interval_plan` consumes (``schema.STAFFING_COLUMNS``);
- :func:`interval_facts`: what the ``intervals()`` frame does not carry but Erlang A needs, from
  the call log itself (abandons and seconds waited, for the patience rate; agents answering);
- :func:`required_vs_logged_in`: required agents by Erlang C (:mod:`analysis.staffing`) and by
  Erlang A (:mod:`analysis.service.erlang_a`, patience from the logs) next to agents logged in;
- :func:`aftersales_tickets_from_calls`: 处理单量 = answered calls per agent and month.

Pure functions: frames (or an Ibis table of the call log) in, frames of numbers and codes out.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from analysis import staffing as st
from analysis.errors import FrameError
from analysis.service import erlang_a as ea
from analysis.service import kpis as kp

#: ``logged_in_source``: login data given, distinct agents answering calls in the interval (a
#: lower bound: an idle agent answers nothing), or unknown.
LOGGED_IN_SOURCES = ("login", "answering", "none")
#: ``tickets_source`` per after-sales row: the logs, the typed scorecard (no logs that month), or
#: the typed scorecard because the agent answered no call in a month the logs cover.
TICKETS_SOURCES = ("calls", "scorecard", "scorecard_no_calls")
#: Columns :func:`required_vs_logged_in` adds to the intervals frame.
FEED_COLUMNS = [
    "calls",
    "traffic",
    "required_agents_c",
    "patience_rate",
    "patience_level",
    "required_agents_a",
    "abandon_rate_a",
    "required_agents",
    "required_method",
    "agents_logged_in",
    "logged_in_source",
    "gap",
]
_KEYS = ["date", "interval_start", "queue"]
#: A call without a queue, as a key: the code of ``service.kpis``, so the facts below join its
#: ``intervals()`` rows.
NO_QUEUE = kp.NO_QUEUE


def _keyed(frame: pd.DataFrame) -> pd.DataFrame:
    """date as a midnight timestamp, interval_start as text, queue as text (:data:`NO_QUEUE`
    when none)."""
    queue = frame["queue"] if "queue" in frame.columns else pd.Series(NO_QUEUE, index=frame.index)
    return frame.assign(
        date=pd.to_datetime(frame["date"]).dt.normalize(),
        interval_start=frame["interval_start"].astype(str),
        queue=queue.fillna(NO_QUEUE).astype(str),
    )


def _num(frame: pd.DataFrame, col: str) -> pd.Series:
    if col not in frame.columns:
        return pd.Series(np.nan, index=frame.index)
    return pd.to_numeric(frame[col], errors="coerce")


def pool_queues(intervals: pd.DataFrame) -> pd.DataFrame:
    """The intervals frame with its queues added together (queue "all"): counts summed, ASA and
    AHT weighted by answered calls (the calls they are means of)."""
    f = _keyed(intervals)
    ans = _num(f, "answered").fillna(0.0)
    f = f.assign(
        answered=ans,
        _wait=_num(f, "asa_s").fillna(0.0) * ans,
        _handle=_num(f, "aht_s").fillna(0.0) * ans,
        _handled=ans.where(_num(f, "aht_s").notna(), 0.0),
        _waited=ans.where(_num(f, "asa_s").notna(), 0.0),
    )
    counts = [c for c in ("offered", "answered", "abandoned", "short_abandoned") if c in f.columns]
    g = f.groupby(["date", "interval_start"], as_index=False)[
        [*counts, "_wait", "_handle", "_handled", "_waited"]
    ].sum()
    return g.assign(
        queue="all",
        asa_s=(g["_wait"] / g["_waited"]).where(g["_waited"] > 0),
        aht_s=(g["_handle"] / g["_handled"]).where(g["_handled"] > 0),
    ).drop(columns=["_wait", "_handle", "_handled", "_waited"])


def _calls(frame: pd.DataFrame) -> pd.Series:
    """Offered calls that count for staffing: offered less short abandons where the frame has
    them (a caller who hangs up within seconds needs no agent)."""
    short = _num(frame, "short_abandoned").fillna(0.0)
    return (_num(frame, "offered").fillna(0.0) - short).clip(lower=0.0)


def with_short_abandons(intervals: pd.DataFrame, facts: pd.DataFrame | None) -> pd.DataFrame:
    """``intervals`` with ``short_abandoned`` from ``facts`` (0 where the facts have no row),
    unless it has the column already or there are no facts."""
    if facts is None or "short_abandoned" in intervals.columns:
        return intervals
    base = _keyed(intervals)
    short = base[_KEYS].merge(_keyed(facts)[[*_KEYS, "short_abandoned"]], on=_KEYS, how="left")
    return intervals.assign(short_abandoned=short["short_abandoned"].fillna(0).to_numpy())


def volumes_from_intervals(intervals: pd.DataFrame) -> pd.DataFrame:
    """Per date × interval, all queues together: ``day`` ("YYYY-MM-DD"), ``interval`` ("HH:MM"),
    ``calls`` (offered less short abandons when counted) and ``aht_s`` (of the answered calls;
    NaN where none was answered, so the plan uses the configured AHT), with the provenance
    columns of ``schema.STAFFING_COLUMNS`` naming the call logs."""
    pooled = pool_queues(intervals).sort_values(["date", "interval_start"], kind="stable")
    return pd.DataFrame(
        {
            "day": pooled["date"].dt.strftime("%Y-%m-%d"),
            "interval": pooled["interval_start"],
            "calls": _calls(pooled).astype(float),
            "aht_s": pooled["aht_s"].astype(float),
            "source_file": "calls",
            "source_sheet": "",
            "source_row": 0,
        }
    ).reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# What the logs add: abandons, seconds waited, agents answering


def interval_facts(calls: Any, rules: Mapping[str, Any]) -> pd.DataFrame:
    """Per date × interval × queue of inbound calls (``schema.CALL_COLUMNS``; an Ibis table, or a
    pandas frame run through DuckDB): ``short_abandoned``, ``abandoned`` (the others), ``wait_s``
    (seconds waited by answered and non-short abandoned calls: the patience exposure),
    ``agents_answering`` (distinct agents who answered).

    ``rules`` is the merged config or its ``[service]`` section (``interval_min``;
    ``short_abandon_s``: abandoned after less than this many seconds is short, as in
    ``service.kpis``). A call without a wait time counts in neither the abandons nor the
    exposure of the patience estimate.
    """
    import ibis

    r = kp.service_rules(rules)
    t = calls if isinstance(calls, ibis.Table) else ibis.memtable(calls)
    e = kp.with_slot(kp.inbound(t), r["interval_min"])
    e = e.mutate(queue=e.queue.fill_null(NO_QUEUE))
    known = e.wait_s.notnull()
    short = kp.short_abandon(e, r)
    counted = known & (e.answered | ~short)
    out = (
        e.group_by(["date", "slot", "queue"])
        .aggregate(
            short_abandoned=e.count(where=short),
            abandoned=e.count(where=~e.answered & known & ~short),
            wait_s=e.wait_s.sum(where=counted),
            agents_answering=e.agent_id.nunique(where=e.answered),
        )
        .to_pandas()
    )
    out = out.assign(interval_start=kp.slot_text(out["slot"]))
    return (
        _keyed(out)
        .assign(
            wait_s=out["wait_s"].fillna(0.0).astype(float),
            short_abandoned=out["short_abandoned"].fillna(0).astype("int64"),
            abandoned=out["abandoned"].fillna(0).astype("int64"),
            agents_answering=out["agents_answering"].fillna(0).astype("int64"),
        )[[*_KEYS, "short_abandoned", "abandoned", "wait_s", "agents_answering"]]
        .sort_values(_KEYS, kind="stable", ignore_index=True)
    )


# ---------------------------------------------------------------------------------------------
# Required agents against agents logged in


def _erlang_a_row(
    calls: float, aht: float, theta: float, p: Mapping[str, float], a: Mapping[str, Any]
) -> tuple[float, float]:
    """Erlang A agents and abandon rate for one interval; NaN when the patience is unknown."""
    if not math.isfinite(theta):
        return math.nan, math.nan
    r = ea.required_agents_a(
        calls, p["interval_min"], aht, theta, p["answer_s"], p["service_level"],
        max_abandon=a["max_abandon"], max_occupancy=p["max_occupancy"], variant=a["variant"],
    )  # fmt: skip
    return float(r.agents), r.abandon_probability


def required_vs_logged_in(
    intervals: pd.DataFrame,
    cfg: Mapping[str, Any],
    logged_in: pd.DataFrame | None = None,
    *,
    facts: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The intervals frame with :data:`FEED_COLUMNS` added, one row per row of ``intervals``.

    - ``calls`` = offered less short abandons (from ``intervals`` or ``facts``); AHT per row,
      the configured ``[staffing] aht_s`` where no call was answered;
    - ``required_agents_c``: Erlang C via :func:`analysis.staffing.interval_plan` with the
      ``[staffing]`` targets (answer_s, service_level, max_occupancy), the staffing page's own;
    - ``required_agents_a``: Erlang A with the same targets, the ``[service]
      service_level_variant`` and the ``[service.erlang_a] max_abandon`` cap, patience from
      ``facts`` pooled by :func:`analysis.service.erlang_a.pooled_patience`; NaN without
      ``facts`` or when nobody waited (``patience_level`` "none");
    - ``required_agents``: Erlang A where it could be computed, else Erlang C
      (``required_method`` says which);
    - ``agents_logged_in``: from ``logged_in`` (date, interval_start[, queue], agents; without
      a queue column the intervals' queues are pooled first, so the comparison is like for
      like), else agents answering calls in ``facts`` (a lower bound), else NaN
      (``logged_in_source``); ``gap`` = agents logged in − required agents.
    """
    frame = intervals
    several = _keyed(intervals).groupby(["date", "interval_start"])["queue"].nunique().gt(1)
    if logged_in is not None and "queue" not in logged_in.columns and several.any():
        frame = pool_queues(intervals)
        if facts is not None:
            facts = _pool_facts(facts)
    base = _keyed(with_short_abandons(frame.reset_index(drop=True), facts))
    p = st.erlang_params(cfg)
    calls = _calls(base).astype(float)
    aht = _num(base, "aht_s")
    aht = aht.where(aht > 0, p["aht_s"]).astype(float)
    plan = st.interval_plan(
        pd.DataFrame({"day": "", "interval": base["interval_start"], "calls": calls, "aht_s": aht}),
        cfg,
    )
    out = base.assign(
        calls=calls, traffic=plan["traffic"].to_numpy(), required_agents_c=plan["agents"].to_numpy()
    )
    out = _patience(out, facts, cfg)
    arules = {**ea.rules(cfg), "variant": str(cfg.get("service", {}).get(
        "service_level_variant", "net"))}  # fmt: skip
    pairs = [
        _erlang_a_row(c, h, th, p, arules)
        for c, h, th in zip(out["calls"], aht, out["patience_rate"], strict=True)
    ]
    req_a = pd.Series([x[0] for x in pairs], index=out.index, dtype=float)
    out = out.assign(
        required_agents_a=req_a,
        abandon_rate_a=pd.Series([x[1] for x in pairs], index=out.index, dtype=float),
        required_agents=req_a.fillna(out["required_agents_c"].astype(float)),
        required_method=np.where(req_a.notna(), "erlang_a", "erlang_c"),
    )
    return _logged_in(out, facts, logged_in)


def intervals_with_staffing(
    calls: Any, cfg: Mapping[str, Any], logged_in: pd.DataFrame | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``service.kpis.intervals`` of the call log (an Ibis table) with :data:`FEED_COLUMNS`
    added (the ``service_intervals.csv`` rows), and the :func:`interval_facts` behind them."""
    from analysis.service import kpis

    facts = interval_facts(calls, cfg)
    return required_vs_logged_in(kpis.intervals(calls, cfg), cfg, logged_in, facts=facts), facts


def _pool_facts(facts: pd.DataFrame) -> pd.DataFrame:
    cols = ["short_abandoned", "abandoned", "wait_s", "agents_answering"]
    # Agents answering several queues in one interval would be counted once per queue: the sum
    # is an upper bound of distinct agents; it is only used when login data is absent.
    return (
        _keyed(facts)
        .groupby(["date", "interval_start"], as_index=False)[cols]
        .sum()
        .assign(queue="all")
    )


def _patience(
    out: pd.DataFrame, facts: pd.DataFrame | None, cfg: Mapping[str, Any]
) -> pd.DataFrame:
    if facts is None:
        return out.assign(patience_rate=np.nan, patience_level="none")
    pooled = ea.pooled_patience(_keyed(facts), ea.rules(cfg)["min_abandons"])
    m = out[_KEYS].merge(pooled[[*_KEYS, "patience_rate", "patience_level"]], on=_KEYS, how="left")
    # An interval the logs do not have (no call at all) takes the pooled all-calls rate.
    overall = pooled.loc[pooled["patience_level"] != "none"]
    fill_rate = float(facts["abandoned"].sum() / facts["wait_s"].sum()) if len(overall) else np.nan
    return out.assign(
        patience_rate=m["patience_rate"].fillna(fill_rate).to_numpy(),
        patience_level=m["patience_level"].fillna("all" if len(overall) else "none").to_numpy(),
    )


def _logged_in(
    out: pd.DataFrame, facts: pd.DataFrame | None, logged_in: pd.DataFrame | None
) -> pd.DataFrame:
    if logged_in is not None:
        li = _keyed(logged_in.assign(queue=logged_in.get("queue", "all")))
        keys = _KEYS if "queue" in logged_in.columns else ["date", "interval_start"]
        li = li.groupby(keys, as_index=False)["agents"].sum()
        agents = out[keys].merge(li, on=keys, how="left")["agents"].astype(float).to_numpy()
        source = np.where(np.isnan(agents), "none", "login")
    elif facts is not None:
        f = _keyed(facts)
        agents = (
            out[_KEYS].merge(f[[*_KEYS, "agents_answering"]], on=_KEYS, how="left")
            ["agents_answering"].astype(float).to_numpy()
        )  # fmt: skip
        source = np.where(np.isnan(agents), "none", "answering")
    else:
        agents = np.full(len(out), np.nan)
        source = np.full(len(out), "none")
    return out.assign(
        agents_logged_in=agents,
        logged_in_source=source,
        gap=agents - out["required_agents"].to_numpy(dtype=float),
    )


# ---------------------------------------------------------------------------------------------
# After-sales 处理单量 from the logs


def feeds_rules(cfg: Mapping[str, Any]) -> dict[str, Any]:
    """Where after-sales tickets come from and the tolerance of the typed-vs-logged check."""
    s = cfg.get("service", {})
    return {
        "aftersales_tickets_from": str(s.get("aftersales_tickets_from", "scorecard")),
        "tickets_tolerance": float(s.get("feeds", {}).get("tickets_tolerance", 0.05)),
    }


def aftersales_tickets_from_calls(
    agent_kpis: pd.DataFrame, aftersales: pd.DataFrame
) -> pd.DataFrame:
    """The after-sales scorecard with ``tickets`` (处理单量) = answered calls of the agent in the
    month, from the agent level of ``service.kpis.kpis`` (period, level, key, answered).

    Adds ``tickets_typed`` (what the scorecard said), ``tickets_logged`` (answered calls, NaN
    when not known) and ``tickets_source`` (:data:`TICKETS_SOURCES`): a month the logs do not
    cover keeps the typed figure ("scorecard"); an agent with no answered call in a month they
    cover keeps it too ("scorecard_no_calls", and a warning from :func:`tickets_findings`)
    rather than being scored on zero tickets because of an id typed two ways.
    """
    if not {"period", "level", "key", "answered"} <= set(agent_kpis.columns):
        raise FrameError(
            "坐席级服务指标缺少 period/level/key/answered 列 / the agent KPIs lack the columns "
            "period, level, key, answered"
        )
    agent = agent_kpis.loc[agent_kpis["level"] == "agent"]
    covered = set(agent_kpis["period"].astype(str))
    answered = agent.assign(key=agent["key"].astype(str), period=agent["period"].astype(str))
    answered = answered.groupby(["period", "key"])["answered"].sum()
    period = aftersales["period"].astype(str)
    ids = aftersales["agent_id"].astype(str)
    logged = pd.Series(
        [answered.get((p, a), np.nan) for p, a in zip(period, ids, strict=True)],
        index=aftersales.index,
        dtype=float,
    )
    in_logs = period.isin(covered)
    source = np.where(logged.notna(), "calls", np.where(in_logs, "scorecard_no_calls", "scorecard"))
    typed = pd.to_numeric(aftersales["tickets"], errors="coerce").astype(float)
    return aftersales.assign(
        tickets=logged.where(logged.notna(), typed),
        tickets_typed=typed,
        tickets_logged=logged,
        tickets_source=source,
    )


def tickets_findings(fed: pd.DataFrame, tolerance: float) -> pd.DataFrame:
    """Data-quality rows (``schema.DQ_COLUMNS``, warnings) for the fed scorecard: the typed and
    logged 处理单量 differ by more than ``tolerance`` × the logged figure (code
    ``tickets_calls_differ``), or an agent of a month the logs cover answered no call
    (``tickets_no_calls``). Each names the scorecard's file, sheet and row."""
    from analysis.io.errors import dq_frame

    rows: list[dict[str, Any]] = []
    for r in fed.to_dict("records"):
        where = {"file": r.get("source_file", ""), "sheet": r.get("source_sheet", ""),
                 "row": r.get("source_row"), "column": "tickets"}  # fmt: skip
        typed, logged = r["tickets_typed"], r["tickets_logged"]
        if r["tickets_source"] == "scorecard_no_calls":
            rows.append({"severity": "warning", "code": "tickets_no_calls", **where,
                         "value": str(r["agent_id"]),
                         "_fields": {"agent": str(r["agent_id"]), "period": str(r["period"])}})  # fmt: skip
        elif (
            r["tickets_source"] == "calls"
            and not pd.isna(typed)
            and abs(typed - logged) > tolerance * logged
        ):
            fields = {
                "typed": f"{typed:g}",
                "logged": f"{logged:g}",
                "tolerance": f"{tolerance:.0%}",
            }
            rows.append({"severity": "warning", "code": "tickets_calls_differ", **where,
                         "value": f"{typed:g}", "_fields": fields})  # fmt: skip
    return dq_frame(rows)
