"""One input file → its tables' frames, data-quality rows and readings (what was decided, and why).

Why: each table is dispatched by what it holds (or a [[read]] pin), hidden and unfit sheets are
set aside with a note, and the reading record says how every table was read.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.io import rows
from analysis.io import values as V
from analysis.io.errors import InputError, dq_frame
from analysis.io.header import (
    HEADER_SCAN_ROWS,
    PLACEHOLDER_YEAR,
    VALUE_FIELDS,
    Table,
    cell_range,
    duplicate_fields,
    finish_dq,
    locate_all,
)
from analysis.io.load_ledger import ledger_table
from analysis.io.load_plan import pin_text, plan_table
from analysis.io.load_roster import canonical_role, roster_table
from analysis.io.load_scorecards import (
    aftersales_table,
    callbacks_table,
    presales_table,
    qa_log_table,
)
from analysis.io.load_staffing import staffing_table
from analysis.io.read import read_grids
from analysis.schema import (
    PRESALES_ITEMS,
    READING_COLUMNS,
)


def _dispatch(table: Table, kind: str, cfg: Mapping[str, Any], pin: Mapping[str, Any]):
    """The loader for a table, chosen by what the table holds (a pin may say it instead)."""
    _resolve_duplicates(table, cfg)
    if kind in ("budget", "actuals"):
        layout = str(pin.get("layout") or "")
        months = table.months()
        ledger_like = (
            table.has("amount")
            and not months
            and not table.has("plan")
            and (table.has("date") or (kind == "actuals" and table.has("period")))
        )
        if layout == "ledger" or (
            not layout
            and (ledger_like or (kind == "actuals" and not months and not table.has("plan")))
        ):
            return ledger_table(table, cfg, pin)
        what = str(pin.get("kind") or ("actuals" if kind == "actuals" else "plan"))
        if (
            what == "plan"
            and not months
            and table.has("amount")
            and not (table.has("plan") or table.has("revised_plan"))
        ):
            # A budget file's only money column is its plan, whatever its header says.
            c = table.col("amount")
            c.field = "plan"
            table.dq_row("info", "amount_as_plan", "", c.header, c.header)
        return plan_table(table, cfg, "actuals" if what == "actuals" else "plan", pin)
    if kind == "roster":
        return roster_table(table, cfg)
    if kind == "staffing":
        return staffing_table(table, cfg)
    if kind == "scorecards":
        if table.has("agent_id") and table.has("code"):
            return qa_log_table(table, cfg)
        n_items = sum(1 for c in table.columns if c.field in PRESALES_ITEMS)
        after = any(table.has(f) for f in ("tickets", "cb_A", "attitude", "teamwork"))
        if table.has("agent_id") and table.has("grade") and not after and n_items == 0:
            return callbacks_table(table, cfg)
        if n_items >= 3:
            return presales_table(table, cfg)
        if after:
            return aftersales_table(table, cfg)
        role = canonical_role(pd.Series([table.grid.sheet]), cfg).iloc[0]
        if role == "presales":
            return presales_table(table, cfg)
        if role == "aftersales":
            return aftersales_table(table, cfg)
    return None


def _resolve_duplicates(table: Table, cfg: Mapping[str, Any]) -> None:
    """Two columns for one field: a second category is the item; a second money, date or ID
    column is refused with the pin that settles it; other labels use the first, with a warning."""
    for fld, cols in duplicate_fields(table).items():
        if fld == "category" and not table.has("item") and len(cols) == 2:
            cols[1].field = "item"
            table.dq_row("info", "category_as_item", "", cols[1].header, cols[1].header)
            continue
        names = "、".join(f"{c.letter}「{c.header}」" for c in cols)
        names_en = ", ".join(f"{c.letter} '{c.header}'" for c in cols)
        # Two columns with the same header are told apart by their letters only.
        same = len({V.norm(c.header) for c in cols}) < len(cols)
        ref = cols[0].letter if same else cols[0].header
        pin = pin_text(table, columns=f'{{ {fld} = "{ref}" }}')
        if fld in VALUE_FIELDS:
            raise InputError(
                f"有 {len(cols)} 列都可以是「{fld}」:{names}(表头在第 {table.header_rows[-1]} 行),"
                "不知道该用哪一列。请在 config.toml 中用下面几行指定(列名或列字母)",
                f"{len(cols)} columns could be '{fld}': {names_en} (header at row "
                f"{table.header_rows[-1]}); which one is meant cannot be told. Pin it in "
                "config.toml with the lines below (a header or a column letter)",
                file=table.grid.file,
                sheet=table.grid.sheet,
                pin=pin,
            )
        for c in cols[1:]:
            c.field = None
        table.dq_row("warning", "ambiguous_column", "", cols[0].header, names_en, pin=pin)


def pin_for(cfg: Mapping[str, Any], rel: str, sheet: str) -> dict[str, Any]:
    """The [[read]] keys that apply to this file and sheet (later blocks win)."""
    out: dict[str, Any] = {}
    for block in cfg.get("read", []) or []:
        pattern = str(block.get("file", ""))
        if not pattern or not (
            fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(Path(rel).name, pattern)
        ):
            continue
        if "sheet" in block and not fnmatch.fnmatch(sheet, str(block["sheet"])):
            continue
        out.update({k: v for k, v in block.items() if k not in ("file", "sheet")})
    return out


_REQUIRED = {
    "budget": (
        "category",
        "费用项目/科目 与 预算金额或月份列",
        "category and plan amounts or months",
    ),
    "actuals": ("amount", "日期、科目、金额", "date, category and amount"),
    "scorecards": ("agent_id", "工号与考核项目", "agent ID and scorecard items"),
    "roster": ("agent_id", "工号、姓名、处", "agent ID, name and role"),
    "staffing": ("calls", "日期、时段、来电量", "date, interval and calls"),
}


def _dq(
    code: str,
    rel: str,
    sheet: str,
    lang: str = "",
    severity: str = "info",
    value: Any = "",
    column: str = "",
    **fields: Any,
) -> dict[str, Any]:
    """One data-quality row: code, place and message fields (worded later, in the run's language)."""
    return {
        "severity": severity,
        "code": code,
        "file": rel,
        "sheet": sheet,
        "row": None,
        "column": column,
        "value": "" if value is None else str(value),
        "message": "",
        "_fields": {"value": "" if value is None else str(value), **fields},
    }


def load_file(path: Path, rel: str, kind: str, cfg: Mapping[str, Any]) -> dict[str, pd.DataFrame]:
    """Parse one input file into frames (plus ``dq`` and ``readings``), without the cache."""
    wanted = list(cfg.get("sheets", {}).get(kind, []) or []) or None
    grids = read_grids(path, rel, wanted, cfg.get("limits", {}))
    frames: dict[str, list[pd.DataFrame]] = {}
    dq: list[dict[str, Any]] = []
    readings: list[dict[str, Any]] = []
    used, skipped_visible = 0, []
    for grid in grids:
        for note in grid.notes:
            dq.append(_dq(note["code"], rel, grid.sheet, value=note["value"]))
        pin = pin_for(cfg, rel, grid.sheet)
        base = {"file": rel, "sheet": grid.sheet, "kind": kind}
        if pin.get("skip"):
            readings.append(
                {**base, "status": "skipped", "note": "skipped by config ([[read]] skip)"}
            )
            continue
        if grid.hidden and not pin.get("read_hidden"):
            if not grid.cells.empty:
                dq.append(_dq("hidden_sheet", rel, grid.sheet))
            readings.append(
                {
                    **base,
                    "status": "hidden",
                    "note": "hidden sheet, not read",
                    "pin": rows.pin_lines(rel, grid.sheet, read_hidden="true"),
                }
            )
            continue
        if grid.cells.empty:
            readings.append({**base, "status": "empty"})
            continue
        located = locate_all(grid, cfg, file_hint=rel, pin=pin)
        n_read = 0
        read_tables = []
        for table in located.tables:
            part = _dispatch(table, kind, cfg, pin)
            if part is None:
                continue
            _refuse_if_nothing_read(table, part)
            n_read += 1
            read_tables.append(table)
            _sheet_grand_total(read_tables)
            if part.inputs and part.inputs[0]["rows_read"] == 0:
                table.dq_row("warning", "empty_table", None, "", "")
            dq.extend(finish_dq(table))
            readings.append(_reading(table, part, kind))
            for name, df in part.frames.items():
                frames.setdefault(name, []).append(df)
        if n_read:
            for rng, why in located.unread:
                dq.append(_dq("unread_region", rel, grid.sheet, "", "warning", rng, why=why))
        else:
            skipped_visible.append(grid.sheet)
            dq.append(_dq("sheet_skipped", rel, grid.sheet, "", "warning"))
            readings.append(
                {
                    **base,
                    "status": "skipped",
                    "note": "no recognisable table",
                    "pin": rows.pin_lines(rel, grid.sheet, header_row="N"),
                }
            )
        used += n_read
    _signs_agree(readings, rel, dq)
    if used == 0:
        raise _no_table(rel, kind, cfg, [g.sheet for g in grids])
    out = {name: pd.concat(dfs, ignore_index=True) for name, dfs in frames.items()}
    out["dq"] = dq_frame(dq)
    out["readings"] = pd.DataFrame(readings).reindex(columns=READING_COLUMNS)
    return out


_STRUCTURE = {"total_row", "section_row", "note_row", "derived_row"}


def _refuse_if_nothing_read(table: Table, part: Any) -> None:
    """A table whose every data row is rejected is not "a few bad rows": its figures would be
    missing from every page (节余 where money was spent). Stop, naming the first reasons."""
    acc = part.inputs[0] if part.inputs else {}
    if not acc or acc.get("rows_loaded", 0) or not acc.get("rows_read", 0):
        return
    rejected = [
        d for d in table.dq if d.get("row") not in (None, "") and d["code"] not in _STRUCTURE
    ]
    if not rejected:
        return
    codes = sorted({d["code"] for d in rejected})
    first = rejected[0]
    cell = f"{first.get('column', '')} = {first.get('value', '')!r}".strip(" =")
    raise InputError(
        f"表中 {len(rejected)} 行数据全部未能读取(第一处:第 {first['row']} 行 {cell};原因代码 "
        f"{'、'.join(codes)}),发布出去的数字会缺少整个文件。请核对这些列的写法,或在 config.toml 中"
        "指明列与格式(见下面几行)",
        f"all {len(rejected)} data rows of the table were rejected (first: row {first['row']} "
        f"{cell}; codes {', '.join(codes)}); the published figures would miss the whole file. "
        "Check how these columns are written, or pin the columns and format in config.toml "
        "(lines below)",
        file=table.grid.file,
        sheet=table.grid.sheet,
        pin=rows.pin_lines(
            table.grid.file, table.grid.sheet, header_row=str(table.header_rows[-1])
        ),
    )


def _sheet_grand_total(tables: list[Table]) -> None:
    """Stacked tables (a department each) closed by one grand total under the last: that total
    is checked against all the sheet's tables, not the last one alone."""
    if len(tables) < 2:
        return
    last = tables[-1]
    whole: dict[str, int] = {}
    for t in tables:
        for col, fen in t.line_fen.items():
            whole[col] = whole.get(col, 0) + fen
    kept = []
    for d in last.dq:
        f = d.get("_fields", {})
        stated = str(f.get("stated", "")).replace(",", "")
        col = d.get("column", "")
        if d["code"] == "total_mismatch" and col in whole and stated == f"{whole[col] / 100:.2f}":
            continue  # the sheet's grand total: right
        kept.append(d)
    last.dq[:] = kept


def _signs_agree(readings: list[dict[str, Any]], rel: str, dq: list) -> None:
    """Sheets of one workbook read with opposite sign conventions: said, with the pin."""
    signs = {
        r["sheet"]: r["sign"]
        for r in readings
        if r.get("status") == "read" and r.get("sign") in ("positive", "negative")
    }
    if len(set(signs.values())) > 1:
        neg = [s for s, v in signs.items() if v == "negative"]
        pos = [s for s, v in signs.items() if v == "positive"]
        pin = rows.pin_lines(rel, "", sign='"negative"')
        dq.append(
            _dq(
                "sign_differs",
                rel,
                "",
                "",
                "warning",
                "、".join(pos),
                neg="、".join(neg),
                pin=pin,
            )
        )


def _reading(table: Table, part: Any, kind: str) -> dict[str, Any]:
    """The reading record of one table: what was decided, and the row and amount accounting."""
    acc = part.inputs[0] if part.inputs else {}
    r = part.reading
    last_row = int(table.body.index.max()) if len(table.body) else table.header_rows[-1]
    cols = [c.idx for c in table.columns if c.header]
    codes = pd.Series([d["code"] for d in table.dq if d.get("row") not in (None, "")], dtype="str")
    fields = "; ".join(
        f"{c.letter} {c.header}→{c.field + (' ' + c.period if c.period else '') if c.field else '(not used)'}"
        for c in table.columns
        if c.header
    )
    names_of = {v: k for k, v in V.UNIT_FACTORS.items()}
    unit_name = names_of.get(table.unit, str(table.unit))
    unit_src = table.unit_source or "default"
    money = [c for c in table.columns if c.field in ("plan", "revised_plan", "amount", "month")]
    own = {c.unit for c in money if c.unit}
    if len(own) == 1:  # "全年预算(千元)": the header names the unit of its own column
        unit_name = names_of.get(own.pop(), unit_name)
        unit_src = "header " + ", ".join(f"“{c.header}”" for c in money if c.unit)
    year = str(table.year) if table.year and table.year != PLACEHOLDER_YEAR else ""
    n_total = int((codes == "total_row").sum())
    n_section = int((codes == "section_row").sum())
    n_note = int(codes.isin(["note_row", "derived_row"]).sum())
    layout = r.get("layout") or acc.get("kind", "")
    if table.has("date") and layout in ("ledger", "callbacks", "qa_log", "staffing"):
        year = ""  # dated lines carry their own year; a year in the file name is not used
    pin_keys: dict[str, Any] = {"layout": f'"{layout}"', "header_row": table.header_rows[-1]}
    if unit_name != "元":
        pin_keys["unit"] = f'"{unit_name}"'
    if r.get("sign") == "negative":
        pin_keys["sign"] = '"negative"'
    if year:
        pin_keys["year"] = year
    if r.get("period"):
        pin_keys["period"] = f'"{r["period"]}"'
    frame = r.get("table") or acc.get("kind", "")
    return {
        "file": table.grid.file,
        "sheet": table.grid.sheet,
        # What the table holds, as a [[read]] pin names it: plan | actuals, else the input kind.
        "kind": frame if kind in ("budget", "actuals") else kind,
        "table": frame,
        "status": "read",
        "layout": layout,
        "range": cell_range(table.grid, [table.header_rows[0], last_row], cols) if cols else "",
        "header_rows": "-".join(str(h) for h in table.header_rows),
        "fields": fields,
        "unit": unit_name if layout not in rows.NO_AMOUNT_LAYOUTS else "",
        "unit_source": unit_src if layout not in rows.NO_AMOUNT_LAYOUTS else "",
        "sign": r.get("sign", "positive") if layout not in rows.NO_AMOUNT_LAYOUTS else "",
        "sign_source": r.get("sign_source", ""),
        "year": year,
        "year_source": table.year_source if year else "",
        "period": r.get("period", ""),
        "rows_read": acc.get("rows_read", 0),
        "rows_loaded": acc.get("rows_loaded", 0),
        "rows_total": n_total,
        "rows_section": n_section,
        "rows_note": n_note,
        "rows_rejected": max(acc.get("rows_reported", 0) - n_total - n_section - n_note, 0),
        "rows_reported": acc.get("rows_reported", 0),
        "amount_read": acc.get("amount_read", 0.0),
        "amount_loaded": acc.get("amount_loaded", 0.0),
        "amount_reported": acc.get("amount_reported", 0.0),
        "note": "; ".join(
            x
            for x in (
                r.get("note", ""),
                r.get("period_source", "") and f"month from {r['period_source']}",
            )
            if x
        ),
        "pin": rows.pin_lines(
            table.grid.file, table.grid.sheet, **{k: str(v) for k, v in pin_keys.items()}
        ),
    }


# The header names a table of each kind is found by (their aliases are listed when none is).
_HEADER_FIELDS = {
    "budget": ("category", "plan"),
    "actuals": ("date", "category", "amount"),
    "scorecards": ("agent_id", "name"),
    "roster": ("agent_id", "name", "role"),
    "staffing": ("date", "interval", "calls"),
}


def _no_table(rel: str, kind: str, cfg: Mapping[str, Any], sheets: list[str]) -> InputError:
    """No sheet held a table: which header names were looked for, and how to pin the header."""
    fld, zh, en = _REQUIRED[kind]
    aliases = cfg.get("aliases", {})
    looked = [
        (f, [str(a) for a in aliases.get(f, [])][:10]) for f in _HEADER_FIELDS.get(kind, (fld,))
    ]
    names_zh = ";".join(f"{f}:{'、'.join(a)}" for f, a in looked if a)
    names_en = "; ".join(f"{f}: {', '.join(a)}" for f, a in looked if a)
    named = [s for s in sheets if s]
    sheet_zh = f"(已查看工作表 {'、'.join(named)})" if named else ""
    sheet_en = f" (sheets looked at: {', '.join(named)})" if named else ""
    err = InputError(
        f"没有找到可识别的表格{sheet_zh}:需要含有 {zh} 的表头行(每个工作表查找前 "
        f"{HEADER_SCAN_ROWS} 行),查找的列名为 {names_zh}。若表头用了别的名称,请在 config.toml "
        "的 [aliases] 中添加;若表头在某一行但没有被认出,请在 config.toml 中加入下面几行,"
        "把 N 换成表头所在的行号",
        f"no recognisable table found{sheet_en}: a header row naming {en} is needed (the first "
        f"{HEADER_SCAN_ROWS} rows of each sheet were searched); the header names looked for were "
        f"{names_en}. Add other names to [aliases] in config.toml, or pin the header row with "
        "the lines below in config.toml, N being the header's row number",
        file=rel,
        pin=rows.pin_lines(rel, named[0] if named else "", header_row="N"),
    )
    err.field, err.aliases = fld, list(aliases.get(fld, []))
    return err
