"""One loaded :class:`Dataset` written to a folder and read back: the run's single reading.

Why: a run loads the data folder once, validates it and records the input hashes and row counts
in run.json. If each report notebook loaded the folder again, a ledger edited, appended to or
deleted while the run goes on would make the published figures differ from run.json. The runner
therefore writes what it loaded to ``<build>/.snapshot/`` and every report reads that snapshot:
the figures, run.json, ``inputs_read.csv`` and ``data_quality.csv`` all describe one reading.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.errors import AnalysisError
from analysis.io.folder import Dataset, load_all

#: The frames every Dataset has; any other DataFrame field of :class:`Dataset` is written too.
FRAMES = ("plan", "actuals", "presales", "aftersales", "roster", "staffing", "dq", "inputs")
MANIFEST = "snapshot.json"
FORMAT = "kefu-snapshot-1"


class SnapshotError(AnalysisError):
    """A snapshot folder that is missing, incomplete or of another format."""


def _parquet_ready(df: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """A frame Arrow can store: object columns mixing types (e.g. a year as 2026 and "") become
    text, and their names are returned so the manifest says which columns were converted."""
    import pyarrow as pa

    converted = []
    out = df
    for col in df.columns:
        if df[col].dtype != object:
            continue
        try:
            pa.array(df[col], from_pandas=True)
        except (pa.ArrowException, TypeError, ValueError):
            if out is df:
                out = df.copy()
            out[col] = df[col].map(lambda v: v if v is None or v != v else str(v))
            converted.append(str(col))
    return out, converted


def write_snapshot(ds: Dataset, folder: str | os.PathLike[str]) -> Path:
    """Write every frame of ``ds`` (parquet) and its periods (json) to ``folder``; returns it.

    The manifest is written last, so a folder without it is an incomplete snapshot.
    """
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    converted: dict[str, list[str]] = {}
    rows: dict[str, int] = {}
    extra: dict[str, Any] = {}
    for f in dataclasses.fields(ds):
        value = getattr(ds, f.name)
        if f.name == "calls":
            extra["calls"] = _link_parts(value, path / "calls")
            continue
        if not isinstance(value, pd.DataFrame):
            if f.name not in ("latest_period", "periods", "data_dir"):
                extra[f.name] = value
            continue
        name, df = f.name, value
        ready, conv = _parquet_ready(df)
        if conv:
            converted[name] = conv
        ready.to_parquet(path / f"{name}.parquet", index=False)
        rows[name] = len(df)
    manifest = {
        "format": FORMAT,
        "latest_period": ds.latest_period,
        "periods": ds.periods,
        "data_dir": str(ds.data_dir) if ds.data_dir is not None else None,
        "rows": rows,
        "converted_to_text": converted,
        "extra": extra,
    }
    (path / MANIFEST).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2, default=str), encoding="utf-8"
    )
    return path


def _link_parts(parts: Any, folder: Path) -> list[str]:
    """The call-log parts hard-linked (copied across file systems) into the snapshot, so the
    run's one reading holds them even when the parse cache is cleared; paths relative to it."""
    import shutil

    out = []
    if parts:
        folder.mkdir(parents=True, exist_ok=True)
    for i, part in enumerate(parts or ()):
        src = Path(part)
        target = folder / f"{i:04d}-{src.parent.name}.parquet"
        if target.exists():
            target.unlink()
        try:
            os.link(src, target)
        except OSError:
            shutil.copy2(src, target)
        out.append(target.relative_to(folder.parent).as_posix())
    return out


def read_snapshot(folder: str | os.PathLike[str]) -> Dataset:
    """The :class:`Dataset` written by :func:`write_snapshot` (row counts checked)."""
    path = Path(folder)
    try:
        manifest: Mapping[str, Any] = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SnapshotError(
            f"快照不完整或不存在: {path} ({exc})。\nSnapshot missing or incomplete: {path} ({exc})."
        ) from None
    if manifest.get("format") != FORMAT:
        raise SnapshotError(f"快照格式不符 / unknown snapshot format in {path}")
    frames = {}
    for name in manifest["rows"]:
        df = pd.read_parquet(path / f"{name}.parquet")
        if len(df) != manifest["rows"][name]:
            raise SnapshotError(
                f"快照 {name} 行数不符 / snapshot frame {name} has {len(df)} rows, "
                f"expected {manifest['rows'][name]}: {path}"
            )
        frames[name] = df
    data_dir = manifest.get("data_dir")
    known = {f.name for f in dataclasses.fields(Dataset)}
    extra = {k: v for k, v in (manifest.get("extra") or {}).items() if k in known}
    if "calls" in extra:
        parts = tuple(str((path / rel).resolve()) for rel in extra["calls"])
        missing = [p for p in parts if not Path(p).is_file()]
        if missing:
            raise SnapshotError(
                f"快照缺少通话记录文件 / snapshot call-log part missing: {missing[0]}"
            )
        extra["calls"] = parts
    return Dataset(
        **frames,
        **extra,
        latest_period=manifest.get("latest_period"),
        periods={k: list(v) for k, v in (manifest.get("periods") or {}).items()},
        data_dir=Path(data_dir) if data_dir else None,
    )


def load_dataset(
    data_dir: str | os.PathLike[str],
    cfg: Mapping[str, Any] | None = None,
    *,
    snapshot: str | os.PathLike[str] = "",
    lang: str = "zh",
    use_cache: bool = True,
) -> Dataset:
    """The Dataset a report works on: the run's snapshot when given, else a fresh load.

    Why both: under ``analysis run`` every report must see exactly what the runner validated
    (``snapshot`` is passed); opened by hand in JupyterLab a notebook loads the folder itself.
    """
    if snapshot:
        return read_snapshot(snapshot)
    return load_all(data_dir, cfg, lang=lang, use_cache=use_cache)
