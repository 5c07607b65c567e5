"""Total, subtotal and derived rows: recognised in any label, kept out of the data, checked.

Why: real spreadsheets lie about their totals (the seed budget states 248,000 for lines of
194,000). A total is never added as a line; every stated total is compared with the lines it
closes and a mismatch is reported with both figures.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np
import pandas as pd

from analysis.io import values as V
from analysis.io.header import Table

_TOTAL_WORDS = r"合计|小计|总计|共计|累计|汇总|总额"


# Matched on normalised labels (NFKC, lower case, no spaces): "Total Income" → "totalincome".
_TOTAL_RE = re.compile(
    rf"^(?:(.*?)(?:{_TOTAL_WORDS})(?:[:].*)?"
    r"|总(?:费用|预算|支出|成本|金额|收入|开支)\S*"
    r"|(?:预算|费用|支出|成本|收入|开支)总\S*"
    r"|_?(?:grand|sub)?_?total.*|.*[_\s]?total(?:[:].*)?|.*\btotal\b.*)$",
    re.IGNORECASE,
)


_PREFILTER = rf"{_TOTAL_WORDS}|total|ｔｏｔａｌ|ＴＯＴＡＬ|总"


_GRAND_RE = re.compile(
    rf"^(?:总.*|(?:{_TOTAL_WORDS})|total|grandtotal|全部合计|总合计|(?:预算|费用|支出|成本)总.*)(?:[:].*)?$",
    re.IGNORECASE,
)


#: Words any derived-row label contains (a fast filter before :data:`DERIVED_RE`).
DERIVED_PREFILTER = (
    r"saving|net|surplus|deficit|balance|profit|loss|p&l|结余|节余|利润|净利|盈余|亏损|差额|余额"
    r"|平均|均值|月均|average|avg|mean"
)
#: Rows computed from other rows that are neither lines nor totals of lines: never data.
DERIVED_RE = re.compile(
    r"^(?:(?:savings?|net(?:income|savings|surplus|result|profit|loss|position)?|surplus|deficit"
    r"|balance|profit|netprofit|profit/loss|p&l|结余|节余|利润|净利润|净利|盈余|亏损|差额|余额|收支差额)"
    r"(?:[:(].*)?"
    # Averages are not lines either: 平均分, 二组平均, 月均, 均值, Average, Avg., Mean.
    r"|.{0,8}(?:平均|均值|月均)(?:分|值|数|额)?|(?:average|avg\.?|mean)(?:[:(].*|score|total)?"
    r"|.{0,20}(?:average|avg))$",
    re.IGNORECASE,
)


def _arrow_text(s: pd.Series):
    import pyarrow as pa

    arr = getattr(s.array, "_pa_array", None)
    if arr is None:
        arr = pa.chunked_array(
            [pa.array(s.astype(object).where(s.notna(), None), type=pa.string())]
        )
    return arr


def _hits(label_frame: pd.DataFrame, pattern: str) -> np.ndarray:
    """Rows where any label cell matches ``pattern`` (case-insensitive), one Arrow regex pass per
    column (no joined copy of the labels: a 200,000-line ledger has a unique 摘要 per row)."""
    import pyarrow.compute as pc

    out = np.zeros(len(label_frame), dtype=bool)
    for c in label_frame.columns:
        arr = _arrow_text(label_frame[c])
        if not _any_in_buffer(arr, pattern):
            continue
        hit = pc.match_substring_regex(arr, pattern, ignore_case=True)
        out |= np.asarray(pc.fill_null(hit, False).to_numpy(zero_copy_only=False), dtype=bool)
    return out


def _any_in_buffer(arr, pattern: str) -> bool:
    """Could any cell of ``arr`` match ``pattern``? One regex search over each chunk's bytes.

    Why: a regex per cell costs ~40 ns of overhead on a 200,000-row column, while most columns
    hold no total word at all. The patterns here are unanchored alternations of words, so a
    cell's match is also a match in the cells' bytes laid end to end; a match that only spans two
    cells sends the column to the per-cell test, which decides. Never a false "no".
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    for chunk in arr.chunks:
        if not len(chunk) or chunk.null_count == len(chunk):
            continue
        if not (pa.types.is_string(chunk.type) or pa.types.is_large_string(chunk.type)):
            return True
        _, offsets, data = chunk.buffers()
        width = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
        off = np.frombuffer(offsets, dtype=width)[chunk.offset : chunk.offset + len(chunk) + 1]
        # One string over the chunk's bytes, zero-copy (Arrow already holds valid UTF-8).
        bounds = pa.py_buffer(np.array([off[0], off[-1]], dtype=np.int64).tobytes())
        whole = pa.Array.from_buffers(pa.large_string(), 1, [None, bounds, data])
        if pc.count_substring_regex(whole, pattern, ignore_case=True)[0].as_py():
            return True
    return False


def label_word_rows(label_frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(rows naming a total word, rows naming a derived-row word) as bool arrays.

    Why one pass: both are rare; one regex of both word lists over every label finds the few
    candidate rows, and only those are matched against each list.
    """
    n = len(label_frame)
    if not n or not len(label_frame.columns):
        return np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    cand = _hits(label_frame, f"{_PREFILTER}|{DERIVED_PREFILTER}")
    totals, derived = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    if cand.any():
        sub = label_frame[cand]
        totals[cand] = _hits(sub, _PREFILTER)
        derived[cand] = _hits(sub, DERIVED_PREFILTER)
    return totals, derived


def total_level(label_frame: pd.DataFrame, rows: np.ndarray | None = None) -> pd.Series:
    """Per row: 0 = not a total; 1 = subtotal; 2.. = higher totals; 99 = grand total.

    ``rows``: the rows naming a total word, when :func:`label_word_rows` already found them.
    """
    if label_frame.empty:
        return pd.Series(0, index=label_frame.index)
    levels = pd.Series(0, index=label_frame.index)
    grand = pd.Series(False, index=label_frame.index)
    # One regex pass over all label cells of a row joined together finds the few candidate
    # rows; the per-column matching below then runs on those rows only (big ledgers).
    if rows is None:
        rows = label_word_rows(label_frame)[0]
    if not rows.any():
        return levels
    for c in label_frame.columns:
        s = label_frame[c].where(rows)
        # Cheap pre-filter first: only cells naming a total word are normalised and matched.
        cand = s.notna() & s.str.contains(_PREFILTER, regex=True, case=False).fillna(False)
        if not cand.any():
            continue
        t = V.norm_series(s[cand])
        hit = t.str.match(_TOTAL_RE) & t.ne("")
        levels[cand] = levels[cand] + hit.astype(int)
        g = t.str.match(_GRAND_RE) & t.ne("") & ~t.str.contains("小计|sub", regex=True)
        grand[cand] = grand[cand] | g
    only_grand = grand & (levels == 1)
    return levels.where(~only_grand, 99)


def label_number(text: object) -> float | None:
    """ "总计:5000元" → 5000.0; None when the label states no figure."""
    m = re.search(r"[:：]\s*([-−(]?[\d,，.]+\)?)\s*(?:万元|千元|元)?\s*$", str(text or ""))
    if not m:
        return None
    val, bad = V.parse_amount(pd.Series([m.group(1)], dtype="str"))
    if bad.iloc[0] or np.isnan(val.iloc[0]):
        return None
    unit = V.unit_from_text(
        "(" + (re.search(r"(万元|千元|元)\s*$", str(text)) or [None, "元"])[1] + ")"
    )
    return float(val.iloc[0]) * (unit or 1.0)


def check_totals(
    table: Table,
    kind_rows: pd.Series,
    fen: pd.DataFrame,
    labels: pd.DataFrame,
    level: pd.Series,
    value_names: Mapping[int, str],
) -> None:
    """Compare each stated total with the lines it closes; report mismatches with both figures.

    ``fen`` holds integer 分 per value column for every body row; ``kind_rows`` is "line",
    "total", "section" or other per row. A total of level L closes the lines since the last total
    of level ≥ L (or section heading, for subtotals).
    """
    # The table's line sums per column, for a grand total closing several stacked tables.
    is_ln = kind_rows.eq("line").to_numpy()
    table.line_fen = {
        value_names.get(c, str(c)): int(fen[c].to_numpy()[is_ln].sum()) for c in fen.columns
    }
    if not kind_rows.eq("total").any():
        return
    is_line = (kind_rows == "line").to_numpy()
    line_fen = np.where(is_line[:, None], fen.to_numpy(), 0)
    cum = np.vstack([np.zeros((1, line_fen.shape[1]), dtype="int64"), np.cumsum(line_fen, axis=0)])
    stated_present = fen.attrs.get("present")
    rows = list(kind_rows.index)
    kinds_arr = kind_rows.to_numpy()
    last_at_level: dict[int, int] = {}
    last_section = 0
    n_lines = np.concatenate([[0], np.cumsum(is_line)])
    # Only structure rows need the walk; lines are summed through ``cum``.
    for pos in np.flatnonzero(np.isin(kinds_arr, ["section", "total"])):
        r = rows[pos]
        k = kinds_arr[pos]
        if k == "section":
            last_section = pos
            continue
        if k != "total":
            continue
        lv = int(level.iloc[pos])
        start = max([p for lvl, p in last_at_level.items() if lvl >= lv] + [0])
        if lv == 1:
            start = max(start, last_section)
        # A total right under other totals (总计 then 总费用预算, 汇总 then 预算总额) closes the
        # whole table; any total may also be the table's grand total (费用合计 after a 小计).
        # It is accepted if it matches either span, and reported against the likelier one.
        whole = cum[pos] - cum[0]
        computed = whole if n_lines[pos] == n_lines[start] else cum[pos] - cum[start]
        _report_total(table, r, fen.iloc[pos], stated_present, labels.iloc[pos], value_names,
                      computed, whole)  # fmt: skip
        last_at_level[lv] = pos + 1
        if lv >= 1:
            last_section = max(last_section, pos + 1) if lv == 1 else pos + 1


def _report_total(table, r, stated_row, stated_present, label_row, value_names, computed, whole):
    """One stated total against its lines: a number in its cells, or one in its label (总计:5000元)."""
    stated = stated_row.to_numpy()
    present = stated_present.loc[r].to_numpy() if stated_present is not None else stated != 0
    label_txt = " ".join(label_row.dropna().astype(str).tolist())
    if not present.any():
        num = label_number(label_txt)
        if num is None:
            return
        s_fen, c_fen = int(round(num * 100)), int(computed.sum())
        if s_fen not in (c_fen, int(whole.sum())):
            table.dq_row("warning", "total_mismatch", r, "", label_txt, stated=_yuan(s_fen),
                         computed=_yuan(c_fen), diff=_yuan(s_fen - c_fen))  # fmt: skip
        return
    for j in np.flatnonzero(present & (stated != computed) & (stated != whole)):
        col_idx = stated_row.index[j]
        table.dq_row(
            "warning",
            "total_mismatch",
            r,
            value_names.get(col_idx, str(col_idx)),
            label_txt,
            stated=_yuan(int(stated[j])),
            computed=_yuan(int(computed[j])),
            diff=_yuan(int(stated[j] - computed[j])),
        )


def _yuan(fen: int) -> str:
    return f"{fen / 100:,.2f}"
