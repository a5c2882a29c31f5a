# townhall: `make run` serves the embedded default; `make test` installs what the tests need and runs them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install test-deps

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/townhall init
	$(BIN)/townhall serve

# System pieces the tests use: the local PostgreSQL server (started when installed but down).
test-deps: $(STAMP)
	bash scripts/test-deps.sh

test: test-deps
	$(BIN)/pytest $(PYTEST_ARGS)
