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
# wrk is the load generator; Postfix's smtp-sink (package postfix, left unconfigured and not
# started) is the local SMTP server of the mail run.
bench: test-deps
	command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)
	[ -x /usr/sbin/smtp-sink ] || (echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections \
		&& DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postfix)
	$(BIN)/python bench/run.py $(BENCH_ARGS)
