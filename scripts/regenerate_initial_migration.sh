#!/usr/bin/env bash
# Regenerate domain/db/migrations/versions/0001_initial.py from the tables in domain/db.
#
# Autogenerate against a fresh, empty SQLite database renders every table with
# its CHECK constraints, foreign keys (with their ON DELETE), unique
# constraints, and the partial unique indexes (sqlite_where / postgresql_where
# both rendered), so the file is used as generated; the tests in
# tests/foundation/test_migrations.py prove it on SQLite and PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -x .venv/bin/python ] && [ -z "${VIRTUAL_ENV:-}" ]; then source .venv/bin/activate; fi
rm -f domain/db/migrations/versions/0001_*.py
workdir="$(mktemp -d)"
trap 'rm -rf "$workdir"' EXIT
python - "$workdir" <<'PY'
import sys

from alembic import command

from domain.db.migrate import alembic_config

url = f"sqlite:///{sys.argv[1]}/empty.sqlite3"
command.revision(alembic_config(url), message="initial", autogenerate=True, rev_id="0001")
PY
ls domain/db/migrations/versions/0001_*.py
