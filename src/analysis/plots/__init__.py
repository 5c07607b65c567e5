"""Chart functions: DataFrames in, ``matplotlib.figure.Figure`` out (never shown or saved here)."""

from analysis.plots.base import CJK_FONT_NAME, new_figure, setup_fonts

__all__ = ["CJK_FONT_NAME", "new_figure", "setup_fonts"]
