"""One error model: every error the workbook raises on purpose is an :class:`AnalysisError`.

Why: a scheduler needs one exit code per kind of failure and a person needs one paragraph saying
what to fix, never a traceback. Each kind says its exit code once, here (:data:`EXIT_CODES`), and
``analysis.cli.main``, ``analysis.run.orchestrate.run`` and ``analysis check`` all ask
:func:`exit_code_for`. Anything that is not an ``AnalysisError`` (or an ``OSError``, worded by
``analysis.faults``) is a bug: exit 1 with the traceback in a log file.

This module imports nothing heavy, so ``analysis.io`` and the domain modules can inherit from it.
"""

from __future__ import annotations

import re
from pathlib import Path

#: Exit codes of the ``analysis`` command (see ``analysis run --help``).
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_BUSY = 0, 1, 2, 3


class AnalysisError(Exception):
    """Base of every error the workbook raises on purpose; ``str(err)`` is the message to show."""


class UsageError(AnalysisError):
    """Bad arguments or unusable input: exit 2, nothing published."""


class BusyError(AnalysisError):
    """Another run holds the lock for the same output period: exit 3, nothing touched."""


class ConfigError(AnalysisError, ValueError):
    """A config file that cannot be read or has a value of the wrong kind: exit 2.

    ``file`` and ``line`` (1-based, 0 when unknown) say where, so the message can name them.
    """

    def __init__(self, message: str, *, file: str | Path = "", line: int = 0) -> None:
        super().__init__(message)
        self.file, self.line = str(file), line


class FrameError(AnalysisError, ValueError):
    """A DataFrame given to the public API lacks a column or holds values of the wrong kind;
    the message names the column (and what was expected), not a pandas KeyError."""


class MachineFault(AnalysisError):
    """The machine failed the run (full or read-only disk, permissions): exit 2, one paragraph,
    the previous publication intact, a FAILED page in ``folder`` when one could be written."""

    def __init__(
        self, message: str, exit_code: int = EXIT_USAGE, folder: Path | None = None
    ) -> None:
        super().__init__(message)
        self.exit_code, self.folder = exit_code, folder


#: Error kind → exit code; the first class in an error's MRO found here wins.
#: ``InputError`` (``analysis.io.errors``) inherits UsageError's code through AnalysisError.
EXIT_CODES: dict[type[BaseException], int] = {
    BusyError: EXIT_BUSY,
    UsageError: EXIT_USAGE,
    ConfigError: EXIT_USAGE,
    FrameError: EXIT_USAGE,
    MachineFault: EXIT_USAGE,
    AnalysisError: EXIT_USAGE,
    OSError: EXIT_USAGE,
    KeyboardInterrupt: 130,
}


def exit_code_for(exc: BaseException) -> int:
    """The exit code of an error: its own ``exit_code`` if set (a MachineFault may carry one),
    else the first of its classes in :data:`EXIT_CODES`, else 1 (a bug)."""
    own = getattr(exc, "exit_code", None)
    if isinstance(own, int) and isinstance(exc, AnalysisError):
        return own
    for cls in type(exc).__mro__:
        if cls in EXIT_CODES:
            return EXIT_CODES[cls]
    return EXIT_FAILED


_TOML_WHERE = re.compile(r"\(at line (\d+), column (\d+)\)")


def toml_error(path: str | Path, exc: Exception) -> ConfigError:
    """A :class:`ConfigError` for a TOML file that does not parse, naming the file and the line.

    Python 3.11's ``TOMLDecodeError`` carries the place only in its text ("… (at line 3, column
    1)"); 3.14 adds ``lineno``/``colno``. Both are read.
    """
    line = int(getattr(exc, "lineno", 0) or 0)
    col = int(getattr(exc, "colno", 0) or 0)
    text = str(exc)
    found = _TOML_WHERE.search(text)
    if found and not line:
        line, col = int(found.group(1)), int(found.group(2))
    reason = _TOML_WHERE.sub("", getattr(exc, "msg", None) or text).strip()
    where_zh = f"第 {line} 行第 {col} 列" if line else "文件末尾"
    where_en = f"line {line}, column {col}" if line else "the end of the file"
    return ConfigError(
        f"配置文件 {path} {where_zh}无法解析: {reason}。请修正该行后重新运行, 未发布任何内容。 / "
        f"Config file {path} is not valid TOML at {where_en}: {reason}. Fix that line and run "
        f"again; nothing was published.",
        file=path,
        line=line,
    )


__all__ = [
    "EXIT_BUSY",
    "EXIT_CODES",
    "EXIT_FAILED",
    "EXIT_OK",
    "EXIT_USAGE",
    "AnalysisError",
    "BusyError",
    "ConfigError",
    "FrameError",
    "MachineFault",
    "UsageError",
    "exit_code_for",
    "toml_error",
]
