#!/usr/bin/env bash
# Set up and run every check: ruff, mypy (strict) on domain/, then the whole
# pytest suite, each database test on SQLite and again on PostgreSQL.
# Extra arguments go to pytest (e.g. bash scripts/test.sh -x tests/unit).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
ensure_apt_packages postgresql chromium
ensure_venv "[dev]"
source .venv/bin/activate
ROLLBOOK_TEST_PG_URL="$(bash scripts/postgres.sh)"
export ROLLBOOK_TEST_PG_URL

echo "== ruff"
ruff check .
echo "== mypy (strict) on domain/"
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
