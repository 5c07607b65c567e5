"""service.erlang_a: Erlang A against Erlang C (θ → 0), against closed forms (θ = μ is M/M/∞;
one and two queued callers ahead; nobody on the phones), the two routes to P(abandon), monotone
staffing, and the patience estimator with its pooling rule."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis import staffing as st
from analysis.service import erlang_a as ea
from analysis.staffing import StaffingError

# 100 calls in 30 minutes of 180 s each: 10 Erlangs (the staffing tests' example).
EX = {"calls": 100, "interval_min": 30, "aht_s": 180, "answer_s": 20}
LAM = 100 / 1800  # calls per second


def _poisson(a: float, k: int) -> float:
    return math.exp(-a + k * math.log(a) - math.lgamma(k + 1))


@pytest.mark.parametrize("n", [11, 12, 13, 14])
def test_tiny_patience_rate_tends_to_erlang_c(n: int) -> None:
    a = ea.erlang_a(n, patience_rate=1e-9, **EX)
    c = st.what_if(n, **EX)
    assert a.method == "erlang_a"
    assert a.waiting_probability == pytest.approx(c.waiting_probability, abs=1e-6)
    assert a.service_level == pytest.approx(c.service_level, abs=1e-6)
    assert a.asa_s == pytest.approx(c.asa_s, rel=1e-5)
    assert a.occupancy == pytest.approx(c.occupancy, abs=1e-6)


def test_tiny_patience_rate_reproduces_published_erlang_c() -> None:
    # CRAN package ErlangC 0.1.0 README: 100 calls, 30 min, 180 s, 20 s, 14 agents →
    # wait probability 0.1741319, service level 0.88835, ASA 7.83593701177724 s.
    a = ea.erlang_a(14, patience_rate=1e-10, **EX)
    assert a.waiting_probability == pytest.approx(0.1741319, abs=1e-6)
    assert a.service_level == pytest.approx(0.88835, abs=1e-5)
    assert a.asa_s == pytest.approx(7.83593701177724, abs=1e-4)


def test_zero_patience_rate_is_erlang_c_from_the_staffing_module() -> None:
    a = ea.erlang_a(13, patience_rate=0.0, **EX)
    c = st.what_if(13, **EX)
    assert a.method == "erlang_c" and a.patience_s == math.inf
    assert (a.waiting_probability, a.service_level, a.asa_s, a.occupancy) == (
        c.waiting_probability, c.service_level, c.asa_s, c.occupancy)  # fmt: skip
    assert (a.abandon_probability, a.answered_probability) == (0.0, 1.0)
    assert a.queue_mean == pytest.approx(c.waiting_probability * 10 / 3, rel=1e-12)


def test_patience_equal_to_handle_time_is_the_infinite_server_queue() -> None:
    # θ = μ: every state k leaves at rate k·μ, so the number in the system is Poisson(A) (A = 10).
    n = 12
    a = ea.erlang_a(n, patience_rate=1 / 180, **EX)
    p = [_poisson(10, k) for k in range(200)]
    assert a.waiting_probability == pytest.approx(sum(p[n:]), abs=1e-13)
    queue = sum((k - n) * p[k] for k in range(n + 1, 200))
    assert a.queue_mean == pytest.approx(queue, abs=1e-12)
    assert a.abandon_probability == pytest.approx(queue / 10, abs=1e-13)
    busy = sum(min(k, n) * p[k] for k in range(200))
    assert a.occupancy == pytest.approx(busy / n, abs=1e-13)


@pytest.mark.parametrize(("n", "theta"), [(8, 1 / 60), (11, 1 / 600), (13, 1 / 20), (3, 0.2)])
def test_abandonment_two_ways(n: int, theta: float) -> None:
    # P(abandon) from the waiting-time chain (1 − Σ P(answered | j ahead)) equals θ·E[Q]/λ.
    a = ea.erlang_a(n, patience_rate=theta, **EX)
    assert a.abandon_probability == pytest.approx(theta * a.queue_mean / LAM, rel=1e-10)
    # Occupancy is the carried load: answered calls × AHT ÷ agents.
    assert a.occupancy == pytest.approx(10 * a.answered_probability / n, rel=1e-10)


def test_answered_within_one_and_two_ahead_closed_form() -> None:
    nmu, theta, t = 0.05, 0.01, 20.0
    r0, r1 = nmu + theta, nmu + 2 * theta  # leaving rates with 0 and 1 caller ahead
    served, abandoned = ea._within(np.array([1.0]), nmu, theta, t)
    assert served == pytest.approx(nmu / r0 * (1 - math.exp(-r0 * t)), abs=1e-13)
    assert abandoned == pytest.approx(theta / r0 * (1 - math.exp(-r0 * t)), abs=1e-13)
    # One ahead: advance at r0 (= nμ + θ), then answered at nμ; hypoexponential(r1, r0) in time.
    hypo = 1 - (r0 * math.exp(-r1 * t) - r1 * math.exp(-r0 * t)) / (r0 - r1)
    served, _ = ea._within(np.array([0.0, 1.0]), nmu, theta, t)
    assert served == pytest.approx(nmu / r1 * hypo, abs=1e-13)


def test_nobody_on_the_phones() -> None:
    theta = 1 / 60
    a = ea.erlang_a(0, patience_rate=theta, **EX)
    assert (a.waiting_probability, a.answered_probability, a.service_level) == (1.0, 0.0, 0.0)
    assert a.abandon_probability == 1.0 and math.isnan(a.asa_s)
    assert a.abandoned_within == pytest.approx(1 - math.exp(-theta * 20), abs=1e-13)
    assert a.queue_mean == pytest.approx(LAM / theta, rel=1e-12)  # M/M/∞ of patience
    assert a.sl("abandons_in_threshold") == pytest.approx(1 - math.exp(-theta * 20), abs=1e-13)


def test_threshold_zero_and_infinite() -> None:
    a0 = ea.erlang_a(11, **{**EX, "answer_s": 0}, patience_rate=1 / 60)
    assert a0.service_level == pytest.approx(1 - a0.waiting_probability, abs=1e-15)
    big = ea.erlang_a(11, **{**EX, "answer_s": 5000}, patience_rate=1 / 60)
    assert big.service_level == pytest.approx(big.answered_probability, abs=1e-12)
    assert big.service_level_answered == pytest.approx(1.0, abs=1e-12)
    assert big.abandoned_within == pytest.approx(big.abandon_probability, abs=1e-12)


def test_no_calls() -> None:
    a = ea.erlang_a(3, **{**EX, "calls": 0}, patience_rate=1 / 60)
    assert (a.service_level, a.waiting_probability, a.occupancy) == (1.0, 0.0, 0.0)
    assert ea.required_agents_a(0, 30, 180, 1 / 60, 20, 0.8).agents == 0


def test_monotone_in_agents() -> None:
    runs = [ea.erlang_a(n, patience_rate=1 / 90, **EX) for n in range(1, 25)]
    sl = [r.service_level for r in runs]
    ab = [r.abandon_probability for r in runs]
    asa = [r.asa_s for r in runs]
    occ = [r.occupancy for r in runs]
    assert all(x < y for x, y in zip(sl, sl[1:], strict=False))
    assert all(x > y for x, y in zip(ab, ab[1:], strict=False))
    assert all(x > y for x, y in zip(asa, asa[1:], strict=False))
    assert all(x > y for x, y in zip(occ, occ[1:], strict=False))


def test_near_infinite_patience_sizes_like_erlang_c() -> None:
    # Patience of 30,000 years: below 11 agents the queue would need millions of states; those
    # counts are simply not enough, and the answer is Erlang C's.
    r = ea.required_agents_a(**EX, patience_rate=1e-12, service_level=0.8)
    assert r.agents == 14 and r.method == "erlang_a"
    assert r.service_level == pytest.approx(st.what_if(14, **EX).service_level, abs=1e-9)


def test_more_abandonment_needs_fewer_agents() -> None:
    # 80 % within 20 s. Patience rate 0 (nobody hangs up) gives Erlang C's 14.
    assert st.required_agents(**EX, service_level=0.8).agents == 14
    rates = [0.0, 1e-9, 1 / 600, 1 / 180, 1 / 60, 1 / 20]
    agents = [ea.required_agents_a(**EX, patience_rate=r, service_level=0.8).agents for r in rates]
    assert agents == [14, 14, 13, 12, 12, 11]


@pytest.mark.parametrize("theta", [1 / 600, 1 / 60, 1 / 20])
def test_required_is_the_fewest_that_meet_the_target(theta: float) -> None:
    r = ea.required_agents_a(**EX, patience_rate=theta, service_level=0.8)
    below = ea.erlang_a(r.agents - 1, patience_rate=theta, **EX)
    assert r.service_level >= 0.8 > below.service_level


def test_abandon_cap_and_occupancy_cap() -> None:
    # Patience 20 s: 11 agents reach 80 % in 20 s but lose 13.5 % of callers; 5 % at most needs
    # 14 (13 agents: 6.4 %, 14 agents: 4.1 %).
    free = ea.required_agents_a(**EX, patience_rate=1 / 20, service_level=0.8)
    assert free.agents == 11 and free.abandon_probability == pytest.approx(0.13522, abs=1e-5)
    capped = ea.required_agents_a(**EX, patience_rate=1 / 20, service_level=0.8, max_abandon=0.05)
    assert capped.agents == 14 and capped.abandon_probability == pytest.approx(0.04147, abs=1e-5)
    assert ea.erlang_a(13, patience_rate=1 / 20, **EX).abandon_probability > 0.05
    occ = ea.required_agents_a(**EX, patience_rate=1 / 20, service_level=0.5, max_occupancy=0.7)
    assert occ.occupancy <= 0.7 < ea.erlang_a(occ.agents - 1, patience_rate=1 / 20, **EX).occupancy


def test_variants() -> None:
    a = ea.erlang_a(11, patience_rate=1 / 60, **EX)
    assert a.sl("net") == a.sl("offered") == a.service_level
    assert a.sl("answered") == pytest.approx(a.service_level / a.answered_probability)
    assert a.sl("abandons_in_threshold") == a.service_level + a.abandoned_within
    with pytest.raises(StaffingError, match="variant"):
        a.sl("bogus")


def test_large_centre_stays_finite_and_below_erlang_c() -> None:
    # 10,000 calls in 30 minutes of 300 s (1,667 Erlangs), patience 2 minutes.
    r = ea.required_agents_a(10_000, 30, 300, 1 / 120, 20, 0.8)
    c = st.required_agents(10_000, 30, 300, 20, 0.8)
    below = ea.erlang_a(r.agents - 1, 10_000, 30, 300, 1 / 120, 20)
    assert r.service_level >= 0.8 > below.service_level
    assert r.agents < c.agents and math.isfinite(r.asa_s)
    # Fewer agents than Erlangs: 80 % answered within 20 s while about one caller in nine hangs
    # up (efficiency-driven). The abandon cap is what stops that.
    assert r.agents < 1667 and r.abandon_probability > 0.1
    capped = ea.required_agents_a(10_000, 30, 300, 1 / 120, 20, 0.8, max_abandon=0.02)
    assert r.agents < capped.agents and capped.abandon_probability <= 0.02


def test_refusals() -> None:
    with pytest.raises(StaffingError):
        ea.erlang_a(12, patience_rate=-0.1, **EX)
    with pytest.raises(StaffingError):
        ea.erlang_a(12.5, patience_rate=0.1, **EX)
    with pytest.raises(StaffingError):
        ea.erlang_a(12, **{**EX, "calls": -1}, patience_rate=0.1)
    with pytest.raises(StaffingError):
        ea.required_agents_a(**EX, patience_rate=0.1, service_level=80)
    # Overloaded with patience of 30 years: the state space would be too large; said, not hung.
    with pytest.raises(StaffingError, match="Erlang C"):
        ea.erlang_a(5, patience_rate=1e-9, **EX)


# ---------------------------------------------------------------------------------------------
# Patience from the logs


def test_patience_rate_estimator() -> None:
    assert ea.patience_rate(3, 600.0) == 0.005
    assert ea.patience_rate(0, 600.0) == 0.0
    assert math.isnan(ea.patience_rate(0, 0.0))
    with pytest.raises(StaffingError):
        ea.patience_rate(-1, 10.0)


def test_pooled_patience_levels() -> None:
    facts = pd.DataFrame(
        [
            # date, interval, queue, abandons, seconds waited
            ("2026-10-05", "09:00", "a", 4, 400.0),  # own: 4 ≥ 3 → 4/400
            ("2026-10-06", "09:00", "a", 1, 100.0),  # 09:00 a over dates: 5/500
            ("2026-10-05", "10:00", "a", 1, 300.0),  # 10:00 a: 1 + 1 = 2 < 3 → queue a: 7/1100
            ("2026-10-06", "10:00", "a", 1, 300.0),
            ("2026-10-05", "09:00", "b", 1, 50.0),  # queue b: 1 < 3 → all: 8/1350
            ("2026-10-05", "09:30", None, 0, 200.0),  # no queue: its own key → all
        ],
        columns=["date", "interval_start", "queue", "abandoned", "wait_s"],
    )
    p = ea.pooled_patience(facts, min_abandons=3)
    assert p["patience_level"].tolist() == [
        "interval", "time_of_day", "queue", "queue", "all", "all"]  # fmt: skip
    assert p["patience_rate"].tolist() == [
        4 / 400, 5 / 500, 7 / 1100, 7 / 1100, 8 / 1350, 8 / 1350]  # fmt: skip
    assert p["patience_abandons"].tolist() == [4, 5, 7, 7, 8, 8]
    nobody = ea.pooled_patience(facts.assign(abandoned=0, wait_s=0.0), min_abandons=3)
    assert set(nobody["patience_level"]) == {"none"} and nobody["patience_rate"].isna().all()
    calm = ea.pooled_patience(facts.assign(abandoned=0), min_abandons=3)
    assert set(calm["patience_level"]) == {"all"} and (calm["patience_rate"] == 0).all()


def test_rules_from_config() -> None:
    from analysis.config import load_defaults

    assert ea.rules({"service": {}}) == {"min_abandons": 20, "max_abandon": None}
    assert ea.rules({"service": {"erlang_a": {"max_abandon": 0.05}}})["max_abandon"] == 0.05
    # No own cap: 1 − the answer-rate target (0.9 → 0.1 up to float rounding).
    with_target = {"service": {"erlang_a": {"max_abandon": 0}, "targets": {"answer_rate": 0.9}}}
    assert ea.rules(with_target)["max_abandon"] == pytest.approx(0.1, abs=1e-15)
    own = load_defaults()["service"]["erlang_a"]
    assert (own["min_abandons"], own["max_abandon"]) == (20, 0)


def test_service_level_against_an_independent_closed_form() -> None:
    # The same Erlang A service level by other arithmetic: the stationary distribution by a
    # plain product, and each waiting caller's P(answered within T) as P(answered) × the
    # closed-form hypoexponential CDF 1 − Σ_i Π_{k≠i} r_k / (r_k − r_i) · e^{−r_i T}, evaluated in
    # 80-digit decimals (the alternating sum loses every digit in floats).
    from decimal import Decimal, getcontext

    getcontext().prec = 80
    n, theta_f, t = 11, 1 / 60, Decimal(20)
    lam, mu, theta = Decimal(100) / 1800, Decimal(1) / 180, Decimal(1) / 60
    top = 80  # states beyond carry < 1e-40 here
    w = [Decimal(1)]
    for k in range(1, n + top + 1):
        w.append(w[-1] * lam / (mu * min(k, n) + theta * max(k - n, 0)))
    total = sum(w)
    pi = [x / total for x in w]
    nmu = n * mu
    sl = sum(pi[:n])
    for j in range(top):
        rates = [nmu + (i + 1) * theta for i in range(j + 1)]
        cdf = Decimal(1)
        for i, ri in enumerate(rates):
            coef = Decimal(1)
            for k, rk in enumerate(rates):
                if k != i:
                    coef *= rk / (rk - ri)
            cdf -= coef * (-ri * t).exp()
        sl += pi[n + j] * nmu / (nmu + (j + 1) * theta) * cdf
    a = ea.erlang_a(n, patience_rate=theta_f, **EX)
    assert a.service_level == pytest.approx(float(sl), abs=1e-12)
    assert a.waiting_probability == pytest.approx(float(sum(pi[n:])), abs=1e-13)


def test_search_finds_the_smallest_count_from_any_side_of_its_start() -> None:
    """The search starts at traffic + √traffic and gallops: whatever the answer's distance from
    that guess (0 agents, just below, far above, a large centre's 1,486), it is the smallest n."""
    from analysis.service.erlang_a import _search

    for traffic in (0.5, 3.0, 15.0, 80.0, 1667.0):
        limit = max(64, int(8 * traffic + 100))
        for target in [*range(0, 130), 300, 740, 1486]:
            if target <= limit:
                asked: list[int] = []
                found = _search(
                    lambda k, t=target, a=asked: a.append(k) is None and k >= t, traffic
                )
                assert found == target, (traffic, target, found)
                start = math.ceil(traffic + math.sqrt(traffic))
                assert len(asked) <= 2 * math.ceil(math.log2(abs(target - start) + 2)) + 4
