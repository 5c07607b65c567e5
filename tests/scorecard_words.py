"""The scorer's codes in words, as the bulletin prints them: one copy for the scorecard tests."""

from __future__ import annotations

import pandas as pd

from analysis.views import scorecards as views_sc


def table_words(frame: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Scored rows with their explanation and reason in words (all columns kept)."""
    return frame.assign(
        explanation=views_sc.explanations(frame["items"], lang),
        reason=views_sc.reasons(frame["check"], lang),
    )


def list_words(lists: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    return lists.assign(reason=views_sc.list_reasons(lists, lang))


def check_list_words(to_check: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    return views_sc.to_check_words(to_check, lang)
