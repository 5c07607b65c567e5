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
) -> Path:
    """Write ``folder/index.html`` and return its path.

    Warnings and errors in ``dq`` put a banner at the top (count, the first five, links to the
    list): nothing that may affect a figure is left for the manager to discover.
    """
    import jinja2

    t = words(lang, "runner")
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
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
        reports=_cards(folder, reports, t),
        dq_summary=_dq_summary(dq, lang, t),
        dq_rows=rows,
        dq_more=more,
        version=__version__,
    )
    path = folder / "index.html"
    path.write_text(embed_cjk_font(html), encoding="utf-8")
    return path


def _cards(folder: Path, reports: list[dict[str, Any]], t: Any) -> list[dict[str, Any]]:
    """One card per report in run order: title, link, headline figures or 本期无数据."""
    from analysis.report import load_headlines

    headlines = load_headlines(folder)
    cards = []
    for r in sorted(reports, key=lambda r: r.get("name") or r.get("html") or r["key"]):
        no_data = r.get("skipped") == "no_data"
        cards.append(
            {
                "title": t(r["key"]) + ("" if r["ok"] else f" — {t('status_failed')}"),
                "href": r.get("html") or "",
                "failed": not r["ok"],
                "no_data": t("no_data") if no_data else "",
                "headlines": [] if no_data else headlines.get(r["key"], []),
            }
        )
    return cards


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
