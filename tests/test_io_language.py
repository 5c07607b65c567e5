"""The loader keeps codes and message fields, not words: one parse serves both languages."""

from __future__ import annotations

from pathlib import Path

from analysis.io import load_all


def test_one_cached_parse_words_its_messages_in_either_language(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "budget").mkdir(parents=True)
    (data / "budget" / "2026预算.csv").write_text(
        "科目,全年预算\n电话费,1200\n网络费,2400\n合计,3000\n", encoding="utf-8"
    )
    cache = tmp_path / "cache"
    zh = load_all(data, lang="zh", cache_dir=cache)
    entries = sorted(p.name for p in cache.iterdir())
    en = load_all(data, lang="en", cache_dir=cache)
    assert sorted(p.name for p in cache.iterdir()) == entries  # no second parse for English
    zh_msg = zh.dq.loc[zh.dq["code"] == "total_mismatch", "message"].item()
    en_msg = en.dq.loc[en.dq["code"] == "total_mismatch", "message"].item()
    assert "合计不符" in zh_msg and "3,000.00" in zh_msg and "3,600.00" in zh_msg
    assert en_msg.startswith("total does not match") and "3,600.00" in en_msg
    assert "fields" not in zh.dq.columns
