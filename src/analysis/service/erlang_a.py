"""Erlang A (M/M/n+M): staffing when callers hang up, with their patience read from the call log.

Why: Erlang C (:mod:`analysis.staffing`) assumes nobody hangs up, so an interval that is a little
short of agents has a queue without end and the model asks for more agents than a centre with
abandonment needs. Erlang A adds exponential patience (rate θ, mean patience 1/θ): each waiting
caller abandons at rate θ. The logs give θ (:func:`patience_rate`), so the model is fed by the
centre's own callers instead of a guess.

Method (exact, no approximation formula):

- **Steady state** of the birth–death chain on the number of calls in the system, birth rate λ,
  death rate ``k·μ`` for ``k ≤ n`` and ``n·μ + (k−n)·θ`` above. It is computed in log space and
  truncated where the probabilities fall ``e^-50`` below their peak (the tail decays faster
  than geometrically when θ > 0), so it stays finite for thousands of calls per interval.
  An arrival sees the steady state (PASTA): P(wait > 0) = Σ_{k≥n} π_k; the mean queue E[Q]
  gives P(abandon) = θ·E[Q]/λ.
- **Waiting time** of a caller who finds ``j`` callers queued ahead: a phase-type chain that moves
  ``j → j−1`` at rate ``n·μ + j·θ`` (a service ends or someone ahead hangs up), is answered from
  ``0`` at rate ``n·μ`` and abandons at rate θ from every phase. Answered-at-all and the mean
  wait have closed forms (P(answered | j) = nμ / (nμ + (j+1)θ), the product telescopes); the
  probability of being answered *within T seconds* is computed by uniformisation (a Poisson
  mixture of the embedded chain's steps, summed until the Poisson mass left is below 1e-14).

With θ = 0 the model *is* Erlang C, and this module calls :mod:`analysis.staffing` for it rather
than carrying a second implementation. Rates are per second; results are numbers and codes only.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from analysis import staffing as st
from analysis.staffing import StaffingError

#: Tolerance when comparing a computed service level, abandon rate or occupancy with its target.
_EPS = 1e-12
#: States whose probability is this far (in natural log) below the peak are cut off: e^-50 ≈ 2e-22.
_TAIL_LOG = 50.0
#: Queued callers kept in the waiting-time chain: the arrivals' mass beyond is below this.
_QUEUE_TAIL = 1e-16
#: The Poisson weights of the uniformisation are summed until the mass left is below this.
_POISSON_TAIL = 1e-14
#: Guard against a state space no interval needs (an overloaded interval with near-infinite
#: patience): beyond this many states the answer is "use Erlang C", said in words.
MAX_STATES = 2_000_000

#: Service-level definitions (``[service] service_level_variant``), as the model gives them:
#: net / offered: answered within T ÷ calls offered (the model's λ has no short abandons, so the
#: two coincide); answered: answered within T ÷ answered; abandons_in_threshold: (answered within
#: T + abandoned within T) ÷ offered, i.e. a caller who hangs up within T is not held against it.
SL_VARIANTS = ("net", "offered", "answered", "abandons_in_threshold")

#: Levels at which the patience rate was estimated, most specific first (see :func:`pooled_patience`).
PATIENCE_LEVELS = ("interval", "time_of_day", "queue", "all", "none")


@dataclass(frozen=True)
class ErlangAResult:
    """One Erlang A answer for ``agents`` on the phones in one interval.

    Probabilities are per offered call. ``asa_s`` is the mean wait of *answered* calls (NaN when
    nobody can be answered, e.g. 0 agents). ``method`` is "erlang_a", or "erlang_c" when the
    patience rate is 0 (nobody hangs up) and :mod:`analysis.staffing` gave the answer.
    """

    calls: float
    interval_min: float
    aht_s: float
    patience_rate: float
    answer_s: float
    traffic: float
    agents: int
    waiting_probability: float
    abandon_probability: float
    answered_probability: float
    asa_s: float
    service_level: float  # answered within answer_s ÷ offered
    service_level_answered: float  # answered within answer_s ÷ answered
    abandoned_within: float  # abandoned after waiting at most answer_s ÷ offered
    queue_mean: float  # E[callers waiting]
    occupancy: float
    method: str
    states: int

    @property
    def patience_s(self) -> float:
        """Mean patience in seconds (1/θ; infinite when nobody hangs up)."""
        return math.inf if self.patience_rate == 0 else 1 / self.patience_rate

    def sl(self, variant: str = "net") -> float:
        """The service level by ``variant`` (:data:`SL_VARIANTS`)."""
        if variant in ("net", "offered"):
            return self.service_level
        if variant == "answered":
            return self.service_level_answered
        if variant == "abandons_in_threshold":
            return self.service_level + self.abandoned_within
        raise StaffingError(
            f"服务水平口径只能是 {'/'.join(SL_VARIANTS)}，收到 {variant!r} / service level "
            f"variant must be one of {', '.join(SL_VARIANTS)}, got {variant!r}"
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _check(calls: float, interval_min: float, aht_s: float, theta: float, answer_s: float) -> float:
    """Offered load in Erlangs, after refusing inputs no interval can have."""
    if not (theta >= 0 and math.isfinite(theta)):
        raise StaffingError(
            f"放弃率必须 ≥ 0，收到 {theta} / patience rate must be ≥ 0, got {theta}"
        )
    if answer_s < 0:
        raise StaffingError("目标接通时间不能为负 / target answer time must be ≥ 0")
    return st.traffic_erlangs(calls, interval_min, aht_s)


def _stationary(lam: float, mu: float, theta: float, n: int) -> np.ndarray:
    """π_0 … π_K of the M/M/n+M chain (θ > 0), cut where the tail is below e^-50 of the peak."""
    nmu = n * mu
    peak = math.ceil((lam - nmu) / theta) if lam > nmu else 0
    extra = 64
    while True:
        top_k = n + peak + extra
        if top_k > MAX_STATES:
            raise StaffingError(
                f"耐心时间相对排队过长，状态数超过 {MAX_STATES:,}：请用 Erlang C / patience is "
                f"so long for this load that more than {MAX_STATES:,} queue states would be "
                "needed: use Erlang C"
            )
        k = np.arange(1, top_k + 1, dtype=float)
        death = np.where(k <= n, k * mu, nmu + (k - n) * theta)
        logw = np.concatenate(([0.0], np.cumsum(math.log(lam) - np.log(death))))
        top = float(logw.max())
        if logw[-1] < top - _TAIL_LOG and death[-1] > lam:
            break
        extra *= 2
    w = np.exp(logw - top)
    return w / w.sum()


def _within(q: np.ndarray, nmu: float, theta: float, t: float) -> tuple[float, float]:
    """Mass of the queued arrivals (``q[j]``: arrived with ``j`` ahead) answered within ``t``
    seconds, and abandoned within ``t`` seconds, by uniformisation of the waiting-time chain."""
    if t <= 0 or q.sum() == 0:
        return 0.0, 0.0
    tail = np.cumsum(q[::-1])[::-1]  # tail[j] = Σ_{i≥j} q_i
    last = int(np.flatnonzero(tail > _QUEUE_TAIL)[-1]) if (tail > _QUEUE_TAIL).any() else 0
    x = q[: last + 1].astype(float).copy()
    j = np.arange(last + 1, dtype=float)
    advance = nmu + j * theta  # j → j−1 (j = 0: answered)
    out = advance + theta  # plus the caller's own hang-up
    rate = float(out[-1])
    big_l = rate * t
    kmax = int(big_l + 12 * math.sqrt(big_l) + 40)
    ks = np.arange(kmax + 1, dtype=float)
    logp = -big_l + ks * math.log(big_l) - np.array([math.lgamma(k + 1) for k in ks])
    p = np.exp(logp)
    stay = 1 - out / rate
    move = advance[1:] / rate
    served = abandoned = 0.0
    acc_s = acc_a = 0.0
    left = 1.0
    for k in range(kmax + 1):
        acc_s += p[k] * served
        acc_a += p[k] * abandoned
        left -= p[k]
        if left < _POISSON_TAIL and k > big_l:
            break
        served += x[0] * nmu / rate
        abandoned += x.sum() * theta / rate
        nxt = x * stay
        nxt[:-1] += x[1:] * move
        x = nxt
    return float(acc_s), float(acc_a)


def erlang_a(
    agents: int,
    calls: float,
    interval_min: float,
    aht_s: float,
    patience_rate: float,
    answer_s: float,
) -> ErlangAResult:
    """What ``agents`` on the phones achieve for ``calls`` offered in ``interval_min`` minutes of
    ``aht_s`` seconds each, when waiting callers hang up at ``patience_rate`` per second."""
    if agents < 0 or not float(agents).is_integer():
        raise StaffingError(
            f"座席数必须是 ≥ 0 的整数，收到 {agents} / agents must be a whole number ≥ 0"
        )
    n = int(agents)
    theta = float(patience_rate)
    traffic = _check(calls, interval_min, aht_s, theta, answer_s)
    common = (calls, interval_min, aht_s, theta, answer_s, traffic, n)
    if calls == 0:
        return ErlangAResult(*common, 0.0, 0.0, 1.0, 0.0, 1.0, 1.0, 0.0, 0.0, 0.0, "erlang_a", 1)
    if theta == 0:
        c = st.what_if(n, calls, interval_min, aht_s, answer_s)
        return ErlangAResult(
            *common, c.waiting_probability, 0.0, 1.0, c.asa_s, c.service_level, c.service_level,
            0.0, math.inf if c.overloaded else c.waiting_probability * traffic / (n - traffic),
            c.occupancy, "erlang_c", 0,
        )  # fmt: skip
    lam = calls / (interval_min * 60.0)
    mu = 1.0 / aht_s
    nmu = n * mu
    pi = _stationary(lam, mu, theta, n)
    q = pi[n:]
    j = np.arange(len(q), dtype=float)
    wait = float(q.sum())
    answered_now = float(pi[:n].sum())
    answered_j = nmu / (nmu + (j + 1) * theta)  # P(answered | j ahead): the product telescopes
    mean_j = answered_j * np.cumsum(1 / (nmu + (j + 1) * theta))  # E[wait · 1{answered} | j]
    answered = answered_now + float((q * answered_j).sum())
    within, ab_within = _within(q, nmu, theta, answer_s)
    sl = answered_now + within
    busy = float((np.minimum(np.arange(len(pi)), n) * pi).sum())
    return ErlangAResult(
        *common,
        waiting_probability=wait,
        abandon_probability=1 - answered,
        answered_probability=answered,
        asa_s=float((q * mean_j).sum()) / answered if answered > 0 else math.nan,
        service_level=sl,
        service_level_answered=sl / answered if answered > 0 else math.nan,
        abandoned_within=ab_within,
        queue_mean=float((j * q).sum()),
        occupancy=busy / n if n else 0.0,
        method="erlang_a",
        states=len(pi),
    )


def _meets(
    r: ErlangAResult,
    service_level: float,
    max_abandon: float | None,
    max_occupancy: float,
    variant: str,
) -> bool:
    return (
        r.sl(variant) >= service_level - _EPS
        and (max_abandon is None or r.abandon_probability <= max_abandon + _EPS)
        and r.occupancy <= max_occupancy * (1 + _EPS)
    )


def required_agents_a(
    calls: float,
    interval_min: float,
    aht_s: float,
    patience_rate: float,
    answer_s: float,
    service_level: float,
    *,
    max_abandon: float | None = None,
    max_occupancy: float = 1.0,
    variant: str = "net",
) -> ErlangAResult:
    """The fewest whole agents meeting the service-level target (by ``variant``), and the
    abandon-rate cap ``max_abandon`` and ``max_occupancy`` when given; their Erlang A figures.

    The targets tighten as agents are added never loosen (service level rises, abandonment and
    occupancy fall with n), so a doubling search then bisection finds the smallest n. With
    ``patience_rate`` 0 the count is Erlang C's (:func:`analysis.staffing.required_agents`).
    """
    st.check_rate("service_level", service_level, allow_zero=False, allow_one=False)
    st.check_rate("max_occupancy", max_occupancy, allow_zero=False, allow_one=True)
    if max_abandon is not None:
        st.check_rate("max_abandon", max_abandon, allow_zero=False, allow_one=True)
    theta = float(patience_rate)
    traffic = _check(calls, interval_min, aht_s, theta, answer_s)
    if calls == 0:
        return erlang_a(0, calls, interval_min, aht_s, theta, answer_s)

    seen: dict[int, ErlangAResult | None] = {}

    def ok(n: int) -> bool:
        if n not in seen:
            try:
                seen[n] = erlang_a(n, calls, interval_min, aht_s, theta, answer_s)
            except StaffingError:
                # Only the state-space guard can fire here (inputs were checked above): a queue
                # spread over millions of states means nearly every caller waits for ages,
                # which meets no target; more agents will.
                seen[n] = None
        r = seen[n]
        return r is not None and _meets(r, service_level, max_abandon, max_occupancy, variant)

    if theta == 0 and max_abandon is None and variant in ("net", "offered", "answered"):
        c = st.required_agents(calls, interval_min, aht_s, answer_s, service_level, max_occupancy)
        return erlang_a(int(c.agents), calls, interval_min, aht_s, theta, answer_s)
    n = _search(ok, traffic)
    return seen[n] or erlang_a(n, calls, interval_min, aht_s, theta, answer_s)


def _search(ok: Callable[[int], bool], traffic: float) -> int:
    """The smallest n with ok(n), ok being monotone in n (more agents never miss a target that
    fewer met). It starts at the square-root staffing guess traffic + √traffic, where the
    answer usually is within a step or two, gallops away from it (1, 2, 4 … agents) until the
    answer is bracketed, then bisects: a handful of evaluations per interval."""
    start = max(1, math.ceil(traffic + math.sqrt(traffic)))
    limit = max(64, int(8 * traffic + 100))
    step = 1
    if ok(start):
        lo, hi = start - 1, start  # not known to fail / meets
        while lo >= 0 and ok(lo):
            hi, lo, step = lo, max(lo - step * 2, -1), step * 2
        lo = max(lo, -1)
    else:
        lo, hi = start, min(start + 1, limit)
        while not ok(hi):
            if hi >= limit:
                raise StaffingError("无法求得所需座席数 / no agent count meets the target")
            lo, hi, step = hi, min(hi + step * 2, limit), step * 2
    while hi - lo > 1:  # ok(hi); lo fails (or is -1)
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if ok(mid) else (mid, hi)
    return hi


# ---------------------------------------------------------------------------------------------
# Patience from the logs


def patience_rate(abandoned: float, wait_s: float) -> float:
    """θ̂ = abandoned calls ÷ total seconds waited by all calls (answered and abandoned).

    Why this estimator: with exponential patience, every abandon is an observed patience and
    every answered call's wait a patience known only to be longer (censored); the maximum
    likelihood rate is then events ÷ exposure time. NaN when nobody waited (nothing observed);
    0 when callers waited and nobody hung up.
    """
    if abandoned < 0 or wait_s < 0:
        raise StaffingError("放弃数和等待时长不能为负 / abandons and waiting time must be ≥ 0")
    if wait_s == 0:
        return math.nan
    return float(abandoned) / float(wait_s)


def pooled_patience(facts: pd.DataFrame, min_abandons: int) -> pd.DataFrame:
    """Patience rate per row of ``facts`` (date, interval_start, queue, abandoned, wait_s).

    Rule: an interval's own θ̂ when it has at least ``min_abandons`` abandons; else pooled over
    the same queue and time of day on every date of ``facts`` ("time_of_day"); else over the
    queue ("queue"); else over all rows ("all", used however few abandons it has: it is all the
    evidence there is, and ``patience_abandons`` shows how much). "none" when nobody waited at
    all (θ unknown, Erlang A not computed). Adds ``patience_rate``, ``patience_level``,
    ``patience_abandons`` and ``patience_wait_s``.
    """
    f = facts  # a blank queue groups as its own key (dropna=False below)
    keys = {
        "interval": ["date", "interval_start", "queue"],
        "time_of_day": ["interval_start", "queue"],
        "queue": ["queue"],
    }
    ab = pd.Series(np.nan, index=f.index)
    wt = pd.Series(np.nan, index=f.index)
    level = pd.Series("", index=f.index, dtype="str")
    for name, by in keys.items():
        g_ab = f.groupby(by, dropna=False)["abandoned"].transform("sum")
        g_wt = f.groupby(by, dropna=False)["wait_s"].transform("sum")
        take = (level == "") & (g_ab >= min_abandons) & (g_wt > 0)
        ab, wt = ab.mask(take, g_ab), wt.mask(take, g_wt)
        level = level.mask(take, name)
    total_ab, total_wt = float(f["abandoned"].sum()), float(f["wait_s"].sum())
    rest = level == ""
    if total_wt > 0:
        ab, wt = ab.mask(rest, total_ab), wt.mask(rest, total_wt)
        level = level.mask(rest, "all")
    else:
        level = level.mask(rest, "none")
    return f.assign(
        patience_rate=(ab / wt).where(level != "none"),
        patience_level=level,
        patience_abandons=ab,
        patience_wait_s=wt,
    )


def rules(cfg: Mapping[str, Any]) -> dict[str, Any]:
    """``[service.erlang_a]`` with its defaults: ``min_abandons`` (20) and ``max_abandon``.

    The abandon cap is ``max_abandon`` when it is above 0, else 1 − ``[service.targets]
    answer_rate`` when that target is set (so Erlang A never recommends a staffing that meets the
    service level by letting more callers hang up than the 接通率 target allows), else no cap.
    """
    svc = cfg.get("service", {})
    s = dict(svc.get("erlang_a", {}))
    cap = float(s.get("max_abandon", 0) or 0)
    target = svc.get("targets", {}).get("answer_rate")
    if cap <= 0 and target is not None:
        cap = 1 - float(target)
    return {"min_abandons": int(s.get("min_abandons", 20)), "max_abandon": cap if cap > 0 else None}
