"""Report labels in Chinese (default) and English: the older translator, now a shim.

Why: managers read Chinese; the same report must also render in English (``--lang en``). Words
live in the catalog (:mod:`analysis.catalog`, ``catalog/<lang>/<area>.toml``); modules not yet
moved there still pass their own label tables to :func:`translator`, which adds the catalog's
``common`` words. New code uses :func:`analysis.catalog.words`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from analysis.catalog import labels

LANGS = ("zh", "en")

#: The words every report shares, read from the catalog (``catalog/<lang>/common.toml``).
COMMON: dict[str, dict[str, str]] = {lang: labels("common", lang) for lang in LANGS}


def check_lang(lang: str) -> str:
    """Return ``lang`` if supported, else raise a ValueError a user can act on."""
    if lang not in LANGS:
        raise ValueError(
            f"不支持的语言 {lang!r} / unsupported language {lang!r}: use one of {', '.join(LANGS)}"
        )
    return lang


def translator(lang: str, *tables: Mapping[str, Mapping[str, str]]) -> Callable[..., str]:
    """A ``t(key, **fmt)`` function looking ``key`` up in ``tables`` then the common labels.

    An unknown key returns the key itself, so a missing translation shows up in review rather
    than crashing a scheduled run.
    """
    check_lang(lang)
    merged: dict[str, str] = dict(COMMON[lang])
    for table in tables:
        merged.update(table.get(lang, {}))

    def t(key: str, **kwargs: object) -> str:
        text = merged.get(key, key)
        return text.format(**kwargs) if kwargs else text

    return t
