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
import { aptLockUses, imageProgramVersion, toolOfProgram, assumedCacheDirs, observedRace, sourceUrl, SOURCES, type CacheLockUse, type RaceShape, type ToolKnowledge } from '../../knowledge/index.js';
import type { BuildModel, ResolvedMount, Step } from '../../model/index.js';
import { isUnknownPath, relativeInside } from '../../model/index.js';
import { setSteps } from '../build-set.js';
import { baseImageOf, stepContext, type StepQueries } from '../step-context.js';
import { lastMatchUpTo, mountAt, toolUses } from '../tool-uses.js';
import { sourceOf } from '../build-set.js';
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
  /** What was guessed to find this use (a retry wrapper's tool; an unknown image's cache path), for the message. */
  assumptions: string[];
  /** Set when the place is an output directory the tool empties (`npm ci`: node_modules), not its cache: what lives there. */
  output?: string;
  /** For an output directory: how this run empties or replaces it, when it does. */
  empties?: string;
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
  const uses = new Map(toolUses(context, step).map((u) => [u.invocation, u]));
  for (const inv of context.invocations(step)) {
    const serializedBy = new Set<string>();
    for (const file of inv.flocks) {
      const m = mountAt(step, file.startsWith('/') ? file : `${step.workdir}/${file}`);
      if (m?.cache) serializedBy.add(`${m.cache.key}\0${inCache(m, file)}`);
    }
    const add = (tool: ToolKnowledge, path: string, lock?: CacheLockUse, output?: { what: string; empties?: string }, assumed?: string) => {
      const mount = mountAt(step, path);
      if (!mount?.cache) return;
      const assumptions = [inv.assumption, assumed].filter((a): a is string => !!a);
      users.push({ step, tool, invocation: inv, mount, path, pathInCache: inCache(mount, path), lock, serializedBy, assumptions, output: output?.what, empties: output?.empties });
    };
    const locks = aptLockUses(inv);
    if (locks.length) {
      // The locks are apt's (its programs: apt, apt-get, aptitude): the tool that owns the program.
      for (const lock of locks) add(toolOfProgram(lock.tool)!, lock.lockFile, lock);
      continue;
    }
    const use = uses.get(inv);
    if (!use || use.tool.usesByLocks) continue;
    for (const dir of use.cacheDirs) add(use.tool, dir);
    // An image mountlint does not know: a cache mount where the official image family (or any official image) keeps the tool's cache is taken for it.
    const mounted = new Set(use.cacheDirs.filter((d) => mountAt(step, d)?.cache));
    if (!mounted.size) for (const a of assumedCacheDirs(use, stepContext(context, step))) add(use.tool, a.dir, undefined, undefined, a.because);
    // A cache mount over a directory the tool empties as a whole (node_modules under `npm ci`): the steps that write it, and the one that empties it.
    const emptying = new Set(use.emptied.map((o) => o.dir));
    for (const o of [...use.emptied, ...use.outputs.filter((x) => x.spec.emptiedBy && !emptying.has(x.dir))]) {
      if (!o.dir || isUnknownPath(o.dir) || use.cacheDirs.includes(o.dir)) continue;
      add(use.tool, o.dir, undefined, { what: o.spec.what, empties: emptying.has(o.dir) ? o.spec.emptiedBy!.how : undefined });
    }
  }
  return users;
}

const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/** How bad a collision is for this user's tool; undefined when it is safe. */
export function collisionSeverity(user: CacheUser): { severity: Severity; reason: string } | undefined {
  const t = user.tool;
  // An output directory (node_modules) shared by concurrent steps: broken where one of them empties it, whatever the cache's safety.
  if (user.output !== undefined) return user.empties ? { severity: 'error', reason: `${user.empties}; the mount shares ${user.output} between steps that run at the same time` } : undefined;
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
  if (t.safeByImageProgram) {
    // Safe by the version of a program the base image ships (apk-tools): the image's tag tells, or it depends.
    const { program, safeMajors, unsafeMajors } = t.safeByImageProgram;
    const version = imageProgramVersion(program, baseImageOf(user.step.stage));
    if (version && safeMajors.includes(version.major)) return undefined;
    if (version && unsafeMajors.includes(version.major)) return { severity: 'error', reason: `${t.concurrencyNote}; ${version.because}` };
    return { severity: 'warning', reason: `${t.concurrencyNote}; ${t.dependsOn}, and the base image's tag does not tell which` };
  }
  if (t.lockBesideCache) {
    // With the lock's folder in the same cache (all of CARGO_HOME), the tool's own lock is shared too, and it waits.
    const { file, cacheDirNames, waitReason } = t.lockBesideCache;
    const home = user.path.replace(new RegExp(`/(?:${cacheDirNames.join('|')})$`), '');
    const lockMount = mountAt(user.step, `${home}/${file}`);
    if (lockMount?.cache?.key === user.mount.cache?.key) return { severity: 'warning', reason: waitReason };
    return { severity: 'error', reason: t.concurrencyNote };
  }
  if (t.safeFromVersion) return versionSeverity(user, t);
  return { severity: 'warning', reason: `${t.concurrencyNote}; ${t.dependsOn ?? 'it depends on the version'}` };
}

/**
 * A tool safe to share from some version on: the version the file installs
 * decides (`pip install --upgrade pip`, `pip install pip==24.0` earlier in
 * the stage's FROM chain), and the reason says which line told it.
 */
function versionSeverity(user: CacheUser, t: ToolKnowledge): { severity: Severity; reason: string } | undefined {
  const rule = t.safeFromVersion!;
  const found = lastMatchUpTo(user.step, new RegExp(rule.installLine));
  if (found) {
    const [line, op, version] = found.match;
    const at = sourceOf(user.step).positionAt(found.instruction.node.range.start).line;
    const newest = !version && new RegExp(rule.upgrade).test(found.match.input.slice(0, found.match.index + line.length));
    const atLeast = version && (op === '>=' || op === '~=') && compareVersions(version, rule.safeFrom) >= 0;
    if (newest || atLeast) return undefined; // the newest release, or one no older than the safe one
    if (version && (op === '==' || op === undefined)) {
      if (compareVersions(version, rule.safeFrom) >= 0) return undefined;
      return { severity: 'error', reason: `${t.concurrencyNote}; line ${at} installs ${t.name} ${version}, older than ${rule.safeFrom}` };
    }
  }
  return { severity: 'warning', reason: `${t.concurrencyNote}; ${t.dependsOn}, and neither the base image's tag nor an install line in the file tells the version` };
}

function compareVersions(a: string, b: string): number {
  const [x, y] = [a.split('.').map(Number), b.split('.').map(Number)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

/** How the steps of a group use the cache at once: one step for several platforms, several stages, separate builds. */
export function raceShapes(steps: Step[], concurrentBuilds: boolean): Set<RaceShape> {
  const shapes = new Set<RaceShape>();
  for (let i = 0; i < steps.length; i++) {
    for (let j = i + 1; j < steps.length; j++) {
      const [a, b] = [steps[i], steps[j]];
      if (a.stage.origin.index !== b.stage.origin.index) shapes.add(concurrentBuilds ? 'separate builds' : 'stages');
      else if (a.instruction === b.instruction) shapes.add('platforms');
      else shapes.add('stages');
    }
  }
  return shapes;
}

/**
 * Public reports of the tool failing in a shape the group has: they count
 * whatever the documentation claims. An error where the e2e suite reproduced
 * the failure here, else a warning that names the report (and says when the
 * suite ran the shape without reproducing it).
 */
function reportedSeverity(tool: ToolKnowledge, shapes: Set<RaceShape>): { severity: Severity; reason: string } | undefined {
  const report = tool.reportedFailures?.find((r) => r.shapes.some((s) => shapes.has(s)));
  if (!report) return undefined;
  const shape = report.shapes.find((s) => shapes.has(s))!;
  const observed = report.triedHere ? observedRace(report.triedHere) : undefined;
  const reproduced = observed?.outcome === 'fails' && observed.failures > 0;
  const claim = tool.concurrency === 'safe' ? `it is documented to share its cache safely (${tool.concurrencyNote}), but ` : '';
  // The report's own shape when it has one; a report of concurrent runs in general says so.
  const where = report.shapes.length > 1 ? 'concurrent runs shared its cache' : { platforms: 'two platforms of one build shared this cache', stages: 'concurrent steps of one build shared this cache', 'separate builds': 'separate builds shared this cache' }[shape];
  const here = observed
    ? reproduced
      ? `; the e2e suite reproduced it here (${observed.failures} of ${observed.runs} runs failed, observed:${observed.case})`
      : `; the e2e suite ran this shape here ${observed.runs} times without a failure (observed:${observed.case}), so this rests on that report`
    : '; the e2e suite has not run this shape';
  return { severity: reproduced ? 'error' : 'warning', reason: `${claim}it failed in public where ${where}: ${report.symptom} (${SOURCES[report.source]?.title.replace(/ \(.*$/, '') ?? report.source}, ${sourceUrl(report.source)})${here}` };
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
      // A tool that failed in public in this shape is reported whatever its documentation says.
      for (const tool of new Set([...members.values()].flat().filter((u) => u.output === undefined).map((u) => u.tool))) {
        const reported = reportedSeverity(tool, raceShapes(steps, !!context.concurrentBuilds));
        if (!reported) continue;
        if (!worst || RANK[reported.severity] > RANK[worst.severity]) worst = { ...reported, tool };
        else if (worst.tool === tool) worst = { ...worst, reason: `${worst.reason}; ${reported.reason.replace(/^it is documented[^,]*, but /, '')}` };
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
