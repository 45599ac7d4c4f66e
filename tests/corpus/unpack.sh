#!/usr/bin/env bash
# Unpacks CORPUS/clinton-dev.tar.gz into DEST once (a stamp file marks it
# done) and copies the manifest beside the documents as manifest.csv.
#   tests/corpus/unpack.sh CORPUS DEST
set -euo pipefail
corpus=$1 dest=$2
if [[ ! -f $dest/.unpacked ]]; then
  rm -rf "$dest" && mkdir -p "$dest"
  tar -xzf "$corpus/clinton-dev.tar.gz" -C "$dest"
  cp "$corpus/clinton-dev-manifest.csv" "$dest/manifest.csv"
  touch "$dest/.unpacked"
fi
