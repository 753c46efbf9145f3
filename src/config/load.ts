/**
 * Finding and reading `.mountlint.yaml`. The nearest file above a linted
 * Dockerfile wins (no merging with files further up, as in Ruff and tally:
 * what applies to a file is in one place). Every problem is a ConfigError
 * naming the file, line, column and key; nothing is ignored.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Document, LineCounter, Node as YamlNode } from 'yaml';
import type { FixStrategy, Severity } from '../rules/index.js';
import { CONFIG_FILE, type FailLevel, type RuleLevel } from './schema.js';
import { validate, type SchemaError } from './schema-validator.js';

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly detail: string,
  ) {
    super(`${file}:${line}:${column}: ${detail}`);
  }
}

/** The settings findings depend on, at the top level or in an override. */
export interface Settings {
  rules?: Record<string, RuleLevel>;
  build?: { target?: string; platforms?: string[]; buildArgs?: Record<string, string>; frontend?: string };
  fix?: { strategy?: Record<string, FixStrategy> };
  suppressions?: { reportUnused?: boolean; requireReason?: boolean };
}

export interface Config extends Settings {
  /** Absolute path of the file. */
  path: string;
  /** Its folder: globs are relative to it. */
  dir: string;
  failLevel?: FailLevel;
  /** Keep the files' findings in the result cache (as --cache). */
  cache?: boolean;
  include?: string[];
  exclude?: string[];
  overrides: Array<Settings & { files: string[] }>;
}

export type { Severity };

/** The nearest `.mountlint.yaml` in `dir` or a folder above it, or undefined. Answers are cached per folder. */
export function findConfigFile(dir: string, cache = new Map<string, string | null>()): string | undefined {
  const visited: string[] = [];
  let found: string | null = null;
  for (let d = resolve(dir); ; d = dirname(d)) {
    const known = cache.get(d);
    if (known !== undefined) {
      found = known;
      break;
    }
    visited.push(d);
    const candidate = join(d, CONFIG_FILE);
    if (isFile(candidate)) {
      found = candidate;
      break;
    }
    if (dirname(d) === d) break;
  }
  for (const d of visited) cache.set(d, found);
  return found ?? undefined;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

type YamlModule = typeof import('yaml');
let yaml: YamlModule | undefined;

/**
 * Loads the YAML parser; after it, loadConfigSync works. Separate so that a
 * run with no configuration file never pays for the parser, and a directory
 * search can read the files it meets synchronously.
 */
export async function prepareConfigLoader(): Promise<void> {
  yaml ??= await import('yaml');
}

/** Reads, parses and validates one configuration file. */
export async function loadConfig(path: string): Promise<Config> {
  await prepareConfigLoader();
  return loadConfigSync(path);
}

/** loadConfig, once prepareConfigLoader() has been awaited. */
export function loadConfigSync(path: string): Config {
  const absolute = resolve(path);
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(path, 1, 1, `cannot read the configuration file: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (err as Error).message}`);
  }
  return parseConfigSync(text, path, absolute);
}

/** Parses and validates configuration text; `path` is how messages name the file. */
export async function parseConfig(text: string, path: string, absolute = resolve(path)): Promise<Config> {
  await prepareConfigLoader();
  return parseConfigSync(text, path, absolute);
}

function parseConfigSync(text: string, path: string, absolute: string): Config {
  if (!yaml) throw new Error('prepareConfigLoader() must be awaited first');
  const { LineCounter, parseDocument } = yaml;
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const problem = doc.errors[0];
  if (problem) {
    const at = lines.linePos(problem.pos[0]);
    throw new ConfigError(path, at.line, at.col, `not valid YAML: ${problem.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`);
  }
  const data = doc.toJS({ maxAliasCount: 100 }) ?? {};
  if (!validate(data)) {
    throw schemaError(validate.errors ?? [], doc, lines, path);
  }
  return toConfig(data as RawConfig, absolute);
}

/** The first schema error, worded for a person, at the key or value it is about. */
function schemaError(errors: SchemaError[], doc: Document, lines: LineCounter, path: string): ConfigError {
  // Unknown keys first: a misspelt key is the likeliest mistake, and its value's errors follow from it.
  const error = errors.find((e) => e.keyword === 'additionalProperties') ?? errors[0];
  const keys = error.instancePath.split('/').slice(1).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
  const name = keys.length ? keys.join('.') : 'the file';
  const at = (node: YamlNode | undefined | null) => {
    const offset = node?.range?.[0] ?? 0;
    const pos = lines.linePos(offset);
    return [pos.line, pos.col] as const;
  };
  const pathKeys = keys.map((k) => (/^\d+$/.test(k) ? Number(k) : k));
  const value = doc.getIn(pathKeys, true) as YamlNode | undefined;
  switch (error.keyword) {
    case 'additionalProperty':
    case 'additionalProperties': {
      const key = String(error.params.additionalProperty);
      const parent = (keys.length ? value : doc.contents) as { items?: Array<{ key: YamlNode & { value?: unknown } }> } | undefined;
      const pair = parent?.items?.find((p) => String((p.key as { value?: unknown }).value) === key);
      const known = knownKeys(keys);
      return new ConfigError(path, ...at(pair?.key ?? value), `unknown key "${[...keys, key].join('.')}"${known ? ` (expected one of: ${known})` : ''}`);
    }
    case 'enum':
      return new ConfigError(path, ...at(value), `${name}: ${JSON.stringify(doc.getIn(pathKeys))} is not one of ${(error.params.allowedValues as unknown[]).join(', ')}`);
    case 'type':
      return new ConfigError(path, ...at(value ?? doc.contents), `${name} must be ${article(String(error.params.type))}`);
    case 'required':
      return new ConfigError(path, ...at(value), `${name} needs the key "${String(error.params.missingProperty)}"`);
    case 'pattern':
      if (keys.includes('platforms')) return new ConfigError(path, ...at(value), `${name}: ${JSON.stringify(doc.getIn(pathKeys))} is not a platform such as linux/amd64`);
      return new ConfigError(path, ...at(value), `${name} must not be empty`);
    case 'minItems':
      return new ConfigError(path, ...at(value), `${name} must list at least one entry`);
    default:
      return new ConfigError(path, ...at(value), `${name} ${error.message ?? 'is not valid'}`);
  }
}

function article(type: string): string {
  return { object: 'a mapping (key: value)', array: 'a list', string: 'a string', boolean: 'true or false' }[type] ?? `a ${type}`;
}

/** The keys the schema allows where an unknown one was found, for the message. */
function knownKeys(keys: string[]): string | undefined {
  const tail = keys.filter((k) => !/^\d+$/.test(k));
  const last = tail[tail.length - 1];
  const lists: Record<string, string> = {
    '': 'rules, fail-level, build, fix, suppressions, cache, include, exclude, overrides',
    overrides: 'files, rules, build, fix, suppressions',
    build: 'target, platforms, build-args, frontend',
    fix: 'strategy',
    suppressions: 'report-unused, require-reason',
  };
  if (last === 'rules') return 'a rule id';
  if (last === 'strategy') return 'default or a tool id';
  return lists[last ?? ''];
}

interface RawSettings {
  rules?: Record<string, RuleLevel>;
  build?: { target?: string; platforms?: string[]; 'build-args'?: Record<string, string | number | boolean>; frontend?: string };
  fix?: { strategy?: Record<string, FixStrategy> };
  suppressions?: { 'report-unused'?: boolean; 'require-reason'?: boolean };
}

interface RawConfig extends RawSettings {
  'fail-level'?: FailLevel;
  cache?: boolean;
  include?: string[];
  exclude?: string[];
  overrides?: Array<RawSettings & { files: string[] }>;
}

function toSettings(raw: RawSettings): Settings {
  const s: Settings = {};
  if (raw.rules) s.rules = raw.rules;
  if (raw.build) {
    const { 'build-args': buildArgs, ...rest } = raw.build;
    s.build = { ...rest, ...(buildArgs ? { buildArgs: Object.fromEntries(Object.entries(buildArgs).map(([k, v]) => [k, String(v)])) } : {}) };
  }
  if (raw.fix) s.fix = raw.fix;
  if (raw.suppressions) s.suppressions = { reportUnused: raw.suppressions['report-unused'], requireReason: raw.suppressions['require-reason'] };
  return s;
}

function toConfig(raw: RawConfig, path: string): Config {
  return {
    path,
    dir: dirname(path),
    ...toSettings(raw),
    failLevel: raw['fail-level'],
    cache: raw.cache,
    include: raw.include,
    exclude: raw.exclude,
    overrides: (raw.overrides ?? []).map((o) => ({ files: o.files, ...toSettings(o) })),
  };
}
