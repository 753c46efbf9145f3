/**
 * cache-deadlock: two steps that can run at the same time take the same
 * `locked` caches in different orders. BuildKit acquires a step's mounts one
 * by one in target-path order and keeps the first while it waits for the
 * next: each can hold one and wait forever for the other (observed: the
 * build hangs on Docker 20.10 and 26.1).
 */
import { cacheLabel, type BuildModel, type ResolvedMount, type Step } from '../model/index.js';
import type { SourceFile } from '../syntax/index.js';
import { isIn, modelOf, relatedAt, setBuiltRunSteps, setSteps, sourceOf, stepPlace, togetherNote } from './build-set.js';
import type { Rule } from './types.js';

export const cacheDeadlockRule: Rule = {
  meta: {
    id: 'cache-deadlock',
    severity: 'error',
    description: 'Two steps that may run at the same time take the same locked caches in different orders.',
    rationale:
      'BuildKit takes a step\'s mounts in the order of their target paths and holds each one while it waits for the next. Two steps that lock caches A and B in opposite orders can each take one and wait for the other forever: the build hangs with no error.',
    fixable: false,
    messages: {
      deadlock:
        'Possible deadlock: this step and {other} may run at the same time{together} and both take locked caches {caches}, in different orders (BuildKit takes a step\'s mounts in target-path order and holds each while waiting for the next). Each can hold one and wait forever. Mount these caches at targets in the same order in both steps.',
    },
    bad: [
      {
        title: 'Swapped targets for two locked caches',
        dockerfile: 'FROM debian:bookworm AS a\nRUN --mount=type=cache,id=A,target=/a,sharing=locked --mount=type=cache,id=B,target=/b,sharing=locked echo a\nFROM debian:bookworm AS b\nRUN --mount=type=cache,id=B,target=/a,sharing=locked --mount=type=cache,id=A,target=/b,sharing=locked echo b\nFROM scratch\nCOPY --from=a /x /a\nCOPY --from=b /x /b\n',
      },
    ],
    good: [
      {
        title: 'The same target order everywhere',
        dockerfile: 'FROM debian:bookworm AS a\nRUN --mount=type=cache,id=A,target=/a,sharing=locked --mount=type=cache,id=B,target=/b,sharing=locked echo a\nFROM debian:bookworm AS b\nRUN --mount=type=cache,id=A,target=/a,sharing=locked --mount=type=cache,id=B,target=/b,sharing=locked echo b\nFROM scratch\nCOPY --from=a /x /a\nCOPY --from=b /x /b\n',
      },
    ],
    evidence: ['a step takes its mounts in target-path order [BK-EXEC]; a locked cache waits while another step holds it [BK-MOUNT]', 'seen on Docker 20.10 and 26.1: the build hangs, no progress for 60 s, every time [PROOF]'],
  },
  check(context) {
    const model = context.model;
    if (!model) return;
    const here = context.parsed.source;
    // Every build of a bake or compose request: two Dockerfiles can deadlock each other.
    const steps = setBuiltRunSteps(model).filter((s) => s.mounts.filter((m) => m.sharing === 'locked' && m.cache).length >= 2);
    const orders = steps.map(lockOrder);
    const labels = new Map(steps.flatMap((s) => s.mounts.flatMap((m) => (m.cache ? [[m.cache.key, cacheLabel(m.cache)] as const] : []))));
    const signatures = orders.map((o) => o.join('\0'));
    const platformsOf = new Map<unknown, Step[]>();
    for (const s of setSteps(model)) platformsOf.set(s.instruction, [...(platformsOf.get(s.instruction) ?? []), s]);
    const overlaps = (a: Step, b: Step) => platformsOf.get(a.instruction)!.some((x) => platformsOf.get(b.instruction)!.some((y) => model.graph.mayOverlap(x, y)));
    const reported = new Set<string>();
    for (let i = 0; i < steps.length; i++) {
      for (let j = i + 1; j < steps.length; j++) {
        // Reported in the file being linted: at the later step, or at the one that is in this file.
        const [a, b] = isIn(steps[j], here) ? [steps[i], steps[j]] : [steps[j], steps[i]];
        if (!isIn(b, here)) continue;
        // Cheap first: do they take two common locked caches in different orders? Only then ask the graph.
        if (signatures[i] === signatures[j]) continue; // the same locks in the same order cannot deadlock
        const [oa, ob] = [orders[i], orders[j]];
        const common = oa.filter((k) => ob.includes(k));
        if (common.length < 2) continue;
        const inB = common.map((k) => ob.indexOf(k));
        if (inB.every((x, k) => k === 0 || inB[k - 1] < x)) continue;
        if (!overlaps(a, b)) continue;
        const id = `${sourceOf(a).path}:${a.instruction.node.range.start}:${b.instruction.node.range.start}`;
        if (reported.has(id)) continue;
        reported.add(id);
        context.report({
          messageId: 'deadlock',
          data: { other: describeOther(a, b, model, here), together: togetherNote(a, b, model), caches: common.map((k) => labels.get(k)).join(', ') },
          range: firstLocked(b).mount.spec.word.range,
          related: [relatedAt(a, here, firstLocked(a).mount.spec.word.range, 'the other step')],
        });
      }
    }
  },
};

function firstLocked(step: Step): ResolvedMount {
  return step.mounts.find((m) => m.sharing === 'locked' && m.cache)!;
}

/** Locked cache keys in the order BuildKit acquires them: mounts sorted by target path. */
function lockOrder(step: Step): string[] {
  return [...step.mounts]
    .filter((m: ResolvedMount) => m.sharing === 'locked' && m.cache)
    .sort((x, y) => (x.target < y.target ? -1 : x.target > y.target ? 1 : 0))
    .map((m) => m.cache!.key);
}

/** "line 4", or a step of another build: "line 4 of worker/Dockerfile (bake target "worker")". */
function describeOther(other: Step, self: Step, model: BuildModel, here: SourceFile): string {
  return stepPlace(other, modelOf(self, model), here);
}
