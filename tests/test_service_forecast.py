"""service.forecast: the same-weekday-and-interval baseline over recent complete weeks, computed
by hand on five weeks of set volumes, and its backtest with a WAPE and MAPE worked out below."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.config import load_defaults
from analysis.service import forecast as fc


def _frame(rows: list[tuple]) -> pd.DataFrame:
    """(date, interval_start, queue, offered) rows as an ``intervals()`` frame."""
    f = pd.DataFrame(rows, columns=["date", "interval_start", "queue", "offered"])
    return f.assign(date=pd.to_datetime(f["date"]), answered=f["offered"], abandoned=0,
                    asa_s=0.0, aht_s=180.0)  # fmt: skip


# Five complete weeks, Monday 2026-09-07 to Sunday 2026-10-11. Weeks: w1 09-07, w2 09-14,
# w3 09-21, w4 09-28, w5 10-05. The baseline of 4 weeks is w2–w5; w1 must not count.
HISTORY = _frame(
    [
        ("2026-09-07", "09:00", "a", 100),  # w1 Monday: outside the 4 weeks
        ("2026-09-08", "09:00", "a", 50),  # w1 Tuesday: outside
        ("2026-09-14", "09:00", "a", 10),
        ("2026-09-14", "09:30", "a", 5),
        ("2026-09-21", "09:00", "a", 15),
        ("2026-09-21", "09:00", "b", 5),  # two queues: 20 together
        # w3 Monday 09:30: no calls (no row) → counts as 0
        ("2026-09-28", "09:00", "a", 30),
        ("2026-09-28", "09:30", "a", 7),
        ("2026-10-05", "09:00", "a", 40),
        ("2026-10-05", "09:30", "a", 8),
        ("2026-10-06", "09:00", "b", 12),  # w5 Tuesday
        ("2026-10-11", "21:00", "a", 1),  # w5 Sunday: the last day the logs cover
    ]
)


def test_forecast_next_month_by_hand() -> None:
    f = fc.forecast(HISTORY, weeks=4)
    assert list(f.columns) == fc.FORECAST_COLUMNS
    # The month after the last date (2026-10-11) is November 2026.
    assert f["date"].dt.strftime("%Y-%m").unique().tolist() == ["2026-11"]
    mon = f.loc[f["date"] == "2026-11-02"].set_index("interval_start")["forecast"]
    assert mon.to_dict() == {"09:00": (10 + 20 + 30 + 40) / 4, "09:30": (5 + 0 + 7 + 8) / 4}
    tue = f.loc[f["date"] == "2026-11-03"].set_index("interval_start")["forecast"]
    assert tue.to_dict() == {"09:00": 12 / 4}
    sun = f.loc[f["date"] == "2026-11-29"].set_index("interval_start")["forecast"]
    assert sun.to_dict() == {"21:00": 0.25}
    # November 2026: 5 Mondays × 2 intervals + 4 Tuesdays + 5 Sundays; no other weekday had calls.
    assert len(f) == 5 * 2 + 4 + 5
    assert set(f["queue"]) == {"all"} and set(f["weeks_used"]) == {4}
    assert f["forecast"].sum() == pytest.approx(5 * (25 + 5) + 4 * 3 + 5 * 0.25)


def test_forecast_by_queue_and_fewer_weeks() -> None:
    f = fc.forecast(HISTORY, month="2026-11", weeks=2, by_queue=True)
    mon = f.loc[f["date"] == "2026-11-09"].set_index(["interval_start", "queue"])["forecast"]
    # Weeks w4 and w5 only: queue a 09:00 (30 + 40) / 2, 09:30 (7 + 8) / 2; queue b none.
    assert mon.to_dict() == {("09:00", "a"): 35.0, ("09:30", "a"): 7.5}
    tue = f.loc[f["date"] == "2026-11-10"]
    assert tue[["queue", "forecast"]].values.tolist() == [["b", 6.0]]


def test_more_weeks_asked_than_the_logs_hold() -> None:
    f = fc.forecast(HISTORY, month="2026-11", weeks=10)
    assert set(f["weeks_used"]) == {5}
    mon = f.loc[f["date"] == "2026-11-02"].set_index("interval_start")["forecast"]
    assert mon["09:00"] == (100 + 10 + 20 + 30 + 40) / 5


def test_incomplete_weeks_are_left_out() -> None:
    # Logs from Wednesday 2026-09-09 to Saturday 2026-10-10: complete weeks are 09-14 … 09-28;
    # the week of 10-05 lacks its Sunday, the week of 09-07 its Monday and Tuesday.
    h = _frame([("2026-09-09", "09:00", "a", 7), ("2026-09-14", "09:00", "a", 3),
                ("2026-09-28", "09:00", "a", 6), ("2026-10-05", "09:00", "a", 99),
                ("2026-10-10", "09:00", "a", 1)])  # fmt: skip
    assert fc.complete_weeks(h["date"].min(), h["date"].max(), pd.Timestamp("2026-11-01")) == [
        pd.Timestamp("2026-09-14"), pd.Timestamp("2026-09-21"), pd.Timestamp("2026-09-28")]  # fmt: skip
    f = fc.forecast(h, month="2026-11", weeks=4)
    mon = f.loc[f["date"] == "2026-11-02", "forecast"].tolist()
    assert mon == [(3 + 0 + 6) / 3]


def test_no_complete_week_is_a_clear_stop() -> None:
    h = _frame([("2026-10-07", "09:00", "a", 7), ("2026-10-10", "09:00", "a", 1)])
    with pytest.raises(fc.ForecastError, match="complete week"):
        fc.forecast(h, weeks=4)
    with pytest.raises(fc.ForecastError, match="weeks"):
        fc.forecast(HISTORY, weeks=0)
    with pytest.raises(fc.ForecastError, match="offered"):
        fc.forecast(HISTORY.drop(columns="offered"))


# Backtest of October 2026 with weeks = 2: the complete weeks before 10-01 in the logs are 09-07,
# 09-14 and 09-21 (the week of 09-28 ends in October); the last two give Monday 09:00 =
# (10 + 30) / 2 = 20. October's actuals: Mondays 20, 10, 40 and none on 10-26; a Tuesday (5) and
# a Saturday (5) the baseline never saw.
#   |a − f|: 0, 10, 20, 20, 5, 5 = 60;  Σ actual = 80;  WAPE = 60 / 80 = 0.75
#   MAPE over actual > 0: (0/20 + 10/10 + 20/40 + 5/5 + 5/5) / 5 = 3.5 / 5 = 0.7
BACK = _frame(
    [
        ("2026-09-07", "09:00", "a", 1000),
        ("2026-09-14", "09:00", "a", 10),
        ("2026-09-21", "09:00", "a", 30),
        ("2026-10-05", "09:00", "a", 20),
        ("2026-10-06", "09:00", "a", 5),
        ("2026-10-12", "09:00", "a", 10),
        ("2026-10-19", "09:00", "a", 40),
        ("2026-10-31", "10:00", "a", 5),
    ]
)


def test_backtest_known_errors() -> None:
    b = fc.backtest(BACK, weeks=2)
    assert (b.month, b.weeks, b.weeks_used) == ("2026-10", 2, 2)
    assert b.overall == {"actual": 80.0, "forecast": 80.0, "abs_error": 60.0, "wape": 0.75,
                         "mape": pytest.approx(0.7, abs=1e-15), "intervals": 5}  # fmt: skip
    d = b.by_day.set_index(b.by_day["date"].dt.strftime("%m-%d"))
    assert list(b.by_day.columns) == fc.ERROR_COLUMNS
    assert d.loc["10-05", ["actual", "forecast", "wape", "mape"]].tolist() == [20, 20, 0, 0]
    assert d.loc["10-12", ["wape", "mape"]].tolist() == [1.0, 1.0]
    assert d.loc["10-19", ["wape", "mape"]].tolist() == [0.5, 0.5]
    assert d.loc["10-06", ["actual", "forecast", "wape"]].tolist() == [5, 0, 1.0]
    no_calls = d.loc["10-26"]
    assert (no_calls["actual"], no_calls["forecast"], no_calls["intervals"]) == (0, 20, 0)
    assert math.isnan(no_calls["wape"]) and math.isnan(no_calls["mape"])
    assert len(b.detail) == 6 and b.detail["abs_error"].sum() == 60


def test_backtest_default_month_is_the_last_complete_one() -> None:
    # Logs end on 10-30: October is not complete, September is (from 09-01).
    h = pd.concat([_frame([("2026-09-01", "09:00", "a", 1)]), BACK.iloc[:-1]])
    h = pd.concat([h, _frame([("2026-10-30", "09:00", "a", 1)])])
    assert fc.last_complete_month(h["date"]) == "2026-09"
    with pytest.raises(fc.ForecastError, match="complete month"):
        fc.backtest(BACK.iloc[1:-1])


def test_config_weeks() -> None:
    assert fc.rules(load_defaults()) == {"weeks": 4}
    assert fc.rules({"service": {"forecast": {"weeks": 6}}}) == {"weeks": 6}
