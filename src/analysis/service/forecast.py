"""Next month's calls per interval, by a stated baseline, and that baseline's error on last month.

Why this baseline: the same weekday and interval averaged over the last few complete weeks is
what a workforce planner does by hand, is hard to beat more than a few days ahead, and is plain
enough to state on the page in one sentence. A model that claims more has to beat the error this
one shows on the last complete month (:func:`backtest`).

Rules, in one place:

- the input is the ``intervals()`` frame (date, interval_start, queue, offered, …); the volume
  forecast is of ``offered``;
- a week is Monday–Sunday; it is *complete* when all seven days lie inside the dates the data
  covers (first to last date in the frame) and it ends before the forecast month starts;
- the baseline is the last ``weeks`` complete weeks (``[service.forecast] weeks``); an interval
  with no row in a baseline week had no calls that week and counts as 0 (the frame has a row only
  where calls were offered), so forecast = Σ offered over the baseline weeks ÷ weeks used;
- holidays and trends are not modelled (that is the point of a baseline);
- errors: WAPE = Σ|actual − forecast| ÷ Σ actual; MAPE = mean of |actual − forecast| ÷ actual
  over intervals with actual > 0 (an interval forecast but with no calls counts in WAPE only).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from analysis.errors import FrameError
from analysis.service.staffing_feed import NO_QUEUE

#: The forecast frame: one row per date of the month × interval × queue seen on that weekday.
FORECAST_COLUMNS = ["date", "interval_start", "queue", "forecast", "weeks_used"]
#: The backtest's per-day and per-interval frames.
ERROR_COLUMNS = ["date", "actual", "forecast", "abs_error", "wape", "mape", "intervals"]
DETAIL_COLUMNS = ["date", "interval_start", "queue", "actual", "forecast", "abs_error"]
#: The queue label when queues are added together.
ALL = "all"


class ForecastError(FrameError, ValueError):
    """A forecast the data cannot support (no complete week, no complete month), said in words."""


def rules(cfg: Mapping[str, Any]) -> dict[str, Any]:
    """``[service.forecast]`` with its default (weeks = 4)."""
    s = cfg.get("service", {}).get("forecast", {})
    return {"weeks": int(s.get("weeks", 4))}


def _volumes(intervals: pd.DataFrame, by_queue: bool) -> pd.DataFrame:
    """date (midnight timestamps), interval_start "HH:MM", queue, offered; queues summed unless
    ``by_queue``."""
    missing = [c for c in ("date", "interval_start", "offered") if c not in intervals.columns]
    if missing:
        raise ForecastError(
            f"时段表缺少列 {', '.join(missing)} / the intervals frame lacks {', '.join(missing)}"
        )
    queue = (
        intervals["queue"].fillna(NO_QUEUE).astype(str)
        if by_queue and "queue" in intervals.columns
        else pd.Series(ALL, index=intervals.index)
    )
    return (
        pd.DataFrame(
            {
                "date": pd.to_datetime(intervals["date"]).dt.normalize(),
                "interval_start": intervals["interval_start"].astype(str),
                "queue": queue,
                "offered": pd.to_numeric(intervals["offered"], errors="coerce").fillna(0.0),
            }
        )
        .groupby(["date", "interval_start", "queue"], as_index=False)["offered"]
        .sum()
    )


def _month_start(month: str) -> pd.Timestamp:
    try:
        return pd.Timestamp(f"{month}-01")
    except ValueError:
        raise ForecastError(f"月份应为 YYYY-MM，收到 {month!r} / month must be YYYY-MM") from None


def complete_weeks(first: pd.Timestamp, last: pd.Timestamp, before: pd.Timestamp) -> list:
    """Mondays of the Monday–Sunday weeks lying inside [first, last] and ending before ``before``,
    oldest first."""
    monday = first.normalize() + pd.Timedelta(days=(7 - first.weekday()) % 7)
    end = min(last.normalize(), before.normalize() - pd.Timedelta(days=1))
    out = []
    while monday + pd.Timedelta(days=6) <= end:
        out.append(monday)
        monday += pd.Timedelta(days=7)
    return out


def _forecast(vol: pd.DataFrame, month: str, weeks: int) -> tuple[pd.DataFrame, int]:
    if weeks < 1:
        raise ForecastError(f"[service.forecast] weeks 必须 ≥ 1，收到 {weeks} / weeks must be ≥ 1")
    start = _month_start(month)
    if vol.empty:
        raise ForecastError("没有话单，无法预测 / no calls in the logs: nothing to forecast from")
    mondays = complete_weeks(vol["date"].min(), vol["date"].max(), start)[-weeks:]
    if not mondays:
        raise ForecastError(
            f"{month} 之前没有完整的一周话单（周一至周日），无法按同星期同时段预测 / no complete "
            f"week (Monday–Sunday) of call logs before {month}: the same-weekday baseline needs one"
        )
    used = len(mondays)
    lo, hi = mondays[0], mondays[-1] + pd.Timedelta(days=7)
    base = vol.loc[(vol["date"] >= lo) & (vol["date"] < hi)]
    mean = (
        base.assign(weekday=base["date"].dt.day_of_week)
        .groupby(["weekday", "interval_start", "queue"], as_index=False)["offered"]
        .sum()
        .assign(forecast=lambda d: d["offered"] / used)
        .drop(columns="offered")
    )
    days = pd.DataFrame({"date": pd.date_range(start, start + pd.offsets.MonthEnd(0), freq="D")})
    frame = (
        days.assign(weekday=days["date"].dt.day_of_week)
        .merge(mean, on="weekday", how="inner")
        .assign(weeks_used=used)
        .sort_values(["date", "interval_start", "queue"], kind="stable")
        .reset_index(drop=True)[FORECAST_COLUMNS]
    )
    return frame, used


def _next_month(last: pd.Timestamp) -> str:
    return (last + pd.offsets.MonthBegin(1)).strftime("%Y-%m")


def forecast(
    intervals: pd.DataFrame, month: str | None = None, weeks: int = 4, *, by_queue: bool = False
) -> pd.DataFrame:
    """Offered calls per date × interval of ``month`` (default: the month after the last date in
    ``intervals``): the mean of the same weekday and interval over the last ``weeks`` complete
    weeks before it (:data:`FORECAST_COLUMNS`; queue "all" unless ``by_queue``).

    ``weeks_used`` is less than ``weeks`` when the logs hold fewer complete weeks; no complete
    week at all is a :class:`ForecastError`, not a forecast of zero.
    """
    vol = _volumes(intervals, by_queue)
    if month is None:
        if vol.empty:
            raise ForecastError(
                "没有话单，无法预测 / no calls in the logs: nothing to forecast from"
            )
        month = _next_month(vol["date"].max())
    return _forecast(vol, month, weeks)[0]


@dataclass(frozen=True)
class Backtest:
    """The baseline's error on one past month: ``overall`` (actual, forecast, abs_error, wape,
    mape, intervals), ``by_day`` (:data:`ERROR_COLUMNS`) and ``detail`` per interval."""

    month: str
    weeks: int
    weeks_used: int
    overall: dict[str, float]
    by_day: pd.DataFrame
    detail: pd.DataFrame


def _errors(d: pd.DataFrame) -> dict[str, float]:
    actual = float(d["actual"].sum())
    abs_err = float(d["abs_error"].sum())
    pos = d.loc[d["actual"] > 0]
    return {
        "actual": actual,
        "forecast": float(d["forecast"].sum()),
        "abs_error": abs_err,
        "wape": abs_err / actual if actual > 0 else np.nan,
        "mape": float((pos["abs_error"] / pos["actual"]).mean()) if len(pos) else np.nan,
        "intervals": int(len(pos)),
    }


def last_complete_month(dates: pd.Series) -> str:
    """The latest month whose every day lies between the first and last date of ``dates``."""
    first, last = dates.min(), dates.max()
    m = (last + pd.Timedelta(days=1)).to_period("M") - 1
    if m.start_time < first.normalize():
        raise ForecastError(
            "话单没有覆盖一个完整的月份，无法回测 / the call logs cover no complete month: "
            "nothing to measure the forecast against"
        )
    return str(m)


def backtest(
    intervals: pd.DataFrame, month: str | None = None, weeks: int = 4, *, by_queue: bool = False
) -> Backtest:
    """Forecast ``month`` (default: the last complete month in the logs) from the complete weeks
    before it, and measure it against what was offered: WAPE and MAPE overall and per day.

    Intervals on either side only (forecast but no calls, or calls but no forecast) count with 0
    on the other side.
    """
    vol = _volumes(intervals, by_queue)
    if vol.empty:
        raise ForecastError("没有话单，无法回测 / no calls in the logs: nothing to backtest")
    month = month or last_complete_month(vol["date"])
    fc, used = _forecast(vol, month, weeks)
    start = _month_start(month)
    actual = vol.loc[vol["date"].dt.to_period("M") == start.to_period("M")].rename(
        columns={"offered": "actual"}
    )
    keys = ["date", "interval_start", "queue"]
    detail = (
        actual.merge(fc[[*keys, "forecast"]], on=keys, how="outer")
        .fillna({"actual": 0.0, "forecast": 0.0})
        .assign(abs_error=lambda d: (d["actual"] - d["forecast"]).abs())
        .sort_values(keys, kind="stable")
        .reset_index(drop=True)[DETAIL_COLUMNS]
    )
    rows = [{"date": day, **_errors(g)} for day, g in detail.groupby("date", sort=True)]
    by_day = pd.DataFrame(rows, columns=ERROR_COLUMNS)
    return Backtest(month, weeks, used, _errors(detail), by_day, detail)


#: The staffed forecast: the volume forecast with what sizing needs and the agents required.
STAFFED_COLUMNS = [*FORECAST_COLUMNS[:4], "short_abandoned", "calls", "aht_s", "required_agents",
                   "required_method", "weeks_used"]  # fmt: skip


def baseline_weeks(intervals: pd.DataFrame, month: str, weeks: int) -> list[pd.Timestamp]:
    """The Mondays of the complete weeks the forecast of ``month`` averages (oldest first; [] when
    there is none), so the page can name them."""
    vol = _volumes(intervals, False)
    if vol.empty:
        return []
    return complete_weeks(vol["date"].min(), vol["date"].max(), _month_start(month))[-weeks:]


def weeks_span(mondays: list[pd.Timestamp]) -> tuple[str, str]:
    """First and last day ("YYYY-MM-DD") of the weeks starting on ``mondays``."""
    return f"{mondays[0]:%Y-%m-%d}", f"{mondays[-1] + pd.Timedelta(days=6):%Y-%m-%d}"


def _baseline_aht(intervals: pd.DataFrame, mondays: list[pd.Timestamp]) -> pd.DataFrame:
    """AHT per interval start over the baseline weeks, weighted by the calls answered (the calls
    it is a mean of); an interval without an answered call has none (the configured AHT then)."""
    from analysis.service.staffing_feed import pool_queues

    if not mondays or intervals.empty:
        return pd.DataFrame(
            {"interval_start": pd.Series(dtype=str), "aht_s": pd.Series(dtype=float)}
        )
    pooled = pool_queues(intervals)
    lo, hi = mondays[0], mondays[-1] + pd.Timedelta(days=7)
    p = pooled.loc[(pooled["date"] >= lo) & (pooled["date"] < hi)]
    weight = p["answered"].where(p["aht_s"].notna(), 0.0)
    g = (
        p.assign(_h=p["aht_s"].fillna(0.0) * weight, _w=weight)
        .groupby("interval_start", as_index=False)[["_h", "_w"]]
        .sum()
    )
    return g.assign(aht_s=(g["_h"] / g["_w"]).where(g["_w"] > 0))[["interval_start", "aht_s"]]


def staffed_forecast(
    intervals: pd.DataFrame,
    month: str,
    cfg: Mapping[str, Any],
    facts: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """:func:`forecast` of ``month`` (queues together) with the agents it requires
    (:data:`STAFFED_COLUMNS`), sized the way the report month is sized.

    - short abandons are forecast by the same baseline and left out of ``calls`` (a caller who
      hangs up within seconds needs no agent: the rule of ``staffing_feed``);
    - AHT per interval start is that of the baseline weeks (:func:`_baseline_aht`), the
      configured ``[staffing] aht_s`` where those weeks answered no call then;
    - required agents come from :func:`analysis.service.staffing_feed.required_vs_logged_in`
      (Erlang A with the callers' patience of ``facts`` pooled over all calls, else Erlang C);
      there is no second queueing model here.

    A :class:`ForecastError` when there is no complete week before ``month``, or when those
    weeks hold no call at all (a gap in the exports, not a month of silence).
    """
    from analysis import staffing as st
    from analysis.service import staffing_feed as feed

    weeks = rules(cfg)["weeks"]
    hist = feed.with_short_abandons(intervals, facts)
    fc = forecast(hist, month, weeks)
    if fc.empty:
        first, last = weeks_span(baseline_weeks(intervals, month, weeks))
        raise ForecastError(
            f"基准周（{first} 至 {last}）的话单里没有一通来电，多半是缺了导出文件，不按 0 预测 / "
            f"the baseline weeks ({first} to {last}) hold no call at all, most likely a missing "
            "export: no forecast of zero is made"
        )
    keys = ["date", "interval_start", "queue"]
    if "short_abandoned" in hist.columns:
        short = forecast(hist.assign(offered=hist["short_abandoned"]), month, weeks)
        fc = fc.merge(
            short[keys + ["forecast"]].rename(columns={"forecast": "short_abandoned"}),
            on=keys,
            how="left",
        )
    fc = fc.assign(short_abandoned=fc.get("short_abandoned", 0.0)).fillna({"short_abandoned": 0.0})
    aht = _baseline_aht(intervals, baseline_weeks(intervals, month, weeks))
    fc = fc.merge(aht, on="interval_start", how="left")
    sized = feed.required_vs_logged_in(
        fc.assign(offered=fc["forecast"]).drop(columns=["forecast"]), cfg, facts=facts
    )
    return fc.assign(
        calls=sized["calls"].to_numpy(),
        aht_s=fc["aht_s"].where(fc["aht_s"] > 0, st.erlang_params(cfg)["aht_s"]).to_numpy(),
        required_agents=sized["required_agents"].to_numpy(),
        required_method=sized["required_method"].to_numpy(),
    )[STAFFED_COLUMNS]
