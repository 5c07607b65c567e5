"""The ``analysis`` command as a subprocess argv, for tests that run it the way cron does."""

from __future__ import annotations

import sys
from pathlib import Path


def analysis_cmd(*args: str | Path) -> list[str]:
    """``python -m analysis <args>`` with this interpreter (the project's venv)."""
    return [sys.executable, "-m", "analysis", *map(str, args)]
