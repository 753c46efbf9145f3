/**
 * cache-permission: a non-root USER runs a tool whose cache is a cache mount
 * that user cannot write (BuildKit creates it owned by root, mode 0755,
 * unless uid/gid/mode say otherwise). What happens then depends on the tool,
 * and is data in the knowledge layer (`unwritableCache`): npm, cargo, go, …
 * fail (error); pip, Yarn 1, Composer, conda, RubyGems carry on without the
 * cache (warning: the mount caches nothing). The fix adds the user's uid and
 * gid to the mount when they are known.
 */
import { isRoot, type ToolUse } from '../knowledge/index.js';
import { setMountOption, type TextEdit } from '../edits/index.js';
import { isUnknownPath, type ResolvedMount, type Step } from '../model/index.js';
import { stepContext } from './step-context.js';
import { builtRunSteps, cacheMountAt, reportOnStep, toolUses } from './tool-uses.js';
import type { Fix, Rule, RuleContext } from './types.js';

export const cachePermissionRule: Rule = {
  meta: {
    id: 'cache-permission',
    severity: 'error',
    description: 'A non-root USER uses a cache mount it cannot write: an error where the tool then fails, a warning where it carries on without the cache.',
    rationale:
      'A new cache directory is created with uid 0, gid 0 and mode 0755 unless the mount says otherwise. After `USER app`, a tool that writes its cache there meets "Permission denied". ' +
      'Some tools then fail the build (npm, cargo, go, Maven, Gradle, …): an error. Others warn and go on without the cache (pip: "The cache has been disabled"; Yarn 1 and Composer switch to another directory; conda and RubyGems use the user\'s own): the build works, but the mount caches nothing, so a warning. ' +
      'What each tool does is listed with its evidence in docs/tools.md. Set `uid` and `gid` (or a `mode` that lets the user write) on the mount; the fix does so when the user\'s ids are known (numeric USER, an account the Dockerfile creates with useradd/adduser, or a known image\'s user such as node).',
    fixable: true,
    messages: {
      fails: 'USER {user} cannot write to the cache at {target} ({ownership}), so {program} fails: {note}. Add uid={uid},gid={gid} for that user to the mount.',
      cachesNothing: 'USER {user} cannot write to the cache at {target} ({ownership}), so it caches nothing: {note}. Add uid={uid},gid={gid} for that user to the mount.',
    },
    bad: [
      { title: 'npm as the node user: npm fails with EACCES', dockerfile: 'FROM node:20\nUSER node\nWORKDIR /home/node/app\nRUN --mount=type=cache,target=/home/node/.npm npm ci\n' },
      { title: 'pip as a user created in the file: the cache is disabled', dockerfile: 'FROM python:3.12\nRUN useradd -m -u 1000 app\nUSER 1000\nRUN --mount=type=cache,target=/home/app/.cache/pip pip install requests\n' },
    ],
    good: [{ title: 'The cache belongs to the user', dockerfile: 'FROM python:3.12\nRUN useradd -m -u 1000 app\nUSER 1000\nRUN --mount=type=cache,target=/home/app/.cache/pip,uid=1000,gid=1000 pip install requests\n' }],
    evidence: ['BuildKit reference: uid/gid default 0, mode 0755 [BK-REF]', 'HOME of a non-root user: [RUNC-HOME]', "each tool's behaviour with a cache it cannot write: docs/tools.md"],
  },
  check(context) {
    for (const step of builtRunSteps(context)) {
      if (isRoot(step.user)) continue;
      const ctx = stepContext(context, step);
      const done = new Set<ResolvedMount>();
      for (const use of toolUses(context, step)) {
        if (use.invocation.via.includes('sudo') || use.tool.unwritableCache.behaviour === 'works') continue;
        for (const dir of use.cacheDirs) {
          if (isUnknownPath(dir)) continue;
          const mount = cacheMountAt(step, dir);
          if (!mount || done.has(mount) || writable(mount, ctx.uid, ctx.gid)) continue;
          done.add(mount);
          report(context, step, use, mount);
        }
      }
    }
  },
};

/** Can a user with these ids write the cache directory BuildKit creates for this mount? Unknown ids: only when the mount names an owner. */
function writable(mount: ResolvedMount, uid: number | undefined, gid: number | undefined): boolean {
  const m = mount.mount;
  if (m.source !== '') return false; // uid/gid/mode are ignored with source=
  const mode = m.mode ?? 0o755;
  if (mode & 0o002) return true;
  if (uid === undefined) return m.uid !== undefined || m.gid !== undefined;
  return (uid === (m.uid ?? 0) && (mode & 0o200) !== 0) || (gid === (m.gid ?? 0) && (mode & 0o020) !== 0);
}

function report(context: RuleContext, step: Step, use: ToolUse, mount: ResolvedMount): void {
  const m = mount.mount;
  const { behaviour, note } = use.tool.unwritableCache;
  const ownership = `BuildKit creates it owned by root with mode 0755${m.source ? ' (uid/gid/mode are ignored with source=)' : m.uid !== undefined || m.gid !== undefined || m.mode !== undefined ? ` (as uid=${m.uid ?? 0},gid=${m.gid ?? 0},mode=${(m.mode ?? 0o755).toString(8)}, still not writable for this user)` : ''}`;
  const ids = stepContext(context, step);
  const data = { user: step.user, target: mount.target, ownership, note, uid: ids.uid ?? '…', gid: ids.gid ?? '…' };
  reportOnStep(
    context,
    step,
    {
      severity: behaviour === 'fails' ? 'error' : 'warning',
      ...(behaviour === 'fails' ? { messageId: 'fails', data: { ...data, program: use.invocation.program } } : { messageId: 'cachesNothing', data }),
      range: m.spec.word.range,
      related: [{ range: use.invocation.range, message: `${use.invocation.program} writes its cache there as USER ${step.user}` }],
    },
    (s) => ownerFix(context, s, mount.target),
  );
}

/** uid= and gid= for the step's user, on the mount at `target`: when both are known and no other mount of that cache has another owner (that would split it). */
function ownerFix(context: RuleContext, step: Step, target: string): Fix | undefined {
  const { uid, gid } = stepContext(context, step);
  const mount = step.mounts.find((m) => m.target === target && m.cache);
  if (uid === undefined || gid === undefined || !mount || mount.mount.source !== '') return undefined;
  const others = (context.model?.steps ?? []).flatMap((s) => (s.vertex === step.vertex ? [] : s.mounts.filter((m) => m.cache && m.cache.id === mount.cache!.id && m.mount.spec !== mount.mount.spec)));
  if (others.some((m) => m.mount.uid !== uid || m.mount.gid !== gid)) return undefined;
  // Every mount of that cache in this RUN (two on one target): one left without the owner would split the cache.
  const own = step.mounts.filter((m) => m.cache && m.cache.id === mount.cache!.id);
  if (own.some((m) => m.mount.source !== '')) return undefined;
  const edits = own.flatMap((m) => ownerEdits(m.mount.spec, uid, gid));
  return edits.length ? { description: `add uid=${uid},gid=${gid} to the mount${own.length > 1 ? 's' : ''}`, applicability: 'safe', edits, caches: { [mount.cache!.name]: `uid=${uid},gid=${gid}` } } : undefined;
}

function ownerEdits(spec: ResolvedMount['mount']['spec'], uid: number, gid: number): TextEdit[] {
  const uidEdit = setMountOption(spec, 'uid', String(uid));
  const gidEdit = setMountOption(spec, 'gid', String(gid));
  // Both appended at the end of the mount: one insertion.
  if (uidEdit && gidEdit && uidEdit.range.start === gidEdit.range.start && uidEdit.range.end === uidEdit.range.start) return [{ range: uidEdit.range, text: uidEdit.text + gidEdit.text }];
  return [uidEdit, gidEdit].filter((e): e is TextEdit => e !== undefined);
}
