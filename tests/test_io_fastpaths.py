"""The loader's fast paths for big columns give exactly what the general paths give."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.io import totals as T
from analysis.io import values as V


def test_amount_fast_cast_and_general_path_agree() -> None:
    plain = pd.Series(["1234.5", "12", None, "-3.25", "1e3", "0"], dtype="str")
    vals, bad = V.parse_amount(plain)  # Arrow cast path
    assert vals.tolist()[:2] == [1234.5, 12.0] and np.isnan(vals.iloc[2])
    assert vals.tolist()[3:] == [-3.25, 1000.0, 0.0]
    assert not bad.any()
    mixed = pd.Series(["1234.5", "1,234.50", "(12)", "—", "x"], dtype="str")  # general path
    vals, bad = V.parse_amount(mixed)
    assert vals.tolist()[:3] == [1234.5, 1234.5, -12.0]
    assert bad.tolist() == [False, False, False, False, True]


def test_missing_arrow_path_matches_pandas_path() -> None:
    cells = ["", " - ", "—", "N/A", "null", "售前处", "a long description text", None, "0", "--"]
    arrow = pd.Series(cells, dtype="str")
    assert getattr(arrow.array, "_pa_array", None) is not None
    plain = pd.Series(cells, dtype=object)
    expected = [True, True, True, True, True, False, False, True, False, True]
    assert V.is_missing(arrow).tolist() == expected
    assert V.is_missing(plain.astype("string[python]")).tolist() == expected


def test_total_rows_found_in_any_label_column() -> None:
    labels = pd.DataFrame(
        {
            0: pd.Series(["2026-01-05", None, "合计", None, "2026-01-06"], dtype="str"),
            1: pd.Series(["工资", "小计", None, "Total", "话机"], dtype="str"),
        }
    )
    totals, derived = T.label_word_rows(labels)
    assert totals.tolist() == [False, True, True, True, False]
    assert not derived.any()
    levels = T.total_level(labels)
    assert levels.tolist()[0] == 0 and levels.tolist()[4] == 0
    assert (levels.iloc[1:4] > 0).all()


def test_word_search_over_a_column_s_bytes_never_misses_a_cell() -> None:
    """The one-pass test over a column's bytes may say "maybe" for a match spanning two cells
    (to|tal), but the per-cell test decides; every real match is found, in any chunk or slice."""
    col = pd.Series(["to", "tal", None, "Net savings", "说明", "本月合计"], dtype="str")
    labels = pd.DataFrame({0: col})
    totals, derived = T.label_word_rows(labels)
    assert totals.tolist() == [False, False, False, False, False, True]
    assert derived.tolist() == [False, False, False, True, False, False]
    # a slice of a column (Arrow offset != 0) and a column without any word
    sliced = labels.iloc[1:4].reset_index(drop=True)
    assert T.label_word_rows(sliced)[0].tolist() == [False, False, False]
    assert T.label_word_rows(sliced)[1].tolist() == [False, False, True]
    plain = pd.DataFrame({0: pd.Series(["工资", "话机", None], dtype="str")})
    assert not T.label_word_rows(plain)[0].any()
