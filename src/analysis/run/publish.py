"""Publishing a run: the build folder, the lock, the renames, recovery, FAILED pages, run.json.

Why it is built this way: everything is built in ``<out>/.build-<period>-<pid>/`` and renamed
into ``<out>/<period>/`` only when every report succeeded, so last month's (or this month's
previous) reports are never left half overwritten: a scheduler sees exit 0 and a complete
folder, or a non-zero exit and the old one. A run that failed leaves ``<out>/<period>.failed/``
with the FAILED pages; an OS error (full or read-only disk) becomes a
:class:`~analysis.errors.MachineFault` with a short FAILED page; a publish interrupted between
its two renames is undone by the next run (:func:`recover`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import platform
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis import __version__
from analysis.errors import EXIT_FAILED, EXIT_OK, EXIT_USAGE, BusyError, MachineFault
from analysis.faults import fault_paragraph
from analysis.io.cache import file_digest
from analysis.paths import PROJ_ROOT
from analysis.run.arguments import report_key

SNAPSHOT_DIR = ".snapshot"
#: Files of a published folder that belong to the whole run, not to one report.
RUN_FILES = ("index.html", "run.json", "data_quality.csv", "inputs_read.csv", ".logs", SNAPSHOT_DIR)
VERSIONED = (
    "pandas",
    "numpy",
    "matplotlib",
    "papermill",
    "nbconvert",
    "openpyxl",
    "python-calamine",
    "fastexcel",
    "pyarrow",
)


@dataclass
class RunResult:
    """What a run did: the exit code, the published (or failed) folder and the reason if any."""

    exit_code: int
    folder: Path | None = None
    index: Path | None = None
    message: str = ""
    manifest: dict[str, Any] = field(default_factory=dict)


@contextlib.contextmanager
def period_lock(out: Path, period: str, wait_s: float = 0.0):
    """Exclusive lock per output period: two runs never interleave in one folder."""
    out.mkdir(parents=True, exist_ok=True)
    lock_path = out / f".lock-{period}"
    fh = open(lock_path, "a+")  # noqa: SIM115 - held for the whole run, closed in finally
    deadline = time.monotonic() + max(0.0, wait_s)
    try:
        while True:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise BusyError(
                        f"另一个任务正在生成 {out / period}, 本次未执行。请稍后重试, 或加 --wait 秒数等待。\n"
                        f"Another run is already building {out / period}; this one did nothing. "
                        f"Try again later or pass --wait SECONDS."
                    ) from None
                time.sleep(0.2)
        yield
    finally:
        with contextlib.suppress(OSError):
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
        fh.close()


def recover(out: Path, period: str) -> None:
    """Undo a publish interrupted between its two renames (the old folder is kept aside)."""
    final = out / period
    for old in sorted(out.glob(f".old-{period}-*")):
        if not final.exists():
            old.rename(final)
        else:
            shutil.rmtree(old, ignore_errors=True)
    for stale in out.glob(f".build-{period}-*"):
        shutil.rmtree(stale, ignore_errors=True)


@contextlib.contextmanager
def build_folder(out_dir: Path, period: str):
    """A fresh ``<out>/.build-<period>-<pid>/`` for this run, removed whatever happens (a
    published build has been renamed away by then)."""
    recover(out_dir, period)
    build = out_dir / f".build-{period}-{os.getpid()}"
    if build.exists():
        shutil.rmtree(build)
    build.mkdir(parents=True)
    try:
        yield build
    finally:
        if build.exists():
            shutil.rmtree(build, ignore_errors=True)


def publish(build: Path, final: Path) -> None:
    """Swap ``build`` into ``final`` with renames on one file system."""
    old = final.with_name(f".old-{final.name}-{os.getpid()}")
    if final.exists():
        final.rename(old)
    try:
        build.rename(final)
    except OSError:
        if old.exists() and not final.exists():
            old.rename(final)  # the previous publication stays where it was
        raise
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)


def conclude(
    build: Path, out_dir: Path, period: str, failed: list[dict[str, Any]], manifest: dict, prog: Any
) -> RunResult:
    """The publish decision: every report ran → rename into ``<out>/<period>/`` (exit 0);
    any failed → keep the build as ``<out>/<period>.failed/`` and leave the published one (exit 1)."""
    if failed:
        dest = out_dir / f"{period}.failed"
        if dest.exists():
            shutil.rmtree(dest)
        build.rename(dest)
        names = ", ".join(f"{r['key']} ({r.get('error', '')})" for r in failed)
        pages = ", ".join(str(dest / r["html"]) for r in failed)
        msg = (
            f"报告生成失败: {names}。已发布的 {out_dir / period} 保持不变; 失败页面(含代码与错误信息): {pages}\n"
            f"Report(s) failed: {names}. The published folder {out_dir / period} was left untouched; "
            f"the failed page(s) with code and traceback: {pages}"
        )
        return RunResult(EXIT_FAILED, folder=dest, message=msg, manifest=manifest)
    final = out_dir / period
    with prog.stage("publish", str(final)):
        publish(build, final)
        stale = out_dir / f"{period}.failed"
        if stale.exists():
            shutil.rmtree(stale, ignore_errors=True)
    return RunResult(EXIT_OK, folder=final, index=final / "index.html", manifest=manifest)


def carry_over(final: Path, build: Path, books: Sequence[Path]) -> None:
    """``--only``: start from the published folder so the other reports stay published."""
    if not final.is_dir():
        return
    rerun = {b.stem for b in books}
    for item in final.iterdir():
        if item.name in RUN_FILES:
            continue
        if item.stem in rerun or item.stem.removeprefix("FAILED-") in rerun:
            continue
        if item.is_dir():
            shutil.copytree(item, build / item.name, dirs_exist_ok=True)
        else:
            shutil.copy2(item, build / item.name)


def kept_reports(build: Path, books: Sequence[Path]) -> list[dict[str, Any]]:
    """Reports carried over from an earlier run (``--only``), for the landing page."""
    ran = {b.stem for b in books}
    kept = []
    for html in sorted(build.glob("*.html")):
        if html.name == "index.html" or html.stem.startswith("FAILED-") or html.stem in ran:
            continue
        if (build / f"{html.stem}.ipynb").exists():
            kept.append(
                {
                    "name": html.stem,
                    "key": report_key(html),
                    "html": html.name,
                    "ok": True,
                    "kept": True,
                }
            )
    return kept


def display_path(p: Path) -> str:
    """A path as run.json and the landing page show it: relative to the project when inside."""
    try:
        return p.relative_to(PROJ_ROOT).as_posix()
    except ValueError:
        return str(p)


def versions() -> dict[str, str]:
    """Versions of the packages that shape a report, for run.json."""
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version(), "analysis": __version__}
    for pkg in VERSIONED:
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            out[pkg] = "not installed"
    return out


def outputs(folder: Path) -> list[dict[str, Any]]:
    """Every published file (not the hidden ones) with its size and sha256, for run.json."""
    files = []
    for p in sorted(folder.rglob("*")):
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts):
            files.append(
                {
                    "file": p.relative_to(folder).as_posix(),
                    "bytes": p.stat().st_size,
                    "sha256": file_digest(p),
                }
            )
    return files


REPORT_FIELDS = (
    "key",
    "notebook",
    "html",
    "ok",
    "error",
    "seconds_execute",
    "seconds_export",
    "skipped",
)


def manifest(
    summary: Any, params: dict[str, Any], results: list[dict[str, Any]], prog: Any, started: Any
) -> dict[str, Any]:
    """run.json without its ``outputs`` (added last by :func:`write_manifest`)."""
    dq, inputs = summary.dq, summary.inputs
    records = inputs.to_dict("records") if len(inputs) else []
    return {
        "status": "failed" if any(not r["ok"] for r in results) else "ok",
        "parameters": params,
        "started": started.isoformat(timespec="seconds"),
        "finished": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "inputs": json.loads(json.dumps(records, default=str)),
        "readings": _reading_records(inputs),
        "snapshot": _snapshot_entry(summary.snapshot),
        "reports": [{k: r.get(k) for k in REPORT_FIELDS if k in r} for r in results],
        "data_quality": {
            s: int((dq["severity"] == key).sum()) if len(dq) else 0
            for s, key in (("errors", "error"), ("warnings", "warning"), ("info", "info"))
        },
        "seconds": dict(prog.stages),
        "versions": versions(),
        "host": {"platform": platform.platform(), "cpus": os.cpu_count()},
    }


def write_manifest(build: Path, record: dict[str, Any]) -> dict[str, Any]:
    """Every other output with its checksum, then run.json; run.json cannot describe itself,
    so it is written once, last (an earlier draft listed a stale checksum of its own)."""
    record["outputs"] = outputs(build)
    (build / "run.json").write_text(
        json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return record


def _snapshot_entry(snapshot: Path | None) -> dict[str, Any] | None:
    """run.json "snapshot": where the data the reports read is, and its rows per frame."""
    if snapshot is None:
        return None
    try:
        rows = json.loads((snapshot / "snapshot.json").read_text(encoding="utf-8"))["rows"]
    except (OSError, ValueError, KeyError):
        rows = {}
    return {"folder": SNAPSHOT_DIR, "rows": rows}


def _reading_records(inputs: Any) -> list[dict[str, Any]]:
    """run.json "readings": the readings as records, blanks as null."""
    from analysis.overview import readings

    frame = readings(inputs)
    return json.loads(frame.to_json(orient="records", force_ascii=False, default_handler=str))


@contextlib.contextmanager
def machine_faults(out_dir: Path, period: str):
    """Turn an OS error while building or publishing into a :class:`MachineFault`.

    By the time it gets here the build folder is gone (freeing the space a full disk needs),
    the published ``<out>/<period>/`` is untouched (publish puts it back if its swap failed),
    and a short FAILED page is written to ``<out>/<period>.failed/FAILED.html`` if at all
    possible; the next run's :func:`recover` removes any ``.build-*``/``.old-*`` leftovers.
    """
    try:
        yield
    except OSError as exc:
        published = out_dir / period
        for leftover in out_dir.glob(f".build-{period}-{os.getpid()}"):
            shutil.rmtree(leftover, ignore_errors=True)
        msg = fault_paragraph(
            exc,
            "写入输出文件夹",
            "Writing the output folder",
            path=out_dir,
            after_zh=f"本次未发布, 已发布的 {published} 保持不变。",
            after_en=f"Nothing was published; {published} was left as it was. ",
        )
        page = _write_fault_page(out_dir / f"{period}.failed", msg)
        if page is not None:
            msg += f" (FAILED: {page})"
        raise MachineFault(msg, EXIT_USAGE, page.parent if page else None) from None


def _write_fault_page(folder: Path, message: str) -> Path | None:
    """A minimal FAILED page (a few hundred bytes, written after the build folder was
    removed); None when even that cannot be written."""
    import html as _html

    page = folder / "FAILED.html"
    try:
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        stamp = dt.datetime.now().astimezone().isoformat(timespec="seconds")
        page.write_text(
            "<!DOCTYPE html><meta charset='utf-8'><title>FAILED</title>"
            f"<h1>FAILED</h1><p>{_html.escape(message)}</p><p>{stamp}</p>",
            encoding="utf-8",
        )
        return page
    except OSError:
        with contextlib.suppress(OSError):
            page.unlink()
        return None
