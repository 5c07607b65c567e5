"""The fatal input error and the data-quality row builder, with messages in Chinese and English.

Why: a manager must be able to act on every message, in the language of the report, and the
data-quality table must say exactly which file, sheet, row and column a problem sits in.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from analysis.errors import AnalysisError
from analysis.schema import DQ_COLUMNS


class InputError(AnalysisError):
    """A fatal input problem: unreadable file, required field missing, no data at all.

    ``str(err)`` is one paragraph, Chinese then English, naming file, sheet, row/column where
    known, the missing field and its accepted aliases.
    """

    def __init__(
        self,
        zh: str,
        en: str,
        *,
        file: str = "",
        sheet: str = "",
        field: str = "",
        aliases: list[str] | None = None,
        pin: str = "",
    ) -> None:
        # One paragraph whatever the caller passed (library text can hold line breaks); the
        # config.toml lines that would settle it follow as lines to copy.
        self.pin = pin.strip()
        zh, en = " ".join(zh.split()), " ".join(en.split())
        self.zh, self.en = zh, en
        self.file, self.sheet, self.field = file, sheet, field
        self.aliases = list(aliases or [])
        where_zh = "".join(
            [f"文件「{file}」" if file else "", f"工作表「{sheet}」" if sheet else ""]
        )
        where_en = ", ".join(
            [f"file '{file}'" if file else "", f"sheet '{sheet}'" if sheet else ""]
        )
        where_en = ", ".join(p for p in where_en.split(", ") if p)
        alias_txt = "、".join(self.aliases)
        zh_full = f"{where_zh}:{zh}" if where_zh else zh
        en_full = f"{where_en}: {en}" if where_en else en
        if field:
            zh_full += f"(字段 {field},可用列名:{alias_txt})" if alias_txt else f"(字段 {field})"
            en_full += (
                f" (field '{field}', accepted column names: {', '.join(self.aliases)})"
                if self.aliases
                else f" (field '{field}')"
            )
        text = f"{zh_full} / {en_full}"
        if self.pin:
            text += "\n\n" + self.pin
        super().__init__(text)


def message(code: str, lang: str, **fields: Any) -> str:
    from analysis.catalog import labels

    template = labels("dq", "en" if lang == "en" else "zh").get(code, code)
    try:
        return template.format(**fields)
    except (KeyError, IndexError, ValueError):
        return template


def dq_frame(rows: list[dict[str, Any]] | pd.DataFrame) -> pd.DataFrame:
    """A data-quality frame with :data:`analysis.schema.DQ_COLUMNS` (plus ``fields``, the JSON
    of a row's message fields, until :func:`fill_messages` words it in a language)."""
    df = pd.DataFrame(rows) if not isinstance(rows, pd.DataFrame) else rows
    if "_fields" in df.columns:
        own = df["_fields"].map(lambda f: json.dumps(f, ensure_ascii=False, default=str)
                                if isinstance(f, dict) else None)  # fmt: skip
        df = df.assign(fields=own.where(own.notna(), df.get("fields")))
    for col in DQ_COLUMNS:
        if col not in df.columns:
            df[col] = pd.Series(dtype="object")
    keep = [*DQ_COLUMNS, "fields"] if "fields" in df.columns else DQ_COLUMNS
    df = df[keep].copy()
    df["row"] = pd.to_numeric(df["row"], errors="coerce").astype("Int64")
    for col in ("severity", "code", "file", "sheet", "column", "value", "message"):
        df[col] = df[col].astype("str").where(df[col].notna(), "")
    return df.reset_index(drop=True)


def fill_messages(dq: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Word every data-quality row in ``lang`` from its code and fields (the loader keeps codes
    and fields only, so a parse serves both languages)."""
    if "fields" not in dq.columns:
        return dq_frame(dq)
    texts = []
    for code, value, fields, msg in zip(
        dq["code"], dq["value"], dq["fields"], dq["message"], strict=True
    ):
        if msg or not isinstance(fields, str):
            texts.append(msg or message(code, lang, value=value))
            continue
        f = json.loads(fields)
        f.setdefault("value", value)
        places = f.pop("other_places", None)
        if places is not None:
            f["other"] = "; ".join(_place(p, lang) for p in places)
        texts.append(message(f.pop("msg_code", code), lang, **f))
    return dq_frame(dq.drop(columns="fields").assign(message=texts))


def _place(p: list[Any], lang: str) -> str:
    file, sheet, row = (list(p) + ["", "", ""])[:3]
    where = f"{file}{' · ' + sheet if sheet else ''} · "
    return where + (f"row {row}" if lang == "en" else f"第 {row} 行")
