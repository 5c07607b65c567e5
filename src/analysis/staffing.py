"""Seats and people the centre needs: the seed's own method and Erlang C (座席与人员测算).

Why two methods: the seed documents size the centre from subscribers (one seat per 20,000 users);
workforce tools size it from the calls actually offered per interval with Erlang C. Showing both
side by side lets a manager see how far the rule of thumb is from the queueing answer.

Numerics: Erlang C is computed from the Erlang B recursion ``B(n) = A·B(n-1) / (n + A·B(n-1))``
(no powers, no factorials), which stays finite for thousands of calls per interval. The fractional
mode uses the continuous Erlang B, ``B(x, A) = A^x e^-A / Γ(x+1, A)``, evaluated in log space with
a regularised incomplete gamma, so fractional agent counts of many small queues can be summed.
Rounding that must be exact (``ceil(21 / 0.7) = 30``) goes through :class:`fractions.Fraction`.

All inputs are plain numbers or DataFrames; nothing here reads the user's files and nothing here
speaks a language: results are numbers and stable codes (``ErlangResult.code``, roles, metric
names), and the words for them are in ``catalog/<lang>/staffing.toml``. :func:`estimate` is the
one call for analysts (a volume, a what-if, a volume frame or the seat estimate); its targets
default to ``[staffing]`` in defaults.toml.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd

from analysis.errors import FrameError

#: Tolerance when comparing a computed service level or occupancy with its target: a float
#: that lands 1e-12 under 0.80 because of rounding still meets an 80 % target.
_EPS = 1e-12

#: The keys of :meth:`ErlangResult.to_json` (the CLI's ``--json`` contract).
JSON_KEYS = (
    "agents",
    "agents_after_shrinkage",
    "service_level",
    "waiting_probability",
    "asa_s",
    "occupancy",
)

SEAT_ROUNDING = ("ceil", "round", "floor")


class StaffingError(FrameError, ValueError):
    """An input a manager must correct (negative calls, service level of 120 %, …)."""


# ---------------------------------------------------------------------------------------------
# Exact rounding helpers


def _exact(x: float | int | Fraction) -> Fraction:
    """The decimal a person typed, as an exact fraction: 0.7 → 7/10 (not 0.6999999999999999556).

    Why: ``21 / 0.7`` in binary floating point is 30.000000000000004 and ``math.ceil`` of it is 31.
    ``repr`` gives the shortest decimal that round-trips, which is what the user wrote.
    """
    if isinstance(x, Fraction):
        return x
    if isinstance(x, (int, np.integer)):
        return Fraction(int(x))
    return Fraction(repr(float(x)))


def round_exact(x: float | int | Fraction, rule: str = "ceil") -> int:
    """Round ``x`` to a whole number by ``rule``: "ceil", "floor" or "round" (halves go up).

    "round" rounds half up (6.5 → 7), not Python's banker's rounding (round(6.5) == 6).
    """
    q = _exact(x)
    if rule == "ceil":
        return math.ceil(q)
    if rule == "floor":
        return math.floor(q)
    if rule == "round":
        return math.floor(q + Fraction(1, 2))
    raise StaffingError(
        f"取整规则只能是 ceil/round/floor，收到 {rule!r} / rounding must be ceil, round or floor"
    )


def after_shrinkage(agents: float | int, shrinkage: float, *, fractional: bool = False) -> float:
    """Staff to schedule so that ``agents`` are on the phones: agents / (1 − shrinkage).

    Whole people are ``ceil`` of the exact quotient (21 agents at 30 % shrinkage → 30, not 31);
    ``fractional=True`` returns the unrounded quotient for summing across queues.
    """
    check_rate("shrinkage", shrinkage, allow_zero=True, allow_one=False)
    q = _exact(agents) / (1 - _exact(shrinkage))
    return float(q) if fractional else int(math.ceil(q))


# ---------------------------------------------------------------------------------------------
# Seed method


def seats_needed(subscribers: float, subscribers_per_seat: float, rounding: str = "ceil") -> int:
    """Seats by the seed rule: one seat per ``subscribers_per_seat`` users, rounded by ``rounding``.

    130,000 / 20,000 = 6.5: "ceil" → 7 (any started block needs a seat), "round" → 7,
    "floor" → 6 (the seed document's own figure counts full blocks only).
    """
    if subscribers < 0 or subscribers_per_seat <= 0:
        raise StaffingError(
            "用户数不能为负，每座席用户数必须大于 0 / subscribers must be ≥ 0, per seat > 0"
        )
    return round_exact(_exact(subscribers) / _exact(subscribers_per_seat), rounding)


def hours_between(start: str, end: str) -> float:
    """Hours from "HH:MM" to "HH:MM" on the same day ("07:30" → "21:30" = 14.0)."""

    def minutes(hhmm: str) -> int:
        h, m = str(hhmm).strip().split(":")[:2]
        return int(h) * 60 + int(m)

    span = minutes(end) - minutes(start)
    if span <= 0:
        raise StaffingError(
            f"服务时间 {start}–{end} 无效 / service hours {start}–{end} are invalid"
        )
    return span / 60


def people_per_seat(
    seat_hours_per_day: float, working_days_per_month: float, monthly_hours_per_person: float
) -> float:
    """People one seat needs: seat hours a month / hours one person works a month.

    Seed defaults: 14 h × 30 days / 174 h (21.75 days × 8 h) = 2.4138.
    """
    if monthly_hours_per_person <= 0:
        raise StaffingError("每人每月工时必须大于 0 / monthly hours per person must be > 0")
    return seat_hours_per_day * working_days_per_month / monthly_hours_per_person


def section(cfg: Mapping[str, Any]) -> Mapping[str, Any]:
    """Accept either the full merged config or its ``[staffing]`` section."""
    return cfg.get("staffing", cfg)


def seed_method(cfg: Mapping[str, Any], subscribers: float | None = None) -> dict[str, Any]:
    """The seed document's sizing: seats, people per seat, people (exact and whole).

    ``seat_hours_per_day`` wins over ``service_start``/``service_end`` when both are given.
    """
    s = section(cfg)
    subs = s["subscribers"] if subscribers is None else subscribers
    rule = str(s.get("seat_rounding", "ceil"))
    hours = s.get("seat_hours_per_day")
    if hours is None:
        hours = hours_between(s["service_start"], s["service_end"])
    pps = people_per_seat(float(hours), s["working_days_per_month"], s["monthly_hours_per_person"])
    seats = seats_needed(subs, s["subscribers_per_seat"], rule)
    return {
        "subscribers": subs,
        "subscribers_per_seat": s["subscribers_per_seat"],
        "seat_rounding": rule,
        "seats_exact": subs / s["subscribers_per_seat"],
        "seats": seats,
        "seat_hours_per_day": float(hours),
        "working_days_per_month": s["working_days_per_month"],
        "monthly_hours_per_person": s["monthly_hours_per_person"],
        "people_per_seat": pps,
        "people_exact": seats * pps,
        "people": round_exact(
            _exact(seats)
            * _exact(float(hours))
            * _exact(s["working_days_per_month"])
            / _exact(s["monthly_hours_per_person"]),
            "ceil",
        ),
    }


# ---------------------------------------------------------------------------------------------
# Erlang B / C


def check_rate(name: str, v: float, *, allow_zero: bool, allow_one: bool) -> None:
    lo_ok = v >= 0 if allow_zero else v > 0
    hi_ok = v <= 1 if allow_one else v < 1
    if not (lo_ok and hi_ok) or math.isnan(v):
        lo = "[0" if allow_zero else "(0"
        hi = "1]" if allow_one else "1)"
        raise StaffingError(
            f"{name} 必须在 {lo}, {hi} 之间，收到 {v} / {name} must be in {lo}, {hi}"
        )


def traffic_erlangs(calls: float, interval_min: float, aht_s: float) -> float:
    """Offered load in Erlangs: calls × AHT / interval length (100 calls × 180 s / 1,800 s = 10)."""
    if calls < 0:
        raise StaffingError(f"来电量不能为负：{calls} / calls must be ≥ 0")
    if interval_min <= 0 or aht_s <= 0:
        raise StaffingError("时段长度和平均处理时长必须大于 0 / interval and AHT must be > 0")
    return calls * aht_s / (interval_min * 60.0)


def _log_gamma_q(s: float, x: float) -> float:
    """log of the regularised upper incomplete gamma Q(s, x) = Γ(s, x) / Γ(s), for s > 0, x ≥ 0.

    Series for x < s + 1, Lentz continued fraction otherwise (Numerical Recipes §6.2); both
    branches stay accurate where the other would lose digits.
    """
    if x <= 0:
        return 0.0
    log_pre = s * math.log(x) - x - math.lgamma(s)
    if x < s + 1:
        # P(s, x) = e^-x x^s / Γ(s+1) · Σ x^n / ((s+1)…(s+n))
        term = total = 1.0 / s
        ap = s
        for _ in range(100_000):
            ap += 1
            term *= x / ap
            total += term
            if abs(term) < abs(total) * 1e-16:
                break
        p = math.exp(log_pre + math.log(total))
        return math.log1p(-p) if p < 1 else -math.inf
    tiny = 1e-300
    b = x + 1 - s
    c = 1 / tiny
    d = 1 / b
    h = d
    for i in range(1, 100_000):
        an = -i * (i - s)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < 1e-16:
            break
    return log_pre + math.log(h)


def erlang_b(agents: float, traffic: float) -> float:
    """Erlang B blocking probability for ``agents`` servers and ``traffic`` Erlangs.

    Whole ``agents``: the stable recursion. Fractional ``agents``: the continuous extension
    ``A^x e^-A / Γ(x+1, A)`` in log space (equal to the recursion at whole numbers).
    """
    if agents < 0 or traffic < 0:
        raise StaffingError("座席数和话务量不能为负 / agents and traffic must be ≥ 0")
    if traffic == 0:
        return 0.0 if agents > 0 else 1.0
    if float(agents).is_integer():
        b = 1.0
        for n in range(1, int(agents) + 1):
            b = traffic * b / (n + traffic * b)
        return b
    x = float(agents)
    log_upper = _log_gamma_q(x + 1, traffic) + math.lgamma(x + 1)  # log Γ(x+1, A)
    return math.exp(x * math.log(traffic) - traffic - log_upper)


def erlang_c(agents: float, traffic: float) -> float:
    """Probability that a call waits (Erlang C); 1.0 when traffic ≥ agents (the queue never empties)."""
    if agents <= traffic:
        return 1.0
    b = erlang_b(agents, traffic)
    return agents * b / (agents - traffic * (1 - b))


@dataclass(frozen=True)
class ErlangResult:
    """One Erlang C answer: agents and what they achieve.

    ``agents`` are agents on the phones (whole, or fractional in fractional mode);
    ``agents_after_shrinkage`` the staff to schedule for that. ``asa_s`` is ``inf``,
    ``overloaded`` is True and ``code`` is "overloaded" when traffic ≥ agents (callers would wait
    without end); the CLI and the report say so in words from the catalog.
    """

    calls: float
    interval_min: float
    aht_s: float
    answer_s: float
    traffic: float
    agents: float
    agents_after_shrinkage: float
    service_level: float
    waiting_probability: float
    asa_s: float
    occupancy: float
    shrinkage: float
    overloaded: bool
    #: "ok", or "overloaded" (traffic ≥ agents); words for it are in the catalog (staffing.overloaded).
    code: str
    #: The fewest whole agents that keep the queue stable (floor(traffic) + 1; 0 without calls).
    min_agents: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_json(self) -> dict[str, Any]:
        """The six CLI keys; an infinite ASA becomes ``None`` (JSON ``null``), not ``Infinity``."""
        out = {k: getattr(self, k) for k in JSON_KEYS}
        if isinstance(out["asa_s"], float) and not math.isfinite(out["asa_s"]):
            out["asa_s"] = None
        return out


def _metrics(agents: float, traffic: float, aht_s: float, answer_s: float) -> dict[str, Any]:
    if traffic == 0:
        return {
            "service_level": 1.0,
            "waiting_probability": 0.0,
            "asa_s": 0.0,
            "occupancy": 0.0,
            "overloaded": False,
            "code": "ok",
            "min_agents": 0,
        }
    if agents <= traffic:
        return {
            "service_level": 0.0,
            "waiting_probability": 1.0,
            "asa_s": math.inf,
            "occupancy": 1.0,
            "overloaded": True,
            "code": "overloaded",
            "min_agents": math.floor(traffic) + 1,
        }
    pw = erlang_c(agents, traffic)
    return {
        "service_level": 1 - pw * math.exp(-(agents - traffic) * answer_s / aht_s),
        "waiting_probability": pw,
        "asa_s": pw * aht_s / (agents - traffic),
        "occupancy": traffic / agents,
        "overloaded": False,
        "code": "ok",
        "min_agents": math.floor(traffic) + 1,
    }


def _validate(calls: float, interval_min: float, aht_s: float, answer_s: float) -> float:
    if answer_s < 0:
        raise StaffingError("目标接通时间不能为负 / target answer time must be ≥ 0")
    return traffic_erlangs(calls, interval_min, aht_s)


def what_if(
    agents: float,
    calls: float,
    interval_min: float,
    aht_s: float,
    answer_s: float,
    shrinkage: float = 0.0,
) -> ErlangResult:
    """Reverse question: with ``agents`` on the phones, what service level, ASA and occupancy?"""
    if agents < 0:
        raise StaffingError("座席数不能为负 / agents must be ≥ 0")
    traffic = _validate(calls, interval_min, aht_s, answer_s)
    whole = float(agents).is_integer()
    return _result(float(agents) if not whole else int(agents), traffic, shrinkage,
                   (calls, interval_min, aht_s, answer_s), fractional=not whole)  # fmt: skip


def _result(
    agents: float,
    traffic: float,
    shrinkage: float,
    inputs: tuple[float, float, float, float],
    *,
    fractional: bool,
) -> ErlangResult:
    """The answer for ``agents`` on the phones; ``inputs`` = (calls, interval_min, aht_s, answer_s)."""
    calls, interval_min, aht_s, answer_s = inputs
    return ErlangResult(
        calls, interval_min, aht_s, answer_s, traffic, agents,
        after_shrinkage(agents, shrinkage, fractional=fractional),
        shrinkage=shrinkage, **_metrics(float(agents), traffic, aht_s, answer_s),
    )  # fmt: skip


def _solve_fractional(
    traffic: float, aht_s: float, answer_s: float, target: float, max_occupancy: float, hi: float
) -> float:
    """Smallest real agent count x with SL(x) ≥ target and traffic/x ≤ max_occupancy.

    SL rises with x above the traffic, so bisection on (traffic, hi] converges; ``hi`` is the
    whole-number answer, which meets both targets.
    """
    lo = max(traffic, traffic / max_occupancy)
    if _metrics(lo, traffic, aht_s, answer_s)["service_level"] >= target - _EPS and lo > traffic:
        return lo
    for _ in range(200):
        mid = (lo + hi) / 2
        if _metrics(mid, traffic, aht_s, answer_s)["service_level"] >= target - _EPS:
            hi = mid
        else:
            lo = mid
        if hi - lo < 1e-9:
            break
    return hi


def _search(
    traffic: np.ndarray,
    aht_s: np.ndarray,
    answer_s: float,
    service_level: float,
    max_occupancy: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Whole agents needed per element, and the Erlang C waiting probability at that count."""
    a = np.asarray(traffic, dtype=float)
    aht = np.broadcast_to(np.asarray(aht_s, dtype=float), a.shape)
    result = np.where(a <= 0, 0, -1).astype(np.int64)
    pw_found = np.zeros_like(a)
    if a.size == 0:
        return result, pw_found
    b = np.ones_like(a)
    top = float(np.nanmax(a))
    limit = int(top / max_occupancy + 50 * math.sqrt(top + 1) + 100)
    n = 0
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        while (result < 0).any():
            n += 1
            if n > limit:
                raise StaffingError("无法求得所需座席数 / no agent count meets the target")
            b = a * b / (n + a * b)
            stable = n > a
            pw = np.where(stable, n * b / (n - a * (1 - b)), 1.0)
            sl = np.where(stable, 1 - pw * np.exp(-(n - a) * answer_s / aht), 0.0)
            ok = (
                stable
                & (sl >= service_level - _EPS)
                & (a <= max_occupancy * n * (1 + _EPS))
                & (result < 0)
            )
            result = np.where(ok, n, result)
            pw_found = np.where(ok, pw, pw_found)
    return result, pw_found


def required_agents_array(
    traffic: np.ndarray,
    aht_s: np.ndarray,
    answer_s: float,
    service_level: float,
    max_occupancy: float = 1.0,
) -> np.ndarray:
    """Whole agents needed per element of ``traffic`` (vectorised Erlang B recursion).

    Why vectorised: a plan has hundreds of intervals; the recursion steps n = 1, 2, … once for
    all of them together and each element keeps the first n that meets both targets
    (SL ≥ target and occupancy ≤ max). Zero traffic needs zero agents.
    """
    return _search(traffic, aht_s, answer_s, service_level, max_occupancy)[0]


def required_agents(
    calls: float,
    interval_min: float,
    aht_s: float,
    answer_s: float,
    service_level: float,
    max_occupancy: float = 1.0,
    shrinkage: float = 0.0,
    *,
    fractional: bool = False,
) -> ErlangResult:
    """Agents needed so ``service_level`` of calls are answered within ``answer_s`` seconds.

    Also caps occupancy at ``max_occupancy``. ``fractional=True`` returns the real-valued agent
    count from the continuous Erlang C (no rounding up), for summing many small queues.
    """
    check_rate("service_level", service_level, allow_zero=False, allow_one=False)
    check_rate("max_occupancy", max_occupancy, allow_zero=False, allow_one=True)
    check_rate("shrinkage", shrinkage, allow_zero=True, allow_one=False)
    traffic = _validate(calls, interval_min, aht_s, answer_s)
    whole = int(
        required_agents_array(
            np.array([traffic]), np.array([aht_s]), answer_s, service_level, max_occupancy
        )[0]
    )
    agents: float = whole
    if fractional and traffic > 0:
        agents = _solve_fractional(traffic, aht_s, answer_s, service_level, max_occupancy, whole)
    inputs = (calls, interval_min, aht_s, answer_s)
    return _result(agents, traffic, shrinkage, inputs, fractional=fractional)


# ---------------------------------------------------------------------------------------------
# Per-interval plan

#: One interval of the plan: its volume, the traffic, and the figures of :data:`JSON_KEYS`.
PLAN_COLUMNS = ["day", "interval", "calls", "aht_s", "traffic", *JSON_KEYS]

#: How each day is summed from its intervals (hours are interval counts until scaled).
DAILY_AGG = {
    "calls": ("calls", "sum"), "intervals": ("interval", "size"),
    "peak_agents": ("agents", "max"), "peak_agents_after_shrinkage": ("agents_after_shrinkage", "max"),
    "agent_hours": ("agents", "sum"), "staff_hours": ("agents_after_shrinkage", "sum"),
}  # fmt: skip

DAILY_COLUMNS = [
    "day",
    "calls",
    "intervals",
    "peak_agents",
    "peak_agents_after_shrinkage",
    "peak_interval",
    "agent_hours",
    "staff_hours",
]


def select_period(volumes: pd.DataFrame, period: str = "") -> tuple[pd.DataFrame, str]:
    """The volume rows to plan for ``period`` ("YYYY-MM") and the label of what was chosen.

    Dated rows ("2026-10-08") of that month when there are any; else the latest month the table
    has; a table by weekday ("周一") is used whole and labelled "".
    """
    days = volumes["day"].astype(str).str.strip()
    months = days.str.extract(r"^(\d{4}-\d{2})-\d{2}", expand=False)
    if months.isna().all():
        return volumes, ""
    chosen = period if period and (months == period).any() else str(months.dropna().max())
    return volumes.loc[months == chosen], chosen


def erlang_params(cfg: Mapping[str, Any], **overrides: Any) -> dict[str, float]:
    """The Erlang inputs of the plan from ``[staffing]`` (keyword overrides win)."""
    s = section(cfg)
    keys = ("interval_min", "aht_s", "answer_s", "service_level", "max_occupancy", "shrinkage")
    out = {k: float(s[k]) for k in keys}
    out.update({k: float(v) for k, v in overrides.items() if v is not None})
    return out


def interval_plan(volumes: pd.DataFrame, cfg: Mapping[str, Any], **overrides: Any) -> pd.DataFrame:
    """Required agents per interval from a call-volume table (``schema.STAFFING_COLUMNS``).

    A row without its own ``aht_s`` uses the configured one. Each interval is staffed with whole
    people (agents on the phones, then staff to schedule after shrinkage). Extra columns such as
    ``role`` are kept so plans can be grouped per queue.
    """
    p = erlang_params(cfg, **overrides)
    check_rate("service_level", p["service_level"], allow_zero=False, allow_one=False)
    check_rate("max_occupancy", p["max_occupancy"], allow_zero=False, allow_one=True)
    check_rate("shrinkage", p["shrinkage"], allow_zero=True, allow_one=False)
    extra = [c for c in ("role",) if c in volumes.columns]
    base = (
        volumes.assign(
            calls=lambda d: pd.to_numeric(d["calls"], errors="coerce").fillna(0.0).astype(float),
            aht_s=lambda d: pd.to_numeric(d["aht_s"], errors="coerce") if "aht_s" in d else np.nan,
        )
        .assign(aht_s=lambda d: d["aht_s"].where(d["aht_s"] > 0, p["aht_s"]).astype(float))
        .reset_index(drop=True)
    )
    if (base["calls"] < 0).any():
        raise StaffingError("来电量不能为负 / calls must be ≥ 0")
    aht = base["aht_s"].to_numpy()
    a = base["calls"].to_numpy() * aht / (p["interval_min"] * 60)
    agents, pw = _search(a, aht, p["answer_s"], p["service_level"], p["max_occupancy"])
    n = agents.astype(float)
    # Whole staff after shrinkage: n / (1 − s) rounded up. The quotient of a whole n by a typed
    # decimal is either whole or at least 1/denominator away from one, so a 1e-9 guard removes
    # the floating trap (21 / 0.7 = 30.000000000000004 → 30) without hiding a real fraction.
    scheduled = np.ceil(n / (1 - p["shrinkage"]) - 1e-9).astype(np.int64)
    with np.errstate(divide="ignore", invalid="ignore"):
        sl = np.where(a > 0, 1 - pw * np.exp(-(n - a) * p["answer_s"] / aht), 1.0)
        asa = np.where(a > 0, pw * aht / (n - a), 0.0)
        occ = np.where(n > 0, a / n, 0.0)
    figures = dict(zip(JSON_KEYS, (agents, scheduled, sl, pw, asa, occ), strict=True))
    return base.assign(traffic=a, **figures)[[*PLAN_COLUMNS, *extra]]


def what_if_plan(
    plan: pd.DataFrame, agents: float | pd.Series, cfg: Mapping[str, Any]
) -> pd.DataFrame:
    """The plan's intervals staffed with ``agents`` instead (one number, or one per row): what
    service level, waiting, ASA and occupancy they would give (``overloaded`` where the queue
    never empties). Why: "we have 12 on the phones all day: which half hours fail the target?"
    """
    p = erlang_params(cfg)
    given = pd.Series(agents, index=plan.index) if np.isscalar(agents) else pd.Series(agents)
    rows = [
        what_if(float(n), calls, p["interval_min"], aht, p["answer_s"], p["shrinkage"])
        for n, calls, aht in zip(given, plan["calls"], plan["aht_s"], strict=True)
    ]
    keys = ["agents", "service_level", "waiting_probability", "asa_s", "occupancy", "overloaded"]
    figures = pd.DataFrame([{k: getattr(r, k) for k in keys} for r in rows], index=plan.index)
    return plan[["day", "interval", "calls", "traffic"]].join(figures)


def daily_summary(plan: pd.DataFrame, interval_min: float) -> pd.DataFrame:
    """Per day: calls, peak agents (and when), agent-hours on phones and staff-hours to schedule."""
    hours = interval_min / 60
    if plan.empty:
        return pd.DataFrame(columns=DAILY_COLUMNS)
    peak_idx = plan.groupby("day", sort=False)["agents_after_shrinkage"].idxmax()
    peaks = plan.loc[peak_idx, ["day", "interval"]].rename(columns={"interval": "peak_interval"})
    return (
        plan.groupby("day", sort=False)
        .agg(**DAILY_AGG)
        .reset_index()
        .assign(
            agent_hours=lambda d: d["agent_hours"] * hours,
            staff_hours=lambda d: d["staff_hours"] * hours,
        )
        .merge(peaks, on="day", how="left")[DAILY_COLUMNS]
    )


def _monthly_headcount(staff_hours_per_day: float, cfg: Mapping[str, Any]) -> float:
    """People needed for a month of such days: staff-hours/day × open days / hours per person."""
    s = section(cfg)
    return staff_hours_per_day * s["working_days_per_month"] / s["monthly_hours_per_person"]


def roster_gap(
    plan: pd.DataFrame,
    roster: pd.DataFrame,
    cfg: Mapping[str, Any],
    interval_min: float | None = None,
) -> pd.DataFrame:
    """Headcount needed by Erlang C against the roster, per role (when the plan has ``role``) and in total.

    Needed people = mean daily staff-hours (after shrinkage) × open days a month / hours one
    person works a month; ``needed_peak_day`` uses the busiest day. Available = roster rows that
    are not team leaders (组长 lead, they are not counted on the phones). ``gap`` = available −
    needed: negative means short of people.
    """
    minutes = float(section(cfg)["interval_min"]) if interval_min is None else interval_min
    groups: list[tuple[str, pd.DataFrame]] = []
    if "role" in plan.columns and plan["role"].notna().any():
        groups = [(str(r), g) for r, g in plan.groupby("role", sort=True)]
    groups.append(("total", plan))
    is_leader = roster.get("is_leader", pd.Series(False, index=roster.index))
    agents = roster.loc[~is_leader.fillna(False).astype(bool)]
    rows = []
    for role, g in groups:
        daily = daily_summary(g, minutes)
        avail = agents if role == "total" else agents.loc[agents["role"] == role]
        mean_hours = float(daily["staff_hours"].mean()) if len(daily) else 0.0
        max_hours = float(daily["staff_hours"].max()) if len(daily) else 0.0
        needed = _monthly_headcount(mean_hours, cfg)
        rows.append(
            {
                "role": role,
                "roster_total": int(
                    len(roster) if role == "total" else (roster["role"] == role).sum()
                ),
                "roster_agents": int(len(avail)),
                "peak_agents_after_shrinkage": int(daily["peak_agents_after_shrinkage"].max())
                if len(daily)
                else 0,
                "staff_hours_per_day": mean_hours,
                "needed": needed,
                "needed_people": math.ceil(needed - 1e-9),
                "needed_peak_day": _monthly_headcount(max_hours, cfg),
                "gap": len(avail) - math.ceil(needed - 1e-9),
            }
        )
    return pd.DataFrame(rows)


def method_comparison(
    seed: Mapping[str, Any], plan: pd.DataFrame, cfg: Mapping[str, Any]
) -> pd.DataFrame:
    """The seed method and Erlang C side by side: seats (positions at the peak) and people.

    Seats by Erlang C = the most agents on the phones at once in any interval; people = the
    monthly headcount from mean daily staff-hours (see :func:`roster_gap`).
    """
    s = section(cfg)
    daily = daily_summary(plan, float(s["interval_min"]))
    peak = int(daily["peak_agents"].max()) if len(daily) else 0
    mean_hours = float(daily["staff_hours"].mean()) if len(daily) else 0.0
    needed = _monthly_headcount(mean_hours, cfg)
    return pd.DataFrame(
        {
            "metric": ["seats", "people_per_seat", "people"],
            "seed": [seed["seats"], seed["people_per_seat"], seed["people"]],
            "erlang_c": [peak, needed / peak if peak else np.nan, math.ceil(needed - 1e-9)],
        }
    )


# ---------------------------------------------------------------------------------------------
# The public verb: :func:`estimate` for analysts (inputs checked here, at the boundary)

#: The fields of a call-volume frame and the ``[aliases]`` entries whose header words name them.
VOLUME_FIELDS = {
    "day": ("day", "date", "weekday"),
    "interval": ("interval",),
    "calls": ("calls",),
    "aht_s": ("aht_s",),
    "role": ("role",),
}
#: Rate parameters: (0 allowed, 1 allowed).
_RATES = {
    "service_level": (False, False),
    "max_occupancy": (False, True),
    "shrinkage": (True, False),
}


def _number(name: str, value: Any) -> float:
    """``value`` as a finite number, or a StaffingError naming the parameter."""
    ok = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)
    if not ok or not math.isfinite(float(value)):
        raise StaffingError(
            f"{name} 必须是数字，收到 {value!r} / {name} must be a number, got {value!r}"
        )
    return float(value)


def _rate(name: str, value: Any) -> float:
    """A rate as a fraction; 80 meant as 80 % is refused with the hint, not read as 8,000 %."""
    v = _number(name, value)
    if 1 < v <= 100:
        raise StaffingError(
            f"{name} 是比例（0–1），收到 {v:g}；若指 {v:g}% 请写 {v / 100:g} / {name} is a "
            f"fraction (0–1), got {v:g}; for {v:g}% write {v / 100:g}"
        )
    allow_zero, allow_one = _RATES[name]
    check_rate(name, v, allow_zero=allow_zero, allow_one=allow_one)
    return v


def _header(word: Any) -> str:
    return str(word).strip().casefold()


def volume_frame(volumes: pd.DataFrame, aliases: Mapping[str, Any]) -> pd.DataFrame:
    """A call-volume frame with canonical columns (headers such as 日期/时段/来电量 accepted).

    Refuses, naming the column and row, a frame without day/interval/calls or with calls that are
    not numbers ≥ 0, instead of planning for a volume nobody typed.
    """
    if not isinstance(volumes, pd.DataFrame):
        raise StaffingError(
            f"来电量应为 DataFrame，收到 {type(volumes).__name__} / volumes must be a DataFrame"
        )
    names: dict[str, str] = {}
    for field, keys in VOLUME_FIELDS.items():
        for key in keys:
            for word in (key, *aliases.get(key, ())):
                names.setdefault(_header(word), field)
    rename = {c: names[_header(c)] for c in volumes.columns if _header(c) in names}
    frame = volumes.rename(columns=rename)
    frame = frame.loc[:, ~frame.columns.duplicated()]
    found = ", ".join(map(str, volumes.columns))
    missing = ", ".join(f for f in ("day", "interval", "calls") if f not in frame.columns)
    if missing:
        raise StaffingError(
            f"来电量表缺少列 {missing}（现有列：{found}）/ the volume frame lacks column(s) "
            f"{missing} (columns found: {found})"
        )
    calls = pd.to_numeric(frame["calls"], errors="coerce")
    bad = (calls.isna() & frame["calls"].notna()) | (calls < 0)
    if bad.any():
        at = bad.idxmax()
        value = frame.loc[at, "calls"]
        raise StaffingError(
            f"calls 列索引 {at} 处的值 {value!r} 不是 ≥ 0 的数 / column calls at index {at}: "
            f"{value!r} is not a number ≥ 0"
        )
    return frame.assign(calls=calls.fillna(0.0))


def estimate(
    calls: float | pd.DataFrame | None = None,
    aht_s: float | None = None,
    *,
    service_level: float | None = None,
    answer_s: float | None = None,
    interval_min: float | None = None,
    max_occupancy: float | None = None,
    shrinkage: float | None = None,
    agents: float | None = None,
    subscribers: float | None = None,
    fractional: bool = False,
    config: Mapping[str, Any] | None = None,
) -> ErlangResult | pd.DataFrame | dict[str, Any]:
    """How many agents: Erlang C for a call volume, or the seed method's seats from subscribers.

    - ``estimate(300, 240)``: 300 calls an interval, 240 s each → :class:`ErlangResult`;
    - ``estimate(300, 240, agents=40)``: what 40 agents on the phones achieve (what-if);
    - ``estimate(volumes)``: a frame of day, interval, calls (aht_s, role optional; Chinese
      headers such as 日期/时段/来电量 accepted) → the per-interval plan (:data:`PLAN_COLUMNS`);
    - ``estimate()`` or ``estimate(subscribers=130_000)``: seats and people by the seed method.

    Every target not given comes from ``config`` (the merged rules, or its ``[staffing]``
    section); no config means the shipped defaults, never "no target". Rates are fractions
    (0.8, not 80). Bad input raises :class:`StaffingError` naming the parameter or column.
    """
    from analysis.config import load_defaults

    config = load_defaults() if config is None else config
    cfg = dict(section(config))
    given = {"service_level": service_level, "answer_s": answer_s, "interval_min": interval_min,
             "max_occupancy": max_occupancy, "shrinkage": shrinkage, "aht_s": aht_s}  # fmt: skip
    cfg.update(
        {
            k: _rate(k, v) if k in _RATES else _number(k, v)
            for k, v in given.items()
            if v is not None
        }
    )
    if calls is None:
        subs = cfg["subscribers"] if subscribers is None else _number("subscribers", subscribers)
        return seed_method(cfg, subs)
    if isinstance(calls, pd.DataFrame):
        aliases = config.get("aliases") or load_defaults()["aliases"]
        return interval_plan(volume_frame(calls, aliases), cfg)
    p = erlang_params(cfg)
    common = {"calls": _number("calls", calls), "interval_min": p["interval_min"],
              "aht_s": p["aht_s"], "answer_s": p["answer_s"]}  # fmt: skip
    if agents is not None:
        return what_if(_number("agents", agents), shrinkage=p["shrinkage"], **common)
    return required_agents(service_level=p["service_level"], max_occupancy=p["max_occupancy"],
                           shrinkage=p["shrinkage"], fractional=fractional, **common)  # fmt: skip
