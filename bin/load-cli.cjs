'use strict';
/**
 * Loads the CLI bundle (dist/mountlint.cjs) the fast way. A single run on a
 * small file is mostly startup, so this file is CommonJS (Node's ES module
 * loader costs a run several milliseconds) and compiles the bundle with V8's
 * code cache (dist/mountlint.cjs.cache, written by `npm run build`).
 *
 * The cache starts with a key: the SHA-256 of the bundle's bytes and of the
 * bundle's path. V8 itself only compares the source's length, so an edited
 * bundle of the same length would run the old code; and functions compiled
 * from a cache keep the file name they were compiled under, so a cache made
 * on the build machine would name the build machine's path in stack traces.
 * A cache whose key does not match is not used; after a run that compiled
 * without one, a new cache is written beside the bundle when the folder is
 * writable (so an installed copy gets its own on its first run). Hashing the
 * 1 MB bundle costs about 1 ms (measured).
 *
 * V8 also rejects a cache made under other V8 flags, which is why the CLI
 * sets its wasm flags only later, in src/cli/shell-parser.ts, and why no
 * cache is written after a run that loaded the shell parser. The worker
 * threads of a parallel run (src/cli/pool.ts) start after those flags are
 * set, so they load the bundle with a cache of their own, made under them
 * (dist/mountlint.cjs.worker-cache).
 * docs/design.md has the measurements.
 */
const { accessSync, constants, readFileSync, renameSync, writeFileSync } = require('node:fs');
const { createHash } = require('node:crypto');
const { dirname, join } = require('node:path');
const { Script } = require('node:vm');

const BUNDLE = join(__dirname, '..', 'dist', 'mountlint.cjs');
const CODE_CACHE = BUNDLE + '.cache';
const WORKER_CODE_CACHE = BUNDLE + '.worker-cache';
const KEY_BYTES = 32;

function cacheKey(bundle) {
  return createHash('sha256').update(bundle).update('\0').update(BUNDLE).digest();
}

/** The V8 data of a code cache file, if its key is this bundle's. */
function readCodeCache(file, key) {
  let cache;
  try {
    cache = readFileSync(file);
  } catch {
    return undefined;
  }
  return cache.length > KEY_BYTES && cache.subarray(0, KEY_BYTES).equals(key) ? cache.subarray(KEY_BYTES) : undefined;
}

/**
 * Runs the bundle as a CommonJS module; returns its exports, the compiled
 * script, the cache key, the cache file, and whether a code cache was used.
 * `worker`: a worker thread of a parallel run, under the shell parser's flags.
 */
function loadCli({ useCodeCache = true, worker = false } = {}) {
  const cacheFile = worker ? WORKER_CODE_CACHE : CODE_CACHE;
  const bytes = readFileSync(BUNDLE);
  const key = cacheKey(bytes);
  const cachedData = useCodeCache ? readCodeCache(cacheFile, key) : undefined;
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${bytes.toString('utf8')}\n})`;
  const script = new Script(wrapped, { filename: BUNDLE, cachedData });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, require, module, BUNDLE, dirname(BUNDLE));
  return { exports: module.exports, script, key, cacheFile, cacheUsed: cachedData !== undefined && !script.cachedDataRejected };
}

/** Writes a code cache (key, then V8's data) through a new file and a rename. Throws on failure. */
function writeCodeCache(script, key, file = CODE_CACHE) {
  const tmp = `${file}.${process.pid}.${require('node:worker_threads').threadId}.tmp`;
  writeFileSync(tmp, Buffer.concat([key, script.createCachedData()]));
  renameSync(tmp, file);
}

/** After a run without a usable cache: write one, if the folder lets us (never an error). */
function refreshCodeCache(loaded) {
  if (loaded.cacheUsed) return;
  try {
    accessSync(dirname(loaded.cacheFile), constants.W_OK);
    writeCodeCache(loaded.script, loaded.key, loaded.cacheFile);
  } catch {
    // a read-only installation: it runs without a cache
  }
}

module.exports = { CODE_CACHE, WORKER_CODE_CACHE, loadCli, writeCodeCache, refreshCodeCache };
