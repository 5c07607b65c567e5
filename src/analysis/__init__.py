"""客服运营分析工作簿: budget reconciliation, agent scorecards and staffing for a 客服部.

Pure functions take and return DataFrames; ``analysis.io`` is the one module that knows files.
"""

from __future__ import annotations

__version__ = "0.1.0"
