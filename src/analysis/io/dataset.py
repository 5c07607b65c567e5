"""``load_all``: every input of a data folder → one :class:`Dataset` of tidy, typed frames.

Why: the reports need plan, actuals, scorecards, roster and staffing in fixed shapes, with a
data-quality list that accounts for every input row. This module finds the files, dispatches
each sheet to its kind loader (through the parquet cache), and does the cross-file steps:
annual plans placed in the plan year, the revised plan merged in, callback logs and QA logs
aggregated into the scorecards, roster ↔ scorecard mismatches reported.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis import config as config_mod
from analysis import paths
from analysis.io import cache, integrity
from analysis.io import kinds as K
from analysis.io import values as V
from analysis.io.errors import InputError, dq_frame, message
from analysis.io.plans import pin_text
from analysis.io.read import SUPPORTED_SUFFIXES, read_grids
from analysis.io.table import (
    HEADER_SCAN_ROWS,
    PLACEHOLDER_YEAR,
    VALUE_FIELDS,
    Table,
    cell_range,
    duplicate_fields,
    finish_dq,
    locate_all,
)
from analysis.schema import (
    ACTUAL_COLUMNS,
    AFTERSALES_COLUMNS,
    DQ_COLUMNS,
    FLOAT_FIELDS,
    PLAN_COLUMNS,
    PRESALES_COLUMNS,
    PRESALES_ITEMS,
    READING_COLUMNS,
    ROSTER_COLUMNS,
    STAFFING_COLUMNS,
)

INPUT_COLUMNS = [
    "file",
    "kind",
    "sheet",
    "rows_read",
    "rows_loaded",
    "rows_reported",
    "amount_read",
    "amount_loaded",
    "sha256",
    "bytes",
    "amount_reported",
]
KINDS = ("budget", "actuals", "scorecards", "roster", "staffing")
_FRAME_COLUMNS = {
    "plan": PLAN_COLUMNS,
    "actuals": ACTUAL_COLUMNS,
    "presales": PRESALES_COLUMNS,
    "aftersales": AFTERSALES_COLUMNS,
    "roster": ROSTER_COLUMNS,
    "staffing": STAFFING_COLUMNS,
    "revised": K.REVISED_COLUMNS,
    "callbacks": K.CALLBACK_COLUMNS,
    "qa_log": K.QA_COLUMNS,
}


@dataclass
class Dataset:
    """Everything the reports read: tidy frames (schema.py columns), dq and input accounting."""

    plan: pd.DataFrame
    actuals: pd.DataFrame
    presales: pd.DataFrame
    aftersales: pd.DataFrame
    roster: pd.DataFrame
    staffing: pd.DataFrame
    dq: pd.DataFrame
    inputs: pd.DataFrame
    latest_period: str | None
    periods: dict[str, list[str]] = field(default_factory=dict)
    data_dir: Path | None = None


def empty_frame(name: str) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=_dtype(c)) for c in _FRAME_COLUMNS[name]})


def _dtype(col: str) -> str:
    if col in FLOAT_FIELDS:
        return "float64"
    if col in PRESALES_ITEMS or col == "source_row":
        return "int64"
    if col == "date":
        return "datetime64[us]"
    if col == "is_leader":
        return "bool"
    return "str"


# ---------------------------------------------------------------------------------------------
# One file


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
            return K.ledger_table(table, cfg, pin)
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
        return K.plan_table(table, cfg, "actuals" if what == "actuals" else "plan", pin)
    if kind == "roster":
        return K.roster_table(table, cfg)
    if kind == "staffing":
        return K.staffing_table(table, cfg)
    if kind == "scorecards":
        if table.has("agent_id") and table.has("code"):
            return K.qa_log_table(table, cfg)
        n_items = sum(1 for c in table.columns if c.field in PRESALES_ITEMS)
        after = any(table.has(f) for f in ("tickets", "cb_A", "attitude", "teamwork"))
        if table.has("agent_id") and table.has("grade") and not after and n_items == 0:
            return K.callbacks_table(table, cfg)
        if n_items >= 3:
            return K.presales_table(table, cfg)
        if after:
            return K.aftersales_table(table, cfg)
        role = K.canonical_role(pd.Series([table.grid.sheet]), cfg).iloc[0]
        if role == "presales":
            return K.presales_table(table, cfg)
        if role == "aftersales":
            return K.aftersales_table(table, cfg)
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
        pin = pin_text(table, columns=f'{{ {fld} = "{cols[0].header}" }}')
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
    lang: str,
    severity: str = "info",
    value: Any = "",
    column: str = "",
    **fields: Any,
) -> dict[str, Any]:
    return {
        "severity": severity,
        "code": code,
        "file": rel,
        "sheet": sheet,
        "row": None,
        "column": column,
        "value": "" if value is None else str(value),
        "message": message(code, lang, value=value, **fields),
    }


def load_file(
    path: Path, rel: str, kind: str, cfg: Mapping[str, Any], lang: str
) -> dict[str, pd.DataFrame]:
    """Parse one input file into frames (plus ``dq`` and ``readings``), without the cache."""
    wanted = list(cfg.get("sheets", {}).get(kind, []) or []) or None
    grids = read_grids(path, rel, wanted, cfg.get("limits", {}))
    frames: dict[str, list[pd.DataFrame]] = {}
    dq: list[dict[str, Any]] = []
    readings: list[dict[str, Any]] = []
    used, skipped_visible = 0, []
    for grid in grids:
        for note in grid.notes:
            dq.append(_dq(note["code"], rel, grid.sheet, lang, value=note["value"]))
        pin = pin_for(cfg, rel, grid.sheet)
        base = {"file": rel, "sheet": grid.sheet, "kind": kind}
        if pin.get("skip"):
            readings.append(
                {**base, "status": "skipped", "note": "skipped by config ([[read]] skip)"}
            )
            continue
        if grid.hidden and not pin.get("read_hidden"):
            if not grid.cells.empty:
                dq.append(_dq("hidden_sheet", rel, grid.sheet, lang))
            readings.append(
                {
                    **base,
                    "status": "hidden",
                    "note": "hidden sheet, not read",
                    "pin": _pin_lines(rel, grid.sheet, read_hidden="true"),
                }
            )
            continue
        if grid.cells.empty:
            readings.append({**base, "status": "empty"})
            continue
        located = locate_all(grid, cfg, file_hint=rel, pin=pin)
        n_read = 0
        for table in located.tables:
            part = _dispatch(table, kind, cfg, pin)
            if part is None:
                continue
            n_read += 1
            if part.inputs and part.inputs[0]["rows_read"] == 0:
                table.dq_row("warning", "empty_table", None, "", "")
            dq.extend(finish_dq(table, lang))
            readings.append(_reading(table, part, kind))
            for name, df in part.frames.items():
                frames.setdefault(name, []).append(df)
        if n_read:
            for rng, why in located.unread:
                dq.append(_dq("unread_region", rel, grid.sheet, lang, "warning", rng, why=why))
        else:
            skipped_visible.append(grid.sheet)
            dq.append(_dq("sheet_skipped", rel, grid.sheet, lang, "warning"))
            readings.append(
                {
                    **base,
                    "status": "skipped",
                    "note": "no recognisable table",
                    "pin": _pin_lines(rel, grid.sheet, header_row="N"),
                }
            )
        used += n_read
    if used == 0:
        raise _no_table(rel, kind, cfg, [g.sheet for g in grids])
    out = {name: pd.concat(dfs, ignore_index=True) for name, dfs in frames.items()}
    out["dq"] = dq_frame(dq)
    out["readings"] = pd.DataFrame(readings).reindex(columns=READING_COLUMNS)
    return out


def _pin_lines(rel: str, sheet: str, **keys: str) -> str:
    lines = ["[[read]]", f'file = "{rel}"'] + ([f'sheet = "{sheet}"'] if sheet else [])
    return "\n".join(lines + [f"{k} = {v}" for k, v in keys.items()])


def _reading(table: Table, part: Any, kind: str) -> dict[str, Any]:
    """The reading record of one table: what was decided, and the row and amount accounting."""
    acc = part.inputs[0] if part.inputs else {}
    r = part.reading
    rows = [int(i) for i in table.body.index] or table.header_rows
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
        "range": cell_range(table.grid, [table.header_rows[0], max(rows)], cols) if cols else "",
        "header_rows": "-".join(str(h) for h in table.header_rows),
        "fields": fields,
        "unit": unit_name if layout not in K.NO_AMOUNT_LAYOUTS else "",
        "unit_source": unit_src if layout not in K.NO_AMOUNT_LAYOUTS else "",
        "sign": r.get("sign", "positive") if layout not in K.NO_AMOUNT_LAYOUTS else "",
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
        "pin": _pin_lines(
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
        pin=_pin_lines(rel, named[0] if named else "", header_row="N"),
    )
    err.field, err.aliases = fld, list(aliases.get(fld, []))
    return err


# ---------------------------------------------------------------------------------------------
# The folder


_COPY_RE = re.compile(r"副本|复件|备份|拷贝|copy|backup|\(\d+\)$|（\d+）$", re.IGNORECASE)


def _copy_last(p: Path) -> tuple[bool, str]:
    """Originals before their copies ("… - 副本", "copy of …", "(1)"): a copy is the one set aside."""
    return bool(_COPY_RE.search(p.stem)), p.name


def find_inputs(data_dir: Path, cfg: Mapping[str, Any]) -> list[tuple[str, Path]]:
    files = cfg.get("files", {})
    seen: set[Path] = set()
    out = []
    for kind in KINDS:
        for pattern in files.get(kind, []):
            for p in sorted(data_dir.glob(pattern), key=_copy_last):
                if not p.is_file() or p.name.startswith(("~$", ".")) or p in seen:
                    continue
                seen.add(p)
                out.append((kind, p))
    return out


def load_all(
    data_dir: str | Path,
    cfg: Mapping[str, Any] | None = None,
    *,
    lang: str = "zh",
    use_cache: bool = True,
    cache_dir: Path | None = None,
    today: str | None = None,
) -> Dataset:
    """Load every input of ``data_dir`` (see defaults.toml [files]) into a :class:`Dataset`.

    Raises :class:`InputError` when the folder is missing, holds no input file at all,
    or a file is unreadable or lacks a required field.
    """
    data_path = paths.resolve(data_dir)
    if not data_path.is_dir():
        raise InputError(
            f"数据文件夹不存在:{data_path}",
            f"data folder not found: {data_path}",
        )
    cfg = config_mod.load_config(data_path) if cfg is None else cfg
    cache_dir = cache_dir or (paths.INTERIM_DIR / "io")
    cfg_hash = cache.config_digest(cfg)
    inputs_found = find_inputs(data_path, cfg)
    # A partial folder (only scorecards, say) loads: each report needs only its own inputs.
    if not any(p.suffix.lower() in SUPPORTED_SUFFIXES for _, p in inputs_found):
        raise InputError(
            "文件夹中没有任何输入文件(预算 budget/、实际支出 actuals/、考核 scorecards/、花名册 roster、来电量 staffing/)",
            "the folder holds no input files: no budget (budget/), actuals (actuals/), "
            "scorecards (scorecards/), roster or call volumes (staffing/)",
            file=str(data_path),
        )
    collected: dict[str, list[pd.DataFrame]] = {}
    dq_parts: list[pd.DataFrame] = []
    input_rows: list[pd.DataFrame] = []
    first_of: dict[str, str] = {}
    for kind, path in inputs_found:
        rel = path.relative_to(data_path).as_posix()
        if pin_for(cfg, rel, "").get("skip") and not any(
            "sheet" in b
            for b in cfg.get("read", []) or []
            if fnmatch.fnmatch(rel, str(b.get("file", "")))
        ):
            input_rows.append(
                pd.DataFrame(
                    [
                        {
                            "file": rel,
                            "kind": kind,
                            "status": "skipped",
                            "note": "skipped by config ([[read]] skip)",
                        }
                    ]
                )
            )
            continue
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            dq_parts.append(
                dq_frame(
                    [
                        {
                            "severity": "info",
                            "code": "file_skipped",
                            "file": rel,
                            "sheet": "",
                            "row": None,
                            "column": "",
                            "value": path.suffix,
                            "message": message("file_skipped", lang),
                        }
                    ]
                )
            )
            continue
        sha = cache.file_digest(path)
        if sha in first_of:
            # The same bytes again ("… - 副本.csv"): read once, never added twice.
            dq_parts.append(dq_frame([_dq("duplicate_file", rel, "", lang, "info", first_of[sha])]))
            input_rows.append(
                pd.DataFrame(
                    [
                        {
                            "file": rel,
                            "kind": kind,
                            "status": "duplicate",
                            "sha256": sha,
                            "bytes": path.stat().st_size,
                            "note": f"identical to {first_of[sha]}; read once",
                        }
                    ]
                )
            )
            continue
        first_of[sha] = rel
        key = cache.entry_key(sha, rel, kind, cfg_hash, lang)
        frames = cache.load(cache_dir, key) if use_cache else None
        if frames is None:
            frames = load_file(path, rel, kind, cfg, lang)
            if use_cache:
                cache.store(cache_dir, key, frames)
        for name, df in frames.items():
            if name == "dq":
                dq_parts.append(df)
            elif name == "readings":
                if len(df):
                    input_rows.append(df.assign(sha256=sha, bytes=path.stat().st_size))
            else:
                collected.setdefault(name, []).append(df)
    frames = {
        name: (
            pd.concat(
                [df for df in collected[name] if len(df)] or [empty_frame(name)], ignore_index=True
            )
            if name in collected
            else empty_frame(name)
        )
        for name in _FRAME_COLUMNS
    }
    extra_dq: list[dict[str, Any]] = []
    readings = (
        pd.concat(input_rows, ignore_index=True).reindex(columns=READING_COLUMNS)
        if input_rows
        else pd.DataFrame(columns=READING_COLUMNS)
    )
    frames["plan"], readings = integrity.duplicate_tables(frames["plan"], readings, extra_dq)
    frames["actuals"] = integrity.duplicate_lines(frames["actuals"], extra_dq)
    year, year_src = _folder_year(frames)
    plan = _place_annual(frames["plan"], year, year_src, extra_dq, readings)
    frames["actuals"] = _place_annual(frames["actuals"], year, year_src, extra_dq, readings)
    revised = _place_annual(frames["revised"], year, year_src, extra_dq, readings)
    plan = _merge_revised(plan, revised, extra_dq)
    aftersales = _merge_callbacks(frames["aftersales"], frames["callbacks"], extra_dq)
    presales = _merge_qa(frames["presales"], frames["qa_log"], frames["roster"])
    _missing_components(presales, aftersales, cfg)
    extra_dq += _duplicate_scorecards(presales, aftersales, lang)
    extra_dq += _roster_mismatch(frames["roster"], presales, aftersales)
    dq = pd.concat(
        [df for df in dq_parts if len(df)] + [dq_frame(_messages(extra_dq, lang))],
        ignore_index=True,
    )
    dq = dq_frame(dq)
    inputs = _finish_readings(readings)
    out = {
        "plan": _typed(plan, "plan"),
        "actuals": _typed(frames["actuals"], "actuals"),
        "presales": _typed(presales, "presales"),
        "aftersales": _typed(aftersales, "aftersales"),
        "roster": _typed(frames["roster"], "roster"),
        "staffing": _typed(frames["staffing"], "staffing"),
    }
    periods = {
        k: sorted(out[k]["period"].dropna().unique().tolist())
        for k in ("plan", "actuals", "presales", "aftersales")
    }
    periods["staffing"] = sorted(
        {d[:7] for d in out["staffing"]["day"].dropna() if re.match(r"\d{4}-\d{2}", d)}
    )
    latest = latest_period(out["actuals"], today)
    future = integrity.future_lines(out["actuals"], today)
    if len(future):
        dq = dq_frame(pd.concat([dq, dq_frame(_messages(future, lang))], ignore_index=True))
    return Dataset(
        **out, dq=dq, inputs=inputs, latest_period=latest, periods=periods, data_dir=data_path
    )


def _typed(df: pd.DataFrame, name: str) -> pd.DataFrame:
    cols = _FRAME_COLUMNS[name]
    df = df.reindex(columns=cols)
    casts = {}
    for c in cols:
        t = _dtype(c)
        if t == "str":
            casts[c] = (
                df[c].astype("str").where(df[c].notna(), "")
                if c not in ("period",)
                else df[c].astype("str")
            )
        elif t == "int64":
            casts[c] = pd.to_numeric(df[c], errors="coerce").fillna(0).astype("int64")
        elif t == "float64":
            casts[c] = pd.to_numeric(df[c], errors="coerce").astype("float64")
        elif t == "bool":
            casts[c] = df[c].fillna(False).astype("bool")
        else:
            casts[c] = pd.to_datetime(df[c], errors="coerce").astype("datetime64[us]")
    return df.assign(**casts).reset_index(drop=True)


def _messages(rows: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    out = []
    for d in rows:
        d = dict(d)
        fields = d.pop("_fields", {})
        out.append({**d, "message": message(d["code"], lang, value=d.get("value", ""), **fields)})
    return out


def _finish_readings(r: pd.DataFrame) -> pd.DataFrame:
    """Counts as whole numbers, amounts in 元, text columns without NaN (for CSV and JSON)."""
    r = r.reindex(columns=READING_COLUMNS).copy()
    for c in READING_COLUMNS:
        if c.startswith("rows_") or c == "bytes":
            r[c] = pd.to_numeric(r[c], errors="coerce").fillna(0).astype("int64")
        elif c.startswith("amount_"):
            r[c] = pd.to_numeric(r[c], errors="coerce").fillna(0.0).round(2)
        else:
            r[c] = r[c].astype("object").where(r[c].notna(), "").astype("str")
    return r.reset_index(drop=True)


def _folder_year(frames: Mapping[str, pd.DataFrame]) -> tuple[str | None, str]:
    """The year of the folder's dated data (most frequent), for month headers naming none."""
    known = pd.concat(
        [frames["plan"]["period"], frames["revised"]["period"], frames["actuals"]["period"]]
    ).dropna()
    known = known[~known.str.startswith("0001-")]
    if not len(known):
        return None, ""
    return str(known.str[:4].mode().iloc[0]), "the folder's other dated data"


def _place_annual(
    df: pd.DataFrame, year: str | None, source: str, dq: list[dict], readings: pd.DataFrame
) -> pd.DataFrame:
    """Tables whose year was named nowhere ("0001-MM") take the folder's year, with a warning;
    with no dated data at all, the year is asked for (a year is never guessed from an amount)."""
    if df.empty or not df["period"].str.startswith("0001-").any():
        return df
    places = df.loc[df["period"].str.startswith("0001-"), ["source_file", "source_sheet"]]
    places = places.drop_duplicates()
    if year is None:
        f, sh = places.iloc[0]
        raise InputError(
            "表中的月份没有写年份(文件名、工作表名、标题、表头都没有),文件夹里也没有带日期的数据可参照。"
            "请在 config.toml 中用下面几行写明年份",
            "the month headers name no year (not in the file name, sheet name, title or header) "
            "and no other data in the folder is dated. Pin the year in config.toml with the "
            "lines below",
            file=f,
            sheet=sh,
            pin=_pin_lines(f, sh, year="2026"),
        )
    for f, sh in places.itertuples(index=False):
        dq.append(
            {
                "severity": "warning",
                "code": "year_assumed",
                "file": f,
                "sheet": sh,
                "row": None,
                "column": "",
                "value": year,
                "_fields": {"source": source},
            }
        )
        hit = (readings["file"] == f) & (readings["sheet"].fillna("") == sh)
        readings.loc[hit, "year"] = year
        readings.loc[hit, "year_source"] = f"assumed: {source}"
    return df.assign(period=df["period"].str.replace(r"^0001-", f"{year}-", regex=True))


def latest_period(actuals: pd.DataFrame, today: str | None = None) -> str | None:
    """The latest month with actual data on or before today (future-dated lines never count)."""
    now = pd.Timestamp(today) if today else pd.Timestamp.today()
    per = actuals["period"].dropna()
    per = per[per.str.match(r"^\d{4}-\d{2}$") & (per <= f"{now:%Y-%m}")]
    return str(per.max()) if len(per) else None


_KEY = ["period", "department", "category", "item"]


def _merge_revised(plan: pd.DataFrame, revised: pd.DataFrame, dq: list[dict]) -> pd.DataFrame:
    """Revised-plan lines fill ``revised_plan``; lines only in the revised plan are added (plan 0)."""
    revised = revised[revised["revised_plan"].notna()]
    if revised.empty:
        return plan
    rev = revised.groupby(_KEY, as_index=False, dropna=False).agg(
        revised_new=("revised_plan", "sum"),
        source_file_r=("source_file", "first"),
        source_sheet_r=("source_sheet", "first"),
        source_row_r=("source_row", "first"),
    )
    merged = plan.merge(rev, on=_KEY, how="outer", indicator=True)
    merged["revised_plan"] = merged["revised_new"].where(
        merged["revised_new"].notna(), merged["revised_plan"]
    )
    only = merged["_merge"] == "right_only"
    if only.any():
        for _, r in merged[only].drop_duplicates("source_row_r").iterrows():
            dq.append(
                {
                    "severity": "warning",
                    "code": "revised_only",
                    "file": r["source_file_r"],
                    "sheet": r["source_sheet_r"],
                    "row": r["source_row_r"],
                    "column": "",
                    "value": f"{r['category']} {r['item']}".strip(),
                }
            )
        merged.loc[only, "plan"] = 0.0
        merged.loc[only, "kind"] = "cost"
        for c in ("source_file", "source_sheet", "source_row"):
            merged.loc[only, c] = merged.loc[only, f"{c}_r"]
    return (
        merged[PLAN_COLUMNS]
        .sort_values(["source_file", "source_sheet", "source_row", "period"], kind="stable")
        .reset_index(drop=True)
    )


def _merge_callbacks(after: pd.DataFrame, cb: pd.DataFrame, dq: list[dict]) -> pd.DataFrame:
    """Callback-log counts replace the sheet's; the log's findings (blank or invalid grades)
    travel into the agent's ``check``.

    An agent whose sheet has no callback columns and who is absent from the month's log has no
    callbacks on record: the counts stay blank (待核实, or 0 under ``blank_as_zero``) and an error
    row names the scorecard row; 0 callbacks is only ever read from a cell that says 0.
    """
    if cb.empty:
        return after
    cols = ["cb_A", "cb_B", "cb_C", "cb_D"]
    cb = cb.groupby(["period", "agent_id"], as_index=False, sort=False).agg(
        **{c: (c, "sum") for c in cols},
        check=("check", lambda s: ";".join(x for x in s.fillna("") if x)),
        source_file=("source_file", "first"),
        source_sheet=("source_sheet", "first"),
        source_row=("source_row", "first"),
    )
    merged = after.merge(
        cb[["period", "agent_id", *cols, "check", "source_file", "source_sheet", "source_row"]],
        on=["period", "agent_id"],
        how="left",
        suffixes=("", "_log"),
    )
    has_log = merged["cb_A_log"].notna()
    covered = merged["period"].isin(set(cb["period"]))
    token = "missing_column:satisfaction:"
    no_cols = merged["check"].fillna("").str.contains(token, regex=False)
    for c in cols:
        merged[c] = merged[f"{c}_log"].where(has_log, merged[c])
    for _, r in merged[covered & no_cols & ~has_log].iterrows():
        dq.append(
            {
                "severity": "error",
                "code": "no_callbacks_logged",
                "file": r["source_file"],
                "sheet": r["source_sheet"],
                "row": r["source_row"],
                "column": str(r["period"]),
                "value": r["agent_id"],
            }
        )
    check = K.drop_tokens(merged["check"].fillna(""), token, covered)
    log_check = merged["check_log"].fillna("")
    merged["check"] = K.add_tokens(check, has_log & log_check.ne(""), log_check)
    known = set(zip(after["period"], after["agent_id"], strict=True))
    for _, r in cb.iterrows():
        if (r["period"], r["agent_id"]) not in known:
            dq.append(
                {
                    "severity": "warning",
                    "code": "callback_unknown_agent",
                    "file": r["source_file"],
                    "sheet": r["source_sheet"],
                    "row": r["source_row"],
                    "column": "",
                    "value": r["agent_id"],
                }
            )
    return merged[AFTERSALES_COLUMNS]


def _merge_qa(pre: pd.DataFrame, qa: pd.DataFrame, roster: pd.DataFrame) -> pd.DataFrame:
    """QA-log counts are added to the month's pre-sales rows (rows created where none exist).

    A row created from the log alone has no exam: it carries a ``qa_only`` token (待核实).
    """
    if qa.empty:
        return pre
    findings = (
        qa[qa["check"].fillna("").ne("")]
        .groupby(["period", "agent_id"])["check"]
        .agg(lambda s: ";".join(s))
    )
    qa = qa[qa["code"].notna()]
    wide = (
        qa.pivot_table(
            index=["period", "agent_id"],
            columns="code",
            values="count",
            aggfunc="sum",
            fill_value=0,
        )
        .reindex(columns=PRESALES_ITEMS, fill_value=0)
        .reset_index()
    )
    src = qa.groupby(["period", "agent_id"], as_index=False)[
        ["source_file", "source_sheet", "source_row"]
    ].first()
    wide = wide.merge(src, on=["period", "agent_id"])
    names = roster.set_index("agent_id")["name"] if not roster.empty else pd.Series(dtype="str")
    base = pre.set_index(["period", "agent_id"])
    add = wide.set_index(["period", "agent_id"])
    new_keys = add.index.difference(base.index)
    new_rows = (
        add.loc[new_keys]
        .reset_index()
        .assign(
            name=lambda d: d["agent_id"].map(names).astype("str").fillna(""),
            exam=np.nan,
            check=K.check_token("qa_only", "exam"),
        )
    )
    for code in PRESALES_ITEMS:
        new_rows[code] = 0
    combined = pd.concat([pre, new_rows[PRESALES_COLUMNS]], ignore_index=True)
    idx = combined.set_index(["period", "agent_id"]).index
    extra = add[PRESALES_ITEMS].reindex(idx).fillna(0).to_numpy()
    combined[PRESALES_ITEMS] = combined[PRESALES_ITEMS].to_numpy() + extra
    covered = combined["period"].isin(set(qa["period"]) | set(findings.index.get_level_values(0)))
    check = combined["check"].fillna("")
    for comp in ("business", "discipline"):
        check = K.drop_tokens(check, f"missing_column:{comp}:", covered)
    found = pd.Series(findings.reindex(idx).to_numpy(), index=combined.index).fillna("")
    return combined.assign(check=K.add_tokens(check, found.ne(""), found))


def _where(r: Mapping[str, Any], lang: str) -> str:
    row = int(r["source_row"]) if pd.notna(r["source_row"]) else ""
    sheet = f" · {r['source_sheet']}" if r["source_sheet"] else ""
    return f"{r['source_file']}{sheet} · " + (f"第 {row} 行" if lang != "en" else f"row {row}")


def _duplicate_scorecards(pre: pd.DataFrame, after: pd.DataFrame, lang: str) -> list[dict]:
    """One agent, one pay line: every scorecard row of an agent listed twice in a month (same or
    another file or sheet, or in both roles) is an error naming the other row(s)."""
    keys = ["period", "agent_id"]
    both = pd.concat(
        [pre.assign(_role="presales"), after.assign(_role="aftersales")], ignore_index=True
    )
    both = both[both.duplicated(keys, keep=False)]
    out: list[dict] = []
    for _, grp in both.groupby(keys, sort=True):
        where = [_where(r, lang) for _, r in grp.iterrows()]
        roles = grp["_role"].nunique() > 1
        for i, (_, r) in enumerate(grp.iterrows()):
            out.append(
                {
                    "severity": "error",
                    "code": "both_roles" if roles else "duplicate_scorecard",
                    "file": r["source_file"],
                    "sheet": r["source_sheet"],
                    "row": r["source_row"],
                    "column": str(r["period"]),
                    "value": r["agent_id"],
                    "_fields": {"other": "; ".join(w for j, w in enumerate(where) if j != i)},
                }
            )
    return out


def _missing_components(pre: pd.DataFrame, after: pd.DataFrame, cfg: Mapping[str, Any]) -> None:
    """A component no column and no log supplied (after merging the logs) stops the load."""
    from analysis.scorecard import LABELS

    for role, frame in (("presales", pre), ("aftersales", after)):
        if frame.empty:
            continue
        tokens = frame["check"].fillna("").str.extractall(r"missing_column:(\w+):(\d*)")
        if tokens.empty:
            continue
        first = tokens.index.get_level_values(0)[0]
        r = frame.loc[first]
        comps = sorted(set(tokens.xs(first, level=0)[0]))
        hdr = tokens.xs(first, level=0)[1].iloc[0]
        fields = [f for c in comps for f in K.COMPONENT_FIELDS[role][c]]
        zh = "、".join(LABELS["zh"][c] for c in comps)
        en = ", ".join(LABELS["en"][c] for c in comps)
        raise InputError(
            f"缺少考核项目的列:{zh}(表头在第 {hdr} 行),文件夹中也没有当月的质检/回访记录。"
            f"这些项目不能按 0 或 100 计分;如本月确实不考核,请在 config.toml 的 [scorecard.{role}] "
            f"写 not_scored = {comps!r}".replace("'", '"'),
            f"scorecard columns missing: {en} (header at row {hdr}) and no QA or callback log for "
            f"the month. They cannot be scored as 0 or 100; if the month does not score them, set "
            f"not_scored = {comps!r} under [scorecard.{role}] in config.toml".replace("'", '"'),
            file=str(r["source_file"]),
            sheet=str(r["source_sheet"]),
            field=", ".join(fields),
            aliases=[
                a for c in comps for a in K.component_aliases(K.COMPONENT_FIELDS[role][c], cfg, c)
            ],
        )


def _roster_mismatch(roster: pd.DataFrame, pre: pd.DataFrame, after: pd.DataFrame) -> list[dict]:
    """Agents in the roster without a scorecard that month, and scorecard agents not in it."""
    out: list[dict] = []
    if roster.empty:
        return out
    for role, sc in (("presales", pre), ("aftersales", after)):
        if sc.empty:
            continue
        members = roster[roster["role"] == role]
        all_ids = set(roster["agent_id"])
        for period, grp in sc.groupby("period"):
            have = set(grp["agent_id"])
            for _, r in members[~members["agent_id"].isin(have)].iterrows():
                out.append(
                    {
                        "severity": "warning",
                        "code": "missing_scorecard",
                        "file": r["source_file"],
                        "sheet": r["source_sheet"],
                        "row": r["source_row"],
                        "column": str(period),
                        "value": r["agent_id"],
                    }
                )
            for _, r in grp[~grp["agent_id"].isin(all_ids)].iterrows():
                out.append(
                    {
                        "severity": "warning",
                        "code": "not_in_roster",
                        "file": r["source_file"],
                        "sheet": r["source_sheet"],
                        "row": r["source_row"],
                        "column": str(period),
                        "value": r["agent_id"],
                    }
                )
    return out


__all__ = ["Dataset", "load_all", "load_file", "DQ_COLUMNS", "V"]
