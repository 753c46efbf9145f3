/**
 * Finds pairs of operations that BuildKit may run at the same time while they
 * share one cache directory in which both take a lock that does not wait
 * (apt's archives and lists locks).
 */
import type { CacheLockUse } from '../../knowledge/index.js';
import { aptLockUses } from '../../knowledge/index.js';
import type { BuildModel, ResolvedMount, Step } from '../../model/index.js';
import { relativeInside } from '../../model/index.js';
import type { RuleContext } from '../types.js';

/** One step taking one lock inside one cache mount. */
export interface LockHolder {
  step: Step;
  lock: CacheLockUse;
  mount: ResolvedMount;
  /** Where the lock file is inside the cache directory (mounts may sit at different depths). */
  pathInCache: string;
}

export interface Race {
  /** The cache both use. */
  cacheKey: string;
  a: LockHolder[];
  b: LockHolder[];
}

/** The mount that decides what the step sees at `path`: the deepest one containing it. */
function mountAt(step: Step, path: string): ResolvedMount | undefined {
  let best: ResolvedMount | undefined;
  for (const m of step.mounts) {
    if (relativeInside(m.target, path) === undefined) continue;
    if (!best || m.target.length >= best.target.length) best = m;
  }
  return best;
}

export function lockHolders(context: RuleContext, step: Step): LockHolder[] {
  if (step.instruction.kind !== 'run' || !step.mounts.some((m) => m.cache)) return [];
  const holders: LockHolder[] = [];
  for (const inv of context.invocations(step)) {
    for (const lock of aptLockUses(inv)) {
      const mount = mountAt(step, lock.lockFile);
      if (!mount?.cache) continue;
      const rel = relativeInside(mount.target, lock.lockFile)!;
      const source = mount.mount.source.replace(/^\/+|\/+$/g, '');
      holders.push({ step, lock, mount, pathInCache: source ? `${source}/${rel}` : rel });
    }
  }
  return holders;
}

export function findRaces(context: RuleContext, model: BuildModel): Race[] {
  const groups = new Map<string, LockHolder[]>();
  for (const step of model.steps) {
    if (!model.graph.executing.has(step.vertex)) continue;
    for (const h of lockHolders(context, step)) {
      const key = `${h.mount.cache!.key}\0${h.pathInCache}`;
      const list = groups.get(key);
      if (list) list.push(h);
      else groups.set(key, [h]);
    }
  }
  const races = new Map<string, Race>();
  for (const holders of groups.values()) {
    for (let i = 0; i < holders.length; i++) {
      for (let j = i + 1; j < holders.length; j++) {
        const [a, b] = [holders[i], holders[j]];
        // Only two `shared` users get the same directory at the same time (§2.3).
        if (a.mount.sharing !== 'shared' || b.mount.sharing !== 'shared') continue;
        if (!model.graph.mayOverlap(a.step, b.step)) continue;
        const [first, second] = a.step.id < b.step.id ? [a, b] : [b, a];
        const id = `${first.step.vertex}|${second.step.vertex}|${a.mount.cache!.key}`;
        const race = races.get(id) ?? { cacheKey: a.mount.cache!.key, a: [], b: [] };
        if (!race.a.some((h) => h.lock.kind === first.lock.kind)) race.a.push(first);
        if (!race.b.some((h) => h.lock.kind === second.lock.kind)) race.b.push(second);
        races.set(id, race);
      }
    }
  }
  return [...races.values()];
}
