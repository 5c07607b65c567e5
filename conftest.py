"""Root pytest hooks: keep each notebook's nbval cells together on one xdist worker.

`make test` runs `--nbval-lax` over notebooks/reports/ as a smoke test (the notebooks run as an
analyst would run them in JupyterLab); its cells share one kernel, so they must not be spread
across workers.
"""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if str(item.fspath).endswith(".ipynb"):
            item.add_marker(pytest.mark.xdist_group(f"nbval-{item.fspath.basename}"))
