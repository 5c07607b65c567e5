"""Plan categories that match a ledger label only after normalisation are proposed, with the
config line that accepts them (issue 10 item 6)."""

from __future__ import annotations

import pandas as pd

from analysis.budget import propose_category, unmapped_labels
from analysis.config import load_config


def test_propose_strips_budget_words_and_account_numbers() -> None:
    cats = ["市场调研费用预算", "培训成本", "Office Supplies Budget"]
    assert propose_category("市场调研", cats) == "市场调研费用预算"
    assert propose_category("培训费", cats) == "培训成本"
    assert propose_category("6010 Office supplies", cats) == "Office Supplies Budget"
    assert propose_category("差旅", cats) is None  # nothing alike: no guess


def test_unmapped_labels_carry_the_config_line() -> None:
    plan = pd.DataFrame(
        {
            "period": ["2026-03"],
            "department": [""],
            "category": ["市场调研费用预算"],
            "item": [""],
            "plan": [900.0],
            "revised_plan": [float("nan")],
            "kind": ["cost"],
            "source_file": ["b.xlsx"],
            "source_sheet": [""],
            "source_row": [2],
        }
    )
    actuals = pd.DataFrame(
        {
            "date": pd.to_datetime(["2026-03-04", "2026-03-09"]),
            "period": ["2026-03", "2026-03"],
            "department": ["", ""],
            "category": ["市场调研", "快递"],
            "item": ["", ""],
            "amount": [412.5, 37.0],
            "description": ["", ""],
            "voucher": ["", ""],
            "source_file": ["l.csv", "l.csv"],
            "source_sheet": ["", ""],
            "source_row": [2, 3],
        }
    )
    got = unmapped_labels(actuals, plan, "2026-03", load_config()).set_index("label")
    assert got.loc["市场调研", "proposed"] == "市场调研费用预算"
    assert got.loc["市场调研", "config_line"] == '"市场调研" = "市场调研费用预算"'
    assert got.loc["市场调研", "amount_ytd"] == 412.5
    assert got.loc["快递", "proposed"] == "" and got.loc["快递", "config_line"] == ""
