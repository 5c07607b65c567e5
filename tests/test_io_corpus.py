"""The malformed-input corpus: each file in tests/corpus/files with its expected outcome.

Expectations are written by hand in tests/corpus/make_corpus.py next to each file's content and
stored in tests/corpus/expected.json: rows loaded/reported, figures, the exact data-quality rows
(severity:code@row), or the fatal message's key words.
"""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis.io import InputError, load_all

CORPUS = Path(__file__).parent / "corpus"
CASES = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))["cases"]
FOLDER = {
    "budget": "budget",
    "actuals": "actuals",
    "scorecards": "scorecards",
    "staffing": "staffing",
}


def _place(tmp_path: Path, case: dict) -> str:
    src = CORPUS / "files" / case["file"]
    kind = case["kind"]
    rel = "roster" + src.suffix if kind == "roster" else f"{FOLDER[kind]}/{src.name}"
    (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(src, tmp_path / rel)
    if "config" in case:  # a pinned reading ([[read]] in config.toml)
        (tmp_path / "config.toml").write_text(case["config"], encoding="utf-8")
    if kind not in ("budget", "actuals"):
        # load_all needs a budget or actuals file; a one-line ledger keeps the folder valid.
        (tmp_path / "actuals").mkdir(exist_ok=True)
        (tmp_path / "actuals" / "min.csv").write_text(
            "日期,科目,金额\n2026-01-05,工资,1\n", encoding="utf-8"
        )
    return rel


def _same(got, want) -> bool:
    if want is None:
        return (
            got is None or got == "" or (isinstance(got, float) and math.isnan(got)) or pd.isna(got)
        )
    if isinstance(got, pd.Timestamp):
        return str(got.date()) == want
    if isinstance(want, float):
        return abs(float(got) - want) < 0.005
    return got == want


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_corpus_case(case: dict, tmp_path: Path) -> None:
    rel = _place(tmp_path, case)
    if "error" in case:
        with pytest.raises(InputError) as err:
            load_all(tmp_path, use_cache=False)
        for word in case["error"]:
            assert word in str(err.value), (word, str(err.value))
        return
    ds = load_all(tmp_path, use_cache=False)
    frame = getattr(ds, case["frame"])
    mine = frame[frame["source_file"] == rel].reset_index(drop=True)
    inputs = ds.inputs[ds.inputs["file"] == rel]
    for key in ("rows_read", "rows_loaded", "rows_reported"):
        if key in case:
            assert int(inputs[key].sum()) == case[key], (key, inputs.to_dict("records"))
    if "amount_loaded" in case:
        assert abs(inputs["amount_loaded"].sum() - case["amount_loaded"]) < 0.005
    if "amount_read" in case:
        assert abs(inputs["amount_read"].sum() - case["amount_read"]) < 0.005
    if "n_rows" in case:
        assert len(mine) == case["n_rows"]
    for name, n in case.get("other", {}).items():
        other = getattr(ds, name)
        assert (other["source_file"] == rel).sum() == n
    dq = ds.dq[ds.dq["file"] == rel]
    got = sorted(
        f"{s}:{c}@{'' if pd.isna(r) else int(r)}"
        for s, c, r in zip(dq["severity"], dq["code"], dq["row"], strict=True)
    )
    if "dq" in case:
        assert got == sorted(case["dq"])
    for key, words in case.get("messages", {}).items():
        code, row = key.split("@")
        msgs = dq[(dq["code"] == code) & (dq["row"].astype("string") == row)]["message"].tolist()
        assert msgs and all(w in msgs[0] for w in words), (key, msgs)
    for want in case.get("values", []):
        want = dict(want)
        at = want.pop("at", 0)
        row = mine.iloc[at]
        for col, value in want.items():
            assert _same(row[col], value), (col, row[col], value)


def test_corpus_has_thirty_files() -> None:
    files = list((CORPUS / "files").iterdir())
    assert len(files) >= 30
    assert {c["file"] for c in CASES} == {f.name for f in files}
