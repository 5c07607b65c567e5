"""Service-quality KPIs from the canonical call log and complaint records.

Why Ibis: a year of a centre's calls (10^8 rows) is aggregated where it lives, in a columnar
engine (DuckDB by default, Spark or Trino when configured, see ``analysis.io.engine``); only
small aggregates (one row per month × queue × agent, or per day × interval × queue) come back to
pandas. Every KPI is a ratio of sums, so the month × queue × agent sums are enough to roll up to
the queue, team, agent and department ("all") levels without reading the calls again.

Definitions (inbound calls only; a call belongs to the month, day and interval it *started* in):

- offered: every inbound call; abandoned: every unanswered one (short ones included);
- short_abandoned: abandoned with ``wait_s < short_abandon_s`` (a null wait is not short);
- answer_rate = answered ÷ (offered − short_abandoned);
- service_level: "answered within T" = answered and ``wait_s <= service_level_s`` (null when
  no call of the group has a wait: a log without a wait column gives no level, not 0 %); its
  denominator follows ``service_level_variant``: net (offered − short abandons), answered,
  offered, or abandons_in_threshold ((answered within T + abandoned within T) ÷ offered);
- asa_s: mean wait of answered calls; aht_s: mean talk + hold + wrap of answered calls (a null
  hold or wrap counts as 0; a null talk leaves the call out of the mean);
- csat: rated calls with ``rating >= satisfied_min`` ÷ rated calls (unrated calls left out);
- fcr: answered calls with a caller_key whose caller makes no further inbound call within
  ``fcr_days`` × 24 h after this call's start ÷ such answered calls. The window crosses month ends
  (a call on 30 Oct is judged with November's calls when the log holds them); it is judged with
  the calls present, so the last ``fcr_days`` of the log are judged on a shorter window;
- complaints: records received in the month (per agent and team by agent_id; a queue cannot be
  told from a complaint, so the queue level has none: null); complaint_rate = complaints per
  1,000 answered calls;
- closed_3d_rate = complaints closed within ``closed_within_days`` × 24 h of receipt ÷ complaints
  that can be judged. A complaint still open once that time has passed counts as not closed in
  time. One still open and younger than that at the records' horizon (``as_of``: the latest
  received or closed time in the records, unless ``rules["as_of"]`` names one) cannot be judged
  yet: it is *pending*, left out of this rate's denominator (it still counts in ``complaints``);
- resolved_rate: answered calls the export marks resolved (是否解决 / Resolved) ÷ answered calls
  that carry the flag: the agents' own word, beside fcr's evidence from repeat calls.

A division by zero gives null (NaN), never 0 or inf. Keys the data does not give are codes:
:data:`NO_QUEUE`, :data:`NO_AGENT` (unanswered calls, complaints without an agent) and
:data:`UNASSIGNED` (agents not on the roster, or on it without a team); the catalog words them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from analysis.errors import ConfigError, FrameError
from analysis.io.engine import ENGINES

ALL = "all"
LEVELS = ("all", "queue", "team", "agent")
NO_QUEUE = "(no queue)"
NO_AGENT = "(no agent)"
UNASSIGNED = "(unassigned)"
UNKNOWN = "(unknown)"
VARIANTS = ("net", "answered", "offered", "abandons_in_threshold")
COUNT_COLUMNS = ["offered", "answered", "abandoned", "short_abandoned"]
KPI_COLUMNS = [
    "period",
    "level",
    "key",
    *COUNT_COLUMNS,
    "answer_rate",
    "service_level",
    "asa_s",
    "aht_s",
    "csat",
    "fcr",
    "complaints",
    "complaint_rate",
    "closed_3d_rate",
    "resolved_rate",
]
INTERVAL_COLUMNS = [
    "date",
    "interval_start",
    "queue",
    "offered",
    "answered",
    "abandoned",
    "asa_s",
    "aht_s",
]
#: Target direction per KPI: complaint_rate is a ceiling, every other one a floor.
TARGET_OPS = {
    "answer_rate": ">=",
    "service_level": ">=",
    "csat": ">=",
    "fcr": ">=",
    "complaint_rate": "<=",
    "closed_3d_rate": ">=",
    "resolved_rate": ">=",
}
COMPLAINT_NEEDS = ["received", "channel", "type", "agent_id", "closed"]
TARGET_TOLERANCE = 1e-9  # 4 ÷ 5 against 0.80: a float rounding is not a miss

# The sums the engine returns per month × queue × agent (every KPI is a ratio of two of them).
_SUMS = [
    "offered",
    "answered",
    "abandoned",
    "short_abandoned",
    "answered_in_t",
    "abandoned_in_t",
    "wait_sum",
    "wait_n",
    "wait_known",
    "handle_sum",
    "handle_n",
    "rated",
    "satisfied",
    "fcr_base",
    "fcr_resolved",
    "resolved_n",
    "resolved_yes",
]
_NUMBERS = {
    # key: (minimum, strictly above the minimum, integer)
    "short_abandon_s": (0, False, False),
    "service_level_s": (0, False, False),
    "fcr_days": (0, True, False),
    "interval_min": (0, True, True),
    "satisfied_min": (0, False, False),
    "rating_scale": (0, True, False),
    "closed_within_days": (0, False, False),
}


# ---------------------------------------------------------------------------------------------
# Rules


def service_rules(cfg: Mapping[str, Any]) -> dict[str, Any]:
    """The ``[service]`` rules checked at the boundary (the whole config or its section).

    A :class:`ConfigError` names the key and what it must be: an unknown service-level variant,
    a negative threshold, an interval that does not divide the day, a target that is no number.
    """
    section = cfg.get("service") if isinstance(cfg.get("service"), Mapping) else cfg
    from analysis.config import load_defaults

    # A partial section (an analyst's dict, a test's few keys) keeps the defaults of the rest.
    section = {**load_defaults()["service"], **section}
    out = dict(section)
    for key, (low, strict, integer) in _NUMBERS.items():
        value = section.get(key)
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        ok = ok and (value > low if strict else value >= low)
        ok = ok and (not integer or float(value).is_integer())
        if not ok:
            kind = "a whole number" if integer else "a number"
            bound = f"> {low}" if strict else f">= {low}"
            raise ConfigError(f"[service] {key} = {value!r}: must be {kind} {bound}.")
    if 1440 % int(section["interval_min"]):
        raise ConfigError(
            f"[service] interval_min = {section['interval_min']!r}: must divide the day "
            "(1440 minutes), e.g. 15, 30 or 60."
        )
    if section["satisfied_min"] > section["rating_scale"]:
        raise ConfigError(
            f"[service] satisfied_min = {section['satisfied_min']!r}: must not exceed "
            f"rating_scale = {section['rating_scale']!r}."
        )
    variant = section.get("service_level_variant")
    if variant not in VARIANTS:
        raise ConfigError(
            f"[service] service_level_variant = {variant!r}: must be one of {', '.join(VARIANTS)}."
        )
    choices = {
        "engine": ENGINES,
        "aftersales_tickets_from": ("scorecard", "calls"),
    }
    for key, allowed in choices.items():
        if section.get(key, allowed[0]) not in allowed:
            raise ConfigError(
                f"[service] {key} = {section.get(key)!r}: must be one of {', '.join(allowed)}."
            )
    threads = section.get("threads", 2)
    if not isinstance(threads, int) or isinstance(threads, bool) or threads < 1:
        raise ConfigError(f"[service] threads = {threads!r}: must be a whole number >= 1.")
    targets = section.get("targets", {})
    if not isinstance(targets, Mapping):
        raise ConfigError("[service.targets] must be a table of KPI = number.")
    for key, value in targets.items():
        if key not in TARGET_OPS:
            raise ConfigError(
                f"[service.targets] {key}: not a KPI with a target; use {', '.join(TARGET_OPS)}."
            )
        if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
            raise ConfigError(f"[service.targets] {key} = {value!r}: must be a number >= 0.")
    out["interval_min"] = int(section["interval_min"])
    out["targets"] = dict(targets)
    return out


# ---------------------------------------------------------------------------------------------
# Engine side (Ibis expressions: DuckDB, Spark, Trino)


def inbound(calls: Any) -> Any:
    """Inbound calls: the KPIs are about calls customers made (missing direction = inbound)."""
    return calls.filter(calls.direction.fill_null("in") == "in")


def with_slot(t: Any, minutes: int) -> Any:
    """``t`` with the call's ``date`` and ``slot`` (minutes after midnight of the interval it
    started in, ``minutes`` long): the one rule that places a call in an interval."""
    return t.mutate(
        date=t.start.date(), slot=((t.start.hour() * 60 + t.start.minute()) // minutes) * minutes
    )


def slot_text(slot: pd.Series) -> pd.Series:
    """Minutes after midnight → "HH:MM" (the interval_start of the exports)."""
    slot = slot.astype("int64")
    return (slot // 60).map("{:02d}".format) + ":" + (slot % 60).map("{:02d}".format)


def short_abandon(t: Any, r: Mapping[str, Any]) -> Any:
    """Abandoned after waiting less than ``short_abandon_s`` (a null wait is not short)."""
    return ~t.answered & (t.wait_s < r["short_abandon_s"])


def _counts(t: Any, r: Mapping[str, Any]) -> dict[str, Any]:
    """The per-group counts and sums as filtered aggregates (COUNT(*) FILTER (WHERE …) on
    DuckDB): cheaper than summing 0/1 columns, and a null comparison simply does not count (a
    null wait is neither short nor within T). ``abandoned`` is offered − answered."""
    answered, wait = t.answered, t.wait_s
    handle = t.talk_s + t.hold_s.fill_null(0) + t.wrap_s.fill_null(0)  # null talk: not measured
    return {
        "offered": t.count(),
        "answered": t.count(where=answered),
        "short_abandoned": t.count(where=short_abandon(t, r)),
        "answered_in_t": t.count(where=answered & (wait <= r["service_level_s"])),
        "abandoned_in_t": t.count(where=~answered & (wait <= r["service_level_s"])),
        "wait_sum": wait.sum(where=answered),
        "wait_n": wait.count(where=answered),
        "wait_known": wait.count(),
        "handle_sum": handle.sum(where=answered),
        "handle_n": handle.count(where=answered),
        "rated": t.rating.count(),
        "satisfied": t.count(where=t.rating >= r["satisfied_min"]),
        # the export's own resolved flag (是否解决), over answered calls that carry one
        "resolved_n": t.resolved.count(where=answered),
        "resolved_yes": t.count(where=answered & t.resolved),
    }


def _keys(df: pd.DataFrame) -> pd.DataFrame:
    """Null queue / agent as codes, so they group and merge like any other key."""
    return df.assign(
        queue=df["queue"].astype("object").where(df["queue"].notna(), NO_QUEUE),
        agent_id=df["agent_id"].astype("object").where(df["agent_id"].notna(), NO_AGENT),
    )


def _fcr_month(t: Any, start: dt.datetime, days: float) -> pd.DataFrame:
    """FCR counts per queue × agent for the month beginning at ``start``.

    The engine sorts one month (plus the next ``days`` of calls, so the window crosses the month
    end) of four narrow columns per caller, instead of a year of every column at once.
    """
    import ibis

    end = (pd.Timestamp(start) + pd.offsets.MonthBegin(1)).to_pydatetime()
    window = dt.timedelta(days=days)
    part = t.filter(
        t.caller_key.notnull()
        & (t.start >= ibis.literal(start))
        & (t.start < ibis.literal(end + window))
    ).select("caller_key", "start", "queue", "agent_id", "answered")
    w = ibis.window(group_by=part.caller_key, order_by=part.start)
    x = part.mutate(next_start=part.start.lead().over(w))
    x = x.filter(x.answered & (x.start < ibis.literal(end)))
    repeat = x.next_start.notnull() & (
        x.next_start <= x.start + ibis.interval(seconds=int(window.total_seconds()))
    )
    out = (
        x.group_by(["queue", "agent_id"])
        .aggregate(fcr_base=x.count(), fcr_resolved=(~repeat).cast("int64").sum())
        .execute()
    )
    return out.assign(period=f"{start:%Y-%m}")


def grain(calls: Any, rules: Mapping[str, Any]) -> pd.DataFrame:
    """The month × queue × agent sums every KPI is a ratio of (inbound calls only).

    Two kinds of query: one aggregation over the whole log for the counts and means, and the
    first-contact window month by month (see :func:`_fcr_month`), so at 10^8 calls the engine
    never sorts more than a month at a time.
    """
    r = service_rules(rules)
    t = inbound(calls)
    cols = ["period", "queue", "agent_id", *_SUMS]
    x = t.mutate(year=t.start.year(), month=t.start.month())
    base = x.group_by(["year", "month", "queue", "agent_id"]).aggregate(**_counts(x, r)).execute()
    if base.empty:
        return pd.DataFrame({c: pd.Series(dtype="object" if c in cols[:3] else "float64")
                             for c in cols})  # fmt: skip
    year, month = base["year"].astype(int), base["month"].astype(int)
    base = base.assign(
        period=year.astype(str) + "-" + month.map("{:02d}".format),
        abandoned=base["offered"] - base["answered"],
    )
    months = sorted({dt.datetime(y, m, 1) for y, m in zip(year, month, strict=True)})
    fcr = [_fcr_month(t, m, float(r["fcr_days"])) for m in months]
    keys = ["period", "queue", "agent_id"]
    out = _keys(base).merge(_keys(pd.concat(fcr, ignore_index=True)), on=keys, how="left")
    out = out[cols].astype({c: "float64" for c in _SUMS})
    return out.fillna({c: 0.0 for c in _SUMS}).sort_values(keys, ignore_index=True)


def intervals(calls: Any, rules: Mapping[str, Any]) -> pd.DataFrame:
    """Inbound calls per date × interval start ("HH:MM", ``interval_min`` long) × queue:
    offered, answered, abandoned, asa_s, aht_s (a call counts in the interval it started in)."""
    r = service_rules(rules)
    step = r["interval_min"]
    x = with_slot(inbound(calls), step)
    c = _counts(x, r)
    keep = ("offered", "answered", "wait_sum", "wait_n", "handle_sum", "handle_n")
    out = x.group_by(["date", "slot", "queue"]).aggregate(**{k: c[k] for k in keep}).execute()
    out["abandoned"] = out["offered"] - out["answered"]
    if out.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in INTERVAL_COLUMNS})
    out = out.assign(
        date=pd.to_datetime(out["date"]),
        interval_start=slot_text(out["slot"]),
        queue=out["queue"].fillna(NO_QUEUE),
        asa_s=_ratio(out["wait_sum"], out["wait_n"]),
        aht_s=_ratio(out["handle_sum"], out["handle_n"]),
    )
    out = out.astype({c: "int64" for c in ("offered", "answered", "abandoned")})
    return out.sort_values(["date", "interval_start", "queue"], ignore_index=True)[INTERVAL_COLUMNS]


# ---------------------------------------------------------------------------------------------
# pandas side (small frames)


def _ratio(num: pd.Series, den: pd.Series, scale: float = 1.0) -> pd.Series:
    """num ÷ den, null (NaN) where den is 0 or null: no 0 %, no inf for 'nothing to measure'."""
    num = pd.to_numeric(num, errors="coerce").astype("float64")
    den = pd.to_numeric(den, errors="coerce").astype("float64")
    return (num * scale / den).where(den > 0)


def _check_frame(df: pd.DataFrame, needs: Sequence[str], what: str) -> None:
    missing = [c for c in needs if c not in df.columns]
    if missing:
        raise FrameError(f"{what} lacks the column(s) {', '.join(missing)}.")


def judged(complaints: pd.DataFrame, r: Mapping[str, Any]) -> pd.DataFrame:
    """Complaints with period, in_time, pending and open flags (see the module docstring)."""
    _check_frame(complaints, COMPLAINT_NEEDS, "The complaint records")
    c = complaints.assign(
        received=pd.to_datetime(complaints["received"]),
        closed=pd.to_datetime(complaints["closed"]),
    )
    if c["received"].isna().any():  # the loader reports these; never drop a record silently
        bad = c[c["received"].isna()].iloc[0]
        where = ", ".join(
            f"{k} {bad[k]}" for k in ("source_file", "source_sheet", "source_row") if k in c
        )
        raise FrameError(f"A complaint record has no received time ({where}): column received.")
    limit = pd.Timedelta(days=float(r["closed_within_days"]))
    as_of = r.get("as_of")
    horizon = (
        pd.Timestamp(as_of)
        if as_of
        else max(c["received"].max(), c["closed"].max() if c["closed"].notna().any() else pd.NaT)
        if len(c)
        else pd.NaT
    )
    is_open = c["closed"].isna()
    in_time = ~is_open & ((c["closed"] - c["received"]) <= limit)
    pending = is_open & ((c["received"] + limit) > horizon)
    return c.assign(
        period=c["received"].dt.strftime("%Y-%m"),
        in_time=in_time.astype("int64"),
        pending=pending.astype("int64"),
        open=is_open.astype("int64"),
        one=1,
    )


def _teams(agents: pd.DataFrame | None) -> dict[str, str]:
    if agents is None or len(agents) == 0:
        return {}
    _check_frame(agents, ["agent_id", "team"], "The roster")
    roster = agents.dropna(subset=["agent_id"]).drop_duplicates("agent_id", keep="last")
    return {
        str(a): (str(t) if pd.notna(t) and str(t).strip() else UNASSIGNED)
        for a, t in zip(roster["agent_id"], roster["team"], strict=True)
    }


def _team_of(agent: pd.Series, teams: Mapping[str, str]) -> pd.Series:
    return agent.map(
        lambda a: NO_AGENT if pd.isna(a) or a == NO_AGENT else teams.get(str(a), UNASSIGNED)
    )


def kpis_from_grain(
    sums: pd.DataFrame,
    complaints: pd.DataFrame,
    agents: pd.DataFrame | None,
    rules: Mapping[str, Any],
) -> pd.DataFrame:
    """The KPI frame from the month × queue × agent sums (see :func:`grain`) and complaints."""
    r = service_rules(rules)
    teams = _teams(agents)
    g = sums.assign(
        queue=sums["queue"].fillna(NO_QUEUE),
        agent=sums["agent_id"].fillna(NO_AGENT),
        team=_team_of(sums["agent_id"], teams),
        all=ALL,
    )
    c = judged(complaints, r) if complaints is not None else None
    if c is not None:
        c = c.assign(
            agent=c["agent_id"].fillna(NO_AGENT),
            team=_team_of(c["agent_id"], teams),
            all=ALL,
        )
    frames = []
    for level, col in (("all", "all"), ("queue", "queue"), ("team", "team"), ("agent", "agent")):
        calls = g.groupby(["period", col], as_index=False)[_SUMS].sum().rename(columns={col: "key"})
        if level == "queue" or c is None or c.empty:
            comp = pd.DataFrame(columns=["period", "key", "complaints", "in_time", "pending"])
        else:
            comp = (
                c.groupby(["period", col], as_index=False)[["one", "in_time", "pending"]]
                .sum()
                .rename(columns={col: "key", "one": "complaints"})
            )
        m = calls.merge(comp, on=["period", "key"], how="outer")
        m[_SUMS] = m[_SUMS].fillna(0.0)
        if level != "queue" and c is not None:  # no records at all: unknown, not 0
            m[["complaints", "in_time", "pending"]] = (
                m[["complaints", "in_time", "pending"]].astype("float64").fillna(0.0)
            )
        frames.append(m.assign(level=level))
    m = pd.concat(frames, ignore_index=True)
    variant = r["service_level_variant"]
    net = m["offered"] - m["short_abandoned"]
    sl_num = m["answered_in_t"] + (
        m["abandoned_in_t"] if variant == "abandons_in_threshold" else 0.0
    )
    sl_den = {"net": net, "answered": m["answered"]}.get(variant, m["offered"])
    out = m.assign(
        answer_rate=_ratio(m["answered"], net),
        # No wait measured in the group (a log without a wait column): "within T" cannot be
        # told, so the level is unknown (null), never 0 %.
        service_level=_ratio(sl_num, sl_den).where(m["wait_known"] > 0),
        asa_s=_ratio(m["wait_sum"], m["wait_n"]),
        aht_s=_ratio(m["handle_sum"], m["handle_n"]),
        csat=_ratio(m["satisfied"], m["rated"]),
        fcr=_ratio(m["fcr_resolved"], m["fcr_base"]),
        complaint_rate=_ratio(m["complaints"], m["answered"], 1000.0),
        closed_3d_rate=_ratio(m["in_time"], m["complaints"] - m["pending"]),
        resolved_rate=_ratio(m["resolved_yes"], m["resolved_n"]),
    )
    # An abandoned call reaches no agent: per agent (and so per team) every offered call was
    # answered, and a rate over offered calls would read 100 % (0 % for "no agent"). Blank, not
    # a figure that looks right; "answered within T ÷ answered" still means something there.
    by_person = out["level"].isin(("team", "agent"))
    out.loc[by_person, "answer_rate"] = np.nan
    if variant != "answered":
        out.loc[by_person, "service_level"] = np.nan
    out = out.astype({c: "int64" for c in COUNT_COLUMNS}).astype({"complaints": "Int64"})
    order = {lv: i for i, lv in enumerate(LEVELS)}
    out = out.assign(_lv=out["level"].map(order)).sort_values(
        ["period", "_lv", "key"], ignore_index=True
    )
    return out[KPI_COLUMNS]


def kpis(
    calls: Any,
    complaints: pd.DataFrame | None,
    agents: pd.DataFrame | None,
    rules: Mapping[str, Any],
) -> pd.DataFrame:
    """One row per period × level (all, queue, team, agent) × key with the KPI columns
    (:data:`KPI_COLUMNS`). ``calls`` is the canonical call log as an Ibis table
    (``analysis.io.engine.calls_table``); ``agents`` the roster (agent_id, team)."""
    return kpis_from_grain(grain(calls, rules), complaints, agents, rules)


def complaint_stats(complaints: pd.DataFrame, rules: Mapping[str, Any]) -> dict[str, pd.DataFrame]:
    """Complaint counts for the complaint tables: ``{"by_type", "by_channel", "weekly"}``.

    by_type / by_channel: period, type | channel, received, closed_in_3d, open. weekly (周投诉统计):
    week ("2026-W44", ISO, Monday start), week_start, received, closed_in_3d, open. "open" is
    open at the records' horizon; "closed_in_3d" is closed within ``closed_within_days`` × 24 h.
    A blank type or channel is :data:`UNKNOWN`, so every record is counted once per table.
    """
    r = service_rules(rules)
    c = judged(complaints, r)
    c = c.assign(
        type=c["type"].where(c["type"].notna() & c["type"].astype(str).str.strip().ne(""), UNKNOWN),
        channel=c["channel"].where(
            c["channel"].notna() & c["channel"].astype(str).str.strip().ne(""), UNKNOWN
        ),
    )
    names = {"one": "received", "in_time": "closed_in_3d"}

    def count(keys: list[str]) -> pd.DataFrame:
        if c.empty:
            return pd.DataFrame(columns=[*keys, "received", "closed_in_3d", "open"])
        out = (
            c.groupby(keys, as_index=False)[["one", "in_time", "open"]].sum().rename(columns=names)
        )
        return out.astype({k: "int64" for k in ("received", "closed_in_3d", "open")})

    day = c["received"].dt.normalize()
    iso = c["received"].dt.isocalendar()
    c = c.assign(
        week_start=day - pd.to_timedelta(c["received"].dt.day_of_week, unit="D"),
        week=iso["year"].astype(str) + "-W" + iso["week"].astype(int).map("{:02d}".format)
        if len(c)
        else pd.Series(dtype="object"),
    )
    weekly = count(["week", "week_start"]).sort_values("week_start", ignore_index=True)
    return {
        "by_type": count(["period", "type"]),
        "by_channel": count(["period", "channel"]),
        "weekly": weekly,
    }


def target_check(kpis_all_level: pd.DataFrame, rules: Mapping[str, Any]) -> pd.DataFrame:
    """The verdict's input: per period of the "all" level and per KPI with a target — value,
    target, op (">=" floor, "<=" ceiling) and met (nullable: no value → met is null, not False)."""
    r = service_rules(rules)
    df = kpis_all_level
    if "level" in df.columns:
        df = df[df["level"] == ALL]
    rows = []
    for _, row in df.iterrows():
        for kpi, target in r["targets"].items():
            value = row.get(kpi)
            op = TARGET_OPS[kpi]
            if value is None or pd.isna(value):
                met: Any = pd.NA
            elif op == ">=":
                met = bool(value >= target - TARGET_TOLERANCE)
            else:
                met = bool(value <= target + TARGET_TOLERANCE)
            rows.append(
                {
                    "period": row["period"],
                    "kpi": kpi,
                    "value": float(value)
                    if value is not None and pd.notna(value)
                    else float("nan"),
                    "target": float(target),
                    "op": op,
                    "met": met,
                }
            )
    out = pd.DataFrame(rows, columns=["period", "kpi", "value", "target", "op", "met"])
    return out.astype({"met": "boolean"})


__all__ = [
    "ALL",
    "INTERVAL_COLUMNS",
    "KPI_COLUMNS",
    "LEVELS",
    "NO_AGENT",
    "NO_QUEUE",
    "TARGET_OPS",
    "UNASSIGNED",
    "UNKNOWN",
    "VARIANTS",
    "complaint_stats",
    "grain",
    "intervals",
    "kpis",
    "kpis_from_grain",
    "service_rules",
    "target_check",
]
