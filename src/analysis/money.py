"""Money rules shared by the loader and the reports: 元 ↔ 分, the annual spread, revenue lines.

Why one module: the loader (``analysis.io``) and the budget domain (``analysis.budget``) both
spread annual amounts over the months and both decide which lines are revenue; two copies of a
rule drift apart (they once rounded 7 分 over 12 months differently). Both import it from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd


def to_fen(values: pd.Series) -> np.ndarray:
    """元 → 分 as float64, not rounded per line (a blank or unreadable amount counts as 0).

    Why not integers: real ledgers carry sub-分 amounts (a yearly 188,500 booked as
    12 × 15,708.333…); rounding each line would drift from the stated totals, so sums are
    rounded once, at output (:func:`to_yuan`).
    """
    return pd.to_numeric(values, errors="coerce").fillna(0.0).to_numpy(float) * 100


def to_yuan(fen: pd.Series | np.ndarray) -> np.ndarray:
    """分 → 元 rounded to 2 decimals (the one rounding of a sum)."""
    return np.round(np.asarray(fen, dtype="float64") / 100.0, 2)


def spread_fen(total_fen: np.ndarray, weights: list[float] | np.ndarray) -> np.ndarray:
    """Split integer 分 totals over the months by weights, exactly: an (n, 12) int64 array.

    Rule: month m gets round(total × cumulative weight to m) − the same to m − 1. Each row's
    parts add up to its total, each part is within 1 分 of its exact share, and every
    year-to-date sum is the exact share rounded to the 分 (335,500 over 12 → 251,625.00 to
    September), which is what a reader checks (7 分 equally → 1,0,1,0,1,0,1,1,0,1,0,1).
    """
    total = np.asarray(total_fen, dtype="float64")
    w = np.asarray(weights, dtype="float64")
    cum = np.concatenate([[0.0], np.cumsum(w / w.sum())])
    cum[-1] = 1.0
    marks = np.round(np.outer(total, cum))
    return np.diff(marks, axis=1).astype("int64")


def revenue_names(cfg: Mapping[str, Any] | None) -> set[str]:
    """[budget].revenue_categories, normalised for matching (the loader's label normalisation)."""
    from analysis.io.values import norm  # here, not on top: analysis.io imports this module

    return {norm(x) for x in ((cfg or {}).get("budget", {}) or {}).get("revenue_categories", [])}


def is_revenue(labels: pd.Series, cfg: Mapping[str, Any] | None) -> pd.Series:
    """True where a category label names revenue ([budget].revenue_categories, normalised).

    Why: revenue lines are favourable when above plan and are left out of spending totals; the
    loader (sign of a ledger line) and the reports must agree on which lines they are.
    """
    from analysis.io.values import norm_series

    names = revenue_names(cfg)
    if not names or labels.empty:
        return pd.Series(False, index=labels.index, dtype=bool)
    text = labels if pd.api.types.is_string_dtype(labels.dtype) else labels.astype(object)
    text = text.where(text.notna(), "").astype(str) if text.dtype == object else text.fillna("")
    # Normalise each distinct label once (a ledger repeats a few dozen labels a million times).
    codes, uniq = pd.factorize(text)
    hit = norm_series(pd.Series(uniq, dtype="str")).isin(names).fillna(False).to_numpy(bool)
    return pd.Series(np.append(hit, False)[codes], index=labels.index, dtype=bool)
