"""The call-volume loader: calls (and handle time) per day or weekday and interval."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from analysis.io import rows
from analysis.io import values as V
from analysis.io.header import Table
from analysis.io.load_scorecards import _counts
from analysis.schema import (
    STAFFING_COLUMNS,
)


def staffing_table(table: Table, cfg: Mapping[str, Any]) -> rows.Part:
    calls_col, int_col = table.col("calls"), table.col("interval")
    if calls_col is None:
        raise rows.missing_field(table, "calls", cfg, "来电量", "calls")
    if int_col is None:
        raise rows.missing_field(table, "interval", cfg, "时段", "interval")
    aht = table.col("aht_s")
    cls = rows.classify(table, [calls_col] + ([aht] if aht else []), sections=False)
    rows.report_structure(table, cls)
    lines = cls["kind"] == "line"
    calls, bad = _counts(table, [calls_col], lines)
    ok = lines & ~bad
    interval, bad_i = V.parse_interval(table.body[int_col.idx])
    bad_i = (bad_i | interval.isna()) & ok
    rows.reject(table, bad_i, "error", "bad_interval", int_col, table.body[int_col.idx])
    ok = ok & ~bad_i
    day = pd.Series("", index=table.body.index, dtype="str")
    if table.has("date"):
        d, bad_d = V.parse_date(table.body[table.col("date").idx])
        bad_d = (bad_d | d.isna()) & ok
        rows.reject(
            table, bad_d, "error", "bad_date", table.col("date"), table.body[table.col("date").idx]
        )
        ok = ok & ~bad_d
        day = d.dt.strftime("%Y-%m-%d")
    elif table.has("weekday"):
        day = table.text(table.col("weekday")).fillna("")
    aht_v = pd.Series(np.nan, index=table.body.index)
    if aht is not None:
        aht_v, bad_a = V.parse_amount(table.body[aht.idx])
        rows.reject(table, bad_a & ok, "warning", "bad_number", aht, table.body[aht.idx])
    frame = pd.DataFrame(
        {
            "day": day[ok].to_numpy(),
            "interval": interval[ok].to_numpy(),
            "calls": calls[calls_col.idx][ok].to_numpy(),
            "aht_s": aht_v[ok].to_numpy(),
            **rows.source(table, table.body.index[ok]),
        }
    )
    part = rows.Part(frames={"staffing": frame[STAFFING_COLUMNS]})
    part.inputs.append(rows.account(table, "staffing", table.body, ok, None, 0))
    return part
