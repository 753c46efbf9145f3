/**
 * cache-race: two operations BuildKit may run at the same time share one
 * cache directory, and both run a tool that fails when another holds its
 * lock there (apt, apt-get, aptitude).
 */
import { APT_SYMPTOMS } from '../../knowledge/index.js';
import type { Rule } from '../types.js';
import { describeStep, whyOverlap } from './explain-overlap.js';
import { findRaces, type LockHolder } from './find-races.js';
import { raceFixes } from './fixes.js';

export const cacheRaceRule: Rule = {
  meta: {
    id: 'cache-race',
    severity: 'error',
    description: 'Two steps that BuildKit may run at the same time lock the same shared cache directory.',
    rationale:
      'BuildKit runs independent stages (and each platform of a multi-platform build) in parallel. A cache mount with the default ' +
      '`sharing=shared` gives every concurrent user the same directory. apt locks `archives/lock` and `lists/lock` inside that directory ' +
      'without waiting, so when two steps overlap one fails with "Could not get lock … It is held by process 0" — only sometimes, only on ' +
      'a cold cache, only when the stages overlap. mountlint models which steps BuildKit actually builds for the target, which can overlap, ' +
      'and which cache directory each mount gets, and reports only pairs that can really collide.',
    fixable: true,
    strategies: ['locked', 'private', 'id'],
    bad: [
      {
        title: 'Two stages the target needs both install with apt into one shared cache',
        dockerfile: [
          'FROM debian:bookworm AS builder',
          'RUN --mount=type=cache,target=/var/cache/apt apt-get update && apt-get install -y build-essential',
          '',
          'FROM debian:bookworm AS production',
          'RUN --mount=type=cache,target=/var/cache/apt apt-get update && apt-get install -y vim',
          'RUN --mount=type=bind,from=builder,source=/etc/hostname,target=/tmp/x true',
          '',
        ].join('\n'),
      },
    ],
    good: [
      {
        title: 'Fixed with sharing=locked on every mount of the cache',
        dockerfile: [
          'FROM debian:bookworm AS builder',
          'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked apt-get update && apt-get install -y build-essential',
          '',
          'FROM debian:bookworm AS production',
          'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked apt-get update && apt-get install -y vim',
          'RUN --mount=type=bind,from=builder,source=/etc/hostname,target=/tmp/x true',
          '',
        ].join('\n'),
      },
    ],
    evidence: [
      '../shared/seed/apt-lock-contention.txt',
      '../shared/spec/buildkit-semantics.md §2.3 (sharing modes), §3.2–3.4 (scheduling)',
      '../shared/spec/package-managers.md (apt: fcntl lock inside the cache, fails fast)',
      '../shared/spec/observed-buildkit.md (seed reproduced 3/3 on Docker 20.10 and 26.1; fixes verified)',
    ],
  },
  check(context) {
    const model = context.model;
    if (!model) return;
    const source = context.parsed.source;
    const line = (offset: number) => source.positionAt(offset).line;
    const races = findRaces(context, model);
    const reported = new Set<string>();
    for (const race of races) {
      const a = race.a[0];
      const b = race.b[0];
      // One diagnostic per pair of instructions and mounts, whatever the platforms.
      const id = [a.step.instruction.node.range.start, b.step.instruction.node.range.start, a.mount.mount.spec.word.range.start, b.mount.mount.spec.word.range.start].sort().join(':');
      if (reported.has(id)) continue;
      reported.add(id);

      const [earlier, later] = a.step.instruction.node.range.start <= b.step.instruction.node.range.start ? [race.a, race.b] : [race.b, race.a];
      const here = later[0];
      const there = earlier[0];
      const cache = here.mount.cache!;
      const locks = later.map((h) => h.lock).filter((l) => earlier.some((e) => e.lock.kind === l.kind));
      const symptoms = locks.flatMap((l) => {
        const s = APT_SYMPTOMS[l.kind](l.dir);
        return l.kind === 'lists' ? [`"${s[0]}"`, `"${s[1]}"`] : [`"${s[0]}"`];
      });
      const same = here.step.instruction === there.step.instruction;
      const message =
        `Cache race on cache "${cache.key}" (target ${here.mount.target}, sharing=shared): ` +
        (same
          ? `this ${here.lock.tool} step runs concurrently with itself on ${model.options.platforms.filter((p) => p === here.step.platform || p === there.step.platform).join(' and ')}`
          : `${here.lock.tool} in ${describeStep(here.step, model, line)} and ${there.lock.tool} in ${describeStep(there.step, model, line)} can run at the same time`) +
        ` and both lock ${locks.map((l) => l.lockFile).join(' and ')} in the same directory; one fails with ${symptoms.join(' or ')}. ` +
        `They overlap because ${whyOverlap(here.step, there.step, model, line)}.`;

      const fixes = raceFixes(model, race, races, source.eol);
      const chosen = fixes[context.fixStrategy ?? 'locked'];
      context.report({
        message,
        range: here.mount.mount.spec.word.range,
        related: [
          ...(same ? [] : [{ range: there.mount.mount.spec.word.range, message: `the other mount of cache "${cache.key}" (${describeStep(there.step, model, line)})` }]),
          ...[...later, ...(same ? [] : earlier)].map((h: LockHolder) => ({
            range: h.lock.invocation.range,
            message: `${h.lock.tool} takes ${h.lock.lockFile} here`,
          })),
        ],
        fix: chosen.edits.length ? chosen : undefined,
        suggestions: Object.values(fixes).filter((f) => f.edits.length),
      });
    }
  },
};
