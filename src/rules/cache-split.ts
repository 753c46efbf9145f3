/**
 * cache-split: mounts meant to share one cache silently get different
 * directories (one id with different uid/gid/mode/from), or one cache is used
 * with mixed sharing modes, which fragments it.
 */
import { cacheLabel, type Step, type ResolvedMount } from '../model/index.js';
import { isIn, modelOf, relatedAt, setBuiltRunSteps, stepPlace, togetherNote } from './build-set.js';
import type { Rule } from './types.js';

export const cacheSplitRule: Rule = {
  meta: {
    id: 'cache-split',
    severity: 'warning',
    description: 'One cache id is split into several caches (different uid/gid/mode/from), or used with mixed sharing modes.',
    rationale:
      'BuildKit keys a cache by its id and, when `uid`, `gid`, `mode` (without `source`) or `from` are given, by the snapshot they create: the same id with a different tuple is a different, separate cache. ' +
      'And a `shared` user that arrives while a `locked` or `private` user holds the cache silently gets another, empty directory: the cache fragments and builds that should be warm are cold.',
    fixable: false,
    messages: {
      split: 'Cache id {cache} is split: this mount\'s {mine} differs from {other}\'s {theirs}, so BuildKit keeps two separate caches. Give them the same uid/gid/mode/from, or different ids on purpose.',
      mixedSharing: 'Cache {cache} is used with sharing={theirs} ({other}) and sharing={mine} here: while one holds it, the other gets another, empty directory, so the cache fragments. Use one sharing mode for every mount of a cache.',
    },
    bad: [
      { title: 'Same id, different owners: two caches', dockerfile: 'FROM node:20 AS a\nRUN --mount=type=cache,id=npm,target=/root/.npm npm ci\nFROM node:20\nUSER node\nRUN --mount=type=cache,id=npm,target=/home/node/.npm,uid=1000,gid=1000 npm ci\nCOPY --from=a /x /x\n' },
      { title: 'One cache, locked in one place and shared in another', dockerfile: 'FROM debian:bookworm\nRUN --mount=type=cache,target=/var/cache/apt,sharing=locked apt-get install -y a\nRUN --mount=type=cache,target=/var/cache/apt apt-get install -y b\n' },
    ],
    good: [{ title: 'One id, one owner, one sharing mode', dockerfile: 'FROM debian:bookworm\nRUN --mount=type=cache,target=/var/cache/apt,sharing=locked apt-get install -y a\nRUN --mount=type=cache,target=/var/cache/apt,sharing=locked apt-get install -y b\n' }],
    evidence: ['cache ids and the uid/gid/mode/from base in the key [BK-CONVERT] [BK-MOUNT]', 'a shared user beside a locked one gets another directory [BK-MOUNT]; mixed modes are an open question upstream [BK-2459]', 'seen on Docker 20.10 and 26.1: uid=0,gid=0 on one mount only makes two caches [PROOF]'],
  },
  check(context) {
    const model = context.model;
    if (!model) return;
    const here = context.parsed.source;
    // One cache id across every build of a bake or compose request: each file reports its own mounts.
    const byId = new Map<string, Array<{ step: Step; mount: ResolvedMount }>>();
    for (const step of setBuiltRunSteps(model)) {
      for (const mount of step.mounts) {
        if (!mount.cache) continue;
        const key = `${step.platform}\0${mount.cache.id}`;
        byId.set(key, [...(byId.get(key) ?? []), { step, mount }]);
      }
    }
    const at = (u: { step: Step }, self: Step) => `${stepPlace(u.step, modelOf(self, model), here)}${togetherNote(u.step, self, model)}`;
    for (const users of byId.values()) {
      const first = users[0];
      const split = users.find((u) => u.mount.cache!.key !== first.mount.cache!.key && isIn(u.step, here));
      if (split) {
        context.report({
          messageId: 'split',
          data: { cache: cacheLabel(first.mount.cache!), mine: describeBase(split.mount), other: at(first, split.step), theirs: describeBase(first.mount) },
          range: split.mount.mount.spec.word.range,
          related: [relatedAt(first.step, here, first.mount.mount.spec.word.range, 'the other mount of this id')],
        });
      }
      const sameKey = users.filter((u) => u.mount.cache!.key === first.mount.cache!.key);
      const mixed = sameKey.find((u) => u.mount.sharing !== first.mount.sharing && isIn(u.step, here));
      if (mixed) {
        context.report({
          messageId: 'mixedSharing',
          data: { cache: cacheLabel(first.mount.cache!), theirs: first.mount.sharing, other: at(first, mixed.step), mine: mixed.mount.sharing },
          range: mixed.mount.mount.spec.word.range,
          related: [relatedAt(first.step, here, first.mount.mount.spec.word.range, `sharing=${first.mount.sharing} here`)],
        });
      }
    }
  },
};

function describeBase(m: ResolvedMount): string {
  const x = m.mount;
  const parts = [];
  if (x.uid !== undefined) parts.push(`uid=${x.uid}`);
  if (x.gid !== undefined) parts.push(`gid=${x.gid}`);
  if (x.mode !== undefined) parts.push(`mode=${x.mode.toString(8)}`);
  if (x.from) parts.push(`from=${x.from}`);
  return parts.length ? `(${parts.join(',')})` : '(no uid/gid/mode/from)';
}
