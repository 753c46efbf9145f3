'use strict';
/**
 * Loads the CLI bundle (dist/mountlint.cjs) the fast way. A single run on a
 * small file is mostly startup, so this file is CommonJS (Node's ES module
 * loader costs a run several milliseconds) and compiles the bundle with V8's
 * code cache (dist/mountlint.cjs.cache, written by `npm run build`). A cache
 * that this Node or V8 rejects is ignored: the bundle then compiles as usual
 * (V8 also rejects a cache made under other V8 flags, which is why the CLI
 * sets its wasm flags only later, in src/cli/shell-parser.ts).
 * docs/design.md has the measurements.
 */
const { readFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const { Script } = require('node:vm');

const BUNDLE = join(__dirname, '..', 'dist', 'mountlint.cjs');
const CODE_CACHE = BUNDLE + '.cache';

function readCodeCache() {
  try {
    return readFileSync(CODE_CACHE);
  } catch {
    return undefined;
  }
}

/** Runs the bundle as a CommonJS module; returns its exports and the compiled script. */
function loadCli({ useCodeCache = true } = {}) {
  const source = readFileSync(BUNDLE, 'utf8');
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  const script = new Script(wrapped, { filename: BUNDLE, cachedData: useCodeCache ? readCodeCache() : undefined });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, require, module, BUNDLE, dirname(BUNDLE));
  return { exports: module.exports, script };
}

module.exports = { CODE_CACHE, loadCli };
