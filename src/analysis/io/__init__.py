"""Spreadsheet ingestion: the one place that knows files and sheets.

``load_all(data_dir)`` reads a data folder into a :class:`Dataset` of tidy frames (columns per
``analysis.schema``) with a data-quality table that accounts for every input row;
``read_table(path)`` reads any single table generically; ``load_dataset`` reads a run's snapshot
(``write_snapshot``) or, without one, calls ``load_all``. Fatal problems raise
:class:`InputError` with one paragraph in Chinese and English.
"""

from analysis.io.errors import InputError
from analysis.io.folder import Dataset, load_all
from analysis.io.generic import read_table
from analysis.io.snapshot import load_dataset, read_snapshot, write_snapshot

__all__ = [
    "Dataset",
    "InputError",
    "load_all",
    "load_dataset",
    "read_snapshot",
    "read_table",
    "write_snapshot",
]
