'use strict';
/**
 * Loads the CLI bundle (dist/mountlint.cjs) the fast way. A single run on a
 * small file is mostly startup, so this file is CommonJS (Node's ES module
 * loader costs a run several milliseconds) and compiles the bundle with V8's
 * code cache (dist/mountlint.cjs.cache, written by `npm run build`).
 *
 * The cache starts with a key: the build's id (the bundle's first line, a
 * hash of its content written by the build), the bundle's size, its
 * modification time in nanoseconds and its path. V8 itself only compares the
 * source's length, so an edited bundle of the same length would run the old
 * code (an edit changes the time; a new build, the id); and functions
 * compiled from a cache keep the file name they were compiled under, so a
 * cache made on the build machine would name the build machine's path in
 * stack traces. A copy that keeps the time (`cp -p`, the image's COPY) keeps
 * its cache. A cache
 * whose key does not match is not used; after a run that compiled without
 * one, a new cache is written beside the bundle when the folder is writable
 * (so an installed copy gets its own on its first run). The key was a SHA-256
 * of the bundle's 1.5 MB until December 2026: hashing it and loading
 * node:crypto cost each run about 7 ms of its 100 (measured, docs/design.md).
 *
 * V8 also rejects a cache made under other V8 flags, which is why the CLI
 * sets its wasm flags only later, in src/cli/shell-parser.ts, and why no
 * cache is written after a run that loaded the shell parser. The worker
 * threads of a parallel run (src/cli/pool.ts) start after those flags are
 * set, so they load the bundle with a cache of their own, made under them
 * (dist/mountlint.cjs.worker-cache).
 * docs/design.md has the measurements.
 */
const { accessSync, closeSync, constants, fstatSync, openSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const { Script } = require('node:vm');

const BUNDLE = join(__dirname, '..', 'dist', 'mountlint.cjs');
const CODE_CACHE = BUNDLE + '.cache';
const WORKER_CODE_CACHE = BUNDLE + '.worker-cache';
/** The bundle's bytes and its key: what the file is, as the file system says, with the key's length first (4 bytes). */
function readBundle() {
  const fd = openSync(BUNDLE, 'r');
  try {
    const s = fstatSync(fd, { bigint: true });
    const bytes = readFileSync(fd);
    const build = bytes.subarray(0, Math.max(0, bytes.indexOf(10))).toString('latin1');
    const text = Buffer.from(`${build}:${s.size}:${s.mtimeNs}:${BUNDLE}`);
    const key = Buffer.alloc(4 + text.length);
    key.writeUInt32LE(text.length, 0);
    text.copy(key, 4);
    return { bytes, key };
  } finally {
    closeSync(fd);
  }
}

/** The V8 data of a code cache file, if its key is this bundle's. */
function readCodeCache(file, key) {
  let cache;
  try {
    cache = readFileSync(file);
  } catch {
    return undefined;
  }
  return cache.length > key.length && cache.subarray(0, key.length).equals(key) ? cache.subarray(key.length) : undefined;
}

/**
 * Runs the bundle as a CommonJS module; returns its exports, the compiled
 * script, the cache key, the cache file, and whether a code cache was used.
 * `worker`: a worker thread of a parallel run, under the shell parser's flags.
 */
function loadCli({ useCodeCache = true, worker = false } = {}) {
  const cacheFile = worker ? WORKER_CODE_CACHE : CODE_CACHE;
  const { bytes, key } = readBundle();
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
