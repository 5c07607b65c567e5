"""The run's arguments and folders, checked before anything is loaded.

Why: a bad period, a missing data folder, an output folder inside the data or a read-only
``--out`` must stop the run at once with exit 2 and one paragraph, before any file is read or
written.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from analysis.errors import UsageError
from analysis.faults import fault_paragraph
from analysis.paths import REPORT_NOTEBOOKS_DIR, REPORTS_DIR, SAMPLE_DATA_DIR, resolve

PERIOD_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
NOTHING_ZH, NOTHING_EN = "未发布任何内容。", "Nothing was published. "


def validate_period(period: str) -> str:
    """``YYYY-MM`` or a usage error (also keeps ``../../x`` out of output paths)."""
    if not isinstance(period, str) or not PERIOD_RE.match(period):
        raise UsageError(
            f"期间格式不正确: {period!r}。请使用 YYYY-MM, 例如 2026-10。\n"
            f"Bad period {period!r}: use YYYY-MM, for example 2026-10."
        )
    return period


def resolve_dir(value: str | os.PathLike[str] | None, default: Path) -> Path:
    """A folder argument, by the one rule of :func:`analysis.paths.resolve` (absolute as
    given; relative from the current directory if it exists there, else the project root)."""
    return resolve(value, default)


def report_key(nb: Path) -> str:
    """``10_budget.ipynb`` → ``budget``: the report's name in links, headlines and --only."""
    return re.sub(r"^\d+[_-]", "", nb.stem)


def report_notebooks(only: Sequence[str] | None = None, folder: Path | None = None) -> list[Path]:
    """The report notebooks in run order, optionally only those named (``budget`` or ``10_budget``)."""
    folder = folder or REPORT_NOTEBOOKS_DIR
    books = sorted(p for p in folder.glob("*.ipynb") if not p.name.startswith("."))
    if not only:
        return books
    wanted = {o.removesuffix(".ipynb") for o in only}
    chosen = [b for b in books if b.stem in wanted or report_key(b) in wanted]
    missing = wanted - {b.stem for b in chosen} - {report_key(b) for b in chosen}
    if missing:
        names = ", ".join(report_key(b) for b in books)
        raise UsageError(
            f"找不到报告 {', '.join(sorted(missing))}; 可选: {names}。\n"
            f"No report named {', '.join(sorted(missing))}; available: {names}."
        )
    return chosen


def run_folders(data: Any, out: Any) -> tuple[Path, Path]:
    """The data and output folders of a run, resolved and checked (see :func:`check_folders`)."""
    data_dir = resolve_dir(data, SAMPLE_DATA_DIR)
    out_dir = resolve_dir(out, REPORTS_DIR)
    if not data_dir.is_dir():
        raise UsageError(
            f"数据文件夹不存在: {data_dir}。请用 --data 指定包含 budget/、actuals/、scorecards/ 的文件夹。\n"
            f"Data folder not found: {data_dir}. Pass --data with a folder holding budget/, actuals/, scorecards/."
        )
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"输出路径不是文件夹 / output path is not a folder: {out_dir}")
    if out_dir == data_dir or data_dir in out_dir.parents:
        raise UsageError(
            f"输出文件夹不能在数据文件夹内 (原始数据只读): {out_dir}\n"
            f"The output folder must not be inside the data folder (raw inputs are read-only): {out_dir}"
        )
    check_folders(data_dir, out_dir)
    return data_dir, out_dir


def check_folders(data_dir: Path, out_dir: Path) -> None:
    """Preflight before loading: the data folder can be listed and read, the output folder
    written (see :func:`check_output_folder`); a usage error with the path and reason if not."""
    if not os.access(data_dir, os.R_OK | os.X_OK):
        exc = OSError(errno.EACCES, os.strerror(errno.EACCES), str(data_dir))
        raise UsageError(
            fault_paragraph(
                exc,
                "无法读取数据文件夹",
                "Cannot read the data folder",
                after_zh=NOTHING_ZH,
                after_en=NOTHING_EN,
            )
        )
    check_output_folder(out_dir)


def check_output_folder(out_dir: Path) -> None:
    """Before loading anything: the output folder (or the folder it will be made in) must be
    writable, so a read-only or forbidden ``--out`` stops the run at once with exit 2.

    Uses ``os.access`` on the nearest existing folder (nothing is created here); a read-only
    file system is named as such. Root passes permission checks, so writes that still fail
    later are caught by :func:`analysis.run.publish.machine_faults`.
    """
    probe = out_dir
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if not probe.is_dir():
        raise UsageError(f"输出路径不是文件夹 / output path is not a folder: {probe}")
    if os.access(probe, os.W_OK | os.X_OK):
        return
    code = errno.EACCES
    with contextlib.suppress(OSError, AttributeError):
        if os.statvfs(probe).f_flag & os.ST_RDONLY:
            code = errno.EROFS
    exc = OSError(code, os.strerror(code), str(probe))
    raise UsageError(
        fault_paragraph(
            exc,
            "无法写入输出文件夹",
            "Cannot write the output folder:",
            after_zh=NOTHING_ZH,
            after_en=NOTHING_EN,
        )
    )


def os_fault_message(exc: OSError, data: Any, out: Any) -> str:
    """An OS error outside the build (reading inputs, creating the output folder)."""
    name = Path(os.fsdecode(exc.filename)) if exc.filename else None
    with contextlib.suppress(UsageError, OSError, ValueError):
        data_dir = resolve_dir(data, SAMPLE_DATA_DIR)
        if name is not None and (name == data_dir or data_dir in name.parents):
            return fault_paragraph(
                exc, "读取输入文件", "Reading the input", after_zh=NOTHING_ZH, after_en=NOTHING_EN
            )
    with contextlib.suppress(UsageError, OSError, ValueError):
        out_dir = resolve_dir(out, REPORTS_DIR)
        return fault_paragraph(
            exc,
            "写入输出文件夹",
            "Writing the output folder",
            path=out_dir,
            after_zh=NOTHING_ZH,
            after_en=NOTHING_EN,
        )
    return fault_paragraph(exc, "访问", "Accessing", after_zh=NOTHING_ZH)
