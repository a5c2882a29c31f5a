# townhall: `make run` serves the embedded default; `make test` installs what the tests need and runs them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install test-deps bench

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

# The registration-rush benchmarks (wrk from Debian's packages); results go to bench/README.md.
bench: test-deps
	command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)
	$(BIN)/python bench/run.py $(BENCH_ARGS)
