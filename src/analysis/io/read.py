"""Raw cell grids from .xlsx/.xlsm/.xls/.xlsb/.ods (calamine via fastexcel), HTML tables and .csv.

Why: the one place that touches spreadsheet bytes. Every sheet becomes a grid of text cells
indexed by the row number Excel shows, so every later message can point at the exact row.
Oversized inputs are refused before they are parsed (zip bombs, runaway sheets).

A file is read by what it is, not by what its name says: OA/ERP systems save HTML tables or
tab-separated text as ".xls", people rename workbooks, and an encrypted workbook is an OLE2
container whatever its extension. :func:`sniff` looks at the bytes; a file whose content
differs from its extension is read by its content with an info note (``content_differs``).
"""

from __future__ import annotations

import csv
import io
import mmap
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.faults import os_advice, os_reason
from analysis.io.errors import InputError
from analysis.io.formats import percent_cells

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
SUPPORTED_SUFFIXES = EXCEL_SUFFIXES | CSV_SUFFIXES

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
ENCODINGS_TRIED_ZH = "UTF-8、带 BOM 的 UTF-8、UTF-16、GB18030(含 GBK/GB2312)、Big5"
ENCODINGS_TRIED_EN = "UTF-8, UTF-8 with BOM, UTF-16, GB18030 (GBK/GB2312), Big5"


@dataclass
class Grid:
    """One sheet's cells as text: columns 0..n-1, index = Excel row number (1-based)."""

    file: str
    sheet: str
    cells: pd.DataFrame
    letters: list[str]
    hidden: bool = False
    notes: list[dict[str, Any]] = field(default_factory=list)
    #: (row, column letter) of cells formatted as a percentage (xlsx only; see io.formats).
    percent: set[tuple[int, str]] = field(default_factory=set)


def col_letter(idx: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    out = ""
    idx += 1
    while idx:
        idx, rem = divmod(idx - 1, 26)
        out = chr(65 + rem) + out
    return out


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
        raise InputError(
            "文件已损坏(zip 结构不完整),无法读取;请用 Excel/WPS 打开后另存为 .xlsx 再放入数据文件夹",
            "file is damaged (incomplete zip structure) and cannot be read; open it in "
            "Excel/WPS, save it again as .xlsx and put that copy in the data folder",
            file=rel,
        ) from exc


# ---------------------------------------------------------------------------------------------
# What the file is


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
        raise InputError(
            "文件已损坏(zip 结构不完整),无法读取;请用 Excel/WPS 打开后另存为 .xlsx 再放入数据文件夹",
            "file is damaged (incomplete zip structure) and cannot be read; open it in "
            "Excel/WPS, save it again as .xlsx and put that copy in the data folder",
            file=rel,
        ) from exc
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


def _letters_to_idx(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def sheet_names(path: Path, rel: str) -> list[tuple[str, bool]]:
    """(name, visible) of every sheet; CSV text and HTML tables have one sheet named ""."""
    content = sniff(path, rel)
    if content not in _WORKBOOK_KINDS:
        return [("", True)]
    import fastexcel

    try:
        reader = fastexcel.read_excel(_excel_source(path, content))
    except Exception as exc:  # calamine raises its own error types
        raise _unreadable(rel, exc, content) from exc
    return [(n, True) for n in reader.sheet_names]


def _excel_source(path: Path, content: str) -> str | bytes:
    """calamine picks its reader by extension for a path and by content for bytes: a workbook
    whose extension lies is handed over as bytes."""
    if _EXPECTED.get(path.suffix.lower()) == content:
        return str(path)
    return path.read_bytes()


def _unreadable(rel: str, exc: Exception, content: str = "") -> InputError:
    """A workbook calamine could not open or parse, in one paragraph (never its multi-line
    context): encrypted workbooks as such, the rest as damaged, with the first line of the
    library's reason for whoever maintains the workbook."""
    detail = " ".join(str(exc).splitlines()[0].split())[:200] if str(exc) else type(exc).__name__
    low = str(exc).lower()
    if "password" in low or "encrypt" in low or "filepass" in low:
        return password_error(rel)
    label_zh, label_en = CONTENT_LABELS.get(content, ("工作簿", "workbook"))
    return InputError(
        f"文件内容是{label_zh},但无法解析(已损坏或不完整;{detail});请用 Excel/WPS 打开后另存为 .xlsx 再放入数据文件夹",
        f"the file is {'an' if label_en[0] in 'aeiouxAEIOUX' else 'a'} {label_en} but cannot be "
        f"parsed (damaged or incomplete: {detail}); open it in Excel/WPS, save it as .xlsx and "
        "put that copy in the data folder",
        file=rel,
    )


def read_excel_grids(
    path: Path,
    rel: str,
    sheets: list[str] | None,
    limits: Mapping[str, Any],
    content: str | None = None,
) -> list[Grid]:
    """Every wanted sheet of a workbook as a text grid (fastexcel: calamine into Arrow)."""
    import fastexcel

    content = content or _EXPECTED.get(path.suffix.lower(), "xlsx")
    try:
        reader = fastexcel.read_excel(_excel_source(path, content))
        names = reader.sheet_names
    except OSError as exc:
        raise os_input_error(rel, exc) from None
    except Exception as exc:
        raise _unreadable(rel, exc, content) from exc
    wanted = names if not sheets else [n for n in names if n in sheets]
    max_cells = int(limits.get("max_cells", 50_000_000))
    grids = []
    for name in wanted:
        try:
            sheet = reader.load_sheet(
                name, header_row=None, skip_rows=0, dtypes="string", whitespace_as_null=True
            )
        except Exception as exc:
            msg = str(exc).lower()
            if "empty" in msg or "no data" in msg or "not found" in msg:
                grids.append(Grid(rel, name, pd.DataFrame(), []))
                continue
            err = _unreadable(rel, exc, content)
            raise InputError(err.zh, err.en, file=rel, sheet=name) from exc
        if sheet.total_height * max(sheet.width, 1) > max_cells:
            raise InputError(
                f"工作表有 {sheet.total_height * sheet.width:,} 个单元格,超过上限 {max_cells:,},未读取;若确属正常,可在 config.toml 的 [limits] max_cells 调高上限",
                f"sheet has {sheet.total_height * sheet.width:,} cells, over the limit of {max_cells:,}; not read; raise [limits] max_cells in config.toml if it is genuine",
                file=rel,
                sheet=name,
            )
        cols = sheet.available_columns()
        batch = sheet.to_arrow()
        df = batch.to_pandas()
        df.columns = range(df.shape[1])
        df.index = pd.RangeIndex(1, len(df) + 1)
        letters = [col_letter(c.absolute_index) for c in cols]
        # fastexcel says "visible", "hidden" or "veryhidden".
        visible = str(getattr(sheet, "visible", "visible")).lower()
        grid = Grid(rel, name, df, letters, hidden=visible not in ("visible", "true"))
        grid.percent = percent_cells(path, name)
        grids.append(grid)
    return grids


# ---------------------------------------------------------------------------------------------
# Text: encodings


def decode_text(raw: bytes) -> tuple[str, str, bool]:
    """Text, encoding name and whether the encoding is a guess.

    UTF-8 (with or without BOM) and UTF-16 are certain; GB18030 (covers GBK/GB2312) is the
    Chinese default. Big5 bytes almost always decode as GB18030 too, into nonsense, so when
    both decode the one that reads as common Chinese wins (GB18030 on a tie). Anything else is
    charset_normalizer's guess, taken when it is confident. Raises UnicodeDecodeError with the
    best weak guess (or "") as its ``reason`` when nothing fits.
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="strict"), "utf-8-sig", False
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "utf-16", False
    if _utf16_like(raw):
        codec = _utf16_codec(raw)
        try:
            return raw.decode(codec), codec, False
        except UnicodeDecodeError:
            pass
    try:
        return raw.decode("utf-8"), "utf-8", False
    except UnicodeDecodeError:
        pass
    gb = _try_decode(raw, "gb18030")
    big5 = _try_decode(raw, "big5hkscs")
    gb_share = _chinese_share(gb, simplified=True) if gb is not None else -1.0
    big5_share = _chinese_share(big5, simplified=False) if big5 is not None else -1.0
    if gb is not None and gb_share >= 0.6 and gb_share + 0.15 >= big5_share:
        return gb, "gb18030", False
    if big5 is not None and big5_share >= 0.6 and big5_share > gb_share + 0.15:
        return big5, "big5", True
    other = _guess(raw)
    if other is not None and other[1] not in ("gb18030", "gbk", "gb2312", "hz"):
        return other[0], other[1], True
    if gb is not None:  # decodes, but reads as little common Chinese: say it is a guess
        return gb, "gb18030", True
    weak = _guess(raw, threshold=0.5)
    raise UnicodeDecodeError("unknown", raw[:1], 0, 1, weak[1] if weak else "")


def decode_csv(raw: bytes) -> tuple[str, str]:
    """Text and encoding name (see :func:`decode_text`)."""
    text, encoding, _ = decode_text(raw)
    return text, encoding


def _try_decode(raw: bytes, codec: str) -> str | None:
    try:
        return raw.decode(codec)
    except UnicodeDecodeError:
        return None


_CJK_PUNCT = set(",。、:;!?()《》「」『』“”‘’—…·【】¥")


def _chinese_share(text: str, *, simplified: bool) -> float:
    """Share of non-ASCII characters that are common Chinese: CJK ideographs or punctuation
    (for a GB reading, only those in GB2312, the 6,763 everyday characters)."""
    wide = [c for c in text[:200_000] if ord(c) > 127]
    if not wide:
        return 1.0
    good = 0
    for c in wide:
        if c in _CJK_PUNCT:
            good += 1
        elif "\u4e00" <= c <= "\u9fff":  # the basic CJK block; extensions are rare
            if not simplified:
                good += 1
                continue
            try:
                c.encode("gb2312")
                good += 1
            except UnicodeEncodeError:
                pass
    return good / len(wide)


def _guess(raw: bytes, threshold: float = 0.2) -> tuple[str, str] | None:
    """charset_normalizer's best reading (text, encoding) under its mess threshold, or None."""
    from charset_normalizer import from_bytes

    best = from_bytes(raw[:1_000_000], threshold=threshold).best()
    if best is None:
        return None
    try:
        return raw.decode(best.encoding), best.encoding
    except (UnicodeDecodeError, LookupError):
        return None


def _encoding_name(codec: str) -> str:
    names = {"big5": "Big5", "big5hkscs": "Big5", "cp950": "Big5", "shift_jis": "Shift-JIS"}
    return names.get(codec.lower(), codec.upper().replace("_", "-"))


def _decode_or_refuse(raw: bytes, rel: str, what_zh: str, what_en: str) -> tuple[str, str, bool]:
    try:
        return decode_text(raw)
    except UnicodeDecodeError as exc:
        hint = _encoding_name(exc.reason) if exc.reason else ""
        raise InputError(
            f"{what_zh}的文字编码无法识别(已尝试 {ENCODINGS_TRIED_ZH}"
            + (f";看起来可能是 {hint} 编码,但无法确定" if hint else "")
            + ");请在 Excel/WPS 中打开并另存为「CSV UTF-8」或 .xlsx",
            f"the {what_en}'s text encoding is not recognised (tried {ENCODINGS_TRIED_EN}"
            + (f"; it may be {hint}, but not reliably" if hint else "")
            + "); open it in Excel/WPS and save it as 'CSV UTF-8' or .xlsx",
            file=rel,
        ) from None


def _encoding_notes(encoding: str, guessed: bool) -> list[dict[str, Any]]:
    if guessed:
        return [{"code": "encoding_guessed", "value": _encoding_name(encoding)}]
    if encoding not in ("utf-8", "utf-8-sig"):
        return [{"code": "encoding", "value": encoding}]
    return []


# ---------------------------------------------------------------------------------------------
# Text: CSV


def read_csv_grid(
    path: Path, rel: str, limits: Mapping[str, Any], raw: bytes | None = None
) -> Grid:
    """A CSV as one text grid; ragged rows are padded, the delimiter is sniffed."""
    if raw is None:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise os_input_error(rel, exc) from None
    text, encoding, guessed = _decode_or_refuse(raw, rel, "文本文件", "text file")
    if "\x00" in text[:4096]:
        raise InputError(
            "文件不是文本 CSV(含二进制内容);请用 Excel/WPS 打开后另存为 .xlsx",
            "the file is not a text CSV (it holds binary content); open it in Excel/WPS and "
            "save it as .xlsx",
            file=rel,
        )
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = "\t" if path.suffix.lower() in (".tsv", ".xls") or "\t" in sample else ","
    max_cells = int(limits.get("max_cells", 50_000_000))
    df = _csv_frame_fast(text, delimiter)
    if df is None:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
        width = max((len(r) for r in rows), default=0)
        if len(rows) * width > max_cells:
            raise InputError(
                f"CSV 有 {len(rows) * width:,} 个单元格,超过上限 {max_cells:,},未读取;若确属正常,可在 config.toml 的 [limits] max_cells 调高上限",
                f"CSV has {len(rows) * width:,} cells, over the limit of {max_cells:,}; not read; raise [limits] max_cells in config.toml if it is genuine",
                file=rel,
            )
        df = pd.DataFrame([r + [None] * (width - len(r)) for r in rows], dtype="str")
    width = df.shape[1]
    if len(df) * width > max_cells:
        raise InputError(
            f"CSV 有 {len(df) * width:,} 个单元格,超过上限 {max_cells:,},未读取;若确属正常,可在 config.toml 的 [limits] max_cells 调高上限",
            f"CSV has {len(df) * width:,} cells, over the limit of {max_cells:,}; not read; raise [limits] max_cells in config.toml if it is genuine",
            file=rel,
        )
    if width:
        df = df.apply(lambda c: c.where(c.str.strip().ne(""), None)).astype("str")
    df.columns = range(width)
    df.index = pd.RangeIndex(1, len(df) + 1)
    grid = Grid(rel, "", df, [col_letter(i) for i in range(width)])
    grid.notes.extend(_encoding_notes(encoding, guessed))
    return grid


def _csv_frame_fast(text: str, delimiter: str) -> pd.DataFrame | None:
    """Every record as text cells via pyarrow's CSV reader (~7× faster than the csv module on
    a million lines), or None when the file is ragged (title rows, blank lines, short rows):
    the csv module then reads it, so records and row numbers are the same either way."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    first = next(csv.reader(io.StringIO(text[:65536]), delimiter=delimiter), None)
    if not first or len(text) < 65536:  # small files: the csv module is fast enough
        return None
    names = [f"c{i}" for i in range(len(first))]
    try:
        table = pacsv.read_csv(
            io.BytesIO(text.encode("utf-8")),
            read_options=pacsv.ReadOptions(column_names=names, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter, newlines_in_values=True, ignore_empty_lines=False
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                null_values=[],
            ),
        )
    except (pa.ArrowInvalid, ValueError):
        return None
    df = table.to_pandas().astype("str")
    df.columns = range(len(names))
    return df


# ---------------------------------------------------------------------------------------------
# HTML tables (the ".xls" of many OA/ERP exports)

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
                raise InputError(
                    f"HTML 表格超过 {max_cells:,} 个单元格的上限,未读取;若确属正常,可在 config.toml 的 [limits] max_cells 调高上限",
                    f"the HTML tables exceed the limit of {max_cells:,} cells; not read; raise [limits] max_cells in config.toml if it is genuine",
                    file=rel,
                )
    df = pd.DataFrame([r + [None] * (width - len(r)) for r in rows], dtype="str")
    df.columns = range(width)
    df.index = pd.RangeIndex(1, len(df) + 1)
    grid = Grid(rel, "", df, [col_letter(i) for i in range(width)])
    if guessed:  # a page's own <meta charset> or a BOM is not worth a note
        grid.notes.extend(_encoding_notes(encoding, guessed))
    return grid


# ---------------------------------------------------------------------------------------------
# Any input file


def read_grids(
    path: Path, rel: str, sheets: list[str] | None = None, limits: Mapping[str, Any] | None = None
) -> list[Grid]:
    """All wanted sheets of one input file as text grids (limits checked first).

    The content decides how the file is read (see :func:`sniff`); when it differs from what the
    extension promises, the first grid carries a ``content_differs`` note.
    """
    limits = limits or {}
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise InputError(
            f"不支持的文件类型 {suffix}(支持 .xlsx .xlsm .xls .ods .csv)",
            f"unsupported file type {suffix} (.xlsx .xlsm .xls .ods .csv are supported)",
            file=rel,
        )
    if path.is_dir():
        raise InputError(
            "这是一个文件夹,不是文件;请把其中的表格文件直接放在数据文件夹中",
            "this is a folder, not a file; put the spreadsheet files themselves in the data folder",
            file=rel,
        )
    if not path.exists():
        raise InputError("文件不存在", "file not found", file=rel)
    content = sniff(path, rel)
    try:
        check_limits(path, rel, limits, content)
    except OSError as exc:
        raise os_input_error(rel, exc) from None
    if content in _WORKBOOK_KINDS:
        grids = read_excel_grids(path, rel, sheets, limits, content)
    elif content == "html":
        grids = [read_html_grid(path, rel, limits)]
    else:
        grids = [read_csv_grid(path, rel, limits)]
    expected = _EXPECTED[suffix]
    if content != expected and grids:
        grids[0].notes.insert(
            0, {"code": "content_differs", "value": f"{suffix} → {CONTENT_LABELS[content][1]}"}
        )
    return grids
