#!/usr/bin/env bash
# Installs the Debian 12 packages the build needs (only those missing) and
# builds Redaction Audit with CMake + Ninja into ./build.
#   deploy/setup.sh            install + build
#   RA_BUILD_DIR=dir deploy/setup.sh   build elsewhere
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  cmake ninja-build pkg-config g++ libssl-dev
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler grpc-proto
  libabsl-dev libre2-dev libsqlite3-dev libgtest-dev libgmock-dev libbenchmark-dev
  sqlite3 ripgrep python3 bc
  nodejs chromium fonts-dejavu-core git
  libpoppler-cpp-dev libqpdf-dev qpdf python3-cairo fonts-dejavu-core
  openssl clang libclang-rt-14-dev
  python3-yaml systemd binutils time libgoogle-perftools-dev
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "setup: all build packages present" >&2
fi

# npm ships with Debian's nodejs as a separate package; NodeSource's nodejs
# bundles it (and conflicts with Debian's npm), so install it only if missing.
if ! command -v npm >/dev/null; then
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends npm >/dev/null
fi
# The official SARIF validator (@microsoft/sarif-multitool, pinned by
# tests/npm/package-lock.json), project-local in tests/npm/node_modules (not
# global, not committed); the SARIF test uses it. Runs offline once installed.
if [[ ! -x tests/npm/node_modules/.bin/sarif-multitool ]]; then
  echo "setup: installing @microsoft/sarif-multitool into tests/npm" >&2
  npm ci --prefix tests/npm --no-audit --no-fund --silent >/dev/null
fi

build_dir=${RA_BUILD_DIR:-build}
# RA_CORPUS_DIR (set by deploy/test.sh CORPUS) registers the corpus-scale tests.
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  "-DRA_CORPUS_DIR=${RA_CORPUS_DIR:-}" >/dev/null
jobs=$(nproc 2>/dev/null || echo 2)
ninja -C "$build_dir" -j "$jobs" ${RA_TARGETS:-}
echo "setup: built in $build_dir" >&2
