#!/usr/bin/env bash
# CI: install Rollbook as a newcomer would, `pip install .` without extras and
# not editable, into a fresh virtual environment; start `rollbook serve` on the
# embedded SQLite default and fetch the first pages. A runtime dependency missing
# from pyproject.toml (one the dev extras happen to bring) fails here.
# Uses pip's cache, so a second run takes seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
ensure_python
python="$ROLLBOOK_PYTHON"
workdir="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid"
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$workdir"
}
trap cleanup EXIT

echo "== install without extras into a fresh virtual environment"
# A copy of what the package is made of (as the Dockerfile copies it), so that
# the build leaves nothing in the checkout and nothing in it is importable.
mkdir "$workdir/src"
tar --exclude=__pycache__ -cf - pyproject.toml README.md domain site_kit admin_site public_site \
  rollbook | tar -xf - -C "$workdir/src"
"$python" -m venv "$workdir/venv"
if ! "$workdir/venv/bin/python" -m pip install --quiet --disable-pip-version-check \
  "$workdir/src" >"$workdir/pip.log" 2>&1; then
  tail -n 40 "$workdir/pip.log" >&2
  exit 1
fi
if [ -n "${SMOKE_UNINSTALL:-}" ]; then
  # For checking this check: SMOKE_UNINSTALL=greenlet must make it fail.
  "$workdir/venv/bin/python" -m pip uninstall --quiet --yes "$SMOKE_UNINSTALL"
fi

echo "== rollbook serve on the embedded default"
port="$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
mkdir "$workdir/run"
# A clean environment: no DATABASE_URL, SECRET_KEY or SMTP_HOST from the caller.
(cd "$workdir/run" && exec env -i PATH=/usr/bin:/bin HOME="$workdir/run" LANG=C.UTF-8 \
  ROLLBOOK_DATA_DIR="$workdir/data" "$workdir/venv/bin/rollbook" serve --port "$port") \
  >"$workdir/serve.log" 2>&1 &
server_pid=$!

if ! "$workdir/venv/bin/python" - "$port" "$server_pid" <<'PY'; then
import os
import sys
import time
import urllib.error
import urllib.request

port, server_pid = sys.argv[1], int(sys.argv[2])
base = f"http://127.0.0.1:{port}"


def status(path: str) -> int:
    try:
        with urllib.request.urlopen(base + path, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


deadline = time.monotonic() + 60
while True:
    try:
        os.kill(server_pid, 0)
    except ProcessLookupError:
        sys.exit("rollbook serve exited")
    try:
        status("/health")
        break
    except OSError:
        if time.monotonic() > deadline:
            sys.exit("rollbook serve did not answer within 60 seconds")
        time.sleep(0.2)
failed = False
for path in ("/", "/signup/", "/admin/login", "/health"):
    code = status(path)
    print(f"GET {path} -> {code}")
    failed = failed or code != 200
sys.exit(1 if failed else 0)
PY
  echo "-- rollbook serve output:" >&2
  cat "$workdir/serve.log" >&2
  echo "FAILED: Rollbook installed without extras does not serve its pages." >&2
  exit 1
fi
echo "Rollbook installed without extras serves its pages."
