'use strict';
/**
 * Loads the CLI bundle (dist/mountlint.cjs) the fast way. A single run on a
 * small file is mostly startup, so this file is CommonJS (Node's ES module
 * loader costs a run several milliseconds) and compiles the bundle with V8's
 * code cache (dist/mountlint.cjs.cache, written by `npm run build`). A cache
 * that this Node or V8 rejects is ignored: the bundle then compiles as usual.
 * docs/design.md has the measurements.
 */
const { readFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const { Script } = require('node:vm');

/**
 * The shell parser's WebAssembly is compiled by V8's baseline compiler, lazily:
 * with the optimising tier a run waited ~0.4 s at exit for a compile it no
 * longer needed. The code cache is only accepted under the flags it was made with.
 */
const V8_FLAGS = '--liftoff-only --wasm-lazy-compilation';
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

module.exports = { V8_FLAGS, CODE_CACHE, loadCli };
