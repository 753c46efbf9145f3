/**
 * One build of one Dockerfile — target, build args, platforms, cache
 * namespace — modelled as BuildKit will run it: which stages it builds,
 * which operations it runs (merged where BuildKit merges them), which can run
 * at the same time, and which cache directory each cache mount gets.
 *
 * Several builds that run in one BuildKit request (the targets of one
 * `docker buildx bake`, the services of one `docker compose build`) are one
 * build set: their operations share one naming, so identical steps of two
 * Dockerfiles merge as BuildKit's solver merges them, and one graph says
 * which steps of any of them may overlap.
 */
import type { DockerfileInstructions } from '../instructions/index.js';
import { frontendFeatures } from '../syntax/index.js';
import { dispatchStages, interning, textNumbering, vertexNaming } from './dispatch.js';
import { expandAt, Scope } from './env.js';
import { ModelError } from './errors.js';
import { BuildGraph, reachableVertices } from './graph.js';
import { CACHE_NAMESPACE_ARG, DEFAULT_PLATFORM, parsePlatform, platformArgs, type BuildOptions } from './options.js';
import { markReachable, resolveStages, resolveTarget, type StageNode } from './stages.js';
import type { BuildOrigin, DispatchedStage, StartPlace, Step } from './steps.js';

export interface PlatformBuild {
  platform: string;
  stages: StageNode[];
  dispatched: DispatchedStage[];
  target: StageNode;
}

export interface BuildModel {
  df: DockerfileInstructions;
  options: Required<Pick<BuildOptions, 'platforms' | 'buildArgs'>> & BuildOptions;
  /** The cache namespace (BUILDKIT_CACHE_MOUNT_NS). */
  namespace: string;
  builds: PlatformBuild[];
  /** Every operation of every platform (reachable stages and not). */
  steps: Step[];
  /** Operations the build runs, merged by digest (a build set's: every member's). */
  graph: BuildGraph;
  /** What BuildKit would reject while building this (pass-2 mount errors, bad references). */
  errors: ModelError[];
  /** The frontend expands variables in `--mount` values (Docker 20.10's built-in one does not). */
  expandsMountVariables: boolean;
  /** Which build this is (its label and place in a build set). */
  origin: BuildOrigin;
  /** The builds it runs with, when it is part of a bake or compose request. */
  set?: BuildSet;
}

/** One build of a request: a Dockerfile and the options a bake target or compose service gives it. */
export interface BuildMember {
  df: DockerfileInstructions;
  options: BuildOptions;
  /** `bake target "api"`, `compose service "worker"`. */
  label: string;
  /** `api`, `worker`. */
  name: string;
  /**
   * Named contexts that replace an image (`FROM base` with `contexts = { base = … }`):
   * the index of another member (bake `target:NAME`) or a key for a folder or image.
   */
  contexts?: Record<string, number | string>;
  /** An identity of the member's build context (each build has its own). */
  contextKey?: string;
  /** Where the repository starts it together with the other members (separate builds found in a Makefile or script). */
  startedBy?: readonly StartPlace[];
}

/** The builds of one request, in one graph. */
export interface BuildSet {
  members: BuildModel[];
  /** Every member's operations. */
  steps: Step[];
  graph: BuildGraph;
  /** Why they run at the same time, for messages: `group "default" builds api and worker in one request`. */
  why: string;
}

export function buildModel(df: DockerfileInstructions, options: BuildOptions = {}): BuildModel {
  const shared = { vertexOf: vertexNaming(), nextStepId: counter(), intern: interning(), textId: textNumbering() };
  const partial = dispatchBuild(df, options, shared, { df, label: '', name: '', index: 0 }, {});
  const graph = new BuildGraph(partial.steps, reachableVertices(partial.roots, partial.steps));
  return { ...partial.model, graph };
}

/**
 * The builds of one request as one model. Members linked by a named context
 * (`target:NAME`) are dispatched after the member they use, so their FROM
 * starts at its result. A member whose stages cannot be resolved (an unknown
 * target stage, say) throws what buildModel throws, inside a SetMemberError
 * that says which member it is.
 */
export function buildSetModel(members: BuildMember[], why: string): BuildSet {
  const shared = { vertexOf: vertexNaming(), nextStepId: counter(), intern: interning(), textId: textNumbering() };
  const order = dispatchOrder(members);
  const partials: Array<ReturnType<typeof dispatchBuild> | undefined> = new Array(members.length);
  for (const index of order) {
    const member = members[index];
    const named: Record<string, (platform: string) => string> = {};
    const namedStages: Record<string, (platform: string) => DispatchedStage | undefined> = {};
    for (const [name, value] of Object.entries(member.contexts ?? {})) {
      if (typeof value === 'number') {
        const linked = partials[value];
        if (linked) named[name] = (platform) => (linked.finals.get(platform) ?? [...linked.finals.values()][0]);
        if (linked) namedStages[name] = (platform) => linked.finalStages.get(platform) ?? [...linked.finalStages.values()][0];
      } else {
        named[name] = () => `context:${value}`;
      }
    }
    try {
      partials[index] = dispatchBuild(member.df, member.options, shared, { df: member.df, label: member.label, name: member.name, index, startedBy: member.startedBy }, named, member.contextKey, namedStages);
    } catch (err) {
      throw new SetMemberError(index, err);
    }
  }
  const done = partials as Array<ReturnType<typeof dispatchBuild>>;
  const steps = order.flatMap((i) => done[i].steps);
  const graph = new BuildGraph(steps, reachableVertices(done.flatMap((p) => p.roots), steps));
  const set: BuildSet = { members: [], steps, graph, why };
  set.members = done.map((p) => ({ ...p.model, graph, set }));
  return set;
}

function counter(): () => number {
  let n = 0;
  return () => n++;
}

/** Members in an order where each comes after the members its named contexts link to (cycles keep file order). */
function dispatchOrder(members: BuildMember[]): number[] {
  const order: number[] = [];
  const state = new Map<number, 'visiting' | 'done'>();
  const visit = (i: number) => {
    if (state.get(i)) return;
    state.set(i, 'visiting');
    for (const v of Object.values(members[i].contexts ?? {})) if (typeof v === 'number' && v !== i && state.get(v) !== 'visiting') visit(v);
    state.set(i, 'done');
    order.push(i);
  };
  members.forEach((_, i) => visit(i));
  return order;
}

function dispatchBuild(
  df: DockerfileInstructions,
  options: BuildOptions,
  shared: { vertexOf: (operation: unknown) => string; nextStepId: () => number; intern: (text: string) => string; textId: (text: string) => number },
  origin: BuildOrigin,
  named: Record<string, (platform: string) => string>,
  contextKey?: string,
  namedStages: Record<string, (platform: string) => DispatchedStage | undefined> = {},
) {
  const platforms = options.platforms?.length ? options.platforms.map((p) => parsePlatform(p).text) : [DEFAULT_PLATFORM];
  const buildArgs = options.buildArgs ?? {};
  const buildPlatform = parsePlatform(options.buildPlatform ?? DEFAULT_PLATFORM);
  const escapeToken = df.file.escapeToken;
  const errors: ModelError[] = [];
  const steps: Step[] = [];
  const builds: PlatformBuild[] = [];
  const namespace = buildArgs[CACHE_NAMESPACE_ARG] ?? '';
  const roots: string[] = [];
  const finals = new Map<string, string>();
  const finalStages = new Map<string, DispatchedStage>();
  const namedContext = Object.keys(named).length ? (name: string, platform: string) => named[name]?.(platform) : undefined;
  // `# syntax=` names the frontend; without it the engine's built-in one runs (Docker 20.10's does not expand mount values).
  const syntax = df.file.directives.find((d) => d.name === 'syntax');
  const legacy = syntax ? frontendFeatures(syntax.value)?.mountExpansion === false : options.frontend === 'docker-20.10';
  const referenced = referencedVariables(df);

  for (const platform of platforms) {
    const targetName = options.target || undefined;
    const meta = metaScope(df, buildArgs, platformArgs(parsePlatform(platform), buildPlatform, targetName ?? 'default'), escapeToken);
    const warnings: ModelError[] = [];
    const stages = resolveStages(df, meta, escapeToken, warnings);
    const target = resolveTarget(stages, targetName);
    markReachable(target);
    const ctx = {
      df,
      escapeToken,
      platform,
      meta,
      buildArgs,
      namespace,
      expandMounts: !legacy,
      nextStepId: shared.nextStepId,
      vertexOf: shared.vertexOf,
      intern: shared.intern,
      textId: shared.textId,
      errors: [] as ModelError[],
      origin,
      namedContext,
      namedStage: (name: string, platform: string) => namedStages[name]?.(platform),
      contextKey,
      imageConfig: options.imageConfig,
      referenced,
    };
    const dispatched = dispatchStages(stages, ctx);
    if (builds.length === 0) errors.push(...warnings, ...ctx.errors); // the same problems recur on every platform
    // One by one: a spread of a stage's steps is one call argument each (a stage of 10^6 steps overflowed the stack).
    for (const d of dispatched) for (const step of d.steps) steps.push(step);
    roots.push(dispatched[target.index].finalVertex);
    finals.set(platform, dispatched[target.index].finalVertex);
    finalStages.set(platform, dispatched[target.index]);
    builds.push({ platform, stages, dispatched, target });
  }

  errors.push(...splitArgWarnings(df, buildArgs));
  const model: Omit<BuildModel, 'graph'> = { df, options: { ...options, platforms, buildArgs }, namespace, builds, steps, errors, expandsMountVariables: !legacy, origin };
  return { model, steps, roots, finals, finalStages };
}

/** ARGs before the first FROM, with build args and the automatic platform ARGs (buildMetaArgs). */
function metaScope(df: DockerfileInstructions, buildArgs: Record<string, string>, auto: Record<string, string>, escapeToken: string): Scope {
  const scope = new Scope(Object.entries(auto));
  for (const arg of df.metaArgs) {
    for (const pair of arg.pairs) {
      let value = pair.value !== undefined ? expandAt(pair.value, scope, escapeToken, pair.range) : undefined;
      if (Object.prototype.hasOwnProperty.call(buildArgs, pair.key)) value = buildArgs[pair.key];
      if (value !== undefined) scope.set(pair.key, value);
    }
  }
  return scope;
}

/** BuildKit's own ARGs: never part of an image's environment. */
const BUILDKIT_ARGS = /^(BUILD|TARGET)(PLATFORM|OS|OSVERSION|ARCH|VARIANT|STAGE)$|^BUILDKIT_/;

/**
 * Variables the Dockerfile's instructions refer to (`$NAME`, `${NAME…}`),
 * BuildKit's own ARGs aside: where BuildKit expands them (ENV, ARG, WORKDIR,
 * USER, FROM, COPY, the flags of RUN); not in comments, nor in the commands
 * that a shell runs later.
 */
function referencedVariables(df: DockerfileInstructions): Set<string> {
  const names = new Set<string>();
  const instructions = [...df.metaArgs, ...df.stages.flatMap((s) => [s.from, ...s.instructions])];
  for (const ins of instructions) {
    const node = ins.node;
    const text = SHELL_COMMANDS.has(node.keyword.toLowerCase()) ? node.flags.map((f) => f.text.text).join(' ') : node.line.text;
    if (!text.includes('$')) continue;
    for (const m of text.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)) if (!BUILDKIT_ARGS.test(m[1])) names.add(m[1]);
  }
  return names;
}

const SHELL_COMMANDS = new Set(['run', 'cmd', 'entrypoint', 'healthcheck', 'shell']);

/**
 * `ARG NAME value` declares two build arguments, NAME and value, neither with
 * a default (ARG takes NAME=value). Said where it leaves a variable the file
 * uses empty.
 */
function splitArgWarnings(df: DockerfileInstructions, buildArgs: Record<string, string>): ModelError[] {
  const text = df.file.source.text;
  const args = [...df.metaArgs, ...df.stages.flatMap((s) => s.instructions)].filter((i) => i.kind === 'arg');
  const out: ModelError[] = [];
  for (const ins of args) {
    if (ins.kind !== 'arg' || ins.pairs.length !== 2 || ins.pairs.some((p) => p.value !== undefined)) continue;
    const [name, value] = ins.pairs.map((p) => p.key);
    if (Object.prototype.hasOwnProperty.call(buildArgs, name)) continue;
    const outside = text.slice(0, ins.node.range.start) + text.slice(ins.node.range.end);
    if (!new RegExp(`\\$\\{?${name}(?![A-Za-z0-9_])`).test(outside)) continue;
    out.push(new ModelError(`ARG ${name} ${value} declares two build arguments, "${name}" and "${value}", neither with a value, so $${name} is empty where it is used: write ARG ${name}=${value} for a default`, ins.node.range, 'syntax', 'warning'));
  }
  return out;
}

/** A member of a set that could not be modelled: `cause` is what buildModel would throw for it alone. */
export class SetMemberError extends Error {
  constructor(
    readonly member: number,
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}
