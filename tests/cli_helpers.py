"""The ``analysis`` command as a subprocess argv, for tests that run it the way cron does."""

from __future__ import annotations

import sys
from pathlib import Path


def analysis_cmd(*args: str | Path) -> list[str]:
    """``python -m analysis <args>`` with this interpreter (the project's venv)."""
    return [sys.executable, "-m", "analysis", *map(str, args)]


def run_cmd(data: Path, out: Path, period: str, *extra: str | Path) -> list[str]:
    """``analysis run`` of one period from ``data`` into ``out``, with any further options."""
    return analysis_cmd("run", "--data", data, "--period", period, "--out", out, *extra)


def published(out: Path, period: str, text: str = "the previous publication") -> Path:
    """A published ``<out>/<period>/index.html`` holding ``text``: what a failed run must keep."""
    folder = out / period
    folder.mkdir(parents=True)
    marker = folder / "index.html"
    marker.write_text(text, encoding="utf-8")
    return marker
