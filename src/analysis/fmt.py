"""Number formatting for people: 元 with thousands separators, percentages, counts.

Why: managers read these figures in HTML and e-mail; ``1234567.891`` must read ``1,234,567.89 元``
and a missing percentage must read ``—`` rather than ``nan`` or ``inf``.
"""

from __future__ import annotations

import math
from typing import Any

MISSING = "—"

#: The money unit shown after amounts: 元 in Chinese reports, CNY in English ones.
UNITS = {"zh": "元", "en": "CNY"}
_unit = UNITS["zh"]


def use_lang(lang: str) -> None:
    """Show money in the report's language (called once by ``report.setup``)."""
    global _unit
    _unit = UNITS.get(lang, UNITS["zh"])


def _is_missing(x: Any) -> bool:
    if x is None:
        return True
    try:
        return bool(math.isnan(float(x))) or math.isinf(float(x))
    except (TypeError, ValueError):
        return True


def yuan(x: Any, *, unit: bool = True, decimals: int = 2, signed: bool = False) -> str:
    """``1234.5`` → ``"1,234.50 元"``; ``signed=True`` puts ``+`` on positive values (variances)."""
    if _is_missing(x):
        return MISSING
    v = round(float(x), decimals)
    if v == 0:
        v = 0.0  # no "-0.00"
    text = f"{v:+,.{decimals}f}" if signed else f"{v:,.{decimals}f}"
    return f"{text} {_unit}" if unit else text


def wan(x: Any, *, decimals: int = 1) -> str:
    """``1234567`` → ``"123.5 万元"``: the unit managers use for large totals."""
    if _is_missing(x):
        return MISSING
    if _unit != UNITS["zh"]:
        return f"{float(x) / 1_000_000:,.{decimals + 1}f} m {_unit}"
    return f"{float(x) / 10000:,.{decimals}f} 万元"


def pct(x: Any, *, decimals: int = 1, signed: bool = False) -> str:
    """A fraction as a percentage: ``0.123`` → ``"12.3 %"``; missing (plan 0) → ``"—"``."""
    if _is_missing(x):
        return MISSING
    v = float(x) * 100
    text = f"{v:+.{decimals}f}" if signed else f"{v:.{decimals}f}"
    return f"{text} %"


def num(x: Any, *, decimals: int = 0) -> str:
    """A count or score with thousands separators: ``12345`` → ``"12,345"``."""
    if _is_missing(x):
        return MISSING
    return f"{float(x):,.{decimals}f}"


def score(x: Any) -> str:
    """A KPI score, one decimal: ``78.5`` → ``"78.5"``."""
    return num(x, decimals=1)
