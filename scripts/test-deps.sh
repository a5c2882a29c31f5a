#!/usr/bin/env bash
# Makes sure what the test suite talks to is there: PostgreSQL on 127.0.0.1:5432.
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
