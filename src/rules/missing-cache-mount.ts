/**
 * missing-cache-mount (info): a package install with no cache mount. Adding
 * the tool's cache mounts is what makes rebuilds fast; the fix adds them, in
 * a form that creates no other finding: a sharing mode that cannot race
 * (`locked` unless the tool shares safely), the same sharing and owner as
 * other mounts of that cache, uid/gid for a non-root USER, the tool's
 * remedies where it would throw its downloads away (docker-clean, `apt`'s
 * Keep-Downloaded-Packages, dnf's keepcache), and without the RUN's own
 * cleanup of that cache. Where that is not possible, no fix is offered.
 */
import { isRoot, type ToolUse } from '../knowledge/index.js';
import { isUnknownPath, relativeInside, type Step } from '../model/index.js';
import type { TextEdit } from '../edits/index.js';
import { insertRunFix } from './cache-ineffective.js';
import { cleanups, removeCommands } from './cleanups.js';
import { stepContext } from './step-context.js';
import { applicableDiscards, builtRunSteps, cacheMountAt, reportOnStep, toolOfPath, toolUses } from './tool-uses.js';
import type { Fix, Rule, RuleContext } from './types.js';

export const missingCacheMountRule: Rule = {
  meta: {
    id: 'missing-cache-mount',
    severity: 'info',
    description: 'A package install with no cache mount for the tool.',
    rationale:
      "A cache mount keeps downloads between builds, so a rebuild after a small change does not download every package again. The fix adds the tool's cache mounts with `sharing=locked` for tools that cannot share a cache (apt, yum, yarn 1, …) and the default `shared` for those that can (go, npm, uv, …), with uid/gid under a non-root USER. " +
      'Where the tool would throw its downloads away, the fix also adds the remedy: for apt on Debian and Ubuntu images it removes docker-clean, for `apt` it sets Keep-Downloaded-Packages, for dnf it passes --setopt=keepcache=1; and it drops cleanups of that cache from the RUN (`apt-get clean`, `rm -rf /var/lib/apt/lists/*`), which would otherwise wipe it. ' +
      "apt's lists are suggested only where the RUN runs `apt-get update` before installing: an install without one reads the lists an earlier RUN left in the image, which an empty cache mount would hide (the install would fail). " +
      'It is not reported for stages the target does not build, for RUNs that only remove packages, where the cache is switched off on purpose, or where the download cache cannot be known (Bundler with a path keeps it under PATH/ruby/<Ruby version>; a cache mount over that path already holds it).',
    fixable: true,
    messages: {
      // changes: ", and give …, drop …" when the cache needs more than the mounts; unfilled: a sentence per mount target left out.
      noCacheMount: '{tools} downloads packages here with no cache mount: every rebuild downloads them again. Add {mounts}{changes}.{unfilled}',
    },
    bad: [{ title: 'apt without a cache', dockerfile: 'FROM debian:bookworm\nRUN apt-get update && apt-get install -y curl\n' }],
    good: [{ title: 'With the caches, locked for apt', dockerfile: 'FROM debian:bookworm\nRUN rm -f /etc/apt/apt.conf.d/docker-clean\nRUN --mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt/lists,sharing=locked apt-get update && apt-get install -y curl\n' }],
    evidence: ["each tool's cache directories and sharing: docs/tools.md", 'Docker docs, "Use cache mounts" [DOCS-OPT]'],
    hadolint: [{ rule: 'DL3060 / DL3068 / DL3069 / DL3070 / DL3071 / DL3073 / DL3032', note: "hadolint's cache-mount rules check only that some mount path is present, and suggest paths that are wrong for official images (cargo, composer, yarn as root). This rule uses each tool's real cache for the step's user and image, and the sharing that suits the tool." }],
  },
  check(context) {
    for (const step of builtRunSteps(context)) {
      const wanted = wantedMounts(context, step);
      if (!wanted.length) continue;
      const tools = [...new Set(wanted.map((w) => w.use.invocation.program))].join(', ');
      const plan = mountPlan(context, step, wanted);
      const flags = plan.flags;
      const changes = plan.notes.length ? `, and ${plan.notes.join(', ')}` : '';
      const left = unfilled(context, step).map(({ use, target, by }) => ` Not ${target}: this RUN does not run \`${use.invocation.program} ${by.join('/')}\` first, so it reads the ${target} of the image, which a cache mount would hide.`);
      reportOnStep(
        context,
        step,
        { messageId: 'noCacheMount', data: { tools, mounts: flags.join(' '), changes, unfilled: [...new Set(left)].join('') }, range: wanted[0].use.invocation.range },
        (s) => fixFor(context, s),
      );
    }
  },
};

interface Wanted {
  use: ToolUse;
  target: string;
}

function wantedMounts(context: RuleContext, step: Step): Wanted[] {
  const wanted: Wanted[] = [];
  for (const use of toolUses(context, step)) {
    const installs = use.tool.installCommands;
    if (!installs || use.disabledBy || !use.cacheDirs.length || !installs.includes(use.subcommand ?? '')) continue;
    // Where the cache is cannot be known (HOME or a variable from an unknown image): nothing to suggest.
    if (use.cacheDirs.some(isUnknownPath)) continue;
    if (use.cacheDirs.some((d) => cacheMountAt(step, d) || step.mounts.some((m) => m.target === d))) continue;
    // A cache mount meant for this tool at the wrong path is cache-ineffective's finding, with the right path.
    if (step.mounts.some((m) => m.cache && toolOfPath(m.target) === use.tool.id)) continue;
    for (const target of use.tool.mountTargets ?? use.cacheDirs) {
      if (!wanted.some((w) => w.target === target) && filledHere(context, step, use, target)) wanted.push({ use, target });
    }
  }
  return wanted;
}

/**
 * Is the directory filled by this RUN before the tool reads it? apt's lists
 * are filled by `apt-get update`: an install without one reads the lists an
 * earlier RUN left in the image, and an empty cache mount there would make
 * it fail ("Unable to locate package").
 */
function filledHere(context: RuleContext, step: Step, use: ToolUse, target: string): boolean {
  const by = use.tool.filledBy?.[target];
  if (!by) return true;
  return toolUses(context, step).some((u) => u.tool.id === use.tool.id && by.includes(u.subcommand ?? '') && u.invocation.range.start <= use.invocation.range.start);
}

/** The tool's mount targets left out of the suggestion because the RUN does not fill them (see filledHere). */
function unfilled(context: RuleContext, step: Step): Array<{ use: ToolUse; target: string; by: string[] }> {
  return wantedMounts(context, step).flatMap(({ use }) =>
    (use.tool.mountTargets ?? use.cacheDirs).filter((t) => !filledHere(context, step, use, t)).map((target) => ({ use, target, by: use.tool.filledBy?.[target] ?? [] })),
  );
}

interface Plan {
  /** The `--mount` flags to add. */
  flags: string[];
  /** Can the fix make them without another finding? */
  possible: boolean;
  edits: TextEdit[];
  notes: string[];
}

/** The mounts, remedies and cleanup removals that make the cache work with no other finding. */
function mountPlan(context: RuleContext, step: Step, wanted: Wanted[]): Plan {
  const plan: Plan = { flags: [], possible: false, edits: [], notes: [] };
  const ctx = stepContext(context, step);
  const owner = isRoot(step.user) ? '' : ctx.uid !== undefined && ctx.gid !== undefined ? `,uid=${ctx.uid},gid=${ctx.gid}` : undefined;
  const flags: string[] = [];
  let possible = owner !== undefined;
  if (owner === undefined) plan.notes.push(`give the mounts uid= and gid= of USER ${step.user} (not known here)`);
  for (const { use, target } of wanted) {
    const sharing = sharingFor(context, step, use, target, owner ?? '');
    if (sharing === undefined) possible = false;
    const shown = sharing ?? ownSharing(context, step, use);
    flags.push(`--mount=type=cache,target=${target}${shown !== 'shared' ? `,sharing=${shown}` : ''}${owner ?? ''}`);
    if (sharing === undefined) plan.notes.push(`give the other mounts of ${target} sharing=${shown} too (no fix: that changes other steps)`);
  }
  const targets = wanted.map((w) => w.target);
  const cached = (path: string) => targets.some((t) => relativeInside(t, path) !== undefined);
  const runs = new Set<string>();
  for (const { use } of wanted) {
    for (const d of applicableDiscards(use, step, cached)) {
      if (d.remedyRun) {
        runs.add(d.remedyRun);
        plan.notes.push(`add \`RUN ${d.remedyRun}\` before it`);
      } else if (d.remedyOption) {
        const at = use.invocation.nameRange.end;
        plan.edits.push({ range: { start: at, end: at }, text: ` ${d.remedyOption}` });
        plan.notes.push(`pass ${d.remedyOption}`);
      } else {
        possible = false;
      }
    }
  }
  // The RUNs to insert before the step, as one insertion (two at one point would be one edit too many).
  if (runs.size) {
    const at = step.instruction.node.range.start;
    plan.edits.push({ range: { start: at, end: at }, text: [...runs].map((r) => insertRunFix(context, step, r).edits[0].text).join('') });
  }
  // An `rm` of the cache's folder or of one above it (`rm -rf /var/lib`) empties it too.
  const emptied = (path: string) => cached(path) || targets.some((t) => relativeInside(path, t) !== undefined);
  const wipes = cleanups(context, step, emptied);
  if (wipes.length) {
    const edits = removeCommands(context, step, wipes, cached);
    if (edits) plan.edits.push(...edits);
    else possible = false;
    for (const inv of wipes) plan.notes.push(`drop \`${[inv.program, ...inv.args].join(' ')}\` (it would empty the cache)`);
  }
  plan.flags = flags;
  plan.possible = possible;
  plan.notes = [...new Set(plan.notes)];
  return plan;
}

function fixFor(context: RuleContext, step: Step): Fix | undefined {
  const run = step.instruction;
  const wanted = wantedMounts(context, step);
  const plan = mountPlan(context, step, wanted);
  if (run.kind !== 'run' || !plan.possible) return undefined;
  let at = run.node.rest.sourceOffset(0);
  // After `--`, which ends the flags (`RUN --mount=… -- cmd`), a flag is a word of the command: go before it.
  const end = /(?<=\s)--\s*$/.exec(context.parsed.source.text.slice(run.node.range.start, at));
  if (end) at = run.node.range.start + end.index;
  return {
    description: `add ${plan.flags.length} cache mount${plan.flags.length === 1 ? '' : 's'}${plan.notes.length ? ` and ${plan.notes.length} change${plan.notes.length === 1 ? '' : 's'} that keep${plan.notes.length === 1 ? 's' : ''} the cache working` : ''}`,
    applicability: 'unsafe',
    edits: [{ range: { start: at, end: at }, text: plan.flags.join(' ') + ' ' }, ...plan.edits],
    caches: Object.fromEntries(wanted.map((w, i) => [w.target, plan.flags[i]])),
  };
}

/**
 * `locked` unless the tool shares a cache safely. Other mounts of the same
 * cache decide it: their sharing, if it is one mode (a mix fragments the
 * cache), and their uid/gid/mode (a difference splits it). Undefined when no
 * choice avoids a finding (they share a cache the tool cannot share).
 */
function sharingFor(context: RuleContext, step: Step, use: ToolUse, target: string, owner: string): 'shared' | 'locked' | 'private' | undefined {
  const own = ownSharing(context, step, use);
  const others = (context.model?.steps ?? []).flatMap((s) => s.mounts.filter((m) => m.cache && m.mount.id === '' && m.target === target));
  if (!others.length) return own;
  const ownerOf = (m: (typeof others)[number]) => (m.mount.uid !== undefined || m.mount.gid !== undefined ? `,uid=${m.mount.uid ?? 0},gid=${m.mount.gid ?? 0}` : '') + (m.mount.mode !== undefined ? 'mode' : '');
  if (others.some((m) => ownerOf(m) !== owner || m.mount.from !== '')) return undefined;
  const modes = new Set(others.map((m) => m.sharing));
  if (modes.size !== 1) return undefined;
  const mode = [...modes][0];
  return mode === 'shared' && own !== 'shared' ? undefined : mode;
}

/**
 * The tool's own sharing for a new mount: `shared` where it shares safely,
 * `locked` where it cannot; `private` where it is documented safe but failed
 * in public in a shape this step has (npm's cache for a step built for two
 * platforms), so that the new mount creates no race finding.
 */
function ownSharing(context: RuleContext, step: Step, use: ToolUse): 'shared' | 'locked' | 'private' {
  if (use.tool.concurrency !== 'safe') return 'locked';
  const platforms = new Set((context.model?.steps ?? []).filter((s) => s.instruction === step.instruction).map((s) => s.targetPlatform));
  const reported = (use.tool.reportedFailures ?? []).some((r) => r.shapes.some((shape) => shape !== 'platforms' || platforms.size > 1));
  return reported ? 'private' : 'shared';
}
