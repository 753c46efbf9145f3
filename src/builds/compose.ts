/**
 * Compose files as build definitions, read as compose-go reads them for
 * `docker compose build` (mode "compose") and as buildx reads them for
 * `docker buildx bake -f compose.yaml` (mode "bake"):
 * - every service with a `build:` section is a target (context, dockerfile,
 *   dockerfile_inline, target, args, platforms, additional_contexts; the
 *   service's `platform` when the build names none);
 * - YAML merge keys and aliases (`build: { <<: *common, target: x }`);
 * - interpolation with every modifier, from the environment over the
 *   project's `.env` (or the `--env-file` files that replace it);
 * - several files merged in order (compose.yaml, then its override, or `-f`
 *   order), `include:` (paths under the included file's folder), `extends:`
 *   (in the file or another one, whose paths stay under its own folder);
 * - profiles: compose builds the services of the active profiles
 *   (COMPOSE_PROFILES or `--profile`), bake every service;
 * - bake mode only: `x-bake` platforms, and an arg without a value taken from
 *   the service's `environment`/`env_file` when the project has none.
 * Relative contexts are under the project folder (compose: the first file's
 * folder; bake: the folder bake runs in).
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, relative, resolve } from 'node:path';
import { SourceFile, type Range } from '../syntax/index.js';
import { joinNames } from './bake/index.js';
import { DefinitionError } from './errors.js';
import type { BuildRequest, BuildTarget, DefinitionPlace } from './types.js';
import { parseYamlFile, type YamlFile, type YamlNode } from './yaml.js';

export interface ComposeEnvironment {
  /** The environment, with the project's .env (or --env-file files) under it: the environment wins. */
  env: Record<string, string | undefined>;
  /** The project folder: relative contexts are under it (compose: the first file's folder; bake: its working folder). */
  projectDir: string;
  /** Who reads the files: `docker compose` (default) or `docker buildx bake`. */
  mode?: 'compose' | 'bake';
  /** Active profiles (compose mode; COMPOSE_PROFILES is read from env when absent). `*`: all. */
  profiles?: string[];
}

/** A service's build section as written (paths not yet resolved), after merging the files. */
export interface ServiceBuild {
  name: string;
  place: DefinitionPlace;
  /** The folder a relative context is under when it is not the project's (a service from an included or extended file). */
  contextBase?: string;
  context?: string;
  dockerfile?: string;
  inline?: { text: string; place: DefinitionPlace };
  stage?: string;
  args: Record<string, string>;
  platforms?: string[];
  /** x-bake platforms (bake mode). */
  extraPlatforms: string[];
  contexts: Record<string, string>;
}

/** A service as one file (or an extended/included one) defines it. */
interface RawService {
  name: string;
  place: DefinitionPlace;
  file: YamlFile;
  /** The folder its relative paths are under (undefined: the project's). */
  base?: string;
  build?: Omit<ServiceBuild, 'name' | 'place' | 'contextBase' | 'args'> & { args: Record<string, string | null> };
  hasBuild: boolean;
  profiles?: string[];
  platform?: string;
  environment: Record<string, string | null>;
  extends?: { service: string; file?: string; place: DefinitionPlace };
  env: Record<string, string | undefined>;
}

/** The services that build, from compose files merged in order; `all`: every service name, building or not. */
export function readComposeServices(files: SourceFile[], environment: ComposeEnvironment): { services: ServiceBuild[]; all: Set<string> } {
  const reader = new ComposeReader(environment);
  const merged = new Map<string, RawService>();
  for (const source of files) {
    for (const s of reader.readFile(source, undefined, environment.env, new Set())) {
      const before = merged.get(s.name);
      merged.set(s.name, before ? mergeServices(before, s) : s);
    }
  }
  const resolved = [...merged.values()].map((s) => reader.extend(s, merged, []));
  const active = activeProfiles(environment);
  const enabled = resolved.filter((s) => environment.mode === 'bake' || isEnabled(s, active));
  const services = enabled.filter((s) => s.hasBuild).map((s) => toServiceBuild(s, environment));
  return { services, all: new Set(enabled.map((s) => s.name)) };
}

/** Reads compose files (merged in order) into one request: `docker compose build [SERVICE…]`. */
export function composeRequest(files: SourceFile[], environment: ComposeEnvironment, services: string[] = []): BuildRequest {
  const read = readComposeServices(files, environment);
  const merged = new Map(read.services.map((s) => [s.name, s]));
  for (const name of services) {
    if (merged.has(name)) continue;
    const why = read.all.has(name) ? `service "${name}" has no build section` : `no service named "${name}"`;
    throw new DefinitionError(`${why}; services that build: ${[...merged.keys()].join(', ') || 'none'}`, files[0], { start: 0, end: 0 });
  }
  const chosen = [...merged.values()].filter((s) => !services.length || services.includes(s.name));
  const targets = chosen.map((s) => toTarget(s, environment));
  const label = `docker compose build${services.length ? ' ' + services.join(' ') : ''}`;
  return {
    label,
    why: `${label} builds ${joinNames(targets.map((t) => t.name))} together (one bake request since Compose 2.37)`,
    targets,
  };
}

function activeProfiles(environment: ComposeEnvironment): string[] {
  if (environment.profiles?.length) return environment.profiles;
  return (environment.env.COMPOSE_PROFILES ?? '').split(',').map((p) => p.trim()).filter(Boolean);
}

/** A service without profiles is always on; one with profiles when one of them is active. */
function isEnabled(s: RawService, active: string[]): boolean {
  if (!s.profiles?.length) return true;
  return active.includes('*') || s.profiles.some((p) => active.includes(p));
}

function toServiceBuild(s: RawService, environment: ComposeEnvironment): ServiceBuild {
  const b = s.build ?? { args: {}, contexts: {}, extraPlatforms: [] };
  const args: Record<string, string> = {};
  for (const [k, v] of Object.entries(b.args)) {
    // An arg without a value takes the project environment's (compose-go), else, in bake, the service's environment.
    const value = v ?? s.env[k] ?? (environment.mode === 'bake' ? (s.environment[k] ?? undefined) : undefined);
    if (value !== undefined && value !== null) args[k] = value;
  }
  const platforms = b.platforms ?? (s.platform && environment.mode !== 'bake' ? [s.platform] : undefined);
  return {
    name: s.name,
    place: s.place,
    contextBase: s.base,
    context: b.context,
    dockerfile: b.dockerfile,
    inline: b.inline,
    stage: b.stage,
    args,
    platforms,
    extraPlatforms: environment.mode === 'bake' ? b.extraPlatforms : [],
    contexts: b.contexts,
  };
}

/** The context folder of a service: relative ones under its own base, else the project's. */
export function serviceContext(s: ServiceBuild, projectDir: string): string {
  const context = s.context ?? '.';
  if (isRemoteContext(context) || isAbsolute(context)) return context;
  return normalize(join(s.contextBase ?? projectDir, context));
}

function isRemoteContext(context: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(context) || /^git@/.test(context);
}

function toTarget(s: ServiceBuild, environment: ComposeEnvironment): BuildTarget {
  const context = s.context ?? '.';
  const remote = isRemoteContext(context);
  const contextPath = serviceContext(s, environment.projectDir);
  const dockerfile = s.dockerfile ?? 'Dockerfile';
  return {
    name: s.name,
    kind: 'compose service',
    definedAt: s.place,
    context: contextPath,
    dockerfile: normalize(isAbsolute(dockerfile) ? dockerfile : join(contextPath, dockerfile)),
    inline: s.inline,
    stage: s.stage,
    args: s.args,
    platforms: [...new Set([...(s.platforms ?? []), ...s.extraPlatforms])],
    // Compose's `service:NAME` is bake's `target:NAME`.
    namedContexts: Object.fromEntries(Object.entries(s.contexts).map(([k, v]) => [k, v.startsWith('service:') ? `target:${v.slice('service:'.length)}` : v])),
    unknown: remote && !s.inline ? { reason: `its context is remote (${context}), so its Dockerfile is not on this machine`, place: s.place } : undefined,
  };
}

/** compose-go's merge of one service over another (a later file, or a service over the one it extends). */
function mergeServices(a: RawService, b: RawService): RawService {
  const build = a.build && b.build
    ? {
        context: b.build.context ?? a.build.context,
        dockerfile: b.build.dockerfile ?? a.build.dockerfile,
        inline: b.build.inline ?? a.build.inline,
        stage: b.build.stage ?? a.build.stage,
        args: { ...a.build.args, ...b.build.args },
        platforms: b.build.platforms ?? a.build.platforms,
        extraPlatforms: [...new Set([...a.build.extraPlatforms, ...b.build.extraPlatforms])],
        contexts: { ...a.build.contexts, ...b.build.contexts },
      }
    : (b.build ?? a.build);
  // A later file's context is under its own folder only when it sets the context itself.
  const base = b.build?.context !== undefined ? b.base : a.base;
  return {
    ...b,
    base,
    place: b.hasBuild ? b.place : a.place,
    build,
    hasBuild: a.hasBuild || b.hasBuild,
    profiles: b.profiles ?? a.profiles,
    platform: b.platform ?? a.platform,
    environment: { ...a.environment, ...b.environment },
    extends: b.extends ?? a.extends,
    env: { ...a.env, ...b.env },
  };
}

class ComposeReader {
  /** Files read for `extends: { file: … }`, by path. */
  private readonly extended = new Map<string, Map<string, RawService>>();

  constructor(private readonly environment: ComposeEnvironment) {}

  /** The services of one file, its `include:`d files' first. `base`: the folder its relative paths are under. */
  readFile(source: SourceFile, base: string | undefined, env: Record<string, string | undefined>, including: Set<string>): RawService[] {
    const file = parseYamlFile(source);
    const root = file.root;
    if (root === null) return [];
    const top = file.entries(root);
    if (!top) throw new DefinitionError('a compose file is a mapping with a "services" key', source, file.range(root));
    const out: RawService[] = [];
    const include = top.find((e) => e.key === 'include');
    if (include?.value) out.push(...this.readIncludes(file, include.value, base, env, including));
    const services = top.find((e) => e.key === 'services')?.value;
    if (services === undefined || services === null) return out;
    const entries = file.entries(services);
    if (!entries) throw new DefinitionError('"services" must be a mapping of service names', source, file.range(services));
    for (const entry of entries) {
      const s = this.readService(file, entry.key, entry.keyNode, entry.value, base, env);
      const clash = out.find((o) => o.name === s.name);
      if (clash) {
        throw new DefinitionError(`service "${s.name}" is also defined by the included file ${clash.file.source.path} (Compose refuses a service imported twice)`, source, file.range(entry.keyNode));
      }
      out.push(s);
    }
    return out;
  }

  /** `include: [path, { path: [a, b], project_directory, env_file }]`. */
  private readIncludes(file: YamlFile, node: YamlNode, base: string | undefined, env: Record<string, string | undefined>, including: Set<string>): RawService[] {
    const items = file.items(node);
    if (!items) throw new DefinitionError('include must be a list of files', file.source, file.range(node));
    // Paths are under the project's folder (an included file's own one for its paths), not the file's.
    const here = base ?? this.environment.projectDir;
    const out: RawService[] = [];
    for (const item of items) {
      let paths: string[];
      let projectDir: string | undefined;
      let envFiles: string[] | undefined;
      const text = (n: YamlNode | null | undefined) => interpolate(file.scalar(n) ?? '', env, file.source, file.range(n));
      if (file.scalar(item) !== undefined) paths = [text(item)];
      else {
        const path = file.get(item, 'path');
        paths = file.items(path)?.map((p) => text(p)) ?? (path ? [text(path)] : []);
        const pd = file.get(item, 'project_directory');
        projectDir = pd ? text(pd) : undefined;
        const ef = file.get(item, 'env_file');
        envFiles = ef ? (file.items(ef)?.map((p) => text(p)) ?? [text(ef)]) : undefined;
      }
      if (!paths.length) throw new DefinitionError('an include entry needs a path', file.source, file.range(item));
      const resolvedPaths = paths.map((p) => (isAbsolute(p) ? p : join(here, p)));
      const dir = projectDir ? (isAbsolute(projectDir) ? projectDir : join(here, projectDir)) : dirname(resolvedPaths[0]);
      const dotEnv = envFiles ? envFiles.map((f) => (isAbsolute(f) ? f : join(here, f))) : [join(dir, '.env')];
      let includedEnv: Record<string, string | undefined> = {};
      for (const f of dotEnv) {
        const text = readOptional(f, !envFiles);
        if (text === undefined) {
          if (envFiles) throw new DefinitionError(`include: env file ${f} not found`, file.source, file.range(item));
          continue;
        }
        includedEnv = { ...includedEnv, ...parseDotEnv(text) };
      }
      const childEnv = { ...includedEnv, ...this.environment.env };
      const merged = new Map<string, RawService>();
      for (const p of resolvedPaths) {
        if (including.has(resolve(p))) throw new DefinitionError(`include cycle: ${p} includes itself`, file.source, file.range(item));
        const text = readOptional(p, false);
        if (text === undefined) throw new DefinitionError(`include: ${p} does not exist`, file.source, file.range(item));
        const nested = new Set(including).add(resolve(p));
        for (const s of this.readFile(new SourceFile(p, text), dir, childEnv, nested)) {
          const before = merged.get(s.name);
          merged.set(s.name, before ? mergeServices(before, s) : s);
        }
      }
      out.push(...merged.values());
    }
    return out;
  }

  private readService(file: YamlFile, name: string, keyNode: YamlNode, node: YamlNode | null, base: string | undefined, env: Record<string, string | undefined>): RawService {
    const source = file.source;
    const place = { source, range: file.range(keyNode) };
    const s: RawService = { name, place, file, base, hasBuild: false, environment: {}, env };
    if (node === null) return s;
    const fields = file.entries(node);
    if (!fields) throw new DefinitionError(`service "${name}" must be a mapping`, source, file.range(node));
    const text = (n: YamlNode | null | undefined, what: string) => interpolate(scalarString(file, n, what), env, source, file.range(n));
    for (const { key, value } of fields) {
      switch (key) {
        case 'build':
          if (value === null) break;
          s.hasBuild = true;
          s.build = this.readBuild(file, name, value, env);
          break;
        case 'profiles':
          s.profiles = (file.items(value) ?? []).map((p) => text(p, 'profiles'));
          break;
        case 'platform':
          s.platform = text(value, 'platform');
          break;
        case 'environment':
          Object.assign(s.environment, mapping(file, value, 'environment', env));
          break;
        case 'env_file':
          Object.assign(s.environment, this.envFiles(file, value, base, env), { ...s.environment });
          break;
        case 'extends': {
          const service = file.scalar(value) !== undefined ? text(value, 'extends') : file.get(value, 'service') ? text(file.get(value, 'service'), 'extends.service') : undefined;
          if (!service) throw new DefinitionError(`service "${name}": extends needs a service`, source, file.range(value));
          const other = file.get(value, 'file');
          s.extends = { service, file: other ? text(other, 'extends.file') : undefined, place: { source, range: file.range(value) } };
          break;
        }
      }
    }
    return s;
  }

  /** A service's `env_file:` (a path, a list, or `{ path, required }` entries): its variables, for bake's args. */
  private envFiles(file: YamlFile, node: YamlNode | null, base: string | undefined, env: Record<string, string | undefined>): Record<string, string> {
    const list = file.items(node) ?? [node];
    const out: Record<string, string> = {};
    for (const item of list) {
      const pathNode = file.scalar(item) !== undefined ? item : file.get(item, 'path');
      const required = file.scalar(file.get(item, 'required')) !== 'false';
      const p = interpolate(file.scalar(pathNode) ?? '', env, file.source, file.range(pathNode));
      const full = isAbsolute(p) ? p : join(base ?? this.environment.projectDir, p);
      const text = readOptional(full, !required);
      if (text === undefined) {
        if (required) throw new DefinitionError(`env file ${full} not found`, file.source, file.range(pathNode));
        continue;
      }
      Object.assign(out, parseDotEnv(text));
    }
    return out;
  }

  private readBuild(file: YamlFile, name: string, node: YamlNode, env: Record<string, string | undefined>): NonNullable<RawService['build']> {
    const source = file.source;
    const text = (n: YamlNode | null | undefined, what: string) => interpolate(scalarString(file, n, what), env, source, file.range(n));
    const b: NonNullable<RawService['build']> = { args: {}, contexts: {}, extraPlatforms: [] };
    if (file.scalar(node) !== undefined) {
      b.context = text(node, 'build');
      return b;
    }
    const fields = file.entries(node);
    if (!fields) throw new DefinitionError(`service "${name}": build must be a path or a mapping`, source, file.range(node));
    for (const { key, value } of fields) {
      switch (key) {
        case 'context':
          b.context = text(value, 'build.context');
          break;
        case 'dockerfile':
          b.dockerfile = text(value, 'build.dockerfile');
          break;
        case 'dockerfile_inline':
          b.inline = { text: text(value, 'build.dockerfile_inline'), place: { source, range: file.range(value) } };
          break;
        case 'target':
          b.stage = text(value, 'build.target');
          break;
        case 'args':
          b.args = mapping(file, value, 'build.args', env);
          break;
        case 'additional_contexts':
          b.contexts = Object.fromEntries(Object.entries(mapping(file, value, 'build.additional_contexts', env)).filter((e): e is [string, string] => e[1] !== null));
          break;
        case 'platforms': {
          const items = file.items(value);
          if (!items) throw new DefinitionError('build.platforms must be a list', source, file.range(value));
          b.platforms = items.map((i) => text(i, 'an element of build.platforms'));
          break;
        }
        case 'x-bake': {
          const platforms = file.get(value, 'platforms');
          if (platforms) {
            const list = file.items(platforms)?.map((p) => text(p, 'x-bake.platforms')) ?? [text(platforms, 'x-bake.platforms')];
            b.extraPlatforms = list.flatMap((p) => p.split(',').map((x) => x.trim()).filter(Boolean));
          }
          break;
        }
      }
    }
    return b;
  }

  /** A service with what it extends merged under it (compose-go: the base first, the service over it). */
  extend(s: RawService, services: Map<string, RawService>, chain: string[]): RawService {
    if (!s.extends) return s;
    const dir = s.base ?? this.environment.projectDir;
    const key = `${s.extends.file ? resolve(dir, s.extends.file) : s.file.source.path}#${s.extends.service}`;
    if (chain.includes(key)) throw new DefinitionError(`extends cycle: service "${s.name}" extends itself through ${s.extends.service}`, s.extends.place.source, s.extends.place.range);
    let parent: RawService | undefined;
    if (s.extends.file) {
      const path = isAbsolute(s.extends.file) ? s.extends.file : join(dir, s.extends.file);
      const theirs = this.extendedFile(path, s);
      parent = theirs.get(s.extends.service);
      if (!parent) throw new DefinitionError(`service "${s.name}" extends "${s.extends.service}", which ${path} does not define`, s.extends.place.source, s.extends.place.range);
      parent = this.extend(parent, theirs, [...chain, key]);
    } else {
      parent = services.get(s.extends.service);
      if (!parent) throw new DefinitionError(`service "${s.name}" extends "${s.extends.service}", which is not defined`, s.extends.place.source, s.extends.place.range);
      parent = this.extend(parent, services, [...chain, key]);
    }
    // The base's build is under its own folder; the service's own fields keep theirs.
    const merged = mergeServices({ ...parent, name: s.name, place: s.place, profiles: undefined }, { ...s, extends: undefined });
    return { ...merged, extends: undefined, profiles: s.profiles };
  }

  private extendedFile(path: string, by: RawService): Map<string, RawService> {
    const known = this.extended.get(resolve(path));
    if (known) return known;
    const text = readOptional(path, false);
    if (text === undefined) throw new DefinitionError(`service "${by.name}" extends a service of ${path}, which does not exist`, by.extends!.place.source, by.extends!.place.range);
    const services = new Map<string, RawService>();
    for (const s of this.readFile(new SourceFile(path, text), dirname(path), by.env, new Set([resolve(path)]))) services.set(s.name, s);
    this.extended.set(resolve(path), services);
    return services;
  }
}

function readOptional(path: string, quiet: boolean): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if (!quiet && (err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    return undefined;
  }
}

function scalarString(file: YamlFile, node: YamlNode | null | undefined, what: string): string {
  const s = file.scalar(node);
  if (s === undefined) {
    if (node !== undefined && node !== null && file.scalar(node) === undefined && (file.entries(node) || file.items(node))) throw new DefinitionError(`${what} must be a string`, file.source, file.range(node));
    return '';
  }
  return s;
}

/** `KEY: value` mappings or `["KEY=value", "KEY"]` lists; a bare KEY is null (its value comes from elsewhere, or it is left out). */
function mapping(file: YamlFile, node: YamlNode | null, what: string, env: Record<string, string | undefined>): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  if (node === null) return out;
  const entries = file.entries(node);
  if (entries) {
    for (const e of entries) {
      const v = e.value;
      if (v === null || file.scalar(v) === undefined) {
        out[e.key] = null;
        continue;
      }
      const raw = scalarString(file, v, `${what}.${e.key}`);
      out[e.key] = interpolate(raw, env, file.source, file.range(v));
    }
    return out;
  }
  const items = file.items(node);
  if (items) {
    for (const item of items) {
      const raw = interpolate(scalarString(file, item, `an element of ${what}`), env, file.source, file.range(item));
      const eq = raw.indexOf('=');
      if (eq < 0) out[raw] = null;
      else out[raw.slice(0, eq)] = raw.slice(eq + 1);
    }
    return out;
  }
  throw new DefinitionError(`${what} must be a mapping or a list of KEY=VALUE`, file.source, file.range(node));
}

/**
 * Compose's interpolation: `$VAR`, `${VAR}`, `${VAR:-default}` (unset or
 * empty), `${VAR-default}` (unset), `${VAR:?message}` / `${VAR?message}`
 * (required), `${VAR:+alt}` / `${VAR+alt}`, and `$$` for a literal `$`.
 * Defaults and alternatives may themselves hold variables, nested.
 */
export function interpolate(text: string, env: Record<string, string | undefined>, source: SourceFile, range: Range): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (next === '{') {
      const end = closingBrace(text, i + 2);
      if (end < 0) throw new DefinitionError(`invalid interpolation: no closing "}" in ${JSON.stringify(text)}`, source, range);
      out += substitute(text.slice(i + 2, end), env, source, range);
      i = end + 1;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1))?.[0];
    if (name) {
      out += env[name] ?? '';
      i += 1 + name.length;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

function closingBrace(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

function substitute(inner: string, env: Record<string, string | undefined>, source: SourceFile, range: Range): string {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([\s\S]*))?$/.exec(inner);
  if (!m) throw new DefinitionError(`invalid interpolation format for "\${${inner}}"`, source, range);
  const [, name, op, arg = ''] = m;
  const value = env[name];
  const unsetOrEmpty = value === undefined || value === '';
  const missing = op?.startsWith(':') ? unsetOrEmpty : value === undefined;
  switch (op) {
    case undefined:
      return value ?? '';
    case ':-':
    case '-':
      return missing ? interpolate(arg, env, source, range) : value!;
    case ':?':
    case '?':
      if (missing) throw new DefinitionError(`required variable ${name} is missing a value${arg ? `: ${interpolate(arg, env, source, range)}` : ''}`, source, range);
      return value!;
    default:
      return missing ? '' : interpolate(arg, env, source, range);
  }
}

/** Reads a `.env` file (KEY=value lines, `#` comments, optional quotes, `export`). */
export function parseDotEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2];
    if (/^".*"$/.test(value)) value = value.slice(1, -1).replace(/\\n/g, '\n').replace(/\\"/g, '"');
    else if (/^'.*'$/.test(value)) value = value.slice(1, -1);
    else value = value.replace(/\s+#.*$/, '');
    out[m[1]] = value;
  }
  return out;
}

/** A path relative to `from` when both are relative or both absolute (reports keep the user's style). */
export function rebase(path: string, from: string): string {
  return isAbsolute(path) === isAbsolute(from) ? relative(from, path) || '.' : resolve(path);
}
