"""The budget report (10_budget, 预算执行分析) as data: :func:`build` returns everything the
notebook shows, :func:`show` renders its tables, :func:`write_exports` writes its files.

Why: the notebook used to carry tile dicts, column maps, formatting lambdas, a drill-down loop and
the CSV/XLSX writing, tested only by slow papermill runs. Here they are plain functions, unit-tested
with small frames; the notebook is parameters, one ``build`` call and one short cell per section.
Numbers come from :mod:`analysis.budget` (codes, no language); words from
``catalog/<lang>/budget.toml``. ``budget_variance.csv`` keeps codes and English headers (the
machine interface); ``budget.xlsx`` and the HTML speak the run's language.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import budget, fmt, report
from analysis.catalog import words
from analysis.outputs import write_csv, write_xlsx
from analysis.report import Col
from analysis.views.verdict import Line

#: Money and rate columns of the variance table (CSV: 2 decimals; XLSX: 元 and % formats).
MONEY = [
    "plan",
    "actual",
    "variance",
    "plan_ytd",
    "actual_ytd",
    "variance_ytd",
    "plan_full_year",
    "forecast_full_year",
]
PCT = ["variance_pct", "execution_rate", "variance_ytd_pct", "execution_rate_ytd"]
#: How many overspends are listed, drilled into, and ledger lines shown per drill-down.
OVERSPENDS, DRILLDOWNS, LINES_SHOWN = 5, 3, 8


@dataclass
class Table:
    """One table as the report shows it: optional heading and note, the frame and its columns.

    ``frame`` is labelled for display (statuses in words) and may hold ``_tone`` per row
    ("over", "under", "warn"); ``optional`` tables are left out when they have no rows.
    """

    frame: pd.DataFrame
    columns: dict[str, Col | str]
    heading: str = ""
    note: str | None = None
    level: int = 2
    total: dict[str, Any] | None = None
    empty: str = "—"
    max_rows: int | None = None
    optional: bool = False


@dataclass
class BudgetView:
    """Everything 10_budget shows for one period and language."""

    period: str
    lang: str
    t: Callable[..., str]
    title: str
    intro: str
    tiles: list[dict[str, Any]]
    table: pd.DataFrame  # the variance table with status codes (budget_variance.csv)
    shown: pd.DataFrame  # the same plus run_rate_full_year
    departments: pd.DataFrame
    grand: dict[str, Any]
    monthly: pd.DataFrame
    tie: pd.DataFrame
    revisions: pd.DataFrame
    unmapped: pd.DataFrame
    overspends: pd.DataFrame
    sections: dict[str, list[Table]] = field(default_factory=dict)
    compare: dict[str, Any] = field(default_factory=dict)  # budget.comparisons: 环比, 同比
    verdict: list[Line] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# formatting (people read these; the frames keep numbers)


def _money(v: Any) -> str:
    return fmt.yuan(v, unit=False)


def _signed(v: Any) -> str:
    return fmt.yuan(v, unit=False, signed=True)


def _rate(v: Any) -> str:
    return fmt.pct(v)


def _signed_rate(v: Any) -> str:
    return fmt.pct(v, signed=True)


def _day(v: Any) -> str:
    return "" if pd.isna(v) else pd.Timestamp(v).strftime("%Y-%m-%d")


def tone(status: str) -> str | None:
    """Row or tile colour of a status code: "over" for bad news, "under" for good, else None."""
    if status in budget.UNFAVOURABLE:
        return "over"
    if status in budget.FAVOURABLE:
        return "under"
    return None


def category_word(category: object, t: Callable[..., str]) -> str:
    """A category as shown: the 计划外支出 bucket in the report's language, others as written."""
    return t("unbudgeted_category") if category == budget.UNBUDGETED else str(category)


def labelled(df: pd.DataFrame, t: Callable[..., str]) -> pd.DataFrame:
    """Status codes and the 计划外支出 bucket in words, plus ``_tone`` per row (for display)."""
    out = df.copy()
    if "status" in out:
        out = out.assign(
            _tone=[tone(s) for s in out["status"]],
            status=[t(f"statuses.{s}") if s else "" for s in out["status"]],
        )
    if "status_month" in out:
        out["status_month"] = [t(f"statuses.{s}") if s else "" for s in out["status_month"]]
    if "category" in out:
        out["category"] = [category_word(c, t) for c in out["category"]]
    return out


def columns(t: Callable[..., str]) -> dict[str, Col | str]:
    """Every column the report shows, with its label and formatter; tables pick by key."""
    money = ("plan", "actual", "plan_ytd", "actual_ytd", "plan_full_year", "forecast_full_year")
    cols: dict[str, Col | str] = {
        k: t(k) for k in ("department", "category", "item", "status", "status_month")
    }
    cols.update({k: Col(t(k), _money, numeric=True) for k in money})
    cols.update(
        {k: Col(t(k), _signed, numeric=True) for k in ("variance", "variance_ytd", "change")}
    )
    cols.update(
        {k: Col(t(k), _rate, numeric=True) for k in ("execution_rate", "execution_rate_ytd")}
    )
    cols["variance_ytd_pct"] = Col(t("variance_ytd_pct"), _signed_rate, numeric=True)
    cols["run_rate_full_year"] = Col(t("run_rate_full_year"), _money, numeric=True)
    for k in ("original_ytd", "revised_ytd", "original_full_year", "revised_full_year"):
        cols[k] = Col(t(k), _money, numeric=True)
    for k in ("amount", "amount_month", "amount_ytd"):
        cols[k] = Col(t(k), _money, numeric=True)
    cols.update({k: t(k) for k in ("label", "proposed", "config_line", "ledger_label")})
    cols.update({k: t(k) for k in ("description", "voucher", "source_file", "source_sheet")})
    cols.update({"source_row": t("source_row"), "date": Col(t("date"), _day)})
    cols["lines"] = Col(t("lines"), fmt.num, numeric=True)
    return cols


def pick(cols: Mapping[str, Col | str], keys: Iterable[str]) -> dict[str, Col | str]:
    """The named columns, in the given order."""
    return {k: cols[k] for k in keys}


MONTH_KEYS = ("period", "plan", "actual", "variance", "share_of_ytd_variance")


def month_columns(t: Callable[..., str]) -> dict[str, Col | str]:
    """Columns of a months table (``budget.monthly_variance``)."""
    return {
        "period": t("month"),
        "plan": Col(t("legend_plan"), _money, numeric=True),
        "actual": Col(t("legend_actual"), _money, numeric=True),
        "variance": Col(t("variance"), _signed, numeric=True),
        "share_of_ytd_variance": Col(t("share"), _rate, numeric=True),
        "mom_change": Col(t("mom_change"), _signed, numeric=True),
        "cum_plan": Col(t("plan_ytd"), _money, numeric=True),
        "cum_actual": Col(t("actual_ytd"), _money, numeric=True),
    }


# ---------------------------------------------------------------------------------------------
# build


def build(ds: Any, cfg: Mapping[str, Any], period: str = "", lang: str = "zh") -> BudgetView:
    """Everything the budget report shows for ``period`` (empty: the data's latest month).

    ``ds`` is an ``analysis.io.Dataset`` (or anything with ``plan``, ``actuals``, ``dq`` and
    ``latest_period``). Raises ``budget.BudgetTieOutError`` when the table does not tie to the
    ledger: a wrong figure is never shown. Sets the money unit of ``analysis.fmt`` for ``lang``.
    """
    fmt.use_lang(lang)
    t = words(lang, "budget")
    period = period or getattr(ds, "latest_period", None) or ""
    plan, actuals = ds.plan, ds.actuals
    table = budget.reconcile(plan, actuals, period, cfg)
    departments = budget.totals(table, "department", cfg)
    grand = budget.totals(table, None, cfg).iloc[0].to_dict()
    b_cfg = budget.rules(cfg)
    view = BudgetView(
        period=period,
        lang=lang,
        t=t,
        title=f"{t('title')} · {period}",
        intro=t(
            "intro",
            period=period,
            pct=fmt.pct(b_cfg["materiality_pct"], decimals=0),
            amount=fmt.yuan(b_cfg["materiality_amount"], decimals=0),
        ),
        tiles=[],
        table=table,
        shown=budget.landing(table),
        departments=departments,
        grand=grand,
        monthly=budget.monthly_variance(plan, actuals, period, cfg),
        tie=budget.tie_out(table, actuals, period),
        revisions=budget.plan_revisions(plan, period, cfg),
        unmapped=budget.unmapped_labels(actuals, plan, period, cfg),
        overspends=budget.largest_overspends(table, n=OVERSPENDS),
    )
    view.compare = budget.comparisons(plan, actuals, period, cfg) if period else {}
    view.tiles = tiles(table, grand, cfg, t, view.compare, lang)
    view.verdict = verdict(table, grand, view.overspends, view.compare, cfg, t)
    view.sections = {
        "variance": _variance_tables(view),
        "overspends": _overspend_tables(view, ds, cfg),
        "months": [_months_table(view)],
        "revisions": [_revisions_table(view)],
        "reconciliation": _reconciliation_tables(view, ds),
    }
    return view


def _compare_sub(compare: Mapping[str, Any], t: Callable[..., str]) -> str:
    """ "上月 379,026.81 元, 环比 +0.96 %; 去年同月 …" (only the comparisons the data has)."""
    parts = []
    if compare.get("prev_actual") is not None:
        parts.append(t("cmp_mom", prev=fmt.yuan(compare["prev_actual"]),
                       change=fmt.yuan(compare["mom_change"], signed=True),
                       pct=fmt.pct(compare["mom_pct"], signed=True)))  # fmt: skip
    if compare.get("ly_actual") is not None:
        parts.append(t("cmp_yoy", prev=fmt.yuan(compare["ly_actual"]),
                       change=fmt.yuan(compare["yoy_change"], signed=True),
                       pct=fmt.pct(compare["yoy_pct"], signed=True)))  # fmt: skip
    return t("cmp_sep").join(parts)


def verdict(
    table: pd.DataFrame,
    grand: Mapping[str, Any],
    overspends: pd.DataFrame,
    compare: Mapping[str, Any],
    cfg: Mapping[str, Any],
    t: Callable[..., str],
) -> list[Line]:
    """The first screen in sentences: the overall status word, overspent lines counted and the
    largest named, 累计执行率 beside 序时进度, this month's plan beside actual with 环比/同比,
    and the lines whose month disagrees with their year to date."""
    if table.empty:
        return []
    head = budget.headline(table, cfg)
    period = str(table["period"].iloc[0])
    cost = budget.cost_lines(table, cfg)
    # judged on the cost lines, as the headline figures are (revenue is reported on its own)
    status = str(budget.totals(cost, None, cfg).iloc[0]["status"]) if len(cost) else ""
    out = [
        Line(
            t("v_overall", status=t(f"statuses.{status}") if status else t("statuses.on_track"),
              actual=fmt.yuan(head["actual_ytd"]), plan=fmt.yuan(head["plan_ytd"]),
              variance=fmt.yuan(head["variance_ytd"], signed=True),
              pct=fmt.pct(head["variance_ytd"] / head["plan_ytd"] if head["plan_ytd"] else None,
                          signed=True)),
            tone(status),
        )
    ]  # fmt: skip
    over = table[table["status"].isin([budget.STATUS_OVER, budget.STATUS_REVENUE_UNDER])]
    unbudgeted = table[table["status"] == budget.STATUS_UNBUDGETED]
    if len(over):
        top = largest(over)
        name = " / ".join(
            str(p) for p in (top["department"], category_word(top["category"], t), top["item"]) if p
        )
        out.append(Line(t("v_over", n=len(over), name=name, status=t(f"statuses.{top['status']}"),
                          variance=fmt.yuan(top["variance_ytd"], signed=True),
                          pct=fmt.pct(top["variance_ytd_pct"], signed=True)), "over"))  # fmt: skip
    else:
        out.append(Line(t("v_no_over"), "under"))
    if len(unbudgeted):
        out.append(Line(t("v_unbudgeted", n=len(unbudgeted),
                          amount=fmt.yuan(unbudgeted["actual_ytd"].sum())), "warn"))  # fmt: skip
    used = head["actual_ytd"] / head["plan_full_year"] if head["plan_full_year"] else None
    elapsed = budget.year_elapsed(period)
    out.append(Line(t("v_pace", rate=fmt.pct(head["execution_rate_ytd"]), used=fmt.pct(used),
                      elapsed=fmt.pct(elapsed), months=int(period[5:7]))))  # fmt: skip
    month = t("v_month", actual=fmt.yuan(head["actual"]), plan=fmt.yuan(head["plan"]),
              rate=fmt.pct(head["execution_rate"]))  # fmt: skip
    extra = _compare_sub(compare, t)
    out.append(Line(f"{month}{t('cmp_sep')}{extra}" if extra else month))
    differ = table[
        table["status_month"].isin(budget.UNFAVOURABLE) & ~table["status"].isin(budget.UNFAVOURABLE)
    ] if "status_month" in table else table.iloc[0:0]  # fmt: skip
    if len(differ):
        out.append(Line(t("v_month_over", n=len(differ)), "warn"))
    return out


def largest(over: pd.DataFrame) -> pd.Series:
    """The most unfavourable line of ``over`` (cost over: largest variance; revenue short:
    most negative), as :func:`budget.largest_overspends` orders them."""
    return budget.largest_overspends(over, n=1).iloc[0]


def _short_money(v: Any, lang: str) -> str:
    """A tile's amount: 万元 in Chinese, whole yuan in English (fits a phone's tile)."""
    return fmt.wan(v) if lang == "zh" and abs(v) >= 100_000 else fmt.yuan(v, decimals=0)


def tiles(
    table: pd.DataFrame,
    grand: Mapping[str, Any],
    cfg: Mapping[str, Any],
    t: Callable[..., str],
    compare: Mapping[str, Any] | None = None,
    lang: str = "zh",
) -> list[dict[str, Any]]:
    """The headline tiles (label, value, sub, tone), cost lines only; tones follow statuses
    judged with the materiality thresholds, never a bare sign. The month's tile shows actual
    and plan side by side, with the previous month (环比) and last year (同比) where known."""
    head = budget.headline(table, cfg)
    landing_status = budget.totals(
        table.assign(
            plan_ytd=table["plan_full_year"],
            variance_ytd=table["forecast_full_year"] - table["plan_full_year"],
        ),
        None,
        cfg,
    ).iloc[0]["status"]
    rate_ytd = head["variance_ytd"] / head["plan_ytd"] if head["plan_ytd"] else None
    landing_sub = t(
        "tile_landing_sub",
        plan=fmt.yuan(head["plan_full_year"]),
        run=fmt.yuan(head["run_rate_full_year"]),
    )
    return [
        {
            "label": t("tile_month"),
            "value": f"{_short_money(head['actual'], lang)} / {_short_money(head['plan'], lang)}",
            "sub": _compare_sub(compare or {}, t),
        },
        {
            "label": t("tile_ytd"),
            "value": f"{_short_money(head['actual_ytd'], lang)} / "
            f"{_short_money(head['plan_ytd'], lang)}",
            "sub": t(
                "tile_pace_sub",
                elapsed=fmt.pct(budget.year_elapsed(head["period"])) if head["period"] else "—",
            ),
        },
        {
            "label": t("tile_variance_ytd"),
            "value": fmt.yuan(head["variance_ytd"], signed=True),
            "sub": fmt.pct(rate_ytd, signed=True),
            "tone": tone(grand["status"]),
        },
        {
            "label": t("tile_rate"),
            "value": f"{fmt.pct(head['execution_rate'])} / {fmt.pct(head['execution_rate_ytd'])}",
        },
        {
            "label": t("tile_landing"),
            "value": fmt.yuan(head["forecast_full_year"]),
            "sub": landing_sub,
            "tone": tone(landing_status),
        },
        {
            "label": t("tile_unbudgeted"),
            "value": fmt.yuan(head["unbudgeted_ytd"]),
            "tone": "warn" if head["unbudgeted_ytd"] else None,
        },
    ]


def _variance_tables(view: BudgetView) -> list[Table]:
    t, cols = view.t, columns(view.t)
    # the verdict columns first: a narrow screen shows them before it scrolls
    keys = ["department", "category", "item", "status", "status_month"]
    keys += ["plan", "actual", "variance", "execution_rate"]
    keys += ["plan_ytd", "actual_ytd", "variance_ytd", "variance_ytd_pct", "plan_full_year"]
    keys += ["forecast_full_year", "run_rate_full_year"]
    total = {
        **view.grand,
        "department": t("total"),
        "status": "",
        "status_month": "",
        "run_rate_full_year": round(view.shown["run_rate_full_year"].sum(), 2),
    }
    dept_keys = [
        k for k in keys if k not in ("category", "item", "run_rate_full_year", "status_month")
    ]
    return [
        Table(
            labelled(view.shown, t),
            pick(cols, keys),
            heading=t("sec_table"),
            note=t("sec_table_note"),
            total=total,
        ),
        Table(
            labelled(view.departments, t),
            pick(cols, [*dept_keys, "execution_rate_ytd"]),
            heading=t("sec_department"),
            level=3,
            total={**view.grand, "department": t("total"), "status": ""},
        ),
    ]


def _overspend_tables(view: BudgetView, ds: Any, cfg: Mapping[str, Any]) -> list[Table]:
    """The largest overspends, then for the first few: the months behind the variance and the
    ledger lines it came from (mapped once, sliced per line)."""
    t, cols = view.t, columns(view.t)
    keys = ["department", "category", "item", "plan_ytd", "actual_ytd", "variance_ytd"]
    out = [
        Table(
            labelled(view.overspends, t),
            pick(cols, [*keys, "variance_ytd_pct", "status"]),
            heading=t("sec_overspend"),
            note=t("sec_overspend_note"),
        )
    ]
    if view.overspends.empty:
        return out
    all_lines = budget.ledger_lines(ds.actuals, ds.plan, view.period, cfg)
    line_keys = ["date", "ledger_label", "description", "voucher", "amount"]
    line_keys += ["source_file", "source_sheet", "source_row"]
    for rec in view.overspends.head(DRILLDOWNS).to_dict("records"):
        key = (rec["department"], rec["category"], rec["item"])
        parts = (rec["department"], category_word(rec["category"], t), rec["item"])
        months = budget.monthly_variance(
            ds.plan, ds.actuals, view.period, cfg, rec, cost_only=False
        )
        lines = budget.select_line(all_lines, *key)
        out.append(
            Table(
                budget.variance_drivers(months),
                pick(month_columns(t), MONTH_KEYS),
                heading=f"{' / '.join(str(p) for p in parts if p)}: "
                f"{fmt.yuan(rec['variance_ytd'], signed=True)} "
                f"({fmt.pct(rec['variance_ytd_pct'], signed=True)})",
                level=3,
            )
        )
        shown = pick(cols, [k for k in line_keys if k in lines])
        out.append(
            Table(lines, shown, note=t("top_lines", n=fmt.num(len(lines))), max_rows=LINES_SHOWN)
        )
    return out


def _months_table(view: BudgetView) -> Table:
    """The months of the year so far; those that drove the YTD variance are highlighted."""
    done = view.monthly.dropna(subset=["actual"])
    drivers = set(budget.variance_drivers(view.monthly)["period"])
    frame = done.assign(_tone=["warn" if p in drivers else None for p in done["period"]])
    frame = frame.assign(mom_change=frame["actual"].diff())  # January: no previous month here
    cols = pick(month_columns(view.t), [*MONTH_KEYS, "mom_change", "cum_plan", "cum_actual"])
    return Table(frame, cols, heading=view.t("sec_months"))


def _revisions_table(view: BudgetView) -> Table:
    keys = ["department", "category", "item", "original_ytd", "revised_ytd"]
    keys += ["original_full_year", "revised_full_year", "change"]
    return Table(
        labelled(view.revisions, view.t),
        pick(columns(view.t), keys),
        heading=view.t("sec_revisions"),
        note=view.t("sec_revisions_note"),
        optional=True,
    )


def _reconciliation_tables(view: BudgetView, ds: Any) -> list[Table]:
    """Tie-out to the ledger, unbudgeted spending, plan without spending, unmapped labels (with
    the proposed category and the config line to copy) and stated totals that did not match."""
    t, cols, none = view.t, columns(view.t), view.t("none")
    tie = view.tie.assign(
        check=[t(f"check_{c}") for c in view.tie["check"]],
        ok=[t("yes" if v else "no") for v in view.tie["ok"]],
    )
    tie_cols = {
        "check": t("check"),
        "report": Col(t("report_total"), _money, numeric=True),
        "ledger": Col(t("ledger_total"), _money, numeric=True),
        "difference": Col(t("difference"), _signed, numeric=True),
        "ok": t("ok"),
    }
    dq = ds.dq if ds.dq is not None else pd.DataFrame(columns=["code"])
    stated = dq[dq["code"] == "total_mismatch"] if len(dq) else dq
    stated_cols = {"file": t("source_file"), "sheet": t("source_sheet")}
    stated_cols.update({"row": t("source_row"), "column": t("month"), "message": t("description")})
    unmapped_keys = ["department", "label", "lines", "amount_month", "amount_ytd", "proposed"]

    def listed(frame: pd.DataFrame, keys: list[str], heading: str, **kw: Any) -> Table:
        return Table(frame, pick(cols, keys), heading=t(heading), level=3, empty=none, **kw)

    unspent_keys = ["department", "category", "item", "plan_ytd", "plan_full_year"]
    return [
        Table(tie, tie_cols, heading=t("sec_tieout"), level=3),
        listed(
            labelled(budget.unbudgeted(view.table), t),
            ["department", "item", "actual", "actual_ytd", "status"],
            "sec_unbudgeted",
        ),
        listed(labelled(budget.unspent(view.table), t), unspent_keys, "sec_unspent"),
        listed(
            view.unmapped,
            [*unmapped_keys, "config_line"],
            "sec_unmapped",
            note=t("unmapped_note"),
        ),
        Table(stated, stated_cols, heading=t("sec_stated"), level=3, empty=none),
    ]


# ---------------------------------------------------------------------------------------------
# showing and writing


def show(tables: Iterable[Table]) -> None:
    """Render tables in order with ``analysis.report`` (heading, note, escaped table)."""
    for tab in tables:
        if tab.optional and tab.frame.empty:
            continue
        if tab.heading:
            report.heading(tab.heading, level=tab.level, note=tab.note)
        elif tab.note:
            report.note(tab.note)
        report.table(
            tab.frame,
            tab.columns,
            row_tone=_row_tone if "_tone" in tab.frame else None,
            total=tab.total,
            max_rows=tab.max_rows,
            empty=tab.empty,
        )


def _row_tone(rec: Mapping[str, Any]) -> str | None:
    tone_ = rec.get("_tone")
    return tone_ if isinstance(tone_, str) else None  # NaN from a frame is no tone


def write_exports(view: BudgetView, out_dir: str | Path) -> list[Path]:
    """``budget_variance.csv`` (codes, English headers, no totals) and ``budget.xlsx`` (the run's
    language, with total rows). Nothing when ``out_dir`` is empty (an analyst exploring)."""
    if not out_dir:
        return []
    folder, t = Path(out_dir), view.t
    csv = write_csv(view.table, folder / "budget_variance.csv", money=MONEY)
    headers = {c: t(c) for c in [*budget.VARIANCE_COLUMNS, "run_rate_full_year", *PCT]}
    headers["period"] = t("period")
    dept_sheet = view.departments[["department", *MONEY, *PCT, "status"]]
    sec_table, sec_dept = t("sec_table"), t("sec_department")
    totals = {
        sec_table: {
            **{c: view.grand[c] for c in [*MONEY, *PCT[:3]]},
            "period": t("total"),
            "run_rate_full_year": round(view.shown["run_rate_full_year"].sum(), 2),
        },
        sec_dept: {**{c: view.grand[c] for c in [*MONEY, *PCT]}, "department": t("total")},
    }
    sheets = {
        sec_table: labelled(view.shown, t).drop(columns="_tone", errors="ignore"),
        sec_dept: labelled(dept_sheet, t).drop(columns="_tone", errors="ignore"),
        t("sec_unmapped"): view.unmapped.rename(columns={c: t(c) for c in view.unmapped.columns}),
    }
    xlsx = write_xlsx(
        sheets,
        folder / "budget.xlsx",
        money=[*MONEY, "run_rate_full_year", t("amount_ytd"), t("amount_month")],
        percent=PCT,
        headers=headers,
        totals=totals,
    )
    return [csv, xlsx]
