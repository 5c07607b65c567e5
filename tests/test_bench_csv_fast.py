"""The pyarrow fast path of CSV reading gives exactly the cells and row numbers of the csv
module (the path small and ragged files take), so large ledgers load the same, only faster."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest

from analysis.io.text import _csv_frame_fast, read_csv_grid


def _reference(text: str) -> pd.DataFrame:
    rows = list(csv.reader(io.StringIO(text)))
    width = max(len(r) for r in rows)
    df = pd.DataFrame([r + [None] * (width - len(r)) for r in rows], dtype="str")
    df = df.apply(lambda c: c.where(c.str.strip().ne(""), None)).astype("str")
    df.index = pd.RangeIndex(1, len(df) + 1)
    return df


def _ledger(n: int) -> str:
    lines = ["日期,凭证号,部门,科目,摘要,金额"]
    for i in range(n):
        memo = f'"退款, 第{i}笔"' if i % 7 == 0 else ('"两行\n摘要"' if i % 11 == 0 else "摘要")
        amount = "" if i % 13 == 0 else ("  " if i % 17 == 0 else f"{i * 1.5:.2f}")
        lines.append(f"2026-03-{i % 28 + 1:02d},记-{i:05d},售前处,耳麦,{memo},{amount}")
    return "\r\n".join(lines) + "\r\n"


def test_fast_path_equals_csv_module(tmp_path: Path) -> None:
    text = _ledger(3000)
    assert len(text) > 65536
    assert _csv_frame_fast(text, ",") is not None  # the fast path is really taken
    path = tmp_path / "ledger.csv"
    path.write_text(text, encoding="utf-8-sig", newline="")
    grid = read_csv_grid(path, "ledger.csv", {})
    expected = _reference(text)
    assert grid.cells.shape == (3001, 6)
    pd.testing.assert_frame_equal(grid.cells, expected, check_column_type=False)
    assert grid.cells.loc[2, 4] == "退款, 第0笔"  # quoted comma kept in one cell
    assert grid.cells.loc[13, 4] == "两行\n摘要"  # newline inside quotes: one record
    assert pd.isna(grid.cells.loc[15, 5])  # row 15 = record 13: empty amount


@pytest.mark.parametrize("prefix", ["客服部费用明细\r\n单位:元\r\n", "\r\n"])
def test_ragged_files_fall_back(tmp_path: Path, prefix: str) -> None:
    text = prefix + _ledger(3000)
    assert _csv_frame_fast(text, ",") is None
    path = tmp_path / "ledger.csv"
    path.write_text(text, encoding="utf-8", newline="")
    grid = read_csv_grid(path, "ledger.csv", {})
    pd.testing.assert_frame_equal(grid.cells, _reference(text), check_column_type=False)
