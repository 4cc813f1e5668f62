#!/usr/bin/env bash
# Build and run the EDIFACT libFuzzer target.
#   tests/fuzz/run.sh SECONDS [extra libFuzzer args...]
# Builds with clang -fsanitize=fuzzer,address,undefined straight from the edifact sources (no
# CMake), seeds a corpus from the generated corpus (corpus::gpke_examples / invalid_examples) and
# the checked-in one (tests/fuzz/corpus: coverage and regression inputs, replayed by `make test`),
# and fuzzes for SECONDS in one process (one core). Output goes to $FUZZ_OUT (default:
# <repo>/build-fuzz); a crash is written to $FUZZ_OUT/artifacts/: fix it and add the input to
# tests/fuzz/corpus as regression-<what>.edi.
set -euo pipefail

seconds=${1:?usage: run.sh SECONDS [libFuzzer args...]}
shift
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${FUZZ_OUT:-$root/build-fuzz}
cxx=${CXX_FUZZ:-$(command -v clang++ || command -v clang++-14)}

mkdir -p "$out/corpus" "$out/artifacts"
sources=("$root"/cpp/src/domain/edifact/*.cpp "$root"/cpp/src/domain/calendar/*.cpp)  # edifact reads the FV calendar
flags=(-std=c++20 -O1 -g -fno-omit-frame-pointer -I"$root/cpp/include")

echo "building fuzzer with $cxx"
"$cxx" "${flags[@]}" -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  "${sources[@]}" "$here/edifact_parse_fuzz.cpp" -o "$out/edifact_parse_fuzz"
"$cxx" "${flags[@]}" "${sources[@]}" "$here/dump_corpus.cpp" -o "$out/edifact_dump_corpus"

"$out/edifact_dump_corpus" "$out/corpus"

UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
"$out/edifact_parse_fuzz" "$out/corpus" "$here/corpus" \
  -dict="$here/edifact.dict" \
  -max_total_time="$seconds" \
  -max_len=8192 \
  -timeout=10 \
  -rss_limit_mb=2048 \
  -print_final_stats=1 \
  -artifact_prefix="$out/artifacts/" \
  "$@"
