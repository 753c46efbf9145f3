/**
 * cache-permission: a non-root USER runs a tool that writes into a cache
 * mount created root-owned (no uid/gid, default mode 0755): Permission
 * denied at build time. The fix adds uid/gid when USER gives numbers.
 */
import { isRoot } from '../knowledge/index.js';
import { setMountOption } from '../edits/index.js';
import { builtRunSteps, cacheMountAt, toolUses } from './tool-uses.js';
import type { Rule } from './types.js';

export const cachePermissionRule: Rule = {
  meta: {
    id: 'cache-permission',
    severity: 'error',
    description: 'A non-root USER writes into a cache mount that BuildKit creates owned by root.',
    rationale:
      'A new cache directory is created with uid 0, gid 0 and mode 0755 unless the mount says otherwise. After `USER app`, a tool writing its cache there fails with "Permission denied". Set `uid` and `gid` (or a `mode` that lets the user write) on the mount.',
    fixable: true,
    bad: [{ title: 'pip as a non-root user', dockerfile: 'FROM python:3.12\nUSER 1000:1000\nRUN --mount=type=cache,target=/.cache/pip pip install --cache-dir /.cache/pip requests\n' }],
    good: [{ title: 'The cache belongs to the user', dockerfile: 'FROM python:3.12\nUSER 1000:1000\nRUN --mount=type=cache,target=/.cache/pip,uid=1000,gid=1000 pip install --cache-dir /.cache/pip requests\n' }],
    evidence: ['../shared/spec/buildkit-semantics.md §2.5', '../shared/spec/observed-buildkit.md (after USER 1000, touch in the cache fails with Permission denied)', 'BuildKit reference: uid/gid default 0, mode 0755'],
  },
  check(context) {
    for (const step of builtRunSteps(context)) {
      if (isRoot(step.user)) continue;
      const done = new Set<unknown>();
      for (const use of toolUses(context, step)) {
        for (const dir of use.cacheDirs) {
          const mount = cacheMountAt(step, dir);
          if (!mount || done.has(mount)) continue;
          const m = mount.mount;
          const ownedByUser = m.source === '' && (m.uid !== undefined || m.gid !== undefined);
          const worldWritable = m.source === '' && m.mode !== undefined && (m.mode & 0o002) !== 0;
          if (ownedByUser || worldWritable) continue;
          done.add(mount);
          const [uid, gid] = step.user.split(':');
          const numeric = /^\d+$/.test(uid) && (gid === undefined || /^\d+$/.test(gid));
          const uidEdit = numeric && m.source === '' ? setMountOption(m.spec, 'uid', uid) : undefined;
          const gidEdit = numeric && m.source === '' ? setMountOption(m.spec, 'gid', gid ?? uid) : undefined;
          // Both appended at the end of the mount: one insertion.
          const edits = uidEdit && gidEdit && uidEdit.range.start === gidEdit.range.start && uidEdit.range.end === uidEdit.range.start
            ? [{ range: uidEdit.range, text: uidEdit.text + gidEdit.text }]
            : [uidEdit, gidEdit].filter((e) => e !== undefined);
          context.report({
            message: `USER ${step.user} cannot write to the cache at ${mount.target}: BuildKit creates it owned by root with mode 0755${m.source ? ' (uid/gid/mode are ignored with source=)' : ''}, so ${use.invocation.program} fails with "Permission denied". Add uid= and gid= for that user to the mount.`,
            range: m.spec.word.range,
            fix: edits.length ? { description: `add uid=${uid},gid=${gid ?? uid} to the mount`, applicability: 'safe', edits } : undefined,
          });
        }
      }
    }
  },
};
