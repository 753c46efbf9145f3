/**
 * The words of a cache-race diagnostic. The message says who collides and
 * what fails, in one sentence; why each other step may run at the same time
 * (target, dependency path, platforms) goes into the related locations.
 */
import { APT_SYMPTOMS } from '../../knowledge/index.js';
import { cacheLabel, type BuildModel, type Step } from '../../model/index.js';
import type { RelatedLocation } from '../types.js';
import { mergedWith } from '../tool-uses.js';
import { describeStep, whyOverlap } from './explain-overlap.js';
import type { CacheUser, RaceGroup } from './find-races.js';

type LineOf = (offset: number) => number;

export function raceMessage(group: RaceGroup, model: BuildModel, line: LineOf): string {
  const first = group.steps[0];
  const here = usersOf(group, first);
  const program = here[0].invocation.program;
  const self = group.steps.filter((s) => s.instruction === first.instruction);
  const others = distinctInstructions(group.steps.filter((s) => s.instruction !== first.instruction));
  const parts: string[] = [];
  if (others.length === 1) {
    const o = usersOf(group, others[0])[0];
    parts.push(`${program} here can run at the same time as ${o.invocation.program} in ${describeStep(others[0], model, line)}`);
  } else if (others.length > 1) {
    const stages = [...new Set(others.map((s) => `"${s.stage.node.name}"`))];
    parts.push(`${program} here can run at the same time as ${others.length} other steps (stage${stages.length === 1 ? '' : 's'} ${stages.join(', ')})`);
  }
  if (self.length > 1) {
    const platforms = self.map((s) => s.platform);
    parts.push(others.length ? `and with itself on ${platforms.join(' and ')}` : `this ${program} step runs on ${platforms.join(' and ')} at the same time`);
  }
  const merged = mergedWith(first, model).map((s) => line(s.instruction.node.range.start));
  const mergeNote = merged.length ? ` (it runs once, merged with the identical step on line ${merged.join(', ')})` : '';
  return `Cache race on cache ${cacheLabel(here[0].mount.cache!)}: ${parts.join(' ')}${mergeNote}; ${consequence(group)}.`;
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
      const s = APT_SYMPTOMS[l.kind](l.dir);
      return l.kind === 'lists' ? [s[0], s[1]] : [s[0]];
    });
    return `one fails with ${symptoms.map((s) => `"${s}"`).join(' or ')}`;
  }
  return `${group.tool.name}: ${group.reason}`;
}

export function raceRelated(group: RaceGroup, model: BuildModel, line: LineOf): RelatedLocation[] {
  const related: RelatedLocation[] = [];
  const first = group.steps[0];
  for (const step of group.steps.slice(1)) {
    const partner = group.partner.get(step) ?? first;
    const mount = usersOf(group, step)[0].mount;
    const with_ = partner === first ? '' : ` with ${describeStep(partner, model, line)}`;
    related.push({ range: mount.mount.spec.word.range, message: `${describeStep(step, model, line)} may run at the same time${with_}: ${whyOverlap(partner, step, model, line)}` });
  }
  const seen = new Set<string>();
  for (const u of group.users) {
    const text = u.lock ? `${u.invocation.program} takes ${u.lock.lockFile} here` : `${u.invocation.program} uses ${u.path} here`;
    const id = `${u.invocation.range.start}:${text}`;
    if (seen.has(id)) continue;
    seen.add(id);
    related.push({ range: u.invocation.range, message: text });
  }
  for (const step of distinctInstructions(group.steps)) {
    for (const twin of mergedWith(step, model)) {
      related.push({ range: twin.instruction.node.range, message: `merged with line ${line(step.instruction.node.range.start)}: BuildKit runs the identical step once` });
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
