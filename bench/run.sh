#!/usr/bin/env bash
# Runs every benchmark and writes bench/RESULTS.md with the machine and date.
# Usage: bench/run.sh [build-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
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
