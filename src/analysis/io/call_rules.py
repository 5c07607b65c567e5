"""The value rules of call logs, ACD summaries and complaint records, written once as DuckDB macros.

Why: a call log may hold 10^7 rows, so its cells are converted in DuckDB, never one Python object
per row; the small files (an xlsx sheet, an ACD summary, complaint records) go through the very
same macros, so a duration, an answered flag or a rating reads the same in every file and there
is no second parser to drift apart. Word lists (answered, resolved, ratings) are config
(``defaults.toml`` ``[calls]``).

Every macro takes *clean* text (``kf_txt`` applied: trimmed, placeholders as NULL) and returns
NULL for what it cannot read; a caller tells "missing" from "not understood" by
``t IS NOT NULL AND kf_x(t) IS NULL``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from analysis.io.values import MISSING_TOKENS

#: Date and date-time text forms (the Excel serial number is read apart).
DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
    "%Y.%m.%d",
    "%Y年%m月%d日 %H:%M:%S",
    "%Y年%m月%d日 %H:%M",
    "%Y年%m月%d日",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
    "%Y/%m/%d %H:%M:%S.%f",
    "%Y-%m-%d %I:%M:%S %p",
    "%Y-%m-%d %I:%M %p",
    "%Y/%m/%d %I:%M:%S %p",
    "%Y/%m/%d %I:%M %p",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
)

#: Date-times with a UTC offset ("2026-03-02T01:05:03Z", "… 09:05:03+08:00"): an instant, read
#: as the wall clock of ``[calls] timezone``.
ZONED_FORMATS = (
    "%Y-%m-%dT%H:%M:%S%z",
    "%Y-%m-%dT%H:%M:%S.%f%z",
    "%Y-%m-%d %H:%M:%S%z",
    "%Y-%m-%d %H:%M:%S %z",
    "%Y-%m-%d %H:%M:%S.%f%z",
    "%Y-%m-%dT%H:%M%z",
)

#: Day-first slash dates ("13/03/2026"), used for a column whose dates show a day above 12 in
#: the first place and none in the second (see :func:`day_first`); otherwise slashes are M/D/Y.
DMY_FORMATS = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y")
#: A duration with units (hours, minutes, seconds; each optional, in this order).
_UNITS = (
    "^(?:(\\d+)\\s*(?:hours|hour|hrs|hr|h|小时|时))?\\s*"
    "(?:(\\d+)\\s*(?:minutes|minute|mins|min|m|分钟|分))?\\s*"
    "(?:(\\d+(?:\\.\\d+)?)\\s*(?:seconds|second|secs|sec|s|秒))?$"
)
_SLASH = "^(\\d{1,2})/(\\d{1,2})/\\d{4}"

#: Time-of-day text forms (a leading date, as calamine writes time cells, is dropped first).
TIME_FORMATS = ("%H:%M:%S", "%H:%M", "%H:%M:%S.%f", "%I:%M:%S %p", "%I:%M %p")

_FULL = "０１２３４５６７８９：－／．　ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ"
_HALF = "0123456789:-/. ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _q(text: str) -> str:
    """A SQL string literal."""
    return "'" + str(text).replace("'", "''") + "'"


def _list(words: Iterable[Any]) -> str:
    items = [_q(str(w).strip().lower()) for w in words if str(w).strip()]
    return "(" + ", ".join(items or ["''"]) + ")"


def _arr(words: Iterable[Any]) -> str:
    """A SQL list of lower-case words (list_contains: no hash join per IN list)."""
    return "[" + _list(words)[1:-1] + "]"


def _formats(fmts: Iterable[str]) -> str:
    return "[" + ", ".join(_q(f) for f in fmts) + "]"


def macros(cfg: Mapping[str, Any]) -> list[str]:
    """The CREATE MACRO statements of the rules, with the word lists of ``cfg`` baked in.

    One small function per group (text, dates and times, durations, flags and ratings, ids and
    callers), so each rule is read in one place; the order of the statements is kept."""
    # The config is read (and refused) in the order it always was: ratings before the zone.
    flags = _flag_macros(cfg)
    ids = _id_macros(cfg)
    return [*_text_macros(), *_date_macros(cfg), *_duration_macros(), *flags, *ids]


def _text_macros() -> list[str]:
    """Clean text (``kf_txt``: what every other rule is given) and Chinese AM/PM made readable."""
    missing = _list(MISSING_TOKENS)
    return [
        # Clean text: trimmed, placeholders ("-", "n/a", …) NULL; full-width digits, letters and
        # colons made half-width (only where the text is not plain ASCII: the cheap case first).
        f"""CREATE OR REPLACE MACRO kf_txt0(x) AS (CASE
            WHEN strlen(x) <= 6 AND lower(trim(x)) IN {missing} THEN NULL
            WHEN strlen(x) = length(x) OR NOT regexp_matches(x, '[０-９：－／．　Ａ-Ｚ]')
              THEN nullif(trim(x), '')
            ELSE nullif(trim(translate(x, {_q(_FULL)}, {_q(_HALF)})), '') END)""",
        # Excel-escaped text in a CSV (="0101", written to keep leading zeros) is its inside.
        """CREATE OR REPLACE MACRO kf_txt(x) AS kf_txt0(CASE
            WHEN starts_with(x, '="') AND ends_with(x, '"') AND strlen(x) >= 3
              THEN substr(x, 3, strlen(x) - 3) ELSE x END)""",
        # Chinese AM/PM ("下午 1:05:10", "2026-03-02 上午9:05") as "1:05:10 PM" for %p.
        """CREATE OR REPLACE MACRO kf_ampm(t) AS (CASE WHEN t LIKE '%午%' THEN
            replace(replace(regexp_replace(t, '(上午|下午)\\s*(\\d{1,2}:\\d{2}(:\\d{2})?)',
                                           '\\2 \\1'), '上午', 'AM'), '下午', 'PM')
            ELSE t END)""",
    ]


def _date_macros(cfg: Mapping[str, Any]) -> list[str]:
    """Dates, date-times (zoned ones as the wall clock of ``[calls] timezone``) and times of day."""
    zone = local_zone(cfg)
    return [
        # A date or date-time: text forms, 20260305, or an Excel serial (1 … 2958465, fraction =
        # time of day).
        f"""CREATE OR REPLACE MACRO kf_ts(t) AS (CASE
            WHEN regexp_full_match(t, '(19|20)\\d{{6}}') THEN try_strptime(t, '%Y%m%d')
            WHEN regexp_full_match(t, '\\d+(\\.\\d+)?')
              THEN CASE WHEN CAST(t AS DOUBLE) BETWEEN 1 AND 2958465
                THEN TIMESTAMP '1899-12-30'
                     + to_microseconds(CAST(round(CAST(t AS DOUBLE) * 86400) AS BIGINT) * 1000000)
                END
            WHEN regexp_matches(t, ':\\d{{2}}(\\.\\d+)?\\s?(Z|[+-]\\d{{2}}:?\\d{{2}})$')
              THEN timezone({_q(zone)}, try_strptime(regexp_replace(t, 'Z$', '+00:00'),
                                                      {_formats(ZONED_FORMATS)}))
            ELSE try_strptime(kf_ampm(t), {_formats(DATE_FORMATS)}) END)""",
        # The same with slash dates read day first (a column that proved it is D/M/Y).
        f"""CREATE OR REPLACE MACRO kf_ts_dmy(t) AS (CASE
            WHEN regexp_matches(t, '{_SLASH}') THEN try_strptime(t, {_formats(DMY_FORMATS)})
            ELSE kf_ts(t) END)""",
        # Seconds since midnight: "11:57:07", "1:05 PM", calamine's "1899-12-31 11:57:07", the
        # time part of a date-time, or an Excel day fraction (0 ≤ x < 1).
        f"""CREATE OR REPLACE MACRO kf_tod(t) AS (CASE
            WHEN regexp_full_match(t, '0?\\.\\d+|0')
              THEN round(CAST(t AS DOUBLE) * 86400)
            ELSE epoch(try_strptime(
                     kf_ampm(regexp_replace(t, '^\\d{{4}}-\\d{{1,2}}-\\d{{1,2}}[ T]', '')),
                     {_formats(TIME_FORMATS)}))
                 - epoch(TIMESTAMP '1900-01-01') END)""",
    ]


def _duration_macros() -> list[str]:
    """Durations in seconds: h:mm:ss, numbers times a unit factor, calamine time cells, units."""
    return [
        # A duration in seconds: "h:mm:ss" (hours may pass 24), "mm:ss", a calamine time cell
        # ("1899-12-31 00:03:47", "1900-01-01 01:00:00" = 25 h), or a number times ``f`` (1 for
        # seconds, 60 for minutes, 86400 for an Excel day fraction). Minutes or seconds of 60 or
        # more ("4:32:60") are invalid: NULL, reported, never rolled over. ``p`` is
        # ``kf_dur_parts(t)``, computed once in a layer below (a macro argument used twice is
        # evaluated twice, and 10^7 rows notice).
        """CREATE OR REPLACE MACRO kf_dur_parts(t) AS (CASE
            WHEN regexp_full_match(t, '(\\d+:)?\\d{1,2}:\\d{1,2}(\\.\\d+)?') THEN string_split(t, ':')
            END)""",
        """CREATE OR REPLACE MACRO kf_dur(t, p, f) AS (CASE
            WHEN p IS NOT NULL THEN kf_hms(p)
            WHEN regexp_full_match(t, '\\d+(\\.\\d+)?') THEN CAST(t AS DOUBLE) * f
            WHEN t LIKE '1899-12-3%' OR t LIKE '1900-0%'
              THEN epoch(try_strptime(t, ['%Y-%m-%d %H:%M:%S', '%Y-%m-%d %H:%M:%S.%f']))
                   - epoch(CASE WHEN t LIKE '1899-12-30%' THEN TIMESTAMP '1899-12-30'
                           ELSE TIMESTAMP '1899-12-31' END)
            WHEN regexp_matches(t, '[A-Za-z时分秒]') THEN kf_units(lower(t))
            END)""",
        # A duration written with units: "3m20s", "1h 2m 3s", "3分20秒", "1小时5分", "45秒",
        # "90 sec". Minutes (after hours) and seconds (after minutes) of 60 or more are invalid
        # (NULL, reported), as in h:mm:ss.
        f"""CREATE OR REPLACE MACRO kf_units(t) AS (CASE
            WHEN regexp_full_match(t, '{_UNITS}') AND regexp_matches(t, '\\d') THEN CASE
              WHEN (regexp_extract(t, '{_UNITS}', 1) <> ''
                    AND coalesce(TRY_CAST(regexp_extract(t, '{_UNITS}', 2) AS DOUBLE), 0) >= 60)
                OR ((regexp_extract(t, '{_UNITS}', 1) <> '' OR regexp_extract(t, '{_UNITS}', 2) <> '')
                    AND coalesce(TRY_CAST(regexp_extract(t, '{_UNITS}', 3) AS DOUBLE), 0) >= 60)
                THEN NULL
              ELSE coalesce(TRY_CAST(regexp_extract(t, '{_UNITS}', 1) AS DOUBLE), 0) * 3600
                 + coalesce(TRY_CAST(regexp_extract(t, '{_UNITS}', 2) AS DOUBLE), 0) * 60
                 + coalesce(TRY_CAST(regexp_extract(t, '{_UNITS}', 3) AS DOUBLE), 0) END
            END)""",
        """CREATE OR REPLACE MACRO kf_hms(p) AS (CASE
            WHEN len(p) = 3 THEN CASE WHEN CAST(p[2] AS INTEGER) < 60 AND CAST(p[3] AS DOUBLE) < 60
                THEN CAST(p[1] AS DOUBLE) * 3600 + CAST(p[2] AS DOUBLE) * 60 + CAST(p[3] AS DOUBLE)
                END
            ELSE CASE WHEN CAST(p[1] AS INTEGER) < 60 AND CAST(p[2] AS DOUBLE) < 60
                THEN CAST(p[1] AS DOUBLE) * 60 + CAST(p[2] AS DOUBLE) END END)""",
        # The same for a single value (small tables: ACD summaries).
        """CREATE OR REPLACE MACRO kf_dur1(t, f) AS kf_dur(t, kf_dur_parts(t), f)""",
    ]


def _flag_macros(cfg: Mapping[str, Any]) -> list[str]:
    """Answered, yes/no, direction and rating, with the word lists of ``[calls]`` baked in."""
    words = cfg.get("calls", {}) or {}
    ratings = {
        str(k).strip().lower(): float(v) for k, v in (words.get("rating_words") or {}).items()
    }
    scale = float((cfg.get("service", {}) or {}).get("rating_scale", 5))
    rating_case = (
        " ".join(f"WHEN {_q(k)} THEN {v!r}" for k, v in ratings.items()) or "WHEN '' THEN NULL"
    )
    return [
        # Answered: Y/N, 是/否, 接通/未接通/放弃, 1/0 … (defaults.toml [calls]).
        f"""CREATE OR REPLACE MACRO kf_answered(t) AS (CASE
            WHEN list_contains({_arr(words.get("answered_yes", []))}, lower(t)) THEN true
            WHEN list_contains({_arr(words.get("answered_no", []))}, lower(t)) THEN false END)""",
        f"""CREATE OR REPLACE MACRO kf_yesno(t) AS (CASE
            WHEN list_contains({_arr(words.get("yes", []))}, lower(t)) THEN true
            WHEN list_contains({_arr(words.get("no", []))}, lower(t)) THEN false END)""",
        f"""CREATE OR REPLACE MACRO kf_direction(t) AS (CASE
            WHEN list_contains({_arr(words.get("inbound", []))}, lower(t)) THEN 'in'
            WHEN list_contains({_arr(words.get("outbound", []))}, lower(t)) THEN 'out' END)""",
        # A rating on the scale: a number (a trailing 分 allowed) from 1 to the scale, or a word.
        # 0 is no grade of a 1 … N survey (systems write it for "not rated"): not a rating, not
        # a dissatisfied customer.
        f"""CREATE OR REPLACE MACRO kf_rating(t) AS (CASE
            WHEN regexp_full_match(t, '\\d+(\\.\\d+)?分?')
              THEN CASE WHEN CAST(rtrim(t, '分') AS DOUBLE) BETWEEN 1 AND {scale!r}
                        THEN CAST(rtrim(t, '分') AS DOUBLE) END
            ELSE CASE lower(t) {rating_case} END END)""",
    ]


def _id_macros(cfg: Mapping[str, Any]) -> list[str]:
    """Agent ids spelled one way, and the salted 64-bit key of a caller id."""
    salt = str((cfg.get("calls", {}) or {}).get("caller_salt", ""))
    return [
        # Agent IDs spelled one way (as analysis.io.values.agent_ids): no spaces, upper case.
        """CREATE OR REPLACE MACRO kf_agent(t) AS
            nullif(upper(regexp_replace(t, '\\s+', '', 'g')), '')""",
        # A 64-bit key of the caller id (never the number itself): md5 of the digits and
        # letters (and mask stars), salted by [calls] caller_salt, folded into int64.
        f"""CREATE OR REPLACE MACRO kf_caller(t) AS (CASE
            WHEN nullif(regexp_replace(t, '[\\s\\-()+.]', '', 'g'), '') IS NOT NULL
              THEN CAST(CAST(md5_number_lower({_q(salt)} || regexp_replace(t, '[\\s\\-()+.]', '',
                   'g')) AS HUGEINT) - 9223372036854775808 AS BIGINT) END)""",
    ]


def local_zone(cfg: Mapping[str, Any]) -> str:
    """The centre's time zone (``[calls] timezone``), checked before DuckDB sees it."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from analysis.errors import ConfigError

    tz = str((cfg.get("calls", {}) or {}).get("timezone", "") or "Asia/Shanghai").strip()
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"[calls] timezone = {tz!r} is not a known time zone (e.g. Asia/Shanghai) / "
            f"[calls] timezone = {tz!r} 不是可识别的时区(如 Asia/Shanghai)"
        ) from None
    return tz


def install(con: Any, cfg: Mapping[str, Any]) -> None:
    """Create the rule macros on a DuckDB connection."""
    for stmt in macros(cfg):
        con.execute(stmt)


def connect(cfg: Mapping[str, Any], temp_dir: str | None = None) -> Any:
    """A DuckDB connection (``[service]`` limits, file order kept) with the rules installed."""
    from analysis.io.engine import duckdb_connection

    con = duckdb_connection(cfg, temp_dir, keep_order=True)
    install(con, cfg)
    return con


def day_first(con: Any, cells: str, args: list[Any] | None = None) -> bool:
    """Whether a column of slash dates is D/M/Y: some first number above 12 ("13/03/2026") and
    no second one. Read M/D/Y, its days 1–12 would land in the wrong month in silence while the
    others are refused. ``cells`` is SQL yielding the column's raw text as ``v``."""
    first, second, _ = slash_days(con, cells, args)
    return bool(first) and not second


def slash_days(con: Any, cells: str, args: list[Any] | None = None) -> tuple[int, int, int]:
    """Slash dates of a column: how many have a first number above 12, a second one above 12,
    and how many there are."""
    first, second, n = con.execute(
        f"SELECT count(*) FILTER (WHERE CAST(a AS INTEGER) > 12), count(*) FILTER (WHERE "
        f"CAST(b AS INTEGER) > 12), count(*) FROM (SELECT regexp_extract(trim(v), '{_SLASH}', 1) "
        f"AS a, regexp_extract(trim(v), '{_SLASH}', 2) AS b FROM {cells} "
        f"WHERE regexp_matches(trim(v), '{_SLASH}'))",
        args or [],
    ).fetchall()[0]
    return int(first), int(second), int(n)


def duration_factor(header: str, sample: Iterable[str]) -> tuple[float, str]:
    """Seconds per number in a duration column, and why: the header's unit (毫秒/ms, 秒/s/sec,
    分钟/min), else day fractions when every number of the sample is below 1 (Excel time values),
    else seconds."""
    h = header.lower()
    # Milliseconds first: "毫秒" holds "秒", and a millisecond read as a second is 1000 × off.
    if re.search(r"毫秒|\bms\b|millisec|msec", h):
        return 0.001, "milliseconds (header)"
    if re.search(r"秒|\bsec|seconds|\(s\)|（s）|_s\b", h):
        return 1.0, "seconds (header)"
    if re.search(r"分钟|\bmin|minutes|\(m\)", h):
        return 60.0, "minutes (header)"
    nums, clock = [], 0
    for v in sample:
        t = str(v).strip()
        if re.fullmatch(r"\d+(\.\d+)?", t):
            nums.append(float(t))
        elif ":" in t:
            clock += 1
    if clock and not nums:
        return 1.0, "h:mm:ss (text or time cells)"
    if nums and max(nums) < 1 and any(n > 0 for n in nums):
        return 86400.0, "Excel day fractions (every value below 1)"
    return 1.0, "seconds"


__all__ = [
    "DATE_FORMATS",
    "DMY_FORMATS",
    "TIME_FORMATS",
    "connect",
    "day_first",
    "slash_days",
    "duration_factor",
    "install",
    "local_zone",
    "macros",
]
