"""The monthly scorecard bulletin (20_scorecards) as data: every table, figure input and tile.

Why: the notebook should read like the report, and what it shows should be unit-testable
without running papermill. :func:`build` scores the data (``analysis.scorecard``, numbers and
codes) and turns it into words from ``catalog/<lang>/scorecard.toml``; :func:`write_exports`
writes ``scorecards.csv`` (English headers and codes for scripts, the explanation in the run's
language) and ``scorecards.xlsx`` (the run's language, for managers).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis import fmt
from analysis import scorecard as sc
from analysis.catalog import labels, words
from analysis.config import scorecard_rules
from analysis.report import Col

MINUS = "−"  # U+2212, as the bulletin prints it
AREA = "scorecard"


# ---------------------------------------------------------------------------------------------
# words for the domain's numbers and codes


def _num(v: float) -> str:
    """8.0 → "8", 61.666 → "61.67" (two decimals at most, no trailing zeros)."""
    r = float(np.round(v, 2)) + 0.0  # + 0.0 turns -0.0 into 0.0
    text = repr(r)
    return text[:-2] if text.endswith(".0") else text


def _sgn(v: float) -> str:
    """Signed points: −8, +15, 0."""
    r = float(np.round(v, 2)) + 0.0
    return (MINUS if r < 0 else "+" if r > 0 else "") + _num(abs(r))


def _has(key: str, lang: str) -> bool:
    return key in labels(AREA, lang)


def _item_name(code: str, lang: str, t: Callable[..., str]) -> str:
    return t(f"x_{code}") if _has(f"x_{code}", lang) else code


def _line(it: sc.Item, t: Callable[..., str], lang: str) -> str:
    """One explanation line in words ("A7×2 −8", "单量 120 / 组均 100 = 120", …)."""
    c, x = it.code, (lambda k: t(f"x_{k}"))
    lines: dict[str, Callable[[], str]] = {
        "red_line": lambda: f"{it.ref}×{_num(it.count)} {x('red_line')}",
        "floor": lambda: f"{x(it.ref)} {x('floor')}",
        "exam": lambda: f"{x('exam')} {_num(it.value)}",
        "missing": lambda: f"{x(it.ref)} {x('missing')}",
        "blank_as_zero": lambda: f"{x(it.ref)} {x('blank_zero')}",
        "volume": lambda: (
            f"{x('tickets')} {_num(it.count)} / {x(it.ref)} {_num(it.base)} = {_num(it.value)}"
        ),
        "no_callbacks": lambda: f"{x('callbacks')} {x('no_callbacks')}",
        "attitude": lambda: f"{x(c)} {it.ref or x('missing')} {_num(it.points)}",
        "teamwork": lambda: f"{x(c)} {it.ref or x('missing')} {_num(it.points)}",
        "suggestions_capped": lambda: (
            f"{x('suggestions')}×{_num(it.count)} {_sgn(it.points)} → {x('cap')} {_sgn(it.value)}"
        ),
        "not_scored": lambda: t("x_not_scored", items="、".join(t(k) for k in it.ref.split(","))),
        "rescaled": lambda: t("x_rescaled", sum=f"{it.value:g}"),
    }
    if c in lines:
        return lines[c]()
    return f"{_item_name(c, lang, t)}×{_num(it.count)} {_sgn(it.points)}"


def explain(items: Iterable[sc.Item], lang: str = "zh") -> str:
    """A score's arithmetic in words: "A1×11 −22; A7×2 −8; B1×1 −3; 笔试 80"."""
    t = words(lang, AREA)
    parts: list[str] = []
    graded: list[str] = []
    for it in items:
        if it.code.startswith("cb_"):
            graded.append(f"{it.code[3:]}×{_num(it.count)} {_sgn(it.points)}")
        elif it.code == "callbacks":
            parts.append(f"{t('x_callbacks')} {', '.join(graded)} = {_sgn(it.points)}")
            graded = []
        elif it.code == "callbacks_scaled":
            parts.append(
                f"{t('x_callbacks')} {_num(it.count)} {t('x_n_callbacks')}: {', '.join(graded)}"
                f" = {_sgn(it.points)} → ×{_num(it.base)}/{_num(it.count)} = {_sgn(it.value)}"
            )
            graded = []
        else:
            parts.append(_line(it, t, lang))
    return "; ".join(parts)


def explanations(items: pd.Series, lang: str = "zh") -> pd.Series:
    """:func:`explain` for a column of item tuples."""
    return pd.Series([explain(i, lang) for i in items], index=items.index, dtype="str")


def _place(file: Any, sheet: Any, row: Any, t: Callable[..., str]) -> str:
    """ "file · sheet · 第 N 行" ("" without a row)."""
    r = pd.to_numeric(pd.Series([row]), errors="coerce").iloc[0]
    if pd.isna(r):
        return ""
    f = "" if pd.isna(file) else file
    s = "" if pd.isna(sheet) else sheet
    text = t("at", file=f, sheet=s, row=int(r)).replace(" ·  · ", " · ")
    return text.replace(";", ",")


def where(frame: pd.DataFrame, lang: str = "zh") -> pd.Series:
    """The source place of each row in words."""
    t = words(lang, AREA)
    cols = [frame[c] for c in ("source_file", "source_sheet", "source_row")]
    return pd.Series(
        [_place(f, s, r, t) for f, s, r in zip(*cols, strict=True)], index=frame.index, dtype="str"
    )


def _field_word(fld: str, lang: str, t: Callable[..., str]) -> str:
    if _has(fld, lang):
        return t(fld)
    if _has(f"x_{fld}", lang):
        return t(f"x_{fld}")
    if fld.startswith("cb_"):
        return f"{t('x_callbacks')} {fld[3:]}"
    return fld


def _token_words(token: str, lang: str, t: Callable[..., str]) -> str:
    code, fld, value = ([*token.split(":", 2), "", ""])[:3]
    if code in ("duplicate", "both_roles"):
        places = [p.split(sc.PART_SEP) for p in value.split(sc.PLACE_SEP)]
        value = ", ".join(_place(*(p + ["", "", ""])[:3], t) for p in places)
    return t(f"why_{code}", field=_field_word(fld, lang, t), value=value)


def reasons(check: pd.Series, lang: str = "zh") -> pd.Series:
    """``check`` tokens → words ("笔试空白; 工作态度「F」超出允许范围")."""
    t = words(lang, AREA)
    return pd.Series(
        [
            "; ".join(_token_words(k, lang, t) for k in dict.fromkeys(x for x in c.split(";") if x))
            for c in check.fillna("").astype("str")
        ],
        index=check.index,
        dtype="str",
    )


def describe_flags(flags: pd.Series, lang: str = "zh") -> pd.Series:
    """``flags`` codes → words for people ("red_line;tie" → "红线、同分")."""
    t = words(lang, AREA)
    sep = "、" if lang == "zh" else ", "
    return pd.Series(
        [
            sep.join(t(f"f_{f}") if f in sc.FLAGS else f for f in str(v).split(";") if f)
            for v in flags.fillna("")
        ],
        index=flags.index,
        dtype="str",
    )


def labelled(table: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """``build_scorecards`` with its words: :data:`~analysis.scorecard.SCORECARD_COLUMNS`."""
    return table.assign(
        explanation=explanations(table["items"], lang), reason=reasons(table["check"], lang)
    ).reindex(columns=sc.SCORECARD_COLUMNS)


def list_reasons(lists: pd.DataFrame, lang: str = "zh") -> pd.Series:
    """Why each agent is on a list, in words ("本月排名 9/10", "红线项目 R1×1")."""
    t = words(lang, AREA)

    def one(r: Mapping[str, Any]) -> str:
        kind = r["list"]
        if kind == "red_line":
            items = ", ".join(f"{c}×{_num(n)}" for c, n in (r["red_items"] or ()))
            return t("reason_red_line", items=items).strip()
        if kind == "improvement":
            return t("reason_improvement", rank=r["rank"], n=int(r["role_size"]))
        return t(f"reason_{kind}", months=int(r["months"]))

    return pd.Series([one(r) for r in lists.to_dict("records")], index=lists.index, dtype="str")


def to_check_words(to_check: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """:func:`~analysis.scorecard.to_check_list` in words: ``role, agent_id, name, reason, where``."""
    return to_check.assign(reason=reasons(to_check["check"], lang), where=where(to_check, lang))[
        ["role", "agent_id", "name", "reason", "where"]
    ]
