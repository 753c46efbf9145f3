/**
 * The ways out of a cache race, each as minimal edits:
 * - locked: every mount of the contended cache waits for the others
 *   (all of them: a `shared` user beside a `locked` one silently gets another directory);
 * - private: each concurrent user gets its own directory;
 * - id: each stage (and platform, where one step races with itself) gets its own cache id;
 * - wait: only the tool's commands hold a lock file in the cache (`flock`), not the whole step.
 */
import type { TextEdit } from '../../edits/index.js';
import { setMountOption } from '../../edits/index.js';
import type { BuildModel, ResolvedMount, StageNode, Step } from '../../model/index.js';
import { hasFlock, type ToolKnowledge } from '../../knowledge/index.js';
import { rootImage } from '../step-context.js';
import type { Fix, FixStrategy } from '../types.js';
import type { CacheUser, RaceGroup } from './find-races.js';

interface KeyMount {
  mount: ResolvedMount;
  step: Step;
}

/** Mounts of one cache key in operations the build runs, each written once. */
function mountsOfKey(model: BuildModel, key: string): KeyMount[] {
  const seen = new Set<unknown>();
  const out: KeyMount[] = [];
  for (const step of model.steps) {
    if (!model.graph.executing.has(step.vertex)) continue;
    for (const mount of step.mounts) {
      if (mount.cache?.key !== key || seen.has(mount.mount.spec)) continue;
      seen.add(mount.mount.spec);
      out.push({ mount, step });
    }
  }
  return out;
}

function sharingFix(mounts: KeyMount[], sharing: 'locked' | 'private'): Fix {
  const edits: TextEdit[] = [];
  for (const { mount } of mounts) {
    const edit = mount.sharing === sharing ? undefined : setMountOption(mount.mount.spec, 'sharing', sharing);
    if (edit) edits.push(edit);
  }
  const description =
    sharing === 'locked'
      ? `set sharing=locked on ${edits.length} mount${edits.length === 1 ? '' : 's'} of this cache, so each waits for the other`
      : `set sharing=private on ${edits.length} mount${edits.length === 1 ? '' : 's'} of this cache, so a concurrent user gets its own directory`;
  return { description, applicability: 'safe', strategy: sharing, edits };
}

/** "/var/cache/apt" → "var-cache-apt". */
function slug(id: string): string {
  return id.replace(/^\/+/, '').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'cache';
}

/**
 * One id per stage of the group, and per platform where a step races with
 * itself. Offered only where it resolves the race in one pass: a per-platform
 * id needs `${TARGETPLATFORM}` to be expanded in `--mount` (not on Docker
 * 20.10's frontend) and to differ between platforms (not when a build arg or
 * an ENV fixes it).
 */
function idFix(model: BuildModel, group: RaceGroup, mounts: KeyMount[], eol: string): Fix | undefined {
  const stages = new Set(group.steps.map((s) => s.stage.node.index));
  const perPlatform = new Set<number>();
  for (const s of group.steps) {
    if (group.steps.some((o) => o !== s && o.instruction === s.instruction)) perPlatform.add(s.stage.node.index);
  }
  const edits: TextEdit[] = [];
  const argAdded = new Set<number>();
  for (const { mount, step } of mounts) {
    const index = step.stage.node.index;
    if (!stages.has(index)) continue;
    const platformPart = perPlatform.has(index) ? '-${TARGETPLATFORM}' : '';
    if (platformPart && !platformVariableWorks(model, step)) return undefined;
    const edit = setMountOption(mount.mount.spec, 'id', `${slug(mount.cache!.name)}-${step.stage.node.name}${platformPart}`);
    if (edit) edits.push(edit);
    if (platformPart && !argAdded.has(index) && step.env.get('TARGETPLATFORM') === undefined) {
      argAdded.add(index);
      const from = step.stage.node.def.from.node.range;
      edits.push({ range: { start: from.end, end: from.end }, text: `${eol}ARG TARGETPLATFORM` });
    }
  }
  return {
    description: `give each stage${perPlatform.size ? ' and platform' : ''} its own cache id`,
    applicability: 'unsafe', // other builds that share this cache id on purpose stop sharing it
    strategy: 'id',
    edits,
  };
}

/** Does `${TARGETPLATFORM}` in this step's `--mount` expand to each platform's own value? */
function platformVariableWorks(model: BuildModel, step: Step): boolean {
  if (!model.expandsMountVariables || Object.prototype.hasOwnProperty.call(model.options.buildArgs, 'TARGETPLATFORM')) return false;
  for (let n: StageNode | undefined = step.stage.node; n; n = n.baseStage) {
    if (n.def.instructions.some((i) => i.kind === 'env' && i.pairs.some((p) => p.key === 'TARGETPLATFORM'))) return false;
  }
  return true;
}

/**
 * `flock <cache>/.flock` before each tool command of every racing step on this
 * cache, so the tool runs alone in the cache while the rest of the step does
 * not wait. Only where every such step's base image has flock and runs a shell.
 */
function waitFix(group: RaceGroup): Fix | undefined {
  const users = new Map<string, CacheUser>();
  for (const u of group.users) users.set(`${u.invocation.nameRange.start}`, u);
  const edits: TextEdit[] = [];
  for (const u of users.values()) {
    const run = u.step.instruction;
    if (run.kind !== 'run' || run.json || !hasFlock(rootImage(u.step.stage.node)) || u.mount.mount.source !== '') return undefined;
    // The lock file sits at the root of the cache, whatever the depth of the mount: every user takes the same one.
    if (u.serializedBy.has(`${group.cacheKey}\0.flock`)) continue;
    const lockFile = `${u.mount.target === '/' ? '' : u.mount.target}/.flock`;
    edits.push({ range: { start: u.invocation.nameRange.start, end: u.invocation.nameRange.start }, text: `flock ${lockFile} ` });
  }
  if (!edits.length) return undefined;
  return {
    description: `run each ${[...new Set([...users.values()].map((u) => u.invocation.program))].join('/')} command under flock on a lock file in the cache, so they take turns`,
    applicability: 'safe',
    strategy: 'wait',
    edits,
  };
}

export function raceFixes(model: BuildModel, group: RaceGroup, eol: string): Record<FixStrategy, Fix | undefined> {
  const mounts = mountsOfKey(model, group.cacheKey);
  return {
    locked: sharingFix(mounts, 'locked'),
    private: sharingFix(mounts, 'private'),
    id: idFix(model, group, mounts, eol),
    wait: waitFix(group),
  };
}

/** The user's strategy, or the tool's: apt and tools that must not share get `locked`, others `private`. */
export function chooseFix(fixes: Record<FixStrategy, Fix | undefined>, requested: FixStrategy | undefined, tool: ToolKnowledge): Fix | undefined {
  const strategy = requested ?? (tool.recommendedSharing === 'locked' ? 'locked' : 'private');
  const fix = fixes[strategy];
  return fix && fix.edits.length ? fix : undefined;
}
