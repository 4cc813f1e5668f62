#!/usr/bin/env bash
# Runs every benchmark and writes bench/RESULTS.md with the machine and date.
# Usage: bench/run.sh [build-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
# The PostgreSQL benchmarks (bench_postgres, bench_market_postgres, bench/python/bench_postgres.py) run
# against the server in MAKO_BENCH_PG (a libpq connection string). Without one, the whole run goes inside a throw-away
# server (tools/pg-test-server.sh) started with fsync=on and full_page_writes=on, as a user's server
# runs: the tests' server turns both off, and commits would then cost no WAL flush.
if [ -z "${MAKO_BENCH_PG:-}" ]; then
  if [ -z "${MAKO_BENCH_OWN_SERVER:-}" ]; then
    unset MAKO_TEST_PG  # else pg-test-server.sh would run us against that server, not start one
    MAKO_BENCH_OWN_SERVER=1 PG_SERVER_OPTIONS="-c fsync=on -c full_page_writes=on" \
      exec tools/pg-test-server.sh run -- bench/run.sh "$@"
  fi
  export MAKO_BENCH_PG=$MAKO_TEST_PG
fi
export MAKO_BUILD_DIR="$PWD/$build"  # bench/python/bench_postgres.py runs $build/bench/postgres/bench_postgres
out=bench/RESULTS.md
tmp=$(mktemp)
{
  echo "# Benchmark results"
  echo
  echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "- machine: $(uname -m), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/{print $2}') GiB"
  echo "- compiler: $(${CXX:-g++} --version | head -1); build type Release"
  echo "- command: \`make bench\` (bench/run.sh)"
  echo
} > "$tmp"
# Benchmarks that need scratch files (SQLite databases, exchange folders) put them under the build dir.
export MAKO_BENCH_DIR="$PWD/$build/bench-tmp"
mkdir -p "$MAKO_BENCH_DIR"
for exe in $(find "$build/bench" -maxdepth 3 -type f -name 'bench_*' -perm -u+x | sort); do
  echo ">> $exe" >&2
  mkdir -p "$MAKO_BENCH_DIR"  # a benchmark may clean up its scratch folder behind it
  "$exe" "$tmp" >&2
done
for script in bench/python/bench_*.py; do
  [ -x .venv/bin/python ] && [ -f "$script" ] || continue
  echo ">> $script" >&2
  mkdir -p "$MAKO_BENCH_DIR"
  .venv/bin/python "$script" "$tmp" >&2
done
mv "$tmp" "$out"
echo "wrote $out" >&2
