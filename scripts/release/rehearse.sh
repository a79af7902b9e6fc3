#!/usr/bin/env bash
# npm run release:rehearse: the release workflow (.github/workflows/release.yml),
# rehearsed end to end on this machine, in a temporary clone of HEAD (this
# repository is never tagged or changed), against registries it starts here
# (scripts/release/local-registries.sh) and stops at the end, also on failure:
#
#  1. the commit messages since Conventional Commits were adopted are checked;
#  2. release 1: jsii-diff against the last release on the (local) npm
#     registry, the version and CHANGELOG.md entry from the commits
#     (scripts/release/bump.sh, the first release if there is no v* tag), every
#     artifact built (npm run package:all), the npm tarball checked against
#     what Construct Hub reads, and each published with publib's own command:
#     publib-npm to verdaccio, publib-pypi to pypiserver, publib-maven to a
#     Maven repository directory (plus the signing publib-maven does before
#     Central's staging, with a throwaway GPG key), publib-golang to a local
#     git repository; NuGet only where a .NET SDK exists, and it says so;
#  3. fresh TypeScript, Python, Java and Go apps install that version from
#     those registries and must synthesise the same template
#     (test/languages with CDK_LANGUAGES_LIBRARY=registries);
#  4. release 2: a fix and a breaking change (empty commits, in the clone
#     only) give the next version, whose changelog entry must start with the
#     breaking change and its migration text; jsii-diff runs against release 1
#     from the registry, and must fail on an assembly with an element removed
#     until allowed-breaking-changes.txt lists it; the version goes to npm.
#
# Caches: each tool's own, or all under CDK_LANGUAGES_CACHE=DIR (an empty DIR
# measures a cold machine; see scripts/language-env.sh). REHEARSAL_KEEP=1
# keeps the temporary directory; it is kept on failure anyway, with the logs.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
# Under `npm run`, npm's variables for scripts point at this checkout (such as
# npm_config_local_prefix): the clone's npm must act as a user's would.
while IFS= read -r variable; do unset "$variable"; done \
  < <(compgen -e | grep -i '^npm_' | grep -viE '^npm_config_(cache|registry|userconfig)$')
. "$root/scripts/language-env.sh"
. "$root/scripts/release/local-registries.sh"

work=$(mktemp -d "${TMPDIR:-/tmp}/cdk-opensearch-packages-rehearsal-XXXXXX")
repo=$work/repo
logs=$work/logs
mkdir -p "$logs"
started=$SECONDS
phases=()

say() { printf '[rehearsal %4d s] %s\n' "$((SECONDS - started))" "$*"; }
fail() { say "FAILED: $*" >&2; exit 1; }

cleanup() {
  local status=$?
  local servers=("${REGISTRY_PIDS[@]}")
  stop_registries
  [ ! -d "$work/gnupg" ] || GNUPGHOME=$work/gnupg gpgconf --kill all 2>/dev/null || true
  [ ${#servers[@]} -eq 0 ] || say "stopped the registries' servers (pids ${servers[*]})"
  if [ "$status" -eq 0 ] && [ -z "${REHEARSAL_KEEP:-}" ]; then
    rm -rf "$work"
  else
    say "kept $work (the logs are in $logs)"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# run LOG COMMAND...: COMMAND in the clone, its output in $logs/LOG; on failure the log's end.
run() {
  local log=$logs/$1
  shift
  if ! (cd "$repo" && "$@") >"$log" 2>&1; then
    grep -v '^!!' "$log" | sed 's/^/    /' | tail -40 >&2
    fail "$* (log: $log)"
  fi
}
# show LOG COMMAND...: as run, and prints the output, indented.
show() {
  run "$@"
  grep -v '^!!' "$logs/$1" | sed 's/^/    /'
}
# phase NAME: closes the previous phase's clock and starts NAME's.
phase_start=$SECONDS
phase_name=
phase() {
  [ -z "$phase_name" ] || phases+=("$(printf '%-52s %4d s' "$phase_name" "$((SECONDS - phase_start))")")
  phase_name=$1
  phase_start=$SECONDS
  [ -z "$1" ] || say "== $1"
}

# ---- the clone --------------------------------------------------------------

phase 'clone and npm ci'
for tool in git node npm python3 java mvn go gpg curl ss unzip; do
  command -v "$tool" >/dev/null || fail "$tool is not on PATH"
done
head=$(git -C "$root" rev-parse HEAD)
git -C "$root" diff --quiet HEAD || say "note: uncommitted changes are not rehearsed: the rehearsal releases HEAD ($head)"
git clone --quiet --no-hardlinks "$root" "$repo"
git -C "$repo" checkout --quiet -B main "$head"
git -C "$repo" config user.name 'release rehearsal'
git -C "$repo" config user.email 'rehearsal@127.0.0.1'
name=$(node -p "require('$repo/package.json').name")
say "$name at $(git -C "$repo" log -1 --format='%h %s'); node $(node -v), $(python3 --version), $(java -version 2>&1 | head -1), $(go version | cut -d' ' -f3)"
run npm-ci.log npm ci --prefer-offline --no-audit --no-fund

phase 'commit messages'
show check-commits.log bash scripts/release/check-commits.sh

phase 'start the local registries'
start_registries "$work/registries"
say "npm:   verdaccio $VERDACCIO_VERSION at $VERDACCIO_URL (other packages from npmjs.org)"
say "PyPI:  pypiserver at $PYPI_URL (other packages from pypi.org)"
say "Maven: the repository $MAVEN_REPOSITORY"
say "Go:    the git repository $work/registries/go/repositories/cdk-opensearch-packages-go.git, in place of github.com/cdk-opensearch-packages/cdk-opensearch-packages-go"
say "every server listens on 127.0.0.1 only (pids ${REGISTRY_PIDS[*]})"
npm_cache=$(npm config get cache)
export npm_config_registry=$VERDACCIO_URL npm_config_update_notifier=false

# ---- what the release workflow runs ------------------------------------------

# The version bump.sh made, and its changelog entry: the committed CHANGELOG.md
# stays, below the new entry, under the header of .versionrc.json.
bump() {
  local before=$work/changelog-before.md version
  cp "$repo/CHANGELOG.md" "$before"
  version=$(cd "$repo" && bash scripts/release/bump.sh 2>"$logs/bump-$1.log" | tail -1)
  [ -n "$version" ] || { sed 's/^/    /' "$logs/bump-$1.log" >&2; fail "bump.sh released nothing"; }
  (cd "$repo" && node -e '
    const fs = require("fs");
    const header = JSON.parse(fs.readFileSync(".versionrc.json", "utf8")).header;
    const before = fs.readFileSync(process.argv[1], "utf8");
    const after = fs.readFileSync("CHANGELOG.md", "utf8");
    const older = before.slice(header.length).trim();
    if (!before.startsWith(header) || !after.startsWith(header) || !after.trimEnd().endsWith(older)) process.exit(1);
  ' "$before") || fail "CHANGELOG.md is not the header, the new entry and the older entries"
  echo "$version"
}

publish_npm() {
  # publib-npm writes the token to ~/.npmrc: a home of its own, whose .npmrc npm reads
  mkdir -p "$work/home"
  run "publib-npm-$1.log" env HOME="$work/home" npm_config_userconfig="$work/home/.npmrc" npm_config_cache="$npm_cache" \
    NPM_TOKEN="$VERDACCIO_TOKEN" NPM_REGISTRY="${VERDACCIO_URL#http://}" DISABLE_HTTPS=1 \
    npx --no-install publib-npm
  local tarball
  tarball=$(npm view "$name@$2" dist.tarball)
  [ "${tarball#"$VERDACCIO_URL"}" != "$tarball" ] || fail "npm: $name@$2 is not on verdaccio ($tarball)"
  say "npm:   publib-npm published $name@$2 to verdaccio: $tarball"
}

# ---- release 1 ---------------------------------------------------------------

phase 'release 1: jsii-diff, version, changelog'
run compile-1.log npm run --silent compile
show api-diff-1.log bash scripts/release/api-diff.sh
version=$(bump 1)
say "version $version (tag v$version); its release notes:"
show notes-1.log npx --no-install ts-node scripts/release/release-notes.ts "$version"

phase 'release 1: npm run package:all'
run package-all.log npm run package:all
grep -E ' bytes$' "$logs/package-all.log" | sed 's/^/    /'
run package-dotnet.log bash scripts/release/package-dotnet.sh
show construct-hub.log npx --no-install ts-node scripts/release/check-construct-hub.ts

phase 'release 1: publish to the local registries'
publish_npm 1 "$version"
say "npm:   (provenance, NPM_CONFIG_PROVENANCE, needs GitHub Actions' OIDC token: the release workflow has it, this machine not)"

run publib-pypi.log env PYTHONUSERBASE="$work/python-user" TWINE_REPOSITORY_URL="$PYPI_URL" \
  TWINE_USERNAME="$REHEARSAL_USER" TWINE_PASSWORD="$REHEARSAL_PASSWORD" TWINE_NON_INTERACTIVE=1 \
  npx --no-install publib-pypi
curl -sf "${PYPI_URL}simple/$name/" | grep -o "cdk_opensearch_packages-${version}[^\"#<]*" | sort -u >"$work/pypi-files"
[ "$(wc -l <"$work/pypi-files")" -eq 2 ] || fail "PyPI: pypiserver lists $(tr '\n' ' ' <"$work/pypi-files")for $version, not a wheel and an sdist"
say "PyPI:  publib-pypi (twine) uploaded $(tr '\n' ' ' <"$work/pypi-files")to pypiserver"

run publib-maven.log env MAVEN_SERVER_ID=rehearsal MAVEN_REPOSITORY_URL="file://$MAVEN_REPOSITORY" \
  MAVEN_USERNAME="$REHEARSAL_USER" MAVEN_PASSWORD="$REHEARSAL_PASSWORD" \
  MAVEN_OPTS="-Dmaven.repo.local=$MAVEN_LOCAL_REPOSITORY" npx --no-install publib-maven
group_dir=$(node -p "require('$repo/package.json').jsii.targets.java.maven.groupId.replace(/\./g, '/')")
artifact=$(node -p "require('$repo/package.json').jsii.targets.java.maven.artifactId")
deployed=$MAVEN_REPOSITORY/$group_dir/$artifact/$version
[ -f "$deployed/$artifact-$version.jar" ] || fail "Maven: publib-maven deployed no $artifact-$version.jar"
say "Maven: publib-maven deployed $(find "$deployed" -maxdepth 1 \( -name '*.jar' -o -name '*.pom' \) -printf '%f ')to $MAVEN_REPOSITORY"
# publib-maven signs only on its way to Maven Central (MAVEN_SERVER_ID=central-ossrh),
# with the maven-gpg-plugin's sign-and-deploy-file into a staging directory that
# it then uploads to Central's staging service, which needs the real service.
# The same mojo, run directly with a throwaway key, rehearses the signing.
export GNUPGHOME=$work/gnupg
mkdir -m 700 "$GNUPGHOME"
run gpg-key.log gpg --batch --pinentry-mode loopback --passphrase "$REHEARSAL_PASSWORD" \
  --quick-gen-key "$name release rehearsal <rehearsal@127.0.0.1>" rsa3072 sign 1d
key=$(gpg --list-keys --with-colons 2>/dev/null | awk -F: '$1 == "pub" { print $5; exit }')
pom=$repo/dist/java/$group_dir/$artifact/$version/$artifact-$version.pom
run maven-sign.log env MAVEN_GPG_PASSPHRASE="$REHEARSAL_PASSWORD" mvn --batch-mode --quiet \
  "-Dmaven.repo.local=$MAVEN_LOCAL_REPOSITORY" \
  org.apache.maven.plugins:maven-gpg-plugin:3.2.8:sign-and-deploy-file \
  -Durl="file://$work/central-staging" -DrepositoryId=central-staging \
  -Dgpg.keyname="$key" -Dgpg.homedir="$GNUPGHOME" -DpomFile="$pom" \
  -Dfile="${pom%.pom}.jar" -Dsources="${pom%.pom}-sources.jar" -Djavadoc="${pom%.pom}-javadoc.jar"
staged=$work/central-staging/$group_dir/$artifact/$version
for file in "$artifact-$version.pom" "$artifact-$version.jar" "$artifact-$version-sources.jar" "$artifact-$version-javadoc.jar"; do
  gpg --verify "$staged/$file.asc" "$staged/$file" 2>>"$logs/gpg-verify.log" || fail "Maven: the signature of $file does not verify"
  cmp -s "$staged/$file" "$deployed/$file" || fail "Maven: the signed $file differs from the one publib-maven deployed"
done
say "Maven: signed the pom and the three jars with the maven-gpg-plugin publib-maven uses for Central (key $key): every signature verifies, the files are those deployed"
say "Maven: not rehearsed: Central's staging and release (Sonatype's service)"

grep '^NuGet' "$logs/package-dotnet.log" | while IFS= read -r line; do say "$line"; done
say "NuGet: publib-nuget not run: it publishes dist/dotnet/*.nupkg, which needs the .NET SDK"

run publib-golang.log env GIT_CONFIG_GLOBAL="$GO_GITCONFIG" GITHUB_TOKEN="$GO_REPOSITORY_TOKEN" \
  GIT_USER_NAME='release rehearsal' GIT_USER_EMAIL='rehearsal@127.0.0.1' npx --no-install publib-golang
go_tag=$(git -C "$work/registries/go/repositories/cdk-opensearch-packages-go.git" tag --list "*/v$version")
[ -n "$go_tag" ] || fail "Go: publib-golang pushed no tag for v$version"
say "Go:    publib-golang pushed the module and the tag $go_tag to the local repository"

phase 'release 1: the apps install it from the registries'
# GODEBUG=goindex=0: Go indexes a cached module version's files once, taking them to be immutable, and each rehearsal
# publishes its version again (languages.test.ts drops the cached module and its clone before fetching it).
if ! (cd "$repo" && env CDK_LANGUAGES_LIBRARY=registries PIP_INDEX_URL="${PYPI_URL}simple/" \
  CDK_LANGUAGES_MAVEN_REPOSITORY="$MAVEN_REPOSITORY" GIT_CONFIG_GLOBAL="$GO_GITCONFIG" \
  GOPRIVATE=github.com/cdk-opensearch-packages GONOSUMDB=github.com/cdk-opensearch-packages GODEBUG=goindex=0 \
  bash scripts/test-languages.sh) >"$logs/languages.log" 2>&1; then
  grep -v '^!!' "$logs/languages.log" | sed 's/^/    /' | tail -80
  fail "the apps did not install $version from the registries, or their templates differ (log: $logs/languages.log)"
fi
grep -E '^\s+(✓|✕)|^Tests:' "$logs/languages.log" | sed 's/^/    /'
sed -n '/^Language tests/,$p' "$logs/languages.log" | sed 's/^/    /'

# ---- release 2 ---------------------------------------------------------------

phase 'release 2: jsii-diff against release 1, a breaking change'
migration="Nothing to change: this breaking change is an empty commit of the rehearsal, in its temporary clone only."
git -C "$repo" commit --quiet --allow-empty -m 'fix: a fix after the first release (an empty commit of the rehearsal)'
git -C "$repo" commit --quiet --allow-empty -m 'feat!: a breaking change (an empty commit of the rehearsal)' -m "BREAKING CHANGE: $migration"
run compile-2.log npm run --silent compile
show api-diff-2.log bash scripts/release/api-diff.sh
grep -q "against $name@$version from $VERDACCIO_URL" "$logs/api-diff-2.log" || fail "jsii-diff did not compare with $version on verdaccio"
removed=$(cd "$repo" && npx --no-install ts-node scripts/release/remove-api-element.ts .api-probe)
if (cd "$repo" && API_DIFF_BUILD=.api-probe bash scripts/release/api-diff.sh) >"$logs/api-diff-probe.log" 2>&1; then
  fail "jsii-diff passed an assembly without $removed"
fi
grep -q "\[$removed\]" "$logs/api-diff-probe.log" || fail "jsii-diff did not name $removed (log: $logs/api-diff-probe.log)"
say "jsii-diff fails on an assembly without ${removed#removed:}, naming $removed"
echo "$removed" >>"$repo/scripts/release/allowed-breaking-changes.txt"
run api-diff-allowed.log env API_DIFF_BUILD=.api-probe bash scripts/release/api-diff.sh
say "and passes once scripts/release/allowed-breaking-changes.txt lists it"
git -C "$repo" checkout --quiet scripts/release/allowed-breaking-changes.txt
rm -rf "$repo/.api-probe"

next=$(bump 2)
say "version $next (tag v$next); its release notes:"
show notes-2.log npx --no-install ts-node scripts/release/release-notes.ts "$next"
first_section=$(grep -m1 '^### ' "$logs/notes-2.log")
[ "$first_section" = '### ⚠ BREAKING CHANGES' ] || fail "the release notes of $next start with \"$first_section\", not the breaking changes"
grep -qF "$migration" "$logs/notes-2.log" || fail "the release notes of $next lack the migration text"
grep -q '^### Bug Fixes' "$logs/notes-2.log" || fail "the release notes of $next lack the fix"
say "the changelog entry of $next starts with the breaking change and its migration text; $version's entry follows it in CHANGELOG.md"

phase 'release 2: build and publish to npm'
rm -rf "$repo/dist"
run compile-3.log npm run --silent compile
run pacmak-js.log npx --no-install jsii-pacmak --targets js
publish_npm 2 "$next"
versions=$(npm view "$name" versions --json | tr -d ' \n')
latest=$(npm view "$name" dist-tags.latest)
[ "$latest" = "$next" ] || fail "npm: the latest tag is $latest, not $next"
say "npm:   $name on verdaccio: versions $versions, latest $latest"

phase ''
say "== done: $version published to the four local registries and installed back in TypeScript, Python, Java and Go with equal templates; $next published after it, jsii-diff against $version"
printf '  %s\n' "${phases[@]}"
printf '  %-52s %4d s\n' total "$((SECONDS - started))"
