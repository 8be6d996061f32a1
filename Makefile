# One command to set up and run the demo, one to set up and run the tests.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: demo test lint bench install clean

$(BIN)/monitio: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(BIN)/monitio

## make demo: install into .venv, then run the end-to-end demo in ./demo-workspace
demo: install
	$(BIN)/monitio demo --workspace demo-workspace

## make test: install into .venv, then run the whole suite on SQLite and PostgreSQL
test: install
	$(BIN)/python -m pytest -n 2 --dist loadfile -q

lint: install
	$(BIN)/ruff check monitio tests benchmarks
	$(BIN)/ruff format --check monitio tests benchmarks

bench: install
	$(BIN)/python benchmarks/ingest_enrich.py

clean:
	rm -rf $(VENV) demo-workspace .pytest_cache .ruff_cache
