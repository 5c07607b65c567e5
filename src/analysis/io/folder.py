"""``load_all``: every input of a data folder → one :class:`Dataset` of tidy, typed frames.

Why: the reports need plan, actuals, scorecards, roster and staffing in fixed shapes, with a
data-quality list that accounts for every input row and a reading for every table. This module
finds the files (originals before copies, identical files once), loads each through the cache,
and runs the cross-file steps.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import config as config_mod
from analysis import paths
from analysis.io import cache, integrity
from analysis.io import values as V
from analysis.io.errors import InputError, dq_frame, message
from analysis.io.grid import SUPPORTED_SUFFIXES
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
from analysis.io.rows import REVISED_COLUMNS
from analysis.io.sheets import _dq, load_file, pin_for
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
    "revised": REVISED_COLUMNS,
    "callbacks": CALLBACK_COLUMNS,
    "qa_log": QA_COLUMNS,
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


def latest_period(actuals: pd.DataFrame, today: str | None = None) -> str | None:
    """The latest month with actual data on or before today (future-dated lines never count)."""
    now = pd.Timestamp(today) if today else pd.Timestamp.today()
    per = actuals["period"].dropna()
    per = per[per.str.match(r"^\d{4}-\d{2}$") & (per <= f"{now:%Y-%m}")]
    return str(per.max()) if len(per) else None


__all__ = ["Dataset", "load_all", "load_file", "DQ_COLUMNS", "V"]
