"""Paths anchored at the project root, never the current directory.

papermill, nbval and JupyterLab each start in a different folder; every path the
package builds starts from here so a notebook runs the same from anywhere.
"""

from __future__ import annotations

import os
from pathlib import Path

#: The repository root: ``src/analysis/paths.py`` → three levels up.
PROJ_ROOT: Path = Path(os.environ.get("KEFU_PROJ_ROOT", Path(__file__).resolve().parents[2]))

DATA_DIR = PROJ_ROOT / "data"
SAMPLE_DATA_DIR = DATA_DIR / "sample"
INTERIM_DIR = DATA_DIR / "interim"
NOTEBOOKS_DIR = PROJ_ROOT / "notebooks"
REPORT_NOTEBOOKS_DIR = NOTEBOOKS_DIR / "reports"
REPORTS_DIR = PROJ_ROOT / "reports"
PACKAGE_DIR = Path(__file__).resolve().parent


def resolve(path: str | os.PathLike[str] | None, default: Path | None = None) -> Path:
    """Resolve a user-given path: absolute stays, relative is taken from the project root.

    Why: ``analysis run --data data/sample`` must mean the same folder whether the
    command is started from the root, from ``notebooks/reports`` or by papermill.
    """
    if path is None or str(path) == "":
        if default is None:
            raise ValueError("no path given")
        return default
    p = Path(path).expanduser()
    if p.is_absolute():
        return p
    cwd_candidate = Path.cwd() / p
    root_candidate = PROJ_ROOT / p
    # Prefer the project root; fall back to the current directory for paths that only exist there
    # (a scheduler passing a path relative to where it was started).
    if root_candidate.exists() or not cwd_candidate.exists():
        return root_candidate
    return cwd_candidate.resolve()
