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
    """Resolve a user-given folder or file: the one rule every command and notebook uses.

    The rule: an absolute path stays as given; a relative path is taken from the current
    directory when it exists there, else from the project root. Why: ``analysis run --data
    ./centre`` typed in a shell means the folder beside the person typing it, while the
    defaults (``data/sample``) and the paths papermill passes work from any directory
    (JupyterLab starts in ``notebooks/reports``). ``None`` or ``""`` gives ``default``.
    A path with a NUL byte is a :class:`~analysis.errors.UsageError`.
    """
    from analysis.errors import UsageError

    if path is None or str(path) == "":
        if default is None:
            raise UsageError("没有给出路径 / no path given")
        return default
    text = os.fspath(path) if not isinstance(path, str) else path
    if "\x00" in str(text):
        raise UsageError(f"路径无效 / invalid path: {text!r}")
    p = Path(text).expanduser()
    if p.is_absolute():
        return p.resolve()
    here = (Path.cwd() / p).resolve()
    if here.exists():
        return here
    return (PROJ_ROOT / p).resolve()
