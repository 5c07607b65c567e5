"""``analysis check``: load and validate a data folder, say how it was read, run no report.

Why: it is the analyst's first command on a new folder and a scheduler's dry run. In a few
seconds it shows how every table was read (layout, range, header, unit, sign, year, where each
row went), every warning and error with file, sheet, row and column, and what each report will
have for the period, so a wrong reading is caught before anything is published.
Exit 0, or 2 when the folder cannot be loaded (or, with ``--strict``, has any warning or error).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

import pandas as pd

from analysis import fmt, overview
from analysis.catalog import words
from analysis.errors import EXIT_OK, EXIT_USAGE
from analysis.i18n import check_lang

EXIT_INPUT = EXIT_USAGE  # the one table of exit codes is analysis.errors

#: Reading sources that are a guess or a detection, not a statement in the file or config: such
#: a reading is printed with the config.toml lines that would pin it.
GUESSED_SOURCES = ("assum", "detect", "guess", "infer", "推断", "假定", "推测", "检测")

#: Which loaded frames each report needs; a report with none of them has no data to show.
REPORT_NEEDS: dict[str, tuple[str, ...]] = {
    "overview": (),
    "budget": ("plan", "actuals"),
    "scorecards": ("presales", "aftersales"),
    "staffing": (),
    "service": ("calls",),
}


@dataclass(frozen=True)
class ReportOutlook:
    """What one report will have for the period: whether it runs and a line saying what."""

    key: str
    has_data: bool
    text: str


def _s(value: Any) -> str:
    return overview.cell_text(value)


def _n(value: Any) -> str:
    v = pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0]
    return fmt.num(v) if pd.notna(v) else "—"


def _money(value: Any) -> str:
    v = pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0]
    return fmt.yuan(v, unit=False) if pd.notna(v) else "—"


def default_period(ds: Any, today: str | None = None) -> str | None:
    """The period a run reports when none is given: the loader's ``latest_period``.

    A folder without actuals (only scorecards, say) has none; then the latest month of the
    scorecards, call volumes, call logs, complaints or ACD summaries not after this month (a folder of call logs alone, like
    the PwC export, gets its service report without --period), and for a plan alone the latest plan
    month not after this month (a plan runs to December; its last month has not happened).
    """
    if getattr(ds, "latest_period", None):
        return ds.latest_period
    now = today or pd.Timestamp.today().strftime("%Y-%m")
    periods = getattr(ds, "periods", None) or {}
    for kinds in (("presales", "aftersales", "staffing", "calls", "complaints", "acd"), ("plan",)):
        months = sorted({m for k in kinds for m in periods.get(k, []) if m})
        if months:
            past = [m for m in months if m <= now]
            return past[-1] if past else months[0]
    return None


def _span(months: Sequence[str]) -> str:
    if not months:
        return "—"
    return months[0] if len(months) == 1 else f"{months[0]}…{months[-1]}"


def _count(n: int, what: str, lang: str) -> str:
    """``3 个文件`` / ``3 files``: the counted word is ``unit_<what>`` of the check catalog."""
    word = words(lang, "check")(f"unit_{what}")
    return f"{n:,} {word}" if lang == "zh" else plural(n, word)


def report_outlook(ds: Any, period: str, lang: str = "zh") -> list[ReportOutlook]:
    """One line per report: what it will show for ``period`` (and whether it has data at all)."""
    t = words(lang, "check")

    def c(n: int, what: str) -> str:
        return _count(int(n), what, lang)

    inputs = overview.readings(getattr(ds, "inputs", None))
    files, tables = c(inputs["file"].nunique(), "file"), c(len(inputs), "table")
    return [
        ReportOutlook("overview", True, t("r_overview", files=files, tables=tables)),
        _budget_outlook(ds, period, t, c),
        _scorecard_outlook(ds, period, t, c),
        _staffing_outlook(ds, period, t, c),
        _service_outlook(ds, period, t, c),
    ]


def _service_outlook(ds: Any, period: str, t: Callable[..., str], c: Callable) -> ReportOutlook:
    """The months the call logs cover; the service report runs only for a month they hold."""
    parts = tuple(getattr(ds, "calls", ()) or ())
    acd_months = (getattr(ds, "periods", None) or {}).get("acd", [])
    if not parts:
        if period in acd_months:  # the switch's per-agent summary alone still has a section
            return ReportOutlook("service", True, t("r_service_acd", period=period))
        return ReportOutlook("service", False, t("no_data"))
    from analysis.views import service as service_view

    months = service_view.call_months(ds)
    if period not in months:
        return ReportOutlook("service", False, t("r_service_none", span=_span(months)))
    return ReportOutlook("service", True, t("r_service", period=period, span=_span(months)))


_HAS = {
    (True, True): "has_both",
    (True, False): "has_plan_only",
    (False, True): "has_actual_only",
    (False, False): "has_neither",
}


def _budget_outlook(ds: Any, period: str, t: Callable[..., str], c: Callable) -> ReportOutlook:
    """The year's plan and actual months up to ``period``, and what the period itself has."""
    plan, actuals = ds.plan, ds.actuals
    if plan.empty and actuals.empty:
        return ReportOutlook("budget", False, t("no_data"))
    year = (period or "")[:4]
    plan_m = sorted(p for p in plan["period"].dropna().unique() if str(p).startswith(year))
    act_m = sorted(
        p for p in actuals["period"].dropna().unique() if str(p).startswith(year) and p <= period
    )
    has = _HAS[(period in set(plan["period"].dropna()), period in set(actuals["period"].dropna()))]
    text = t(
        "r_budget",
        year=year,
        plan=c(len(plan_m), "month"),
        plan_span=_span(plan_m),
        actual=c(len(act_m), "month"),
        actual_span=_span(act_m),
        has=t(has),
    )
    return ReportOutlook("budget", True, text)


def _scorecard_outlook(ds: Any, period: str, t: Callable[..., str], c: Callable) -> ReportOutlook:
    """Agents scored in ``period``, or in the latest month before it (as the report falls back)."""
    pre, after = ds.presales, ds.aftersales
    if pre.empty and after.empty:
        return ReportOutlook("scorecards", False, t("no_data"))
    scored = sorted(set(pre["period"].dropna()) | set(after["period"].dropna()))
    shown = period
    if period not in scored:  # as the scorecard report: latest month not after the period
        earlier = [p for p in scored if p <= period]
        shown = earlier[-1] if earlier else scored[-1]
    n_pre = pre.loc[pre["period"] == shown, "agent_id"].nunique()
    n_after = after.loc[after["period"] == shown, "agent_id"].nunique()
    key = "r_scorecards" if shown == period else "r_scorecards_fallback"
    text = t(key, period=shown, pre=c(n_pre, "agent"), after=c(n_after, "agent"))
    return ReportOutlook("scorecards", True, text)


def _staffing_outlook(ds: Any, period: str, t: Callable[..., str], c: Callable) -> ReportOutlook:
    """The call volumes the staffing report will use (the month's, or per weekday)."""
    from analysis import staffing

    if tuple(getattr(ds, "calls", ()) or ()):
        from analysis.views import service as service_view

        if period in service_view.call_months(ds):  # the page takes the volumes from the logs
            text = t("r_staffing_calls", period=period)
            if not ds.staffing.empty:  # both: say which one the page uses
                text += t("r_staffing_typed_unused")
            return ReportOutlook("staffing", True, text)
    if ds.staffing.empty:
        return ReportOutlook("staffing", True, t("r_staffing_none"))
    volumes, chosen = staffing.select_period(ds.staffing, period)
    if not chosen:
        return ReportOutlook(
            "staffing", True, t("r_staffing_weekday", intervals=c(len(volumes), "interval"))
        )
    text = t(
        "r_staffing",
        period=chosen,
        intervals=c(len(volumes), "interval"),
        days=c(volumes["day"].nunique(), "day"),
        per_day=c(volumes["interval"].nunique(), "interval"),
        calls=fmt.num(pd.to_numeric(volumes["calls"], errors="coerce").sum()),
    )
    return ReportOutlook("staffing", True, text)


def findings(dq: pd.DataFrame) -> pd.DataFrame:
    """The warning and error rows of a data-quality list, errors first (stable order)."""
    if dq is None or dq.empty:
        return pd.DataFrame(columns=list(dq.columns) if dq is not None else [])
    order = {"error": 0, "warning": 1}
    rows = dq[dq["severity"].isin(order)]
    return (
        rows.assign(_o=rows["severity"].map(order))
        .sort_values("_o", kind="stable")
        .drop(columns="_o")
    )


def _where(rec: dict[str, Any], t: Callable[..., str]) -> str:
    parts = [_s(rec.get("file")), _s(rec.get("sheet"))]
    row = _s(rec.get("row"))
    if row:
        parts.append(t("row_n", row=row))
    col = _s(rec.get("column"))
    if col:
        parts.append(f"{t('col')} {col}")
    return " · ".join(p for p in parts if p)


def _is_guess(reading: dict[str, Any]) -> bool:
    sources = " ".join(
        _s(reading.get(c)).lower() for c in ("unit_source", "sign_source", "year_source")
    )
    return bool(_s(reading.get("note"))) or any(w in sources for w in GUESSED_SOURCES)


def format_readings(inputs: pd.DataFrame | None, dq: pd.DataFrame | None, lang: str) -> list[str]:
    """The compact per-file blocks of ``analysis check`` (blank reading fields are left out)."""
    t = words(lang, "check")
    r = overview.readings(inputs)
    if r.empty:
        return [t("no_readings")]
    flagged: set[tuple[str, str]] = set()
    if dq is not None and len(dq):
        bad = dq[dq["severity"].isin(("error", "warning"))]
        flagged = {(_s(f), _s(s)) for f, s in zip(bad["file"], bad["sheet"], strict=True)}
    lines: list[str] = []
    for file, group in r.groupby("file", sort=False, dropna=False):
        first = group.iloc[0]
        meta = ""
        if _s(first["sha256"]):
            meta = (
                "  (" + t("file_meta", bytes=_n(first["bytes"]), sha=_s(first["sha256"])[:12]) + ")"
            )
        lines.append(f"{_s(file)}{meta}")
        per_sheet = group["sheet"].map(_s).value_counts()
        for rec in group.to_dict("records"):
            head = [_s(rec["sheet"]) or "—"]
            if per_sheet.get(_s(rec["sheet"]), 0) > 1 and _s(rec["table"]):
                head[0] += f" #{_s(rec['table'])}"
            layout = overview.layout_label(rec["layout"], rec["status"], lang)
            kind = _s(rec["kind"])
            head.append(f"{layout} [{_s(rec['layout']) or kind}]" if layout else kind)
            if _s(rec["range"]):
                head.append(f"{t('range')} {_s(rec['range'])}")
            if _s(rec["header_rows"]):
                head.append(f"{t('header')} {t('header_rows', rows=_s(rec['header_rows']))}")
            if _s(rec["period"]):
                head.append(f"{t('month')} {_s(rec['period'])}")
            lines.append("  · " + " · ".join(head))
            if _s(rec["fields"]):
                lines.append(f"      {t('fields')}: {_s(rec['fields'])}")
            how = [
                f"{t(name)} {overview.with_source(rec[name], rec[f'{name}_source'])}"
                for name in ("unit", "sign", "year")
                if _s(rec[name]) or _s(rec[f"{name}_source"])
            ]
            if how:
                lines.append("      " + " · ".join(how))
            counts = {c: rec[f"rows_{c}"] for c in ("total", "section", "note", "rejected")}
            full = all(_s(v) for v in counts.values())
            extra = counts if full else {"reported": rec["rows_reported"]}
            rows = t(
                "rows_line" if full else "rows_line_short",
                read=_n(rec["rows_read"]),
                loaded=_n(rec["rows_loaded"]),
                **{k: _n(v) for k, v in extra.items()},
            )
            lines.append(f"      {t('rows')}: {rows}")
            if kind not in overview.NON_MONEY_KINDS and _s(rec["amount_read"]):
                amounts = t(
                    "amounts_line",
                    read=_money(rec["amount_read"]),
                    loaded=_money(rec["amount_loaded"]),
                    reported=_money(rec["amount_reported"]),
                )
                lines.append(f"      {t('amounts')}: {amounts}")
            if _s(rec["note"]):
                lines.append(f"      {t('note')}: {_s(rec['note'])}")
            pin = _s(rec["pin"])
            if pin and (_is_guess(rec) or (_s(file), _s(rec["sheet"])) in flagged):
                lines.append(f"      {t('pin')}")
                lines.extend(f"        {ln}" for ln in pin.splitlines())
    return lines


def format_findings(dq: pd.DataFrame | None, lang: str) -> list[str]:
    """Every warning and error, one line each: severity, where (file · sheet · row · column), message."""
    t = words(lang, "check")
    rows = findings(dq if dq is not None else pd.DataFrame())
    lines = [f"{t('findings')} ({len(rows)}):"]
    if rows.empty:
        lines.append("  " + t("no_findings"))
    for rec in rows.to_dict("records"):
        value = _s(rec.get("value"))
        msg = _s(rec.get("message"))
        if value and value not in msg:
            msg = f"{msg} [{value}]"
        lines.append(f"  [{t(rec['severity'])}] {_where(rec, t)}: {msg}")
    n_info = int((dq["severity"] == "info").sum()) if dq is not None and len(dq) else 0
    if n_info:
        count = f"{n_info:,}" if lang == "zh" else plural(n_info, "note")
        lines.append("  " + t("info_count", n=count))
    return lines


def plural(n: int, word: str) -> str:
    """``1 warning``, ``2 warnings``, ``1,200 errors``: English counts read right."""
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


def findings_phrase(dq: pd.DataFrame | None, lang: str) -> str:
    """The warnings and errors of ``dq`` counted in words: ``3 条警告、1 条错误`` /
    ``3 warnings and 1 error`` (a kind with none is left out)."""
    n_err = int((dq["severity"] == "error").sum()) if dq is not None and len(dq) else 0
    n_warn = int((dq["severity"] == "warning").sum()) if dq is not None and len(dq) else 0
    if lang == "zh":
        parts = [f"{n_warn:,} 条警告" if n_warn else "", f"{n_err:,} 条错误" if n_err else ""]
        return "、".join(p for p in parts if p) or "0 条警告"
    parts = [plural(n_warn, "warning") if n_warn else "", plural(n_err, "error") if n_err else ""]
    return " and ".join(p for p in parts if p) or "0 warnings"


def n_findings(dq: pd.DataFrame | None) -> int:
    """Rows of severity warning or error: what ``--strict`` refuses and the banner counts."""
    if dq is None or dq.empty:
        return 0
    return int(dq["severity"].isin(("error", "warning")).sum())


def check(
    data: str | os.PathLike[str] | None = None,
    period: str | None = None,
    *,
    strict: bool = False,
    lang: str = "zh",
    use_cache: bool = True,
    out: TextIO | None = None,
) -> int:
    """Load and validate ``data``, print the readings, findings and report outlook; exit code."""
    from analysis.errors import AnalysisError, UsageError, exit_code_for
    from analysis.io import load_all
    from analysis.paths import SAMPLE_DATA_DIR
    from analysis.run.arguments import resolve_dir, validate_period

    stream = out if out is not None else sys.stdout

    def say(text: str = "") -> None:
        print(text, file=stream)

    try:
        lang = check_lang(lang)
        if period:
            validate_period(period)
        data_dir = resolve_dir(data, SAMPLE_DATA_DIR)
    except (ValueError, UsageError) as exc:
        say(str(exc))
        return EXIT_INPUT
    t = words(lang, "check")
    say(f"{t('folder')}: {data_dir}")
    try:
        ds = load_all(data_dir, lang=lang, use_cache=use_cache)
    except AnalysisError as exc:  # an input or config.toml that cannot be read
        say(t("load_fail"))
        say(str(exc))
        return exit_code_for(exc)
    chosen = period or default_period(ds) or ""
    source = t("period_given") if period else t("period_default")
    say(f"{t('period')}: {chosen or '—'} {source}")
    say()
    say(f"{t('readings')}:")
    for line in format_readings(ds.inputs, ds.dq, lang):
        say("  " + line)
    say()
    for line in format_findings(ds.dq, lang):
        say(line)
    say()
    say(f"{t('reports')}:")
    for o in report_outlook(ds, chosen, lang):
        say(f"  {t(o.key)}: {o.text}")
    say()
    n = n_findings(ds.dq)
    phrase = findings_phrase(ds.dq, lang)
    if strict and n:
        say(t("strict_fail", n=phrase))
        return EXIT_INPUT
    say(t("ok_with", n=phrase) if n else t("ok"))
    return EXIT_OK


def main_check(args: Any) -> int:
    """CLI glue for ``analysis check``."""
    return check(
        data=args.data,
        period=args.period,
        strict=args.strict,
        lang=args.lang,
        use_cache=not args.no_cache,
    )


__all__ = [
    "ReportOutlook",
    "check",
    "default_period",
    "findings",
    "findings_phrase",
    "format_findings",
    "format_readings",
    "main_check",
    "n_findings",
    "plural",
    "report_outlook",
]
