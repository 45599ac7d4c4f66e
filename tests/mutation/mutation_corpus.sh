#!/usr/bin/env bash
# Runs mutation_test on the unpacked dev corpus (the first 400 documents of
# each release folder, sorted, to stay within seconds on two cores).
#   tests/mutation/mutation_corpus.sh CORPUS BUILD_DIR
set -euo pipefail
corpus=$1 build=$2
here=$(cd "$(dirname "$0")/../.." && pwd)
docs=$build/corpus-docs
"$here/tests/corpus/unpack.sh" "$corpus" "$docs"
folders=()
for d in "$docs"/*/; do folders+=("$d"); done
exec "$build/tests/mutation/mutation_test" --max-docs 400 "${folders[@]}"
