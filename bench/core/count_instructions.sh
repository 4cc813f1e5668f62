#!/usr/bin/env bash
# Instructions and heap allocations per command on a fresh process (spawn + Register, 1 event),
# noise-free: the difference between 20,000 and 10,000 commands under valgrind, divided by 10,000,
# so start-up cancels out. Usage: bench/core/count_instructions.sh [build-dir]
set -euo pipefail
exe=${1:-build}/bench/core/fresh_command_count
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
refs() { valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.$1" "$exe" "$1" 2>&1 | grep -o 'refs: *[0-9,]*' | tr -dc 0-9; }
allocs() { valgrind "$exe" "$1" 2>&1 | grep -o 'usage: [0-9,]* allocs' | tr -dc 0-9; }
echo "instructions per command: $(( ($(refs 20000) - $(refs 10000)) / 10000 ))"
echo "allocations per command: $(( ($(allocs 20000) - $(allocs 10000)) / 10000 ))"
