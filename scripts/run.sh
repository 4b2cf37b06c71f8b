#!/usr/bin/env bash
# Set Rollbook up and run it on SQLite with demo data: http://localhost:8000/
# (PORT=8080 bash scripts/run.sh for another port). Emails go to the local
# mailbox, read in the admin. Run it again to restart: pip runs only when
# pyproject.toml changed (the install is editable).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
ensure_venv ""
# `demo` migrates the embedded SQLite database, loads the demo data once and
# prints an admin login the first time; later, the command that resets it.
.venv/bin/rollbook demo
# `serve` says "running at" once the server answers.
exec .venv/bin/rollbook serve --port "${PORT:-8000}"
