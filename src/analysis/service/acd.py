"""Per-agent ACD summaries (the switch's own daily totals per agent, e.g. ViciDial exports).

Why: a centre without a per-call log still has the switch's summary per agent and day: calls,
inbound and outbound, and the hours logged in, talking, paused, waiting and in wrap-up. Summed
per agent and month they answer "how busy was each agent" (occupancy) and "how many hours were
agents logged in", the supply side the call log alone can only bound from below.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: The per-agent month totals of :func:`summary` (seconds stay seconds; the view words them).
SUMMARY_COLUMNS = [
    "period",
    "agent_id",
    "name",
    "days",
    "calls",
    "inbound",
    "outbound",
    "login_s",
    "talk_s",
    "pause_s",
    "wait_s",
    "wrap_s",
    "occupancy",
]
_SUMMED = ["calls", "inbound", "outbound", "login_s", "talk_s", "pause_s", "wait_s", "wrap_s"]


def summary(acd: pd.DataFrame, period: str) -> pd.DataFrame:
    """One row per agent for ``period``: the ACD rows summed, and occupancy.

    occupancy = (talk + wrap) ÷ (logged in − paused): the share of available time spent on
    calls; blank when the summary has no login time or the agent was never available.
    A day counts once per agent and date (rows without a date count as one day each).
    """
    rows = acd[acd["period"].astype("object") == period]
    if rows.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in SUMMARY_COLUMNS}).assign(
            period=pd.Series(dtype="object"),
            agent_id=pd.Series(dtype="object"),
            name=pd.Series(dtype="object"),
        )[SUMMARY_COLUMNS]
    key = rows["agent_id"].astype("object").where(rows["agent_id"].notna(), rows["name"])
    day = rows["date"].astype("object").where(rows["date"].notna(), rows.index.to_series())
    df = rows.assign(_key=key, _day=day)
    sums = df.groupby("_key", sort=True)[_SUMMED].sum(min_count=1)
    first = df.groupby("_key", sort=True)[["agent_id", "name"]].first()
    days = df.groupby("_key", sort=True)["_day"].nunique()
    out = pd.concat([first, sums], axis=1).assign(days=days, period=period)
    available = out["login_s"] - out["pause_s"].fillna(0.0)
    busy = out["talk_s"].fillna(0.0) + out["wrap_s"].fillna(0.0)
    out["occupancy"] = (busy / available.where(available > 0)).astype("float64")
    out.loc[out["login_s"].isna(), "occupancy"] = np.nan
    return out.reset_index(drop=True)[SUMMARY_COLUMNS]


def calls_add_up(acd: pd.DataFrame, period: str) -> tuple[int, int]:
    """(rows checked, rows where calls = inbound + outbound) for ``period``: the page says the
    check held, not only when it failed (a mismatch is a data-quality warning of the loader)."""
    rows = acd[acd["period"].astype("object") == period]
    both = rows[["calls", "inbound", "outbound"]].notna().all(axis=1)
    ok = both & (rows["calls"] == rows["inbound"] + rows["outbound"])
    return int(both.sum()), int(ok.sum())
