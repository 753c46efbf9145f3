/**
 * Which known tools an invocation runs, and where their caches are for this
 * step: the tool's templates expanded with the step's variables, the base
 * image's defaults, HOME from USER, the command's own `VAR=x` prefixes and
 * cache-moving options.
 */
import type { Invocation } from '../commands/index.js';
import { processWord, type EnvLookup } from '../syntax/index.js';
import { shortImageName } from './images.js';
import { IMAGE_ENV, TOOLS, toolById, type ToolKnowledge } from './tools.js';

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
  /** What turned the cache off, if something did. */
  disabledBy?: string;
  /** This run empties the cache (`apt-get clean`, `pip cache purge`, …). */
  wipes: boolean;
  /** This run uses the cache at all (a cache-using subcommand). */
  usesCache: boolean;
}

export interface StepContext {
  /** ENV and ARG values of the step. */
  env: EnvLookup;
  /** USER of the step ('' = root). */
  user: string;
  /** The image at the root of the stage's FROM chain. */
  baseImage: string;
}

/** HOME as Docker sets it: /root for root, else /home/<name> (an assumption: /etc/passwd is unknown). */
export function homeOf(user: string): string {
  const name = user.split(':')[0];
  if (name === '' || name === 'root' || name === '0') return '/root';
  if (/^\d+$/.test(name)) return '/';
  return `/home/${name}`;
}

export function isRoot(user: string): boolean {
  const name = user.split(':')[0];
  return name === '' || name === 'root' || name === '0';
}

/** Known defaults of the base image (CARGO_HOME on rust:*, …). */
export function imageEnv(image: string): Record<string, string> {
  const name = shortImageName(image);
  return Object.assign({}, ...IMAGE_ENV.filter((e) => e.image.test(name)).map((e) => e.env));
}

function lookup(ctx: StepContext, inv: Invocation): EnvLookup {
  const image = imageEnv(ctx.baseImage);
  const home = () => ctx.env.get('HOME') ?? image.HOME ?? homeOf(ctx.user);
  return {
    get(name) {
      if (Object.prototype.hasOwnProperty.call(inv.assignments, name)) return inv.assignments[name];
      const v = ctx.env.get(name) ?? image[name];
      if (v !== undefined) return v;
      if (name === 'HOME') return home();
      if (name === 'YARN1_DEFAULT_CACHE') return isRoot(ctx.user) ? '/usr/local/share/.cache/yarn' : `${ctx.env.get('XDG_CACHE_HOME') ?? `${home()}/.cache`}/yarn`;
      return undefined;
    },
  };
}

const BY_PROGRAM = new Map(TOOLS.flatMap((t) => t.programs.map((p) => [p, t] as const)));
const WRAPPED = new Map<string, Array<{ tool: ToolKnowledge; wrapper: string[] }>>();
for (const tool of TOOLS) for (const wrapper of tool.wrappers ?? []) WRAPPED.set(wrapper[0], [...(WRAPPED.get(wrapper[0]) ?? []), { tool, wrapper }]);

/** Which tool runs, and its own arguments. */
function identify(inv: Invocation): { tool: ToolKnowledge; args: string[] } | undefined {
  for (const { tool, wrapper } of WRAPPED.get(inv.program) ?? []) {
    if (wrapper.slice(1).every((part, i) => inv.args[i] === part)) return { tool, args: inv.args.slice(wrapper.length - 1) };
  }
  if (inv.program === 'yarn') {
    // Yarn 2+ is told apart by options Yarn 1 does not have.
    const berry = inv.args.some((a) => a === '--immutable' || a === '--immutable-cache' || a === 'dlx');
    return { tool: toolById(berry ? 'yarn-berry' : 'yarn1')!, args: inv.args };
  }
  const tool = BY_PROGRAM.get(inv.program.replace(/^\.\//, ''));
  return tool ? { tool, args: inv.args } : undefined;
}

export function recognizeTool(inv: Invocation, ctx: StepContext): ToolUse | undefined {
  const found = identify(inv);
  if (!found) return undefined;
  const { tool, args } = found;
  const subcommand = args.find((a) => !a.startsWith('-'));
  const wipes = (tool.wipeCommands ?? []).some((w) => startsWithWords(args.filter((a) => a !== '--force' && a !== '-f' && a !== '-y' && a !== '--all' && a !== '-a'), w) || (w.length === 1 && w[0].startsWith('-') && args.includes(w[0])));
  const usesCache = tool.cacheCommands === undefined || (subcommand !== undefined && tool.cacheCommands.includes(subcommand)) || (subcommand === undefined && tool.cacheCommands.includes(''));
  const env = lookup(ctx, inv);
  let disabledBy: string | undefined;
  for (const v of tool.disablingEnv ?? []) if (env.get(v) !== undefined) disabledBy = `${v} is set`;
  for (const f of tool.disablingFlags ?? []) if (args.includes(f)) disabledBy = f;

  let dirs = tool.cacheDirs.map((t) => expand(t, env)).filter((d) => d.startsWith('/'));
  const moved = movedBy(tool, args, env);
  if (moved) dirs = [moved, ...dirs.slice(1)];
  if (tool.id === 'apk') dirs = apkDirs(args, moved);
  return { tool, invocation: inv, args, subcommand, cacheDirs: disabledBy || !usesCache ? [] : unique(dirs), homeDirs: unique(dirs), disabledBy, wipes, usesCache };
}

function startsWithWords(args: string[], words: string[]): boolean {
  return words.every((w, i) => args[i] === w);
}

function expand(template: string, env: EnvLookup): string {
  try {
    return processWord(template, env).result.replace(/\/+$/, '') || '/';
  } catch {
    return '';
  }
}

/** `--cache-dir DIR`, `--cache-dir=DIR`, `-Dmaven.repo.local=DIR`. */
function movedBy(tool: ToolKnowledge, args: string[], env: EnvLookup): string | undefined {
  for (const flag of tool.cacheFlags ?? []) {
    for (let i = 0; i < args.length; i++) {
      let value: string | undefined;
      if (flag.endsWith('=') && args[i].startsWith(flag)) value = args[i].slice(flag.length);
      else if (args[i] === flag) value = args[i + 1];
      else if (args[i].startsWith(flag + '=')) value = args[i].slice(flag.length + 1);
      if (value !== undefined) return expand(value, env);
    }
  }
  return undefined;
}

/** apk caches packages only in /etc/apk/cache (a link to the real cache) or --cache-dir; indexes go to /var/cache/apk. */
function apkDirs(args: string[], moved: string | undefined): string[] {
  return moved ? [moved] : ['/etc/apk/cache', '/var/cache/apk'];
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

/** Any known tool's name in some text: a RUN whose text names none (and mounts nothing) needs no shell parsing. */
const ANY_TOOL = new RegExp(
  `(^|[^A-Za-z0-9_.-])(${[...new Set(TOOLS.flatMap((t) => [...t.programs, ...(t.wrappers ?? []).map((w) => w[0])]).concat(['yarn']))]
    .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|')})($|[^A-Za-z0-9_-])`,
);

export function mentionsKnownTool(text: string): boolean {
  return ANY_TOOL.test(text);
}
