#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan + coverage) in
# build-fuzz and runs each for RA_FUZZ_SECONDS (default 20) on its seed
# corpus under tests/fuzz/corpus/; then runs the engine's unit tests (every
# module without gRPC) from the same ASan/UBSan build.
#   tests/fuzz/run_fuzz.sh
#   RA_FUZZ_BUILD_DIR=DIR RA_FUZZ_SECONDS=N tests/fuzz/run_fuzz.sh
#   RA_FUZZ_PDF_RUNS=-1 tests/fuzz/run_fuzz.sh   also mutate PDFs (see CMakeLists)
# ctest runs it as the test `sanitizers_and_fuzzers` (label sanitize) with
# a build dir inside the main build and a few seconds per fuzzer.
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=${RA_FUZZ_BUILD_DIR:-build-fuzz}
jobs=$(nproc 2>/dev/null || echo 2)
start=$(date +%s)
cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  "-DCMAKE_CXX_FLAGS=-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined" \
  -DRA_FUZZ=ON "-DRA_FUZZ_SECONDS=${RA_FUZZ_SECONDS:-20}" \
  "-DRA_FUZZ_PDF_RUNS=${RA_FUZZ_PDF_RUNS:-0}" >/dev/null
fuzzers="parse_fuzzer manifest_fuzzer pack_fuzzer pdf_fuzzer"
# Every unit test of a module without gRPC (daemon/service's two are not).
unit_tests="util_test pack_test pack_custom_test ingest_test pdf_test parser_test
  dialect_layout_test dialects_test checker_test pii_test legal_rules_test pdf_rules_test
  xdoc_test store_test store_xdoc_test pipeline_test metrics_test metrics_http_test"
ninja -C "$dir" -j "$jobs" $fuzzers $unit_tests
built=$(date +%s)
export LSAN_OPTIONS="suppressions=$PWD/tests/fuzz/lsan.supp:print_suppressions=0"
ctest --test-dir "$dir" -L fuzz -j "$jobs" --output-on-failure
fuzzed=$(date +%s)
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
for t in $unit_tests; do
  bin=$(find "$dir/daemon" -name "$t" -type f -perm -u+x | head -1)
  echo "sanitized: $t" >&2
  (cd "$(dirname "$bin")" && "$bin" --gtest_brief=1)
done
echo "run_fuzz: build $((built - start)) s, fuzzers $((fuzzed - built)) s," \
  "sanitized unit tests $(($(date +%s) - fuzzed)) s" >&2
