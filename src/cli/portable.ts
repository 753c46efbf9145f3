/**
 * Lint results and lint options as plain data: what a worker thread sends
 * back (structured clone) and what the result cache stores (JSON). Only what
 * the reports read travels: the file, its findings and what suppressions
 * silenced; the syntax tree and the build model stay behind, which also keeps
 * a run over many files from holding every file's model until the end.
 *
 * Every run over files decodes its results from this form, whichever thread
 * linted them and whether they came from the cache, so those runs print the
 * same bytes by construction.
 */
import type { LintOptions, LintResult } from '../engine/index.js';
import { allRules, type Diagnostic } from '../rules/index.js';
import { SourceFile } from '../syntax/index.js';

/** A file a result refers to: [0] is the linted file itself, whose text the receiver already has. */
export interface PortableFile {
  path: string;
  text?: string;
}

export interface PortableResult {
  files: PortableFile[];
  /** Diagnostics with every SourceFile replaced by `{ $file: index into files }`. */
  diagnostics: unknown[];
  suppressed?: unknown[];
}

/** Lint options with the rules as their ids. */
export type PortableOptions = Omit<LintOptions, 'rules'> & { rules?: string[] };

/** `withText`: also the linted file's text (a file of a build, which the receiver has not read). */
export function encodeResult(result: LintResult, withText = false): PortableResult {
  const files: PortableFile[] = [withText ? { path: result.source.path, text: result.source.text } : { path: result.source.path }];
  const index = new Map<SourceFile, number>([[result.source, 0]]);
  const fileRef = (file: SourceFile) => {
    let i = index.get(file);
    if (i === undefined) {
      // Another object for the linted file itself (same path and text) is the same file.
      i = file.path === result.source.path && file.text === result.source.text ? 0 : files.push({ path: file.path, text: file.text }) - 1;
      index.set(file, i);
    }
    return { $file: i };
  };
  const encoded: PortableResult = { files, diagnostics: result.diagnostics.map((d) => encodeValue(d, fileRef)) };
  if (result.suppressed) encoded.suppressed = result.suppressed.map((d) => encodeValue(d, fileRef));
  return encoded;
}

/** The result again, for the linted file `path` whose text is `text`. */
export function decodeResult(portable: PortableResult, path: string, text: string): LintResult {
  const sources = portable.files.map((f, i) => (i === 0 ? new SourceFile(path, text) : new SourceFile(f.path, f.text ?? '')));
  const decode = (list: unknown[]) => list.map((d) => decodeValue(d, sources) as Diagnostic);
  const result: LintResult = { source: sources[0], diagnostics: decode(portable.diagnostics) };
  if (portable.suppressed) result.suppressed = decode(portable.suppressed);
  return result;
}

/**
 * Plain objects and arrays are copied key by key (in their order, which JSON
 * reports keep); a key whose value is undefined is left out, as JSON would.
 * Anything else that is not a primitive is a mistake: it would not survive
 * the trip, so it fails loudly here (the tests run every rule through this).
 */
function encodeValue(value: unknown, fileRef: (file: SourceFile) => { $file: number }): unknown {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') throw new TypeError(`cannot carry a ${typeof value} in a lint result`);
    return value;
  }
  if (value instanceof SourceFile) return fileRef(value);
  if (Array.isArray(value)) return value.map((v) => encodeValue(v, fileRef));
  if (Object.getPrototypeOf(value) !== Object.prototype) throw new TypeError(`cannot carry a ${value.constructor?.name ?? 'class instance'} in a lint result`);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = encodeValue(v, fileRef);
  return out;
}

function decodeValue(value: unknown, sources: SourceFile[]): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => decodeValue(v, sources));
  const ref = (value as { $file?: unknown }).$file;
  if (typeof ref === 'number') {
    const source = sources[ref];
    if (!source) throw new TypeError(`a lint result refers to file ${ref}, which it does not list`);
    return source;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = decodeValue(v, sources);
  return out;
}

export function encodeOptions(options: LintOptions): PortableOptions {
  const { rules, ...rest } = options;
  return rules ? { ...rest, rules: rules.map((r) => r.meta.id) } : rest;
}

const RULES_BY_ID = new Map(allRules.map((r) => [r.meta.id, r]));

export function decodeOptions(options: PortableOptions): LintOptions {
  const { rules, ...rest } = options;
  if (!rules) return rest;
  return {
    ...rest,
    rules: rules.map((id) => {
      const rule = RULES_BY_ID.get(id);
      if (!rule) throw new TypeError(`unknown rule "${id}" in lint options`);
      return rule;
    }),
  };
}

/**
 * The options as one canonical string (keys sorted, undefined left out), for
 * the result cache's key: two option objects that lint alike give one string.
 */
export function optionsFingerprint(options: LintOptions): string {
  return fingerprint(encodeOptions(options));
}

/**
 * Plain data as one canonical string (keys sorted, undefined left out; a
 * SourceFile as its path and text). Anything else throws: the cache cannot
 * key on what it cannot see.
 */
export function fingerprint(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (value !== undefined && typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') throw new TypeError(`cannot key the result cache on a ${typeof value}`);
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) return `[${value.map(fingerprint).join(',')}]`;
  if (value instanceof SourceFile) return fingerprint({ $source: value.path, text: value.text });
  if (Object.getPrototypeOf(value) !== Object.prototype) throw new TypeError(`cannot key the result cache on a ${value.constructor?.name}`);
  const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${fingerprint(v)}`).join(',')}}`;
}
