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

/** The words of a race, as one of the rule's messages (RACE_MESSAGES) and its data. */
export function raceMessage(group: RaceGroup, model: BuildModel, here: SourceFile): { messageId: keyof typeof RACE_MESSAGES; data: Record<string, string | number> } {
  const first = group.steps[0];
  const mine = usersOf(group, first);
  const program = mine[0].invocation.program;
  const self = group.steps.filter((s) => s.instruction === first.instruction);
  const others = distinctInstructions(group.steps.filter((s) => s.instruction !== first.instruction));
  // Builds of one request: say which build this is, and why they run at the same time.
  const together = group.steps.some((s) => s.stage.origin.index !== first.stage.origin.index);
  const merged = mergedWith(first, model).map((s) => stepPlace(s, model, here).replace(/^line /, ''));
  const common = {
    cache: cacheLabel(mine[0].mount.cache!),
    program,
    because: together ? `, because ${model.set?.why ?? 'they run in one request'}` : '',
    merged: merged.length ? ` (it runs once, merged with the identical step on line ${merged.join(', ')})` : '',
    consequence: consequence(group),
    assumed: assumed(group),
  };
  // One instruction run several times at once: for several platforms, or by several builds of the request (other args).
  const builds = [...new Set(self.map((s) => s.stage.origin.label))];
  const platforms = [...new Set(self.map((s) => s.targetPlatform))];
  const runs = builds.length > 1 ? `for ${builds.join(' and ')}` : `on ${platforms.join(' and ')}`;
  if (!others.length) {
    const by = builds.length === 1 && builds[0] && platforms.length > 1 ? ` (${builds[0]} builds ${platforms.length === 2 ? 'both' : 'all'} platforms)` : '';
    return { messageId: 'withItself', data: { ...common, runs, by } };
  }
  const withOthers = { ...common, build: together ? ` (${first.stage.origin.label})` : '', itself: self.length > 1 ? ` and with itself ${runs}` : '' };
  if (others.length === 1) {
    return { messageId: 'withOne', data: { ...withOthers, otherProgram: usersOf(group, others[0])[0].invocation.program, otherStep: describeStep(others[0], model, here) } };
  }
  const where = others.some((s) => s.stage.origin.index !== first.stage.origin.index)
    ? [...new Set(others.map((s) => (s.stage.origin.index === first.stage.origin.index ? `stage "${s.stage.node.name}"` : s.stage.origin.label)))].join(', ')
    : `stage${new Set(others.map((s) => s.stage.node.name)).size === 1 ? '' : 's'} ${[...new Set(others.map((s) => `"${s.stage.node.name}"`))].join(', ')}`;
  return { messageId: 'withMany', data: { ...withOthers, count: others.length, where } };
}

/**
 * The race messages. Optional parts are data that is empty when they do not
 * apply: build (which build of a request this is), because (why builds run
 * together), itself (the step also runs alongside itself), merged (BuildKit
 * merges the step with an identical one), assumed (what the finding rests on),
 * separate (what separate builds do, with --concurrent-builds).
 */
export const RACE_MESSAGES = {
  withOne: 'Cache race on cache {cache}: {program} here{build} can run at the same time as {otherProgram} in {otherStep}{because}{itself}{merged}; {consequence}.{assumed}{separate}',
  withMany: 'Cache race on cache {cache}: {program} here{build} can run at the same time as {count} other steps ({where}){because}{itself}{merged}; {consequence}.{assumed}{separate}',
  withItself: 'Cache race on cache {cache}: this {program} step runs {runs} at the same time{by}{because}{merged}; {consequence}.{assumed}{separate}',
  notAnalysed:
    'This RUN is not analysed for cache races: it runs under SHELL {shell}, and mountlint reads only POSIX shell scripts (sh, bash, …), not {program}; check by hand that no other step uses its cache at the same time.',
} as const;

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
