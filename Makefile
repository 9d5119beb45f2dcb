# Completion Playground — developer entry points (GNU make).
#
#   make run    create .venv, install everything (system libs + the app), launch the app
#   make test   install everything incl. test extras, lint, then run the whole test suite
#
# Variables you may override:
#   PYTHON=python3.12           interpreter used to create .venv
#   SYSDEPS_FLAGS=--xvfb        extra flags for scripts/install-system-deps.sh
#                               (--xvfb, --no-cjk-fonts)
#   SYSTEM_DEPS=true            skip the system-package step entirely
#   PYTEST_ARGS="-k stream -x"  extra pytest arguments
#   ARGS="..."                  arguments for `make run`

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
VENV_PY := $(BIN)/python
SYSDEPS_FLAGS ?=
SYSTEM_DEPS ?= bash scripts/install-system-deps.sh $(SYSDEPS_FLAGS)
PYTEST_ARGS ?=
ARGS ?=

STAMP_RUN := $(VENV)/.installed
STAMP_TEST := $(VENV)/.installed-test

.PHONY: help venv system-deps install install-test run test lint format pytest bench clean

help:
	@echo "make run           install everything and launch Completion Playground"
	@echo "make test          install everything (incl. test extras), lint, run the test suite"
	@echo "make lint          ruff check, ruff format --check, import contracts"
	@echo "make format        ruff format + ruff check --fix"
	@echo "make pytest        only the test suite (offscreen Qt)"
	@echo "make bench         run bench/stream.py"
	@echo "make install       system packages + pip install -e ."
	@echo "make install-test  system packages + pip install -e '.[test]'"
	@echo "make venv          create $(VENV) with $(PYTHON)"
	@echo "make system-deps   only the Debian packages Qt needs (scripts/install-system-deps.sh)"
	@echo "make clean         remove $(VENV), caches and build output"

# --- environment -----------------------------------------------------------

venv: $(VENV_PY)

$(VENV_PY):
	$(PYTHON) -m venv $(VENV)
	$(VENV_PY) -m pip install --quiet --upgrade pip

# Cheap when everything is present (one dpkg-query), so it always runs.
system-deps:
	@$(SYSTEM_DEPS)

# The stamps make repeated `make run` / `make test` skip pip unless pyproject.toml
# changed or the venv was recreated.
$(STAMP_RUN): pyproject.toml $(VENV_PY)
	$(VENV_PY) -m pip install -e .
	@touch $@

$(STAMP_TEST): pyproject.toml $(VENV_PY)
	$(VENV_PY) -m pip install -e '.[test]'
	@touch $@ $(STAMP_RUN)

install: system-deps $(STAMP_RUN)

install-test: system-deps $(STAMP_TEST)

# --- everyday targets --------------------------------------------------------

run: install
	$(BIN)/completion-playground $(ARGS)

define LINT
$(BIN)/ruff check .
$(BIN)/ruff format --check .
$(BIN)/lint-imports
endef

define PYTEST
QT_QPA_PLATFORM=offscreen $(VENV_PY) -m pytest $(PYTEST_ARGS)
endef

test: install-test
	$(LINT)
	$(PYTEST)

lint: install-test
	$(LINT)

pytest: install-test
	$(PYTEST)

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	$(VENV_PY) bench/stream.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache .hypothesis .import_linter_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
