/**
 * One build of one Dockerfile — target, build args, platforms, cache
 * namespace — modelled as BuildKit will run it: which stages it builds,
 * which operations it runs (merged where BuildKit merges them), which can run
 * at the same time, and which cache directory each cache mount gets.
 */
import type { DockerfileInstructions } from '../instructions/index.js';
import { dispatchStages, vertexNaming } from './dispatch.js';
import { expandAt, Scope } from './env.js';
import { ModelError } from './errors.js';
import { BuildGraph, reachableVertices } from './graph.js';
import { CACHE_NAMESPACE_ARG, DEFAULT_PLATFORM, parsePlatform, platformArgs, type BuildOptions } from './options.js';
import { markReachable, resolveStages, resolveTarget, type StageNode } from './stages.js';
import type { DispatchedStage, Step } from './steps.js';

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
  /** Operations the build runs, merged by digest. */
  graph: BuildGraph;
  /** What BuildKit would reject while building this (pass-2 mount errors, bad references). */
  errors: ModelError[];
  /** The frontend expands variables in `--mount` values (Docker 20.10's built-in one does not). */
  expandsMountVariables: boolean;
}

export function buildModel(df: DockerfileInstructions, options: BuildOptions = {}): BuildModel {
  const platforms = options.platforms?.length ? options.platforms.map((p) => parsePlatform(p).text) : [DEFAULT_PLATFORM];
  const buildArgs = options.buildArgs ?? {};
  const buildPlatform = parsePlatform(options.buildPlatform ?? DEFAULT_PLATFORM);
  const escapeToken = df.file.escapeToken;
  const errors: ModelError[] = [];
  const steps: Step[] = [];
  const builds: PlatformBuild[] = [];
  let stepId = 0;
  const vertexOf = vertexNaming();
  const namespace = buildArgs[CACHE_NAMESPACE_ARG] ?? '';
  const roots: string[] = [];
  const legacy = options.frontend === 'docker-20.10' && !df.file.directives.some((d) => d.name === 'syntax');

  for (const platform of platforms) {
    const targetName = options.target || undefined;
    const meta = metaScope(df, buildArgs, platformArgs(parsePlatform(platform), buildPlatform, targetName ?? 'default'), escapeToken);
    const warnings: ModelError[] = [];
    const stages = resolveStages(df, meta, escapeToken, warnings);
    const target = resolveTarget(stages, targetName);
    markReachable(target);
    const ctx = { df, escapeToken, platform, meta, buildArgs, namespace, expandMounts: !legacy, nextStepId: () => stepId++, vertexOf, errors: [] as ModelError[] };
    const dispatched = dispatchStages(stages, ctx);
    if (builds.length === 0) errors.push(...warnings, ...ctx.errors); // the same problems recur on every platform
    for (const d of dispatched) steps.push(...d.steps);
    roots.push(dispatched[target.index].finalVertex);
    builds.push({ platform, stages, dispatched, target });
  }

  const graph = new BuildGraph(steps, reachableVertices(roots, steps));
  return { df, options: { ...options, platforms, buildArgs }, namespace, builds, steps, graph, errors, expandsMountVariables: !legacy };
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
