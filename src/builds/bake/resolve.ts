/**
 * Bake's semantics over the merged blocks (buildx bake/bake.go): variables
 * with their defaults and environment overrides, user functions, matrix
 * targets, blocks of one name merged in order, `inherits` (parents first,
 * then the target itself), groups expanded recursively, and the defaults
 * (context ".", dockerfile "Dockerfile" under the context).
 */
import { isAbsolute, join, normalize, relative } from 'node:path';
import type { Range, SourceFile } from '../../syntax/index.js';
import { DefinitionError } from '../errors.js';
import { Evaluator, type EvalEnvironment, type UserFunction } from '../hcl/evaluate.js';
import { asString, findUnknown, isObject, isUnknown, newObject, typeName, Unknown, type Value } from '../hcl/values.js';
import type { BuildTarget, DefinitionPlace } from '../types.js';
import { rebase, type ServiceBuild } from '../compose.js';
import type { RawAttribute, RawBlock, RawConfig } from './config.js';

export interface BakeEnvironment {
  /** Environment variables: they override `variable` defaults, as in `docker buildx bake`. */
  env: Record<string, string | undefined>;
  /** The folder `docker buildx bake` would run in: relative contexts are under it. */
  cwd: string;
  /** BAKE_LOCAL_PLATFORM. */
  localPlatform: string;
}

/** A target's fields as one block (or one matrix instance) sets them; undefined: not set there. */
interface TargetFields {
  name: string;
  place: DefinitionPlace;
  context?: string;
  dockerfile?: string;
  inline?: { text: string; place: DefinitionPlace };
  stage?: string;
  args: Record<string, string | null>;
  platforms?: string[];
  contexts: Record<string, string>;
  inherits: string[];
  inheritsPlace?: DefinitionPlace;
  unknown?: { reason: string; place: DefinitionPlace; dockerfileKnown?: boolean };
}

interface Group {
  name: string;
  targets: string[];
  place: DefinitionPlace;
}

/** Attributes that decide what BuildKit runs; the others (tags, labels, outputs, …) are not evaluated. */
const EVALUATED = ['context', 'dockerfile', 'dockerfile-inline', 'target', 'args', 'platforms', 'contexts', 'inherits'];

export class BakeProject {
  private readonly evaluator: Evaluator;
  private readonly values = new Map<string, Value>();
  private readonly resolving = new Set<string>();
  readonly groups = new Map<string, Group>();
  /** Every target instance (matrix targets expanded), merged by name, in definition order. */
  readonly targets = new Map<string, TargetFields[]>();

  constructor(
    private readonly config: RawConfig,
    private readonly environment: BakeEnvironment,
  ) {
    const functions = new Map<string, UserFunction>();
    for (const f of config.functions.values()) {
      if (!f.result) throw new DefinitionError(`function "${f.name}" has no result`, f.source, f.range);
      functions.set(f.name, { params: f.params, variadic: f.variadic, result: f.result.expr, source: f.result.source });
    }
    const env: EvalEnvironment = { lookup: (name, range, source) => this.lookup(name, range, source), functions };
    this.evaluator = new Evaluator(env);
    for (const block of config.targets) this.expandTarget(block);
    for (const block of config.groups) this.addGroup(block);
  }

  /**
   * Compose services as bake targets (bake reads compose files first, then
   * its own files, whose blocks of the same name override them), all in the
   * "default" group.
   */
  addServices(services: ServiceBuild[]): void {
    const names: string[] = [];
    for (const s of services) {
      const fields: TargetFields = {
        name: s.name,
        place: s.place,
        // A service from an included or extended file: its context is under that file's folder, not bake's.
        context: s.contextBase !== undefined && s.context !== undefined && !isAbsolute(s.context) && !isRemote(s.context) ? rebase(join(s.contextBase, s.context), this.environment.cwd) : s.contextBase !== undefined && s.context === undefined ? rebase(s.contextBase, this.environment.cwd) : s.context,
        dockerfile: s.dockerfile,
        inline: s.inline,
        stage: s.stage,
        args: { ...s.args },
        platforms: s.platforms || s.extraPlatforms.length ? [...(s.platforms ?? []), ...s.extraPlatforms] : undefined,
        contexts: Object.fromEntries(Object.entries(s.contexts).map(([k, v]) => [k, v.startsWith('service:') ? `target:${v.slice('service:'.length)}` : v])),
        inherits: [],
      };
      this.targets.set(s.name, [fields, ...(this.targets.get(s.name) ?? [])]);
      names.push(s.name);
    }
    // Compose's targets come first in bake's listing and in its default group.
    const reordered = new Map([...names.map((n) => [n, this.targets.get(n)!] as const), ...[...this.targets].filter(([n]) => !names.includes(n))]);
    this.targets.clear();
    for (const [k, v] of reordered) this.targets.set(k, v);
    const group = this.groups.get('default');
    this.groups.set('default', { name: 'default', targets: [...new Set([...names, ...(group?.targets ?? [])])], place: group?.place ?? services[0].place });
  }

  /** `--set pattern.key=value` (bake-action's `set`): platform, args.NAME, target, dockerfile, context, contexts.NAME. */
  override(target: BuildTarget, set: string[]): BuildTarget {
    let t = target;
    for (const entry of set) {
      const eq = entry.indexOf('=');
      const name = eq < 0 ? entry : entry.slice(0, eq);
      // `key+=value` appends (buildx 0.19+): platforms are added to the target's own.
      const append = name.endsWith('+');
      const [pattern, ...keys] = name.replace(/\+$/, '').split('.');
      const value = eq < 0 ? '' : entry.slice(eq + 1);
      if (!globMatch(pattern, t.name)) continue;
      const key = keys.join('.');
      if (key === 'platform') {
        const given = value.split(',').map((p) => p.trim()).filter(Boolean).map((p) => (p === 'local' ? this.environment.localPlatform : p));
        t = { ...t, platforms: append ? [...new Set([...t.platforms, ...given])] : given };
      } else if (key.startsWith('args.')) t = { ...t, args: { ...t.args, [key.slice(5)]: value } };
      else if (key === 'target') t = { ...t, stage: value || undefined };
      else if (key === 'dockerfile') t = { ...t, dockerfile: normalize(isAbsolute(value) ? value : join(t.context, value)) };
      else if (key === 'context') {
        const context = isAbsolute(stripCwd(value)) ? stripCwd(value) : join(this.environment.cwd, stripCwd(value));
        t = { ...t, context, dockerfile: normalize(join(context, relative(t.context, t.dockerfile) || 'Dockerfile')) };
      }
      else if (key.startsWith('contexts.')) t = { ...t, namedContexts: { ...t.namedContexts, [key.slice(9)]: value } };
    }
    return t;
  }

  /** Names users can ask for: groups first, then targets. */
  names(): string[] {
    return [...new Set([...this.groups.keys(), ...this.targets.keys()])];
  }

  private lookup(name: string, range: Range, source: SourceFile): Value | undefined {
    if (name === 'target') return this.targetObject();
    if (this.values.has(name)) return this.values.get(name);
    const builtin = { BAKE_CMD_CONTEXT: 'cwd://', BAKE_LOCAL_PLATFORM: this.environment.localPlatform }[name];
    if (builtin !== undefined) return builtin;
    const variable = this.config.variables.get(name);
    const global = this.config.globals.get(name);
    if (!variable && !global) return undefined;
    if (this.resolving.has(name)) throw new DefinitionError(`variable cycle: "${name}" depends on itself`, source, range);
    this.resolving.add(name);
    try {
      const value = variable ? (variable.type ? this.typedValue(name, variable.type, variable.default) : this.variableValue(name, variable.default)) : this.evaluate(global!, newMap());
      this.values.set(name, value);
      return value;
    } finally {
      this.resolving.delete(name);
    }
  }

  /** A variable's value: the environment's when set (converted to the default's type), else its default, else "". */
  private variableValue(name: string, def: RawAttribute | undefined): Value {
    const fallback = def ? this.evaluate(def, newMap()) : '';
    const override = this.environment.env.BUILDX_BAKE_DISABLE_VARS_ENV_LOOKUP ? undefined : this.environment.env[name];
    if (override === undefined) return fallback;
    if (typeof fallback === 'number') {
      const n = Number(override);
      if (Number.isNaN(n)) throw new DefinitionError(`variable "${name}" is a number, but the environment sets it to ${JSON.stringify(override)}`, def!.source, def!.range);
      return n;
    }
    if (typeof fallback === 'boolean') {
      if (override !== 'true' && override !== 'false') throw new DefinitionError(`variable "${name}" is a bool, but the environment sets it to ${JSON.stringify(override)}`, def!.source, def!.range);
      return override === 'true';
    }
    if (Array.isArray(fallback) || isObject(fallback)) {
      throw new DefinitionError(`variable "${name}" has a ${typeName(fallback)} default, which an environment variable cannot set (buildx: unsupported type)`, def!.source, def!.range);
    }
    return override;
  }

  /**
   * A typed variable (`type = number`, `list(string)`…): an environment value
   * converts by its type as buildx does — numbers and bools parsed, lists and
   * sets of them from comma-separated values (CSV); a map or object from the
   * environment is left unknown (buildx's own conversion of those is not ours).
   */
  private typedValue(name: string, typeAttr: RawAttribute, def: RawAttribute | undefined): Value {
    const type = typeExpr(typeAttr.expr);
    const override = this.environment.env.BUILDX_BAKE_DISABLE_VARS_ENV_LOOKUP ? undefined : this.environment.env[name];
    const fail = (why: string): never => {
      throw new DefinitionError(`variable "${name}": ${why}`, typeAttr.source, typeAttr.range);
    };
    if (override === undefined) return def ? this.evaluate(def, newMap()) : null;
    const primitive = (kind: string | undefined, text: string): Value => {
      if (kind === 'number') {
        const n = Number(text.trim());
        return text.trim() === '' || Number.isNaN(n) ? fail(`failed to parse ${JSON.stringify(text)} as number`) : n;
      }
      if (kind === 'bool') {
        if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
        if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
        return fail(`failed to parse ${JSON.stringify(text)} as bool`);
      }
      return text;
    };
    if (!type || type.kind === 'any') return override;
    if (type.kind === 'primitive') return primitive(type.name, override);
    if ((type.kind === 'list' || type.kind === 'set') && type.element?.kind === 'primitive') return parseCsv(override, fail).map((item) => primitive(type.element!.name, item));
    return new Unknown(`variable "${name}" of type ${type.kind} set from the environment is not evaluated without Docker`, typeAttr.range);
  }

  /** `target.NAME.ATTR`: the named block's own attributes, evaluated when read. */
  private targetObject(): Value {
    const o = newObject();
    for (const block of this.config.targets) {
      if (Object.prototype.hasOwnProperty.call(o, block.name)) continue;
      Object.defineProperty(o, block.name, {
        enumerable: true,
        get: () => newObject([...block.attributes].filter(([k]) => k !== 'matrix' && k !== 'name').map(([k, a]) => [k, this.evaluate(a, newMap())])),
      });
    }
    return o;
  }

  private evaluate(attr: RawAttribute, locals: Map<string, Value>): Value {
    return this.evaluator.evaluate(attr.expr, attr.source, locals);
  }

  private expandTarget(block: RawBlock): void {
    const matrix = block.attributes.get('matrix');
    const nameAttr = block.attributes.get('name');
    if (nameAttr && !matrix) throw new DefinitionError(`target "${block.name}": name requires matrix`, nameAttr.source, nameAttr.range);
    let instances: Array<Map<string, Value>> = [newMap()];
    if (matrix) {
      const value = this.evaluate(matrix, newMap());
      const unknown = findUnknown(value);
      if (unknown) throw new DefinitionError(`target "${block.name}": the matrix cannot be evaluated without Docker (${unknown.reason})`, matrix.source, unknown.range, true);
      if (!isObject(value)) throw new DefinitionError(`target "${block.name}": matrix must be a map of lists`, matrix.source, matrix.range);
      for (const key of Object.keys(value).sort()) {
        const options = value[key];
        if (!Array.isArray(options)) throw new DefinitionError(`target "${block.name}": matrix values must be lists ("${key}" is a ${typeName(options)})`, matrix.source, matrix.range);
        instances = options.flatMap((option) => instances.map((l) => new Map([...l, [key, option]])));
      }
    }
    const renamed: string[] = [];
    for (const locals of instances) {
      let name = block.name;
      if (nameAttr) {
        const v = this.evaluate(nameAttr, locals);
        const s = asString(v);
        if (isUnknown(v)) throw new DefinitionError(`target "${block.name}": its name cannot be evaluated without Docker (${v.reason})`, nameAttr.source, v.range, true);
        if (s === undefined) throw new DefinitionError(`target "${block.name}": its name must evaluate to a string, not a ${typeName(v)}`, nameAttr.source, nameAttr.range);
        if (!/^[a-zA-Z0-9_-]+$/.test(s)) throw new DefinitionError(`invalid target name "${s}": use letters, digits, "_" and "-"`, nameAttr.source, nameAttr.range);
        name = s;
      }
      renamed.push(name);
      const list = this.targets.get(name) ?? [];
      list.push(this.fields(block, name, locals));
      this.targets.set(name, list);
    }
    // A matrix target's label names the group of its instances (buildx: res.Renamed).
    if (matrix && !(renamed.length === 1 && renamed[0] === block.name)) {
      this.groups.set(block.name, { name: block.name, targets: [...new Set(renamed)], place: { source: block.source, range: block.headerRange } });
    }
  }

  private fields(block: RawBlock, name: string, locals: Map<string, Value>): TargetFields {
    const place = { source: block.source, range: block.headerRange };
    const t: TargetFields = { name, place, args: {}, contexts: {}, inherits: [] };
    for (const key of EVALUATED) {
      const attr = block.attributes.get(key);
      if (!attr) continue;
      const value = this.evaluate(attr, locals);
      const unknown = findUnknown(value);
      if (unknown) {
        t.unknown ??= { reason: `${key}: ${unknown.reason}`, place: { source: attr.source, range: unknown.range }, dockerfileKnown: !['context', 'dockerfile', 'dockerfile-inline'].includes(key) };
        continue;
      }
      const attrPlace = { source: attr.source, range: attr.range };
      switch (key) {
        case 'context':
          t.context = stringField(value, key, attrPlace);
          break;
        case 'dockerfile':
          t.dockerfile = stringField(value, key, attrPlace);
          break;
        case 'dockerfile-inline':
          t.inline = { text: stringField(value, key, attrPlace), place: attrPlace };
          break;
        case 'target':
          t.stage = stringField(value, key, attrPlace);
          break;
        case 'args':
          for (const [k, v] of Object.entries(mapField(value, key, attrPlace))) t.args[k] = v === null ? null : stringField(v, `args.${k}`, attrPlace);
          break;
        case 'contexts':
          for (const [k, v] of Object.entries(mapField(value, key, attrPlace))) if (v !== null) t.contexts[k] = stringField(v, `contexts.${k}`, attrPlace);
          break;
        case 'platforms':
          t.platforms = listField(value, key, attrPlace);
          break;
        case 'inherits':
          t.inherits = listField(value, key, attrPlace);
          t.inheritsPlace = attrPlace;
          break;
      }
    }
    return t;
  }

  private addGroup(block: RawBlock): void {
    const place = { source: block.source, range: block.headerRange };
    for (const key of block.attributes.keys()) {
      if (key === 'name' || key === 'matrix') throw new DefinitionError(`${key} is not supported for groups`, block.source, block.attributes.get(key)!.range);
    }
    const attr = block.attributes.get('targets');
    let targets: string[] = [];
    if (attr) {
      const value = this.evaluate(attr, newMap());
      const unknown = findUnknown(value);
      if (unknown) throw new DefinitionError(`group "${block.name}": its targets cannot be evaluated without Docker (${unknown.reason})`, attr.source, unknown.range, true);
      targets = listField(value, 'targets', { source: attr.source, range: attr.range });
    }
    const existing = this.groups.get(block.name);
    if (existing) existing.targets = [...new Set([...existing.targets, ...targets])];
    else this.groups.set(block.name, { name: block.name, targets, place });
  }

  /** The targets a name stands for (a group, recursively, or the target itself), and the groups on the way. */
  expand(name: string, seen = new Set<string>()): { targets: string[]; groups: string[] } {
    const group = this.groups.get(name);
    if (!group) return { targets: [name], groups: [] };
    if (seen.has(name)) return { targets: [], groups: [] };
    seen.add(name);
    const targets: string[] = [];
    const groups = [name];
    for (const member of group.targets) {
      const sub = this.expand(member, seen);
      targets.push(...sub.targets);
      groups.push(...sub.groups);
    }
    return { targets: [...new Set(targets)], groups: [...new Set(groups)] };
  }

  groupPlace(name: string): DefinitionPlace | undefined {
    return this.groups.get(name)?.place;
  }

  /** One target with its parents merged in, as `docker buildx bake` builds it. */
  resolve(name: string, referencedAt?: DefinitionPlace): BuildTarget {
    const merged = this.merged(name, [], referencedAt);
    const context = merged.context ?? '.';
    const remote = isRemote(context);
    const contextPath = remote || isAbsolute(stripCwd(context)) ? stripCwd(context) : join(this.environment.cwd, stripCwd(context));
    const dockerfile = merged.dockerfile && merged.dockerfile !== '' ? merged.dockerfile : 'Dockerfile';
    const dockerfilePath = dockerfile.startsWith('cwd://') ? join(this.environment.cwd, stripCwd(dockerfile)) : isAbsolute(dockerfile) ? dockerfile : join(contextPath, dockerfile);
    const args: Record<string, string> = {};
    for (const [k, v] of Object.entries(merged.args)) if (v !== null) args[k] = v;
    const target: BuildTarget = {
      name,
      kind: 'bake target',
      definedAt: merged.place,
      context: contextPath,
      dockerfile: normalize(dockerfilePath),
      inline: merged.inline,
      stage: merged.stage || undefined,
      args,
      // "local" is buildx's word for the builder's own platform.
      platforms: [...new Set((merged.platforms ?? []).map((p) => (p === 'local' ? this.environment.localPlatform : p)))],
      namedContexts: merged.contexts,
      unknown: merged.unknown,
    };
    if (remote && !merged.inline && !target.unknown) target.unknown = { reason: `its context is remote (${context}), so its Dockerfile is not on this machine`, place: merged.place };
    return target;
  }

  private merged(name: string, chain: string[], referencedAt?: DefinitionPlace): TargetFields {
    const instances = this.targets.get(name);
    if (!instances) {
      const known = [...this.targets.keys()];
      const where = referencedAt ?? { source: this.config.targets[0]?.source ?? this.config.groups[0]?.source, range: { start: 0, end: 0 } };
      throw new DefinitionError(`failed to find target "${name}"${known.length ? ` (targets: ${known.join(', ')})` : ''}`, where.source, where.range);
    }
    if (chain.includes(name)) {
      const last = this.targets.get(chain[chain.length - 1])!.find((t) => t.inherits.includes(name));
      const place = last?.inheritsPlace ?? instances[0].place;
      throw new DefinitionError(`inherits cycle: ${[...chain, name].map((n) => `"${n}"`).join(' → ')}`, place.source, place.range);
    }
    const own = instances.reduce(mergeFields);
    const parents = own.inherits.map((parent) => this.merged(parent, [...chain, name], own.inheritsPlace));
    const result = [...parents, own].reduce(mergeFields, { name, place: own.place, args: {}, contexts: {}, inherits: [] } as TargetFields);
    return { ...result, name, place: own.place, inherits: own.inherits, inheritsPlace: own.inheritsPlace };
  }
}

/** Target.Merge: later values replace earlier ones; args and contexts merge key by key. */
function mergeFields(a: TargetFields, b: TargetFields): TargetFields {
  return {
    name: b.name,
    place: b.place,
    context: b.context ?? a.context,
    dockerfile: b.dockerfile ?? a.dockerfile,
    inline: b.inline ?? a.inline,
    stage: b.stage ?? a.stage,
    args: { ...a.args, ...Object.fromEntries(Object.entries(b.args).filter(([, v]) => v !== null)) },
    platforms: b.platforms ?? a.platforms,
    contexts: { ...a.contexts, ...b.contexts },
    inherits: [...a.inherits, ...b.inherits],
    inheritsPlace: b.inheritsPlace ?? a.inheritsPlace,
    unknown: a.unknown ?? b.unknown,
  };
}

interface VariableType {
  kind: 'primitive' | 'list' | 'set' | 'map' | 'object' | 'tuple' | 'any';
  name?: string;
  element?: VariableType;
}

/** A variable's `type` expression: string, number, bool, any, list(T), set(T), map(T), object({…}), tuple([…]). */
function typeExpr(expr: import('../hcl/syntax.js').Expr): VariableType | undefined {
  if (expr.kind === 'variable') return ['string', 'number', 'bool'].includes(expr.name) ? { kind: 'primitive', name: expr.name } : expr.name === 'any' ? { kind: 'any' } : undefined;
  if (expr.kind === 'call' && ['list', 'set', 'map', 'object', 'tuple'].includes(expr.name)) {
    return { kind: expr.name as VariableType['kind'], element: expr.args[0] ? typeExpr(expr.args[0]) : undefined };
  }
  return undefined;
}

/** One line of comma-separated values as Go's encoding/csv reads it (double quotes, "" inside them). */
function parseCsv(text: string, fail: (why: string) => never): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= text.length) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) fail(`failed to parse ${text} as CSV: a quote is not closed`);
        if (text[i] === '"' && text[i + 1] === '"') {
          field += '"';
          i += 2;
        } else if (text[i] === '"') {
          i++;
          break;
        } else field += text[i++];
      }
      if (i < text.length && text[i] !== ',') fail(`failed to parse ${text} as CSV: extraneous text after a quoted field`);
    } else {
      const end = text.indexOf(',', i);
      field = text.slice(i, end < 0 ? text.length : end);
      if (field.includes('"')) fail(`failed to parse ${text} as CSV: bare " in non-quoted-field`);
      i = end < 0 ? text.length : end;
    }
    out.push(field);
    i++;
  }
  return out;
}

function newMap(): Map<string, Value> {
  return new Map();
}

function stringField(v: Value, key: string, place: DefinitionPlace): string {
  const s = asString(v);
  if (s === undefined) throw new DefinitionError(`${key} must be a string, not a ${typeName(v)}`, place.source, place.range);
  return s;
}

function listField(v: Value, key: string, place: DefinitionPlace): string[] {
  if (!Array.isArray(v)) throw new DefinitionError(`${key} must be a list of strings, not a ${typeName(v)}`, place.source, place.range);
  return v.map((item) => stringField(item, `an element of ${key}`, place));
}

function mapField(v: Value, key: string, place: DefinitionPlace): Record<string, Value> {
  if (!isObject(v)) throw new DefinitionError(`${key} must be a map, not a ${typeName(v)}`, place.source, place.range);
  return v;
}

function stripCwd(p: string): string {
  return p.startsWith('cwd://') ? p.slice('cwd://'.length) || '.' : p;
}

/** A git URL or an https tarball: buildx builds it from elsewhere. */
export function isRemote(context: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(context) && !context.startsWith('cwd://') || /^git@/.test(context) || /\.git(#.*)?$/.test(context);
}

/** Bake's target patterns: `*` and `?` (path.Match). */
function globMatch(pattern: string, name: string): boolean {
  const re = new RegExp('^' + pattern.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$');
  return re.test(name);
}
