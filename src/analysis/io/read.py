"""Raw cell grids from .xlsx/.xlsm/.xls/.xlsb/.ods (calamine via fastexcel) and .csv.

Why: the one place that touches spreadsheet bytes. Every sheet becomes a grid of text cells
indexed by the row number Excel shows, so every later message can point at the exact row.
Oversized inputs are refused before they are parsed (zip bombs, runaway sheets).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.io.errors import InputError
from analysis.io.formats import percent_cells

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
SUPPORTED_SUFFIXES = EXCEL_SUFFIXES | CSV_SUFFIXES


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


def check_limits(path: Path, rel: str, limits: Mapping[str, Any]) -> None:
    """Refuse files whose size, unpacked size or declared cell count exceed [limits]."""
    max_mb = float(limits.get("max_file_mb", 200))
    size = path.stat().st_size
    if size > max_mb * 1024 * 1024:
        raise InputError(
            f"文件过大({size / 1048576:.1f} MB,上限 {max_mb:g} MB),未读取;可在 config.toml 的 [limits] max_file_mb 调整",
            f"file too large ({size / 1048576:.1f} MB, limit {max_mb:g} MB); not read. "
            "Raise [limits] max_file_mb in config.toml if it is genuine",
            file=rel,
        )
    if path.suffix.lower() not in {".xlsx", ".xlsm", ".ods", ".xlsb"}:
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
                            f"工作表声明 {rows * cols:,} 个单元格,超过上限 {max_cells:,},未读取",
                            f"a sheet declares {rows * cols:,} cells, over the limit of "
                            f"{max_cells:,}; not read",
                            file=rel,
                        )
    except zipfile.BadZipFile as exc:
        raise InputError(
            "文件已损坏或不是有效的 Excel/ODS 文件",
            f"file is damaged or not a valid Excel/ODS workbook ({exc})",
            file=rel,
        ) from exc


def _letters_to_idx(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def sheet_names(path: Path, rel: str) -> list[tuple[str, bool]]:
    """(name, visible) of every sheet; CSV has one sheet named ""."""
    if path.suffix.lower() in CSV_SUFFIXES:
        return [("", True)]
    import fastexcel

    try:
        reader = fastexcel.read_excel(str(path))
    except Exception as exc:  # calamine raises its own error types
        raise _unreadable(rel, exc) from exc
    return [(n, True) for n in reader.sheet_names]


def _unreadable(rel: str, exc: Exception) -> InputError:
    return InputError(
        "文件无法读取(已损坏、加密或格式不符)",
        f"file cannot be read (damaged, encrypted or not the format its name says): {exc}",
        file=rel,
    )


def read_excel_grids(
    path: Path, rel: str, sheets: list[str] | None, limits: Mapping[str, Any]
) -> list[Grid]:
    """Every wanted sheet of a workbook as a text grid (fastexcel: calamine into Arrow)."""
    import fastexcel

    try:
        reader = fastexcel.read_excel(str(path))
        names = reader.sheet_names
    except Exception as exc:
        raise _unreadable(rel, exc) from exc
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
            raise _unreadable(rel, exc) from exc
        if sheet.total_height * max(sheet.width, 1) > max_cells:
            raise InputError(
                f"工作表有 {sheet.total_height * sheet.width:,} 个单元格,超过上限 {max_cells:,}",
                f"sheet has {sheet.total_height * sheet.width:,} cells, over the limit of {max_cells:,}",
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


def decode_csv(raw: bytes) -> tuple[str, str]:
    """Text and encoding name: UTF-8 (with or without BOM), else GB18030 (covers GBK/GB2312)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "utf-16"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is None:
        raise UnicodeDecodeError("unknown", raw[:1], 0, 1, "encoding not recognised")
    return str(best), best.encoding


def read_csv_grid(path: Path, rel: str, limits: Mapping[str, Any]) -> Grid:
    """A CSV as one text grid; ragged rows are padded, the delimiter is sniffed."""
    raw = path.read_bytes()
    try:
        text, encoding = decode_csv(raw)
    except UnicodeDecodeError as exc:
        raise InputError(
            "CSV 文件编码无法识别(支持 UTF-8、带 BOM 的 UTF-8、GBK/GB18030)",
            "CSV encoding not recognised (UTF-8, UTF-8 with BOM and GBK/GB18030 are supported)",
            file=rel,
        ) from exc
    if "\x00" in text[:4096]:
        raise InputError("文件不是文本 CSV", "file is not a text CSV", file=rel)
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    max_cells = int(limits.get("max_cells", 50_000_000))
    df = _csv_frame_fast(text, delimiter)
    if df is None:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
        width = max((len(r) for r in rows), default=0)
        if len(rows) * width > max_cells:
            raise InputError(
                f"CSV 有 {len(rows) * width:,} 个单元格,超过上限 {max_cells:,}",
                f"CSV has {len(rows) * width:,} cells, over the limit of {max_cells:,}",
                file=rel,
            )
        df = pd.DataFrame([r + [None] * (width - len(r)) for r in rows], dtype="str")
    width = df.shape[1]
    if len(df) * width > max_cells:
        raise InputError(
            f"CSV 有 {len(df) * width:,} 个单元格,超过上限 {max_cells:,}",
            f"CSV has {len(df) * width:,} cells, over the limit of {max_cells:,}",
            file=rel,
        )
    if width:
        df = df.apply(lambda c: c.where(c.str.strip().ne(""), None)).astype("str")
    df.columns = range(width)
    df.index = pd.RangeIndex(1, len(df) + 1)
    grid = Grid(rel, "", df, [col_letter(i) for i in range(width)])
    if encoding not in ("utf-8", "utf-8-sig"):
        grid.notes.append({"code": "encoding", "value": encoding})
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


def read_grids(
    path: Path, rel: str, sheets: list[str] | None = None, limits: Mapping[str, Any] | None = None
) -> list[Grid]:
    """All wanted sheets of one input file as text grids (limits checked first)."""
    limits = limits or {}
    if not path.is_file():
        raise InputError("文件不存在", "file not found", file=rel)
    check_limits(path, rel, limits)
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return [read_csv_grid(path, rel, limits)]
    if suffix in EXCEL_SUFFIXES:
        return read_excel_grids(path, rel, sheets, limits)
    raise InputError(
        f"不支持的文件类型 {suffix}(支持 .xlsx .xlsm .xls .ods .csv)",
        f"unsupported file type {suffix} (.xlsx .xlsm .xls .ods .csv are supported)",
        file=rel,
    )
