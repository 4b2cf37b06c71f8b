#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests (PostgreSQL refuses to run as
# root, so the server runs as the `postgres` user).
#   bash scripts/postgres.sh             start it unless it runs; print the server URL
#                                        to use as ROLLBOOK_TEST_PG_URL
#   bash scripts/postgres.sh is-running  exit status 0 when it answers
#   bash scripts/postgres.sh stop        stop it (its data stays for the next start)
# ROLLBOOK_TEST_PG_PORT (default 54329) and ROLLBOOK_TEST_PG_DATA choose the cluster.
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
running() {
  as_postgres "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PGPORT"
}

case "${1:-start}" in
  is-running)
    running
    exit
    ;;
  stop)
    if [ -f "$PGDATA/postmaster.pid" ]; then
      as_postgres "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null
    fi
    exit 0
    ;;
  start) ;;
  *)
    echo "usage: bash scripts/postgres.sh [start|is-running|stop]" >&2
    exit 2
    ;;
esac

if ! running; then
  if [ ! -f "$PGDATA/PG_VERSION" ]; then
    mkdir -p "$PGDATA"
    [ "$(id -u)" = "0" ] && chown postgres:postgres "$PGDATA"
    as_postgres "$PGBIN/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 >/dev/null
  fi
  as_postgres "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w \
    -o "-p $PGPORT -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
fi
echo "postgresql+psycopg://postgres@127.0.0.1:$PGPORT/postgres"
