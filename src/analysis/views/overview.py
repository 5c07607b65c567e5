"""数据概览 as data: everything the overview page shows, built and labelled in one call.

Why: the overview is the page a manager checks before trusting the others; building it here keeps
the notebook to one call and a cell per section, and lets tests check each table with small
frames. The numbers come from :mod:`analysis.overview`; the words from
``catalog/<lang>/overview.toml``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import fmt, overview, report
from analysis.catalog import labels
from analysis.report import Col
from analysis.views.table import Table
from analysis.views.words import words

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
READING_COUNTS = ["rows_loaded", "rows_total", "rows_section", "rows_note", "rows_rejected"]
READING_TEXT = ["range", "header_rows", "unit", "sign", "year"]
DQ_COLUMNS = ["severity", "code", "file", "sheet", "row", "column", "value", "message"]
#: Data-quality lines shown on the page (all of them are in data_quality.csv).
DQ_DETAIL_ROWS = 200


@dataclass(frozen=True)
class OverviewView:
    """The overview page: title, tiles, and one table (or chart input) per section.

    ``dq_summary``/``dq_detail`` are None when there is nothing to report (the page says so).
    """

    lang: str
    period: str
    title: str
    t: Callable[..., str]
    tiles: list[dict[str, Any]]
    files: Table
    conservation: str
    readings: Table
    coverage: Table
    rows_per_month: pd.DataFrame
    chart_labels: dict[str, str]
    dq_summary: Table | None
    dq_detail_heading: str
    dq_detail: Table | None


def readings_table(inputs: pd.DataFrame | None, lang: str) -> pd.DataFrame:
    """How each file was read, in words a manager can check (one row per table).

    Layout codes become words, each unit, sign and year carries where it came from, and the row
    accounting says where every row went (loaded, total, section, note, rejected).
    """
    r = overview.readings(inputs)
    t = words(lang, "overview")
    sign_words = {"positive": t("sign_positive"), "negative": t("sign_negative")}
    out = pd.DataFrame(
        {
            "file": r["file"].map(overview.cell_text),
            "sheet": r["sheet"].map(overview.cell_text),
            "layout": [
                overview.layout_label(lay, st, lang, kind)
                for lay, st, kind in zip(r["layout"], r["status"], r["kind"], strict=True)
            ],
            "range": r["range"].map(overview.cell_text),
            "header_rows": r["header_rows"].map(overview.cell_text),
            "unit": _sourced(r["unit"], r["unit_source"]),
            "sign": _sourced(
                [sign_words.get(overview.cell_text(v), overview.cell_text(v)) for v in r["sign"]],
                r["sign_source"],
            ),
            "year": _sourced(r["year"], r["year_source"]),
        }
    )
    for c in READING_COUNTS:
        out[c] = pd.to_numeric(r[c], errors="coerce")
    money = ~r["kind"].map(overview.cell_text).isin(overview.NON_MONEY_KINDS)
    out["amount_loaded"] = pd.to_numeric(r["amount_loaded"], errors="coerce").where(money)
    return out[READING_DISPLAY]


def _sourced(values: Any, sources: Any) -> list[str]:
    return [overview.with_source(v, s) for v, s in zip(values, sources, strict=True)]


def _count(label: str) -> Col:
    return Col(label, fmt.num, numeric=True)


def _money(value: Any) -> str:
    return fmt.yuan(value, unit=False)


def _tiles(ds: Any, t: Callable[..., str]) -> list[dict[str, Any]]:
    head = overview.headline(ds)
    return [
        {"label": t("files"), "value": fmt.num(head["files"])},
        {"label": t("rows_loaded"), "value": fmt.num(head["rows_loaded"])},
        {
            "label": t("dq_errors"),
            "value": fmt.num(head["dq_errors"]),
            "tone": "over" if head["dq_errors"] else None,
        },  # fmt: skip
        {
            "label": t("dq_warnings"),
            "value": fmt.num(head["dq_warnings"]),
            "tone": "warn" if head["dq_warnings"] else None,
        },  # fmt: skip
        {"label": t("latest_actual"), "value": head["latest_actual"]},
    ]


def _files(inputs: pd.DataFrame, t: Callable[..., str], lang: str) -> Table:
    known = labels("overview", lang)
    # An ACD summary comes from calls/ but is no call log: named by its table, not its folder.
    kind = inputs["kind"]
    if "table" in inputs.columns:
        kind = inputs["table"].where(inputs["table"].eq("acd"), kind)
    shown = inputs.assign(kind=kind.map(lambda k: known.get(k, k)))
    cols = {c: t(c) for c in ("file", "sheet", "kind")}
    cols.update({c: _count(t(c)) for c in ("rows_read", "rows_loaded", "rows_reported")})
    return Table(shown, cols)


def _readings(inputs: pd.DataFrame | None, t: Callable[..., str], lang: str) -> Table:
    cols: dict[str, Col | str] = {"file": t("file"), "sheet": t("sheet"), "layout": t("r_layout")}
    cols.update({c: t(f"r_{c}") for c in READING_TEXT})
    cols.update({c: _count(t(f"r_{c}")) for c in READING_COUNTS})
    cols["amount_loaded"] = Col(t("r_amount_loaded"), _money, numeric=True)
    return Table(readings_table(inputs, lang), cols, empty=t("no_readings"))


def _coverage(ds: Any, t: Callable[..., str]) -> Table:
    cov = overview.coverage(ds)
    cols: dict[str, Col | str] = {c: t(c) for c in ("table", "first", "last")}
    cols.update({c: _count(t(c)) for c in ("months", "rows")})
    return Table(cov.assign(table=cov["table"].map(t)), cols)


def code_word(code: Any, lang: str) -> str:
    """A data-quality code as people read it: the head of its message ("合计不符", "total does
    not match"), without the row's figures. Why: the page speaks words; the code stays in
    data_quality.csv, the machine interface."""
    from analysis.catalog import labels

    text = labels("dq", "en" if lang == "en" else "zh").get(str(code))
    if text is None:
        return str(code)
    return re.split(r"[:：,，(（;；]", text, maxsplit=1)[0].strip() or str(code)


def _dq(
    dq: pd.DataFrame | None, t: Callable[..., str], lang: str = "zh"
) -> tuple[Table | None, Table | None]:
    summary = overview.dq_summary(dq)
    if summary.empty or dq is None:
        return None, None
    error = t("error")

    def tone(row: Mapping[str, Any]) -> str | None:
        return "over" if row["severity"] == error else None

    by_code = Table(
        summary.assign(
            severity=summary["severity"].map(t), code=[code_word(c, lang) for c in summary["code"]]
        ),
        {"severity": t("severity"), "code": t("dq_kind"), "count": _count(t("count"))},
    )
    detail = Table(
        dq.assign(severity=dq["severity"].map(t), code=[code_word(c, lang) for c in dq["code"]]),
        {c: t("dq_kind") if c == "code" else t(c) for c in DQ_COLUMNS},
        row_tone=tone,
        max_rows=DQ_DETAIL_ROWS,
    )
    return by_code, detail


def build(
    ds: Any, cfg: Mapping[str, Any] | None = None, period: str = "", lang: str = "zh"
) -> OverviewView:
    """Everything 数据概览 shows for a loaded dataset ``ds`` (``cfg`` is not needed here)."""
    fmt.use_lang(lang)
    t = words(lang, "overview")
    period = period or getattr(ds, "latest_period", "") or ""
    inputs = ds.inputs
    summary, detail = _dq(ds.dq, t, lang)
    return OverviewView(
        lang=lang,
        period=period,
        title=f"{t('overview')} · {period}" if period else t("overview"),
        t=t,
        tiles=_tiles(ds, t),
        files=_files(inputs, t, lang),
        conservation=t(
            "conservation",
            read=int(inputs["rows_read"].sum()),
            loaded=int(inputs["rows_loaded"].sum()),
            reported=int(inputs["rows_reported"].sum()),
        ),
        readings=_readings(inputs, t, lang),
        coverage=_coverage(ds, t),
        rows_per_month=overview.rows_per_month(ds),
        chart_labels={k: t(k) for k in ("cov_title", "cov_y", "cov_x", *overview.TABLES)},
        dq_summary=summary,
        dq_detail_heading=t("sec_dq_detail", n=DQ_DETAIL_ROWS),
        dq_detail=detail,
    )


def write_exports(view: OverviewView, out_dir: str | Path) -> None:
    """Record the page's headline tiles for the landing page; nothing without ``out_dir``.

    Returns None, so a notebook cell that ends with this call shows nothing (no path repr).
    """
    report.save_headlines(out_dir, "overview", view.tiles)
