"""Service quality from call logs and complaint records (服务质量月报), as numbers and codes.

Why a package: the KPIs (``kpis``) are the base; Erlang A, the forecast and the staffing feed
(``erlang_a``, ``forecast``, ``staffing_feed``) sit beside them and read the same frames.
"""

from __future__ import annotations
