"""Shared chart set-up: a CJK font shipped inside a Python package, a house style, unit formatters.

Why: a fresh machine (or CI) has no Chinese system font, and matplotlib then draws empty boxes
for 中文 labels. The ``mplfonts`` package ships Noto Sans CJK SC; we register that file directly,
so charts render the same everywhere with no OS install.
"""

from __future__ import annotations

import importlib.resources
from functools import cache
from pathlib import Path

import matplotlib

matplotlib.use("Agg", force=False)

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

CJK_FONT_FILE = "NotoSansCJKsc-Regular.otf"
CJK_FONT_NAME = "Noto Sans CJK SC"

#: One colour language for every chart (and the same red/green/amber as table rows and tiles):
#: red = bad news (overspend, red line, short of people), green = good news (saving, first
#: place), orange = needs action (bottom N, improvement plan) and nothing else; plan grey,
#: actual blue; a forecast is dark slate, a second projection purple.
COLORS = {
    "plan": "#9aa5b1",
    "actual": "#2f6fb3",
    "over": "#c0392b",
    "under": "#27ae60",
    "neutral": "#7f8c8d",
    "accent": "#e67e22",  # orange: needs action (bottom N) only
    "forecast": "#34495e",
    "revised": "#8e44ad",
}
#: One colour per role in every chart: 售前 always blue, 售后 always teal (never orange/red/green).
ROLE_COLORS = {"presales": "#2f6fb3", "aftersales": "#138d75"}


def role_color(role: str) -> str:
    """The colour of a role in every chart (grey for an unknown role)."""
    return ROLE_COLORS.get(role, COLORS["neutral"])


PALETTE = ["#2f6fb3", "#e67e22", "#27ae60", "#c0392b", "#8e44ad", "#16a085", "#7f8c8d", "#d35400"]


def cjk_font_path() -> Path:
    """Path of the bundled CJK font inside the installed ``mplfonts`` package."""
    return Path(str(importlib.resources.files("mplfonts") / "fonts" / CJK_FONT_FILE))


@cache
def setup_fonts() -> str:
    """Register the CJK font and make it the default; idempotent. Returns the family name."""
    path = cjk_font_path()
    font_manager.fontManager.addfont(str(path))
    name = font_manager.FontProperties(fname=str(path)).get_name()
    matplotlib.rcParams.update(
        {
            # DejaVu Sans second: glyph-level fallback for symbols the CJK font lacks.
            "font.family": "sans-serif",
            "font.sans-serif": [name, "DejaVu Sans"],
            "axes.unicode_minus": False,
            "figure.dpi": 100,
            "savefig.dpi": 110,
            "figure.autolayout": False,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.titlesize": 13,
            "axes.titleweight": "normal",
            "axes.labelsize": 10,
            "legend.frameon": False,
            "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
        }
    )
    return name


def new_figure(width: float = 9.0, height: float = 4.5, nrows: int = 1, ncols: int = 1, **kwargs):
    """A figure in house style with the CJK font ready: ``fig, ax = new_figure()``.

    Uses ``Figure`` directly (not pyplot) so figures are never kept alive by pyplot's registry
    when a report builds many of them; notebooks display them via IPython's rich display.
    """
    setup_fonts()
    fig = Figure(figsize=(width, height), layout="constrained")
    axes = fig.subplots(nrows, ncols, **kwargs)
    return fig, axes


def yuan_formatter(unit: str | None = None) -> FuncFormatter:
    """Axis ticks for money with thousands separators; large values as 万 (zh) or M (en)."""
    from analysis import fmt

    chinese = (unit or fmt.UNITS["zh"]) == fmt.UNITS["zh"] and fmt._unit == fmt.UNITS["zh"]

    def _fmt(x: float, _pos: int) -> str:
        if chinese and abs(x) >= 100_000:
            return f"{x / 10000:,.0f}万"
        if not chinese and abs(x) >= 1_000_000:
            return f"{x / 1_000_000:,.2f}M"
        return f"{x:,.0f}"

    return FuncFormatter(_fmt)


def pct_formatter(decimals: int = 0) -> FuncFormatter:
    """Axis ticks of fractions as percentages: 0.25 → 25%."""
    return FuncFormatter(lambda x, _pos: f"{x * 100:.{decimals}f}%")


def close(fig: Figure) -> None:
    """Release a figure made with pyplot (figures from :func:`new_figure` need nothing)."""
    plt.close(fig)
