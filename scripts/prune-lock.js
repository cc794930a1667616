#!/usr/bin/env node
// Removes optional dependencies that package-lock.json names but does not contain.
// The registry this project is built against lacks some platform-specific binaries (e.g.
// @unrs/resolver-binding-darwin-arm64); `npm install` skips them silently, but `npm ci` then
// refuses the lock file ("Missing: … from lock file"). Run after any `npm install` that
// changes package-lock.json.
const fs = require('node:fs');
const path = require('node:path');

const file = path.join(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
const present = (from, name) => {
  // Node's resolution: nearest node_modules up the tree.
  let dir = from;
  for (;;) {
    const key = `${dir ? `${dir}/` : ''}node_modules/${name}`;
    if (lock.packages[key]) return true;
    if (!dir) return false;
    const i = dir.lastIndexOf('/node_modules/');
    dir = i === -1 ? '' : dir.slice(0, i);
  }
};
let removed = 0;
for (const [key, pkg] of Object.entries(lock.packages)) {
  for (const name of Object.keys(pkg.optionalDependencies ?? {})) {
    if (!present(key, name)) {
      delete pkg.optionalDependencies[name];
      removed++;
    }
  }
  if (pkg.optionalDependencies && Object.keys(pkg.optionalDependencies).length === 0)
    delete pkg.optionalDependencies;
}
fs.writeFileSync(file, JSON.stringify(lock, null, 2) + '\n');
console.log(`prune-lock: removed ${removed} optional dependencies missing from the registry`);
