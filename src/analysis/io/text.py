"""The text engine: CSV/TSV in UTF-8, UTF-8 BOM, UTF-16, GB18030/GBK or Big5, delimiter sniffed."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.io.errors import InputError
from analysis.io.grid import Grid, col_letter
from analysis.io.sniff import _utf16_codec, _utf16_like, os_input_error, too_many_cells

ENCODINGS_TRIED_ZH = "UTF-8、带 BOM 的 UTF-8、UTF-16、GB18030(含 GBK/GB2312)、Big5"


ENCODINGS_TRIED_EN = "UTF-8, UTF-8 with BOM, UTF-16, GB18030 (GBK/GB2312), Big5"


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
            raise too_many_cells(rel, "CSV ", "CSV", len(rows) * width, max_cells)
        df = pd.DataFrame([r + [None] * (width - len(r)) for r in rows], dtype="str")
    width = df.shape[1]
    if len(df) * width > max_cells:
        raise too_many_cells(rel, "CSV ", "CSV", len(df) * width, max_cells)
    if width:
        df = df.apply(lambda c: c.where(c.str.strip().ne(""), None)).astype("str")
    df.columns = range(width)
    df.index = pd.RangeIndex(1, len(df) + 1)
    df, comma = _decimal_comma(df) if delimiter == ";" else (df, False)
    grid = Grid(rel, "", df, [col_letter(i) for i in range(width)])
    grid.notes.extend(_encoding_notes(encoding, guessed))
    if comma:
        grid.notes.append({"code": "decimal_comma", "value": "1.234,50 → 1234.50"})
    return grid


_EURO_NUMBER = r"^-?\d{1,3}(?:\.\d{3})*,\d+$|^-?\d{1,3}(?:\.\d{3})+$|^-?\d+,\d{1,2}$"
_US_NUMBER = r"^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^-?\d+\.\d{1,2}$"


def _decimal_comma(df: pd.DataFrame) -> tuple[pd.DataFrame, bool]:
    """A ';'-separated export from a European-style locale writes 1.234,50: read as 1234.50.

    Only when numbers of that form are there and none is written the other way (1,234.50), so
    a file mixing both is left as written (its amounts then stand out as not understood)."""
    cells = pd.Series(df.to_numpy().ravel()).dropna().astype("str").str.strip()
    euro = cells.str.match(_EURO_NUMBER)
    us = cells.str.match(_US_NUMBER)
    if not euro.any() or us.any():
        return df, False

    def fix(col: pd.Series) -> pd.Series:
        t = col.str.strip()
        hit = t.str.match(_EURO_NUMBER).fillna(False)
        return col.where(
            ~hit, t.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
        )

    return df.apply(fix).astype("str"), True


def as_written(names: list[str]) -> Any:
    """Arrow CSV options that keep every cell as the text written (no type guessing, no empty
    cell turned into null): the loaders decide what a cell means, not the CSV reader."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    return pacsv.ConvertOptions(
        column_types=dict.fromkeys(names, pa.string()),
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
        null_values=[],
    )


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
            convert_options=as_written(names),
        )
    except (pa.ArrowInvalid, ValueError):
        return None
    df = table.to_pandas().astype("str")
    df.columns = range(len(names))
    return df
