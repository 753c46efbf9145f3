/**
 * Finds the groups of operations that BuildKit may run at the same time while
 * they work in one shared cache directory, and how bad that is for the tool:
 * apt's non-waiting locks (precisely, per lock file), and every other known
 * tool by the cache directory it uses.
 *
 * A race is reported per contended cache and overlap group, not per pair: N
 * stages on one apt cache are one finding with N-1 related steps. Groups are
 * the connected components of "may run at the same time" among the users of
 * one place in one cache. Taken in the graph's topological order, those
 * components are contiguous runs (if a and c are connected and b lies between
 * them, b is either incomparable with a member, or a descendant of one member
 * and an ancestor of another, which would make those two comparable), so one
 * sweep finds them without comparing every pair.
 */
import type { Invocation } from '../../commands/index.js';
import { apkTools, aptLockUses, toolById, type CacheLockUse, type ToolKnowledge } from '../../knowledge/index.js';
import type { BuildModel, ResolvedMount, Step } from '../../model/index.js';
import { relativeInside } from '../../model/index.js';
import { setSteps } from '../build-set.js';
import { baseImageOf, type StepQueries } from '../step-context.js';
import { mountAt, toolUses } from '../tool-uses.js';
import type { RuleContext, Severity } from '../types.js';

/** One step working in one cache mount. */
export interface CacheUser {
  step: Step;
  tool: ToolKnowledge;
  invocation: Invocation;
  mount: ResolvedMount;
  /** The file (apt: its lock) or directory it uses, as the step sees it. */
  path: string;
  /** The same, relative to the cache directory (mounts may sit at different depths). */
  pathInCache: string;
  /** apt only: the lock it takes. */
  lock?: CacheLockUse;
  /** `flock` files inside cache mounts it holds while it runs, as "key\0path-in-cache". */
  serializedBy: Set<string>;
}

/** Steps that may run at the same time in one shared cache. */
export interface RaceGroup {
  cacheKey: string;
  /** One step per operation BuildKit runs, the first use (in file order) first. */
  steps: Step[];
  /** The users of the contended places of the cache, by step (in `steps` order). */
  users: CacheUser[];
  /** For every step but the first: a step of the group it may run at the same time as (the first when it can). */
  partner: Map<Step, Step>;
  severity: Severity;
  /** Why at this severity (what the tool does; what it depends on). */
  reason: string;
  /** The tool whose behaviour sets the severity. */
  tool: ToolKnowledge;
}

function inCache(mount: ResolvedMount, path: string): string {
  const rel = relativeInside(mount.target, path) ?? '';
  const source = mount.mount.source.replace(/^\/+|\/+$/g, '');
  return [source, rel].filter(Boolean).join('/');
}

export function cacheUsers(context: StepQueries, step: Step): CacheUser[] {
  if (step.instruction.kind !== 'run' || !step.mounts.some((m) => m.cache)) return [];
  const users: CacheUser[] = [];
  const apt = toolById('apt')!;
  const uses = new Map(toolUses(context, step).map((u) => [u.invocation, u]));
  for (const inv of context.invocations(step)) {
    const serializedBy = new Set<string>();
    for (const file of inv.flocks) {
      const m = mountAt(step, file.startsWith('/') ? file : `${step.workdir}/${file}`);
      if (m?.cache) serializedBy.add(`${m.cache.key}\0${inCache(m, file)}`);
    }
    const add = (tool: ToolKnowledge, path: string, lock?: CacheLockUse) => {
      const mount = mountAt(step, path);
      if (!mount?.cache) return;
      users.push({ step, tool, invocation: inv, mount, path, pathInCache: inCache(mount, path), lock, serializedBy });
    };
    const locks = aptLockUses(inv);
    if (locks.length) {
      for (const lock of locks) add(apt, lock.lockFile, lock);
      continue;
    }
    const use = uses.get(inv);
    if (!use || use.tool.id === 'apt') continue;
    for (const dir of use.cacheDirs) add(use.tool, dir);
  }
  return users;
}

const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/** How bad a collision is for this user's tool; undefined when it is safe. */
export function collisionSeverity(user: CacheUser): { severity: Severity; reason: string } | undefined {
  const t = user.tool;
  switch (t.concurrency) {
    case 'fails':
    case 'corrupts':
      return { severity: 'error', reason: t.concurrencyNote };
    case 'waits':
      return { severity: 'warning', reason: `${t.concurrencyNote} (this costs time, not correctness)` };
    case 'safe':
      return undefined;
    case 'depends':
      return dependentSeverity(user);
  }
}

function dependentSeverity(user: CacheUser): { severity: Severity; reason: string } | undefined {
  const t = user.tool;
  if (t.id === 'apk') {
    const version = apkTools(baseImageOf(user.step.stage));
    if (version?.major === 3) return undefined;
    if (version?.major === 2) return { severity: 'error', reason: `${t.concurrencyNote}; ${version.because}` };
    return { severity: 'warning', reason: `${t.concurrencyNote}; ${t.dependsOn}, and the base image's tag does not tell which` };
  }
  if (t.id === 'cargo') {
    // With all of CARGO_HOME in the same cache, cargo's own lock is shared too, and cargo waits.
    const home = user.path.replace(/\/(registry|git)$/, '');
    const homeMount = mountAt(user.step, `${home}/.package-cache`);
    if (homeMount?.cache?.key === user.mount.cache?.key) return { severity: 'warning', reason: 'the cargo package-cache lock is in this cache too, so cargo waits ("Blocking waiting for file lock")' };
    return { severity: 'error', reason: t.concurrencyNote };
  }
  return { severity: 'warning', reason: `${t.concurrencyNote}; ${t.dependsOn ?? 'it depends on the version'}` };
}

/** The users of one operation at one place in one cache (one operation may run the tool several times). */
interface Operation {
  step: Step;
  order: number;
  users: CacheUser[];
}

/** Union-find over operations (vertex names). */
class Components {
  private readonly parent = new Map<string, string>();
  find(v: string): string {
    let root = v;
    while (this.parent.has(root) && this.parent.get(root) !== root) root = this.parent.get(root)!;
    for (let x = v; x !== root; ) {
      const next = this.parent.get(x)!;
      this.parent.set(x, root);
      x = next;
    }
    return root;
  }
  union(a: string, b: string): void {
    const [ra, rb] = [this.find(a), this.find(b)];
    if (ra !== rb) this.parent.set(rb, ra);
    else if (!this.parent.has(ra)) this.parent.set(ra, ra);
  }
}

export function findRaceGroups(context: RuleContext, model: BuildModel): RaceGroup[] {
  const graph = model.graph;
  // Operations by cache key and place in the cache; merged steps are one operation (the first step dispatched).
  const places = new Map<string, Map<string, Operation>>();
  const keyOfPlace = new Map<string, string>();
  // A build of a bake or compose request races with the others too: look at every build's steps.
  for (const step of setSteps(model)) {
    if (!graph.executing.has(step.vertex) || graph.stepsByVertex.get(step.vertex)?.[0] !== step) continue;
    for (const u of cacheUsers(context, step)) {
      // Only two `shared` users get the same directory at the same time (§2.3).
      if (u.mount.sharing !== 'shared') continue;
      const key = u.mount.cache!.key;
      const place = `${key}\0${u.pathInCache}`;
      keyOfPlace.set(place, key);
      let ops = places.get(place);
      if (!ops) places.set(place, (ops = new Map()));
      const op = ops.get(step.vertex);
      if (op) op.users.push(u);
      else ops.set(step.vertex, { step, order: graph.order(step), users: [u] });
    }
  }

  // Per key, operations joined by a contended place; severity from the users that contend.
  const byKey = new Map<string, { components: Components; contended: Map<string, Operation[]> }>();
  for (const [place, ops] of places) {
    const key = keyOfPlace.get(place)!;
    let entry = byKey.get(key);
    if (!entry) byKey.set(key, (entry = { components: new Components(), contended: new Map() }));
    for (const group of overlapGroups([...ops.values()].sort((a, b) => a.order - b.order), graph)) {
      for (const op of group.slice(1)) entry.components.union(group[0].step.vertex, op.step.vertex);
      entry.contended.set(group[0].step.vertex + '\0' + place, group);
    }
  }

  const groups: RaceGroup[] = [];
  for (const [key, { components, contended }] of byKey) {
    const byRoot = new Map<string, Map<Step, CacheUser[]>>();
    for (const ops of contended.values()) {
      const root = components.find(ops[0].step.vertex);
      let members = byRoot.get(root);
      if (!members) byRoot.set(root, (members = new Map()));
      for (const op of ops) members.set(op.step, [...(members.get(op.step) ?? []), ...op.users]);
    }
    for (const members of byRoot.values()) {
      const steps = [...members.keys()].sort(fileOrder);
      let worst: { severity: Severity; reason: string; tool: ToolKnowledge } | undefined;
      for (const users of members.values()) {
        for (const u of users) {
          const s = collisionSeverity(u);
          if (s && (!worst || RANK[s.severity] > RANK[worst.severity])) worst = { ...s, tool: u.tool };
        }
      }
      if (!worst) continue;
      groups.push({ cacheKey: key, steps, users: steps.flatMap((s) => members.get(s)!), partner: partners(steps, graph), ...worst });
    }
  }
  return groups.sort((a, b) => fileOrder(a.steps[0], b.steps[0]));
}

/** Order in the file (builds of a request: the first build's file first). */
function fileOrder(a: Step, b: Step): number {
  return a.stage.origin.index - b.stage.origin.index || a.instruction.node.range.start - b.instruction.node.range.start || a.id - b.id;
}

/**
 * The overlap groups among operations at one place in one cache, in
 * topological order. A group is a contiguous run (see the module comment):
 * it ends before position j exactly when no operation from j on may overlap
 * one before j. Each operation looks back for the earliest one it may
 * overlap; a run of independent stages finds it at once.
 */
function overlapGroups(ops: Operation[], graph: BuildModel['graph']): Operation[][] {
  const n = ops.length;
  if (n < 2) return [];
  const earliest = new Array<number>(n);
  for (let k = 0; k < n; k++) {
    earliest[k] = k;
    for (let i = 0; i < k; i++) {
      if (graph.mayOverlap(ops[i].step, ops[k].step)) {
        earliest[k] = i;
        break;
      }
    }
  }
  const runs: Operation[][] = [];
  let start = n - 1;
  let reach = earliest[n - 1];
  for (let j = n - 1; j >= 0; j--) {
    reach = Math.min(reach, earliest[j]);
    if (reach === j) {
      if (start > j) runs.push(ops.slice(j, start + 1));
      start = j - 1;
      if (j > 0) reach = earliest[j - 1];
    }
  }
  return runs.flatMap((run) => splitBySerialization(run, graph));
}

/**
 * Users that hold a common `flock` inside the cache take turns, and tools that
 * share safely never collide with each other: within a run, keep only the
 * pairs that really collide (rare, so pairwise).
 */
function splitBySerialization(run: Operation[], graph: BuildModel['graph']): Operation[][] {
  const users = run.flatMap((op) => op.users);
  const uniform = users.every((u) => u.serializedBy.size === 0) && new Set(users.map((u) => collisionSeverity(u) !== undefined)).size === 1;
  if (uniform) return [run];
  const components = new Components();
  const collide = (a: CacheUser, b: CacheUser) =>
    ![...a.serializedBy].some((lock) => b.serializedBy.has(lock)) && (collisionSeverity(a) !== undefined || collisionSeverity(b) !== undefined);
  const linked = new Set<string>();
  for (let i = 0; i < run.length; i++) {
    for (let j = i + 1; j < run.length; j++) {
      if (!graph.mayOverlap(run[i].step, run[j].step)) continue;
      if (!run[i].users.some((a) => run[j].users.some((b) => collide(a, b)))) continue;
      components.union(run[i].step.vertex, run[j].step.vertex);
      linked.add(run[i].step.vertex).add(run[j].step.vertex);
    }
  }
  const out = new Map<string, Operation[]>();
  for (const op of run) {
    if (!linked.has(op.step.vertex)) continue;
    const root = components.find(op.step.vertex);
    out.set(root, [...(out.get(root) ?? []), op]);
  }
  return [...out.values()];
}

/** For each step after the first: one it may run at the same time as, the first step when it can. */
export function partners(steps: Step[], graph: BuildModel['graph']): Map<Step, Step> {
  const out = new Map<Step, Step>();
  for (const s of steps.slice(1)) {
    const p = graph.mayOverlap(steps[0], s) ? steps[0] : steps.find((o) => o !== s && graph.mayOverlap(o, s));
    if (p) out.set(s, p);
  }
  return out;
}
