# econsec task runner. `make run` and `make test` are the README's two quick-start commands.
PY      ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
# Two install levels: the main job needs the runtime only; tests, lint and benchmarks add the
# dev extra (pytest, linters, reference implementations, PySpark, Playwright).
RUNTIME := $(VENV)/.installed-runtime
STAMP   := $(VENV)/.installed

.PHONY: run test test-fast lint bench setup clean browser

$(VENV)/bin/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(RUNTIME): pyproject.toml constraints.txt | $(VENV)/bin/python
	$(BIN)/pip install --quiet -c constraints.txt -e .
	touch $(RUNTIME)

$(STAMP): pyproject.toml constraints.txt | $(VENV)/bin/python
	$(BIN)/pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(RUNTIME) $(STAMP)

setup: $(STAMP)

## Set up, ingest every dataset in the data directory, print the catalog, watch Japan's
## single-supplier goods month by month (alerts with Korea as cover partner), and write the
## Korea–Japan report.
run: $(RUNTIME)
	$(BIN)/econsec ingest
	$(BIN)/econsec sources
	$(BIN)/econsec --json ews watchlist generate > /dev/null
	$(BIN)/econsec ews scan --pair JPN KOR
	$(BIN)/econsec report KOR JPN --out report-KOR-JPN.html

## Debian's Chromium for the dashboard's browser test (tests/api/test_dashboard.py), once.
browser:
	@test -x /usr/bin/chromium || { echo "installing Debian chromium for the browser test"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

## Set up and run the full test suite (slow and reference tests included), then lint.
## The browser test needs Debian's Chromium: with ECONSEC_BROWSER=1 (as in CI) a missing
## /usr/bin/chromium is installed first; otherwise that test is skipped with one line saying so.
## The fast tier runs first (it needs no data directory), then the slow and reference tests.
test: $(STAMP)
	@if [ -n "$$ECONSEC_BROWSER" ] && [ ! -x /usr/bin/chromium ]; then $(MAKE) --no-print-directory browser; fi
	$(BIN)/python -m pytest -q -m "not slow and not reference"
	$(BIN)/python -m pytest -q -m "slow or reference"
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy src
	$(BIN)/lint-imports

## The fast tier: no slow or reference tests, no dependency on the data directory.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow and not reference"

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy src
	$(BIN)/lint-imports

bench: $(STAMP)
	$(BIN)/python benchmarks/ingest/run.py
	$(BIN)/python benchmarks/indicators/run.py
	$(BIN)/python benchmarks/gravity/ge_vs_gegravity.py
	$(BIN)/python benchmarks/gravity/ppml_vs_gme.py
	$(BIN)/python benchmarks/io/io_vs_pymrio.py
	$(BIN)/python benchmarks/decoupling/run.py
	$(BIN)/python benchmarks/ews/run.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
