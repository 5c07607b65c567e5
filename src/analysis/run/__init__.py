"""The monthly run, one room per job (``analysis run`` on the command line):

- :mod:`~analysis.run.arguments` — the period, the folders and the notebooks, checked first;
- :mod:`~analysis.run.orchestrate` — the run: load once, choose the period, lock, build, decide;
- :mod:`~analysis.run.execute` — papermill in worker processes, the kernel, the HTML export;
- :mod:`~analysis.run.publish` — build folder, renames, recovery, FAILED pages, run.json;
- :mod:`~analysis.run.landing` — the landing page ``index.html`` and its data-quality banner.

``analysis.runner`` re-exports the names notebooks and tests used before the split.
"""
