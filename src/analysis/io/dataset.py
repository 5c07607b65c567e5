"""``load_all``: every input of a data folder → one :class:`Dataset` of tidy, typed frames.

Why: the reports need plan, actuals, scorecards, roster and staffing in fixed shapes, with a
data-quality list that accounts for every input row. This module finds the files, dispatches
each sheet to its kind loader (through the parquet cache), and does the cross-file steps:
annual plans placed in the plan year, the revised plan merged in, callback logs and QA logs
aggregated into the scorecards, roster ↔ scorecard mismatches reported.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis import config as config_mod
from analysis import paths
from analysis.io import cache
from analysis.io import kinds as K
from analysis.io import values as V
from analysis.io.errors import InputError, dq_frame, message
from analysis.io.read import SUPPORTED_SUFFIXES, read_grids
from analysis.io.table import Table, finish_dq, locate
from analysis.schema import (
    ACTUAL_COLUMNS,
    AFTERSALES_COLUMNS,
    DQ_COLUMNS,
    FLOAT_FIELDS,
    PLAN_COLUMNS,
    PRESALES_COLUMNS,
    PRESALES_ITEMS,
    ROSTER_COLUMNS,
    STAFFING_COLUMNS,
)

INPUT_COLUMNS = [
    "file",
    "kind",
    "sheet",
    "rows_read",
    "rows_loaded",
    "rows_reported",
    "amount_read",
    "amount_loaded",
    "sha256",
    "bytes",
    "amount_reported",
]
KINDS = ("budget", "actuals", "scorecards", "roster", "staffing")
_FRAME_COLUMNS = {
    "plan": PLAN_COLUMNS,
    "actuals": ACTUAL_COLUMNS,
    "presales": PRESALES_COLUMNS,
    "aftersales": AFTERSALES_COLUMNS,
    "roster": ROSTER_COLUMNS,
    "staffing": STAFFING_COLUMNS,
    "revised": K.REVISED_COLUMNS,
    "callbacks": K.CALLBACK_COLUMNS,
    "qa_log": K.QA_COLUMNS,
}


@dataclass
class Dataset:
    """Everything the reports read: tidy frames (schema.py columns), dq and input accounting."""

    plan: pd.DataFrame
    actuals: pd.DataFrame
    presales: pd.DataFrame
    aftersales: pd.DataFrame
    roster: pd.DataFrame
    staffing: pd.DataFrame
    dq: pd.DataFrame
    inputs: pd.DataFrame
    latest_period: str | None
    periods: dict[str, list[str]] = field(default_factory=dict)
    data_dir: Path | None = None


def empty_frame(name: str) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=_dtype(c)) for c in _FRAME_COLUMNS[name]})


def _dtype(col: str) -> str:
    if col in FLOAT_FIELDS:
        return "float64"
    if col in PRESALES_ITEMS or col == "source_row":
        return "int64"
    if col == "date":
        return "datetime64[us]"
    if col == "is_leader":
        return "bool"
    return "str"


# ---------------------------------------------------------------------------------------------
# One file


def _dispatch(table: Table, kind: str, cfg: Mapping[str, Any]) -> K.Part | None:
    if kind == "budget":
        return K.plan_table(table, cfg, "plan")
    if kind == "actuals":
        if table.months() and not table.has("amount"):
            return K.plan_table(table, cfg, "actuals")
        return K.ledger_table(table, cfg)
    if kind == "roster":
        return K.roster_table(table, cfg)
    if kind == "staffing":
        return K.staffing_table(table, cfg)
    if kind == "scorecards":
        if table.has("agent_id") and table.has("code"):
            return K.qa_log_table(table, cfg)
        n_items = sum(1 for c in table.columns if c.field in PRESALES_ITEMS)
        after = any(table.has(f) for f in ("tickets", "cb_A", "attitude", "teamwork"))
        if table.has("agent_id") and table.has("grade") and not after and n_items == 0:
            return K.callbacks_table(table, cfg)
        if n_items >= 3:
            return K.presales_table(table, cfg)
        if after:
            return K.aftersales_table(table, cfg)
        role = K.canonical_role(pd.Series([table.grid.sheet]), cfg).iloc[0]
        if role == "presales":
            return K.presales_table(table, cfg)
        if role == "aftersales":
            return K.aftersales_table(table, cfg)
    return None


_REQUIRED = {
    "budget": (
        "category",
        "费用项目/科目 与 预算金额或月份列",
        "category and plan amounts or months",
    ),
    "actuals": ("amount", "日期、科目、金额", "date, category and amount"),
    "scorecards": ("agent_id", "工号与考核项目", "agent ID and scorecard items"),
    "roster": ("agent_id", "工号、姓名、处", "agent ID, name and role"),
    "staffing": ("calls", "日期、时段、来电量", "date, interval and calls"),
}


def load_file(
    path: Path, rel: str, kind: str, cfg: Mapping[str, Any], lang: str
) -> dict[str, pd.DataFrame]:
    """Parse one input file into frames (plus ``dq`` and ``inputs``), without the cache."""
    wanted = list(cfg.get("sheets", {}).get(kind, []) or []) or None
    grids = read_grids(path, rel, wanted, cfg.get("limits", {}))
    frames: dict[str, list[pd.DataFrame]] = {}
    dq: list[dict[str, Any]] = []
    inputs: list[dict[str, Any]] = []
    used = 0
    for grid in grids:
        for note in grid.notes:
            dq.append(
                {
                    "severity": "info",
                    "code": note["code"],
                    "file": rel,
                    "sheet": grid.sheet,
                    "row": None,
                    "column": "",
                    "value": note["value"],
                    "message": message(note["code"], lang, value=note["value"]),
                }
            )
        table = locate(grid, cfg, file_hint=rel)
        part = _dispatch(table, kind, cfg) if table is not None else None
        if part is None:
            if not grid.cells.empty:
                dq.append(
                    {
                        "severity": "info",
                        "code": "sheet_skipped",
                        "file": rel,
                        "sheet": grid.sheet,
                        "row": None,
                        "column": "",
                        "value": "",
                        "message": message("sheet_skipped", lang),
                    }
                )
            continue
        used += 1
        if part.inputs and part.inputs[0]["rows_read"] == 0:
            table.dq_row("warning", "empty_table", None, "", "")
        dq.extend(finish_dq(table, lang))
        inputs.extend(part.inputs)
        for name, df in part.frames.items():
            frames.setdefault(name, []).append(df)
    if used == 0:
        fld, zh, en = _REQUIRED[kind]
        raise InputError(
            f"没有找到可识别的表格(需要含有 {zh} 的表头行)",
            f"no recognisable table found (a header row naming {en} is needed)",
            file=rel,
            field=fld,
            aliases=list(cfg.get("aliases", {}).get(fld, [])),
        )
    out = {name: pd.concat(dfs, ignore_index=True) for name, dfs in frames.items()}
    out["dq"] = dq_frame(dq)
    out["inputs"] = pd.DataFrame(inputs)
    return out


# ---------------------------------------------------------------------------------------------
# The folder


def find_inputs(data_dir: Path, cfg: Mapping[str, Any]) -> list[tuple[str, Path]]:
    files = cfg.get("files", {})
    seen: set[Path] = set()
    out = []
    for kind in KINDS:
        for pattern in files.get(kind, []):
            for p in sorted(data_dir.glob(pattern)):
                if not p.is_file() or p.name.startswith(("~$", ".")) or p in seen:
                    continue
                seen.add(p)
                out.append((kind, p))
    return out


def load_all(
    data_dir: str | Path,
    cfg: Mapping[str, Any] | None = None,
    *,
    lang: str = "zh",
    use_cache: bool = True,
    cache_dir: Path | None = None,
) -> Dataset:
    """Load every input of ``data_dir`` (see defaults.toml [files]) into a :class:`Dataset`.

    Raises :class:`InputError` when the folder is missing, holds neither budget nor actuals,
    or a file is unreadable or lacks a required field.
    """
    data_path = paths.resolve(data_dir)
    if not data_path.is_dir():
        raise InputError(
            f"数据文件夹不存在:{data_path}",
            f"data folder not found: {data_path}",
        )
    cfg = config_mod.load_config(data_path) if cfg is None else cfg
    cache_dir = cache_dir or (paths.INTERIM_DIR / "io")
    cfg_hash = cache.config_digest(cfg)
    inputs_found = find_inputs(data_path, cfg)
    if not any(
        k in ("budget", "actuals") and p.suffix.lower() in SUPPORTED_SUFFIXES
        for k, p in inputs_found
    ):
        raise InputError(
            "文件夹中既没有预算文件(budget/)也没有实际支出文件(actuals/)",
            "the folder holds no budget (budget/) and no actuals (actuals/) files",
            file=str(data_path),
        )
    collected: dict[str, list[pd.DataFrame]] = {}
    dq_parts: list[pd.DataFrame] = []
    input_rows: list[pd.DataFrame] = []
    for kind, path in inputs_found:
        rel = path.relative_to(data_path).as_posix()
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            dq_parts.append(
                dq_frame(
                    [
                        {
                            "severity": "info",
                            "code": "file_skipped",
                            "file": rel,
                            "sheet": "",
                            "row": None,
                            "column": "",
                            "value": path.suffix,
                            "message": message("file_skipped", lang),
                        }
                    ]
                )
            )
            continue
        sha = cache.file_digest(path)
        key = cache.entry_key(sha, rel, kind, cfg_hash, lang)
        frames = cache.load(cache_dir, key) if use_cache else None
        if frames is None:
            frames = load_file(path, rel, kind, cfg, lang)
            if use_cache:
                cache.store(cache_dir, key, frames)
        for name, df in frames.items():
            if name == "dq":
                dq_parts.append(df)
            elif name == "inputs":
                if len(df):
                    input_rows.append(df.assign(sha256=sha, bytes=path.stat().st_size))
            else:
                collected.setdefault(name, []).append(df)
    frames = {
        name: (
            pd.concat(
                [df for df in collected[name] if len(df)] or [empty_frame(name)], ignore_index=True
            )
            if name in collected
            else empty_frame(name)
        )
        for name in _FRAME_COLUMNS
    }
    extra_dq: list[dict[str, Any]] = []
    plan = _place_annual(frames["plan"], frames)
    frames["actuals"] = _place_annual(frames["actuals"], frames)
    revised = _place_annual(frames["revised"], frames)
    plan = _merge_revised(plan, revised, extra_dq)
    aftersales = _merge_callbacks(frames["aftersales"], frames["callbacks"], extra_dq)
    presales = _merge_qa(frames["presales"], frames["qa_log"], frames["roster"])
    _missing_components(presales, aftersales, cfg)
    extra_dq += _duplicate_scorecards(presales, aftersales, lang)
    extra_dq += _roster_mismatch(frames["roster"], presales, aftersales)
    dq = pd.concat(
        [df for df in dq_parts if len(df)] + [dq_frame(_messages(extra_dq, lang))],
        ignore_index=True,
    )
    dq = dq_frame(dq)
    inputs = (
        pd.concat(input_rows, ignore_index=True).reindex(columns=INPUT_COLUMNS)
        if input_rows
        else pd.DataFrame(columns=INPUT_COLUMNS)
    )
    out = {
        "plan": _typed(plan, "plan"),
        "actuals": _typed(frames["actuals"], "actuals"),
        "presales": _typed(presales, "presales"),
        "aftersales": _typed(aftersales, "aftersales"),
        "roster": _typed(frames["roster"], "roster"),
        "staffing": _typed(frames["staffing"], "staffing"),
    }
    periods = {
        k: sorted(out[k]["period"].dropna().unique().tolist())
        for k in ("plan", "actuals", "presales", "aftersales")
    }
    periods["staffing"] = sorted(
        {d[:7] for d in out["staffing"]["day"].dropna() if re.match(r"\d{4}-\d{2}", d)}
    )
    latest = periods["actuals"][-1] if periods["actuals"] else None
    return Dataset(
        **out, dq=dq, inputs=inputs, latest_period=latest, periods=periods, data_dir=data_path
    )


def _typed(df: pd.DataFrame, name: str) -> pd.DataFrame:
    cols = _FRAME_COLUMNS[name]
    df = df.reindex(columns=cols)
    casts = {}
    for c in cols:
        t = _dtype(c)
        if t == "str":
            casts[c] = (
                df[c].astype("str").where(df[c].notna(), "")
                if c not in ("period",)
                else df[c].astype("str")
            )
        elif t == "int64":
            casts[c] = pd.to_numeric(df[c], errors="coerce").fillna(0).astype("int64")
        elif t == "float64":
            casts[c] = pd.to_numeric(df[c], errors="coerce").astype("float64")
        elif t == "bool":
            casts[c] = df[c].fillna(False).astype("bool")
        else:
            casts[c] = pd.to_datetime(df[c], errors="coerce").astype("datetime64[us]")
    return df.assign(**casts).reset_index(drop=True)


def _messages(rows: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    out = []
    for d in rows:
        d = dict(d)
        fields = d.pop("_fields", {})
        out.append({**d, "message": message(d["code"], lang, value=d.get("value", ""), **fields)})
    return out


def _place_annual(df: pd.DataFrame, frames: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Plans whose year was not stated ("0001-MM") take the plan year of the folder."""
    if df.empty or not df["period"].str.startswith("0001-").any():
        return df
    known = pd.concat(
        [frames["plan"]["period"], frames["revised"]["period"], frames["actuals"]["period"]]
    ).dropna()
    known = known[~known.str.startswith("0001-")]
    year = known.str[:4].mode().iloc[0] if len(known) else str(pd.Timestamp.today().year)
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
    check = K.drop_tokens(merged["check"].fillna(""), token, covered)
    log_check = merged["check_log"].fillna("")
    merged["check"] = K.add_tokens(check, has_log & log_check.ne(""), log_check)
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
            check=K.check_token("qa_only", "exam"),
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
        check = K.drop_tokens(check, f"missing_column:{comp}:", covered)
    found = pd.Series(findings.reindex(idx).to_numpy(), index=combined.index).fillna("")
    return combined.assign(check=K.add_tokens(check, found.ne(""), found))


def _where(r: Mapping[str, Any], lang: str) -> str:
    row = int(r["source_row"]) if pd.notna(r["source_row"]) else ""
    sheet = f" · {r['source_sheet']}" if r["source_sheet"] else ""
    return f"{r['source_file']}{sheet} · " + (f"第 {row} 行" if lang != "en" else f"row {row}")


def _duplicate_scorecards(pre: pd.DataFrame, after: pd.DataFrame, lang: str) -> list[dict]:
    """One agent, one pay line: every scorecard row of an agent listed twice in a month (same or
    another file or sheet, or in both roles) is an error naming the other row(s)."""
    keys = ["period", "agent_id"]
    both = pd.concat(
        [pre.assign(_role="presales"), after.assign(_role="aftersales")], ignore_index=True
    )
    both = both[both.duplicated(keys, keep=False)]
    out: list[dict] = []
    for _, grp in both.groupby(keys, sort=True):
        where = [_where(r, lang) for _, r in grp.iterrows()]
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
                    "_fields": {"other": "; ".join(w for j, w in enumerate(where) if j != i)},
                }
            )
    return out


def _missing_components(pre: pd.DataFrame, after: pd.DataFrame, cfg: Mapping[str, Any]) -> None:
    """A component no column and no log supplied (after merging the logs) stops the load."""
    from analysis.scorecard import LABELS

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
        fields = [f for c in comps for f in K.COMPONENT_FIELDS[role][c]]
        zh = "、".join(LABELS["zh"][c] for c in comps)
        en = ", ".join(LABELS["en"][c] for c in comps)
        raise InputError(
            f"缺少考核项目的列:{zh}(表头在第 {hdr} 行),文件夹中也没有当月的质检/回访记录。"
            f"这些项目不能按 0 或 100 计分;如本月确实不考核,请在 config.toml 的 [scorecard.{role}] "
            f"写 not_scored = {comps!r}".replace("'", '"'),
            f"scorecard columns missing: {en} (header at row {hdr}) and no QA or callback log for "
            f"the month. They cannot be scored as 0 or 100; if the month does not score them, set "
            f"not_scored = {comps!r} under [scorecard.{role}] in config.toml".replace("'", '"'),
            file=str(r["source_file"]),
            sheet=str(r["source_sheet"]),
            field=", ".join(fields),
            aliases=[
                a for c in comps for a in K.component_aliases(K.COMPONENT_FIELDS[role][c], cfg, c)
            ],
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


__all__ = ["Dataset", "load_all", "load_file", "DQ_COLUMNS", "V"]
