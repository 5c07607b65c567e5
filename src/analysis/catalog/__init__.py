"""Words, one catalog per language: ``catalog/<lang>/<area>.toml`` (common, budget, scorecard …).

Why: domain modules return numbers and stable codes; every word a reader sees (labels, statuses,
explanations, data-quality messages) is looked up here at the edge, so a Chinese and an English run
differ only in the catalog they read, and a test checks that every key exists in both.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from functools import cache
from pathlib import Path

HERE = Path(__file__).parent
LANGS = ("zh", "en")


def areas() -> list[str]:
    """The catalog areas (file stems), the same in every language."""
    return sorted(p.stem for p in (HERE / LANGS[0]).glob("*.toml"))


@cache
def labels(area: str, lang: str) -> dict[str, str]:
    """Every key → text of one area in one language (a missing file is an empty area)."""
    if lang not in LANGS:
        raise ValueError(f"不支持的语言 {lang!r} / unsupported language {lang!r}: use zh or en")
    path = HERE / lang / f"{area}.toml"
    if not path.is_file():
        return {}
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    return {str(k): str(v) for k, v in _flat(data).items()}


def _flat(d: dict, prefix: str = "") -> dict[str, object]:
    out: dict[str, object] = {}
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(_flat(v, key + "."))
        else:
            out[key] = v
    return out


def words(lang: str, *area_names: str) -> Callable[..., str]:
    """``t(key, **fmt)`` over the named areas (later areas win), then ``common``.

    An unknown key returns the key itself, so a missing word shows in review (and fails the
    catalog test) rather than crashing a scheduled run.
    """
    merged = dict(labels("common", lang))
    for a in area_names:
        merged.update(labels(a, lang))

    def t(key: str, **kwargs: object) -> str:
        text = merged.get(key, key)
        return text.format(**kwargs) if kwargs else text

    return t
