"""Embed the Chinese glyphs a page uses as a small inline web font.

Why: a report is opened on whatever machine the e-mail reaches (a locked-down laptop, a Linux
box with no Chinese font, a phone). Subsetting the bundled Noto Sans CJK SC to just the
characters on the page (typically 50-150 KB) and inlining it as a data URI makes the Chinese
render the same everywhere, offline, with nothing fetched.
"""

from __future__ import annotations

import base64
import io
import re
from functools import cache
from pathlib import Path

FAMILY = "Kefu CJK"
_MARK = "<!-- kefu-cjk-font -->"
# CJK radicals, punctuation, kana, unified ideographs, compatibility forms, full-width forms.
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")


def cjk_characters(text: str) -> str:
    """The distinct CJK characters of ``text``, sorted (stable subset → stable output)."""
    return "".join(sorted(set(_CJK.findall(text))))


@cache
def _font_path() -> str:
    from analysis.plots.base import cjk_font_path

    return str(cjk_font_path())


def subset_woff(chars: str) -> bytes:
    """A WOFF font holding only ``chars`` from the bundled CJK font."""
    from fontTools import subset

    opts = subset.Options()
    opts.flavor = "woff"
    opts.layout_features = ["*"]
    opts.hinting = False
    opts.notdef_outline = True
    font = subset.load_font(_font_path(), opts)
    sub = subset.Subsetter(opts)
    sub.populate(text=chars)
    sub.subset(font)
    buf = io.BytesIO()
    subset.save_font(font, buf, opts)
    return buf.getvalue()


def embed_cjk_font(html: str) -> str:
    """``html`` with an inline ``@font-face`` for its CJK characters (idempotent)."""
    if _MARK in html:
        return html
    chars = cjk_characters(html)
    if not chars:
        return html
    data = base64.b64encode(subset_woff(chars)).decode("ascii")
    style = (
        f'{_MARK}<style>@font-face{{font-family:"{FAMILY}";'
        f'src:url(data:font/woff;base64,{data}) format("woff");font-display:block;}}'
        f'body,.kefu{{font-family:"{FAMILY}","Noto Sans CJK SC","PingFang SC","Microsoft YaHei",'
        f'"Source Han Sans SC","Hiragino Sans GB","WenQuanYi Micro Hei",sans-serif;}}</style>'
    )
    if "</head>" in html:
        return html.replace("</head>", style + "</head>", 1)
    return style + html


def embed_in_file(path: Path) -> Path:
    """Rewrite an HTML file in place with its CJK font embedded."""
    text = path.read_text(encoding="utf-8")
    path.write_text(embed_cjk_font(text), encoding="utf-8")
    return path
