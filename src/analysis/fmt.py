"""Number formatting for people: 元 with thousands separators, percentages, counts.

Why: managers read these figures in HTML and e-mail; ``1234567.891`` must read ``1,234,567.89 元``
and a missing percentage must read ``—`` rather than ``nan`` or ``inf``.

The digits are laid out by Babel (CLDR number patterns for ``zh_CN`` and ``en``), so grouping
and signs follow the locale's data rather than hand-written f-strings; the patterns are fixed
(``#,##0.00``) so the figures read exactly as before in both languages. A value is rounded once
with Python's ``round`` before Babel sees it, so Babel's decimal rounding never disagrees with
the sums printed elsewhere. The unit words (元, 万元, CNY) stay here: the report's own style, not
CLDR's currency formats (which would print ``¥1,234.50`` / ``CN¥1,234.50``).
"""

from __future__ import annotations

import math
from functools import cache
from typing import Any

MISSING = "—"

#: The money unit shown after amounts: 元 in Chinese reports, CNY in English ones.
UNITS = {"zh": "元", "en": "CNY"}
#: Report language → the Babel locale whose number symbols are used.
LOCALES = {"zh": "zh_CN", "en": "en"}
_lang = "zh"
_unit = UNITS[_lang]  # read by analysis.plots.base; use money_unit() in new code


def use_lang(lang: str) -> None:
    """Show money in the report's language (called once by ``report.setup``)."""
    global _lang, _unit
    _lang = lang if lang in UNITS else "zh"
    _unit = UNITS[_lang]


def money_unit() -> str:
    """The money unit of the current report language: 元 or CNY."""
    return UNITS[_lang]


@cache
def _pattern(decimals: int, grouped: bool, signed: bool) -> Any:
    from babel.numbers import parse_pattern

    body = ("#,##0" if grouped else "0") + ("." + "0" * decimals if decimals > 0 else "")
    return parse_pattern(f"+{body};-{body}" if signed else body)


@cache
def _locale(lang: str) -> Any:
    from babel import Locale

    return Locale.parse(LOCALES[lang])


def _digits(v: float, decimals: int, *, grouped: bool = True, signed: bool = False) -> str:
    """``v`` rounded to ``decimals`` and laid out by the report language's number pattern."""
    v = round(v, decimals)
    if v == 0:
        v = 0.0  # no "-0.00"
    return _pattern(decimals, grouped, signed).apply(v, _locale(_lang))


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
    text = _digits(float(x), decimals, signed=signed)
    return f"{text} {UNITS[_lang]}" if unit else text


def wan(x: Any, *, decimals: int = 1) -> str:
    """``1234567`` → ``"123.5 万元"``: the unit managers use for large totals (English: millions)."""
    if _is_missing(x):
        return MISSING
    if _lang != "zh":
        return f"{_digits(float(x) / 1_000_000, decimals + 1)} m {UNITS[_lang]}"
    return f"{_digits(float(x) / 10000, decimals)} 万元"


def pct(x: Any, *, decimals: int = 1, signed: bool = False) -> str:
    """A fraction as a percentage: ``0.123`` → ``"12.3 %"``; missing (plan 0) → ``"—"``."""
    if _is_missing(x):
        return MISSING
    return f"{_digits(float(x) * 100, decimals, grouped=False, signed=signed)} %"


def num(x: Any, *, decimals: int = 0) -> str:
    """A count or score with thousands separators: ``12345`` → ``"12,345"``."""
    if _is_missing(x):
        return MISSING
    return _digits(float(x), decimals)


def score(x: Any) -> str:
    """A KPI score as the bulletin prints it everywhere: up to two decimals, no trailing zeros
    (``78.5`` → ``"78.5"``, ``106.733`` → ``"106.73"``, ``80`` → ``"80"``)."""
    text = num(x, decimals=2)
    return text.rstrip("0").rstrip(".") if "." in text else text
