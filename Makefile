# 客服运营分析工作簿 — run `make` (or `make help`) for the list of targets.
# Targets depend on files, so a second `make report` does not reinstall anything.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
KERNEL_STAMP := $(VENV)/.kernel
KERNEL := kefu-analysis
DATA ?= data/sample
PERIOD ?=
LANG_OPT ?= zh
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help install report lab test test-fast lint format bench sample strip clean

## Show this help
help:
	@awk 'BEGIN {FS = ":.*"} /^## / {doc = substr($$0, 4); next} /^[a-zA-Z_-]+:/ {if (doc) printf "  \033[36m%-12s\033[0m %s\n", $$1, doc; doc = ""} !/^## / && !/^[a-zA-Z_-]+:/ {doc = ""}' $(MAKEFILE_LIST)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	-git rev-parse --git-dir >/dev/null 2>&1 && $(BIN)/nbstripout --install
	@touch $@

$(KERNEL_STAMP): $(STAMP)
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "客服运营分析 (kefu-analysis)" >/dev/null
	@touch $@

## Set up only: create .venv, install the project and its tools, register the Jupyter kernel
install: $(KERNEL_STAMP)

## Run the monthly reports on the sample data (DATA=…, PERIOD=YYYY-MM, LANG_OPT=en to change)
report: $(KERNEL_STAMP)
	$(BIN)/analysis run --data $(DATA) $(if $(PERIOD),--period $(PERIOD)) --lang $(LANG_OPT)

## Open JupyterLab with the project kernel
lab: $(KERNEL_STAMP)
	$(BIN)/jupyter lab --notebook-dir=notebooks

## Run the whole test suite: nbval smoke on the report notebooks, then unit, notebook, end-to-end and browser tests
test: $(KERNEL_STAMP)
	$(BIN)/python -m pytest -p no:xdist --nbval-lax notebooks/reports notebooks/exploratory -q
	$(BIN)/python -m pytest -n 2 --dist loadgroup tests $(PYTEST_ARGS)

## Unit tests only (no notebook execution), for a quick check while coding
test-fast: $(KERNEL_STAMP)
	$(BIN)/python -m pytest -n 2 -m "not slow and not browser" tests $(PYTEST_ARGS)

## Lint and format check (ruff)
lint: $(STAMP)
	$(BIN)/ruff check src tests scripts benchmarks
	$(BIN)/ruff format --check src tests scripts benchmarks

## Format the code (ruff)
format: $(STAMP)
	$(BIN)/ruff format src tests scripts benchmarks
	$(BIN)/ruff check --fix src tests scripts benchmarks

## Run the benchmarks and write benchmarks/RESULTS.md
bench: $(KERNEL_STAMP)
	$(BIN)/python benchmarks/run_all.py

## Regenerate the bundled sample data (fixed seed: the same files every time)
sample: $(STAMP)
	$(BIN)/python scripts/make_sample.py

## Strip outputs from every notebook (keeps cell tags)
strip: $(STAMP)
	$(BIN)/nbstripout notebooks/*/*.ipynb tests/notebooks/*.ipynb

## Remove the virtual environment, caches and generated reports
clean:
	rm -rf $(VENV) data/interim .pytest_cache .ruff_cache
	find reports -mindepth 1 -maxdepth 1 ! -name .gitkeep -exec rm -rf {} +
