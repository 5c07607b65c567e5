"""Figures read as managers know them, laid out by Babel: separators, signs, units, missing."""

from __future__ import annotations

import pytest

from analysis import fmt


@pytest.fixture(params=["zh", "en"])
def lang(request: pytest.FixtureRequest):
    fmt.use_lang(request.param)
    yield request.param
    fmt.use_lang("zh")


def test_money_and_counts(lang: str) -> None:
    unit = "元" if lang == "zh" else "CNY"
    assert fmt.yuan(1234567.891) == f"1,234,567.89 {unit}"
    assert fmt.yuan(-1234.5, signed=True) == f"-1,234.50 {unit}"
    assert fmt.yuan(88, signed=True, unit=False) == "+88.00"
    assert fmt.yuan(-0.001) == f"0.00 {unit}"  # never "-0.00"
    assert fmt.num(12345) == "12,345" and fmt.score(78.46) == "78.46" and fmt.score(78.5) == "78.5"
    assert fmt.pct(0.12345) == "12.3 %" and fmt.pct(-0.05, signed=True) == "-5.0 %"
    assert fmt.pct(12.5) == "1250.0 %"  # percentages are not grouped
    assert fmt.pct(-0.0001) == "0.0 %"  # rounds to zero: no "-0.0 %"
    for missing in (None, float("nan"), float("inf"), "abc"):
        assert fmt.yuan(missing) == fmt.pct(missing) == fmt.num(missing) == fmt.MISSING


def test_large_totals_in_the_languages_unit() -> None:
    fmt.use_lang("zh")
    assert fmt.wan(1234567) == "123.5 万元"
    fmt.use_lang("en")
    try:
        assert fmt.wan(1234567) == "1.23 m CNY"
    finally:
        fmt.use_lang("zh")
