/**
 * Compose files as build definitions: every service with a `build:` section
 * is a target (context, dockerfile, dockerfile_inline, target, args,
 * platforms, additional_contexts, and the `x-bake` extension's platforms),
 * with variables interpolated as Compose does (`${VAR:-default}` and friends,
 * from the environment and the project's `.env`). Several files merge in
 * order (compose.yaml, then compose.override.yaml, or `-f` order).
 * `docker compose build` builds all of them together: through bake, in one
 * BuildKit request, since Compose 2.37.
 */
import { join, normalize, isAbsolute } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode, type Pair } from 'yaml';
import type { Range, SourceFile } from '../syntax/index.js';
import { joinNames } from './bake/index.js';
import { DefinitionError } from './errors.js';
import type { BuildRequest, BuildTarget, DefinitionPlace } from './types.js';

export interface ComposeEnvironment {
  /** The environment, with the project's .env under it (the environment wins). */
  env: Record<string, string | undefined>;
  /** The project folder: relative contexts are under it (the first file's folder). */
  projectDir: string;
}

/** A service's build section as written (paths not yet resolved), after merging the files. */
export interface ServiceBuild {
  name: string;
  place: DefinitionPlace;
  context?: string;
  dockerfile?: string;
  inline?: { text: string; place: DefinitionPlace };
  stage?: string;
  args: Record<string, string>;
  platforms?: string[];
  extraPlatforms: string[];
  contexts: Record<string, string>;
}

/** The services that build, from compose files merged in order; `all`: every service name, building or not. */
export function readComposeServices(files: SourceFile[], environment: ComposeEnvironment): { services: ServiceBuild[]; all: Set<string> } {
  const merged = new Map<string, ServiceBuild>();
  const all = new Set<string>();
  for (const file of files) {
    for (const [name, build] of readComposeFile(file, environment)) {
      all.add(name);
      if (!build) continue;
      const before = merged.get(name);
      merged.set(name, before ? mergeBuild(before, build) : build);
    }
  }
  return { services: [...merged.values()], all };
}

/** Reads compose files (merged in order) into one request: `docker compose build [SERVICE…]`. */
export function composeRequest(files: SourceFile[], environment: ComposeEnvironment, services: string[] = []): BuildRequest {
  const read = readComposeServices(files, environment);
  const merged = new Map(read.services.map((s) => [s.name, s]));
  const all = read.all;
  for (const name of services) {
    if (merged.has(name)) continue;
    const why = all.has(name) ? `service "${name}" has no build section` : `no service named "${name}"`;
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

function toTarget(s: ServiceBuild, environment: ComposeEnvironment): BuildTarget {
  const context = s.context ?? '.';
  const remote = /^[a-z][a-z0-9+.-]*:\/\//i.test(context) || /^git@/.test(context);
  const contextPath = remote ? context : isAbsolute(context) ? context : join(environment.projectDir, context);
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

function mergeBuild(a: ServiceBuild, b: ServiceBuild): ServiceBuild {
  return {
    name: a.name,
    place: b.place,
    context: b.context ?? a.context,
    dockerfile: b.dockerfile ?? a.dockerfile,
    inline: b.inline ?? a.inline,
    stage: b.stage ?? a.stage,
    args: { ...a.args, ...b.args },
    platforms: b.platforms ?? a.platforms,
    extraPlatforms: [...a.extraPlatforms, ...b.extraPlatforms],
    contexts: { ...a.contexts, ...b.contexts },
  };
}

/** Each service of one file, with its build section (undefined when it has none). */
function readComposeFile(source: SourceFile, environment: ComposeEnvironment): Map<string, ServiceBuild | undefined> {
  const doc = parseYaml(source);
  const out = new Map<string, ServiceBuild | undefined>();
  const root = doc.contents as YamlNode | null;
  if (root === null) return out;
  if (!isMap(root)) throw new DefinitionError('a compose file is a mapping with a "services" key', source, rangeOf(root, source));
  const services = root.items.find((p) => keyOf(p) === 'services')?.value as YamlNode | null | undefined;
  if (services === undefined || services === null) return out;
  if (!isMap(services)) throw new DefinitionError('"services" must be a mapping of service names', source, rangeOf(services, source));
  const text = (node: YamlNode | null | undefined, what: string) => interpolate(scalarString(node, what, source), environment.env, source, rangeOf(node, source));
  for (const pair of services.items) {
    const name = keyOf(pair);
    const service = pair.value as YamlNode | null;
    const place = { source, range: rangeOf(pair.key as YamlNode, source) };
    if (service !== null && !isMap(service)) throw new DefinitionError(`service "${name}" must be a mapping`, source, rangeOf(service, source));
    const build = service ? (service.items.find((p) => keyOf(p) === 'build')?.value as YamlNode | null | undefined) : undefined;
    if (build === undefined || build === null) {
      out.set(name, undefined);
      continue;
    }
    const s: ServiceBuild = { name, place, args: {}, contexts: {}, extraPlatforms: [] };
    if (isScalar(build)) {
      s.context = text(build, 'build');
      out.set(name, s);
      continue;
    }
    if (!isMap(build)) throw new DefinitionError(`service "${name}": build must be a path or a mapping`, source, rangeOf(build, source));
    for (const item of build.items) {
      const key = keyOf(item);
      const value = item.value as YamlNode | null;
      const at = { source, range: rangeOf(value, source) };
      switch (key) {
        case 'context':
          s.context = text(value, 'build.context');
          break;
        case 'dockerfile':
          s.dockerfile = text(value, 'build.dockerfile');
          break;
        case 'dockerfile_inline':
          s.inline = { text: text(value, 'build.dockerfile_inline'), place: at };
          break;
        case 'target':
          s.stage = text(value, 'build.target');
          break;
        case 'args':
          s.args = mapping(value, 'build.args', source, environment, true);
          break;
        case 'additional_contexts':
          s.contexts = mapping(value, 'build.additional_contexts', source, environment, false);
          break;
        case 'platforms':
          s.platforms = stringList(value, 'build.platforms', source).map((v, i) => interpolate(v, environment.env, source, rangeOf((value as YamlNode & { items: YamlNode[] }).items?.[i] ?? value, source)));
          break;
        case 'x-bake': {
          const platforms = isMap(value) ? (value.items.find((p) => keyOf(p) === 'platforms')?.value as YamlNode | null | undefined) : undefined;
          if (platforms) s.extraPlatforms = (isScalar(platforms) ? [text(platforms, 'x-bake.platforms')] : stringList(platforms, 'x-bake.platforms', source)).flatMap((p) => p.split(',').map((x) => x.trim()).filter(Boolean));
          break;
        }
      }
    }
    out.set(name, s);
  }
  return out;
}

function parseYaml(source: SourceFile) {
  const doc = parseDocument(source.text, { lineCounter: new LineCounter(), prettyErrors: false, uniqueKeys: true, merge: true });
  if (doc.errors.length) {
    const e = doc.errors[0];
    throw new DefinitionError(`invalid YAML: ${e.message.split('\n')[0]}`, source, { start: e.pos[0], end: e.pos[1] });
  }
  return doc;
}

function keyOf(pair: Pair): string {
  return isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
}

function rangeOf(node: YamlNode | null | undefined, source: SourceFile): Range {
  const r = node?.range;
  return r ? { start: r[0], end: r[1] } : { start: 0, end: Math.min(1, source.text.length) };
}

function scalarString(node: YamlNode | null | undefined, what: string, source: SourceFile): string {
  if (!isScalar(node) || (typeof node.value === 'object' && node.value !== null)) throw new DefinitionError(`${what} must be a string`, source, rangeOf(node, source));
  return node.value === null ? '' : String(node.value);
}

function stringList(node: YamlNode | null, what: string, source: SourceFile): string[] {
  if (!isSeq(node)) throw new DefinitionError(`${what} must be a list`, source, rangeOf(node, source));
  return node.items.map((i) => scalarString(i as YamlNode, `an element of ${what}`, source));
}

/** `KEY: value` mappings or `["KEY=value", "KEY"]` lists; a bare KEY (args) takes the environment's value, or is left out. */
function mapping(node: YamlNode | null, what: string, source: SourceFile, environment: ComposeEnvironment, fromEnv: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  if (node === null) return out;
  if (isMap(node)) {
    for (const p of node.items) {
      const v = p.value as YamlNode | null;
      if (v === null || (isScalar(v) && v.value === null)) {
        const env = fromEnv ? environment.env[keyOf(p)] : undefined;
        if (env !== undefined) out[keyOf(p)] = env;
        continue;
      }
      out[keyOf(p)] = interpolate(scalarString(v, `${what}.${keyOf(p)}`, source), environment.env, source, rangeOf(v, source));
    }
    return out;
  }
  if (isSeq(node)) {
    node.items.forEach((item) => {
      const raw = interpolate(scalarString(item as YamlNode, `an element of ${what}`, source), environment.env, source, rangeOf(item as YamlNode, source));
      const eq = raw.indexOf('=');
      if (eq < 0) {
        const env = fromEnv ? environment.env[raw] : undefined;
        if (env !== undefined) out[raw] = env;
      } else out[raw.slice(0, eq)] = raw.slice(eq + 1);
    });
    return out;
  }
  throw new DefinitionError(`${what} must be a mapping or a list of KEY=VALUE`, source, rangeOf(node, source));
}

/**
 * Compose's interpolation: `$VAR`, `${VAR}`, `${VAR:-default}` (unset or
 * empty), `${VAR-default}` (unset), `${VAR:?message}` / `${VAR?message}`
 * (required), `${VAR:+alt}` / `${VAR+alt}`, and `$$` for a literal `$`.
 * Defaults may themselves contain variables.
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

/** Reads a `.env` file (KEY=value lines, `#` comments, optional quotes). */
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
