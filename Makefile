# One command to set up and run the demo, one to set up and run the tests.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: demo test lint bench install clean browser

$(BIN)/monitio: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(BIN)/monitio

## make demo: install into .venv, then run the end-to-end demo in ./demo-workspace
demo: install
	$(BIN)/monitio demo --workspace demo-workspace

## make test: install into .venv (and Chromium for the browser tests, when root), lint (ruff check and
## ruff format --check), then run the whole suite on SQLite and PostgreSQL
test: install browser
	$(BIN)/ruff check monitio tests benchmarks
	$(BIN)/ruff format --check monitio tests benchmarks
	$(BIN)/python -m pytest -n 2 --dist loadfile -q

browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "could not install chromium: the browser tests will be skipped"; \
	  else echo "chromium is not installed: the browser tests will be skipped (apt-get install chromium)"; fi; }

lint: install
	$(BIN)/ruff check monitio tests benchmarks
	$(BIN)/ruff format --check monitio tests benchmarks

bench: install
	$(BIN)/python benchmarks/ingest_enrich.py

clean:
	rm -rf $(VENV) demo-workspace .pytest_cache .ruff_cache
