#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan + coverage) in
# build-fuzz and runs each for RA_FUZZ_SECONDS (default 20) on its seed
# corpus under tests/fuzz/corpus/.
#   tests/fuzz/run_fuzz.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=${RA_FUZZ_BUILD_DIR:-build-fuzz}
cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  "-DCMAKE_CXX_FLAGS=-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined" \
  -DRA_FUZZ=ON "-DRA_FUZZ_SECONDS=${RA_FUZZ_SECONDS:-20}" >/dev/null
ninja -C "$dir" -j "$(nproc 2>/dev/null || echo 2)" parse_fuzzer manifest_fuzzer pack_fuzzer
ctest --test-dir "$dir" -L fuzz --output-on-failure
