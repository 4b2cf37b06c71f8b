# Shared by scripts/run.sh and scripts/test.sh (sourced, not run).

# Install the Debian packages that are missing (apt-get update first, only then).
ensure_apt_packages() {
  local missing=()
  local package
  for package in "$@"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "Please install: ${missing[*]}" >&2
    return 1
  fi
  local sudo=""
  if [ "$(id -u)" != "0" ]; then sudo="sudo"; fi
  echo "Installing ${missing[*]} (apt-get)..."
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
}

# Check for a Python >= 3.11 that can make virtual environments (python3-venv
# on Debian, installed if missing); its command is left in $ROLLBOOK_PYTHON.
ensure_python() {
  ROLLBOOK_PYTHON="${PYTHON:-python3}"
  if ! command -v "$ROLLBOOK_PYTHON" >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
    ensure_apt_packages python3
  fi
  if ! "$ROLLBOOK_PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "Rollbook needs Python 3.11 or newer (set PYTHON=/path/to/python3.11)." >&2
    return 1
  fi
  "$ROLLBOOK_PYTHON" -c 'import ensurepip' 2>/dev/null || ensure_apt_packages python3-venv
}

# Create .venv (once) and install the project into it. The install is
# editable, so code changes need no reinstall: it is skipped while
# pyproject.toml is the one last installed with these extras.
ensure_venv() {
  local extras="$1"
  if [ ! -x .venv/bin/python ]; then
    ensure_python
    "$ROLLBOOK_PYTHON" -m venv .venv
  fi
  local stamp=".venv/rollbook-installed${extras:+-${extras//[^a-z]/}}"
  local wanted
  wanted="$(sha256sum pyproject.toml | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
    return 0
  fi
  echo "Installing Rollbook into .venv (pip)..."
  quiet_pip install --upgrade pip
  quiet_pip install -e ".$extras"
  echo "$wanted" >"$stamp"
}

# pip, with its (and the build backend's) chatter kept in a log shown on failure.
quiet_pip() {
  local log=".venv/pip.log"
  if ! .venv/bin/python -m pip --quiet --disable-pip-version-check "$@" >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "pip $* failed (full log: $log)" >&2
    return 1
  fi
}
