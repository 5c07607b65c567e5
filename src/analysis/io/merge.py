"""Steps across files: the year of undated months, revised plans, callback and QA logs merged into
scorecards, one agent one line, roster against scorecards.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from analysis.io import rows
from analysis.io.errors import InputError
from analysis.io.load_scorecards import (
    add_tokens,
    check_token,
    drop_tokens,
    missing_components,
)
from analysis.schema import (
    AFTERSALES_COLUMNS,
    PLAN_COLUMNS,
    PRESALES_COLUMNS,
    PRESALES_ITEMS,
)


def _folder_year(frames: Mapping[str, pd.DataFrame]) -> tuple[str | None, str]:
    """The year of the folder's dated data (most frequent), for month headers naming none."""
    known = pd.concat(
        [frames["plan"]["period"], frames["revised"]["period"], frames["actuals"]["period"]]
    ).dropna()
    known = known[~known.str.startswith("0001-")]
    if not len(known):
        return None, ""
    return str(known.str[:4].mode().iloc[0]), "folder"


def _place_annual(
    df: pd.DataFrame, year: str | None, source: str, dq: list[dict], readings: pd.DataFrame
) -> pd.DataFrame:
    """Tables whose year was named nowhere ("0001-MM") take the folder's year, with a warning;
    with no dated data at all, the year is asked for (a year is never guessed from an amount)."""
    if df.empty or not df["period"].str.startswith("0001-").any():
        return df
    places = df.loc[df["period"].str.startswith("0001-"), ["source_file", "source_sheet"]]
    places = places.drop_duplicates()
    if year is None:
        f, sh = places.iloc[0]
        raise InputError(
            "表中的月份没有写年份(文件名、工作表名、标题、表头都没有),文件夹里也没有带日期的数据可参照。"
            "请在 config.toml 中用下面几行写明年份",
            "the month headers name no year (not in the file name, sheet name, title or header) "
            "and no other data in the folder is dated. Pin the year in config.toml with the "
            "lines below",
            file=f,
            sheet=sh,
            pin=rows.pin_lines(f, sh, year="2026"),
        )
    for f, sh in places.itertuples(index=False):
        dq.append(
            {
                "severity": "warning",
                "code": "year_assumed",
                "file": f,
                "sheet": sh,
                "row": None,
                "column": "",
                "value": year,
                "_fields": {"source": source},
            }
        )
        hit = (readings["file"] == f) & (readings["sheet"].fillna("") == sh)
        readings.loc[hit, "year"] = year
        readings.loc[hit, "year_source"] = "assumed: the folder's other dated data"
    return df.assign(period=df["period"].str.replace(r"^0001-", f"{year}-", regex=True))


_KEY = ["period", "department", "category", "item"]


def _merge_revised(plan: pd.DataFrame, revised: pd.DataFrame, dq: list[dict]) -> pd.DataFrame:
    """Revised-plan lines fill ``revised_plan``; lines only in the revised plan are added (plan 0)."""
    revised = revised[revised["revised_plan"].notna()]
    if revised.empty:
        return plan
    rev = revised.groupby(_KEY, as_index=False, dropna=False).agg(
        revised_new=("revised_plan", "sum"),
        source_file_r=("source_file", "first"),
        source_sheet_r=("source_sheet", "first"),
        source_row_r=("source_row", "first"),
    )
    merged = plan.merge(rev, on=_KEY, how="outer", indicator=True)
    merged["revised_plan"] = merged["revised_new"].where(
        merged["revised_new"].notna(), merged["revised_plan"]
    )
    only = merged["_merge"] == "right_only"
    if only.any():
        for _, r in merged[only].drop_duplicates("source_row_r").iterrows():
            dq.append(
                {
                    "severity": "warning",
                    "code": "revised_only",
                    "file": r["source_file_r"],
                    "sheet": r["source_sheet_r"],
                    "row": r["source_row_r"],
                    "column": "",
                    "value": f"{r['category']} {r['item']}".strip(),
                }
            )
        merged.loc[only, "plan"] = 0.0
        merged.loc[only, "kind"] = "cost"
        for c in ("source_file", "source_sheet", "source_row"):
            merged.loc[only, c] = merged.loc[only, f"{c}_r"]
    return (
        merged[PLAN_COLUMNS]
        .sort_values(["source_file", "source_sheet", "source_row", "period"], kind="stable")
        .reset_index(drop=True)
    )


def _merge_callbacks(after: pd.DataFrame, cb: pd.DataFrame, dq: list[dict]) -> pd.DataFrame:
    """Callback-log counts replace the sheet's; the log's findings (blank or invalid grades)
    travel into the agent's ``check``.

    An agent whose sheet has no callback columns and who is absent from the month's log has no
    callbacks on record: the counts stay blank (待核实, or 0 under ``blank_as_zero``) and an error
    row names the scorecard row; 0 callbacks is only ever read from a cell that says 0.
    """
    if cb.empty:
        return after
    cols = ["cb_A", "cb_B", "cb_C", "cb_D"]
    cb = cb.groupby(["period", "agent_id"], as_index=False, sort=False).agg(
        **{c: (c, "sum") for c in cols},
        check=("check", lambda s: ";".join(x for x in s.fillna("") if x)),
        source_file=("source_file", "first"),
        source_sheet=("source_sheet", "first"),
        source_row=("source_row", "first"),
    )
    merged = after.merge(
        cb[["period", "agent_id", *cols, "check", "source_file", "source_sheet", "source_row"]],
        on=["period", "agent_id"],
        how="left",
        suffixes=("", "_log"),
    )
    has_log = merged["cb_A_log"].notna()
    covered = merged["period"].isin(set(cb["period"]))
    token = "missing_column:satisfaction:"
    no_cols = merged["check"].fillna("").str.contains(token, regex=False)
    for c in cols:
        merged[c] = merged[f"{c}_log"].where(has_log, merged[c])
    for _, r in merged[covered & no_cols & ~has_log].iterrows():
        dq.append(
            {
                "severity": "error",
                "code": "no_callbacks_logged",
                "file": r["source_file"],
                "sheet": r["source_sheet"],
                "row": r["source_row"],
                "column": str(r["period"]),
                "value": r["agent_id"],
            }
        )
    check = drop_tokens(merged["check"].fillna(""), token, covered)
    log_check = merged["check_log"].fillna("")
    merged["check"] = add_tokens(check, has_log & log_check.ne(""), log_check)
    known = set(zip(after["period"], after["agent_id"], strict=True))
    for _, r in cb.iterrows():
        if (r["period"], r["agent_id"]) not in known:
            dq.append(
                {
                    "severity": "warning",
                    "code": "callback_unknown_agent",
                    "file": r["source_file"],
                    "sheet": r["source_sheet"],
                    "row": r["source_row"],
                    "column": "",
                    "value": r["agent_id"],
                }
            )
    return merged[AFTERSALES_COLUMNS]


def _merge_qa(pre: pd.DataFrame, qa: pd.DataFrame, roster: pd.DataFrame) -> pd.DataFrame:
    """QA-log counts are added to the month's pre-sales rows (rows created where none exist).

    A row created from the log alone has no exam: it carries a ``qa_only`` token (待核实).
    """
    if qa.empty:
        return pre
    findings = (
        qa[qa["check"].fillna("").ne("")]
        .groupby(["period", "agent_id"])["check"]
        .agg(lambda s: ";".join(s))
    )
    qa = qa[qa["code"].notna()]
    wide = (
        qa.pivot_table(
            index=["period", "agent_id"],
            columns="code",
            values="count",
            aggfunc="sum",
            fill_value=0,
        )
        .reindex(columns=PRESALES_ITEMS, fill_value=0)
        .reset_index()
    )
    src = qa.groupby(["period", "agent_id"], as_index=False)[
        ["source_file", "source_sheet", "source_row"]
    ].first()
    wide = wide.merge(src, on=["period", "agent_id"])
    names = roster.set_index("agent_id")["name"] if not roster.empty else pd.Series(dtype="str")
    base = pre.set_index(["period", "agent_id"])
    add = wide.set_index(["period", "agent_id"])
    new_keys = add.index.difference(base.index)
    new_rows = (
        add.loc[new_keys]
        .reset_index()
        .assign(
            name=lambda d: d["agent_id"].map(names).astype("str").fillna(""),
            exam=np.nan,
            check=check_token("qa_only", "exam"),
        )
    )
    for code in PRESALES_ITEMS:
        new_rows[code] = 0
    combined = pd.concat([pre, new_rows[PRESALES_COLUMNS]], ignore_index=True)
    idx = combined.set_index(["period", "agent_id"]).index
    extra = add[PRESALES_ITEMS].reindex(idx).fillna(0).to_numpy()
    combined[PRESALES_ITEMS] = combined[PRESALES_ITEMS].to_numpy() + extra
    covered = combined["period"].isin(set(qa["period"]) | set(findings.index.get_level_values(0)))
    check = combined["check"].fillna("")
    for comp in ("business", "discipline"):
        check = drop_tokens(check, f"missing_column:{comp}:", covered)
    found = pd.Series(findings.reindex(idx).to_numpy(), index=combined.index).fillna("")
    return combined.assign(check=add_tokens(check, found.ne(""), found))


def _duplicate_scorecards(pre: pd.DataFrame, after: pd.DataFrame) -> list[dict]:
    """One agent, one pay line: every scorecard row of an agent listed twice in a month (same or
    another file or sheet, or in both roles) is an error naming the other row(s)."""
    keys = ["period", "agent_id"]
    both = pd.concat(
        [pre.assign(_role="presales"), after.assign(_role="aftersales")], ignore_index=True
    )
    both = both[both.duplicated(keys, keep=False)]
    out: list[dict] = []
    for _, grp in both.groupby(keys, sort=True):
        where = [
            [
                r["source_file"],
                r["source_sheet"],
                int(r["source_row"]) if pd.notna(r["source_row"]) else "",
            ]
            for _, r in grp.iterrows()
        ]
        roles = grp["_role"].nunique() > 1
        for i, (_, r) in enumerate(grp.iterrows()):
            out.append(
                {
                    "severity": "error",
                    "code": "both_roles" if roles else "duplicate_scorecard",
                    "file": r["source_file"],
                    "sheet": r["source_sheet"],
                    "row": r["source_row"],
                    "column": str(r["period"]),
                    "value": r["agent_id"],
                    "_fields": {"other_places": [w for j, w in enumerate(where) if j != i]},
                }
            )
    return out


def _missing_components(pre: pd.DataFrame, after: pd.DataFrame, cfg: Mapping[str, Any]) -> None:
    """A component no column and no log supplied (after merging the logs) stops the load."""

    for role, frame in (("presales", pre), ("aftersales", after)):
        if frame.empty:
            continue
        tokens = frame["check"].fillna("").str.extractall(r"missing_column:(\w+):(\d*)")
        if tokens.empty:
            continue
        first = tokens.index.get_level_values(0)[0]
        r = frame.loc[first]
        comps = sorted(set(tokens.xs(first, level=0)[0]))
        hdr = tokens.xs(first, level=0)[1].iloc[0]
        raise missing_components(
            role, comps, hdr, str(r["source_file"]), str(r["source_sheet"]), cfg, log_checked=True
        )


def _roster_mismatch(roster: pd.DataFrame, pre: pd.DataFrame, after: pd.DataFrame) -> list[dict]:
    """Agents in the roster without a scorecard that month, and scorecard agents not in it."""
    out: list[dict] = []
    if roster.empty:
        return out
    for role, sc in (("presales", pre), ("aftersales", after)):
        if sc.empty:
            continue
        members = roster[roster["role"] == role]
        all_ids = set(roster["agent_id"])
        for period, grp in sc.groupby("period"):
            have = set(grp["agent_id"])
            for _, r in members[~members["agent_id"].isin(have)].iterrows():
                out.append(
                    {
                        "severity": "warning",
                        "code": "missing_scorecard",
                        "file": r["source_file"],
                        "sheet": r["source_sheet"],
                        "row": r["source_row"],
                        "column": str(period),
                        "value": r["agent_id"],
                    }
                )
            for _, r in grp[~grp["agent_id"].isin(all_ids)].iterrows():
                out.append(
                    {
                        "severity": "warning",
                        "code": "not_in_roster",
                        "file": r["source_file"],
                        "sheet": r["source_sheet"],
                        "row": r["source_row"],
                        "column": str(period),
                        "value": r["agent_id"],
                    }
                )
    return out
