#!/usr/bin/env bash
# Makes sure what the test suite talks to is there: PostgreSQL on 127.0.0.1:5432 and Chromium.
set -u

if command -v pg_lsclusters >/dev/null 2>&1; then
  if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
    for version in $(ls /etc/postgresql 2>/dev/null); do
      echo "test-deps: starting PostgreSQL $version"
      pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    done
    for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
  fi
  pg_isready -h 127.0.0.1 -p 5432 || echo "test-deps: PostgreSQL did not come up; its tests will be reported as skipped"
else
  echo "test-deps: PostgreSQL is not installed here; its tests will be reported as skipped"
fi

# Headless Chromium for the browser tests, from Debian's packages (never a downloaded browser).
if ! command -v chromium >/dev/null 2>&1; then
  echo "test-deps: installing Debian's chromium"
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
fi
command -v chromium >/dev/null 2>&1 || { echo "test-deps: chromium could not be installed" >&2; exit 1; }
