"""Staffing: the seed method, Erlang C against published values, the per-interval plan, the CLI."""

from __future__ import annotations

import json
import math
import time

import numpy as np
import pandas as pd
import pytest

from analysis import staffing as st
from analysis.config import load_defaults
from analysis.schema import ROSTER_COLUMNS, STAFFING_COLUMNS

# The Call Centre Helper worked example used by every reference below: 100 calls in 30 minutes,
# AHT 180 s, 80 % answered within 20 s, occupancy ≤ 85 %, shrinkage 30 %  → 10 Erlangs.
EXAMPLE = {"calls": 100, "interval_min": 30, "aht_s": 180, "answer_s": 20}


@pytest.fixture(scope="module")
def cfg() -> dict:
    return load_defaults()


# ---------------------------------------------------------------------------------------------
# Seed method


@pytest.mark.parametrize(("rule", "seats"), [("ceil", 7), ("round", 7), ("floor", 6)])
def test_seed_seats_rounding_rule(rule: str, seats: int) -> None:
    # 130,000 / 20,000 = 6.5 seats; the seed document says 6, which is the "floor" rule.
    assert st.seats_needed(130_000, 20_000, rule) == seats


def test_round_is_half_up_not_bankers() -> None:
    assert st.round_exact(6.5, "round") == 7  # Python's round(6.5) would give 6
    assert st.round_exact(6.49, "round") == 6
    assert st.seats_needed(120_000, 20_000, "ceil") == 6  # exact multiple: no extra seat
    with pytest.raises(st.StaffingError):
        st.seats_needed(130_000, 20_000, "up")


def test_people_per_seat_seed_defaults() -> None:
    # 14 h (07:30–21:30) × 30 days / 174 h (21.75 days × 8 h)
    assert st.people_per_seat(14, 30, 174) == pytest.approx(2.4137931, abs=1e-7)
    assert round(st.people_per_seat(14, 30, 174), 4) == 2.4138
    assert st.hours_between("07:30", "21:30") == 14.0


def test_seed_method_from_config(cfg: dict) -> None:
    seed = st.seed_method(cfg)
    assert seed["seats_exact"] == 6.5
    assert seed["seats"] == 6  # defaults.toml: seat_rounding = "floor", the seed's 13万 → 6 seats
    assert seed["people_exact"] == pytest.approx(6 * 420 / 174)  # 14.48
    assert seed["people"] == 15
    ceil = st.seed_method({**cfg["staffing"], "seat_rounding": "ceil"})
    assert ceil["people_exact"] == pytest.approx(7 * 420 / 174)  # 16.897
    assert (ceil["seats"], ceil["people"]) == (7, 17)
    derived = st.seed_method({**cfg["staffing"], "seat_hours_per_day": None})
    assert derived["seat_hours_per_day"] == 14.0  # from service_start / service_end


# ---------------------------------------------------------------------------------------------
# Erlang C against published reference values


def test_reference_pyworkforce_required_positions() -> None:
    # rodrigo-arenas/pyworkforce, pyworkforce/queuing/tests/test_erlang.py,
    # test_expected_erlangc_results: raw_positions 14, positions 20, service_level 0.888,
    # occupancy 0.714, waiting_probability 0.174 (example from
    # https://www.callcentrehelper.com/erlang-c-formula-example-121281.htm).
    r = st.required_agents(**EXAMPLE, service_level=0.8, max_occupancy=0.85, shrinkage=0.3)
    assert r.traffic == 10.0
    assert r.agents == 14
    assert r.agents_after_shrinkage == 20
    assert round(r.service_level, 3) == 0.888
    assert round(r.occupancy, 3) == 0.714
    assert round(r.waiting_probability, 3) == 0.174
    assert not r.overloaded


def test_reference_pyworkforce_occupancy_cap() -> None:
    # rodrigo-arenas/pyworkforce, pyworkforce/queuing/tests/test_erlang.py,
    # test_over_occupancy_erlangc: max_occupancy 0.7 → raw 15, positions 22, SL 0.941,
    # occupancy 0.667, waiting probability 0.102.
    r = st.required_agents(**EXAMPLE, service_level=0.8, max_occupancy=0.7, shrinkage=0.3)
    assert (r.agents, r.agents_after_shrinkage) == (15, 22)
    assert round(r.service_level, 3) == 0.941
    assert round(r.occupancy, 3) == 0.667
    assert round(r.waiting_probability, 3) == 0.102


def test_reference_cran_erlangc_metrics() -> None:
    # CRAN package ErlangC 0.1.0 README (https://rdocumentation.org/packages/ErlangC/versions/0.1.0):
    # erlang_c(100 calls, 30 min, 180 s, 20 s, 14 agents) → traffic 10, wait_probability 0.1741319,
    # service_level 0.88835, average_speed_of_answer 7.83593701177724 s, occupancy 0.7142857.
    r = st.what_if(14, **EXAMPLE)
    assert r.traffic == 10.0
    assert r.waiting_probability == pytest.approx(0.1741319, abs=1e-7)
    assert r.service_level == pytest.approx(0.88835, abs=1e-5)
    assert r.asa_s == pytest.approx(7.83593701177724, abs=1e-9)
    assert r.occupancy == pytest.approx(0.7142857, abs=1e-7)


def test_reference_westbay_what_if() -> None:
    # Westbay Engineering (erlang.com) CC-Excel support forum, thread "CCXLService" (12 Jan 2021),
    # as quoted in the nvidia/Nemotron-CC-Math-v1 page corpus: 21 agents, 57 calls an hour of
    # 1,110 s each, 180 s target → service level 80.7 %.
    r = st.what_if(21, calls=57, interval_min=60, aht_s=1110, answer_s=180)
    assert round(r.service_level, 3) == 0.807


# ---------------------------------------------------------------------------------------------
# Reverse what-if, overload, fractional mode, large traffic, rounding


def test_what_if_agents_below_required_misses_target() -> None:
    # 13 agents: B(13, 10) by the recursion, C = 13·B / (13 − 10·(1 − B)).
    b = 1.0
    for n in range(1, 14):
        b = 10 * b / (n + 10 * b)
    pw = 13 * b / (13 - 10 * (1 - b))
    r = st.what_if(13, **EXAMPLE, shrinkage=0.3)
    assert r.waiting_probability == pytest.approx(pw, rel=1e-12)
    assert r.service_level == pytest.approx(1 - pw * math.exp(-3 * 20 / 180), rel=1e-12)
    assert r.asa_s == pytest.approx(pw * 180 / 3, rel=1e-12)
    assert r.service_level < 0.8  # why 14 is the answer
    assert r.agents_after_shrinkage == 19  # 13 / 0.7 = 18.57


def test_overload_gives_a_code_not_negative_wait() -> None:
    from analysis.cli_staffing import overload_text

    for agents in (10, 8):
        r = st.what_if(agents, **EXAMPLE)
        assert r.overloaded and r.code == "overloaded" and r.min_agents == 11
        assert r.asa_s == math.inf
        assert (r.service_level, r.waiting_probability, r.occupancy) == (0.0, 1.0, 1.0)
        assert r.to_json()["asa_s"] is None
        assert "11" in overload_text(r, "zh") and "排队会无限增长" in overload_text(r, "zh")
        assert "at least 11 agents" in overload_text(r, "en")
    ok = st.what_if(14, **EXAMPLE)
    assert (ok.code, ok.overloaded, ok.min_agents) == ("ok", False, 11)
    assert st.erlang_c(10, 10.0) == 1.0


def test_zero_calls_need_no_agents() -> None:
    r = st.required_agents(0, 30, 180, 20, 0.8, 0.85, 0.3)
    assert (r.agents, r.agents_after_shrinkage, r.service_level, r.asa_s) == (0, 0, 1.0, 0.0)


def test_fractional_mode_lies_between_whole_counts() -> None:
    r = st.required_agents(**EXAMPLE, service_level=0.8, max_occupancy=0.85, fractional=True)
    assert 13 < r.agents < 14
    assert r.service_level == pytest.approx(0.8, abs=1e-9)
    assert r.agents_after_shrinkage == r.agents  # no shrinkage, no rounding
    half = st.required_agents(**EXAMPLE, service_level=0.8, shrinkage=0.3, fractional=True)
    assert half.agents_after_shrinkage == pytest.approx(half.agents / 0.7)


def test_continuous_erlang_b_matches_recursion_at_whole_numbers() -> None:
    assert st.erlang_b(14 + 1e-10, 10) == pytest.approx(st.erlang_b(14, 10), rel=1e-8)
    assert st.erlang_b(700 + 1e-10, 666.7) == pytest.approx(st.erlang_b(700, 666.7), rel=1e-6)
    # continuous and decreasing in the agent count
    xs = [13.0, 13.25, 13.5, 13.75, 14.0]
    bs = [st.erlang_b(x + 1e-12 if x.is_integer() else x, 10) for x in xs]
    assert all(a > b for a, b in zip(bs, bs[1:], strict=False))


def test_large_traffic_is_fast_and_finite() -> None:
    start = time.perf_counter()
    r = st.required_agents(5000, 30, 240, 20, 0.8, 1.0, 0.3)  # 666.7 Erlangs
    f = st.required_agents(50_000, 30, 240, 20, 0.8, 1.0, fractional=True)  # 6,666.7 Erlangs
    assert time.perf_counter() - start < 2.0
    assert r.agents == 679
    assert all(math.isfinite(v) for v in (r.service_level, r.waiting_probability, r.asa_s))
    assert 0.8 <= r.service_level < 0.82
    assert st.what_if(678, 5000, 30, 240, 20).service_level < 0.8
    whole = math.ceil(f.agents)
    assert st.what_if(whole, 50_000, 30, 240, 20).service_level >= 0.8
    assert st.what_if(whole - 1, 50_000, 30, 240, 20).service_level < 0.8


def test_shrinkage_rounding_trap() -> None:
    assert 21 / 0.7 > 30  # the floating-point trap this guards against
    assert st.after_shrinkage(21, 0.3) == 30
    assert st.after_shrinkage(14, 0.3) == 20
    assert st.after_shrinkage(13, 0.3) == 19
    assert st.after_shrinkage(21, 0.3, fractional=True) == 30.0
    # via the search: 164 calls of 180 s in 30 min need 21 agents → 30 staff, not 31
    r = st.required_agents(164, 30, 180, 20, 0.8, 0.85, 0.3)
    assert (r.agents, r.agents_after_shrinkage) == (21, 30)


@pytest.mark.parametrize(
    ("kwargs", "word"),
    [
        ({"service_level": 1.2}, "service_level"),
        ({"service_level": 0.8, "max_occupancy": 0}, "max_occupancy"),
        ({"service_level": 0.8, "shrinkage": 1.0}, "shrinkage"),
    ],
)
def test_invalid_inputs_raise(kwargs: dict, word: str) -> None:
    with pytest.raises(st.StaffingError, match=word):
        st.required_agents(**EXAMPLE, **kwargs)
    with pytest.raises(st.StaffingError):
        st.required_agents(-1, 30, 180, 20, 0.8)


# ---------------------------------------------------------------------------------------------
# Per-interval plan and roster gap


def _volumes() -> pd.DataFrame:
    rows = [
        ("周一", "09:00", 100, np.nan),  # no own AHT → configured 180 s
        ("周一", "09:30", 0, np.nan),
        ("周一", "10:00", 164, 180),
        ("周二", "09:00", 50, 180),
        ("周二", "09:30", 200, 180),
    ]
    return pd.DataFrame(
        [
            (d, i, c, a, "staffing/volumes.xlsx", "Sheet1", k + 2)
            for k, (d, i, c, a) in enumerate(rows)
        ],
        columns=STAFFING_COLUMNS,
    )


def _roster(n_agents: int) -> pd.DataFrame:
    rows = [(f"A{k:02d}", f"坐席{k}", "一组", "aftersales", "组长甲", False, "roster.xlsx", "", k + 2)
            for k in range(n_agents)]  # fmt: skip
    rows.append(("L01", "组长甲", "一组", "aftersales", "组长甲", True, "roster.xlsx", "", 99))
    return pd.DataFrame(rows, columns=ROSTER_COLUMNS)


OVERRIDES = {"aht_s": 180, "answer_s": 20, "service_level": 0.8, "max_occupancy": 0.85}


def test_interval_plan(cfg: dict) -> None:
    plan = st.interval_plan(_volumes(), cfg, **OVERRIDES)
    assert list(plan.columns) == st.PLAN_COLUMNS
    assert plan["aht_s"].tolist() == [180.0] * 5
    assert plan["traffic"].tolist() == [10.0, 0.0, 16.4, 5.0, 20.0]
    assert plan["agents"].tolist() == [14, 0, 21, 8, 24]
    assert plan["agents_after_shrinkage"].tolist() == [20, 0, 30, 12, 35]  # shrinkage 0.30
    assert plan.loc[0, "service_level"] == pytest.approx(0.88835, abs=1e-5)
    assert plan.loc[0, "asa_s"] == pytest.approx(7.83593701177724, abs=1e-9)
    assert plan.loc[1, ["service_level", "asa_s", "occupancy"]].tolist() == [1.0, 0.0, 0.0]
    assert (plan["service_level"] >= 0.8).all()


def test_daily_summary(cfg: dict) -> None:
    plan = st.interval_plan(_volumes(), cfg, **OVERRIDES)
    daily = st.daily_summary(plan, 30)
    assert daily["day"].tolist() == ["周一", "周二"]
    assert daily["calls"].tolist() == [264.0, 250.0]
    assert daily["peak_agents"].tolist() == [21, 24]
    assert daily["peak_interval"].tolist() == ["10:00", "09:30"]
    assert daily["agent_hours"].tolist() == [17.5, 16.0]  # (14+0+21)/2, (8+24)/2
    assert daily["staff_hours"].tolist() == [25.0, 23.5]  # (20+0+30)/2, (12+35)/2


def test_roster_gap(cfg: dict) -> None:
    plan = st.interval_plan(_volumes(), cfg, **OVERRIDES)
    gap = st.roster_gap(plan, _roster(3), cfg)
    row = gap.set_index("role").loc["total"]
    # mean staff-hours 24.25 a day × 30 open days / 174 h a person = 4.181 → 5 people
    assert row["needed"] == pytest.approx(24.25 * 30 / 174)
    assert row["needed_people"] == 5
    assert row["needed_peak_day"] == pytest.approx(25 * 30 / 174)
    assert (row["roster_total"], row["roster_agents"], row["gap"]) == (4, 3, -2)
    by_role = st.roster_gap(plan.assign(role="aftersales"), _roster(6), cfg).set_index("role")
    assert by_role.loc["aftersales", "gap"] == 1
    assert by_role.index.tolist() == ["aftersales", "total"]


def test_method_comparison(cfg: dict) -> None:
    plan = st.interval_plan(_volumes(), cfg, **OVERRIDES)
    comp = st.method_comparison(st.seed_method(cfg), plan, cfg).set_index("metric")
    assert comp.loc["seats"].tolist() == [6, 24]  # seed: floor(6.5)
    assert comp.loc["people"].tolist() == [15, 5]  # ceil(6 × 420 / 174 = 14.48)
    assert comp.loc["people_per_seat", "erlang_c"] == pytest.approx(24.25 * 30 / 174 / 24)


# ---------------------------------------------------------------------------------------------
# CLI


def _cli(argv: list[str]) -> tuple[int, str, str]:
    import argparse
    import contextlib
    import io

    from analysis import cli_staffing

    parser = argparse.ArgumentParser(prog="analysis")
    cli_staffing.add_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["staffing", *argv])
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = args.func(args) if hasattr(args, "func") else cli_staffing.run(args)
    return code, out.getvalue(), err.getvalue()


BASE_ARGS = ["--calls", "100", "--interval-min", "30", "--aht-s", "180", "--answer-s", "20"]


def test_cli_json() -> None:
    code, out, _ = _cli([*BASE_ARGS, "--service-level", "0.8", "--max-occupancy", "0.85",
                         "--shrinkage", "0.3", "--json"])  # fmt: skip
    assert code == 0
    data = json.loads(out)
    assert list(data) == list(st.JSON_KEYS)
    assert (data["agents"], data["agents_after_shrinkage"]) == (14, 20)
    assert round(data["service_level"], 3) == 0.888
    assert round(data["waiting_probability"], 3) == 0.174
    assert round(data["asa_s"], 2) == 7.84
    assert round(data["occupancy"], 3) == 0.714


def test_cli_percent_inputs_and_what_if() -> None:
    code, out, _ = _cli([*BASE_ARGS, "--service-level", "80", "--shrinkage", "30", "--agents",
                         "13", "--json"])  # fmt: skip
    data = json.loads(out)
    assert code == 0
    assert (data["agents"], data["agents_after_shrinkage"]) == (13, 19)
    assert data["service_level"] < 0.8


def test_cli_overload_and_human_output() -> None:
    code, out, err = _cli([*BASE_ARGS, "--service-level", "0.8", "--agents", "9", "--json"])
    assert code == 0
    assert json.loads(out)["asa_s"] is None
    assert "排队会无限增长" in err
    code, out, _ = _cli([*BASE_ARGS, "--service-level", "0.8", "--shrinkage", "0.3"])
    assert code == 0 and "所需在线座席" in out and "14" in out
    code, out, _ = _cli([*BASE_ARGS, "--service-level", "0.8", "--lang", "en"])
    assert code == 0 and "Agents needed" in out


def test_cli_bad_input_exit_code() -> None:
    code, out, err = _cli([*BASE_ARGS, "--service-level", "150"])
    assert code == 2
    assert out == ""
    assert "service_level" in err


# ---------------------------------------------------------------------------------------------
# Charts and report notebook


def test_charts_return_figures(cfg: dict) -> None:
    from matplotlib.figure import Figure

    from analysis.plots import staffing as charts

    plan = st.interval_plan(_volumes(), cfg, **OVERRIDES)
    fig = charts.required_by_interval(plan, "en", reference=7, reference_label="seed")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert [line.get_label() for line in ax.get_lines()] == ["周一", "周二", "seed"]
    assert ax.get_lines()[0].get_ydata().tolist()[:3] == [14, 0, 21]
    many = pd.concat([plan.assign(day=f"2026-03-{d:02d}") for d in range(1, 11)])
    assert len(charts.required_by_interval(many, "zh").axes[0].get_lines()) == 1  # mean line
    gap = st.roster_gap(plan, _roster(3), cfg)
    bars = charts.roster_gap_chart(gap, "zh").axes[0].patches
    assert [b.get_height() for b in bars] == [3, 5]
    comp = st.method_comparison(st.seed_method(cfg), plan, cfg)
    bars = charts.method_comparison_chart(comp, "en").axes[0].patches
    assert [b.get_height() for b in bars] == [6, 15, 24, 5]


def test_report_notebook_shape() -> None:
    import nbformat

    from analysis.paths import REPORT_NOTEBOOKS_DIR

    nb = nbformat.read(REPORT_NOTEBOOKS_DIR / "30_staffing.ipynb", as_version=4)
    first = nb.cells[0]
    assert first.metadata.get("tags") == ["parameters"]
    for name in ("data_dir: str", "period: str", "lang: str", "out_dir: str"):
        assert name in first.source
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
    assert "staffing_view.write_exports(view, out_dir)" in "".join(c.source for c in nb.cells)


def test_select_period() -> None:
    weekly = _volumes()
    frame, label = st.select_period(weekly, "2026-10")
    assert label == "" and frame is weekly
    dated = pd.DataFrame(
        {
            "day": ["2026-09-30", "2026-10-01", "2026-10-02"],
            "interval": ["09:00"] * 3,
            "calls": [1, 2, 3],
        }
    )
    frame, label = st.select_period(dated, "2026-09")
    assert (label, frame["calls"].tolist()) == ("2026-09", [1])
    frame, label = st.select_period(dated, "2026-12")  # no such month: the latest one
    assert (label, frame["calls"].tolist()) == ("2026-10", [2, 3])


def test_cli_data_config_and_console_entry(tmp_path) -> None:
    import subprocess
    import sys

    (tmp_path / "config.toml").write_text("[staffing]\nshrinkage = 0.5\n", encoding="utf-8")
    code, out, _ = _cli([*BASE_ARGS, "--service-level", "0.8", "--data", str(tmp_path), "--json"])
    assert code == 0 and json.loads(out)["agents_after_shrinkage"] == 28  # 14 / 0.5
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "analysis",
            "staffing",
            *BASE_ARGS,
            "--service-level",
            "80",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["agents"] == 14
