/**
 * Which known tools an invocation runs, and, for this step, where their
 * caches are and where they put what the image needs: the tool's templates
 * expanded with the step's variables (ENV, ARG, the base image's ENV), HOME
 * from the user's passwd entry, the tool's own defaults, the command's
 * `VAR=x` prefixes, cache-moving options, and the directory it works in.
 *
 * A value that cannot be known (HOME of a user the file does not create on
 * an unknown image; a variable such an image may set) stays a `${NAME}`
 * reference: a path containing one is unknown, and rules do not judge it.
 */
import type { Invocation } from '../commands/index.js';
import { cleanPath, isUnknownPath, joinPath, unknownValue } from '../model/index.js';
import { processWord, type EnvLookup } from '../syntax/index.js';
import { ACCOUNT_PROGRAMS } from './accounts.js';
import { IMAGES, imageFamily, imageKnowledge, isKnownImage } from './images.js';
import { TOOLS, type DefaultCondition, type OutputDir, type ToolKnowledge } from './tools.js';

export interface ToolUse {
  tool: ToolKnowledge;
  invocation: Invocation;
  /** The tool's arguments (after wrappers such as `python -m pip`). */
  args: string[];
  /** The first non-option argument. */
  subcommand?: string;
  /** Absolute cache directories this run uses (empty when the cache is disabled or unused). */
  cacheDirs: string[];
  /** Where the tool's cache is, whether or not this run uses it. */
  homeDirs: string[];
  /** What turned the cache off, if something did ("--no-cache-dir", "PIP_NO_CACHE_DIR=off"). */
  disabledBy?: string;
  /** The variable that turned it off, when one did. */
  disabledByVariable?: string;
  /** This run empties the cache (`apt-get clean`, `pip cache purge`, …). */
  wipes: boolean;
  /** This run uses the cache at all (a cache-using subcommand). */
  usesCache: boolean;
  /** Directories this run installs or builds into that the image needs, each with what placed it there, in words. */
  outputs: Array<{ spec: OutputDir; dir?: string; placedBy?: string }>;
  /** Output directories this run empties or replaces as a whole (`npm ci`: node_modules; `cargo clean`: target). */
  emptied: Array<{ spec: OutputDir; dir?: string; placedBy?: string }>;
  /** The directory it works in. */
  cwd: string;
  /** Where the cache is if the run is the tool's other variant (plain `yarn install`: Yarn 1 or Yarn 2+). */
  variantDirs: string[];
}

export interface StepContext {
  /** ENV and ARG values of the step (the base image's ENV included). */
  env: EnvLookup & { entries?(): Array<[string, string]> };
  /** USER of the step ('' = root). */
  user: string;
  /** The image at the root of the stage's FROM chain. */
  baseImage: string;
  uid?: number;
  gid?: number;
  /** HOME as runc sets it; undefined when it cannot be known. */
  home?: string;
  /** Is this unset variable one the base image may set to a value not known here? */
  unknownVariable?: (name: string) => boolean;
  /** Values set by earlier `TOOL config KEY VALUE` commands, by the variable they stand for. */
  settings?: Record<string, string>;
}

export function isRoot(user: string): boolean {
  const name = user.split(':')[0];
  return name === 'root' || /^0*$/.test(name); // `USER 00` is uid 0 too
}

const has = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** The variables a tool's templates see for one invocation. */
function lookup(ctx: StepContext, inv: Invocation, tool: ToolKnowledge, cwd: string): EnvLookup {
  const settings = ctx.settings ?? {};
  const env: EnvLookup = {
    get(name: string): string | undefined {
      return resolve(name, 0);
    },
  };
  const names = () => [...Object.keys(inv.assignments), ...(ctx.env.entries?.() ?? []).map(([k]) => k), ...Object.keys(settings)];
  const holds = (when: DefaultCondition | undefined, depth: number): boolean => {
    if (when === undefined) return true;
    if (when === 'root') return isRoot(ctx.user);
    if ('anySetWithPrefix' in when) return names().some((n) => n.startsWith(when.anySetWithPrefix));
    if (when.programs && !when.programs.includes(inv.program.replace(/^.*\//, ''))) return false;
    const value = resolve(when.set, depth + 1);
    return value !== undefined && (when.matches === undefined || new RegExp(when.matches, 'i').test(value));
  };
  function resolve(name: string, depth: number): string | undefined {
    if (depth > 8) return undefined;
    if (has(inv.assignments, name)) return inv.assignments[name];
    const value = ctx.env.get(name) ?? (has(settings, name) ? settings[name] : undefined);
    if (value !== undefined) return value;
    // HOME is not in an image's configuration: runc sets it from the user's passwd entry.
    if (name === 'HOME') return ctx.home ?? unknownValue('HOME');
    if (ctx.unknownVariable?.(name)) return unknownValue(name);
    if (name === 'PROJECT_DIR') return cwd;
    const choices = tool.defaults?.[name];
    if (choices) {
      const choice = choices.find((c) => holds(c.when, depth));
      return choice && expandWith(choice.value, { get: (n) => resolve(n, depth + 1) });
    }
    return undefined;
  }
  return env;
}

const BY_PROGRAM = new Map(TOOLS.flatMap((t) => t.programs.map((p) => [p, t] as const)));
const WRAPPED = new Map<string, Array<{ tool: ToolKnowledge; wrapper: string[] }>>();
for (const tool of TOOLS) for (const wrapper of tool.wrappers ?? []) WRAPPED.set(wrapper[0], [...(WRAPPED.get(wrapper[0]) ?? []), { tool, wrapper }]);

/** Which tool runs, its own arguments, and the other variant it may be when nothing tells them apart. */
function identify(inv: Invocation): { tool: ToolKnowledge; args: string[]; maybe?: ToolKnowledge } | undefined {
  let found: { tool: ToolKnowledge; args: string[] } | undefined;
  for (const { tool, wrapper } of WRAPPED.get(inv.program) ?? []) {
    if (wrapper.slice(1).every((part, i) => inv.args[i] === part)) found = { tool, args: inv.args.slice(wrapper.length - 1) };
  }
  const byName = BY_PROGRAM.get(inv.program.replace(/^\.\//, ''));
  found ??= byName && { tool: byName, args: inv.args };
  if (!found) return undefined;
  // A variant (Yarn 2+ beside Yarn 1) is told apart by arguments only it accepts.
  const variant = VARIANTS.get(found.tool.id);
  if (!variant) return found;
  if (found.args.some((a) => variant.markers?.includes(a))) return { ...found, tool: variant };
  return { ...found, maybe: variant };
}

const VARIANTS = new Map(TOOLS.filter((t) => t.variantOf).map((t) => [t.variantOf!, t] as const));

/** `poetry config virtualenvs.create false` → ['POETRY_VIRTUALENVS_CREATE', 'false']. */
export function configSetting(inv: Invocation): [string, string] | undefined {
  const found = identify(inv);
  if (!found?.tool.configKeys) return undefined;
  const words = found.args.filter((a) => !a.startsWith('-'));
  // `poetry config KEY VALUE`, `bundle config [set] KEY VALUE`
  if (words[0] !== 'config' || words.length < 3) return undefined;
  const variable = found.tool.configKeys[words.slice(1, -1).join(' ')];
  return variable ? [variable, words[words.length - 1]] : undefined;
}

/** `cwd`: the directory the command runs in (the step's WORKDIR, after any `cd` before it). */
/** `cwdBy`: what put the command there, in words (`the WORKDIR`, `` `cd svc` ``). */
export function recognizeTool(inv: Invocation, ctx: StepContext, cwd = '/', cwdBy = 'the WORKDIR'): ToolUse | undefined {
  const found = identify(inv);
  if (!found) return undefined;
  const use = useOf(found.tool, found.args, inv, ctx, cwd, cwdBy);
  if (found.maybe) use.variantDirs = useOf(found.maybe, found.args, inv, ctx, cwd, cwdBy).homeDirs;
  return use;
}

/** What running `tool` with `args` does with its cache and its outputs, for this step. */
function useOf(tool: ToolKnowledge, args: string[], inv: Invocation, ctx: StepContext, cwd: string, cwdBy: string): ToolUse {
  const subcommand = args.find((a) => !a.startsWith('-'));
  const wipes = (tool.wipeCommands ?? []).some((w) => startsWithWords(args.filter((a) => a !== '--force' && a !== '-f' && a !== '-y' && a !== '--all' && a !== '-a'), w) || (w.length === 1 && w[0].startsWith('-') && args.includes(w[0])));
  const usesCache = tool.cacheCommands === undefined || (subcommand !== undefined && tool.cacheCommands.includes(subcommand)) || (subcommand === undefined && tool.cacheCommands.includes(''));
  const named = projectDir(tool, args, cwd);
  const project = named?.dir ?? cwd;
  const env = lookup(ctx, inv, tool, project);
  const projectBy = named ? `its project is ${project}, named by \`${named.flag} ${named.value}\`` : `run from ${cwd}, ${cwdBy === 'the WORKDIR' ? 'the WORKDIR' : `where ${cwdBy} put it`}`;
  let disabledBy: string | undefined;
  let disabledByVariable: string | undefined;
  for (const v of tool.disablingEnv ?? []) {
    const value = env.get(v);
    if (value !== undefined && !isUnknownPath(value)) [disabledBy, disabledByVariable] = [`${v}=${value}`, v];
  }
  for (const f of tool.disablingFlags ?? []) if (args.includes(f)) disabledBy = f;

  const moved = optionValue(args, tool.cacheFlags ?? []);
  const dirs = moved !== undefined ? [absolute(expandWith(moved, env), cwd)] : tool.cacheDirs.map((t) => expandWith(t, env));
  const homeDirs = unique(dirs.filter((d) => d.startsWith('/') || isUnknownPath(d)));
  const global = (tool.globalFlags ?? []).some((f) => args.includes(f));
  // Where it writes its outputs is asked only about steps with cache mounts: worked out on first use.
  let outputs: ToolUse['outputs'] | undefined;
  let emptied: ToolUse['emptied'] | undefined;
  const outputsOf = (emptying = false): ToolUse['outputs'] =>
    global
      ? []
      : (tool.outputs ?? []).flatMap((spec) => {
          const writes = emptying ? !!spec.emptiedBy?.commands.includes(subcommand ?? '') : spec.commands ? spec.commands.includes(subcommand ?? '') : usesCache;
          if (!writes) return [];
          if (spec.pattern) return [{ spec }];
          const flag = (spec.flags ?? []).find((f) => optionValue(args, [f]) !== undefined);
          const flagged = flag && optionValue(args, [flag]);
          const dir = flagged !== undefined ? absolute(expandWith(flagged, env), cwd) : expandWith(spec.dir ?? '', env);
          return dir.startsWith('/') || isUnknownPath(dir) ? [{ spec, dir, placedBy: flagged !== undefined ? `\`${flag} ${flagged}\` puts it there` : placement(spec.dir ?? '', env, inv, projectBy) }] : [];
        });
  return {
    tool,
    invocation: inv,
    args,
    subcommand,
    cacheDirs: disabledBy || !usesCache ? [] : homeDirs,
    homeDirs,
    disabledBy,
    disabledByVariable,
    wipes,
    usesCache,
    get outputs() {
      return (outputs ??= outputsOf());
    },
    get emptied() {
      return (emptied ??= outputsOf(true));
    },
    cwd: project,
    variantDirs: [],
  };
}

/**
 * Where the tool's cache may be when the step's image is not known (a company
 * base image, a cargo-chef image, a devcontainer): the tool's templates
 * expanded with the configuration of the official image family the name points
 * to, and of every official image that moves the cache (CARGO_HOME in rust
 * images), beside the step's own variables. Each with the assumption, for
 * messages. Empty on a known image, or when the run moves its cache itself.
 */
export function assumedCacheDirs(use: ToolUse, ctx: StepContext): Array<{ dir: string; because: string }> {
  const image = ctx.baseImage;
  if (!use.cacheDirs.length || !image || image === 'scratch' || imageKnowledge(image) || isKnownImage(image)) return [];
  if (optionValue(use.args, use.tool.cacheFlags ?? []) !== undefined) return [];
  const family = imageFamily(image);
  const out: Array<{ dir: string; because: string }> = [];
  const seen = new Set(use.cacheDirs);
  for (const known of [...(family ? [family] : []), ...IMAGES.filter((i) => i !== family)]) {
    // The step's own values win; the official image's ENV stands in for what the unknown image may set.
    const own = (name: string) => {
      const v = ctx.env.get(name);
      return v === undefined || isUnknownPath(v) ? undefined : v;
    };
    const env = { get: (name: string) => own(name) ?? known.env[name], entries: () => Object.entries(known.env) };
    const lookupCtx: StepContext = { ...ctx, env, unknownVariable: () => false };
    const vars = lookup(lookupCtx, use.invocation, use.tool, use.cwd);
    for (const template of use.tool.cacheDirs) {
      const dir = expandWith(template, vars);
      if (!dir.startsWith('/') || isUnknownPath(dir) || seen.has(dir)) continue;
      seen.add(dir);
      const where = known === family ? `its name points to the official ${known.name} image, where ${use.tool.name}'s cache is ${dir}` : `${dir} is ${use.tool.name}'s cache in the official ${known.name} image`;
      out.push({ dir, because: `the image ${image} is not known to mountlint: ${where}, so the cache mount there is taken for it` });
    }
  }
  return out;
}

function startsWithWords(args: string[], words: string[]): boolean {
  return words.every((w, i) => args[i] === w);
}

/** A template expanded (unset variables empty), as a clean path; '' when it expands to nothing. */
function expandWith(template: string, env: EnvLookup): string {
  try {
    const value = processWord(template, env).result;
    return value === '' ? '' : cleanPath(value).replace(/(.)\/$/, '$1');
  } catch {
    return '';
  }
}

function absolute(path: string, cwd: string): string {
  return path === '' || path.startsWith('/') || isUnknownPath(path) ? path : joinPath(cwd, path);
}

/** `--cache-dir DIR`, `--cache-dir=DIR`, `-Dmaven.repo.local=DIR` (a flag ending in `=`). */
function optionValue(args: string[], flags: string[]): string | undefined {
  for (const flag of flags) {
    for (let i = 0; i < args.length; i++) {
      if (flag.endsWith('=') && args[i].startsWith(flag)) return args[i].slice(flag.length);
      if (args[i] === flag) return args[i + 1];
      if (args[i].startsWith(flag + '=')) return args[i].slice(flag.length + 1);
    }
  }
  return undefined;
}

/** The project directory when an option names it (`--manifest-path svc/Cargo.toml`, `--prefix`, `--cwd`…), with that option. */
function projectDir(tool: ToolKnowledge, args: string[], cwd: string): { dir: string; flag: string; value: string } | undefined {
  for (const { flag, file } of tool.projectFlags ?? []) {
    const value = optionValue(args, [flag]);
    if (value === undefined || value === '' || value.includes('$')) continue;
    const path = absolute(value, cwd);
    return { dir: file ? joinPath(path, '..') : path, flag, value };
  }
  return undefined;
}

/**
 * What decided where an output template lands: a variable it reads that is
 * set (`CARGO_TARGET_DIR`), or else the project directory and what placed it.
 */
function placement(template: string, env: EnvLookup, inv: Invocation, projectBy: string): string {
  for (const [, name] of template.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)) {
    if (name === 'PROJECT_DIR') break;
    const value = env.get(name);
    if (value !== undefined && value !== '') return `${name} is ${value}${has(inv.assignments, name) ? ' on the command line' : ''}`;
  }
  return template.includes('PROJECT_DIR') ? projectBy : 'where it always is';
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

/** Any known tool's name in some text: a RUN whose text names none (and mounts nothing) needs no shell parsing. */
const ANY_TOOL = new RegExp(
  `(^|[^A-Za-z0-9_.-])(${[...new Set(TOOLS.flatMap((t) => [...t.programs, ...(t.wrappers ?? []).map((w) => w[0]), ...(t.outputs ?? []).flatMap((o) => o.readBy?.programs ?? [])]).concat(['yarn', ...ACCOUNT_PROGRAMS]))]
    .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|')})($|[^A-Za-z0-9_-])`,
);

export function mentionsKnownTool(text: string): boolean {
  // A retry wrapper may hide the tool's name inside its own (`ci_conda_retry install`).
  return ANY_TOOL.test(text) || /retry/i.test(text);
}
