"""The roster loader: agents, teams, roles and leaders."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from analysis.io import rows
from analysis.io import values as V
from analysis.io.header import Table
from analysis.schema import (
    ROSTER_COLUMNS,
)


def canonical_role(s: pd.Series, cfg: Mapping[str, Any]) -> pd.Series:
    lookup = {V.norm(a): role for role, names in cfg.get("roles", {}).items() for a in names}
    lookup.update({role: role for role in cfg.get("roles", {})})
    return V.norm_series(s.fillna("")).map(lookup)


def roster_table(table: Table, cfg: Mapping[str, Any]) -> rows.Part:
    if not table.has("agent_id"):
        raise rows.missing_field(table, "agent_id", cfg, "工号", "agent ID")
    cls = rows.classify(table, [], sections=False, keep=table.col("agent_id"))
    # A roster has no amount columns: only totals and one-cell notes are structure.
    rows.report_structure(table, cls)
    lines = cls["kind"] == "line"
    agent = V.agent_ids(table.text(table.col("agent_id")))
    no_agent = lines & agent.isna()
    rows.reject(table, no_agent, "warning", "missing_agent", table.col("agent_id"))
    ok = lines & ~no_agent
    dup = ok & agent.duplicated() & agent.notna()
    rows.reject(table, dup, "error", "duplicate_agent", table.col("agent_id"), agent)
    ok = ok & ~dup
    role_raw = table.text(table.col("role"))
    role = canonical_role(role_raw, cfg)
    unknown = ok & role.isna()
    for r in unknown.index[unknown]:
        table.dq_row(
            "warning",
            "unknown_role",
            r,
            table.col("role").header if table.has("role") else "",
            role_raw.get(r, ""),
        )
    name = table.text(table.col("name")).fillna("")
    leader = table.text(table.col("leader")).fillna("")
    frame = pd.DataFrame(
        {
            "agent_id": agent[ok].to_numpy(),
            "name": name[ok].to_numpy(),
            "team": table.text(table.col("team"))[ok].fillna("").to_numpy(),
            "role": role[ok].fillna("").to_numpy(),
            "leader": leader[ok].to_numpy(),
            "is_leader": (
                (leader[ok] != "") & ((leader[ok] == name[ok]) | (leader[ok] == agent[ok]))
            ).to_numpy(),
            **rows.source(table, table.body.index[ok]),
        }
    )
    part = rows.Part(frames={"roster": frame[ROSTER_COLUMNS]})
    part.inputs.append(rows.account(table, "roster", table.body, ok, None, 0))
    return part
