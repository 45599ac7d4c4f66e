#!/usr/bin/env bash
# Runs parse_bench briefly over the unpacked dev corpus.
#   tests/bench/parse_bench_corpus.sh CORPUS BUILD_DIR
set -euo pipefail
corpus=$1 build=$2
here=$(cd "$(dirname "$0")/../.." && pwd)
docs=$build/corpus-docs
"$here/tests/corpus/unpack.sh" "$corpus" "$docs"
exec "$build/tests/bench/parse_bench" "$docs" --benchmark_min_time=0.5
