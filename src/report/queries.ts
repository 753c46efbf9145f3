/**
 * What the build model says about one place in a Dockerfile: the cache mount
 * or stage name under a cursor, and the facts an editor shows about it (a
 * cache's identity as BuildKit computes it, who else uses that cache and
 * which of them may run at the same time; who needs a stage and what runs
 * beside it). `explain` answers the same questions for the whole file; these
 * answer them for one position, from the same model.
 */
import type { LintResult } from '../engine/index.js';
import type { MountSpec, RunInstruction } from '../instructions/index.js';
import type { BuildModel, ResolvedMount, StageNode, Step } from '../model/index.js';
import { useLabel } from '../model/index.js';
import type { Severity } from '../rules/index.js';
import { cacheUsers, collisionSeverity, neededChain, whyOverlap } from '../rules/index.js';
import type { Range } from '../syntax/index.js';

/** What is under the cursor. */
export type Subject =
  | { kind: 'cache-mount'; range: Range; spec: MountSpec; instruction: RunInstruction }
  | { kind: 'stage'; range: Range; reference: StageReference };

/** A place that names a stage: its definition (`FROM … AS x`) or a use (`FROM x`, `COPY --from=x`, `--mount=…,from=x`). */
export interface StageReference {
  range: Range;
  /** Index of the stage named. */
  stage: number;
  via: 'definition' | 'from' | 'copy' | 'mount';
}

const inside = (r: Range, offset: number) => offset >= r.start && offset <= r.end;

/** The cache mount or stage name at `offset`, if any. */
export function subjectAt(result: LintResult, offset: number): Subject | undefined {
  const reference = stageReferences(result).find((r) => inside(r.range, offset));
  if (reference) return { kind: 'stage', range: reference.range, reference };
  for (const stage of result.instructions?.stages ?? []) {
    for (const ins of stage.instructions) {
      if (ins.kind !== 'run' || !inside(ins.node.range, offset)) continue;
      const spec = ins.mounts.find((m) => inside(m.word.range, offset));
      if (spec && mountType(spec) === 'cache') return { kind: 'cache-mount', range: spec.word.range, spec, instruction: ins };
    }
  }
  return undefined;
}

function mountType(spec: MountSpec): string {
  return spec.fields.find((f) => f.key === 'type')?.value?.text.toLowerCase() ?? 'bind';
}

/**
 * Every place that names a stage. With a model, references are the ones
 * BuildKit resolves (`FROM ${BASE}` included); without one (the file does not
 * build), names are matched as written.
 */
export function stageReferences(result: LintResult): StageReference[] {
  const out: StageReference[] = [];
  for (const def of result.instructions?.stages ?? []) {
    if (def.from.nameRange) out.push({ range: def.from.nameRange, stage: def.index, via: 'definition' });
  }
  const nodes = result.model?.builds[0].stages;
  if (nodes) {
    for (const node of nodes) {
      for (const use of node.uses) out.push({ range: useRange(use.range, use.instruction, use.stage.name), stage: use.stage.index, via: use.via });
    }
    return out;
  }
  const byName = new Map<string, number>();
  for (const def of result.instructions?.stages ?? []) {
    const base = byName.get(def.from.image.value.toLowerCase());
    if (base !== undefined) out.push({ range: def.from.image.range, stage: base, via: 'from' });
    for (const ins of def.instructions) {
      const named = (name: string) => (/^\d+$/.test(name) ? (Number(name) < def.index ? Number(name) : undefined) : byName.get(name.toLowerCase()));
      if ((ins.kind === 'copy' || ins.kind === 'add') && ins.from) {
        const stage = named(ins.from.value.text);
        if (stage !== undefined) out.push({ range: ins.from.value.range, stage, via: 'copy' });
      }
      if (ins.kind === 'run') {
        for (const spec of ins.mounts) {
          const stage = spec.from === undefined ? undefined : byName.get(spec.from.toLowerCase());
          if (stage !== undefined) out.push({ range: fromFieldRange(spec), stage, via: 'mount' });
        }
      }
    }
    if (def.name && !byName.has(def.name)) byName.set(def.name, def.index);
  }
  return out;
}

/** The model records a use by its whole flag; the name itself is narrower. */
function useRange(range: Range, instruction: StageNode['uses'][number]['instruction'], name: string): Range {
  if (instruction.kind === 'copy' || instruction.kind === 'add') return instruction.from?.value.range ?? range;
  if (instruction.kind === 'run') {
    const spec = instruction.mounts.find((m) => m.word.range.start === range.start);
    if (spec && spec.from?.toLowerCase() === name) return fromFieldRange(spec);
  }
  return range;
}

function fromFieldRange(spec: MountSpec): Range {
  return spec.fields.find((f) => f.key === 'from')?.value?.range ?? spec.word.range;
}

// ---------------------------------------------------------------- cache mounts

export interface CacheIdentity {
  platforms: string[];
  /** Where the mount appears in the container. */
  target: string;
  /** BuildKit's cache id: namespace + "/" + (id= or the cleaned target). */
  id: string;
  /** The id came from `id=` (else from the target path). */
  explicitId: boolean;
  /** What the directory starts from (from= stage or image, or the uid/gid/mode mkdir). */
  base?: string;
  /** The key the solver indexes the directory under: id[:base]. */
  key: string;
  sharing: ResolvedMount['sharing'];
  uid?: number;
  gid?: number;
  mode?: number;
  from?: string;
  source?: string;
}

export interface CacheToolFacts {
  program: string;
  tool: string;
  /** The file (apt: its lock) or directory the tool uses inside this mount. */
  path: string;
  /** What two users of this tool on one directory at once get; undefined when that is safe. */
  collision?: { severity: Severity; reason: string };
  /** How the tool behaves on a shared cache, in the knowledge layer's words. */
  behaviour: string;
}

export interface OtherCacheUser {
  line: number;
  stage: string;
  platforms: string[];
  /** The other step's mount of this cache. */
  range: Range;
  sharing: ResolvedMount['sharing'];
  built: boolean;
  /** Why BuildKit may run it at the same time as this step; undefined when it cannot. */
  concurrent?: string;
}

export interface CacheMountFacts {
  line: number;
  stage: string;
  /** Built for the target (in any platform). */
  built: boolean;
  namespace: string;
  identities: CacheIdentity[];
  tools: CacheToolFacts[];
  others: OtherCacheUser[];
}

/** The cache a `--mount=type=cache` gets, who uses it and what may run beside it. Undefined without a model. */
export function cacheMountFacts(result: LintResult, spec: MountSpec, instruction: RunInstruction): CacheMountFacts | undefined {
  const model = result.model;
  if (!model) return undefined;
  const line = lineOf(result);
  const mine = model.steps.filter((s) => s.instruction === instruction);
  if (mine.length === 0) return undefined;
  const mounted = mine.flatMap((step) => step.mounts.filter((m) => m.mount.spec === spec && m.cache).map((mount) => ({ step, mount })));
  if (mounted.length === 0) return undefined;

  const identities: CacheIdentity[] = [];
  for (const { step, mount } of mounted) {
    const same = identities.find((i) => i.key === mount.cache!.key && i.sharing === mount.sharing && i.target === mount.target);
    if (same) {
      same.platforms.push(step.platform);
      continue;
    }
    const m = mount.mount;
    identities.push({
      platforms: [step.platform],
      target: mount.target,
      id: mount.cache!.id,
      explicitId: m.id !== '',
      base: mount.cache!.base,
      key: mount.cache!.key,
      sharing: mount.sharing,
      uid: m.uid,
      gid: m.gid,
      mode: m.mode,
      from: m.from || undefined,
      source: m.source || undefined,
    });
  }

  const tools: CacheToolFacts[] = [];
  if (result.invocations) {
    for (const user of cacheUsers({ invocations: result.invocations, model: result.model }, mounted[0].step)) {
      if (user.mount.mount.spec !== spec || tools.some((t) => t.program === user.invocation.program && t.path === user.path)) continue;
      tools.push({ program: user.invocation.program, tool: user.tool.name, path: user.path, collision: collisionSeverity(user), behaviour: user.tool.concurrencyNote });
    }
  }

  const keys = new Set(mounted.map((m) => m.mount.cache!.key));
  const others = new Map<string, OtherCacheUser>();
  for (const step of model.steps) {
    for (const mount of step.mounts) {
      if (!mount.cache || !keys.has(mount.cache.key)) continue;
      if (step.instruction === instruction && model.options.platforms.length === 1) continue;
      const id = `${step.instruction.node.range.start}:${mount.mount.spec.word.range.start}`;
      let other = others.get(id);
      if (!other) {
        other = {
          line: line(step.instruction.node.range.start),
          stage: step.stage.node.name,
          platforms: [],
          range: mount.mount.spec.word.range,
          sharing: mount.sharing,
          built: false,
          concurrent: undefined,
        };
        others.set(id, other);
      }
      other.platforms.push(step.platform);
      other.built ||= model.graph.executing.has(step.vertex);
      if (other.concurrent === undefined) {
        const peer = mounted.find((m) => m.mount.cache!.key === mount.cache!.key && model.graph.mayOverlap(m.step, step));
        if (peer) other.concurrent = whyOverlap(peer.step, step, model);
      }
    }
  }
  // The step itself on other platforms is listed only where it may overlap itself.
  const list = [...others.values()].filter((o) => !(o.range === spec.word.range && !o.concurrent));

  return {
    line: line(instruction.node.range.start),
    stage: mounted[0].step.stage.node.name,
    built: mine.some((s) => model.graph.executing.has(s.vertex)),
    namespace: model.namespace,
    identities,
    tools,
    others: list,
  };
}

// ---------------------------------------------------------------- stages

export interface StageFacts {
  index: number;
  name: string;
  /** The FROM reference after meta-ARG expansion. */
  base: string;
  /** The whole FROM instruction. */
  definition: Range;
  target: string;
  isTarget: boolean;
  built: boolean;
  /** Why the target needs it, up to the target ('"builder" is used by "production" (…), which is the target'). */
  neededBecause?: string;
  usedBy: Array<{ stage: string; how: string; line: number; range: Range }>;
  /** Other stages with a RUN that BuildKit may run while one of this stage's RUNs runs. */
  parallel: Array<{ stage: string; lines: number[] }>;
}

export function stageFacts(result: LintResult, index: number): StageFacts | undefined {
  const model = result.model;
  const build = model?.builds[0];
  const node = build?.stages[index];
  if (!model || !build || !node) return undefined;
  const line = lineOf(result);
  const usedBy = build.stages.flatMap((user) =>
    user.uses.filter((u) => u.stage === node).map((u) => ({ stage: user.name, how: useLabel(u), line: line(u.range.start), range: u.range })),
  );
  return {
    index,
    name: node.name,
    base: node.baseName,
    definition: node.def.from.node.range,
    target: build.target.name,
    isTarget: build.target === node,
    built: !!node.neededBy,
    neededBecause: node.neededBy ? neededChain(node, line) : undefined,
    usedBy,
    parallel: parallelStages(model, index, line),
  };
}

function parallelStages(model: BuildModel, index: number, line: (offset: number) => number): StageFacts['parallel'] {
  const runs = executedRuns(model);
  const own = runs.filter((s) => s.stage.node.index === index);
  const byStage = new Map<string, Set<number>>();
  for (const other of runs) {
    if (other.stage.node.index === index) continue;
    if (!own.some((s) => model.graph.mayOverlap(s, other))) continue;
    const lines = byStage.get(other.stage.node.name) ?? new Set<number>();
    lines.add(line(other.instruction.node.range.start));
    byStage.set(other.stage.node.name, lines);
  }
  return [...byStage].map(([stage, lines]) => ({ stage, lines: [...lines].sort((a, b) => a - b) }));
}

/** RUN steps the build executes, one per merged operation. */
export function executedRuns(model: BuildModel): Step[] {
  const seen = new Set<string>();
  return model.steps.filter((s) => {
    if (s.instruction.kind !== 'run' || !model.graph.executing.has(s.vertex) || seen.has(s.vertex)) return false;
    seen.add(s.vertex);
    return true;
  });
}

function lineOf(result: LintResult): (offset: number) => number {
  return (offset) => result.source.positionAt(offset).line;
}
