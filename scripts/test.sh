#!/usr/bin/env bash
# Set up and run every check: ruff, mypy (strict) on every package, then the whole
# pytest suite, each database test on SQLite and again on PostgreSQL (on a
# throwaway server, stopped at the end if this script started it).
# Extra arguments go to pytest (e.g. bash scripts/test.sh -x tests/unit).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
ensure_apt_packages postgresql chromium
ensure_venv "[dev]"
source .venv/bin/activate
# A PostgreSQL this script starts, it stops when it ends, however it ends; one
# that was already running (yours, or another run's) is left running.
if ! bash scripts/postgres.sh is-running; then
  trap 'bash scripts/postgres.sh stop || true' EXIT
  trap 'exit 130' INT TERM
fi
ROLLBOOK_TEST_PG_URL="$(bash scripts/postgres.sh)"
export ROLLBOOK_TEST_PG_URL

echo "== ruff"
ruff check .
echo "== mypy (strict) on domain, site_kit, admin_site, public_site, rollbook, bench"
mypy
echo "== pytest"
set +e
pytest -q -p no:cacheprovider "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: that is a failure." >&2
  exit 1
fi
exit "$status"
