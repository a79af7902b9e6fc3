# shellcheck shell=bash
# shellcheck disable=SC2034 # the variables set here are for rehearse.sh
# Sourced by scripts/release/rehearse.sh: the registries the release rehearsal
# publishes to, all on this machine, each server listening on 127.0.0.1 only:
#   npm    verdaccio, with a user for publib-npm's token; what it does not hold
#          comes from npmjs.org (other packages, and the library's releases
#          there, which jsii-diff compares with as in CI)
#   PyPI   pypiserver, in a virtual environment made from PyPI, with a password
#          file for twine; other packages are redirected to pypi.org
#   Maven  a repository directory that publib-maven deploys to (file://)
#   Go     a bare git repository in place of the module's repository on GitHub
#          (github.com/cdk-opensearch-packages/cdk-opensearch-packages-go), to
#          which git's configuration (GIT_CONFIG_GLOBAL) rewrites its URL
# start_registries DIR starts and makes them under DIR and sets the variables
# below; stop_registries stops every server it started.

# The newest verdaccio that runs on Node.js 20 (6.10 needs Node.js 22).
VERDACCIO_VERSION=6.8.0
# pypiserver and what it needs, pinned.
PYPISERVER_REQUIREMENTS="$(dirname "${BASH_SOURCE[0]}")/pypiserver-requirements.txt"
# A user and password for each registry that asks for one.
REHEARSAL_USER=rehearsal
REHEARSAL_PASSWORD=rehearsal-password
# The token publib-golang puts in the repository's URL (git's configuration rewrites that URL).
GO_REPOSITORY_TOKEN=rehearsal-token

REGISTRY_PIDS=()

# A TCP port free on 127.0.0.1.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_until_up NAME URL PID LOG: until URL answers, or the server has exited, or 60 s have passed.
wait_until_up() {
  local name=$1 url=$2 pid=$3 log=$4 i
  for i in $(seq 300); do
    curl -sf -o /dev/null "$url" && return 0
    kill -0 "$pid" 2>/dev/null || { echo "$name exited: $(tail -20 "$log")" >&2; return 1; }
    sleep 0.2
  done
  echo "$name did not answer $url within 60 s: $(tail -20 "$log")" >&2
  return 1
}

# Every listening socket of the servers started here is on 127.0.0.1.
check_loopback_only() {
  local pid listening
  for pid in "${REGISTRY_PIDS[@]}"; do
    listening=$(ss -Hltnp | awk -v pid="pid=$pid," 'index($0, pid) { print $4 }')
    [ -n "$listening" ] || { echo "process $pid listens on no TCP port" >&2; return 1; }
    if grep -qv '^127\.0\.0\.1:' <<<"$listening"; then
      echo "process $pid listens beyond 127.0.0.1: $listening" >&2
      return 1
    fi
  done
}

start_verdaccio() {
  local dir=$1 port bin
  mkdir -p "$dir"
  cat >"$dir/config.yaml" <<'YAML'
storage: ./storage
auth:
  htpasswd:
    file: ./htpasswd
    max_users: 1
uplinks:
  npmjs:
    url: https://registry.npmjs.org/
packages:
  '**':
    access: $all
    publish: $authenticated
    proxy: npmjs
web:
  enable: false
log: { type: stdout, format: pretty, level: warn }
YAML
  bin=$(npm exec --yes --package="verdaccio@$VERDACCIO_VERSION" -- sh -c 'command -v verdaccio')
  port=$(free_port)
  node "$bin" --config "$dir/config.yaml" --listen "127.0.0.1:$port" >"$dir/verdaccio.log" 2>&1 &
  REGISTRY_PIDS+=($!)
  VERDACCIO_URL="http://127.0.0.1:$port/"
  wait_until_up verdaccio "${VERDACCIO_URL}-/ping" "$!" "$dir/verdaccio.log"
  # the registry's answer to `npm adduser`: the user, and a token for it
  VERDACCIO_TOKEN=$(curl -sf -X PUT -H 'content-type: application/json' \
    -d "{\"name\":\"$REHEARSAL_USER\",\"password\":\"$REHEARSAL_PASSWORD\"}" \
    "${VERDACCIO_URL}-/user/org.couchdb.user:$REHEARSAL_USER" | node -pe 'JSON.parse(require("fs").readFileSync(0, "utf8")).token')
}

start_pypiserver() {
  local dir=$1 port
  mkdir -p "$dir/packages"
  python3 -m venv "$dir/venv"
  "$dir/venv/bin/pip" install --quiet --disable-pip-version-check -r "$PYPISERVER_REQUIREMENTS"
  "$dir/venv/bin/python" - "$dir/htpasswd" "$REHEARSAL_USER" "$REHEARSAL_PASSWORD" <<'PY'
import sys
from passlib.apache import HtpasswdFile
passwords = HtpasswdFile(sys.argv[1], new=True)
passwords.set_password(sys.argv[2], sys.argv[3])
passwords.save()
PY
  port=$(free_port)
  "$dir/venv/bin/pypi-server" run --host 127.0.0.1 --port "$port" \
    --passwords "$dir/htpasswd" --authenticate update \
    --fallback-url https://pypi.org/simple/ "$dir/packages" >"$dir/pypiserver.log" 2>&1 &
  REGISTRY_PIDS+=($!)
  PYPI_URL="http://127.0.0.1:$port/"
  wait_until_up pypiserver "${PYPI_URL}health" "$!" "$dir/pypiserver.log"
}

make_maven_repository() {
  MAVEN_REPOSITORY=$1/repository
  mkdir -p "$MAVEN_REPOSITORY"
}

make_go_repository() {
  local dir=$1
  mkdir -p "$dir/repositories"
  git init --quiet --bare --initial-branch=main "$dir/repositories/cdk-opensearch-packages-go.git"
  GO_GITCONFIG=$dir/gitconfig
  cat >"$GO_GITCONFIG" <<EOF
# publib-golang clones and pushes https://<token>@github.com/<owner>/<repository>.git,
# and go fetches https://github.com/<owner>/<repository>: both lead here.
[url "file://$dir/repositories/"]
	insteadOf = https://$GO_REPOSITORY_TOKEN@github.com/cdk-opensearch-packages/
	insteadOf = https://github.com/cdk-opensearch-packages/
[protocol "file"]
	allow = always
EOF
}

start_registries() {
  local dir=$1
  start_verdaccio "$dir/verdaccio"
  start_pypiserver "$dir/pypiserver"
  make_maven_repository "$dir/maven"
  make_go_repository "$dir/go"
  check_loopback_only
}

stop_registries() {
  local pid
  for pid in "${REGISTRY_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${REGISTRY_PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  REGISTRY_PIDS=()
}
