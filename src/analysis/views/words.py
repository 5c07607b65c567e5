"""The words of a view or chart: ``catalog.words`` with the shared common words beneath.

Why a module of its own: until ``catalog/<lang>/common.toml`` exists in every checkout, the common
words (file, sheet, severity …) still come from ``analysis.i18n.COMMON``; once the catalog holds
them this is exactly ``catalog.words``.
"""

from __future__ import annotations

from collections.abc import Callable

from analysis import catalog
from analysis.i18n import COMMON


def words(lang: str, *areas: str) -> Callable[..., str]:
    """``t(key, **fmt)`` over ``areas`` then the common words, in ``lang`` (zh or en)."""
    t = catalog.words(lang, *areas)
    if catalog.labels("common", lang):
        return t
    common = COMMON[lang]

    def with_common(key: str, **kwargs: object) -> str:
        text = t(key, **kwargs)
        if text == key and key in common:
            return common[key].format(**kwargs) if kwargs else common[key]
        return text

    return with_common
