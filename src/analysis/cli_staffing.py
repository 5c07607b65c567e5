"""``analysis staffing``: a quick Erlang C answer from the command line.

Why: a team leader asks "how many agents for 300 calls in the 10:00 half hour?" and wants the
answer without opening a report. ``--json`` gives the six figures to other tools.
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from typing import Any, cast

from analysis import staffing as st
from analysis.config import load_config
from analysis.paths import resolve
from analysis.views.words import words

#: The options passed to :func:`analysis.staffing.estimate` as they are (None → the config).
VERB_OPTIONS = ("interval_min", "answer_s", "service_level", "max_occupancy", "shrinkage", "agents",
                "fractional")  # fmt: skip


def _fraction(text: str) -> float:
    """0.8 and 80 both mean 80 %: values above 1 are read as percentages."""
    try:
        v = float(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"不是数字 / not a number: {text!r}") from exc
    return v / 100 if v > 1 else v


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``staffing`` on the main CLI's subparsers."""
    p = subparsers.add_parser(
        "staffing",
        help="Erlang C 座席测算 / agents needed for a call volume",
        description="Erlang C：所需座席、服务水平、排队概率、平均应答速度、占用率。"
        " Rates accept 0.8 or 80 (percent). Defaults for occupancy and shrinkage come from"
        " [staffing] in defaults.toml (or <data>/config.toml with --data).",
    )
    p.add_argument("--calls", type=float, required=True, help="每时段来电量 / calls per interval")
    p.add_argument("--interval-min", type=float, required=True, help="时段长度（分钟）")
    p.add_argument("--aht-s", type=float, required=True, help="平均处理时长（秒）/ AHT in seconds")
    p.add_argument("--answer-s", type=float, required=True, help="目标接通时间（秒）")
    p.add_argument("--service-level", type=_fraction, required=True, help="目标服务水平 0.8 或 80")
    p.add_argument("--max-occupancy", type=_fraction, default=None, help="最高占用率")
    p.add_argument("--shrinkage", type=_fraction, default=None, help="缩减率")
    p.add_argument("--agents", type=float, default=None, help="假设座席数：反推服务水平 / what-if")
    p.add_argument("--fractional", action="store_true", help="小数模式（不向上取整）")
    p.add_argument("--json", action="store_true", help="输出 JSON / print a JSON object")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="输出语言 / language")
    p.add_argument("--data", default=argparse.SUPPRESS, help="数据目录（读取 config.toml）")
    p.set_defaults(func=run)
    return p


def _width(text: str) -> int:
    """Terminal columns: CJK characters take two, so labels line up in a Chinese terminal."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _human(r: st.ErlangResult, target: float, max_occ: float, what_if: bool, lang: str) -> str:
    t = words(lang, "staffing")
    rows: list[tuple[str, str]] = [
        (t("calls"), f"{r.calls:g}"),
        (t("interval_min"), f"{r.interval_min:g}"),
        (t("aht_s"), f"{r.aht_s:g}"),
        (t("answer_s"), f"{r.answer_s:g}"),
        (t("traffic"), f"{r.traffic:.2f}"),
    ]
    if not what_if:
        rows += [(t("target_sl"), f"{target:.1%}"), (t("max_occupancy"), f"{max_occ:.0%}")]
    rows += [
        (t("shrinkage"), f"{r.shrinkage:.0%}"),
        (t("agents_given") if what_if else t("agents_needed"), f"{r.agents:g}"),
        (t("agents_after_shrinkage"), f"{r.agents_after_shrinkage:g}"),
        (t("service_level"), f"{r.service_level:.1%}"),
        (t("waiting_probability"), f"{r.waiting_probability:.1%}"),
        (t("asa_s"), "∞" if r.overloaded else f"{r.asa_s:.1f}"),
        (t("occupancy"), f"{r.occupancy:.1%}"),
    ]
    width = max(_width(k) for k, _ in rows)
    lines = [t("heading_erlang", title=t("title"))]
    lines += [f"  {k}{' ' * (width - _width(k))}  {v}" for k, v in rows]
    if not float(r.agents).is_integer():
        lines.append(f"  {t('fractional_note')}")
    return "\n".join(lines)


def overload_text(r: st.ErlangResult, lang: str) -> str:
    """The words for ``code == "overloaded"``: the queue never empties; how many are needed."""
    t = words(lang, "staffing")
    return t("overloaded", traffic=f"{r.traffic:.2f}", agents=f"{r.agents:g}", need=r.min_agents)


def run(args: argparse.Namespace) -> int:
    """Print the answer; exit 0, or 2 with one clear paragraph on stderr for bad input."""
    try:
        data = getattr(args, "data", None)
        cfg = load_config(resolve(data) if data else None)
        s = cfg["staffing"]
        max_occ = s["max_occupancy"] if args.max_occupancy is None else args.max_occupancy
        if args.agents is not None:
            st.check_rate("service_level", args.service_level, allow_zero=False, allow_one=False)
        given = {k: getattr(args, k) for k in VERB_OPTIONS}
        r = st.estimate(args.calls, args.aht_s, config=cfg, **given)
    except (st.StaffingError, ValueError) as exc:
        print(f"analysis staffing: {exc}", file=sys.stderr)
        return 2
    r = cast(st.ErlangResult, r)
    if args.json:
        print(json.dumps(r.to_json(), ensure_ascii=False))
    else:
        print(_human(r, args.service_level, max_occ, args.agents is not None, args.lang))
    if r.overloaded:
        print(overload_text(r, args.lang), file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Standalone entry for testing: ``python -m analysis.cli_staffing --calls …``."""
    parser = argparse.ArgumentParser(prog="analysis")
    add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["staffing", *(sys.argv[1:] if argv is None else argv)])
    return run(args)


if __name__ == "__main__":
    raise SystemExit(main())
