"""Parquet cache of parsed input files, keyed by content hash, loader version and config.

Why: a second run over the same spreadsheets (any data folder, any --out) skips parsing. A cache
entry is only trusted when its completion marker and every frame read back cleanly; anything
else is deleted and rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd


def _source_digest() -> str:
    """Hash of the loader's own source: any change to parsing code invalidates old entries.

    Why: a hand-bumped version number is forgotten; a stale entry from an older loader would
    silently give old answers (it once turned annual plan periods into ``0000-MM``).
    """
    h = hashlib.sha256()
    pkg = Path(__file__).parent.parent
    # The loader reads the scorecard month rules and the schema too.
    sources = [
        *sorted(Path(__file__).parent.glob("*.py")),
        pkg / "scorecard.py",
        pkg / "schema.py",
        *sorted((pkg / "catalog").glob("*/dq.toml")),  # messages are stored with each entry
    ]
    for src in sources:
        if src.is_file():
            h.update(src.name.encode())
            h.update(src.read_bytes())
    return h.hexdigest()[:12]


#: Entries written by another loader version (another source) are never reused.
LOADER_VERSION = f"io-1-{_source_digest()}"
_MARKER = "complete.json"


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def config_digest(cfg: Mapping[str, Any]) -> str:
    """Hash of the whole merged config: pins ([[read]]), aliases, files, sheets, roles, budget,
    scorecard switches (not_scored, blank_as_zero) all change what a file reads as. A narrower
    key once kept a parse from before a pin was written (a pinned 千元 published as 元)."""
    relevant = dict(cfg)
    return hashlib.sha256(json.dumps(relevant, sort_keys=True, default=str).encode()).hexdigest()[
        :16
    ]


def entry_key(sha: str, rel: str, kind: str, cfg_hash: str) -> str:
    # No language: entries hold codes and message fields, worded per run (one parse, zh and en).
    raw = "|".join([LOADER_VERSION, sha, rel, kind, cfg_hash])
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def load(cache_dir: Path, key: str) -> dict[str, pd.DataFrame] | None:
    """Frames of a complete entry, or None (missing or corrupt: corrupt entries are removed)."""
    entry = cache_dir / key
    if not entry.is_dir():
        return None
    try:
        manifest = json.loads((entry / _MARKER).read_text(encoding="utf-8"))
        if manifest.get("version") != LOADER_VERSION:
            raise ValueError("stale")
        if not all((entry / name).is_file() for name in manifest.get("files", [])):
            raise ValueError("a file of the entry is missing")
        return {name: pd.read_parquet(entry / f"{name}.parquet") for name in manifest["frames"]}
    except Exception:
        shutil.rmtree(entry, ignore_errors=True)
        return None


def store(
    cache_dir: Path,
    key: str,
    frames: Mapping[str, pd.DataFrame],
    files: Mapping[str, Path] | None = None,
) -> None:
    """Write an entry atomically (temp folder, then rename); failures only cost the cache.

    ``files`` (name → path) are moved into the entry beside the frames (a converted call log's
    Parquet part); the entry is only trusted while they are all there."""
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = cache_dir / f".tmp-{key}-{uuid.uuid4().hex[:8]}"
        tmp.mkdir()
        for name, df in frames.items():
            df.to_parquet(tmp / f"{name}.parquet", index=False)
        for name, src in (files or {}).items():
            shutil.move(str(src), tmp / name)
        manifest = {
            "version": LOADER_VERSION,
            "frames": sorted(frames),
            "files": sorted(files or {}),
        }
        (tmp / _MARKER).write_text(json.dumps(manifest), encoding="utf-8")
        final = cache_dir / key
        if final.exists():
            shutil.rmtree(final, ignore_errors=True)
        tmp.rename(final)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True) if "tmp" in locals() else None
