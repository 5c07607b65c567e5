"""The HTML engine: a table saved as .xls by OA/ERP systems, read cell by cell as text."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.io.errors import InputError
from analysis.io.grid import Grid, col_letter
from analysis.io.sniff import os_input_error, too_many_cells
from analysis.io.text import _decode_or_refuse, _encoding_notes

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


_NUMERIC_TEXT = re.compile(r"^[-+(]?\s*[¥$€£]?\s*[\d,]*\.?\d+\s*\)?$")


def _decode_html(raw: bytes, rel: str) -> tuple[str, str, bool]:
    """HTML text: a BOM, else the page's own <meta charset>, else as a text file."""
    if not raw.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        m = _META_CHARSET.search(raw[:4096])
        if m:
            declared = m.group(1).decode("ascii").lower()
            codec = "gb18030" if declared in ("gb2312", "gbk", "gb18030", "x-gbk") else declared
            try:
                return raw.decode(codec), codec, False
            except (LookupError, UnicodeDecodeError):
                pass
    return _decode_or_refuse(raw, rel, "HTML 文件", "HTML file")


def _cell_text(cell: Any) -> str | None:
    """What Excel shows in an HTML cell: its text, line breaks kept, spaces tidied.

    Excel's own HTML export writes the unrounded number as ``x:num``; when the shown text is a
    plain number (not a date or a percentage) that value is taken, as Excel itself does.
    """
    raw_num = cell.get("x:num")
    for br in cell.iter("br"):
        br.tail = "\n" + (br.tail or "")
    text = cell.text_content().replace("\xa0", " ").replace("\u3000", " ")
    lines = [" ".join(line.split()) for line in text.splitlines()]
    value = "\n".join(line for line in lines if line).strip()
    if raw_num not in (None, "") and value and _NUMERIC_TEXT.match(value):
        try:
            float(raw_num)
            return raw_num.strip()
        except ValueError:
            pass
    return value or None


def _span(cell: Any, attr: str, cap: int) -> int:
    try:
        return max(1, min(int(str(cell.get(attr, "1")).strip() or 1), cap))
    except ValueError:
        return 1


def read_html_grid(
    path: Path, rel: str, limits: Mapping[str, Any], raw: bytes | None = None
) -> Grid:
    """Every table of an HTML page as one grid, rows numbered as Excel numbers them when it
    opens the page (tables one below the other; a merged cell's value in its top-left cell).

    Cells are kept as text (lxml, not ``pandas.read_html``, which would turn 007 into 7 and
    round-trip amounts through floats)."""
    from lxml import etree
    from lxml import html as lhtml

    if raw is None:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise os_input_error(rel, exc) from None
    text, encoding, guessed = _decode_html(raw, rel)
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)  # lxml refuses str with an encoding decl.
    try:
        doc = lhtml.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise InputError(
            "文件是 HTML,但无法解析;请用 Excel/WPS 打开后另存为 .xlsx",
            f"the file is HTML but cannot be parsed ({' '.join(str(exc).split())[:120]}); "
            "open it in Excel/WPS and save it as .xlsx",
            file=rel,
        ) from None
    # Innermost tables: old OA pages wrap the data table in a layout table.
    tables = [t for t in doc.iter("table") if not t.xpath(".//table")]
    if not tables:
        raise InputError(
            "文件是 HTML 网页,但其中没有表格;请从系统重新导出为 Excel 或 CSV",
            "the file is an HTML page without a table; export it again as Excel or CSV",
            file=rel,
        )
    max_cells = int(limits.get("max_cells", 50_000_000))
    rows: list[list[str | None]] = []
    width = 0
    for table in tables:
        covered: dict[int, int] = {}  # column → rows still covered by a rowspan from above
        for tr in table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr"):
            out: list[str | None] = []
            col = 0
            for cell in tr.xpath("./td|./th"):
                while covered.get(col, 0) > 0:
                    covered[col] -= 1
                    out.append(None)
                    col += 1
                cspan, rspan = _span(cell, "colspan", 1000), _span(cell, "rowspan", 100_000)
                out.append(_cell_text(cell))
                out.extend([None] * (cspan - 1))
                if rspan > 1:
                    for c in range(col, col + cspan):
                        covered[c] = rspan - 1
                col += cspan
            for c in sorted(k for k, v in covered.items() if v > 0 and k >= col):
                out.extend([None] * (c - len(out)))
                covered[c] -= 1
                out.append(None)
            rows.append(out)
            width = max(width, len(out))
            if len(rows) * width > max_cells:
                raise too_many_cells(
                    rel, "HTML 表格", "the HTML table", len(rows) * width, max_cells
                )
    df = pd.DataFrame([r + [None] * (width - len(r)) for r in rows], dtype="str")
    df.columns = range(width)
    df.index = pd.RangeIndex(1, len(df) + 1)
    grid = Grid(rel, "", df, [col_letter(i) for i in range(width)])
    if guessed:  # a page's own <meta charset> or a BOM is not worth a note
        grid.notes.extend(_encoding_notes(encoding, guessed))
    return grid
