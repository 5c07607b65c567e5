"""Machine faults as one paragraph: a path, the system's reason and what to do, zh / en.

Why: a permission problem, a read-only or full disk or a missing kernel is not a bug in the
workbook; the person who scheduled the run must see which path failed and why, in words, not a
Python traceback. The runner, the CLI and the file reader all word such faults here.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import tempfile
import traceback
from pathlib import Path

# errno → (what it means, what to do), zh and en.
_ADVICE: dict[int, tuple[str, str, str, str]] = {
    errno.ENOSPC: (
        "磁盘空间已满",
        "请清理磁盘空间后重新运行",
        "the disk is full",
        "free some space and run again",
    ),
    errno.EDQUOT: (
        "磁盘配额已用完",
        "请清理空间或请管理员提高配额后重新运行",
        "the disk quota is used up",
        "free some space or ask for a larger quota, then run again",
    ),
    errno.EROFS: (
        "文件系统是只读的",
        "请用 --out 指定一个可写的文件夹",
        "the file system is read-only",
        "pass --out with a writable folder",
    ),
    errno.EACCES: (
        "没有权限",
        "请检查该路径的权限,或换一个有权限的位置",
        "permission denied",
        "check the permissions of that path or use another location",
    ),
    errno.EPERM: (
        "操作不被允许",
        "请检查该路径的权限,或换一个有权限的位置",
        "operation not permitted",
        "check the permissions of that path or use another location",
    ),
    errno.ENOENT: (
        "路径不存在",
        "请检查路径是否正确、磁盘或网络盘是否已挂载",
        "the path does not exist",
        "check the path and that its disk or network share is mounted",
    ),
    errno.EIO: (
        "磁盘读写错误",
        "请检查磁盘或网络盘后重新运行",
        "an input/output error occurred",
        "check the disk or network share and run again",
    ),
}


def os_reason(exc: OSError) -> tuple[str, str]:
    """(zh, en) of what the system said, with its own words in brackets (strerror)."""
    code = exc.errno if isinstance(exc.errno, int) else -1
    raw = exc.strerror or (os.strerror(code) if code > 0 else str(exc)) or type(exc).__name__
    raw = " ".join(str(raw).split())
    if code in _ADVICE:
        zh, _, en, _ = _ADVICE[code]
        return f"{zh}({raw})", f"{en} ({raw})"
    return raw, raw


def os_advice(exc: OSError) -> tuple[str, str]:
    """(zh, en) of what to do about this errno; a generic line for the rest."""
    code = exc.errno if isinstance(exc.errno, int) else -1
    if code in _ADVICE:
        _, zh, _, en = _ADVICE[code]
        return zh, en
    return "请检查该路径后重新运行", "check that path and run again"


def fault_paragraph(
    exc: OSError,
    doing_zh: str,
    doing_en: str,
    path: str | os.PathLike[str] | None = None,
    after_zh: str = "",
    after_en: str = "",
) -> str:
    """One paragraph: ``<doing> <path> failed: <reason>. <after> <advice>`` in zh / en.

    ``path`` is used when the error itself names none (a write to an open file on a full disk
    carries no file name); the error's own file name wins when it has one.
    """
    where = exc.filename if exc.filename else path
    where_txt = f" {os.fspath(where)}" if where else ""
    reason_zh, reason_en = os_reason(exc)
    advice_zh, advice_en = os_advice(exc)
    zh = f"{doing_zh}{where_txt} 失败:{reason_zh}。{after_zh}{advice_zh}。"
    en = f"{doing_en}{where_txt} failed: {reason_en}. {after_en}{advice_en[:1].upper()}{advice_en[1:]}."
    return f"{zh} / {en}"


def write_crash_log(exc: BaseException, folders: list[Path]) -> Path | None:
    """The traceback of an unexpected error in a file: the first writable folder, else the
    system temp folder; None if nothing could be written (the message then says so)."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    for folder in [*folders, Path(tempfile.gettempdir())]:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"analysis-error-{stamp}-{os.getpid()}.log"
            path.write_text(text, encoding="utf-8")
            return path
        except OSError:
            continue
    return None
