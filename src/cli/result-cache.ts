/**
 * The result cache (`--cache`, `cache: true`): a file's findings, kept under
 * a key made from everything they depend on, so that a second run over
 * files that did not change reads them instead of linting again.
 *
 * The key hashes the file's text and path (reports name it), the lint
 * options in full (rules, severities, build options, fix strategies,
 * suppression settings: the configuration file's and the flags' together)
 * and the engine: the tool's version and a hash of the code and WebAssembly
 * that lint (so a changed rule, or any other change to the tool, is a new
 * engine). Entries live in a folder per engine; folders of engines unused
 * for a week are removed.
 *
 * An entry is one file, written to a temporary name and renamed into place,
 * so a reader sees a whole entry or none, whoever writes at the same time.
 * It starts with a checksum of its key and content: an entry that is
 * truncated, altered or written for another key does not match and is
 * ignored (and rewritten), never trusted. The cache is an optimisation: if
 * it cannot be read or written, the run goes on without it.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { wasmFile } from '../commands/index.js';
import { allRules } from '../rules/index.js';
import type { PortableResult } from './portable.js';
import { version } from './version.js';

/** Where a cache is: what a worker thread needs to open the same one. */
export interface CacheLocation {
  /** The cache folder (`--cache-location`, or the default). */
  root: string;
  /** This engine's identity: the name of its folder under the root. */
  engine: string;
}

// Required when used, not imported: a run without --cache never loads them (the bundle would load imports at start).
const require = createRequire(import.meta.url);
function createHash(algorithm: 'sha256') {
  return (require('node:crypto') as typeof import('node:crypto')).createHash(algorithm);
}

const FORMAT = 'mountlint-result-cache-1';
const UNUSED_ENGINE_DAYS = 7;

/** `node_modules/.cache/mountlint` of the project the working directory is in (the convention of Babel, AVA, ESLint's loaders), else `$XDG_CACHE_HOME/mountlint` (default `~/.cache/mountlint`). */
export function defaultCacheRoot(env: NodeJS.ProcessEnv, cwd = process.cwd()): string {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) {
      if (existsSync(join(dir, 'node_modules'))) return join(dir, 'node_modules', '.cache', 'mountlint');
      break;
    }
    if (dirname(dir) === dir) break;
  }
  const xdg = env.XDG_CACHE_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join((require('node:os') as typeof import('node:os')).homedir(), '.cache'), 'mountlint');
}

export class ResultCache {
  private readonly folders = new Set<string>();

  private constructor(readonly location: CacheLocation) {}

  /** The cache at `root` for the engine that runs now (removes engines unused for a week when it is new). */
  static open(root: string): ResultCache {
    const location = { root: resolve(root), engine: engineId() };
    const cache = new ResultCache(location);
    if (!existsSync(cache.engineDir)) pruneEngines(location);
    return cache;
  }

  /** The same cache, from its location (in a worker thread). */
  static at(location: CacheLocation): ResultCache {
    return new ResultCache(location);
  }

  private get engineDir(): string {
    return join(this.location.root, this.location.engine);
  }

  /** The key of a file's findings; `options` is the options' fingerprint (portable.ts). */
  key(path: string, options: string, text: string): string {
    return this.keyOf(['file', path, options, text]);
  }

  /** A key made of these parts (each one counted, so no two lists of parts run together). */
  keyOf(parts: string[]): string {
    const hash = createHash('sha256').update(`${FORMAT}\0${this.location.engine}\0`);
    for (const part of parts) {
      // UTF-8 is exact for well-formed text and half the bytes to hash; lone surrogates (bytes that were not UTF-8) go as UTF-16.
      if ((part as unknown as { isWellFormed(): boolean }).isWellFormed()) hash.update(`${part.length}:`).update(part);
      else hash.update(`${part.length}!`).update(part, 'utf16le');
    }
    return hash.digest('hex');
  }

  /** The stored result, or undefined when there is none or it does not check out. */
  get(key: string): PortableResult | undefined {
    return this.read(key, isPortableResult);
  }

  /** The stored value, if it checks out and is what `valid` expects. */
  read<T>(key: string, valid: (value: unknown) => value is T): T | undefined {
    let data: string;
    try {
      data = readFileSync(this.entryPath(key), 'utf8');
    } catch {
      return undefined;
    }
    const newline = data.indexOf('\n');
    const body = data.slice(newline + 1);
    if (newline !== 64 || data.slice(0, newline) !== checksum(key, body)) return undefined;
    try {
      const value: unknown = JSON.parse(body);
      return valid(value) ? value : undefined;
    } catch {
      return undefined;
    }
  }

  /** Stores a value (a result, or a build's results); returns why it could not, or undefined. */
  set(key: string, value: unknown): string | undefined {
    const path = this.entryPath(key);
    const body = JSON.stringify(value);
    const { threadId } = require('node:worker_threads') as typeof import('node:worker_threads');
    const tmp = `${path}.${process.pid}-${threadId}-${Math.random().toString(36).slice(2)}.tmp`;
    try {
      const folder = dirname(path);
      if (!this.folders.has(folder)) {
        mkdirSync(folder, { recursive: true });
        this.folders.add(folder);
      }
      writeFileSync(tmp, `${checksum(key, body)}\n${body}`);
      renameSync(tmp, path);
      return undefined;
    } catch (err) {
      try {
        unlinkSync(tmp);
      } catch {
        // never written
      }
      return `cannot write the result cache in ${this.location.root}: ${(err as Error).message}`;
    }
  }

  private entryPath(key: string): string {
    return join(this.engineDir, key.slice(0, 2), key.slice(2));
  }
}

function checksum(key: string, body: string): string {
  return createHash('sha256').update(key).update('\n').update(body).digest('hex');
}

export function isPortableResult(value: unknown): value is PortableResult {
  const v = value as PortableResult;
  return typeof v === 'object' && v !== null && Array.isArray(v.files) && typeof v.files[0]?.path === 'string' && Array.isArray(v.diagnostics) && (v.suppressed === undefined || Array.isArray(v.suppressed));
}

let engine: string | undefined;

/**
 * The running engine: the version, the rule ids, and a hash of the code that
 * lints: the CLI bundle (or, run from the compiled modules, every module)
 * and the parsers' WebAssembly. Computed once per process (~3 ms for the
 * bundle's 1 MB and 1.6 MB of WebAssembly).
 */
export function engineId(): string {
  if (engine) return engine;
  const hash = createHash('sha256').update(`${FORMAT}\0${version()}\0${allRules.map((r) => r.meta.id).join(',')}\0`);
  const here = fileURLToPath(import.meta.url);
  // Bundled, this module is the bundle (dist/mountlint.cjs); else dist/src/cli/result-cache.js.
  const code = here.endsWith('.cjs') ? [here] : jsFiles(join(dirname(here), '..'));
  const root = dirname(here);
  for (const file of code) hash.update(relative(root, file)).update('\0').update(readFileSync(file));
  for (const wasm of ['web-tree-sitter/tree-sitter.wasm', 'tree-sitter-bash/tree-sitter-bash.wasm', '@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-hcl.wasm']) hash.update(wasmFile(wasm));
  engine = hash.digest('hex').slice(0, 32);
  return engine;
}

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((e) => (e.isDirectory() ? jsFiles(join(dir, e.name)) : e.name.endsWith('.js') ? [join(dir, e.name)] : []));
}

/** Removes the folders of other engines (other versions, older builds) not written to for a week; marks the folder as a cache. */
function pruneEngines(location: CacheLocation): void {
  try {
    mkdirSync(location.root, { recursive: true });
    const tag = join(location.root, 'CACHEDIR.TAG');
    // The standard mark that backup tools skip (https://bford.info/cachedir/).
    if (!existsSync(tag)) writeFileSync(tag, 'Signature: 8a477f597d28d172789f06886806bc55\n# mountlint\'s result cache (mountlint --cache); safe to delete.\n');
    const old = Date.now() - UNUSED_ENGINE_DAYS * 24 * 3600 * 1000;
    for (const e of readdirSync(location.root, { withFileTypes: true })) {
      if (!e.isDirectory() || !/^[0-9a-f]{32}$/.test(e.name) || e.name === location.engine) continue;
      const dir = join(location.root, e.name);
      if (statSync(dir).mtimeMs < old) rmSync(dir, { recursive: true, force: true });
    }
  } catch {
    // A cache that cannot be tidied still works (or fails on write, which is reported).
  }
}
