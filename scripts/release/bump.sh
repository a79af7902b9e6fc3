#!/usr/bin/env bash
# Makes the release commit and tag from the commits since the last release:
# commit-and-tag-version (.versionrc.json) computes the version from the
# Conventional Commits messages, writes it to package.json and
# package-lock.json, prepends the release's entry to CHANGELOG.md, starts
# allowed-breaking-changes.txt afresh, commits "chore(release): vX.Y.Z" and
# tags vX.Y.Z. Before any v* tag exists, this is the first release: the
# version package.json has, unchanged, and CHANGELOG.md (until then the
# header of .versionrc.json alone) is written anew from the whole history;
# every later release prepends its entry and keeps the file's older entries.
#
# Prints the version it released on the last line, or nothing when the
# commits since the last release change nothing for users (only docs, ci,
# build, chore, refactor, test, style): then nothing is committed or tagged.
# Nothing is pushed: the release workflow pushes after the build passes.
#
#   scripts/release/bump.sh [--release-as VERSION]   (and any other option of commit-and-tag-version)
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! git diff --quiet || ! git diff --cached --quiet; then
  echo "bump: the working tree has changes; a release commits from a clean tree" >&2
  exit 2
fi

first=()
git tag --list 'v*' | grep -q . || first=(--first-release --release-count 0)
before=$(git rev-parse HEAD)
npx --no-install commit-and-tag-version "${first[@]}" "$@" >&2
if [ "$(git rev-parse HEAD)" != "$before" ]; then
  git tag --list 'v*' --points-at HEAD | sed 's/^v//'
fi
