#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan + coverage) in
# build-fuzz and runs each for RA_FUZZ_SECONDS (default 20) on its seed
# corpus under tests/fuzz/corpus/; then runs the engine's unit tests (every
# module without gRPC) from the same ASan/UBSan build.
#   tests/fuzz/run_fuzz.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=${RA_FUZZ_BUILD_DIR:-build-fuzz}
cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  "-DCMAKE_CXX_FLAGS=-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined" \
  -DRA_FUZZ=ON "-DRA_FUZZ_SECONDS=${RA_FUZZ_SECONDS:-20}" >/dev/null
unit_tests="util_test pack_test ingest_test parser_test checker_test store_test pipeline_test"
ninja -C "$dir" -j "$(nproc 2>/dev/null || echo 2)" parse_fuzzer manifest_fuzzer pack_fuzzer $unit_tests
ctest --test-dir "$dir" -L fuzz --output-on-failure
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
for t in $unit_tests; do
  bin=$(find "$dir/daemon" -name "$t" -type f -perm -u+x | head -1)
  echo "sanitized: $t" >&2
  (cd "$(dirname "$bin")" && "$bin" --gtest_brief=1)
done
