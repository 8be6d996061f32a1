# One command to set up and run the demo, one to set up and run the tests.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: demo test lint bench bench-cluster install clean browser

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

## Chromium (dashboard tests, PDF briefs), the Noto fonts for every supported script and poppler-utils
## (the PDF tests read the files back); installed with apt-get when running as root.
SYSTEM_PACKAGES = chromium fonts-noto-core fonts-noto-cjk poppler-utils
browser:
	@if command -v chromium >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 \
	    && fc-list ':lang=th' 2>/dev/null | grep -q . && fc-list ':lang=zh-cn' 2>/dev/null | grep -q .; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null) \
	    || echo "could not install $(SYSTEM_PACKAGES): the browser and PDF tests will be skipped"; \
	else echo "missing some of $(SYSTEM_PACKAGES): the browser and PDF tests will be skipped (apt-get install $(SYSTEM_PACKAGES))"; fi

lint: install
	$(BIN)/ruff check monitio tests benchmarks
	$(BIN)/ruff format --check monitio tests benchmarks

bench: install
	$(BIN)/python benchmarks/ingest_enrich.py

## make bench-cluster: install the cluster extra (dask, pyarrow), then time ingest + enrich + narratives
## + detect in one process against a LocalCluster of 1 and 2 worker processes
bench-cluster: install
	$(BIN)/python -m pip install --quiet -e '.[dev,cluster]'
	$(BIN)/python benchmarks/cluster_scale.py

clean:
	rm -rf $(VENV) demo-workspace .pytest_cache .ruff_cache
