#!/usr/bin/env bash
# Run Rollbook's benchmarks (see docs/benchmarks.md). Arguments go to `python -m bench`,
# e.g. `bash bench/run.sh hot --seconds 10`. Not part of the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${VIRTUAL_ENV:-}" ] && [ -f /work/venv/bin/activate ]; then
  # shellcheck disable=SC1091
  source /work/venv/bin/activate
fi
exec python -m bench "$@"
