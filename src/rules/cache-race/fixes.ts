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
import { defaultFixStrategy, hasFlock, type ToolKnowledge } from '../../knowledge/index.js';
import type { SourceFile } from '../../syntax/index.js';
import { fileFor, modelOf, setSteps, sourceOf } from '../build-set.js';
import { baseImageOf } from '../step-context.js';
import { mergedWith } from '../tool-uses.js';
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
  for (const step of setSteps(model)) {
    if (!model.graph.executing.has(step.vertex)) continue;
    for (const mount of step.mounts) {
      if (mount.cache?.key !== key || seen.has(mount.mount.spec)) continue;
      seen.add(mount.mount.spec);
      out.push({ mount, step });
    }
  }
  return out;
}

function sharingFix(mounts: KeyMount[], sharing: 'locked' | 'private', here: SourceFile): Fix {
  const edits: TextEdit[] = [];
  for (const { mount, step } of mounts) {
    const edit = mount.sharing === sharing ? undefined : setMountOption(mount.mount.spec, 'sharing', sharing);
    if (edit) edits.push(inFileOf(edit, step, here));
  }
  const description =
    sharing === 'locked'
      ? `set sharing=locked on ${edits.length} mount${edits.length === 1 ? '' : 's'} of this cache, so each waits for the other`
      : `set sharing=private on ${edits.length} mount${edits.length === 1 ? '' : 's'} of this cache, so a concurrent user gets its own directory`;
  return { description, applicability: 'safe', strategy: sharing, edits, caches: cachesOf(mounts, `sharing=${sharing}`) };
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
function idFix(model: BuildModel, group: RaceGroup, mounts: KeyMount[], here: SourceFile): Fix | undefined {
  // Stages by file: one Dockerfile built by two builds of a request is one text to edit.
  const stageKey = (s: Step) => `${sourceOf(s).path}\0${s.stage.node.index}`;
  // One instruction run by two separate builds of the same file (--concurrent-builds): no id written in the file tells them apart.
  if (group.steps.some((s) => group.steps.some((o) => o.instruction === s.instruction && o.stage.origin.index !== s.stage.origin.index))) return undefined;
  // Steps merged with a racing one run in their own stages too: each gets its id, or it would race once unmerged.
  const stages = new Set(group.steps.flatMap((s) => [s, ...mergedWith(s, model)]).map(stageKey));
  const perPlatform = new Set<string>();
  for (const s of group.steps) {
    if (group.steps.some((o) => o !== s && o.instruction === s.instruction)) perPlatform.add(stageKey(s));
  }
  // Across the Dockerfiles of a bake or compose build, stage names repeat: the build's name goes into the id too.
  const acrossFiles = new Set(group.steps.map((s) => sourceOf(s).path)).size > 1;
  const edits: TextEdit[] = [];
  const argAdded = new Set<string>();
  for (const { mount, step } of mounts) {
    const key = stageKey(step);
    if (!stages.has(key)) continue;
    const platformPart = perPlatform.has(key) ? '-${TARGETPLATFORM}' : '';
    if (platformPart && !platformVariableWorks(modelOf(step, model), step)) return undefined;
    const build = acrossFiles && step.stage.origin.name ? `${slug(step.stage.origin.name)}-` : '';
    const stage = build && !step.stage.node.def.name ? build.slice(0, -1) : `${build}${step.stage.node.name}`;
    const edit = setMountOption(mount.mount.spec, 'id', `${slug(mount.cache!.name)}-${stage}${platformPart}`);
    if (edit) edits.push(inFileOf(edit, step, here));
    if (platformPart && !argAdded.has(key) && step.env.get('TARGETPLATFORM') === undefined) {
      argAdded.add(key);
      const from = step.stage.node.def.from.node.range;
      edits.push(inFileOf({ range: { start: from.end, end: from.end }, text: `${sourceOf(step).eol}ARG TARGETPLATFORM` }, step, here));
    }
  }
  return {
    description: `give each ${acrossFiles ? 'build\'s stage' : 'stage'}${perPlatform.size ? ' and platform' : ''} its own cache id`,
    applicability: 'unsafe', // other builds that share this cache id on purpose stop sharing it
    strategy: 'id',
    edits,
    caches: cachesOf(mounts, 'id'),
  };
}

function cachesOf(mounts: KeyMount[], change: string): Record<string, string> {
  return Object.fromEntries(mounts.map((m) => [m.mount.cache!.name, change]));
}

/** An edit names its file when that is not the one being linted (a fix across a bake build's Dockerfiles). */
function inFileOf(edit: TextEdit, step: Step, here: SourceFile): TextEdit {
  const file = fileFor(step, here);
  return file ? { ...edit, file } : edit;
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
function waitFix(group: RaceGroup, here: SourceFile): Fix | undefined {
  const users = new Map<string, CacheUser>();
  for (const u of group.users) users.set(`${sourceOf(u.step).path}\0${u.invocation.nameRange.start}`, u);
  const edits: TextEdit[] = [];
  for (const u of users.values()) {
    const run = u.step.instruction;
    if (run.kind !== 'run' || run.json || !hasFlock(baseImageOf(u.step.stage)) || u.mount.mount.source !== '') return undefined;
    // The lock file sits at the root of the cache, whatever the depth of the mount: every user takes the same one.
    if (u.serializedBy.has(`${group.cacheKey}\0.flock`)) continue;
    const lockFile = `${u.mount.target === '/' ? '' : u.mount.target}/.flock`;
    edits.push(inFileOf({ range: { start: u.invocation.nameRange.start, end: u.invocation.nameRange.start }, text: `flock ${lockFile} ` }, u.step, here));
  }
  if (!edits.length) return undefined;
  return {
    description: `run each ${[...new Set([...users.values()].map((u) => u.invocation.program))].join('/')} command under flock on a lock file in the cache, so they take turns`,
    applicability: 'safe',
    strategy: 'wait',
    edits,
  };
}

export function raceFixes(model: BuildModel, group: RaceGroup, here: SourceFile): Record<FixStrategy, Fix | undefined> {
  const mounts = mountsOfKey(model, group.cacheKey);
  return {
    locked: sharingFix(mounts, 'locked', here),
    private: sharingFix(mounts, 'private', here),
    id: idFix(model, group, mounts, here),
    wait: waitFix(group, here),
  };
}

/** The user's strategy, or the tool's default (knowledge: defaultFixStrategy). */
export function chooseFix(fixes: Record<FixStrategy, Fix | undefined>, requested: FixStrategy | undefined, tool: ToolKnowledge): Fix | undefined {
  const strategy = requested ?? defaultFixStrategy(tool);
  const fix = fixes[strategy];
  return fix && fix.edits.length ? fix : undefined;
}
