#!/usr/bin/env bash
# Checks that commit messages follow Conventional Commits (the rules of
# .commitlintrc.yaml), since the versions and CHANGELOG.md are computed from them.
#
#   scripts/release/check-commits.sh [BASE]   the commits after BASE, up to HEAD
#
# Without BASE: the commits since the project adopted Conventional Commits.
# The history before that commit has other messages and is never checked.
# CI on a pull request passes the pull request's base commit instead.
set -euo pipefail
cd "$(dirname "$0")/../.."

# The last commit before Conventional Commits (docs/releasing.md).
ADOPTED_AFTER=79e094b838d3b4ac556e9b099475700e1c39abf6

base=${1:-$ADOPTED_AFTER}
if ! git cat-file -e "$base^{commit}" 2>/dev/null; then
  echo "check-commits: commit $base is not in this clone's history (a shallow clone? fetch the full history)" >&2
  exit 2
fi
count=$(git rev-list --count --no-merges "$base..HEAD")
npx --no-install commitlint --from "$base" --to HEAD
echo "check-commits: the $count commits after ${base:0:12} follow Conventional Commits"
