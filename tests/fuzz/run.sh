#!/usr/bin/env bash
# Build and run a libFuzzer target.
#   tests/fuzz/run.sh SECONDS [TARGET] [extra libFuzzer args...]
# TARGET is `edifact` (default: the EDIFACT codec, edifact_parse_fuzz.cpp) or `json` (the replay
# JSON reader against nlohmann's parser, json_reader_fuzz.cpp).
# Builds with clang -fsanitize=fuzzer,address,undefined straight from the sources (no CMake), seeds
# a corpus from the target's generated seeds and its checked-in corpus (tests/fuzz/corpus for
# edifact, tests/fuzz/json_corpus for json: coverage and regression inputs, replayed by
# `make test`), and fuzzes for SECONDS in one process (one core). Output goes to $FUZZ_OUT
# (default: <repo>/build-fuzz); a crash is written to $FUZZ_OUT/artifacts/: fix it and add the
# input to the checked-in corpus as regression-<what>.edi (.json).
set -euo pipefail

seconds=${1:?usage: run.sh SECONDS [edifact|json] [libFuzzer args...]}
shift
target=edifact
if [[ $# -gt 0 && $1 != -* ]]; then
  target=$1
  shift
fi
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${FUZZ_OUT:-$root/build-fuzz}
cxx=${CXX_FUZZ:-$(command -v clang++ || command -v clang++-14)}
flags=(-std=c++20 -O1 -g -fno-omit-frame-pointer -I"$root/cpp/include")
fuzz=(-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined)
mkdir -p "$out/artifacts"
echo "building the $target fuzzer with $cxx"

case $target in
  edifact)
    sources=("$root"/cpp/src/domain/edifact/*.cpp "$root"/cpp/src/domain/calendar/*.cpp)  # edifact reads the FV calendar
    "$cxx" "${flags[@]}" "${fuzz[@]}" "${sources[@]}" "$here/edifact_parse_fuzz.cpp" -o "$out/edifact_parse_fuzz"
    "$cxx" "${flags[@]}" "${sources[@]}" "$here/dump_corpus.cpp" -o "$out/edifact_dump_corpus"
    corpus=$out/corpus
    mkdir -p "$corpus"
    "$out/edifact_dump_corpus" "$corpus"
    binary=$out/edifact_parse_fuzz
    extra=("$here/corpus" -dict="$here/edifact.dict" -max_len=8192)
    ;;
  json)
    sources=("$root"/cpp/src/core/json_reader.cpp "$root"/cpp/src/core/json_text.cpp)
    "$cxx" "${flags[@]}" "${fuzz[@]}" "${sources[@]}" "$here/json_reader_fuzz.cpp" -o "$out/json_reader_fuzz"
    "$cxx" "${flags[@]}" "${sources[@]}" "$here/json_reader_fuzz.cpp" "$here/replay_main.cpp" -o "$out/json_fuzz_replay"
    corpus=$out/json-corpus
    mkdir -p "$corpus"
    "$out/json_fuzz_replay" --dump-seeds "$corpus"
    binary=$out/json_reader_fuzz
    extra=("$here/json_corpus" -dict="$here/json.dict" -max_len=4096)
    ;;
  *)
    echo "unknown fuzz target '$target' (edifact or json)" >&2
    exit 2
    ;;
esac

UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
"$binary" "$corpus" "${extra[@]}" \
  -max_total_time="$seconds" \
  -timeout=10 \
  -rss_limit_mb=2048 \
  -print_final_stats=1 \
  -artifact_prefix="$out/artifacts/" \
  "$@"
