"""服务质量月报 as data: everything the service-quality page shows, built and labelled in one call.

Why: a manager reads the first screen only, so the page opens with the targets missed (from
:func:`analysis.service.kpis.target_check`, the one rule of "met"), then the tiles, trends, the
intraday profile, the queue/team/agent tables and the complaint statistics. Building them here
keeps the notebook to one call and a cell per section, and lets tests check each table with small
frames. The numbers come from :mod:`analysis.service` (run in the engine of ``[service].engine``);
the words from ``catalog/<lang>/service.toml``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import fmt, report
from analysis.outputs import write_csv, write_xlsx
from analysis.report import Col
from analysis.service import acd as acd_mod
from analysis.service import kpis as kp
from analysis.views.table import Table
from analysis.views.verdict import Line
from analysis.views.words import words

#: What the run publishes beside the page (English snake_case headers, codes not words).
KPIS_CSV = "service_kpis.csv"
INTERVALS_CSV = "service_intervals.csv"
#: The per-agent ACD summary of the month (analysis.service.acd.SUMMARY_COLUMNS).
ACD_CSV = "service_acd.csv"
FORECAST_CSV = "service_forecast.csv"
#: The columns of service_forecast.csv (queue "all": the forecast adds the queues together).
FORECAST_EXPORT = ["date", "interval_start", "queue", "forecast", "required_agents"]
XLSX = "service.xlsx"
#: The columns of service_intervals.csv (the staffing columns are empty where not known).
INTERVAL_EXPORT = [*kp.INTERVAL_COLUMNS, "required_agents", "agents_logged_in", "required_method",
                   "logged_in_source"]  # fmt: skip
#: Months shown in the trend (the period and the ones before it).
TREND_MONTHS = 12
#: KPIs shown as a percentage, as seconds, as a rate per 1,000 answered calls.
RATES = ("answer_rate", "service_level", "csat", "fcr", "closed_3d_rate", "resolved_rate")
SECONDS = ("asa_s", "aht_s")
COUNTS = ("offered", "answered", "abandoned", "short_abandoned", "complaints")
#: KPIs judged per queue (complaints cannot be told by queue: see analysis.service.kpis).
QUEUE_TARGETS = ("answer_rate", "service_level", "csat", "fcr")
#: Tile order: offered first, then every KPI of the verdict.
TILE_KPIS = ("answer_rate", "service_level", "asa_s", "aht_s", "csat", "fcr", "resolved_rate",
             "complaint_rate", "closed_3d_rate")  # fmt: skip
#: KPIs only some exports can give (a resolved flag): no tile or column where the log has none.
IF_GIVEN = frozenset({"resolved_rate"})
#: Codes of keys the data does not give → catalog words.
CODE_WORDS = {kp.NO_QUEUE: "code_no_queue", kp.NO_AGENT: "code_no_agent",
              kp.UNASSIGNED: "code_unassigned", kp.UNKNOWN: "code_unknown"}  # fmt: skip


@dataclass
class ServiceView:
    """The service-quality page. ``has_data`` is False when the period has no call logs (the
    page then says 本期无数据 and shows nothing else). Frames hold codes; ``*_table`` words."""

    lang: str
    period: str
    title: str
    t: Callable[..., str]
    has_data: bool = False
    kpis: pd.DataFrame | None = None  # every period × level × key (service_kpis.csv)
    checks: pd.DataFrame | None = None  # target_check of the "all" level, every period
    trend: pd.DataFrame | None = None  # the all level, up to TREND_MONTHS months to the period
    intervals: pd.DataFrame | None = None  # the period's intervals (service_intervals.csv)
    profile: pd.DataFrame | None = None  # mean per interval start over the days of the period
    complaint_stats: dict[str, pd.DataFrame] = field(default_factory=dict)
    overdue: pd.DataFrame | None = None  # complaints open beyond the limit
    targets: dict[str, float] = field(default_factory=dict)
    verdict: list[Line] = field(default_factory=list)
    tiles: list[dict[str, Any]] = field(default_factory=list)
    trend_table: Table | None = None
    queue_table: Table | None = None
    team_table: Table | None = None
    agent_table: Table | None = None
    type_table: Table | None = None
    channel_table: Table | None = None
    weekly_table: Table | None = None
    week_labels: list[str] = field(default_factory=list)
    overdue_table: Table | None = None
    assumptions_table: Table | None = None
    notes: list[str] = field(default_factory=list)
    rules: Mapping[str, Any] = field(default_factory=dict)
    # 坐席话务汇总 (ACD summaries per agent and day, when the folder has them for the period)
    acd: pd.DataFrame | None = None  # analysis.service.acd.SUMMARY_COLUMNS
    acd_lines: list[str] = field(default_factory=list)
    acd_table: Table | None = None
    #: True when agents "logged in" are only the agents answering calls (no login data).
    answering_only: bool = False
    #: The queueing models behind required_agents ("erlang_a", "erlang_c"), for the chart label.
    required_methods: tuple[str, ...] = ()
    # 下月话务预测: the month after the period, by the baseline of analysis.service.forecast.
    fc_month: str = ""
    fc_lines: list[str] = field(default_factory=list)  # the baseline and sizing in words
    forecast: pd.DataFrame | None = None  # per date × interval (STAFFED_COLUMNS)
    fc_daily: pd.DataFrame | None = None  # per day of the month (FC_DAILY_COLUMNS)
    fc_profile: pd.DataFrame | None = None  # mean per interval by day type
    fc_table: Table | None = None
    fc_methods: tuple[str, ...] = ()
    # The same baseline forecasting the period, against what was offered.
    backtest: Any = None  # analysis.service.forecast.Backtest
    bt_lines: list[str] = field(default_factory=list)
    bt_table: Table | None = None


# --- formatting ------------------------------------------------------------------------------


def value_text(kpi: str, value: Any) -> str:
    """One KPI value as the page prints it: 95.2 %, 18 秒, 0.31 ‰, 1,234."""
    if kpi in RATES:
        return fmt.pct(value)
    if kpi in SECONDS:
        return fmt.num(value)
    if kpi == "complaint_rate":
        return fmt.num(value, decimals=2)
    return fmt.num(value)


def target_text(kpi: str, target: float) -> str:
    """A target as the seeds state it: 80 %, 1.0 (per 1,000 answered calls)."""
    if kpi in RATES:
        return fmt.pct(target, decimals=0)
    return fmt.num(target, decimals=1)


def _col(kpi: str, t: Callable[..., str]) -> Col:
    return Col(t(kpi), lambda v, k=kpi: value_text(k, v), numeric=True)


def _cols(
    t: Callable[..., str], *kpis: str, df: pd.DataFrame | None = None
) -> dict[str, Col | str]:
    """Labelled columns; one of :data:`IF_GIVEN` only where ``df`` has a value in it."""
    return {
        k: _col(k, t)
        for k in kpis
        if k not in IF_GIVEN or df is None or (k in df and df[k].notna().any())
    }


def key_words(key: Any, t: Callable[..., str]) -> str:
    """A key of the KPI frame in words: the codes for 'no queue', 'no agent' … from the catalog."""
    if key is None or (not isinstance(key, str) and pd.isna(key)):
        return t("unknown")
    return t(CODE_WORDS[key]) if key in CODE_WORDS else str(key)


# --- the verdict -----------------------------------------------------------------------------


def _op(op: str, t: Callable[..., str]) -> str:
    return t("op_ge") if op == ">=" else t("op_le")


def verdict(
    checks: pd.DataFrame,
    queues: pd.DataFrame,
    overdue: pd.DataFrame,
    t: Callable[..., str],
) -> list[Line]:
    """The page's first lines: each target missed (red), queues below a target (amber; not when
    all calls are in one queue, e.g. a log without queues: those lines would repeat the first),
    complaints open beyond the limit (red), the targets met in one line (green).

    ``checks`` is :func:`target_check` of the period's "all" row, ``queues`` of each queue row
    (with a ``key`` column), ``overdue`` the complaints still open beyond the limit.
    """
    out: list[Line] = []
    judged = checks[checks["met"].notna()]
    for r in judged[~judged["met"].astype(bool)].to_dict("records"):
        out.append(Line(t("v_missed", kpi=t(r["kpi"]), value=value_text(r["kpi"], r["value"]),
                          op=_op(r["op"], t), target=target_text(r["kpi"], r["target"])),
                        "over"))  # fmt: skip
    if len(queues) and queues["key"].nunique() > 1:  # one queue would repeat the lines above
        q = queues[queues["met"].notna()]
        for r in q[~q["met"].astype(bool)].to_dict("records"):
            out.append(Line(t("v_queue_missed", queue=key_words(r["key"], t), kpi=t(r["kpi"]),
                              value=value_text(r["kpi"], r["value"]), op=_op(r["op"], t),
                              target=target_text(r["kpi"], r["target"])), "warn"))  # fmt: skip
    if len(overdue):
        first = overdue.sort_values("received").iloc[0]
        who = key_words(first["agent_id"], t) if pd.notna(first["agent_id"]) else t("code_no_agent")
        out.append(Line(t("v_open", n=len(overdue), when=f"{first['received']:%Y-%m-%d}",
                          who=f"{first['complaint_id']} · {who}"), "over"))  # fmt: skip
    met = judged[judged["met"].astype(bool)]
    if len(met) and len(met) == len(judged):
        out.append(Line(t("v_all_met", n=len(met)), "under"))
    elif len(met):
        out.append(Line(t("v_met", names=t("list_sep").join(t(k) for k in met["kpi"])), None))
    blank = checks[checks["met"].isna()]
    if len(blank):
        out.append(Line(t("v_no_target", names=t("list_sep").join(t(k) for k in blank["kpi"]))))
    return out


# --- pieces ----------------------------------------------------------------------------------


def _tiles(row: Mapping[str, Any], checks: pd.DataFrame, t: Callable[..., str]) -> list[dict]:
    by_kpi = {r["kpi"]: r for r in checks.to_dict("records")}
    tiles = [{"label": t("offered"), "value": fmt.num(row["offered"]),
              "sub": t("tile_offered_sub", answered=fmt.num(row["answered"]),
                       abandoned=fmt.num(row["abandoned"]))}]  # fmt: skip
    for kpi in TILE_KPIS:
        if kpi in IF_GIVEN and pd.isna(row.get(kpi)):
            continue
        tile: dict[str, Any] = {"label": t(kpi), "value": value_text(kpi, row.get(kpi))}
        c = by_kpi.get(kpi)
        if c is not None:
            tile["sub"] = t("tile_target", op=_op(c["op"], t), target=target_text(kpi, c["target"]))
            if pd.notna(c["met"]):
                tile["tone"] = "under" if bool(c["met"]) else "over"
        tiles.append(tile)
    return tiles


def _missed_names(checks: pd.DataFrame, t: Callable[..., str]) -> pd.Series:
    """Per period the KPIs that missed their target, in words ("" when none)."""
    judged = checks[checks["met"].notna() & ~checks["met"].fillna(True).astype(bool)]
    return judged.groupby("period")["kpi"].agg(lambda ks: t("list_sep").join(t(k) for k in ks))


def _trend_table(trend: pd.DataFrame, checks: pd.DataFrame, t: Callable[..., str]) -> Table:
    missed = _missed_names(checks, t)
    df = trend.assign(missed=trend["period"].map(missed).fillna(""))
    cols: dict[str, Col | str] = {"period": t("period")}
    cols |= _cols(t, "offered", "answered", "answer_rate", "service_level", "asa_s", "aht_s",
                  "csat", "fcr", "resolved_rate", "complaints", "complaint_rate",
                  "closed_3d_rate", df=df)  # fmt: skip
    cols["missed"] = t("missed")
    return Table(df, cols, row_tone=lambda r: "over" if r["missed"] else None)


def _queue_table(rows: pd.DataFrame, qchecks: pd.DataFrame, t: Callable[..., str]) -> Table:
    bad = set(qchecks.loc[qchecks["met"].notna() & ~qchecks["met"].fillna(True).astype(bool),
                          "key"])  # fmt: skip
    df = rows.assign(name=rows["key"].map(lambda k: key_words(k, t)))
    cols: dict[str, Col | str] = {"name": t("queue")}
    cols |= _cols(t, "offered", "answered", "abandoned", "short_abandoned", "answer_rate",
                  "service_level", "asa_s", "aht_s", "csat", "fcr", "resolved_rate",
                  df=df)  # fmt: skip
    return Table(df, cols, row_tone=lambda r: "warn" if r["key"] in bad else None)


def _team_table(rows: pd.DataFrame, t: Callable[..., str]) -> Table:
    """Teams of the roster; unanswered calls belong to no team, so the row of no agent stays out
    (its calls are in the queue table), unless complaints name no agent: then it stays, so the
    column of complaints adds up to the month's (the sample: 12 by teams + 1 = 13)."""
    no_agent = (rows["key"] == kp.NO_AGENT) & ~(rows["complaints"].fillna(0) > 0)
    df = rows[~no_agent]
    df = df.assign(name=df["key"].map(lambda k: key_words(k, t)))
    cols: dict[str, Col | str] = {"name": t("team")}
    cols |= _cols(t, "answered", "asa_s", "aht_s", "csat", "fcr", "resolved_rate", "complaints",
                  "complaint_rate", "closed_3d_rate", df=df)  # fmt: skip
    return Table(df, cols)


def _agent_table(rows: pd.DataFrame, roster: pd.DataFrame, t: Callable[..., str]) -> Table:
    names = roster.drop_duplicates("agent_id", keep="last").set_index("agent_id")
    df = rows[rows["key"] != kp.NO_AGENT]
    df = df.assign(
        agent_id=df["key"],
        name=df["key"].map(names["name"]).fillna(""),
        team=df["key"]
        .map(names["team"])
        .map(lambda v: key_words(kp.UNASSIGNED, t) if pd.isna(v) else str(v)),
    ).sort_values(["team", "agent_id"], kind="stable")
    cols: dict[str, Col | str] = {"agent_id": t("agent_id"), "name": t("name"), "team": t("team")}
    cols |= _cols(t, "answered", "asa_s", "aht_s", "csat", "fcr", "resolved_rate", "complaints",
                  "complaint_rate", "closed_3d_rate", df=df)  # fmt: skip
    return Table(df, cols)


def _count_table(df: pd.DataFrame, col: str, t: Callable[..., str]) -> Table:
    total = df["received"].sum()
    shown = df.sort_values("received", ascending=False, kind="stable").assign(
        label=lambda f: f[col].map(lambda k: key_words(k, t)),
        share=lambda f: f["received"] / total if total else float("nan"),
    )
    cols: dict[str, Col | str] = {
        "label": t(col),
        "received": Col(t("complaints"), fmt.num, numeric=True),
        "share": Col(t("share"), fmt.pct, numeric=True),
        "closed_in_3d": Col(t("closed_3d"), fmt.num, numeric=True),
        "open": Col(t("open"), fmt.num, numeric=True),
    }
    return Table(shown, cols)


def week_label(start: pd.Timestamp, t: Callable[..., str]) -> str:
    """A week in words: 10-26 至 11-01 (Monday to Sunday)."""
    end = start + pd.Timedelta(days=6)
    return t("week_of", start=f"{start:%m-%d}", end=f"{end:%m-%d}")


def _weekly_table(weekly: pd.DataFrame, t: Callable[..., str]) -> Table:
    df = weekly.assign(label=[week_label(pd.Timestamp(s), t) for s in weekly["week_start"]])
    cols: dict[str, Col | str] = {
        "week": t("week"),
        "label": t("date"),
        "received": Col(t("complaints"), fmt.num, numeric=True),
        "closed_in_3d": Col(t("closed_3d"), fmt.num, numeric=True),
        "open": Col(t("open"), fmt.num, numeric=True),
    }
    return Table(df, cols)


def _overdue_table(df: pd.DataFrame, t: Callable[..., str]) -> Table:
    shown = df.assign(
        received_text=df["received"].dt.strftime("%Y-%m-%d %H:%M"),
        agent=df["agent_id"].map(lambda a: key_words(a, t) if pd.notna(a) else ""),
    )
    cols: dict[str, Col | str] = {
        "complaint_id": t("complaint_id"),
        "received_text": t("received"),
        "channel": t("channel"),
        "type": t("type"),
        "agent": t("agent_id"),
        "owner": t("owner"),
        "days_open": Col(t("days_open"), lambda v: fmt.num(v, decimals=1), numeric=True),
    }
    return Table(shown, cols, row_tone=lambda _r: "over")


def _assumptions_table(rules: Mapping[str, Any], t: Callable[..., str]) -> Table:
    keys = ("short_abandon_s", "service_level_s", "service_level_variant", "fcr_days",
            "satisfied_min", "rating_scale", "closed_within_days", "interval_min")  # fmt: skip

    def shown(key: str) -> str:
        value = rules[key]
        return t(f"variant_{value}") if key == "service_level_variant" else str(value)

    rows = [{"parameter": t(f"cfg_{k}"), "value": shown(k)} for k in keys if k in rules]
    return Table(pd.DataFrame(rows), {"parameter": t("parameter"), "value": t("setting")})


def profile(intervals: pd.DataFrame) -> pd.DataFrame:
    """Mean per interval start over the days of the month: offered, answered and (where the
    intervals have them) agents required and logged in. Queues are added up first."""
    cols = [c for c in ("required_agents", "agents_logged_in") if c in intervals]
    day = intervals.groupby(["date", "interval_start"], as_index=False)[
        ["offered", "answered", *cols]
    ].sum(min_count=1)
    out = day.groupby("interval_start", as_index=False).agg(
        mean_offered=("offered", "mean"),
        mean_answered=("answered", "mean"),
        **{c: (c, "mean") for c in cols},
    )
    return out.sort_values("interval_start", ignore_index=True)


# --- the data --------------------------------------------------------------------------------


def _month_bounds(period: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    start = pd.Timestamp(f"{period}-01")
    return start, start + pd.offsets.MonthBegin(1)


def load(ds: Any, cfg: Mapping[str, Any]) -> tuple[Any, Any] | None:
    """The call log as an Ibis table in the configured engine (None without call logs)."""
    parts = tuple(getattr(ds, "calls", ()) or ())
    if not parts:
        return None
    from analysis.io import engine

    con = engine.connect(cfg)
    return con, engine.calls_table(con, parts)


def periods(calls: Any) -> list[str]:
    """The months the call log covers ("YYYY-MM"), oldest first."""
    months = calls.select(y=calls.start.year(), m=calls.start.month()).distinct().execute()
    return sorted(f"{int(y)}-{int(m):02d}" for y, m in zip(months["y"], months["m"], strict=True))


def call_months(ds: Any, cfg: Mapping[str, Any] | None = None) -> list[str]:
    """The months a dataset's call logs cover: the loader's record when it keeps one
    (``ds.periods["calls"]``), else asked of the engine; [] without call logs."""
    known = (getattr(ds, "periods", None) or {}).get("calls")
    if known:
        return sorted(known)
    if cfg is None:
        from analysis.config import load_config, load_defaults

        folder = getattr(ds, "data_dir", None)
        cfg = load_config(folder) if folder else load_defaults()
    loaded = load(ds, cfg)
    return periods(loaded[1]) if loaded else []


def _roster(ds: Any) -> pd.DataFrame:
    roster = getattr(ds, "roster", None)
    if roster is None or roster.empty:
        return pd.DataFrame({"agent_id": pd.Series(dtype=object), "team": pd.Series(dtype=object),
                             "name": pd.Series(dtype=object)})  # fmt: skip
    return roster


def _complaints(ds: Any) -> pd.DataFrame | None:
    """The complaint records; a blank agent is no agent (null), so it groups with the
    complaints that name none instead of forming an agent of its own."""
    c = getattr(ds, "complaints", None)
    if c is None or not len(c):
        return None
    agent = c["agent_id"].astype("string").str.strip()
    return c.assign(agent_id=agent.where(agent.ne(""), pd.NA))


def _staffing(calls: Any, cfg: Mapping[str, Any]) -> pd.DataFrame:
    """The period's intervals with agents required (Erlang A where the logs give caller patience,
    else Erlang C) and agents logged in, from the staffing feed
    (:func:`analysis.service.staffing_feed.intervals_with_staffing`). Without login data the
    feed counts the agents answering calls (a lower bound, ``logged_in_source``)."""
    from analysis.service import staffing_feed as feed

    rows, _facts = feed.intervals_with_staffing(calls, cfg)
    return rows.assign(date=pd.to_datetime(rows["date"]))


def overdue_complaints(complaints: pd.DataFrame | None, period: str, rules: Mapping[str, Any]):
    """The period's complaints still open once the closing limit has passed (the rule of
    :func:`analysis.service.kpis` — open, and not *pending* — applied per record)."""
    cols = ["complaint_id", "received", "channel", "type", "agent_id", "owner", "days_open"]
    if complaints is None or complaints.empty:
        return pd.DataFrame(columns=cols)
    r = kp.service_rules(rules)
    j = kp.judged(complaints, r)
    late = j[(j["period"] == period) & (j["open"] == 1) & (j["pending"] == 0)]
    horizon = r.get("as_of") or max(j["received"].max(), j["closed"].max())
    days = (pd.Timestamp(horizon) - late["received"]) / pd.Timedelta(days=1)
    return late.assign(days_open=days)[cols].sort_values("received", ignore_index=True)


def off_roster_note(agents: pd.DataFrame, roster: pd.DataFrame, t: Callable) -> str:
    """Agents of the month's calls not on the roster (a roster given): their calls count under
    "(unassigned)" in the team table, so a team's figures leave them out; said with the first
    few IDs, since an ID written another way (0101 vs KF0101) is the usual cause."""
    if roster is None or roster.empty or agents.empty:
        return ""
    known = set(roster["agent_id"].dropna().astype("str"))
    ids = [k for k in agents["key"].astype("str") if k != kp.NO_AGENT and k not in known]
    if not ids:
        return ""
    calls = int(agents.loc[agents["key"].astype("str").isin(ids), "answered"].sum())
    return t("off_roster_note", n=len(ids), calls=fmt.num(calls), ids=", ".join(sorted(ids)[:5]))


def pending_note(
    complaints: pd.DataFrame | None, period: str, rules: Mapping[str, Any], t: Callable
) -> str:
    """Why "closed within 3 days" may leave complaints out: the period's records still open but
    younger than the limit at the records' horizon are not judged yet (a rate of 100 % with
    two complaints open and unjudged would read as all closed)."""
    if complaints is None or complaints.empty:
        return ""
    r = kp.service_rules(rules)
    j = kp.judged(complaints, r)
    mine = j[j["period"] == period]
    n = int(mine["pending"].sum())
    if not n:
        return ""
    horizon = r.get("as_of") or max(j["received"].max(), j["closed"].max())
    return t(
        "pending_note",
        n=n,
        judged=len(mine) - n,
        days=fmt.num(r["closed_within_days"]),
        horizon=f"{pd.Timestamp(horizon):%Y-%m-%d %H:%M}",
    )


def build(
    ds: Any, cfg: Mapping[str, Any] | None = None, period: str = "", lang: str = "zh"
) -> ServiceView:
    """Everything 服务质量月报 shows for a loaded dataset; no ``cfg`` means the defaults."""
    from analysis.config import load_defaults

    fmt.use_lang(lang)
    cfg = load_defaults() if cfg is None else cfg
    t = words(lang, "service")
    rules = kp.service_rules(cfg)
    loaded = load(ds, cfg)
    months = periods(loaded[1]) if loaded else []
    acd_months = sorted((getattr(ds, "periods", None) or {}).get("acd", []))
    fallback = getattr(ds, "latest_period", "") or (acd_months[-1] if acd_months else "")
    period = period or (months[-1] if months else fallback)
    title = f"{t('title')} · {period}" if period else t("title")
    view = ServiceView(lang, period, title, t, rules=rules, targets=dict(rules["targets"]))
    _acd_section(view, getattr(ds, "acd", None))
    if loaded is None or period not in months:
        view.notes.append(t("no_data", period=period or "—"))
        return view
    _, calls = loaded
    complaints = _complaints(ds)
    roster = _roster(ds)
    all_kpis = kp.kpis(calls, complaints, roster[["agent_id", "team"]], cfg)
    if all_kpis[(all_kpis["period"] == period) & (all_kpis["level"] == kp.ALL)].empty:
        # The month's calls are all outbound: the KPIs (inbound only) have nothing to measure.
        view.notes.append(t("no_inbound", period=period))
        return view
    view.kpis = all_kpis[all_kpis["period"] <= period].reset_index(drop=True)
    start, end = _month_bounds(period)
    month_calls = calls.filter(
        (calls.start >= start.to_pydatetime()) & (calls.start < end.to_pydatetime())
    )
    view.intervals = _staffing(month_calls, cfg)[INTERVAL_EXPORT]
    view.profile = profile(view.intervals)
    sources = set(view.intervals["logged_in_source"].dropna())
    view.answering_only = "answering" in sources and "login" not in sources
    methods = set(view.intervals["required_method"].dropna()) - {""}
    view.required_methods = tuple(sorted(methods))
    _fill(view, roster, complaints, t)
    _forecast_section(view, calls.filter(calls.start < end.to_pydatetime()), cfg)
    return view


def _acd_section(view: ServiceView, acd: pd.DataFrame | None) -> None:
    """The switch's per-agent summary for the period: hours and occupancy per agent, and the
    check that every row's calls are its inbound plus outbound, said when it holds too."""
    if acd is None or acd.empty or not view.period:
        return
    summary = acd_mod.summary(acd, view.period)
    if summary.empty:
        return
    t = view.t
    view.acd = summary
    n, ok = acd_mod.calls_add_up(acd, view.period)
    view.acd_lines.append(
        t("acd_lines", agents=fmt.num(len(summary)), calls=fmt.num(summary["calls"].sum()))
    )
    if n:
        view.acd_lines.append(t("acd_check_ok" if ok == n else "acd_check_bad", n=fmt.num(n),
                                ok=fmt.num(ok), bad=fmt.num(n - ok)))  # fmt: skip
    hours = {c: c.replace("_s", "_h") for c in ("login_s", "talk_s", "pause_s", "wait_s", "wrap_s")}
    df = summary.assign(**{h: summary[c] / 3600.0 for c, h in hours.items()})

    def one(v: Any) -> str:
        return "—" if pd.isna(v) else f"{float(v):,.1f}"

    cols: dict[str, Col | str] = {"agent_id": t("agent_id"), "name": t("name"),
                                  "days": Col(t("acd_days"), fmt.num, numeric=True)}  # fmt: skip
    cols |= {c: Col(t(f"acd_{c}"), fmt.num, numeric=True) for c in ("calls", "inbound", "outbound")}
    cols |= {h: Col(t(f"acd_{h}"), one, numeric=True) for h in hours.values()}
    cols["occupancy"] = Col(t("acd_occupancy"), lambda v: value_text("csat", v), numeric=True)
    view.acd_table = Table(df, cols)


def queue_checks(queues: pd.DataFrame, rules: Mapping[str, Any]) -> pd.DataFrame:
    """:func:`target_check` per queue row (``key`` added), for the KPIs a queue is judged on."""
    frames = [
        kp.target_check(queues.iloc[[i]].drop(columns="level"), rules).assign(key=key)
        for i, key in enumerate(queues["key"])
    ]
    if not frames:
        return pd.DataFrame(columns=["period", "kpi", "value", "target", "op", "met", "key"])
    out = pd.concat(frames, ignore_index=True)
    return out[out["kpi"].isin(QUEUE_TARGETS)].reset_index(drop=True)


def _fill(
    view: ServiceView, roster: pd.DataFrame, complaints: pd.DataFrame | None, t: Callable
) -> None:
    """The tables, tiles and verdict from the view's frames (kept apart for the tests)."""
    period, k = view.period, view.kpis
    view.has_data = True
    allk = k[k["level"] == kp.ALL]
    view.checks = kp.target_check(allk, view.rules)
    month = k[k["period"] == period]
    row = month[month["level"] == kp.ALL].iloc[0].to_dict()
    queues = month[month["level"] == "queue"]
    qchecks = queue_checks(queues, view.rules)
    view.overdue = overdue_complaints(complaints, period, view.rules)
    checks = view.checks[view.checks["period"] == period]
    view.verdict = verdict(checks, qchecks, view.overdue, t)
    view.tiles = _tiles(row, checks, t)
    view.trend = allk.tail(TREND_MONTHS).reset_index(drop=True)
    view.trend_table = _trend_table(view.trend, view.checks, t)
    view.queue_table = _queue_table(queues, qchecks, t)
    view.team_table = _team_table(month[month["level"] == "team"], t)
    view.agent_table = _agent_table(month[month["level"] == "agent"], roster, t)
    if complaints is not None:
        received = pd.to_datetime(complaints["received"])
        in_month = complaints[received.dt.strftime("%Y-%m").eq(period).fillna(False)]
        if len(in_month):
            view.complaint_stats = kp.complaint_stats(in_month, view.rules)
    if view.complaint_stats:
        s = view.complaint_stats
        view.type_table = _count_table(s["by_type"], "type", t)
        view.channel_table = _count_table(s["by_channel"], "channel", t)
        view.weekly_table = _weekly_table(s["weekly"], t)
        view.week_labels = [week_label(pd.Timestamp(w), t) for w in s["weekly"]["week_start"]]
    else:
        view.notes.append(t("no_complaints"))
    if row["answered"] > 0 and pd.isna(row["fcr"]):  # a blank tile says why
        view.notes.append(t("no_caller_id"))
    if len(view.overdue):
        view.overdue_table = _overdue_table(view.overdue, t)
    note = pending_note(complaints, period, view.rules, t)
    if note:
        view.notes.append(note)
    note = off_roster_note(month[month["level"] == "agent"], roster, t)
    if note:
        view.notes.append(note)
    view.assumptions_table = _assumptions_table(view.rules, t)


# --- 下月话务预测 ------------------------------------------------------------------------------

#: The daily forecast table's columns.
FC_DAILY_COLUMNS = ["date", "weekday", "forecast", "calls", "peak_agents", "peak_at",
                    "agent_hours"]  # fmt: skip
#: Day types of the forecast's intraday profile (Monday = 0).
DAY_TYPES = {"weekday": range(0, 5), "weekend": range(5, 7)}


def reason_text(err: Exception, lang: str) -> str:
    """The language's half of a bilingual error message ("中文 / English")."""
    zh, sep, en = str(err).partition(" / ")
    return (en if lang == "en" else zh) if sep else str(err)


def forecast_daily(fc: pd.DataFrame, month: str, interval_min: float) -> pd.DataFrame:
    """Per day of ``month`` (every day, 0 where the baseline weeks had no call on that weekday):
    calls forecast, calls to staff, the peak of required agents and its interval, agent-hours on
    the phones (Σ required agents × interval length)."""
    start = pd.Timestamp(f"{month}-01")
    days = pd.DataFrame({"date": pd.date_range(start, start + pd.offsets.MonthEnd(0), freq="D")})
    f = fc.assign(_hours=fc["required_agents"] * interval_min / 60.0)
    g = f.groupby("date", as_index=False).agg(
        forecast=("forecast", "sum"), calls=("calls", "sum"), agent_hours=("_hours", "sum")
    )
    peak = f.sort_values(["date", "required_agents", "interval_start"],
                         ascending=[True, False, True], kind="stable").drop_duplicates("date")  # fmt: skip
    peak = peak[["date", "required_agents", "interval_start"]].rename(
        columns={"required_agents": "peak_agents", "interval_start": "peak_at"}
    )
    out = days.merge(g, on="date", how="left").merge(peak, on="date", how="left")
    out = out.fillna({"forecast": 0.0, "calls": 0.0, "agent_hours": 0.0, "peak_agents": 0.0})
    return out.assign(weekday=out["date"].dt.day_of_week, peak_at=out["peak_at"].fillna(""))[
        FC_DAILY_COLUMNS
    ]


def forecast_profile(fc: pd.DataFrame, month: str) -> pd.DataFrame:
    """Mean forecast calls and required agents per interval start, over the weekdays and over the
    weekend days of ``month`` (a day of the type without a forecast row counts as 0)."""
    start = pd.Timestamp(f"{month}-01")
    days = pd.date_range(start, start + pd.offsets.MonthEnd(0), freq="D")
    rows = []
    for kind, wds in DAY_TYPES.items():
        n = int(sum(d.day_of_week in wds for d in days))
        part = fc.loc[fc["date"].dt.day_of_week.isin(list(wds))]
        if not n or part.empty:
            continue
        g = part.groupby("interval_start", as_index=False)[["forecast", "required_agents"]].sum()
        rows.append(g.assign(day_type=kind, forecast=g["forecast"] / n,
                             required_agents=g["required_agents"] / n))  # fmt: skip
    if not rows:
        return pd.DataFrame(columns=["day_type", "interval_start", "forecast", "required_agents"])
    out = pd.concat(rows, ignore_index=True)
    return out[["day_type", "interval_start", "forecast", "required_agents"]]


def _fc_table(daily: pd.DataFrame, t: Callable[..., str]) -> Table:
    df = daily.assign(
        day=daily["date"].dt.strftime("%m-%d"),
        wd=daily["weekday"].map(lambda d: t(f"wd_{d}")),
    )
    one = lambda v: fmt.num(v, decimals=1)  # noqa: E731
    cols: dict[str, Col | str] = {
        "day": t("date"),
        "wd": t("weekday"),
        "forecast": Col(t("fc_offered"), one, numeric=True),
        "calls": Col(t("fc_calls"), one, numeric=True),
        "peak_agents": Col(t("fc_peak_agents"), fmt.num, numeric=True),
        "peak_at": t("fc_peak_at"),
        "agent_hours": Col(t("fc_agent_hours"), one, numeric=True),
    }
    return Table(df, cols)


def _bt_table(by_day: pd.DataFrame, t: Callable[..., str]) -> Table:
    df = by_day.assign(
        day=by_day["date"].dt.strftime("%m-%d"),
        wd=by_day["date"].dt.day_of_week.map(lambda d: t(f"wd_{d}")),
        diff=by_day["forecast"] - by_day["actual"],
    )
    one = lambda v: fmt.num(v, decimals=1)  # noqa: E731
    cols: dict[str, Col | str] = {
        "day": t("date"),
        "wd": t("weekday"),
        "actual": Col(t("actual"), fmt.num, numeric=True),
        "forecast": Col(t("forecast"), one, numeric=True),
        "diff": Col(t("bt_diff"), lambda v: fmt.num(v, decimals=1), numeric=True),
        "abs_error": Col(t("abs_error"), one, numeric=True),
        "wape": Col(t("wape"), fmt.pct, numeric=True),
    }
    return Table(df, cols)


def _forecast_section(view: ServiceView, history: Any, cfg: Mapping[str, Any]) -> None:
    """Fill the forecast of the month after the period and the backtest of the period, from the
    call log up to the period's end (a later month in the logs is not used: the page forecasts as
    of the month it reports). A :class:`ForecastError` becomes a sentence, never a failed page."""
    from analysis.service import forecast as fcm
    from analysis.service import staffing_feed as feed

    t, lang, period = view.t, view.lang, view.period
    weeks = fcm.rules(cfg)["weeks"]
    minutes = int(view.rules["interval_min"])
    hist = kp.intervals(history, cfg)
    facts = feed.interval_facts(history, cfg)
    view.fc_month = (pd.Timestamp(f"{period}-01") + pd.offsets.MonthBegin(1)).strftime("%Y-%m")
    try:
        fc = fcm.staffed_forecast(hist, view.fc_month, cfg, facts)
    except fcm.ForecastError as err:
        view.fc_lines.append(
            t("fc_unavailable", month=view.fc_month, reason=reason_text(err, lang))
        )
    else:
        mondays = fcm.baseline_weeks(hist, view.fc_month, weeks)
        first, last = fcm.weeks_span(mondays)
        view.fc_lines.append(t("fc_baseline", month=view.fc_month, minutes=minutes,
                               n=len(mondays), first=first, last=last))  # fmt: skip
        if len(mondays) < weeks:
            view.fc_lines.append(t("fc_fewer", used=len(mondays), weeks=weeks))
        view.forecast = fc
        view.fc_daily = forecast_daily(fc, view.fc_month, minutes)
        view.fc_profile = forecast_profile(fc, view.fc_month)
        view.fc_table = _fc_table(view.fc_daily, t)
        view.fc_methods = tuple(sorted(set(fc["required_method"].dropna())))
        d = view.fc_daily
        top = fc.sort_values(["required_agents", "date", "interval_start"],
                             ascending=[False, True, True], kind="stable")  # fmt: skip
        when = f"{top['date'].iloc[0]:%m-%d} {top['interval_start'].iloc[0]}" if len(top) else "—"
        view.fc_lines.append(t("fc_summary", month=view.fc_month, total=fmt.num(d["forecast"].sum()),
                               mean=fmt.num(d["forecast"].mean(), decimals=1),
                               peak=fmt.num(fc["required_agents"].max()), when=when))  # fmt: skip
        p = cfg.get("staffing", {})
        view.fc_lines.append(t("fc_staffing",
                               methods=t("list_sep").join(t(m) for m in view.fc_methods),
                               short=view.rules["short_abandon_s"], aht=fmt.num(p.get("aht_s")),
                               answer_s=fmt.num(p.get("answer_s")),
                               sl=fmt.pct(p.get("service_level"), decimals=0)))  # fmt: skip
    _backtest_section(view, hist, weeks)


def _backtest_section(view: ServiceView, hist: pd.DataFrame, weeks: int) -> None:
    from analysis.service import forecast as fcm

    t, lang, period = view.t, view.lang, view.period
    start, end = _month_bounds(period)
    dates = pd.to_datetime(hist["date"])
    if len(dates) and dates.max() < end - pd.Timedelta(days=1):
        view.bt_lines.append(t("bt_incomplete", month=period, last=f"{dates.max():%Y-%m-%d}"))
        return
    try:
        bt = fcm.backtest(hist, period, weeks)
    except fcm.ForecastError as err:
        view.bt_lines.append(t("bt_unavailable", month=period, reason=reason_text(err, lang)))
        return
    view.backtest = bt
    mondays = fcm.baseline_weeks(hist, period, weeks)
    first, last = fcm.weeks_span(mondays)
    o = bt.overall
    view.bt_lines.append(t("bt_line", wape=fmt.pct(o["wape"]), mape=fmt.pct(o["mape"]),
                           month=period, used=bt.weeks_used, first=first, last=last,
                           actual=fmt.num(o["actual"]), forecast=fmt.num(o["forecast"])))  # fmt: skip
    if bt.weeks_used < weeks:
        view.bt_lines.append(t("fc_fewer", used=bt.weeks_used, weeks=weeks))
    view.bt_lines.append(t("bt_explain", n=o["intervals"]))
    view.bt_table = _bt_table(bt.by_day, t)


# --- exports ---------------------------------------------------------------------------------


def write_exports(view: ServiceView, out_dir: str | Path) -> None:
    """``service_kpis.csv`` and ``service_intervals.csv`` (codes, English headers), ``service.xlsx``
    (the page's tables in the run's language) and the tiles for the landing page; nothing
    without ``out_dir`` or without data. Returns None, so a notebook cell echoes no path."""
    if out_dir and view.acd is not None:
        write_csv(view.acd, Path(out_dir) / ACD_CSV)
    if not out_dir or not view.has_data:
        return
    folder, t = Path(out_dir), view.t
    report.save_headlines(folder, "service", view.tiles)
    write_csv(view.kpis, folder / KPIS_CSV)
    write_csv(view.intervals.assign(date=view.intervals["date"].dt.strftime("%Y-%m-%d")),
              folder / INTERVALS_CSV)  # fmt: skip
    if view.forecast is not None:
        fc = view.forecast.assign(date=view.forecast["date"].dt.strftime("%Y-%m-%d"))
        write_csv(fc[FORECAST_EXPORT], folder / FORECAST_CSV)

    def in_words(k: pd.DataFrame) -> pd.DataFrame:
        """Levels and keys in words (the department's key "all" too), as on the page."""
        return k.assign(
            level=k["level"].map(lambda v: t(f"level_{v}")),
            key=k["key"].map(lambda v: t("level_all") if v == kp.ALL else key_words(v, t)),
        )

    month = in_words(view.kpis[view.kpis["period"] == view.period])
    headers = {c: t(c) for c in [*kp.KPI_COLUMNS, *INTERVAL_EXPORT]}
    # Each interval row names its own model (Erlang A or C), so the header names none.
    headers |= {"required_agents": t("agents_required"), "required_method": t("required_method")}
    iv = view.intervals
    intraday = iv.assign(
        date=iv["date"].dt.date,
        required_method=iv["required_method"].map(
            lambda m: t(m) if m in ("erlang_a", "erlang_c") else ""
        ),
        logged_in_source=iv["logged_in_source"].map(
            lambda s: t(f"src_{s}") if s in ("login", "answering", "none") else ""
        ),
    )
    sheets = {t("sec_tiles"): month, t("sec_trend"): in_words(view.trend),
              t("sec_intraday"): intraday}  # fmt: skip
    for key, name in (("by_type", "sec_by_type"), ("by_channel", "sec_by_channel"),
                      ("weekly", "sec_weekly")):  # fmt: skip
        if key in view.complaint_stats:
            stats = view.complaint_stats[key].rename(
                columns={"received": "complaints", "closed_in_3d": "closed_3d"}
            )
            if "week_start" in stats:  # a day, not a midnight timestamp
                stats = stats.assign(week_start=pd.to_datetime(stats["week_start"]).dt.date)
            sheets[t(name)] = stats
    if view.fc_daily is not None:
        sheets[t("sec_forecast")] = view.fc_daily.assign(
            date=view.fc_daily["date"].dt.date, weekday=view.fc_daily["weekday"].map(
                lambda d: t(f"wd_{d}")))  # fmt: skip
    if view.backtest is not None:
        sheets[t("sheet_backtest")] = view.backtest.by_day.assign(
            date=view.backtest.by_day["date"].dt.date
        )
    headers |= {"forecast": t("forecast"), "calls": t("fc_calls"), "weekday": t("weekday"),
                "peak_agents": t("fc_peak_agents"), "peak_at": t("fc_peak_at"),
                "agent_hours": t("fc_agent_hours"), "actual": t("actual"),
                "abs_error": t("abs_error"), "wape": t("wape"), "mape": t("mape"),
                "intervals": t("bt_intervals")}  # fmt: skip
    headers |= {"closed_3d": t("closed_3d"), "open": t("open"), "week": t("week"),
                "week_start": t("date"), "type": t("type"), "channel": t("channel")}  # fmt: skip
    write_xlsx(sheets, folder / XLSX, percent=[*RATES, "wape", "mape"], headers=headers)
