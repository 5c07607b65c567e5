"""Read one input (a file, or a DataFrame as typed in a notebook) the way a data folder is read.

Why: an analyst with one plan workbook or one ledger extract should get the same tidy frame and
the same data-quality list the monthly run would, with the same header recognition (Chinese or
English headers, 万元, 小计 rows …), not a second, weaker reader. The one input is placed in a
temporary data folder under its kind's folder and read by :func:`analysis.io.load_all`.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.io.errors import InputError
from analysis.io.folder import Dataset, load_all

#: Input kind → the folder (or file stem) a data folder holds it in (defaults.toml [files]).
PLACES = {
    "budget": "budget/{name}",
    "actuals": "actuals/{name}",
    "scorecards": "scorecards/{name}",
    "roster": "roster{suffix}",
    "staffing": "staffing/{name}",
    "calls": "calls/{name}",
    "complaints": "complaints/{name}",
}


def read_one(
    source: str | os.PathLike[str] | pd.DataFrame,
    kind: str,
    cfg: Mapping[str, Any] | None = None,
    *,
    lang: str = "zh",
) -> Dataset:
    """Load one file or DataFrame of ``kind`` (budget, actuals, scorecards, roster, staffing,
    calls, complaints). A call log's Parquet part stays in the parse cache (``ds.calls``).

    A DataFrame is written as a CSV with its column names as the header row, so its headers are
    recognised like a spreadsheet's. The data-quality list names the original file (or
    ``<DataFrame>``) instead of the temporary copy.
    """
    if kind not in PLACES:
        raise InputError(
            f"未知的输入类型 {kind!r}, 可选: {', '.join(PLACES)}",
            f"unknown input kind {kind!r}; one of {', '.join(PLACES)}",
        )
    with tempfile.TemporaryDirectory(prefix="kefu-read-") as tmp:
        folder = Path(tmp)
        shown, rel = _place(source, kind, folder)
        ds = load_all(folder, cfg, lang=lang, use_cache=False)
    return _renamed(ds, rel, shown)


def _place(source: Any, kind: str, folder: Path) -> tuple[str, str]:
    """Put ``source`` where a data folder holds ``kind``; (name to show, path in the folder)."""
    if isinstance(source, pd.DataFrame):
        rel = PLACES[kind].format(name="dataframe.csv", suffix=".csv")
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        source.to_csv(target, index=False, encoding="utf-8")
        return "<DataFrame>", rel
    path = Path(source).expanduser()
    if not path.is_file():
        raise InputError(f"文件不存在: {path}", f"file not found: {path}", file=str(path))
    rel = PLACES[kind].format(name=path.name, suffix=path.suffix.lower())
    target = folder / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(path, target)
    return str(path), rel


def _renamed(ds: Dataset, rel: str, shown: str) -> Dataset:
    """The dataset with the temporary file name replaced by the one the caller knows."""
    from dataclasses import replace

    def fix(df: pd.DataFrame, col: str) -> pd.DataFrame:
        if col in df and len(df):
            df = df.copy()
            df[col] = df[col].replace({rel: shown})
        return df

    frames = {
        name: fix(getattr(ds, name), "source_file")
        for name in (
            "plan",
            "actuals",
            "presales",
            "aftersales",
            "roster",
            "staffing",
            "complaints",
            "acd",
        )
    }
    return replace(
        ds, **frames, dq=fix(ds.dq, "file"), inputs=fix(ds.inputs, "file"), data_dir=None
    )
