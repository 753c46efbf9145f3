/**
 * The words of a cache-race diagnostic. The message says who collides and
 * what fails, in one sentence; why each other step may run at the same time
 * (target, dependency path, platforms) goes into the related locations.
 */
import { lockSymptoms } from '../../knowledge/index.js';
import { baseImageOf } from '../step-context.js';
import { cacheLabel, type BuildModel, type Step } from '../../model/index.js';
import type { SourceFile } from '../../syntax/index.js';
import { relatedAt, sourceOf, startPlaces, stepPlace } from '../build-set.js';
import type { RelatedLocation } from '../types.js';
import { mergedWith } from '../tool-uses.js';
import { describeStep, whyOverlap } from './explain-overlap.js';
import type { CacheUser, RaceGroup } from './find-races.js';

export function raceMessage(group: RaceGroup, model: BuildModel, here: SourceFile): string {
  const first = group.steps[0];
  const mine = usersOf(group, first);
  const program = mine[0].invocation.program;
  const self = group.steps.filter((s) => s.instruction === first.instruction);
  const others = distinctInstructions(group.steps.filter((s) => s.instruction !== first.instruction));
  const parts: string[] = [];
  if (others.length === 1) {
    const o = usersOf(group, others[0])[0];
    parts.push(`${program} here can run at the same time as ${o.invocation.program} in ${describeStep(others[0], model, here)}`);
  } else if (others.length > 1) {
    const where = others.some((s) => s.stage.origin.index !== first.stage.origin.index)
      ? [...new Set(others.map((s) => (s.stage.origin.index === first.stage.origin.index ? `stage "${s.stage.node.name}"` : s.stage.origin.label)))].join(', ')
      : `stage${new Set(others.map((s) => s.stage.node.name)).size === 1 ? '' : 's'} ${[...new Set(others.map((s) => `"${s.stage.node.name}"`))].join(', ')}`;
    parts.push(`${program} here can run at the same time as ${others.length} other steps (${where})`);
  }
  if (self.length > 1) {
    // One instruction run several times at once: for several platforms, or by several builds of the request (other args).
    const builds = [...new Set(self.map((s) => s.stage.origin.label))];
    const platforms = [...new Set(self.map((s) => s.targetPlatform))];
    const runs = builds.length > 1 ? `for ${builds.join(' and ')}` : `on ${platforms.join(' and ')}`;
    const by = builds.length === 1 && builds[0] && platforms.length > 1 ? ` (${builds[0]} builds ${platforms.length === 2 ? 'both' : 'all'} platforms)` : '';
    parts.push(others.length ? `and with itself ${runs}` : `this ${program} step runs ${runs} at the same time${by}`);
  }
  // Builds of one request: say which build this is, and why they run at the same time.
  const together = group.steps.some((s) => s.stage.origin.index !== first.stage.origin.index);
  if (together && parts.length) parts[0] = parts[0].replace(`${program} here`, `${program} here (${first.stage.origin.label})`) + `, because ${model.set?.why ?? 'they run in one request'}`;
  const merged = mergedWith(first, model).map((s) => stepPlace(s, model, here).replace(/^line /, ''));
  const mergeNote = merged.length ? ` (it runs once, merged with the identical step on line ${merged.join(', ')})` : '';
  return `Cache race on cache ${cacheLabel(mine[0].mount.cache!)}: ${parts.join(' ')}${mergeNote}; ${consequence(group)}.${assumed(group)}`;
}

/** What the finding rests on that the file does not say (a retry wrapper's tool, an unknown image's paths). */
function assumed(group: RaceGroup): string {
  const all = [...new Set(group.users.flatMap((u) => u.assumptions))];
  return all.length ? ` Assumed: ${all.join('; ')}.` : '';
}

/** What goes wrong: apt's own error messages for the locks both take, or the tool's behaviour. */
function consequence(group: RaceGroup): string {
  // apt's locks as the first step sees them, where another step of the group takes the same kind of lock.
  const kinds = new Map<string, { kind: 'archives' | 'lists'; dir: string }>();
  for (const u of usersOf(group, group.steps[0])) {
    if (u.lock && group.users.some((o) => o.step !== u.step && o.lock?.kind === u.lock!.kind)) kinds.set(u.lock.lockFile, u.lock);
  }
  if (kinds.size) {
    const symptoms = [...kinds.values()].flatMap((l) => {
      const s = lockSymptoms(l, baseImageOf(group.steps[0].stage));
      return l.kind === 'lists' ? [s[0], s[1]] : [s[0]];
    });
    return `one fails with ${symptoms.map((s) => `"${s}"`).join(' or ')}`;
  }
  return `${group.tool.name}: ${group.reason}`;
}

export function raceRelated(group: RaceGroup, model: BuildModel, here: SourceFile): RelatedLocation[] {
  const related: RelatedLocation[] = [];
  const first = group.steps[0];
  for (const step of group.steps.slice(1)) {
    const partner = group.partner.get(step) ?? first;
    const mount = usersOf(group, step)[0].mount;
    const with_ = partner === first ? '' : ` with ${describeStep(partner, model, here)}`;
    related.push(relatedAt(step, here, mount.mount.spec.word.range, `${describeStep(step, model, here)} may run at the same time${with_}: ${whyOverlap(partner, step, model)}`));
  }
  // Separate builds the repository starts together: the lines that start them.
  related.push(...startPlaces(group.steps));
  const seen = new Set<string>();
  for (const u of group.users) {
    const text = u.lock ? `${u.invocation.program} takes ${u.lock.lockFile} here` : `${u.invocation.program} uses ${u.path} here`;
    const id = `${sourceOf(u.step).path}:${u.invocation.range.start}:${text}`;
    if (seen.has(id)) continue;
    seen.add(id);
    related.push(relatedAt(u.step, here, u.invocation.range, text));
  }
  for (const step of distinctInstructions(group.steps)) {
    for (const twin of mergedWith(step, model)) {
      related.push(relatedAt(twin, here, twin.instruction.node.range, `merged with ${stepPlace(step, model, sourceOf(twin))}: BuildKit runs the identical step once`));
    }
  }
  return related;
}

export function usersOf(group: RaceGroup, step: Step): CacheUser[] {
  return group.users.filter((u) => u.step === step);
}

function distinctInstructions(steps: Step[]): Step[] {
  const seen = new Set<unknown>();
  return steps.filter((s) => !seen.has(s.instruction) && seen.add(s.instruction));
}
