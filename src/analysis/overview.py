"""What was loaded: per-file counts, period coverage per table, the data-quality summary.

Pure functions over a loaded :class:`analysis.io.Dataset`-like object (attributes ``plan``,
``actuals``, ``presales``, ``aftersales``, ``roster``, ``staffing``, ``dq``, ``inputs``).
Why: the overview page is the first thing a manager checks before trusting the other reports.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

TABLES = ("plan", "actuals", "presales", "aftersales", "roster", "staffing")

LABELS = {
    "zh": {
        "plan": "预算",
        "actuals": "实际支出",
        "presales": "售前考核",
        "aftersales": "售后考核",
        "roster": "花名册",
        "staffing": "来电量",
        "files": "文件数",
        "rows_loaded": "载入行数",
        "dq_errors": "数据错误",
        "dq_warnings": "数据警告",
        "latest_actual": "最新实际月份",
        "table": "数据表",
        "first": "起始月份",
        "last": "截止月份",
        "months": "月数",
        "rows": "行数",
        "rows_read": "读取行数",
        "rows_reported": "列入数据质量",
        "sheet": "工作表",
        "amount_read": "金额合计(元)",
        "count": "条数",
        "cov_title": "各数据表每月行数",
        "cov_y": "行数(行)",
        "cov_x": "月份",
        "intro": "本页列出本次读取的每个文件、各数据表覆盖的月份, 以及未进入分析或存疑的数据行。",
        "sec_files": "读取的文件",
        "sec_coverage": "期间覆盖",
        "sec_dq": "数据质量",
        "sec_dq_detail": "数据质量明细 (前 {n} 条)",
        "no_dq": "没有数据质量问题。",
        "conservation": "行数守恒: 读取 {read:,} 行 = 载入 {loaded:,} 行 + 列入数据质量 {reported:,} 行。",
    },
    "en": {
        "plan": "Plan",
        "actuals": "Actual spending",
        "presales": "Pre-sales scorecards",
        "aftersales": "After-sales scorecards",
        "roster": "Roster",
        "staffing": "Call volumes",
        "files": "Files",
        "rows_loaded": "Rows loaded",
        "dq_errors": "Data errors",
        "dq_warnings": "Data warnings",
        "latest_actual": "Latest actual month",
        "table": "Table",
        "first": "First month",
        "last": "Last month",
        "months": "Months",
        "rows": "Rows",
        "rows_read": "Rows read",
        "rows_reported": "Rows reported",
        "sheet": "Sheet",
        "amount_read": "Amount read (CNY)",
        "count": "Count",
        "cov_title": "Rows per month by table",
        "cov_y": "Rows",
        "cov_x": "Month",
        "intro": "Every file read in this run, the months each table covers, and the rows left out or in doubt.",
        "sec_files": "Files read",
        "sec_coverage": "Period coverage",
        "sec_dq": "Data quality",
        "sec_dq_detail": "Data-quality details (first {n})",
        "no_dq": "No data-quality issues.",
        "conservation": "Rows conserved: {read:,} read = {loaded:,} loaded + {reported:,} reported.",
    },
}


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
        ),
        "dq_errors": int((dq["severity"] == "error").sum()) if len(dq) else 0,
        "dq_warnings": int((dq["severity"] == "warning").sum()) if len(dq) else 0,
        "latest_actual": ds.latest_period or "—",
    }
