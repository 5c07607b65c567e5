"""What a file really is (by its bytes, not its name), and whether it may be read at all.

Why: an .xls may be xlsx, an HTML table or tab text; an encrypted workbook must be named as such,
not "damaged"; zip bombs and runaway sheets are refused before a single cell is parsed.
"""

from __future__ import annotations

import mmap
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from analysis.faults import os_advice, os_reason
from analysis.io.errors import InputError
from analysis.io.grid import _letters_to_idx

# What each extension promises, in the words of :func:`sniff`.
_EXPECTED = {
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".xlsb": "xlsb",
    ".xls": "xls",
    ".ods": "ods",
    ".csv": "text",
    ".txt": "text",
    ".tsv": "text",
}


# How a content kind is named to the user (zh, en); the note's value uses the en name.
CONTENT_LABELS = {
    "xlsx": ("xlsx 工作簿", "xlsx"),
    "xlsb": ("xlsb 工作簿", "xlsb"),
    "xls": ("xls 工作簿(Excel 97-2003)", "xls"),
    "ods": ("ods 表格(OpenDocument)", "ods"),
    "html": ("HTML 表格", "HTML table"),
    "text": ("文本(CSV/制表符分隔)", "text CSV"),
}


_WORKBOOK_KINDS = {"xlsx", "xlsb", "xls", "ods"}


_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


# Encrypted OOXML (Excel's "Encrypt with password") is an OLE2 file with these streams; their
# directory names are stored as UTF-16LE.
_ENCRYPTED_STREAMS = tuple(n.encode("utf-16-le") for n in ("EncryptionInfo", "EncryptedPackage"))


def check_limits(
    path: Path, rel: str, limits: Mapping[str, Any], content: str | None = None
) -> None:
    """Refuse files whose size, unpacked size or declared cell count exceed [limits].

    ``content`` is what :func:`sniff` found; without it the extension decides whether the
    file is a zip container (the unpacked-size and declared-cells checks).
    """
    max_mb = float(limits.get("max_file_mb", 200))
    size = path.stat().st_size
    if size > max_mb * 1024 * 1024:
        raise InputError(
            f"文件过大({size / 1048576:.1f} MB,上限 {max_mb:g} MB),未读取;可在 config.toml 的 [limits] max_file_mb 调整",
            f"file too large ({size / 1048576:.1f} MB, limit {max_mb:g} MB); not read. "
            "Raise [limits] max_file_mb in config.toml if it is genuine",
            file=rel,
        )
    zipped = (
        content in {"xlsx", "xlsb", "ods"}
        if content is not None
        else path.suffix.lower() in {".xlsx", ".xlsm", ".ods", ".xlsb"}
    )
    if not zipped:
        return
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            unpacked = sum(i.file_size for i in infos)
            max_un = float(limits.get("max_uncompressed_mb", 2000))
            if unpacked > max_un * 1024 * 1024:
                raise InputError(
                    f"文件解压后过大({unpacked / 1048576:.0f} MB,上限 {max_un:g} MB),疑似压缩炸弹,未读取",
                    f"file unpacks to {unpacked / 1048576:.0f} MB (limit {max_un:g} MB); "
                    "refused as a possible zip bomb",
                    file=rel,
                )
            max_cells = int(limits.get("max_cells", 50_000_000))
            for info in infos:
                if not re.match(r"xl/worksheets/sheet\d+\.xml$", info.filename):
                    continue
                with zf.open(info) as fh:
                    head = fh.read(4096).decode("utf-8", "replace")
                m = re.search(r'<(?:\w+:)?dimension ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"', head)
                if m and m.group(3):
                    rows = int(m.group(4)) - int(m.group(2)) + 1
                    cols = _letters_to_idx(m.group(3)) - _letters_to_idx(m.group(1)) + 1
                    if rows * cols > max_cells:
                        raise InputError(
                            f"工作表声明 {rows * cols:,} 个单元格,超过上限 {max_cells:,},未读取;若确属正常,可在 config.toml 的 [limits] max_cells 调高上限",
                            f"a sheet declares {rows * cols:,} cells, over the limit of "
                            f"{max_cells:,}; not read; raise [limits] max_cells in config.toml if it is genuine",
                            file=rel,
                        )
    except zipfile.BadZipFile as exc:
        raise damaged_zip(rel) from exc


def sniff(path: Path, rel: str) -> str:
    """The file's real kind from its bytes: ``xlsx`` ``xlsb`` ``xls`` ``ods`` ``html`` ``text``.

    Raises :class:`InputError` for what cannot be a table: an encrypted workbook, an empty
    file, a Word document, a zip archive of something else, a binary file, Excel 2003 XML, and
    for a file the system will not let us read (permission denied and the like).
    """
    try:
        with open(path, "rb") as fh:
            head = fh.read(65536)
    except OSError as exc:
        raise os_input_error(rel, exc) from None
    if not head:
        raise InputError(
            "文件是空的(0 字节);请重新导出或复制该文件",
            "the file is empty (0 bytes); export or copy it again",
            file=rel,
        )
    if head.startswith(_OLE2_MAGIC):
        if _ole2_encrypted(path):
            raise password_error(rel)
        return "xls"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _zip_kind(path, rel)
    text_head = _ascii_head(head)
    stripped = text_head.lstrip()
    if stripped.startswith("<"):
        lower = stripped[:65536].lower()
        if "urn:schemas-microsoft-com:office:spreadsheet" in lower and "<workbook" in lower:
            raise InputError(
                "文件是 Excel 2003 XML 表格(SpreadsheetML),无法直接读取;请用 Excel/WPS 打开后另存为 .xlsx",
                "the file is an Excel 2003 XML spreadsheet (SpreadsheetML), which is not read "
                "directly; open it in Excel/WPS and save it as .xlsx",
                file=rel,
            )
        if re.search(r"<(!doctype\s+html|html|table|meta|head|body)\b", lower):
            return "html"
    if b"\x00" in head and not _utf16_like(head):
        raise InputError(
            "文件内容无法识别:既不是 Excel/ODS 工作簿,也不是文本或 HTML 表格;请用 Excel/WPS 打开后另存为 .xlsx",
            "the content is not recognised: not an Excel/ODS workbook, text or HTML table; "
            "open it in Excel/WPS and save it as .xlsx",
            file=rel,
        )
    return "text"


def _ascii_head(head: bytes) -> str:
    """The start of a text file as text, enough to look for tags (BOMs and UTF-16 handled)."""
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or _utf16_like(head):
        with_bom = head.startswith((b"\xff\xfe", b"\xfe\xff"))
        codec = "utf-16" if with_bom else _utf16_codec(head)
        return head.decode(codec, errors="ignore")
    return head.decode("latin-1")


def _utf16_like(head: bytes) -> bool:
    """UTF-16 text without a BOM: every other byte of ASCII-heavy text is zero."""
    sample = head[:4096]
    if len(sample) < 8:
        return False
    even, odd = sample[0::2], sample[1::2]
    half = len(sample) / 2
    zeros = sorted((even.count(0), odd.count(0)))
    return zeros[1] > 0.2 * half and zeros[0] < 0.02 * half


def _utf16_codec(head: bytes) -> str:
    sample = head[:4096]
    return "utf-16-le" if sample[1::2].count(0) >= sample[0::2].count(0) else "utf-16-be"


def _ole2_encrypted(path: Path) -> bool:
    """An OLE2 container holding Office encryption streams (a password-protected xlsx)."""
    try:
        with open(path, "rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
            return any(mm.find(name) >= 0 for name in _ENCRYPTED_STREAMS)
    except (OSError, ValueError):
        return False


def _zip_kind(path: Path, rel: str) -> str:
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
            mimetype = ""
            if "mimetype" in names:
                mimetype = zf.read("mimetype")[:200].decode("ascii", "replace").strip()
    except zipfile.BadZipFile as exc:
        raise damaged_zip(rel) from exc
    except OSError as exc:
        raise os_input_error(rel, exc) from None
    if "xl/workbook.bin" in names:
        return "xlsb"
    if any(n.startswith("xl/") for n in names):
        return "xlsx"
    if "opendocument.spreadsheet" in mimetype and "content.xml" in names:
        return "ods"
    if any(n.startswith("word/") for n in names) or "opendocument.text" in mimetype:
        what_zh, what_en = "Word/文字文档", "a Word or text document"
    elif any(n.startswith("ppt/") for n in names) or "opendocument.presentation" in mimetype:
        what_zh, what_en = "演示文稿", "a presentation"
    else:
        what_zh, what_en = "zip 压缩包", "a zip archive"
    raise InputError(
        f"文件内容是{what_zh},不是表格;请把其中的表格另存为 .xlsx 放入数据文件夹",
        f"the file is {what_en}, not a spreadsheet; save the table inside it as .xlsx "
        "and put that in the data folder",
        file=rel,
    )


def password_error(rel: str) -> InputError:
    """An encrypted workbook: say so, never "damaged"."""
    return InputError(
        "有密码保护,无法读取,请另存为无密码的文件(在 Excel 中:文件 → 信息 → 保护工作簿 → 用密码进行加密,清空密码后保存)",
        "password protected: save a copy without a password (in Excel: File → Info → "
        "Protect Workbook → Encrypt with Password, clear it and save)",
        file=rel,
    )


def os_input_error(rel: str, exc: OSError) -> InputError:
    """The system would not let us read an input file: its reason and what to do."""
    reason_zh, reason_en = os_reason(exc)
    advice_zh, advice_en = os_advice(exc)
    return InputError(
        f"无法读取:{reason_zh};{advice_zh}",
        f"cannot be read: {reason_en}; {advice_en}",
        file=rel,
    )


def damaged_zip(rel: str) -> InputError:
    """A workbook whose zip structure is broken: say so, and how to get a readable copy."""
    return InputError(
        "文件已损坏(zip 结构不完整),无法读取;请用 Excel/WPS 打开后另存为 .xlsx 再放入数据文件夹",
        "file is damaged (incomplete zip structure) and cannot be read; open it in "
        "Excel/WPS, save it again as .xlsx and put that copy in the data folder",
        file=rel,
    )


def too_many_cells(rel: str, what_zh: str, what_en: str, n: int, limit: int) -> InputError:
    """Over [limits] max_cells: refused before it fills memory, with the setting to raise."""
    return InputError(
        f"{what_zh}有 {n:,} 个单元格,超过上限 {limit:,},未读取;若确属正常,可在 config.toml 的 "
        "[limits] max_cells 调高上限",
        f"{what_en} has {n:,} cells, over the limit of {limit:,}; not read; raise [limits] "
        "max_cells in config.toml if it is genuine",
        file=rel,
    )
