/**
 * Finds pairs of operations that BuildKit may run at the same time while they
 * work in one shared cache directory, and how bad that is for the tool:
 * apt's non-waiting locks (precisely, per lock file), and every other known
 * tool by the cache directory it uses.
 */
import type { Invocation } from '../../commands/index.js';
import { apkMajorVersion, aptLockUses, toolById, type CacheLockUse, type ToolKnowledge } from '../../knowledge/index.js';
import type { BuildModel, ResolvedMount, Step } from '../../model/index.js';
import { relativeInside } from '../../model/index.js';
import { rootImage } from '../step-context.js';
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

export interface Race {
  cacheKey: string;
  a: CacheUser[];
  b: CacheUser[];
  severity: Severity;
  /** Why at this severity (what the tool does; what it depends on). */
  reason: string;
}

function inCache(mount: ResolvedMount, path: string): string {
  const rel = relativeInside(mount.target, path) ?? '';
  const source = mount.mount.source.replace(/^\/+|\/+$/g, '');
  return [source, rel].filter(Boolean).join('/');
}

export function cacheUsers(context: RuleContext, step: Step): CacheUser[] {
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
    const version = apkMajorVersion(rootImage(user.step.stage.node));
    if (version === 3) return undefined;
    if (version === 2) return { severity: 'error', reason: `${t.concurrencyNote}; this Alpine release ships apk-tools v2` };
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

export function findRaces(context: RuleContext, model: BuildModel): Race[] {
  const groups = new Map<string, CacheUser[]>();
  for (const step of model.steps) {
    if (!model.graph.executing.has(step.vertex)) continue;
    for (const u of cacheUsers(context, step)) {
      // Only two `shared` users get the same directory at the same time (§2.3).
      if (u.mount.sharing !== 'shared') continue;
      const key = `${u.mount.cache!.key}\0${u.pathInCache}`;
      const list = groups.get(key);
      if (list) list.push(u);
      else groups.set(key, [u]);
    }
  }
  const races = new Map<string, Race>();
  for (const users of groups.values()) {
    for (let i = 0; i < users.length; i++) {
      for (let j = i + 1; j < users.length; j++) {
        const [a, b] = [users[i], users[j]];
        if ([...a.serializedBy].some((lock) => b.serializedBy.has(lock))) continue;
        const sa = collisionSeverity(a);
        const sb = collisionSeverity(b);
        const worst = !sa ? sb : !sb ? sa : RANK[sa.severity] >= RANK[sb.severity] ? sa : sb;
        if (!worst) continue;
        if (!model.graph.mayOverlap(a.step, b.step)) continue;
        const [first, second] = a.step.id < b.step.id ? [a, b] : [b, a];
        const id = `${first.step.vertex}|${second.step.vertex}|${a.mount.cache!.key}`;
        const race = races.get(id) ?? { cacheKey: a.mount.cache!.key, a: [], b: [], severity: worst.severity, reason: worst.reason };
        if (RANK[worst.severity] > RANK[race.severity]) Object.assign(race, worst);
        if (!race.a.some((u) => u.path === first.path)) race.a.push(first);
        if (!race.b.some((u) => u.path === second.path)) race.b.push(second);
        races.set(id, race);
      }
    }
  }
  return [...races.values()];
}
