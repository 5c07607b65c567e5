"""What was loaded: per-file counts, period coverage per table, the data-quality summary.

Pure functions over a loaded :class:`analysis.io.Dataset`-like object (attributes ``plan``,
``actuals``, ``presales``, ``aftersales``, ``roster``, ``staffing``, ``dq``, ``inputs``).
Why: the overview page is the first thing a manager checks before trusting the other reports.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from analysis.schema import LAYOUTS, READING_COLUMNS

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
        "sec_readings": "各文件的读取方式",
        "readings_note": "每张表是怎样读的: 表格位置、表头、单位、正负号与年份的来源, 以及每一行的去向。"
        "若某项读法不对, 可在数据文件夹的 config.toml 中用 [[read]] 固定。",
        "no_readings": "没有读取任何表格。",
        "r_layout": "读法",
        "r_range": "范围",
        "r_header_rows": "表头行",
        "r_unit": "单位",
        "r_sign": "正负号",
        "r_year": "年份",
        "r_rows_loaded": "载入行",
        "r_rows_total": "合计行",
        "r_rows_section": "分节行",
        "r_rows_note": "说明行",
        "r_rows_rejected": "拒收行",
        "r_amount_loaded": "载入金额(元)",
        "layout_ledger": "流水账(每行一笔)",
        "layout_wide_plan": "月度预算(每月一列)",
        "layout_annual_plan": "年度预算(按月分摊)",
        "layout_long_plan": "月度预算(每行一个月)",
        "layout_plan_actual": "预算与实际并列",
        "layout_monthly_actuals": "月度实际(每月一列)",
        "layout_presales": "售前考核表",
        "layout_aftersales": "售后考核表",
        "layout_callbacks": "回访记录",
        "layout_qa_log": "质检记录",
        "layout_roster": "花名册",
        "layout_staffing": "来电量",
        "status_skipped": "未读取",
        "status_duplicate": "重复, 只读一次",
        "status_hidden": "隐藏工作表, 未读取",
        "status_empty": "空表",
        "sign_positive": "支出为正数",
        "sign_negative": "支出为负数(已转为正数)",
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
        "sec_readings": "How each file was read",
        "readings_note": "How every table was read: where it is, its header, where the unit, sign and "
        "year came from, and where each row went. A reading that is wrong can be pinned with "
        "[[read]] in the data folder's config.toml.",
        "no_readings": "No table was read.",
        "r_layout": "Layout",
        "r_range": "Range",
        "r_header_rows": "Header rows",
        "r_unit": "Unit",
        "r_sign": "Sign",
        "r_year": "Year",
        "r_rows_loaded": "Rows loaded",
        "r_rows_total": "Total rows",
        "r_rows_section": "Section rows",
        "r_rows_note": "Note rows",
        "r_rows_rejected": "Rows rejected",
        "r_amount_loaded": "Amount loaded (CNY)",
        "layout_ledger": "Ledger (one line per entry)",
        "layout_wide_plan": "Monthly plan (a column per month)",
        "layout_annual_plan": "Annual plan (spread over the months)",
        "layout_long_plan": "Monthly plan (a row per month)",
        "layout_plan_actual": "Plan and actual side by side",
        "layout_monthly_actuals": "Monthly actuals (a column per month)",
        "layout_presales": "Pre-sales scorecard",
        "layout_aftersales": "After-sales scorecard",
        "layout_callbacks": "Callback log",
        "layout_qa_log": "QA log",
        "layout_roster": "Roster",
        "layout_staffing": "Call volumes",
        "status_skipped": "not read",
        "status_duplicate": "duplicate, read once",
        "status_hidden": "hidden sheet, not read",
        "status_empty": "empty table",
        "sign_positive": "expenses positive",
        "sign_negative": "expenses negative (turned positive)",
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


#: The columns of the 各文件的读取方式 table, in display order.
READING_DISPLAY = [
    "file",
    "sheet",
    "layout",
    "range",
    "header_rows",
    "unit",
    "sign",
    "year",
    "rows_loaded",
    "rows_total",
    "rows_section",
    "rows_note",
    "rows_rejected",
    "amount_loaded",
]
_COUNTS = ["rows_loaded", "rows_total", "rows_section", "rows_note", "rows_rejected"]
#: Tables that carry no money: their amount columns are blank, not 0.
NON_MONEY_KINDS = frozenset(
    {"scorecards", "presales", "aftersales", "callbacks", "qa_log", "roster", "staffing"}
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
    layout, the table's kind (``plan`` → 预算) so the column is never blank for a table read."""
    labels = LABELS[lang]
    code = cell_text(layout)
    word = labels.get(f"layout_{code}", code) if code in LAYOUTS else code
    if not word and cell_text(kind) in TABLES:
        word = labels[cell_text(kind)]
    state = cell_text(status)
    if state and state != "read":
        extra = labels.get(f"status_{state}", state)
        return f"{word} ({extra})" if word else extra
    return word


def with_source(value: Any, source: Any) -> str:
    v, s = cell_text(value), cell_text(source)
    if v and s:
        return f"{v} ({s})"
    return v or (f"({s})" if s else "")


def readings_table(inputs: pd.DataFrame | None, lang: str) -> pd.DataFrame:
    """How each file was read, in words a manager can check (one row per table).

    Layout codes become words, each unit, sign and year carries where it came from, and the row
    accounting says where every row went (loaded, total, section, note, rejected).
    """
    r = readings(inputs)
    labels = LABELS[lang]
    sign_words = {"positive": labels["sign_positive"], "negative": labels["sign_negative"]}
    out = pd.DataFrame(
        {
            "file": r["file"].map(cell_text),
            "sheet": r["sheet"].map(cell_text),
            "layout": [
                layout_label(lay, st, lang, kind)
                for lay, st, kind in zip(r["layout"], r["status"], r["kind"], strict=True)
            ],
            "range": r["range"].map(cell_text),
            "header_rows": r["header_rows"].map(cell_text),
            "unit": [with_source(u, s) for u, s in zip(r["unit"], r["unit_source"], strict=True)],
            "sign": [
                with_source(sign_words.get(cell_text(v), cell_text(v)), s)
                for v, s in zip(r["sign"], r["sign_source"], strict=True)
            ],
            "year": [with_source(y, s) for y, s in zip(r["year"], r["year_source"], strict=True)],
        }
    )
    for c in _COUNTS:
        out[c] = pd.to_numeric(r[c], errors="coerce")
    money = ~r["kind"].map(cell_text).isin(NON_MONEY_KINDS)
    out["amount_loaded"] = pd.to_numeric(r["amount_loaded"], errors="coerce").where(money)
    return out[READING_DISPLAY]
