"""Every key of every catalog area exists in both languages, with the same {placeholders}."""

from __future__ import annotations

import re

import pytest

from analysis.catalog import LANGS, areas, labels, words


@pytest.mark.parametrize("area", areas())
def test_every_key_in_both_languages(area: str) -> None:
    zh, en = labels(area, "zh"), labels(area, "en")
    assert set(zh) == set(en), set(zh) ^ set(en)
    for key in zh:
        fields = [set(re.findall(r"{(\w+)", labels(area, lang)[key])) for lang in LANGS]
        assert fields[0] == fields[1], (area, key, fields)
        assert zh[key].strip() and en[key].strip(), (area, key)


def test_words_fall_back_to_the_key_and_format() -> None:
    t = words("en")
    assert t("no.such.key") == "no.such.key"
