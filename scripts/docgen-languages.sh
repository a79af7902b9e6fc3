#!/usr/bin/env bash
# Renders the API reference and the README for Python, Java, C# and Go, as
# Construct Hub does (jsii-docgen, README examples translated by rosetta), and
# fails on any warning, or on a README example that did not come out as code
# of that language: a rosetta placeholder, TypeScript left as it was, or a
# comment rosetta wrote twice. Whether that code compiles is the next step of
# npm run test:languages: test/languages/readme-examples.ts compiles the
# Python, Java and Go examples of these renderings (and of the wheel's and the
# Go module's READMEs).
# Needs the .jsii assembly (npm run compile). Writes dist/docgen/API.<language>.md
# (DOCGEN_OUT=DIR writes them there instead).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${DOCGEN_OUT:-dist/docgen}
mkdir -p "$out"

status=0
for language in python java csharp go; do
  start=$SECONDS
  # jsii tools print a banner about Node.js 20's end of life (lines of '!'): not about this library
  if ! messages=$(npx jsii-docgen --language "$language" --readme --output "$out/API.$language.md" 2>&1 | grep -v '^!!' | grep -v '^[[:space:]]*$'); then :; fi
  if [ ! -s "$out/API.$language.md" ]; then echo "docgen $language: no output"; echo "$messages"; status=1; continue; fi
  if [ -n "$messages" ]; then echo "docgen $language: warnings or errors:"; echo "$messages"; status=1; fi
  node - "$language" "$out/API.$language.md" README.md <<'JS' || status=1
const fs = require('fs');
const [language, docFile, readmeFile] = process.argv.slice(2);
const fence = { python: 'python', java: 'java', csharp: 'csharp', go: 'go' }[language];
// a fence's info string is the language and, for rosetta, parameters (```ts fixture=with-domain)
const blocks = (text, tag) => [...text.matchAll(/^```(\S*)[^\n]*\n([\s\S]*?)^```/gm)].filter((m) => m[1] === tag).map((m) => m[2]);
const readme = fs.readFileSync(readmeFile, 'utf8');
const doc = fs.readFileSync(docFile, 'utf8');
const examples = blocks(readme, 'ts').length;
const translated = blocks(doc.slice(0, doc.indexOf('# API Reference') >= 0 ? doc.indexOf('# API Reference') : doc.length), fence);
const problems = [];
if (translated.length !== examples) problems.push(`README has ${examples} TypeScript examples, the ${language} docs ${translated.length} ${fence} ones`);
if (blocks(doc, 'ts').length || blocks(doc, 'typescript').length) problems.push('TypeScript code blocks left untranslated');
// What jsii-rosetta writes when it could not compile or translate an example, and TypeScript that stayed TypeScript.
const untranslated = [/automatically generated from non-compiling source/i, /may contain errors/i, /^\s*(const|let) \w+ = /m, /\bnew \w+\(this, '/, /=> \{/, /^import \{ .* \} from '/m];
translated.forEach((code, i) => {
  for (const pattern of untranslated) if (pattern.test(code)) problems.push(`example ${i + 1} matches ${pattern}:\n${code}`);
  // rosetta repeats a comment that stands right before an expression statement (new X(...);): move the comment
  const repeated = /^([ \t]*(?:\/\/|#).*)\n\1$/m.exec(code);
  if (repeated) problems.push(`example ${i + 1} repeats the comment "${repeated[1].trim()}": in the README, move it away from the statement it precedes`);
});
if (problems.length) { console.log(`docgen ${language}: ${problems.join('\n')}`); process.exit(1); }
console.log(`docgen ${language}: API reference and ${translated.length} README examples rendered, no warnings`);
JS
  echo "docgen $language: $((SECONDS - start)) s"
done
exit "$status"
