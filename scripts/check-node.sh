#!/usr/bin/env bash
# Fails unless `node` is the project's Node.js: the major version of the
# `node` devDependency (package.json). `npm ci` installs that Node.js into
# node_modules/.bin (the `node` package's preinstall script fetches the
# node-<platform>-<arch> binary package from the npm registry; package.json's
# `allowScripts` allows it), and npm puts node_modules/.bin first on the PATH
# of every script it runs, so `npm test`, `npm run local-deploy` and the tools
# they start (jest, jsii, ts-node, npx, nested npm) run on it, whatever the
# machine's own `node` is. Without that binary (an install with
# --ignore-scripts, or a policy that blocked the script) they would silently
# run on the machine's Node.js instead: this check makes that an error.
set -euo pipefail
cd "$(dirname "$0")/.."
node -e '
const wanted = require("./package.json").devDependencies.node;
const major = wanted.replace(/^[^0-9]*/, "").split(".")[0];
if (process.versions.node.split(".")[0] !== major) {
  console.error(`check-node: this runs on Node.js ${process.version} (${process.execPath}), not on the project\x27s Node.js ${major} `
    + `(the node devDependency, ${wanted}). Run npm ci, with install scripts allowed, to install it into node_modules/.bin, `
    + "and start the tools through npm (npm test, npm run ..., npx ...), which puts node_modules/.bin first on the PATH.");
  process.exit(1);
}
console.log(`check-node: Node.js ${process.version}, the project\x27s (${require("path").relative(".", process.execPath)})`);'
