#!/usr/bin/env bash
# Unpacks CORPUS/clinton-dev.tar.gz into DEST once (a stamp file marks it
# done) and copies the manifest beside the documents as manifest.csv.
# Safe when several tests call it at once: they wait on a lock, and the
# folder appears whole (unpacked beside it, then renamed into place).
#   tests/corpus/unpack.sh CORPUS DEST
set -euo pipefail
corpus=$1 dest=$2
mkdir -p "$(dirname "$dest")"
exec 9>"$dest.lock"
flock 9
if [[ ! -f $dest/.unpacked ]]; then
  tmp=$(mktemp -d "$dest.tmp.XXXXXX")
  tar -xzf "$corpus/clinton-dev.tar.gz" -C "$tmp"
  cp "$corpus/clinton-dev-manifest.csv" "$tmp/manifest.csv"
  touch "$tmp/.unpacked"
  rm -rf "$dest"
  mv "$tmp" "$dest"
fi
