#!/usr/bin/env bash
# Finds the lowest aws-cdk-lib 2.x release the library works with, by running
# scripts/cdk-compat.sh (build, construct tests, local deploy) on releases from npm.
#
#   scripts/cdk-floor.sh [FAILING [PASSING]]
#
# FAILING: a release known to fail (default: the lowest 2.x release, tried first);
# PASSING: a release known to pass (default: the newest 2.x release, tried first).
#
# 1. Bisects for the lowest release on which the library builds, its construct
#    tests pass but for cdk-nag's, and the local deploy passes (assumes that once
#    a release does, every later one does).
# 2. If cdk-nag's test fails there (AwsSolutions-L1: a release whose
#    determineLatestNodeRuntime still picks the Node.js runtime before the newest
#    one it knows), bisects above it for the first release where everything
#    passes: `npm test` runs at the pinned floor, so the floor needs all of it.
# Each try takes about a minute and a half; logs go to $CDK_COMPAT_LOG_DIR
# (default: a temporary directory). Then set the floor in package.json (the peer
# dependency and the pinned devDependency), README.md's Install section, and
# refresh the integ snapshot (npm run integ:snapshot).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export CDK_COMPAT_LOG_DIR=${CDK_COMPAT_LOG_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/cdk-floor-XXXXXX")}
mapfile -t versions < <(npm view aws-cdk-lib versions --json | node -e '
  const all = JSON.parse(require("fs").readFileSync(0, "utf8"));
  const key = (v) => v.split(".").map(Number);
  all.filter((v) => /^2\.\d+\.\d+$/.test(v))
    .sort((a, b) => { const [x, y] = [key(a), key(b)]; return x[1] - y[1] || x[2] - y[2]; })
    .forEach((v) => console.log(v));')
index_of() { local i; for i in "${!versions[@]}"; do [ "${versions[$i]}" = "$1" ] && { echo "$i"; return; }; done; echo "unknown release: $1" >&2; exit 2; }

declare -A result
try() { # index -> sets result[index] to cdk-compat's exit code (0 all pass, 3 all but cdk-nag)
  [ -n "${result[$1]:-}" ] && return
  bash "$here/cdk-compat.sh" "${versions[$1]}"; result[$1]=$?
}
works() { try "$1"; [ "${result[$1]}" = 0 ] || [ "${result[$1]}" = 3 ]; }
passes() { try "$1"; [ "${result[$1]}" = 0 ]; }

lo=$(index_of "${1:-${versions[0]}}")
hi=$(index_of "${2:-${versions[${#versions[@]}-1]}}")
[ -n "${1:-}" ] && result[$lo]=1
[ -n "${2:-}" ] && result[$hi]=0
passes "$hi" || { echo "the newest release tried, ${versions[$hi]}, fails: no floor to find" >&2; exit 1; }
if works "$lo"; then first=$lo; else
  while [ $((hi - lo)) -gt 1 ]; do mid=$(((lo + hi) / 2)); if works "$mid"; then hi=$mid; else lo=$mid; fi; done
  first=$hi
fi
before=; [ "$first" -gt 0 ] && before="; ${versions[$((first - 1))]} fails (exit ${result[$((first - 1))]:-not tried})"
echo "works from ${versions[$first]} (build, construct tests but for cdk-nag, local deploy)$before"
floor=$first
if ! passes "$first"; then
  lo=$first; hi=$(index_of "${2:-${versions[${#versions[@]}-1]}}")
  while [ $((hi - lo)) -gt 1 ]; do mid=$(((lo + hi) / 2)); if passes "$mid"; then hi=$mid; else lo=$mid; fi; done
  floor=$hi
  echo "cdk-nag's test passes too from ${versions[$floor]}; ${versions[$lo]} fails only cdk-nag's (exit ${result[$lo]})"
fi
echo "floor: ${versions[$floor]} (logs: $CDK_COMPAT_LOG_DIR)"
