"""Building blocks for report notebooks: house CSS, headline tiles, escaped tables, inline charts.

Why: the manager's HTML is exported with code hidden, so everything a reader sees is an output of
these helpers. They escape every text that came from a spreadsheet (an agent named
``<script>`` must show as text), format numbers for people, and embed charts as inline PNG so
the HTML opens offline and as an e-mail attachment.
"""

from __future__ import annotations

import base64
import html
import io
import json
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

HEADLINES_DIR = ".headlines"

CSS = """
<style>
.kefu { font-family: "Kefu CJK", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "Source Han Sans SC",
        "Hiragino Sans GB", "WenQuanYi Micro Hei", sans-serif; color: #1f2d3d; }
.kefu h1 { font-size: 1.7em; margin: .2em 0 .3em; }
.kefu h2 { font-size: 1.3em; margin: 1.2em 0 .4em; border-bottom: 2px solid #2f6fb3; padding-bottom: .2em; }
.kefu h3 { font-size: 1.1em; margin: 1em 0 .3em; }
.kefu p.note { color: #52606d; font-size: .92em; margin: .3em 0 .8em; }
.kefu .tiles { display: flex; flex-wrap: wrap; gap: 12px; margin: .6em 0 1em; }
.kefu .tile { border: 1px solid #d9e2ec; border-radius: 8px; padding: 10px 14px; min-width: 150px;
        background: #f8fafc; }
.kefu .tile .label { font-size: .85em; color: #52606d; }
.kefu .tile .value { font-size: 1.45em; font-weight: 600; margin-top: 2px; white-space: nowrap; }
.kefu .tile .sub { font-size: .8em; color: #52606d; margin-top: 2px; }
.kefu .tone-over .value, .kefu td.tone-over, .kefu tr.tone-over td.tone-cell { color: #c0392b; }
.kefu .tone-under .value, .kefu td.tone-under, .kefu tr.tone-under td.tone-cell { color: #1e8449; }
.kefu .tone-warn .value { color: #d35400; }
.kefu table.kefu-table { border-collapse: collapse; margin: .4em 0 1em; font-size: .9em; }
.kefu table.kefu-table th { background: #eef2f7; text-align: left; padding: 5px 8px;
        border-bottom: 2px solid #bcccdc; white-space: nowrap; }
.kefu table.kefu-table td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #e4e7eb; vertical-align: top;
        white-space: nowrap; }
.kefu table.kefu-table td.wrap { white-space: normal; min-width: 18em; max-width: 40em; }
.kefu .table-wrap { overflow-x: auto; max-width: 100%; }
.kefu table.kefu-table td.num { text-align: right !important; font-variant-numeric: tabular-nums; white-space: nowrap; }
.kefu table.kefu-table tr.total td { font-weight: 600; border-top: 2px solid #bcccdc; }
.kefu table.kefu-table tr.tone-over { background: #fdecea; }
.kefu table.kefu-table tr.tone-under { background: #e9f7ef; }
.kefu table.kefu-table tr.tone-warn { background: #fef5e7; }
.kefu figure { margin: .5em 0 1.2em; }
.kefu figure img { max-width: 100%; height: auto; }
.kefu figcaption { font-size: .85em; color: #52606d; }
.kefu .muted { color: #7b8794; }
.kefu .badge { display: inline-block; padding: 0 6px; border-radius: 4px; font-size: .8em;
        background: #eef2f7; margin-right: 4px; }
</style>
"""


#: Columns of long free text that wrap in tables (every other cell stays on one line).
LONG_TEXT = frozenset(
    {"explanation", "message", "reason", "description", "flags", "summary", "note"}
)


@dataclass(frozen=True)
class Col:
    """How one column shows in a table: its label, a formatter, and whether it is numeric."""

    label: str
    fmt: Callable[[Any], str] | None = None
    numeric: bool = False
    wrap: bool = False  # long text (explanations, messages) wraps; other cells stay on one line


def _display(obj: Any) -> Any:
    try:
        from IPython.display import HTML, display
    except ImportError:  # pragma: no cover - IPython is a dependency
        return obj
    display(HTML(obj))
    return None


def esc(value: Any) -> str:
    """HTML-escape any value (None/NaN → empty)."""
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if value is pd.NA or value is pd.NaT:
        return ""
    return html.escape(str(value), quote=True)


#: Warnings known to be noise in a report, silenced by the module that raises them only:
#: openpyxl's "no default style" on workbooks written by other tools, matplotlib's missing-glyph
#: notes (the CJK font is embedded in the HTML anyway).
NOISY_WARNINGS = (
    (UserWarning, r"openpyxl\."),
    (UserWarning, r"matplotlib\."),
)


def setup(lang: str = "zh", show: bool = True) -> str | None:
    """Emit the house CSS once at the top of a report and set the money unit for ``lang``.

    The kernel's warning filters are left as they were, but for :data:`NOISY_WARNINGS` (by
    module): an analyst running a report in JupyterLab still sees a pandas or numpy warning.
    The manager never does: the HTML export drops stderr (``analysis.run.execute.export_html``).
    """
    import warnings

    from analysis import fmt

    fmt.use_lang(lang)
    for category, module in NOISY_WARNINGS:
        warnings.filterwarnings("ignore", category=category, module=module)
    from analysis.plots.base import setup_fonts

    setup_fonts()
    if show:
        _display(CSS)
        return None
    return CSS


def html_block(content: str, *, show: bool = True) -> str | None:
    """Wrap trusted, already-escaped HTML in the report's style scope and display it.

    Returns the HTML only when ``show=False``: a displayed block returns None, so a helper call
    that ends a notebook cell never echoes its markup as a text ``Out[]`` in the report.
    """
    out = f'<div class="kefu">{content}</div>'
    if show:
        _display(out)
        return None
    return out


def heading(
    text: str,
    level: int = 2,
    *,
    note: str | None = None,
    anchor: str | None = None,
    show: bool = True,
) -> str | None:
    """A heading (escaped) with an optional explanatory line below it; ``anchor`` gives it an
    id so other pages can link to the section (the landing page links to data quality)."""
    ident = f' id="{esc(anchor)}"' if anchor else ""
    body = f"<h{level}{ident}>{esc(text)}</h{level}>"
    if note:
        body += f'<p class="note">{esc(note)}</p>'
    return html_block(body, show=show)


def note(text: str, *, show: bool = True) -> str | None:
    """A short paragraph of narrative (escaped)."""
    return html_block(f'<p class="note">{esc(text)}</p>', show=show)


def tiles(items: Iterable[Mapping[str, Any]], *, show: bool = True) -> str | None:
    """Headline tiles: each item has ``label``, ``value`` (already formatted text), optional
    ``sub`` (a second line) and ``tone`` ("over", "under", "warn" or None)."""
    parts = []
    for it in items:
        tone = f" tone-{it['tone']}" if it.get("tone") else ""
        sub = f'<div class="sub">{esc(it["sub"])}</div>' if it.get("sub") else ""
        parts.append(
            f'<div class="tile{tone}"><div class="label">{esc(it["label"])}</div>'
            f'<div class="value">{esc(it["value"])}</div>{sub}</div>'
        )
    return html_block(f'<div class="tiles">{"".join(parts)}</div>', show=show)


def table(
    df: pd.DataFrame,
    columns: Mapping[str, Col | str] | None = None,
    *,
    row_tone: Callable[[Mapping[str, Any]], str | None] | None = None,
    total: Mapping[str, Any] | None = None,
    max_rows: int | None = None,
    empty: str = "—",
    show: bool = True,
) -> str | None:
    """Render ``df`` as an escaped HTML table.

    ``columns`` maps column → :class:`Col` (or just a label) and fixes the order; ``row_tone``
    returns "over"/"under"/"warn" to colour a row; ``total`` is an extra bold last row (values
    formatted by the same column formatters).
    """
    if columns is None:
        columns = {c: str(c) for c in df.columns}
    cols = {k: (v if isinstance(v, Col) else Col(str(v))) for k, v in columns.items()}
    cols = {
        k: (Col(c.label, c.fmt, c.numeric, True) if k in LONG_TEXT and not c.numeric else c)
        for k, c in cols.items()
    }
    head = "".join(f"<th>{esc(c.label)}</th>" for c in cols.values())
    records = df.to_dict("records")
    if max_rows is not None:
        records = records[:max_rows]

    def cell(col: Col, value: Any) -> str:
        text = col.fmt(value) if col.fmt is not None else esc(value)
        if col.fmt is not None:
            text = esc(text)
        cls = ' class="num"' if col.numeric else ' class="wrap"' if col.wrap else ""
        return f"<td{cls}>{text}</td>"

    body = []
    for rec in records:
        tone = row_tone(rec) if row_tone else None
        cls = f' class="tone-{tone}"' if tone else ""
        body.append(f"<tr{cls}>" + "".join(cell(c, rec.get(k)) for k, c in cols.items()) + "</tr>")
    if not records:
        body.append(f'<tr><td colspan="{len(cols)}" class="muted">{esc(empty)}</td></tr>')
    if total is not None:
        body.append(
            '<tr class="total">'
            + "".join(cell(c, total.get(k, "")) for k, c in cols.items())
            + "</tr>"
        )
    more = ""
    if max_rows is not None and len(df) > max_rows:
        more = f'<p class="note">… {len(df) - max_rows:,} / {len(df):,}</p>'
    return html_block(
        f'<div class="table-wrap"><table class="kefu-table"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>{more}',
        show=show,
    )


def figure_html(fig: Any, *, alt: str = "", caption: str | None = None) -> str:
    """A matplotlib figure as an inline PNG ``<figure>`` (self-contained, no external file)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight", facecolor="white")
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    cap = f"<figcaption>{esc(caption)}</figcaption>" if caption else ""
    return f'<figure><img src="data:image/png;base64,{data}" alt="{esc(alt)}">{cap}</figure>'


def show_figure(
    fig: Any, *, alt: str = "", caption: str | None = None, show: bool = True
) -> str | None:
    """Display a figure inline in the report and release it."""
    out = html_block(figure_html(fig, alt=alt, caption=caption), show=show)
    try:
        import matplotlib.pyplot as plt

        plt.close(fig)
    except Exception:  # noqa: BLE001 - a Figure not managed by pyplot needs no closing
        pass
    return out


def save_headlines(
    out_dir: str | Path, report: str, items: Sequence[Mapping[str, Any]]
) -> Path | None:
    """Record a report's headline figures for the landing page (``index.html``).

    ``items`` are dicts with ``label``, ``value`` (formatted text) and optional ``tone``.
    Does nothing when ``out_dir`` is empty (an analyst exploring in JupyterLab).
    """
    if not out_dir:
        return None
    folder = Path(out_dir) / HEADLINES_DIR
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{report}.json"
    clean = [
        {
            "label": str(i["label"]),
            "value": str(i["value"]),
            "tone": i.get("tone"),
            **({"sub": str(i["sub"])} if i.get("sub") else {}),
        }
        for i in items
    ]
    path.write_text(json.dumps(clean, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def load_headlines(out_dir: str | Path) -> dict[str, list[dict[str, Any]]]:
    """Headlines saved by every report of a run, keyed by report name."""
    folder = Path(out_dir) / HEADLINES_DIR
    if not folder.is_dir():
        return {}
    return {
        p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))
    }
