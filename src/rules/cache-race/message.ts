/** The words of a cache-race diagnostic: who, which cache, what fails, and why they overlap. */
import { APT_SYMPTOMS } from '../../knowledge/index.js';
import type { BuildModel } from '../../model/index.js';
import type { RelatedLocation } from '../types.js';
import { describeStep, whyOverlap } from './explain-overlap.js';
import type { CacheUser, Race } from './find-races.js';

export function raceMessage(race: Race, here: CacheUser[], there: CacheUser[], model: BuildModel, line: (offset: number) => number): string {
  const h = here[0];
  const t = there[0];
  const cache = h.mount.cache!;
  const same = h.step.instruction === t.step.instruction;
  const who = same
    ? `this ${h.tool.programs.includes(h.invocation.program) ? h.invocation.program : h.tool.name} step runs concurrently with itself on ${model.options.platforms.filter((p) => p === h.step.platform || p === t.step.platform).join(' and ')}`
    : `${h.invocation.program} in ${describeStep(h.step, model, line)} and ${t.invocation.program} in ${describeStep(t.step, model, line)} can run at the same time`;
  let what: string;
  const locks = here.flatMap((u) => (u.lock && there.some((o) => o.lock?.kind === u.lock!.kind) ? [u.lock] : []));
  if (locks.length) {
    const symptoms = locks.flatMap((l) => {
      const s = APT_SYMPTOMS[l.kind](l.dir);
      return l.kind === 'lists' ? [`"${s[0]}"`, `"${s[1]}"`] : [`"${s[0]}"`];
    });
    what = `both lock ${locks.map((l) => l.lockFile).join(' and ')} in the same directory; one fails with ${symptoms.join(' or ')}`;
  } else {
    what = `both use ${h.path} in the same directory: ${race.reason}`;
  }
  return `Cache race on cache "${cache.key}" (target ${h.mount.target}, sharing=shared): ${who} and ${what}. They overlap because ${whyOverlap(h.step, t.step, model, line)}.`;
}

export function raceRelated(here: CacheUser[], there: CacheUser[], model: BuildModel, line: (offset: number) => number): RelatedLocation[] {
  const h = here[0];
  const t = there[0];
  const same = h.step.instruction === t.step.instruction;
  const related: RelatedLocation[] = [];
  if (!same) related.push({ range: t.mount.mount.spec.word.range, message: `the other mount of cache "${h.mount.cache!.key}" (${describeStep(t.step, model, line)})` });
  for (const u of same ? here : [...here, ...there]) {
    related.push({ range: u.invocation.range, message: u.lock ? `${u.invocation.program} takes ${u.lock.lockFile} here` : `${u.invocation.program} uses ${u.path} here` });
  }
  return related;
}
