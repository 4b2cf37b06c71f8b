#!/usr/bin/env bash
# Start a throwaway PostgreSQL cluster for the tests (PostgreSQL refuses to run
# as root, so the server runs as the `postgres` user). Idempotent.
# Prints the server URL to use as ROLLBOOK_TEST_PG_URL.
set -euo pipefail
PGPORT="${ROLLBOOK_TEST_PG_PORT:-54329}"
PGDATA="${ROLLBOOK_TEST_PG_DATA:-/tmp/rollbook-pg-$PGPORT}"
PGBIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
if [ -z "$PGBIN" ]; then
  echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2
  exit 1
fi
as_postgres() {
  # From /, since the postgres user may not be allowed into the checkout (e.g. under /root).
  if [ "$(id -u)" = "0" ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}
if ! as_postgres "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PGPORT"; then
  if [ ! -f "$PGDATA/PG_VERSION" ]; then
    mkdir -p "$PGDATA"
    [ "$(id -u)" = "0" ] && chown postgres:postgres "$PGDATA"
    as_postgres "$PGBIN/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 >/dev/null
  fi
  as_postgres "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w \
    -o "-p $PGPORT -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
fi
echo "postgresql+psycopg://postgres@127.0.0.1:$PGPORT/postgres"
