#!/usr/bin/env bash
# Installs the Debian packages mako-engine builds with, if any are missing. As root it runs apt-get;
# otherwise it prints the exact command to run and fails.
#   tools/install-system-deps.sh          what building needs (make demo)
#   tools/install-system-deps.sh --tests  and what the tests need (make test)
set -euo pipefail

# libpq-dev builds the PostgreSQL store (cpp/src/postgres).
packages=(g++ make cmake ninja-build ccache pkg-config libsqlite3-dev libsqlitecpp-dev nlohmann-json3-dev catch2 libpq-dev)
# postgresql (server binaries) runs the tests' throw-away server (tools/pg-test-server.sh).
if [ "${1:-}" = "--tests" ]; then packages+=(postgresql); fi
# The Python used for the virtualenv needs venv/ensurepip and its headers; Debian splits them out.
if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then packages+=(python3-venv); fi
if ! python3 -c 'import sysconfig, os, sys; sys.exit(0 if os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")) else 1)' >/dev/null 2>&1; then
  packages+=(python3-dev)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# cmake and ninja from elsewhere on PATH (e.g. pip) are fine too.
filtered=()
for p in "${missing[@]}"; do
  case "$p" in
    cmake) command -v cmake >/dev/null || filtered+=("$p") ;;
    ninja-build) command -v ninja >/dev/null || filtered+=("$p") ;;
    *) filtered+=("$p") ;;
  esac
done
missing=("${filtered[@]+"${filtered[@]}"}")
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  echo "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "mako-engine needs these Debian packages; run:" >&2
  echo "  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
