#!/usr/bin/env bash
# Unpacks the dev corpus (once) and runs the cross-document benchmark on it.
#   tests/bench/xdoc_bench.sh CORPUS BUILD_DIR
set -euo pipefail
corpus=$1 build=$2
here=$(cd "$(dirname "$0")/../.." && pwd)
docs=$build/corpus-docs
"$here/tests/corpus/unpack.sh" "$corpus" "$docs"
exec "$build/tests/xdoc_bench" "$docs" "$here/rules/state" --repeat 1
