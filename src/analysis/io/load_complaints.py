"""Complaint records (投诉单) in ``complaints/`` → ``Dataset.complaints`` (schema.COMPLAINT_COLUMNS).

Why: complaint rate and "closed within 3 days" are published against targets; a complaint
whose closing time is before its receipt, or whose times cannot be read, would bend both in
silence, so such rows are reported (file, sheet, row, column) and not loaded. Dates are read by
the same rules as the call logs (``io/call_rules.py``); an open complaint has no closing time.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.io import call_rules, rows
from analysis.io.errors import InputError, dq_frame
from analysis.io.header import locate_all
from analysis.io.load_calls import _dq_row, _field_cols, _n_cells, _reading, alias_cfg
from analysis.io.read import read_grids
from analysis.io.sheets import _dq, pin_for
from analysis.schema import COMPLAINT_COLUMNS, READING_COLUMNS

_TEXT = ("complaint_id", "channel", "type", "owner", "status")


def load_complaints_file(path: Path, rel: str, cfg: Mapping[str, Any]) -> dict[str, pd.DataFrame]:
    """One file of ``complaints/`` → frames ``complaints``, ``dq``, ``readings``."""
    wanted = list(cfg.get("sheets", {}).get("complaints", []) or []) or None
    grids = read_grids(path, rel, wanted, cfg.get("limits", {}) or {})
    acfg = alias_cfg(cfg, "complaint_aliases")
    frames, dq, readings = [], [], []
    con = call_rules.connect(cfg)
    try:
        for gi, grid in enumerate(grids):
            for note in grid.notes:
                dq.append(_dq(note["code"], rel, grid.sheet, value=note["value"]))
            pin = pin_for(cfg, rel, grid.sheet)
            base = {"file": rel, "sheet": grid.sheet, "kind": "complaints"}
            if pin.get("skip") or grid.cells.empty or (grid.hidden and not pin.get("read_hidden")):
                status = "skipped" if pin.get("skip") else "empty" if grid.cells.empty else "hidden"
                readings.append({**base, "status": status})
                continue
            tables = [
                t
                for t in locate_all(grid, acfg, file_hint=rel, pin=pin).tables
                if t.has("received")
            ]
            if not tables:
                dq.append(_dq("sheet_skipped", rel, grid.sheet, "", "warning"))
                readings.append({**base, "status": "skipped", "note": "no recognisable table"})
                continue
            for ti, table in enumerate(tables):
                frame, rdq, reading = _table(con, table, f"c_{gi}_{ti}", cfg)
                frames.append(frame)
                dq.extend(table.dq)  # the header search's and the field choice's notes
                dq.extend(rdq)
                readings.append(reading)
    finally:
        con.close()
    if not any(r.get("status") == "read" for r in readings):
        looked = ", ".join(
            map(str, (cfg.get("complaint_aliases", {}) or {}).get("received", [])[:8])
        )
        raise InputError(
            f"没有找到可识别的投诉记录表:需要含有受理时间的表头行(查找的列名:{looked})。"
            "请在 config.toml 的 [complaint_aliases] 中添加别的名称",
            f"no recognisable complaint records found: a header row naming the received time is "
            f"needed (names looked for: {looked}); add other names to [complaint_aliases] in "
            "config.toml",
            file=rel,
            pin=rows.pin_lines(rel, "", header_row="N"),
        )
    return {
        "complaints": pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame(columns=COMPLAINT_COLUMNS),
        "dq": dq_frame(dq),
        "readings": pd.DataFrame(readings).reindex(columns=READING_COLUMNS),
    }


def _table(
    con: Any, table: Any, name: str, cfg: Mapping[str, Any]
) -> tuple[pd.DataFrame, list[dict], dict]:
    """One complaint table → (loaded rows, data-quality rows, reading)."""
    f = _field_cols(table, cfg, "complaint_aliases")
    df = _parsed(con, table, name, f)
    reason, column = _reasons(df, f)
    ok = reason.isna()
    dq = _reason_dq(table, df, f, reason, column)
    dq += _closed_no_time(table, df, f, ok, cfg)
    frame = _frame(table, df[ok], f)
    n_note = int((reason == "note_row").sum())
    reading = _reading(table, "complaints", len(df), int(ok.sum()), n_note, "")
    reading.update(kind="complaints", table="complaints")
    return frame, dq, reading


def _parsed(con: Any, table: Any, name: str, f: Mapping[str, Any]) -> pd.DataFrame:
    """The table's non-blank rows read by the call rules: texts (``t_…``), received and closed
    times, agent id. A closing *date* (no time: midnight) on the day of receipt means closed
    that day, not closed before it was received (the record was refused and the complaint went
    uncounted): it is read as closed at receipt."""
    body = table.body
    con.register(
        name,
        pd.DataFrame({f"c{c}": body[c].astype("str").to_numpy() for c in body.columns}).assign(
            _row=body.index.to_numpy(dtype="int64")
        ),
    )
    n_cells = _n_cells([f"c{c}" for c in body.columns])
    texts = ", ".join(f"kf_txt(c{c.idx}) AS t_{k}" for k, c in f.items())
    df = con.execute(
        f"""SELECT _row, {n_cells} AS _n, {texts},
               kf_ts(t_received) AS v_received,
               {"kf_ts(t_closed)" if "closed" in f else "CAST(NULL AS TIMESTAMP)"} AS v_closed,
               {"kf_agent(t_agent_id)" if "agent_id" in f else "NULL"} AS v_agent
            FROM {name} ORDER BY _row"""
    ).df()
    df = df[df["_n"] > 0]
    same_day = (
        df["v_closed"].notna()
        & df["v_received"].notna()
        & df["v_closed"].eq(df["v_closed"].dt.normalize())
        & df["v_closed"].eq(df["v_received"].dt.normalize())
    )
    df.loc[same_day, "v_closed"] = df.loc[same_day, "v_received"]
    return df


def _reasons(df: pd.DataFrame, f: Mapping[str, Any]) -> tuple[pd.Series, pd.Series]:
    """Why a row is not loaded (the first reason that holds) and the header of the column at
    fault; no reason: the row is loaded."""
    t_closed = df["t_closed"] if "closed" in f else pd.Series(None, index=df.index, dtype="str")
    reason = pd.Series(None, index=df.index, dtype="str")
    column = pd.Series("", index=df.index, dtype="str")

    def mark(mask: pd.Series, code: str, fld: str) -> None:
        m = mask & reason.isna()
        reason[m] = code
        column[m] = f[fld].header if fld in f else ""

    no_recv = df["t_received"].isna()
    mark(no_recv & (df["_n"] <= 1), "note_row", "")
    mark(no_recv, "complaint_no_received", "received")
    mark(df["v_received"].isna(), "bad_date", "received")
    mark(t_closed.notna() & df["v_closed"].isna(), "bad_date", "closed")
    mark(
        df["v_closed"].notna() & (df["v_closed"] < df["v_received"]),
        "complaint_closed_before",
        "closed",
    )
    return reason, column


def _reason_dq(
    table: Any, df: pd.DataFrame, f: Mapping[str, Any], reason: pd.Series, column: pd.Series
) -> list[dict]:
    """One data-quality row per row not loaded: a note is info, anything else an error."""
    dq = []
    for r in df.index[reason.notna()]:
        code = reason[r]
        fld = (
            "closed"
            if column[r] and "closed" in f and column[r] == f["closed"].header
            else "received"
        )
        value = df.at[r, f"t_{fld}"] if f"t_{fld}" in df and code != "note_row" else ""
        sev = "info" if code == "note_row" else "error"
        kw = {"received": df.at[r, "t_received"]} if code == "complaint_closed_before" else {}
        dq.append(_dq_row(table, sev, code, int(df.at[r, "_row"]), column[r], value, **kw))
    return dq


def _closed_no_time(
    table: Any, df: pd.DataFrame, f: Mapping[str, Any], ok: pd.Series, cfg: Mapping[str, Any]
) -> list[dict]:
    """Loaded complaints whose status says closed (``[calls] complaint_closed_status``) but that
    have no closing time: counted open, so a warning per row."""
    if "status" not in f:
        return []
    words = {
        str(w).strip().lower() for w in cfg.get("calls", {}).get("complaint_closed_status", [])
    }
    said = df["t_status"].fillna("").str.strip().str.lower().isin(words)
    return [
        _dq_row(table, "warning", "complaint_closed_no_time", int(df.at[r, "_row"]),
                f["status"].header, df.at[r, "t_status"])
        for r in df.index[ok & said & df["v_closed"].isna()]
    ]  # fmt: skip


def _frame(table: Any, keep: pd.DataFrame, f: Mapping[str, Any]) -> pd.DataFrame:
    """The loaded rows as ``schema.COMPLAINT_COLUMNS`` (a missing text column None)."""
    return pd.DataFrame(
        {
            **{k: (keep[f"t_{k}"].astype("str").to_numpy() if k in f else None) for k in _TEXT},
            "received": keep["v_received"].astype("datetime64[us]").to_numpy(),
            "closed": keep["v_closed"].astype("datetime64[us]").to_numpy(),
            "agent_id": keep["v_agent"].astype("str").to_numpy() if "agent_id" in f else None,
            "source_file": table.grid.file,
            "source_sheet": table.grid.sheet,
            "source_row": keep["_row"].astype("int64").to_numpy(),
        }
    ).reindex(columns=COMPLAINT_COLUMNS)


__all__ = ["load_complaints_file"]
