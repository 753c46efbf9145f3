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
import type { Invocation } from '../commands/index.js';
import { isRoot, type ToolUse } from '../knowledge/index.js';
import { isUnknownPath, relativeInside, type Step } from '../model/index.js';
import type { TextEdit } from '../edits/index.js';
import { insertRunFix } from './cache-ineffective.js';
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
      'It is not reported for stages the target does not build, for RUNs that only remove packages, or where the cache is switched off on purpose.',
    fixable: true,
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
      const flags = plan.flags ?? wanted.map((w) => `--mount=type=cache,target=${w.target}`);
      const extra = plan.notes.length ? `, and ${plan.notes.join(', ')}` : '';
      reportOnStep(
        context,
        step,
        { message: `${tools} downloads packages here with no cache mount: every rebuild downloads them again. Add ${flags.join(' ')}${extra}.`, range: wanted[0].use.invocation.range },
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
    for (const target of use.tool.mountTargets ?? use.cacheDirs) if (!wanted.some((w) => w.target === target)) wanted.push({ use, target });
  }
  return wanted;
}

interface Plan {
  /** The `--mount` flags to add; undefined when they cannot be made without another finding. */
  flags?: string[];
  edits: TextEdit[];
  notes: string[];
}

/** The mounts, remedies and cleanup removals that make the cache work with no other finding. */
function mountPlan(context: RuleContext, step: Step, wanted: Wanted[]): Plan {
  const plan: Plan = { edits: [], notes: [] };
  const ctx = stepContext(context, step);
  const owner = isRoot(step.user) ? '' : ctx.uid !== undefined && ctx.gid !== undefined ? `,uid=${ctx.uid},gid=${ctx.gid}` : undefined;
  const flags: string[] = [];
  let possible = owner !== undefined;
  for (const { use, target } of wanted) {
    const sharing = sharingFor(context, use, target, owner ?? '');
    if (sharing === undefined) possible = false;
    flags.push(`--mount=type=cache,target=${target}${sharing && sharing !== 'shared' ? `,sharing=${sharing}` : ''}${owner ?? ''}`);
  }
  const targets = wanted.map((w) => w.target);
  const cached = (path: string) => targets.some((t) => relativeInside(t, path) !== undefined);
  const runs = new Set<string>();
  for (const { use } of wanted) {
    for (const d of applicableDiscards(use, step, cached)) {
      if (d.remedyRun) {
        if (!runs.has(d.remedyRun)) plan.edits.push(...insertRunFix(context, step, d.remedyRun).edits);
        runs.add(d.remedyRun);
        plan.notes.push(`add \`RUN ${d.remedyRun}\` before it (${use.tool.name} would delete the downloads)`);
      } else if (d.remedyOption) {
        const at = use.invocation.nameRange.end;
        plan.edits.push({ range: { start: at, end: at }, text: ` ${d.remedyOption}` });
        plan.notes.push(`pass ${d.remedyOption}`);
      } else {
        possible = false;
      }
    }
  }
  for (const inv of cleanups(context, step, cached)) {
    const edit = removeCommand(context, step, inv, cached);
    if (!edit) possible = false;
    else plan.edits.push(edit);
    plan.notes.push(`drop \`${[inv.program, ...inv.args].join(' ')}\` (it would empty the cache)`);
  }
  if (possible) plan.flags = flags;
  plan.notes = [...new Set(plan.notes)];
  return plan;
}

function fixFor(context: RuleContext, step: Step): Fix | undefined {
  const run = step.instruction;
  const wanted = wantedMounts(context, step);
  const plan = mountPlan(context, step, wanted);
  if (run.kind !== 'run' || !plan.flags) return undefined;
  const at = run.node.rest.sourceOffset(0);
  return {
    description: `add ${plan.flags.length} cache mount${plan.flags.length === 1 ? '' : 's'}${plan.notes.length ? ` and ${plan.notes.length} change${plan.notes.length === 1 ? '' : 's'} that keep${plan.notes.length === 1 ? 's' : ''} the cache working` : ''}`,
    applicability: 'unsafe',
    edits: [{ range: { start: at, end: at }, text: plan.flags.join(' ') + ' ' }, ...plan.edits],
  };
}

/**
 * `locked` unless the tool shares a cache safely. Other mounts of the same
 * cache decide it: their sharing, if it is one mode (a mix fragments the
 * cache), and their uid/gid/mode (a difference splits it). Undefined when no
 * choice avoids a finding (they share a cache the tool cannot share).
 */
function sharingFor(context: RuleContext, use: ToolUse, target: string, owner: string): 'shared' | 'locked' | 'private' | undefined {
  const own = use.tool.concurrency === 'safe' ? 'shared' : 'locked';
  const others = (context.model?.steps ?? []).flatMap((s) => s.mounts.filter((m) => m.cache && m.mount.id === '' && m.target === target));
  if (!others.length) return own;
  const ownerOf = (m: (typeof others)[number]) => (m.mount.uid !== undefined || m.mount.gid !== undefined ? `,uid=${m.mount.uid ?? 0},gid=${m.mount.gid ?? 0}` : '') + (m.mount.mode !== undefined ? 'mode' : '');
  if (others.some((m) => ownerOf(m) !== owner || m.mount.from !== '')) return undefined;
  const modes = new Set(others.map((m) => m.sharing));
  if (modes.size !== 1) return undefined;
  const mode = [...modes][0];
  return mode === 'shared' && own !== 'shared' ? undefined : mode;
}

/** Commands of the RUN that would empty the new caches (`apt-get clean`, `rm -rf /var/lib/apt/lists/*`). */
function cleanups(context: RuleContext, step: Step, cached: (path: string) => boolean): Invocation[] {
  const out: Invocation[] = [];
  for (const use of toolUses(context, step)) if (use.wipes && use.homeDirs.some(cached)) out.push(use.invocation);
  for (const inv of context.invocations(step)) {
    if (inv.program !== 'rm') continue;
    const paths = inv.args.filter((a) => !a.startsWith('-'));
    const hits = paths.filter((p) => p.startsWith('/') && cached(p.replace(/\/\*$/, '').replace(/\/+$/, '') || '/'));
    if (hits.length) out.push(inv);
  }
  return out;
}

/**
 * Deletes one command and the `&&` or `;` (or line break, in a heredoc) that
 * joins it to its neighbour; undefined when it is not joined that simply, or
 * when it also removes other paths (`rm -rf /var/lib/apt/lists/* /tmp/*`).
 */
function removeCommand(context: RuleContext, step: Step, inv: Invocation, cached: (path: string) => boolean): TextEdit | undefined {
  if (inv.program === 'rm' && inv.args.some((a) => !a.startsWith('-') && !cached(a.replace(/\/\*$/, '').replace(/\/+$/, '') || '/'))) return undefined;
  const all = context.invocations(step);
  const i = all.indexOf(inv);
  const text = context.parsed.source.text;
  const joint = /^[ \t]*(?:\\\r?\n[ \t]*)*(?:&&|;|\r?\n)[ \t]*(?:\\\r?\n[ \t]*)*$/;
  const prev = all[i - 1];
  const next = all[i + 1];
  if (prev && prev.range.end <= inv.range.start && joint.test(text.slice(prev.range.end, inv.range.start))) return { range: { start: prev.range.end, end: inv.range.end }, text: '' };
  if (next && inv.range.end <= next.range.start && joint.test(text.slice(inv.range.end, next.range.start))) return { range: { start: inv.range.start, end: next.range.start }, text: '' };
  return undefined;
}
