#!/bin/sh
# Fails when API.md is not what jsii-docgen generates from the current .jsii
# (run `npm run compile` first). `npm run api-md` regenerates it.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
jsii-docgen -o "$tmp/API.md"
if ! diff -u API.md "$tmp/API.md" > "$tmp/API.md.diff"; then
  head -n 40 "$tmp/API.md.diff"
  echo 'API.md is out of date: run `npm run api-md` and commit API.md.' >&2
  exit 1
fi
echo 'API.md is up to date.'
