"""Cell number formats that change a cell's meaning: a percentage is not an amount of money.

Why: calamine hands over 0.05 for a cell that Excel shows as "5%", so the loader cannot tell a rate
typed into an amount column from 5 分. Only .xlsx/.xlsm keep formats in plain XML; this reads the
style table and the sheet's cell style references, nothing else, and only for modest sheets.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

#: Built-in number formats 9 (0%) and 10 (0.00%).
_BUILTIN_PERCENT = {9, 10}
_MAX_SHEET_BYTES = 50_000_000


def _percent_styles(zf: zipfile.ZipFile) -> set[int]:
    try:
        styles = zf.read("xl/styles.xml").decode("utf-8", "replace")
    except KeyError:
        return set()
    custom = {
        int(m.group(1))
        for m in re.finditer(r'<numFmt\b[^>]*numFmtId="(\d+)"[^>]*formatCode="([^"]*)"', styles)
        if "%" in re.sub(r'"[^"]*"|\\.', "", m.group(2).replace("&quot;", '"'))
    }
    xfs = re.search(r"<cellXfs\b[^>]*>(.*?)</cellXfs>", styles, re.S)
    if not xfs:
        return set()
    out = set()
    for i, xf in enumerate(re.finditer(r"<xf\b([^>]*)/?>", xfs.group(1))):
        m = re.search(r'numFmtId="(\d+)"', xf.group(1))
        if m and (int(m.group(1)) in _BUILTIN_PERCENT or int(m.group(1)) in custom):
            out.add(i)
    return out


def _sheet_path(zf: zipfile.ZipFile, sheet: str) -> str | None:
    wb = zf.read("xl/workbook.xml").decode("utf-8", "replace")
    rels = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    for m in re.finditer(r"<sheet\b([^>]*)/?>", wb):
        attrs = m.group(1)
        name = re.search(r'name="([^"]*)"', attrs)
        rid = re.search(r'r:id="([^"]*)"', attrs) or re.search(r'\bid="([^"]*)"', attrs)
        if not (name and rid) or _unescape(name.group(1)) != sheet:
            continue
        rel = re.search(rf'<Relationship\b[^>]*Id="{re.escape(rid.group(1))}"[^>]*/?>', rels)
        target = re.search(r'Target="([^"]*)"', rel.group(0)) if rel else None
        if target:
            t = target.group(1).lstrip("/")
            return t if t.startswith("xl/") else f"xl/{t}"
    return None


def _unescape(s: str) -> str:
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")


def percent_cells(path: Path, sheet: str) -> set[tuple[int, str]]:
    """(row, column letter) of every cell in ``sheet`` formatted as a percentage; empty when the
    file is not an xlsx/xlsm, has no percent style, or the sheet is too large to scan."""
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return set()
    try:
        with zipfile.ZipFile(path) as zf:
            styles = _percent_styles(zf)
            if not styles:
                return set()
            name = _sheet_path(zf, sheet)
            if name is None or zf.getinfo(name).file_size > _MAX_SHEET_BYTES:
                return set()
            xml = zf.read(name).decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError, OSError):
        return set()
    out = set()
    for m in re.finditer(r'<c\b[^>]*\br="([A-Z]+)(\d+)"[^>]*\bs="(\d+)"', xml):
        if int(m.group(3)) in styles:
            out.add((int(m.group(2)), m.group(1)))
    for m in re.finditer(r'<c\b[^>]*\bs="(\d+)"[^>]*\br="([A-Z]+)(\d+)"', xml):
        if int(m.group(1)) in styles:
            out.add((int(m.group(3)), m.group(2)))
    return out
