"""Integrity across files and sheets: the same money is never counted twice.

Why: departments keep copies. A second export repeats voucher lines, a workbook keeps an old copy
of its plan in another sheet, a summary sheet restates the plan by category. Added together they
double the figures without a word. Here copies are found, the first reading is kept, and every
line set aside is reported with both locations.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from analysis.io import values as V

_SRC = ["source_file", "source_sheet"]


def _where(f: str, sh: str, row: Any) -> str:
    return f"{f}{'/' + sh if sh else ''} row {row}"


def duplicate_lines(actuals: pd.DataFrame, dq: list[dict[str, Any]]) -> pd.DataFrame:
    """Ledger lines repeated in another file or sheet (same date, amount, category, department
    and voucher, or description when there is no voucher) are kept once and reported."""
    dated = actuals["date"].notna()
    if not dated.any() or actuals.loc[dated, _SRC].drop_duplicates().shape[0] < 2:
        return actuals
    sub = actuals.loc[dated]
    ref = sub["voucher"].where(sub["voucher"].fillna("") != "", sub["description"])
    key = pd.DataFrame(
        {
            "d": sub["date"].astype("int64"),
            "a": V.to_fen(sub["amount"]),
            "c": sub["category"].fillna(""),
            "p": sub["department"].fillna(""),
            "r": ref.fillna(""),
        }
    )
    h = pd.util.hash_pandas_object(key, index=False).to_numpy()
    src = pd.factorize(sub["source_file"] + "\x1f" + sub["source_sheet"])[0]
    frame = pd.DataFrame({"h": h, "s": src}, index=sub.index)
    frame["occ"] = frame.groupby(["h", "s"]).cumcount()
    # Sources in reading order: a line is a copy when an earlier source has the same line
    # (the n-th identical line of a file pairs with the n-th of the earlier one).
    frame = frame.sort_values("s", kind="stable")
    dup = frame.duplicated(["h", "occ"], keep="first")
    if not dup.any():
        return actuals
    first = frame[~dup].reset_index().set_index(["h", "occ"])["index"]
    for i, (hh, oc) in zip(
        frame.index[dup], frame.loc[dup, ["h", "occ"]].itertuples(index=False), strict=True
    ):
        j = first.loc[(hh, oc)]
        j = j.iloc[0] if isinstance(j, pd.Series) else j
        a, b = actuals.loc[i], actuals.loc[j]
        dq.append(
            {
                "severity": "warning",
                "code": "duplicate_line",
                "file": a["source_file"],
                "sheet": a["source_sheet"],
                "row": int(a["source_row"]),
                "column": "",
                "value": _where(b["source_file"], b["source_sheet"], int(b["source_row"])),
                "_fields": {"amount": f"{a['amount']:,.2f}"},
            }
        )
    return actuals.drop(index=frame.index[dup]).reset_index(drop=True)


def _signature(g: pd.DataFrame) -> tuple:
    cents = V.to_fen(g["plan"])
    rows = sorted(
        zip(g["period"], g["department"], g["category"], g["item"], cents.tolist(), strict=True)
    )
    return tuple(rows)


def duplicate_tables(
    plan: pd.DataFrame, readings: pd.DataFrame, dq: list[dict[str, Any]]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Plan tables that copy another (same lines) or restate it (same total every month, fewer
    lines, categories and departments among the other's): the more detailed one is kept."""
    if plan.empty:
        return plan, readings
    groups = list(plan.groupby(_SRC, sort=False))
    if len(groups) < 2:
        return plan, readings
    info = []
    for (f, sh), g in groups:
        info.append(
            {
                "key": (f, sh),
                "n": len(g),
                "sig": _signature(g),
                # The year's total per year: monthly figures of a spread annual plan differ by
                # a few 分 between 211 lines and their 20 category sums, the year's do not.
                "tot": g.assign(c=V.to_fen(g["plan"]), y=g["period"].str[:4])
                .groupby("y")["c"]
                .sum()
                .to_dict(),
                "periods": set(g["period"]),
                "cats": (set(g["category"]) | set(g["item"])) - {""},
                "depts": set(g["department"]),
            }
        )
    drop: dict[tuple, tuple] = {}
    for i, a in enumerate(info):
        for b in info[i + 1 :]:
            if a["key"] in drop or b["key"] in drop:
                continue
            same = a["sig"] == b["sig"]
            summary = (
                not same
                and a["periods"] == b["periods"]
                and a["tot"] == b["tot"]
                and sum(abs(v) for v in a["tot"].values()) > 0
                and (b["cats"] <= a["cats"] or a["cats"] <= b["cats"])
                and (
                    b["depts"] <= a["depts"]
                    or a["depts"] <= b["depts"]
                    or {""} in (a["depts"], b["depts"])  # a summary without departments
                )
            )
            if same or summary:
                keep, lose = (a, b) if a["n"] >= b["n"] else (b, a)
                drop[lose["key"]] = (keep["key"], "copy" if same else "summary")
    if not drop:
        return plan, readings
    mask = np.zeros(len(plan), dtype=bool)
    keys = list(zip(plan["source_file"], plan["source_sheet"], strict=True))
    for (f, sh), ((kf, ksh), why) in drop.items():
        mask |= np.array([k == (f, sh) for k in keys])
        dq.append(
            {
                "severity": "warning",
                "code": "duplicate_table",
                "file": f,
                "sheet": sh,
                "row": None,
                "column": "",
                "value": f"{kf}{'/' + ksh if ksh else ''}",
                "_fields": {"why": why},
            }
        )
        hit = (readings["file"] == f) & (readings["sheet"].fillna("") == sh)
        readings.loc[hit, "status"] = "duplicate"
        readings.loc[hit, "note"] = (
            f"{'copy' if why == 'copy' else 'summary'} of {kf}{'/' + ksh if ksh else ''}; not added"
        )
    return plan.loc[~mask].reset_index(drop=True), readings


def future_lines(actuals: pd.DataFrame, today: str | None = None) -> list[dict[str, Any]]:
    """Ledger lines dated after today: kept, but warned (a mistyped year moves no period)."""
    now = pd.Timestamp(today) if today else pd.Timestamp.today()
    fut = actuals[
        actuals["date"].notna() & (actuals["date"] > now.normalize() + pd.Timedelta(days=1))
    ]
    return [
        {
            "severity": "warning",
            "code": "future_date",
            "file": r.source_file,
            "sheet": r.source_sheet,
            "row": int(r.source_row),
            "column": "",
            "value": f"{r.date:%Y-%m-%d}",
        }
        for r in fut.itertuples(index=False)
    ]


def overlapping_logs(spans: list[tuple[str, Any, Any]]) -> list[dict[str, Any]]:
    """Two call logs covering the same time span: an export taken twice (a month file and the
    quarter it is part of) would count the same calls twice. Said, with both files and the
    span; the calls are not matched one by one (10^8 rows)."""
    out = []
    for i, (a, a0, a1) in enumerate(spans):
        for b, b0, b1 in spans[i + 1 :]:
            if a0 <= b1 and b0 <= a1:
                lo, hi = max(a0, b0), min(a1, b1)
                out.append(
                    {
                        "severity": "warning",
                        "code": "calls_overlap",
                        "file": b,
                        "sheet": "",
                        "row": None,
                        "column": "",
                        "value": a,
                        "_fields": {
                            "value": a,
                            "first": f"{lo:%Y-%m-%d %H:%M}",
                            "last": f"{hi:%Y-%m-%d %H:%M}",
                        },
                    }
                )
    return out


def duplicate_complaints(complaints: pd.DataFrame, dq: list[dict[str, Any]]) -> pd.DataFrame:
    """A complaint number seen twice (the same record in two exports) is counted once: the
    first kept, the other reported with both places."""
    ids = complaints["complaint_id"].astype("str").str.strip()
    named = complaints["complaint_id"].notna() & ids.ne("")
    dup = named & ids.duplicated(keep="first")
    if not dup.any():
        return complaints
    first = complaints[named & ~dup].assign(_id=ids).set_index("_id")
    for i in complaints.index[dup]:
        a, b = complaints.loc[i], first.loc[ids[i]]
        dq.append(
            {
                "severity": "warning",
                "code": "duplicate_complaint",
                "file": a["source_file"],
                "sheet": a["source_sheet"],
                "row": int(a["source_row"]),
                "column": "",
                "value": ids[i],
                "_fields": {
                    "value": ids[i],
                    "other_places": [[b["source_file"], b["source_sheet"], int(b["source_row"])]],
                },
            }
        )
    return complaints[~dup].reset_index(drop=True)
