#!/usr/bin/env bash
# npm run test:languages:
#  1. builds every jsii target (scripts/package-all.sh: npm tarball, Python
#     wheel and sdist, Maven jar, Go module, C# sources);
#  2. renders the docs for Python, Java, C# and Go as Construct Hub does
#     (scripts/docgen-languages.sh, into dist/docgen), warning-free, README
#     examples translated;
#  3. test/languages/: a TypeScript, a Python, a Java and a Go app install those
#     artifacts with npm, pip, Maven and go, and each must synthesise the
#     TypeScript app's template; then the README's Python, Java and Go examples
#     are compiled in those apps' environments (readme-examples.ts).
# Prints how long each step took and, with CDK_LANGUAGES_CACHE=DIR (an empty
# DIR measures a cold machine), how much each download cache grew.
# With CDK_LANGUAGES_LIBRARY=registries (the release rehearsal,
# scripts/release/rehearse.sh, which has built and published the version),
# steps 2 and 3 run, and the apps install the library from the registries.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/language-env.sh
report=$(mktemp)
trap 'rm -f "$report"' EXIT

cache_sizes() { # "name bytes" per cache, when CDK_LANGUAGES_CACHE is set
  [ -n "${CDK_LANGUAGES_CACHE:-}" ] || return 0
  local name dir
  for name in go m2 npm pip; do  # sorted, for join
    dir="$CDK_LANGUAGES_CACHE/$name"
    echo "$name $( [ -d "$dir" ] && du -sb "$dir" | cut -f1 || echo 0)"
  done
}

start=$SECONDS
status=0
if [ "${CDK_LANGUAGES_LIBRARY:-dist}" = dist ]; then
  before=$(cache_sizes)
  bash scripts/package-all.sh
  package_seconds=$((SECONDS - start))
  package_growth=$(join <(echo "$before") <(cache_sizes) | awk '$3 > $2 { printf "%s%s +%.1f MB", sep, $1, ($3 - $2) / 1e6; sep = ", " }')

fi
# The README examples as each language's docs render them (for the registries,
# from the artifacts the rehearsal built and published).
docgen_start=$SECONDS
bash scripts/docgen-languages.sh || status=$?
docgen_seconds=$((SECONDS - docgen_start))

CDK_LANGUAGES_REPORT=$report npx jest --ci -c test/languages/jest.config.json || status=$?

node - "$report" "${package_seconds:-}" "${package_growth:-}" "${docgen_seconds:-}" "$((SECONDS - start))" <<'JS'
const fs = require('fs');
const [report, packageSeconds, packageGrowth, docgenSeconds, totalSeconds] = process.argv.slice(2);
const data = fs.statSync(report).size ? JSON.parse(fs.readFileSync(report, 'utf8')) : { steps: [], cacheGrowth: {} };
const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;
console.log(`\nLanguage tests (aws-cdk-lib ${data.awsCdkLib}, constructs ${data.constructs})`);
if (packageSeconds) {
  console.log(`  package:all ${packageSeconds} s${packageGrowth ? `; caches: ${packageGrowth}` : ''}`);
} else {
  console.log('  the library from the registries of the release rehearsal');
}
console.log(`  docgen (python, java, csharp, go) ${docgenSeconds} s`);
for (const language of [...new Set(data.steps.map((s) => s.language))]) {
  const mine = data.steps.filter((s) => s.language === language);
  const total = mine.reduce((sum, s) => sum + s.seconds, 0);
  const growth = Object.entries(data.cacheGrowth[language] ?? {}).filter(([, bytes]) => bytes > 0).map(([cache, bytes]) => `${cache} +${mb(bytes)}`);
  if (language === 'Python' && data.pipDownloaded) growth.unshift(`pip downloaded ${mb(data.pipDownloaded)}`);
  console.log(`  ${language.padEnd(10)} ${total.toFixed(0).padStart(4)} s: ${mine.map((s) => `${s.step} ${s.seconds.toFixed(0)} s`).join(', ')}${growth.length ? `; ${growth.join(', ')}` : ''}`);
}
console.log(`  total ${totalSeconds} s`);
JS
exit "$status"
