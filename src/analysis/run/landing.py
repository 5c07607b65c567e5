"""The manager's landing page ``index.html``: headlines first, links, data quality, footer.

Why: a manager opens one page; every figure that may be affected by a doubtful input is flagged
there (the banner), and a report with no data for the month says so instead of being missing.
Words come from the catalog (``catalog/<lang>/runner.toml`` and ``common.toml``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from analysis import __version__
from analysis.catalog import words
from analysis.paths import PACKAGE_DIR
from analysis.webfont import embed_cjk_font

TEMPLATES_DIR = PACKAGE_DIR / "templates"
BANNER_ITEMS = 5
DQ_ROWS_SHOWN = 50
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def write_landing(
    folder: Path,
    *,
    period: str,
    lang: str,
    data_source: str,
    generated: str,
    reports: list[dict[str, Any]],
    dq: Any,
    cfg: Any = None,
) -> Path:
    """Write ``folder/index.html`` and return its path.

    Warnings and errors in ``dq`` put a banner at the top (count, the first five, links to the
    list): nothing that may affect a figure is left for the manager to discover. Each card
    opens with its verdict (:func:`budget_verdict` …), read back from the published files;
    ``cfg`` holds the run's rules (the defaults when None).
    """
    import jinja2

    from analysis.config import load_defaults

    t = words(lang, "runner", "landing")
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(TEMPLATES_DIR), str(TEMPLATES_DIR / "kefu")]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    rows, more = _dq_table(dq, t)
    html = env.get_template("landing.html.j2").render(
        t=t,
        banner=dq_banner(dq, lang, overview_href=_overview_href(reports)),
        lang=lang,
        period=period,
        data_source=data_source,
        generated=generated,
        reports=_cards(folder, reports, t, lang, load_defaults() if cfg is None else cfg),
        dq_summary=_dq_summary(dq, lang, t),
        dq_rows=rows,
        dq_more=more,
        version=__version__,
    )
    path = folder / "index.html"
    path.write_text(embed_cjk_font(html), encoding="utf-8")
    return path


def _cards(
    folder: Path, reports: list[dict[str, Any]], t: Any, lang: str, cfg: Any
) -> list[dict[str, Any]]:
    """One card per report in run order: title, link, verdict, headline figures or 本期无数据."""
    from analysis.report import load_headlines

    headlines = load_headlines(folder)
    cards = []
    for r in sorted(reports, key=lambda r: r.get("name") or r.get("html") or r["key"]):
        no_data = r.get("skipped") == "no_data"
        key = r["key"]
        heads = [] if no_data or not r["ok"] else headlines.get(key, [])
        verdict = None
        if r["ok"] and not no_data:
            verdict = _verdict(folder, key, lang, cfg, heads)
        cards.append(
            {
                "key": key,
                "title": t(key) + ("" if r["ok"] else f" — {t('status_failed')}"),
                "href": r.get("html") or "",
                "failed": not r["ok"],
                "no_data": t("no_data") if no_data else "",
                "verdict": verdict,
                "headlines": heads if verdict is None or key == "overview" else [],
                "files": report_files(folder, key) if r["ok"] and not no_data else [],
            }
        )
    return cards


def _verdict(
    folder: Path, key: str, lang: str, cfg: Any, heads: list[dict[str, Any]]
) -> dict[str, Any] | None:
    if key == "budget":
        return budget_verdict(folder, lang, cfg)
    if key == "scorecards":
        return bulletin_verdict(folder, lang, heads)
    if key == "staffing":
        return staffing_verdict(lang, heads)
    if key == "service":
        return service_verdict(lang, heads)
    return None


def _dq_summary(dq: Any, lang: str, t: Any) -> str:
    """共 N 条: 错误 …, 警告 …, 提示 … (English with plurals)."""
    n = {s: int((dq["severity"] == s).sum()) if len(dq) else 0 for s in SEVERITY_ORDER}
    if lang == "zh":
        counts = {"total": f"{len(dq):,}", **{k: f"{n[s]:,}" for k, s in _KEYS}}
    else:
        from analysis.check import plural

        total = "1 entry" if len(dq) == 1 else f"{len(dq):,} entries"
        counts = {
            "total": total,
            **{k: plural(n[s], w) for (k, s), w in zip(_KEYS, _EN, strict=True)},
        }
    return t("dq_summary", **counts)


_KEYS = (("errors", "error"), ("warnings", "warning"), ("notes", "info"))
_EN = ("error", "warning", "note")


def _dq_table(dq: Any, t: Any) -> tuple[list[dict[str, Any]], str]:
    """The first rows of the data-quality list, errors first, and a line for the rest."""
    shown = (
        dq.assign(_o=dq["severity"].map(SEVERITY_ORDER))
        .sort_values("_o", kind="stable")
        .head(DQ_ROWS_SHOWN)
        if len(dq)
        else dq
    )
    rows = [{k: cell(v) for k, v in rec.items()} for rec in shown.to_dict("records")]
    more = t("dq_more", n=f"{len(dq) - len(rows):,}") if len(dq) > len(rows) else ""
    return rows, more


def cell(value: Any) -> Any:
    """A data-quality value for display: missing (None, NaN, pd.NA) becomes blank."""
    import pandas as pd

    try:
        return "" if pd.isna(value) else value
    except (TypeError, ValueError):  # not a scalar
        return value


def _overview_href(reports: list[dict[str, Any]]) -> str:
    for r in reports:
        if r.get("key") == "overview" and r.get("ok") and r.get("html"):
            return f"{r['html']}#data-quality"
    return ""


def dq_banner(dq: Any, lang: str, *, overview_href: str = "") -> dict[str, Any] | None:
    """The landing page's warning banner, or None when ``dq`` has no warning or error.

    「本期数据有 N 条警告,可能影响数字」 with the first few items (file, sheet, row, message)
    and links to the full list.
    """
    from analysis.check import findings, findings_phrase

    rows = findings(dq)
    if rows.empty:
        return None
    t = words(lang, "runner")
    items = [
        {k: cell(v) for k, v in rec.items()} for rec in rows.head(BANNER_ITEMS).to_dict("records")
    ]
    links = [{"href": "data_quality.csv", "text": "data_quality.csv"}]
    if overview_href:
        links.append({"href": overview_href, "text": t("banner_link_overview")})
    more = t("banner_more", n=f"{len(rows) - BANNER_ITEMS:,}")
    return {
        "title": t("banner_title", phrase=findings_phrase(dq, lang)),
        "items": items,
        "more": more if len(rows) > BANNER_ITEMS else "",
        "links": links,
    }


# --- verdicts: the first thing each card says, computed from what the reports published ----------

#: Files a report publishes beside its page (linked from the page's nav bar and its card).
REPORT_FILES = {
    "overview": ("data_quality.csv", "inputs_read.csv"),
    "budget": ("budget_variance.csv", "budget.xlsx"),
    "scorecards": ("scorecards.csv", "scorecards.xlsx"),
    "staffing": ("staffing_plan.csv",),
    "service": (
        "service_kpis.csv",
        "service_intervals.csv",
        "service_forecast.csv",
        "service.xlsx",
    ),
}


def report_files(folder: Path, key: str) -> list[str]:
    """The files of report ``key`` that exist in ``folder`` (CSV first, then XLSX)."""
    return [name for name in REPORT_FILES.get(key, ()) if (folder / name).is_file()]


def _fact(label: str, value: str, tone: str | None = None, key: str = "") -> dict[str, Any]:
    return {"label": label, "value": value, "tone": tone, "key": key}


def _read_csv(path: Path) -> Any:
    import pandas as pd

    if not path.is_file():
        return None
    try:
        return pd.read_csv(path, encoding="utf-8-sig", dtype={"period": str, "item": str})
    except (OSError, ValueError):
        return None


def budget_verdict(folder: Path, lang: str, cfg: Any) -> dict[str, Any] | None:
    """超支/节余/正常 for the year to date (judged like the table's total row), the overspent lines
    counted and the largest named, 序时进度 beside 累计执行率, plan beside actual.

    Read back from ``budget_variance.csv``, so the figures are the published ones.
    """
    from analysis import budget, fmt
    from analysis.views.budget import tone

    table = _read_csv(folder / "budget_variance.csv")
    if table is None or table.empty:
        return None
    fmt.use_lang(lang)
    t, tb = words(lang, "landing"), words(lang, "budget")
    head = budget.headline(table, cfg)
    status = str(budget.totals(table, None, cfg).iloc[0]["status"] or "")
    if not status:  # revenue and cost together have no one status: judge the spending
        status = str(
            budget.totals(budget.cost_lines(table, cfg), None, cfg).iloc[0]["status"] or ""
        )
    bad = table[table["status"].isin(budget.UNFAVOURABLE)]
    over = bad[bad["status"] == budget.STATUS_OVER]
    elapsed = int(head["period"][5:7]) / 12 if head["period"] else None
    facts = [
        _fact(
            t("b_ytd"),
            t("b_vs", actual=fmt.yuan(head["actual_ytd"]), plan=fmt.yuan(head["plan_ytd"])),
            key="actual_ytd",
        ),  # fmt: skip
        _fact(
            t("b_month"),
            t("b_vs", actual=fmt.yuan(head["actual"]), plan=fmt.yuan(head["plan"])),
            key="actual",
        ),  # fmt: skip
        _fact(
            t("b_elapsed"),
            t("b_rate_vs", rate=fmt.pct(head["execution_rate_ytd"]), elapsed=fmt.pct(elapsed)),
            key="execution_rate_ytd",
        ),  # fmt: skip
        _fact(t("b_n_over"), fmt.num(len(bad)), "over" if len(bad) else None, key="n_over"),
    ]
    if len(over):
        top = over.loc[over["variance_ytd"].idxmax()]
        name = " · ".join(str(top[c]) for c in ("department", "category", "item") if _given(top[c]))
        facts.append(
            _fact(t("b_largest"), f"{name} {fmt.yuan(top['variance_ytd'], signed=True)}", "over")
        )
    word = tb(f"statuses.{status}") if status else t("b_mixed")
    return {
        "word": word,
        "tone": tone(status),
        "sentence": t(
            "b_sentence", status=word, variance=fmt.yuan(head["variance_ytd"], signed=True)
        ),
        "facts": facts,
    }


def _given(value: Any) -> bool:
    return str(cell(value)).strip() != ""


def bulletin_verdict(
    folder: Path, lang: str, headlines: list[dict[str, Any]]
) -> dict[str, Any] | None:
    """First and last named per role, then 红线, 待核实 and 整改 counts as the page shows them."""
    from analysis import fmt

    table = _read_csv(folder / "scorecards.csv")
    if table is None or table.empty:
        return None
    fmt.use_lang(lang)
    t, ts = words(lang, "landing"), words(lang, "scorecard")
    scored = table[table["status"] == "scored"].dropna(subset=["rank"])
    facts = []
    for role in ("presales", "aftersales"):
        rows = scored[scored["role"] == role].sort_values("rank", kind="stable")
        if rows.empty:
            continue
        first, last = rows.iloc[0], rows.iloc[-1]
        facts.append(
            _fact(
                ts(f"role_{role}"),
                t("s_first_last", first=_who(first), last=_who(last)),
                key=f"first_{role}",
            )
        )
    by_label = {h["label"]: h for h in headlines}
    counts = [("r_tile_red", "s_red", "over"), ("r_to_check", "s_to_check", "warn"),
              ("r_tile_improve", "s_improve", "warn")]  # fmt: skip
    n_bad = 0
    for key, label, bad_tone in counts:
        h = by_label.get(ts(key))  # the page's own tile, found by its label
        if h is None:
            continue
        n = _int(h["value"])
        n_bad += n if key != "r_to_check" else 0
        facts.append(_fact(t(label), h["value"], bad_tone if n else None, key=key))
    word = t("s_attention") if n_bad else t("s_clear")
    return {"word": word, "tone": "warn" if n_bad else "under", "sentence": "", "facts": facts}


def _who(row: Any) -> str:
    return f"{row['name']} ({fmt_score(row['total'])})"


def fmt_score(value: Any) -> str:
    """A total score as the bulletin prints it."""
    from analysis import fmt

    return fmt.score(value)


def _int(text: str) -> int:
    digits = "".join(ch for ch in str(text) if ch.isdigit())
    return int(digits) if digits else 0


def staffing_verdict(lang: str, headlines: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The staffing page's own answer: one recommended headcount with its method in plain words,
    the gap to the roster, and the other method as a note (the page's tiles, read back)."""
    t, ts = words(lang, "landing"), words(lang, "staffing")
    by_label = {h["label"]: h for h in headlines}
    chosen = by_label.get(ts("tile_recommended"))
    if chosen is None:
        return None
    gap, other = by_label.get(ts("tile_gap")), by_label.get(ts("tile_other"))
    facts = [_fact(t("st_recommended"), chosen["value"], key="recommended")]
    if chosen.get("sub"):
        facts.append(_fact(t("st_method"), chosen["sub"]))
    if gap is not None:
        facts.append(_fact(ts("tile_gap"), gap["value"], gap.get("tone"), key="gap"))
        if gap.get("sub"):
            facts.append(_fact(ts("tile_roster"), gap["sub"], key="roster"))
    if other is not None:
        facts.append(_fact(t("st_other"), f"{other['value']} · {other.get('sub', '')}".strip(" ·")))
    short = gap is not None and _int(gap["value"]) and str(gap["value"]).startswith(("-", "−"))
    word = t("st_short", n=str(gap["value"]).lstrip("-−")) if short else t("st_enough")
    return {"word": word, "tone": "over" if short else "under", "sentence": "", "facts": facts}


def service_verdict(lang: str, headlines: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The service page's own answer: how many targets were missed, and each figure against its
    target (the page's tiles, read back: a tile's tone is the page's target check)."""
    tv = words(lang, "service")
    if not headlines:
        return None
    missed = [h for h in headlines if h.get("tone") == "over"]
    facts = [
        _fact(h["label"], f"{h['value']} · {h['sub']}" if h.get("sub") else h["value"],
              h.get("tone"), key=f"service_{i}")
        for i, h in enumerate(headlines)
    ]  # fmt: skip
    if missed:
        names = tv("list_sep").join(h["label"] for h in missed)
        return {"word": tv("l_missed", n=len(missed)), "tone": "over",
                "sentence": f"{tv('l_missed_list')}: {names}", "facts": facts}  # fmt: skip
    return {"word": tv("l_all_met"), "tone": "under", "sentence": "", "facts": facts}
