# City Innovation Atlas. `make run` serves the atlas; `make test` runs every test; `make bench` measures.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: run test bench build check messages clean audit

$(VENV)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

## Serve the atlas from the bundled data on http://127.0.0.1:8050 (HOST/PORT override).
run: $(VENV)/.runtime
	$(PY) app.py

## Run the whole test suite (installs Chromium and redis-server from Debian if missing).
test: $(VENV)/.dev
	scripts/system-deps.sh
	npm ci --no-audit --no-fund
	$(PY) -m pytest

## Run the benchmark suite and write BENCHMARKS.md (about 20 min; installs Chromium and wrk if missing).
bench: $(VENV)/.dev
	scripts/system-deps.sh
	npm ci --prefix bench/lighthouse --no-audit --no-fund
	$(PY) -m bench.run

## Validate data/ and (re)build the DuckDB store.
build: $(VENV)/.runtime
	$(PY) -m dashboard.store build

check: $(VENV)/.runtime
	$(PY) -m dashboard.store check

## Re-extract translatable strings into dashboard/locale/messages.pot.
messages: $(VENV)/.runtime
	$(VENV)/bin/pybabel extract --no-location --sort-output -F babel.cfg -o dashboard/locale/messages.pot app.py dashboard layers
	$(VENV)/bin/pybabel update -i dashboard/locale/messages.pot -d dashboard/locale --no-fuzzy-matching --ignore-obsolete -w 120

clean:
	rm -rf var .pytest_cache

## pip-audit over the pinned requirements (`make test` runs it too; exit 2: source not reachable).
audit: $(VENV)/.dev
	$(PY) scripts/audit.py
