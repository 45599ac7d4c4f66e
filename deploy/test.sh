#!/usr/bin/env bash
# Sets up, builds and runs the whole test suite (unit, integration, scorer).
#   deploy/test.sh                 tests on the committed fixtures
#   deploy/test.sh CORPUS_FOLDER   also the corpus-scale tests, e.g.
#                                  deploy/test.sh ../shared/corpus
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ $# -gt 0 ]]; then
  export RA_CORPUS_DIR=$(cd "$1" && pwd)
fi
deploy/setup.sh
jobs=$(nproc 2>/dev/null || echo 2)
ctest --test-dir "${RA_BUILD_DIR:-build}" --output-on-failure -j "$jobs" --timeout 900
