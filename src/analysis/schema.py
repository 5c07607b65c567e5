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

#: Pre-sales monthly scorecard: counts per item code, exam score 0-100.
PRESALES_ITEMS = [f"A{i}" for i in range(1, 12)] + ["R1", "R2"] + [f"B{i}" for i in range(1, 13)]
PRESALES_COLUMNS = ["period", "agent_id", "name", *PRESALES_ITEMS, "exam", *SOURCE_COLUMNS]

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

#: The data-quality list: every input row not in the analysis, and every doubt about one that is.
DQ_COLUMNS = ["severity", "code", "file", "sheet", "row", "column", "value", "message"]
SEVERITIES = ("error", "warning", "info")
