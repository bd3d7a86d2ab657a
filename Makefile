# Two entry points (see README): `make demo` and `make test`. Both set up .venv first.
PY ?= $(shell for p in python3.12 python3.11 python3; do $$p -c 'import sys; assert (3, 11) <= sys.version_info[:2] < (3, 13)' >/dev/null 2>&1 && echo $$p && break; done)
VENV := .venv
BIN := $(VENV)/bin
AS_OF ?= 2026-11-01

.PHONY: setup demo test lint docs bench chromium

$(VENV)/.installed: pyproject.toml
	@test -n "$(PY)" || (echo "error: Python 3.11 or 3.12 is required (durable-rules 2.0.28 does not import on 3.13)" >&2; exit 2)
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

setup: $(VENV)/.installed

demo: setup
	$(BIN)/permanency-rules check fixtures/caseload --as-of $(AS_OF) --out out/findings.csv --summary out/summary.csv --cases out/cases.csv --html out/report.html

lint: setup
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

# The HTML reports are tested in headless Chromium: Debian's package, never a downloaded build.
CHROMIUM := /usr/bin/chromium
chromium:
	@test -x $(CHROMIUM) || (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium)

test: lint chromium
	$(BIN)/pytest

docs: setup
	$(BIN)/permanency-rules docs --out docs
	$(BIN)/python -m permanency_rules.model.schema

bench: setup
	$(BIN)/python benchmarks/bench.py
