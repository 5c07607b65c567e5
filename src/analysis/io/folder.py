"""``load_all``: every input of a data folder → one :class:`Dataset` of tidy, typed frames.

Why: the reports need plan, actuals, scorecards, roster and staffing in fixed shapes, with a
data-quality list that accounts for every input row and a reading for every table. This module
finds the files (originals before copies, identical files once), loads each through the cache,
and runs the cross-file steps.
"""

from __future__ import annotations

import fnmatch
import os
import re
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import config as config_mod
from analysis import paths
from analysis.io import cache, integrity, rows
from analysis.io import values as V
from analysis.io.errors import InputError, dq_frame, fill_messages
from analysis.io.grid import SUPPORTED_SUFFIXES
from analysis.io.load_calls import load_calls_file
from analysis.io.load_complaints import load_complaints_file
from analysis.io.load_scorecards import CALLBACK_COLUMNS, QA_COLUMNS
from analysis.io.merge import (
    _duplicate_scorecards,
    _folder_year,
    _merge_callbacks,
    _merge_qa,
    _merge_revised,
    _missing_components,
    _place_annual,
    _roster_mismatch,
)
from analysis.io.sheets import _dq, load_file, pin_for
from analysis.schema import (
    ACD_COLUMNS,
    ACTUAL_COLUMNS,
    AFTERSALES_COLUMNS,
    COMPLAINT_COLUMNS,
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


KINDS = ("budget", "actuals", "scorecards", "roster", "staffing", "calls", "complaints")

#: Call logs may also come as Parquet (the other kinds are spreadsheets or CSV).
CALL_SUFFIXES = SUPPORTED_SUFFIXES | {".parquet", ".pq"}


_FRAME_COLUMNS = {
    "plan": PLAN_COLUMNS,
    "actuals": ACTUAL_COLUMNS,
    "presales": PRESALES_COLUMNS,
    "aftersales": AFTERSALES_COLUMNS,
    "roster": ROSTER_COLUMNS,
    "staffing": STAFFING_COLUMNS,
    "revised": rows.REVISED_COLUMNS,
    "callbacks": CALLBACK_COLUMNS,
    "qa_log": QA_COLUMNS,
    "complaints": COMPLAINT_COLUMNS,
    "acd": ACD_COLUMNS,
}

#: Numeric columns of the ACD summaries (floats: a missing or invalid value stays NaN).
_ACD_FLOATS = frozenset(ACD_COLUMNS[4:12])


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
    #: Absolute paths of the canonical call-log Parquet parts (schema.CALL_COLUMNS), one per
    #: file of calls/; empty when the folder has no call log. Read them with the engine
    #: (DuckDB), never whole into pandas.
    calls: tuple[str, ...] = ()
    complaints: pd.DataFrame = field(default_factory=lambda: empty_frame("complaints"))
    acd: pd.DataFrame = field(default_factory=lambda: empty_frame("acd"))


def empty_frame(name: str) -> pd.DataFrame:
    """A frame of ``name``'s columns and types with no rows (built once, copied)."""
    if name not in _EMPTY:
        _EMPTY[name] = pd.DataFrame({c: pd.Series(dtype=_dtype(c)) for c in _FRAME_COLUMNS[name]})
    return _EMPTY[name].copy()


_EMPTY: dict[str, pd.DataFrame] = {}


def _dtype(col: str) -> str:
    if col in FLOAT_FIELDS or col in _ACD_FLOATS:
        return "float64"
    if col in PRESALES_ITEMS or col == "source_row":
        return "int64"
    if col in ("date", "received", "closed"):
        return "datetime64[us]"
    if col == "is_leader":
        return "bool"
    return "str"


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
                if p.name.startswith(("~$", ".")) or p in seen:
                    continue
                if not p.is_file():
                    _not_a_file(data_dir, p)
                    continue
                seen.add(p)
                out.append((kind, p))
    return out


def _not_a_file(data_dir: Path, p: Path) -> None:
    """An input that cannot be opened is never skipped in silence: a link to nowhere, or a
    folder named like a spreadsheet, stops the load naming the path and the reason."""
    rel = p.relative_to(data_dir).as_posix()
    if p.is_symlink() and not p.exists():
        raise InputError(
            f"文件无法读取:它是一个快捷方式/链接,指向的文件不存在({os.readlink(p)})",
            f"file cannot be read: it is a link to a file that does not exist ({os.readlink(p)})",
            file=rel,
        )
    if p.is_dir() and p.suffix.lower() in SUPPORTED_SUFFIXES:
        raise InputError(
            "这是一个文件夹,却以表格文件的扩展名命名;请放入真正的文件,或改名",
            "this is a folder named like a spreadsheet file; put the real file here or rename it",
            file=rel,
        )


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
    cfg = config_mod.load_config(data_path) if cfg is None and data_path.is_dir() else cfg
    found = _inputs_or_refuse(data_path, cfg)
    got = _Collected()
    for kind, path in found:
        _read_one(got, data_path, kind, path, cfg, lang, use_cache, cache_dir)
    frames = {
        name: pd.concat(
            [df for df in got.frames.get(name, []) if len(df)] or [empty_frame(name)]
        ).reset_index(drop=True)
        for name in _FRAME_COLUMNS
    }
    readings = (
        pd.concat(got.readings, ignore_index=True).reindex(columns=READING_COLUMNS)
        if got.readings
        else pd.DataFrame(columns=READING_COLUMNS)
    )
    extra: list[dict[str, Any]] = []
    out, readings = _across_files(frames, readings, cfg, extra)
    extra += integrity.overlapping_logs(got.call_spans)
    extra += integrity.future_lines(out["actuals"], today)
    dq = fill_messages(
        dq_frame(
            pd.concat(
                [df for df in got.dq if len(df)] + [dq_frame(_messages(extra))],
                ignore_index=True,
            )
        ),
        lang,
    )
    return Dataset(
        **out,
        dq=dq,
        inputs=_finish_readings(readings),
        latest_period=latest_period(out["actuals"], today),
        periods={**_periods_of(out), "calls": sorted(got.call_months)},
        data_dir=data_path,
        calls=tuple(got.calls),
    )


@dataclass
class _Collected:
    """What the files of a folder gave, before the steps across files."""

    frames: dict[str, list[pd.DataFrame]] = field(default_factory=dict)
    dq: list[pd.DataFrame] = field(default_factory=list)
    readings: list[pd.DataFrame] = field(default_factory=list)
    first_of: dict[str, str] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)
    call_months: set[str] = field(default_factory=set)
    #: (file, first start, last start) of each converted call log.
    call_spans: list[tuple[str, Any, Any]] = field(default_factory=list)


def _inputs_or_refuse(data_path: Path, cfg: Mapping[str, Any] | None) -> list[tuple[str, Path]]:
    if not data_path.is_dir():
        raise InputError(f"数据文件夹不存在:{data_path}", f"data folder not found: {data_path}")
    found = find_inputs(data_path, cfg or {})
    # A partial folder (only scorecards, say) loads: each report needs only its own inputs.
    if not any(p.suffix.lower() in _suffixes(k) for k, p in found):
        raise InputError(
            "文件夹中没有任何输入文件(预算 budget/、实际支出 actuals/、考核 scorecards/、花名册 roster、"
            "来电量 staffing/、通话记录 calls/、投诉单 complaints/)",
            "the folder holds no input files: no budget (budget/), actuals (actuals/), "
            "scorecards (scorecards/), roster, call volumes (staffing/), call logs (calls/) or "
            "complaint records (complaints/)",
            file=str(data_path),
        )
    return found


def _suffixes(kind: str) -> set[str]:
    return CALL_SUFFIXES if kind == "calls" else SUPPORTED_SUFFIXES


def _set_aside(got: _Collected, rel: str, kind: str, status: str, note: str, **kw: Any) -> None:
    got.readings.append(
        pd.DataFrame([{"file": rel, "kind": kind, "status": status, "note": note, **kw}])
    )


def _skipped_whole(cfg: Mapping[str, Any], rel: str) -> bool:
    """A [[read]] skip for the file itself (not for one of its sheets)."""
    if not pin_for(cfg, rel, "").get("skip"):
        return False
    blocks = [b for b in cfg.get("read", []) or [] if fnmatch.fnmatch(rel, str(b.get("file", "")))]
    return not any("sheet" in b for b in blocks)


def _read_one(got, data_path, kind, path, cfg, lang, use_cache, cache_dir) -> None:
    """One file through the parse cache; copies and unsupported files are set aside, noted."""
    rel = path.relative_to(data_path).as_posix()
    if _skipped_whole(cfg, rel):
        _set_aside(got, rel, kind, "skipped", "skipped by config ([[read]] skip)")
        return
    if path.suffix.lower() not in _suffixes(kind):
        got.dq.append(dq_frame([_dq("file_skipped", rel, "", "", "info", path.suffix)]))
        return
    sha = cache.file_digest(path)
    size = path.stat().st_size
    if sha in got.first_of:
        # The same bytes again ("… - 副本.csv"): read once, never added twice.
        first = got.first_of[sha]
        got.dq.append(dq_frame([_dq("duplicate_file", rel, "", "", "info", first)]))
        _set_aside(
            got, rel, kind, "duplicate", f"identical to {first}; read once", sha256=sha, bytes=size
        )
        return
    got.first_of[sha] = rel
    key = cache.entry_key(sha, rel, kind, cache.config_digest(cfg))
    where = cache_dir or (paths.INTERIM_DIR / "io")
    frames = cache.load(where, key) if use_cache else None
    if frames is None and kind == "calls":
        frames = _convert_calls(where, key, path, rel, cfg)
    elif frames is None:
        frames = (
            load_complaints_file(path, rel, cfg)
            if kind == "complaints"
            else load_file(path, rel, kind, cfg)
        )
        if use_cache:
            cache.store(where, key, frames)
    part = where / key / _PART
    if kind == "calls" and part.is_file():
        got.calls.append(str(part.resolve()))
    for name, df in frames.items():
        if name == "call_months":
            got.call_months.update(df["period"].dropna().astype("str"))
            if len(df):
                got.call_spans.append((rel, df["first"].min(), df["last"].max()))
        elif name == "dq":
            got.dq.append(df)
        elif name == "readings":
            if len(df):
                got.readings.append(df.assign(sha256=sha, bytes=size))
        else:
            got.frames.setdefault(name, []).append(df)


_PART = "calls.parquet"


def _convert_calls(where: Path, key: str, path: Path, rel: str, cfg) -> dict[str, pd.DataFrame]:
    """A call log converted once into the parse cache: its Parquet part lives in the entry
    (also without ``use_cache``: the part must live somewhere; the entry is then rewritten)."""
    where.mkdir(parents=True, exist_ok=True)
    tmp = where / f".part-{key}-{os.getpid()}"
    tmp.mkdir(exist_ok=True)
    try:
        frames = load_calls_file(path, rel, cfg, tmp / _PART)
        files = {_PART: tmp / _PART} if (tmp / _PART).is_file() else {}
        cache.store(where, key, frames, files)
        if files and not (where / key / _PART).is_file():
            raise InputError(
                f"通话记录转换后无法写入缓存文件夹 {where}(磁盘已满或无写权限?)",
                f"the converted call log could not be written to the cache folder {where} "
                "(disk full or no write permission?)",
                file=rel,
            )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return frames


def _across_files(frames, readings, cfg, extra) -> tuple[dict[str, pd.DataFrame], Any]:
    """Copies set aside, undated months placed, revised plans and logs merged, agents checked."""
    frames["plan"], readings = integrity.duplicate_tables(frames["plan"], readings, extra)
    frames["actuals"] = integrity.duplicate_lines(frames["actuals"], extra)
    year, year_src = _folder_year(frames)
    plan = _place_annual(frames["plan"], year, year_src, extra, readings)
    actuals = _place_annual(frames["actuals"], year, year_src, extra, readings)
    revised = _place_annual(frames["revised"], year, year_src, extra, readings)
    plan = _merge_revised(plan, revised, extra)
    aftersales = _merge_callbacks(frames["aftersales"], frames["callbacks"], extra)
    presales = _merge_qa(frames["presales"], frames["qa_log"], frames["roster"])
    _missing_components(presales, aftersales, cfg)
    extra += _duplicate_scorecards(presales, aftersales)
    extra += _roster_mismatch(frames["roster"], presales, aftersales)
    out = {
        "plan": _typed(plan, "plan"),
        "actuals": _typed(actuals, "actuals"),
        "presales": _typed(presales, "presales"),
        "aftersales": _typed(aftersales, "aftersales"),
        "roster": _typed(frames["roster"], "roster"),
        "staffing": _typed(frames["staffing"], "staffing"),
        "complaints": _typed(
            integrity.duplicate_complaints(frames["complaints"], extra), "complaints"
        ),
        "acd": _typed(frames["acd"], "acd"),
    }
    return out, readings


def _periods_of(out: Mapping[str, pd.DataFrame]) -> dict[str, list[str]]:
    periods = {
        k: sorted(out[k]["period"].dropna().unique().tolist())
        for k in ("plan", "actuals", "presales", "aftersales")
    }
    periods["acd"] = sorted({p for p in out["acd"]["period"].dropna() if p})
    periods["complaints"] = sorted(V.month_of(out["complaints"]["received"]).dropna().unique())
    periods["staffing"] = sorted(
        {d[:7] for d in out["staffing"]["day"].dropna() if re.match(r"\d{4}-\d{2}", d)}
    )
    return periods


def _typed(df: pd.DataFrame, name: str) -> pd.DataFrame:
    if not len(df):
        return empty_frame(name)
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


def _messages(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows found across files, with their message fields (worded with the rest at the end)."""
    return [{**d, "message": "", "_fields": {**d.get("_fields", {})}} for d in rows]


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


def latest_period(actuals: pd.DataFrame, today: str | None = None) -> str | None:
    """The latest month with actual data on or before today (future-dated lines never count)."""
    now = pd.Timestamp(today) if today else pd.Timestamp.today()
    per = actuals["period"].dropna()
    per = per[per.str.match(r"^\d{4}-\d{2}$") & (per <= f"{now:%Y-%m}")]
    return str(per.max()) if len(per) else None


__all__ = ["Dataset", "load_all", "load_file", "DQ_COLUMNS", "V"]
