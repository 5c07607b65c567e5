"""Column contracts of the tidy frames passed between loading and the pure modules.

Why: loading (``analysis.io``) produces these frames and every pure module consumes them; one
place names the columns so neither side guesses. Inside the code, names are English snake_case;
Chinese appears only in input aliases and report labels.

Every loaded frame also carries provenance columns (``SOURCE_COLUMNS``) so any figure can be
traced back to the spreadsheet row it came from ("why is this line 12 % over?").
"""

from __future__ import annotations

#: Provenance on every loaded row: file path relative to the data folder, sheet name (CSV: ""),
#: row number as Excel shows it (1-based, header rows counted).
SOURCE_COLUMNS = ["source_file", "source_sheet", "source_row"]

#: Plan lines, one row per department × category × item × month. ``period`` is "YYYY-MM".
#: ``plan`` is the original plan in 元; ``revised_plan`` the adjusted plan (NaN where none).
#: ``kind`` is "cost" or "revenue".
PLAN_COLUMNS = [
    "period",
    "department",
    "category",
    "item",
    "plan",
    "revised_plan",
    "kind",
    *SOURCE_COLUMNS,
]

#: Actual spending, one row per ledger line (or per monthly sum). ``amount`` in 元, refunds negative.
#: ``category`` is the ledger's own label; mapping to plan categories happens in ``analysis.budget``.
ACTUAL_COLUMNS = [
    "date",
    "period",
    "department",
    "category",
    "item",
    "amount",
    "description",
    "voucher",
    *SOURCE_COLUMNS,
]

#: Pre-sales monthly scorecard: counts per item code, exam score 0-100 (NaN: blank or invalid).
#: ``check`` (both roles): why the row cannot be scored as read, "code:field:value" tokens joined
#: by ";" ("" when it can); a row with a token is listed under 待核实, never ranked or paid.
PRESALES_ITEMS = [f"A{i}" for i in range(1, 12)] + ["R1", "R2"] + [f"B{i}" for i in range(1, 13)]
PRESALES_COLUMNS = ["period", "agent_id", "name", *PRESALES_ITEMS, "exam", "check", *SOURCE_COLUMNS]

#: After-sales monthly scorecard. ``cb_A`` … ``cb_D`` are callback counts by grade;
#: ``attitude`` and ``teamwork`` are grades "A"…"E".
AFTERSALES_COLUMNS = [
    "period",
    "agent_id",
    "name",
    "tickets",
    "cb_A",
    "cb_B",
    "cb_C",
    "cb_D",
    "attitude",
    "teamwork",
    "late_reports",
    "violations",
    "suggestions",
    "complaints",
    "check",
    *SOURCE_COLUMNS,
]

#: After-sales fields that are counts (floats: a scaled or missing count stays representable).
AFTERSALES_COUNTS = [
    "tickets",
    "cb_A",
    "cb_B",
    "cb_C",
    "cb_D",
    "late_reports",
    "violations",
    "suggestions",
    "complaints",
]

#: Every numeric field of the loaded frames stored as float64 (money, scores, counts, volumes).
FLOAT_FIELDS = frozenset(
    {"plan", "revised_plan", "amount", "exam", "calls", "aht_s", "count", *AFTERSALES_COUNTS}
)

#: Roster: ``role`` is "presales" or "aftersales"; ``leader`` is the team leader's name;
#: ``is_leader`` marks the 组长 themself.
ROSTER_COLUMNS = ["agent_id", "name", "team", "role", "leader", "is_leader", *SOURCE_COLUMNS]

#: Call volumes per interval for staffing: ``day`` is a date "YYYY-MM-DD" or a weekday label,
#: ``interval`` the interval start "HH:MM", ``calls`` the offered calls, ``aht_s`` optional.
STAFFING_COLUMNS = ["day", "interval", "calls", "aht_s", *SOURCE_COLUMNS]

#: The canonical call log (one row per call), stored as Parquet parts, never as one pandas frame
#: (a log may hold 10^8 calls): ``start`` is the offer time (local, naive); ``agent_id`` is null
#: when not answered; ``direction`` "in" | "out"; durations in seconds (hold/wrap null when the
#: export has none); ``rating`` on ``[service] rating_scale``; ``caller_key`` a 64-bit hash of the
#: caller id (never the number). ``source_row``: Excel row, CSV line or Parquet record number.
CALL_COLUMNS = [
    "call_id",
    "start",
    "queue",
    "agent_id",
    "direction",
    "answered",
    "wait_s",
    "talk_s",
    "hold_s",
    "wrap_s",
    "rating",
    "resolved",
    "caller_key",
    *SOURCE_COLUMNS,
]

#: Complaint records (投诉单): ``closed`` is NaT while the complaint is open.
COMPLAINT_COLUMNS = [
    "complaint_id",
    "received",
    "channel",
    "type",
    "agent_id",
    "owner",
    "status",
    "closed",
    *SOURCE_COLUMNS,
]

#: Per-agent ACD summaries (ViciDial-like), one row per agent and day or period: ``date`` NaT
#: when the export names none; counts and seconds as floats (a missing or invalid value is NaN).
ACD_COLUMNS = [
    "period",
    "date",
    "agent_id",
    "name",
    "calls",
    "inbound",
    "outbound",
    "login_s",
    "talk_s",
    "wait_s",
    "pause_s",
    "wrap_s",
    *SOURCE_COLUMNS,
]

#: The data-quality list: every input row not in the analysis, and every doubt about one that is.
DQ_COLUMNS = ["severity", "code", "file", "sheet", "row", "column", "value", "message"]
SEVERITIES = ("error", "warning", "info")

#: How each table was read (one row per file × sheet × table; ``inputs_read.csv``, run.json
#: "readings", 数据概览). Every decision the loader took about a table is a column here, so a user
#: can see it and pin it in config.toml (``[[read]]``):
#: - ``status``: read | skipped | duplicate (identical file read once) | hidden | empty
#: - ``layout``: ledger | wide_plan (month columns) | annual_plan (one yearly amount, spread) |
#:   long_plan (a month per row) | plan_actual (plan and actual side by side) | monthly_actuals
#:   (actuals in the plan's layout) | presales | aftersales | callbacks | qa_log | roster |
#:   staffing | "" (nothing read)
#: - ``range``: the cell range of the table ("A3:P40"); ``header_rows``: "3" or "3-4"
#: - ``fields``: "header text→field; …" for every column used
#: - ``unit``/``unit_source``, ``sign`` (positive | negative)/``sign_source``,
#:   ``year``/``year_source``, ``period`` (the month a sheet is for, "" when per row)
#: - row accounting: read = loaded + total + section + note + rejected (+ duplicate lines);
#:   amounts in 元 to the 分: read = loaded + reported
#: - ``pin``: the config.toml lines that would pin this reading as it was taken
READING_COLUMNS = [
    "file",
    "sheet",
    "kind",
    "table",
    "status",
    "layout",
    "range",
    "header_rows",
    "fields",
    "unit",
    "unit_source",
    "sign",
    "sign_source",
    "year",
    "year_source",
    "period",
    "rows_read",
    "rows_loaded",
    "rows_total",
    "rows_section",
    "rows_note",
    "rows_rejected",
    "rows_reported",
    "amount_read",
    "amount_loaded",
    "amount_reported",
    "sha256",
    "bytes",
    "note",
    "pin",
]
LAYOUTS = (
    "ledger",
    "wide_plan",
    "annual_plan",
    "long_plan",
    "plan_actual",
    "monthly_actuals",
    "presales",
    "aftersales",
    "callbacks",
    "qa_log",
    "roster",
    "staffing",
    "call_log",
    "agent_daily",
    "complaints",
)
