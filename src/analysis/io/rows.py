"""Row accounting shared by every loader: each body row is a line, a total, a section, a note or
rejected, and every amount read is loaded or reported, to the 分 (:func:`account` asserts it).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from analysis.io import values as V
from analysis.io.errors import InputError
from analysis.io.header import Column, Table
from analysis.io.totals import DERIVED_PREFILTER, DERIVED_RE, label_word_rows, total_level
from analysis.schema import (
    SOURCE_COLUMNS,
)

LABEL_FIELDS = (
    "department",
    "category",
    "item",
    "description",
    "voucher",
    "name",
    "agent_id",
    "team",
    "role",
    "leader",
)


#: Layouts without money columns (no sign to decide).
NO_AMOUNT_LAYOUTS = ("presales", "aftersales", "callbacks", "qa_log", "roster", "staffing")


REVISED_COLUMNS = ["period", "department", "category", "item", "revised_plan", *SOURCE_COLUMNS]


@dataclass
class Part:
    """What one input table contributes: frames by name, data-quality rows, one inputs row."""

    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    dq: list[dict[str, Any]] = field(default_factory=list)
    inputs: list[dict[str, Any]] = field(default_factory=list)
    #: What the loader decided about the table (layout, sign, period …): see schema.READING_COLUMNS.
    reading: dict[str, Any] = field(default_factory=dict)


def missing_field(
    table: Table, fld: str, cfg: Mapping[str, Any], what_zh: str, what_en: str
) -> InputError:
    """A required column not found: the names looked for, and the pin naming the column."""
    aliases = list(cfg.get("aliases", {}).get(fld, []))
    unused = [c.header for c in table.columns if c.header and not c.field]
    example = unused[0] if unused else "…"
    pin = pin_lines(table.grid.file, table.grid.sheet, columns=f'{{ {fld} = "{example}" }}')
    return InputError(
        f"找不到必需的列「{what_zh}」(表头在第 {table.header_rows[-1]} 行)。如果它用了别的名称,"
        "请在 config.toml 中用下面几行指明是哪一列(列名或列字母)",
        f"required column '{what_en}' not found (header at row {table.header_rows[-1]}). If it has "
        "another name, say which column it is in config.toml with the lines below (a header or a "
        "column letter)",
        file=table.grid.file,
        sheet=table.grid.sheet,
        field=fld,
        aliases=aliases,
        pin=pin,
    )


def source(table: Table, index: pd.Index) -> dict[str, Any]:
    return {
        "source_file": table.grid.file,
        "source_sheet": table.grid.sheet,
        "source_row": np.asarray(index, dtype="int64"),
    }


def classify(
    table: Table, value_cols: list[Column], *, sections: bool, keep: Column | None = None
) -> pd.DataFrame:
    """Row kind per body row: line, total, section, note; plus total level and section name."""
    body = table.body
    value_idx = [c.idx for c in value_cols]
    label_cols = [
        c.idx for c in table.columns if c.idx not in value_idx and c.field != "row_total"
    ] or [c for c in body.columns if c not in value_idx]
    labels = body[[c for c in label_cols if c in body.columns]]
    total_rows, derived_rows = label_word_rows(labels)
    level = total_level(labels, total_rows)
    if value_idx:
        has_value = (~V.missing_frame(body[value_idx])).any(axis=1)
    else:
        has_value = pd.Series(False, index=body.index)
    n_cells = body.notna().sum(axis=1)
    first_text = pd.Series(np.nan, index=body.index, dtype="str")
    for c in labels.columns:  # column-wise: a row-wise bfill is far too slow on big ledgers
        if first_text.isna().any():
            first_text = first_text.fillna(labels[c])
    kind = pd.Series("line", index=body.index, dtype="str")
    kind[level > 0] = "total"
    # Cheap vectorised pre-filter first (big ledgers): only labels naming a derived word are
    # normalised and matched exactly.
    # Any label cell may say so ("客服中心 | 月均"): each column is pre-filtered in Arrow first.
    derived = pd.Series(False, index=body.index)
    for c in labels.columns if derived_rows.any() else []:
        col = labels[c]
        cand = (level == 0) & col.notna() & derived_rows
        if cand.any():
            words = col[cand].str.contains(DERIVED_PREFILTER, case=False, regex=True)
            cand[cand] = words.fillna(False).to_numpy(dtype=bool)
        if cand.any():
            exact = col[cand].map(lambda t: bool(DERIVED_RE.match(V.norm(t))))
            derived[cand[cand].index[exact.to_numpy(dtype=bool)]] = True
    kind[derived] = "derived"
    section_name = pd.Series(np.nan, index=body.index, dtype="str")
    if sections:
        numbered = first_text.map(lambda t: V.section_label(t) if isinstance(t, str) else None)
        is_section = (level == 0) & ~has_value & first_text.notna() & (kind == "line")
        kind[is_section] = "section"
        section_name = numbered.where(numbered.notna(), first_text).where(is_section)
    else:
        is_note = (level == 0) & ~has_value & (n_cells <= 1) & (body.shape[1] >= 3)
        if keep is not None:
            # A lone label in the ID column ("一组", "二组") heads a group: not an agent. An agent
            # row carries at least one more cell (a name, a score, or a blank counted as such).
            alone = V.is_missing(body[keep.idx]) | (n_cells <= 1)
            is_note &= alone
        kind[is_note & (kind == "line")] = "note"
    return pd.DataFrame(
        {"kind": kind, "level": level, "section": section_name, "first": first_text}
    )


def parse_values(table: Table, cols: list[Column]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Amount columns → (元 floats, bad mask), units applied."""
    vals, bads = {}, {}
    for c in cols:
        v, b = V.parse_amount(table.body[c.idx])
        vals[c.idx] = (v * (c.unit or table.unit)).round(6)
        bads[c.idx] = b
    idx = table.body.index
    return pd.DataFrame(vals, index=idx), pd.DataFrame(bads, index=idx, dtype=bool)


def account(
    table: Table,
    kind: str,
    rows: pd.DataFrame,
    loaded_mask: pd.Series,
    amount_fen: pd.Series | None,
    loaded_fen: int,
    line_rows: pd.Index | None = None,
) -> dict[str, Any]:
    """The conservation check for one table: rows and 分 read = loaded + reported. Asserted."""
    n_read = len(rows)
    n_loaded = int(loaded_mask.sum())
    reported_rows = {
        int(d["row"])
        for d in table.dq
        if d.get("row") not in (None, "") and d["code"] not in ("total_mismatch",)
    }
    n_reported = int((~loaded_mask).sum())
    unreported = set(rows.index[~loaded_mask]) - reported_rows
    assert not unreported, f"rows neither loaded nor reported: {sorted(unreported)[:5]}"
    if amount_fen is not None:
        # Structure rows (totals, sections, notes) are checked, not read as amounts.
        amount_fen = (
            amount_fen.where(rows.index.isin(line_rows), 0) if line_rows is not None else amount_fen
        )
    fen_read = int(amount_fen.sum()) if amount_fen is not None else 0
    fen_reported = int(amount_fen[~loaded_mask].sum()) if amount_fen is not None else 0
    assert n_read == n_loaded + n_reported, (n_read, n_loaded, n_reported)
    assert fen_read == loaded_fen + fen_reported, (
        f"{table.grid.file}/{table.grid.sheet}: 分 read {fen_read} != loaded {loaded_fen} "
        f"+ reported {fen_reported}"
    )
    return {
        "file": table.grid.file,
        "kind": kind,
        "sheet": table.grid.sheet,
        "rows_read": n_read,
        "rows_loaded": n_loaded,
        "rows_reported": n_reported,
        "amount_read": fen_read / 100,
        "amount_loaded": loaded_fen / 100,
        "amount_reported": fen_reported / 100,
    }


def report_structure(table: Table, cls: pd.DataFrame) -> None:
    for r, row in cls[cls["kind"] != "line"].iterrows():
        code = {
            "total": "total_row",
            "section": "section_row",
            "note": "note_row",
            "derived": "derived_row",
        }[row["kind"]]
        table.dq_row("info", code, r, "", row["first"] if isinstance(row["first"], str) else "")


def reject(
    table: Table,
    mask: pd.Series,
    severity: str,
    code: str,
    col: Column | None,
    raw: pd.Series | None = None,
) -> None:
    for r in mask.index[mask]:
        val = "" if raw is None else raw.get(r, "")
        table.dq_row(severity, code, r, col.header if col else "", "" if pd.isna(val) else val)


_CNY = {"", "cny", "rmb", "人民币", "元", "¥", "￥", "人民币元"}
_FOREIGN = re.compile(
    r"美元|美金|usd|us\$|港币|港元|hkd|欧元|eur|€|日元|jpy|英镑|gbp|£|新台币|twd|澳门元|mop", re.I
)


def refuse_foreign_money(table: Table, money: list[Column], lines: pd.Series) -> None:
    """Amounts in another currency are never added to 元: a 币种 column naming one, or a money
    header naming one (金额(美元), Amount USD), stops the load with the rows to convert."""
    heads = [c.header for c in money if _FOREIGN.search(c.header or "")]
    if heads:
        zh = f"金额列以外币计({'、'.join(heads)}),本工具只按人民币元计算;请换算为元后再放入,"
        en = f"money columns are in a foreign currency ({', '.join(heads)}); the workbook "
        raise table_error(
            table,
            zh + "或在 config.toml 中用下面几行跳过此表",
            en + "adds up 元 only: convert them first, or skip this table with the lines below",
            _skip_pin(table),
        )
    cc = table.col("currency")
    if cc is None:
        return
    cur = table.text(cc).fillna("").str.strip().str.lower()
    other = lines & ~cur.isin(_CNY)
    if other.any():
        rows_ = ", ".join(str(r) for r in other.index[other][:5])
        kinds = "、".join(sorted(set(table.text(cc)[other].dropna())))
        raise InputError(
            f"第 {rows_} 行的币种是 {kinds},不是人民币;本工具只按元计算,请换算后再放入",
            f"rows {rows_} are in {kinds}, not CNY; the workbook adds up 元 only: convert them "
            "first",
            file=table.grid.file,
            sheet=table.grid.sheet,
        )


def _skip_pin(table: Table) -> str:
    return pin_lines(table.grid.file, table.grid.sheet, skip="true")


def pin_lines(file: str, sheet: str = "", **values: Any) -> str:
    """The one builder of the config.toml lines that pin a reading: a [[read]] block for the
    file (and sheet), then ``key = value`` with each value already written as TOML."""
    lines = ["[[read]]", f'file = "{file}"'] + ([f'sheet = "{sheet}"'] if sheet else [])
    return "\n".join(lines + [f"{k} = {v}" for k, v in values.items()])


def table_error(table: Table, zh: str, en: str, pin: str = "") -> InputError:
    """An InputError placed at the table's file and sheet, with the lines that would settle it."""
    return InputError(zh, en, file=table.grid.file, sheet=table.grid.sheet, pin=pin)


def percent(table: Table, c: Column) -> pd.Series:
    """Cells written or formatted as a percentage: a rate, never an amount of money."""
    s = table.body[c.idx]
    arr = getattr(s.array, "_pa_array", None)
    if arr is not None:  # big ledgers: one Arrow regex pass, no Python loop over the cells
        import pyarrow.compute as pc

        hit = pc.fill_null(pc.match_substring_regex(arr, r"[%％]\s*$"), False)
        out = pd.Series(np.asarray(hit.to_numpy(zero_copy_only=False), dtype=bool), index=s.index)
    else:
        s = s if s.dtype == "str" else s.astype("str")
        out = s.str.contains(r"[%％]\s*$", regex=True).fillna(False).astype(bool)
    if table.grid.percent:
        fmt = [(int(r), c.letter) in table.grid.percent for r in table.body.index]
        out = out | pd.Series(fmt, index=table.body.index)
    return out
