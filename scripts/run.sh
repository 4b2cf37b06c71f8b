#!/usr/bin/env bash
# Set Rollbook up and run it on SQLite with demo data: http://localhost:8000/
# (PORT=8080 bash scripts/run.sh for another port.)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
ensure_venv ""
# `demo` migrates the embedded SQLite database, loads the demo data once and
# prints an admin login the first time.
.venv/bin/rollbook demo
exec .venv/bin/rollbook serve --port "${PORT:-8000}"
