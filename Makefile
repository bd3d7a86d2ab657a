# Two entry points (see README): `make demo` and `make test`. Both set up .venv first.
# .venv uses the first of python3.12 (on PATH or in pyenv), python3.11, python3 that is 3.11 or later. `make test` also runs
# the suite on Python 3.13+ (in .venv313) when the machine has such an interpreter, and checks that a
# plain `pip install .` there gives the same finding ids as .venv (durable-rules does not import on
# 3.13, so the built-in matcher runs there).
PY ?= $(shell for p in python3.12 $(wildcard $(HOME)/.pyenv/versions/3.12*/bin/python3) python3.11 python3; do $$p -c 'import sys; assert sys.version_info[:2] >= (3, 11)' >/dev/null 2>&1 && echo $$p && break; done)
PY313 ?= $(shell for p in python3.13 $(wildcard $(HOME)/.pyenv/versions/3.1[3-9]*/bin/python3) $(wildcard /usr/bin/python3.1[3-9]); do $$p -c 'import sys; assert sys.version_info[:2] >= (3, 13)' >/dev/null 2>&1 && echo $$p && break; done)
VENV := .venv
BIN := $(VENV)/bin
VENV313 := .venv313
AS_OF ?= 2026-11-01

.PHONY: setup setup313 demo test test313 lint docs bench bench-service chromium

$(VENV)/.installed: pyproject.toml
	@test -n "$(PY)" || (echo "error: Python 3.11 or later is required" >&2; exit 2)
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

$(VENV313)/.installed: pyproject.toml
	$(PY313) -m venv $(VENV313)
	$(VENV313)/bin/pip install -q --upgrade pip
	$(VENV313)/bin/pip install -q -e '.[dev]'
	touch $@

setup: $(VENV)/.installed

setup313: $(VENV313)/.installed

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
	@if [ -n "$(PY313)" ]; then $(MAKE) --no-print-directory test313; else echo "note: no Python 3.13+ interpreter here; suite ran on $$($(BIN)/python -V) only"; fi

# The suite on Python 3.13+, then a plain (non-editable) install there, compared with .venv
# on every fixture through the command line.
test313: setup setup313
	$(VENV313)/bin/python -V
	$(VENV313)/bin/pytest
	rm -rf $(VENV313)-plain && $(PY313) -m venv $(VENV313)-plain
	$(VENV313)-plain/bin/pip install -q .
	$(BIN)/python tests/same_findings.py $(BIN)/permanency-rules $(VENV313)-plain/bin/permanency-rules
	rm -rf $(VENV313)-plain

docs: setup
	$(BIN)/permanency-rules docs --out docs
	$(BIN)/python -m permanency_rules.model.schema

bench: setup
	$(BIN)/python benchmarks/bench.py

bench-service: setup
	$(BIN)/python benchmarks/service_bench.py
