# econsec task runner. `make run` and `make test` are the README's two quick-start commands.
PY      ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed

.PHONY: run test test-fast lint bench setup clean browser

$(STAMP): pyproject.toml constraints.txt
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP)

## Set up, ingest every dataset in the data directory, print the catalog, watch Japan's
## single-supplier goods month by month (alerts with Korea as cover partner), and write the
## Korea–Japan report.
run: $(STAMP)
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
test: $(STAMP) browser
	$(BIN)/python -m pytest -q
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/lint-imports

## The fast subset (no slow or reference tests).
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
