"""What was loaded: per-file counts, period coverage per table, the data-quality summary.

Numbers and codes for the 数据概览 page (``analysis.views.overview`` puts them in words), plus the
small reading helpers ``analysis check`` shares with that page. Pure functions over a loaded :class:`analysis.io.Dataset`-like object (attributes ``plan``,
``actuals``, ``presales``, ``aftersales``, ``roster``, ``staffing``, ``dq``, ``inputs``).
Why: the overview page is the first thing a manager checks before trusting the other reports.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from analysis.schema import LAYOUTS, READING_COLUMNS
from analysis.views.words import words

TABLES = ("plan", "actuals", "presales", "aftersales", "roster", "staffing")


def _periods(frame: pd.DataFrame) -> pd.Series:
    if "period" in frame.columns:
        return frame["period"].dropna().astype(str)
    if "day" in frame.columns:
        return (
            frame["day"]
            .dropna()
            .astype(str)
            .str.slice(0, 7)
            .where(lambda s: s.str.match(r"^\d{4}-\d{2}$"))
        )
    return pd.Series(dtype=str)


def _service_tables(ds: Any) -> list[tuple[str, list[str], int]]:
    """(table, months, rows) of the service inputs: call logs (Parquet parts, counted from the
    readings), complaint records and ACD summaries. Without them the overview said 载入行数 3,653
    beside 225,968 calls loaded, and a folder of a ViciDial summary alone said 0."""
    out = []
    inputs = getattr(ds, "inputs", None)
    has_table = inputs is not None and "table" in inputs.columns
    calls = inputs[inputs["table"] == "calls"] if has_table else None
    if calls is not None and len(calls):
        periods = getattr(ds, "periods", None) or {}
        out.append(("calls", list(periods.get("calls", [])), int(calls["rows_loaded"].sum())))
    for name, when in (("complaints", "received"), ("acd", "period")):
        frame = getattr(ds, name, None)
        if frame is None or not len(frame):
            continue
        per = frame[when] if when in frame.columns else pd.Series(dtype=str)
        if when == "received":
            per = pd.to_datetime(per, errors="coerce").dt.strftime("%Y-%m")
        out.append((name, sorted(per.dropna().astype(str).unique()), int(len(frame))))
    return out


def coverage(ds: Any) -> pd.DataFrame:
    """One row per table: first and last month, number of months, rows."""
    rows = []
    for name in TABLES:
        frame = getattr(ds, name, None)
        if frame is None:
            continue
        per = _periods(frame).dropna()
        rows.append(
            {
                "table": name,
                "first": per.min() if len(per) else None,
                "last": per.max() if len(per) else None,
                "months": int(per.nunique()),
                "rows": int(len(frame)),
            }
        )
    for name, months, n in _service_tables(ds):
        rows.append(
            {
                "table": name,
                "first": months[0] if months else None,
                "last": months[-1] if months else None,
                "months": len(months),
                "rows": n,
            }
        )
    return pd.DataFrame(rows, columns=["table", "first", "last", "months", "rows"])


def rows_per_month(
    ds: Any, tables: tuple[str, ...] = ("plan", "actuals", "presales", "aftersales")
) -> pd.DataFrame:
    """Rows per month per table, wide (period × table), for the coverage chart."""
    parts = []
    for name in tables:
        frame = getattr(ds, name, None)
        if frame is None or frame.empty:
            continue
        parts.append(_periods(frame).value_counts().rename(name))
    if not parts:
        return pd.DataFrame()
    return pd.concat(parts, axis=1).fillna(0).astype(int).sort_index()


def dq_summary(dq: pd.DataFrame) -> pd.DataFrame:
    """Counts by severity and code, errors first."""
    if dq is None or dq.empty:
        return pd.DataFrame(columns=["severity", "code", "count"])
    order = {"error": 0, "warning": 1, "info": 2}
    return (
        dq.groupby(["severity", "code"], as_index=False)
        .size()
        .rename(columns={"size": "count"})
        .assign(_o=lambda d: d["severity"].map(order))
        .sort_values(["_o", "count"], ascending=[True, False])
        .drop(columns="_o")
        .reset_index(drop=True)
    )


def headline(ds: Any) -> dict[str, Any]:
    """The overview's headline figures (raw numbers; the notebook formats them)."""
    dq = ds.dq
    inputs = ds.inputs
    return {
        "files": int(inputs["file"].nunique()) if len(inputs) else 0,
        "rows_loaded": int(
            sum(len(getattr(ds, t)) for t in TABLES if getattr(ds, t, None) is not None)
            + sum(n for _name, _months, n in _service_tables(ds))
        ),
        "dq_errors": int((dq["severity"] == "error").sum()) if len(dq) else 0,
        "dq_warnings": int((dq["severity"] == "warning").sum()) if len(dq) else 0,
        "latest_actual": ds.latest_period or "—",
    }


#: Tables that carry no money: their amount columns are blank, not 0.
NON_MONEY_KINDS = frozenset(
    {
        "scorecards",
        "presales",
        "aftersales",
        "callbacks",
        "qa_log",
        "roster",
        "staffing",
        "calls",
        "acd",
        "complaints",
    }
)


def readings(inputs: pd.DataFrame | None) -> pd.DataFrame:
    """The loader's readings with exactly the columns ``schema.READING_COLUMNS``.

    Why: ``inputs_read.csv``, run.json and this page share one shape; a column the loader does
    not fill (yet) is blank rather than missing.
    """
    if inputs is None:
        return pd.DataFrame(columns=READING_COLUMNS)
    return inputs.reindex(columns=READING_COLUMNS).reset_index(drop=True)


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def layout_label(layout: Any, status: Any, lang: str, kind: Any = "") -> str:
    """A layout code (``wide_plan``) and status (``duplicate``) in words of ``lang``; without a
    layout, the table's kind (``plan`` → 预算) so the column is never blank for a table read.

    Words come from ``catalog/<lang>/overview.toml`` (``layout_*``, ``status_*``, table names).
    """
    t = words(lang, "overview")
    code = cell_text(layout)
    word = t(f"layout_{code}") if code in LAYOUTS else code
    if not word and cell_text(kind) in TABLES:
        word = t(cell_text(kind))
    state = cell_text(status)
    if state and state != "read":
        extra = t(f"status_{state}")
        return f"{word} ({extra})" if word else extra
    return word


def with_source(value: Any, source: Any) -> str:
    v, s = cell_text(value), cell_text(source)
    if v and s:
        return f"{v} ({s})"
    return v or (f"({s})" if s else "")
