/** cache-wiped: the RUN empties the cache it mounts, so every build starts cold. */
import { relativeInside } from '../model/index.js';
import { builtRunSteps, mountedCacheOf, reportOnStep, toolUses } from './tool-uses.js';
import type { Rule } from './types.js';

export const cacheWipedRule: Rule = {
  meta: {
    id: 'cache-wiped',
    severity: 'warning',
    description: 'A RUN cleans the cache directory it mounts as a cache.',
    rationale:
      'Files in a cache mount never reach the image, so "cleaning up" there saves no image space; it only throws the cache away, and the next build downloads everything again. ' +
      'Cleanups such as `apt-get clean`, `rm -rf /var/lib/apt/lists/*`, `dnf clean all`, `npm cache clean --force`, `pip cache purge` or `go clean -modcache` belong only in RUNs without the cache mount.',
    fixable: false,
    messages: {
      toolWipes: '`{command}` empties the cache mounted at {target}: the next build starts cold, and the image is no smaller (cache mounts are not in it).',
      rmWipes: '`{command}` deletes the cache mounted at {target}: the next build starts cold, and the image is no smaller (cache mounts are not in it).',
    },
    bad: [{ title: 'apt lists mounted as a cache, then deleted', dockerfile: 'FROM debian:bookworm\nRUN --mount=type=cache,target=/var/lib/apt/lists,sharing=locked \\\n    apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n' }],
    good: [{ title: 'Keep the cache; nothing to clean', dockerfile: 'FROM debian:bookworm\nRUN --mount=type=cache,target=/var/lib/apt/lists,sharing=locked \\\n    apt-get update && apt-get install -y curl\n' }],
    evidence: ['BuildKit reference: cache mount contents are not part of the image [BK-REF]', "each tool's cleanup commands: docs/tools.md"],
    hadolint: [
      { rule: 'DL3009', note: '"Delete the apt-get lists after installing something". hadolint exempts RUNs whose mount targets contain /var/lib/apt/lists (or both /var/lib/apt and /var/cache/apt); with the lists mounted, deleting them only wipes the cache, which this rule reports. Keep DL3009 for RUNs without the mount.' },
      { rule: 'DL3040', note: '"dnf clean all missing". hadolint exempts only dnf5\'s /var/cache/libdnf5, so a dnf4 /var/cache/dnf cache mount still fires: there, cleaning would wipe the cache (this rule). Turn DL3040 off for RUNs that mount /var/cache/dnf.' },
      { rule: 'DL3032', note: '"yum clean all missing" has no exemption for cache mounts: with /var/cache/yum mounted, cleaning would wipe the cache (this rule). Turn DL3032 off for RUNs that mount it.' },
      { rule: 'DL3036', note: '"zypper clean missing" is exempt for /var/cache/zypp mounts; with the cache mounted, cleaning it is what this rule reports.' },
      { rule: 'DL3060', note: '"yarn cache clean missing" is exempt when a mount target contains .cache/yarn; a custom YARN_CACHE_FOLDER mount still fires, and cleaning there wipes the cache (this rule).' },
    ],
  },
  check(context) {
    for (const step of builtRunSteps(context)) {
      if (!step.mounts.some((m) => m.cache)) continue;
      for (const use of toolUses(context, step)) {
        if (!use.wipes) continue;
        const mount = mountedCacheOf(step, use);
        if (mount) reportOnStep(context, step, { messageId: 'toolWipes', data: { command: [use.invocation.program, ...use.invocation.args].join(' '), target: mount.target }, range: use.invocation.range });
      }
      for (const inv of context.invocations(step)) {
        if (inv.program !== 'rm') continue;
        for (const arg of inv.args) {
          if (arg.startsWith('-') || !arg.startsWith('/')) continue;
          const path = arg.replace(/\/\*$/, '').replace(/\/+$/, '') || '/';
          const mount = step.mounts.find((m) => m.cache && (relativeInside(m.target, path) !== undefined || relativeInside(path, m.target) !== undefined));
          if (mount) {
            reportOnStep(context, step, { messageId: 'rmWipes', data: { command: `rm ${inv.args.join(' ')}`, target: mount.target }, range: inv.range });
            break;
          }
        }
      }
    }
  },
};
