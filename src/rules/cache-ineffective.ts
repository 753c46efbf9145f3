/**
 * cache-ineffective: a cache mount that caches nothing. The tool deletes
 * what it downloads (Debian's docker-clean, `apt`, dnf without keepcache…),
 * its cache is switched off (`--no-cache-dir`, `apk add --no-cache`), or it
 * writes somewhere else (the wrong path for this user or image, or a mount
 * meant for another tool).
 */
import type { Discard, ToolUse } from '../knowledge/index.js';
import { isKnownImage, TOOL_FAMILY, TOOLS, toolById } from '../knowledge/index.js';
import type { ResolvedMount, Step } from '../model/index.js';
import { isUnknownPath, relativeInside } from '../model/index.js';
import { baseImageOf, stepContext } from './step-context.js';
import { cleanups, removeCommands } from './cleanups.js';
import { applicableDiscards, builtRunSteps, cacheMountAt, mentionedUpTo, mountedCacheOf, reportOnStep, toolOfPath, toolUses } from './tool-uses.js';
import type { TextEdit } from '../edits/index.js';
import type { Fix, RelatedLocation, Rule, RuleContext } from './types.js';

export const cacheIneffectiveRule: Rule = {
  meta: {
    id: 'cache-ineffective',
    severity: 'warning',
    description: 'A cache mount that caches nothing: the tool deletes, disables or never writes that cache.',
    rationale:
      'Debian and Ubuntu images delete downloaded packages after every dpkg run (/etc/apt/apt.conf.d/docker-clean), `apt` deletes them after installing unless told to keep them, dnf and CentOS yum do not keep packages by default, ' +
      'apk caches packages only through /etc/apk/cache, `--no-cache-dir` or any PIP_NO_CACHE_DIR switch pip\'s cache off, and many mounts point where the tool does not write for this user or image ' +
      '(Yarn 1 as root uses /usr/local/share/.cache/yarn; rust images keep Cargo in /usr/local/cargo), or sit on a RUN that never runs the tool. Such a mount costs a cache directory and saves nothing. ' +
      'Note that Keep-Downloaded-Packages alone does not stop docker-clean, whose hook deletes the packages anyway; the remedy is to remove docker-clean (or edit it) in an earlier RUN. The fix for docker-clean inserts that RUN; it is marked unsafe because later RUNs without a cache mount then keep their .debs in the image.',
    fixable: true,
    messages: {
      switchedOff: "The cache mounted at {target} caches nothing: {tool}'s cache is switched off ({by}).",
      switchedOffByVariable: "The cache mounted at {target} caches nothing: {tool}'s cache is switched off ({by}: any value of {variable} switches it off, even 0, false or off).",
      discarded: 'The cache mounted at {target} caches nothing: {why}.',
      metadataOnly: 'The cache mounted at {target} caches metadata only, not packages: {why}.',
      neverRuns: "The cache mounted at {target} caches nothing: it looks like {tool}'s cache, but this RUN never runs {tool} (only {programs}).",
      wrongPlace: 'The cache mounted at {target} caches nothing: {tool} writes its cache to {dirs}{variants} here, not under {target}; mount that instead.',
      otherToolsPlace: 'The cache mounted at {target} caches nothing: it is where {meant} keeps its cache, but this RUN runs {tool}, which uses {dirs}.',
      outputElsewhere: 'The cache mounted at {target} caches nothing: {tool} writes {what} to {dir} here ({placedBy}), not to {target}.',
    },
    bad: [
      { title: 'apt archives cached under docker-clean', dockerfile: 'FROM debian:bookworm\nRUN --mount=type=cache,target=/var/cache/apt,sharing=locked apt-get update && apt-get install -y curl\n' },
      { title: 'A pip cache mount with the cache switched off', dockerfile: 'FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache/pip pip install --no-cache-dir requests\n' },
      { title: 'rust images keep Cargo in /usr/local/cargo, not /root/.cargo', dockerfile: 'FROM rust:1.80\nRUN --mount=type=cache,target=/root/.cargo/registry cargo build --release\n' },
    ],
    good: [
      { title: 'docker-clean removed first', dockerfile: 'FROM debian:bookworm\nRUN rm -f /etc/apt/apt.conf.d/docker-clean\nRUN --mount=type=cache,target=/var/cache/apt,sharing=locked apt-get update && apt-get install -y curl\n' },
      { title: "Cargo's real cache on rust images", dockerfile: 'FROM rust:1.80\nRUN --mount=type=cache,target=/usr/local/cargo/registry,sharing=locked cargo build --release\n' },
    ],
    evidence: [
      "each tool's ways of keeping nothing, and where its cache is for the step's user and image, with their sources: docs/tools.md",
      'debuerreotype docker-clean [DEBUERREOTYPE]; apt NEWS 1.2 Keep-Downloaded-Packages [APT-7]; pip PIP_NO_CACHE_DIR [PIP-2]; apk.8 [APK-2]; dnf keepcache [DNF-5]',
    ],
    hadolint: [
      { rule: 'DL3042', note: 'hadolint asks for `pip install --no-cache-dir` unless a mount target contains .cache/pip (a /root/.cache mount or a custom PIP_CACHE_DIR still fires). With a pip cache mount, --no-cache-dir makes the mount useless, which this rule reports: follow this rule where you mount the cache, and keep DL3042 elsewhere.' },
      { rule: 'DL3019', note: 'hadolint asks for `apk add --no-cache` unless /var/cache/apk is mounted. With the mount, --no-cache disables it, and without /etc/apk/cache apk caches only indexes: both are reported here.' },
      { rule: 'DL3060', note: 'hadolint is satisfied by any mount containing .cache/yarn, including /root/.cache/yarn, which Yarn 1 does not use as root (it writes /usr/local/share/.cache/yarn).' },
    ],
  },
  check(context) {
    for (const step of builtRunSteps(context)) {
      if (!step.mounts.some((m) => m.cache)) continue;
      const uses = toolUses(context, step);
      const reported = new Set<ResolvedMount>();
      const report = (mount: ResolvedMount, found: Found, related: RelatedLocation[] = [], fixFor?: (s: Step) => Fix | undefined) => {
        reported.add(mount);
        reportOnStep(context, step, { messageId: found.messageId, data: { target: mount.target, ...found.data }, range: mount.mount.spec.word.range, related }, fixFor);
      };
      for (const use of uses) {
        const mounted = mountedCacheOf(step, use);
        if (!mounted || reported.has(mounted) || isUnknownPath(mounted.target)) continue;
        const ran = [{ range: use.invocation.range, message: `${use.invocation.program} runs here` }];
        if (use.disabledBy) {
          report(mounted, switchedOff(use), ran);
          continue;
        }
        const causes = discardCauses(context, step, use, mounted);
        if (causes) report(mounted, causes, [...ran, ...causes.related], (s) => remedyFix(context, s, uses.indexOf(use), mounted.target));
      }
      // Where a tool writes is only certain on images whose environment we know, for a user whose HOME we know.
      const certain = isKnownImage(baseImageOf(step.stage)) && stepContext(context, step).home !== undefined;
      for (const mount of step.mounts) {
        if (!mount.cache || reported.has(mount) || isUnknownPath(mount.target)) continue;
        const why = neverRuns(context, step, mount, uses) ?? (certain ? wrongPlace(mount, uses) ?? outputElsewhere(mount, uses) : undefined);
        if (why) report(mount, why);
      }
    }
  },
};

/** Why a mount caches nothing: one of the rule's messages, with its data but the mount's target. */
interface Found {
  messageId: string;
  data: Record<string, string>;
}

/** "pip's cache is switched off (--no-cache-dir)", and for a variable, that any value does it. */
function switchedOff(use: ToolUse): Found {
  const data = { tool: use.tool.name, by: `${use.disabledBy}` };
  return use.disabledByVariable ? { messageId: 'switchedOffByVariable', data: { ...data, variable: use.disabledByVariable } } : { messageId: 'switchedOff', data };
}

/** A path the mount holds, or a folder above it (`rm -rf /var/cache` empties /var/cache/apt too). */
function emptiedBy(target: string): (path: string) => boolean {
  return (path) => relativeInside(target, path) !== undefined || relativeInside(path, target) !== undefined;
}

/**
 * Every reason the mounted cache ends up empty after this run: the tool's
 * ways of throwing downloads away that apply here (docker-clean, `apt`
 * without Keep-Downloaded-Packages, …), and, where there is one, the RUN's own
 * commands that empty that cache too (`rm -f /var/cache/apt/archives/*.deb`,
 * `apt-get clean`, before or after the install). All are named: removing one
 * while another stays still leaves the cache empty.
 */
function discardCauses(context: RuleContext, step: Step, use: ToolUse, mount: ResolvedMount): (Found & { related: RelatedLocation[] }) | undefined {
  const discards = applicableDiscards(use, step, (path) => cacheMountAt(step, path) === mount);
  if (!discards.length) return undefined;
  const wipes = cleanups(context, step, emptiedBy(mount.target));
  const nothing = wipes.length > 0 || discards.some((d) => d.keeps === 'nothing');
  const reasons = [
    ...discards.map((d) => d.why),
    ...wipes.map((inv) => `\`${[inv.program, ...inv.args].join(' ')}\` in this RUN deletes what is in it ${inv.range.start < use.invocation.range.start ? 'before' : 'after'} ${use.invocation.program} runs`),
  ];
  const assumed = discards.some((d) => !d.images && !d.imageHas) ? assumption(step, use) : '';
  const why = reasons.length === 1 ? reasons[0] + assumed : `${reasons.join('; and ')}${assumed}. The cache holds packages only when ${reasons.length === 2 ? 'both are' : `all ${reasons.length} are`} dealt with`;
  const related = wipes.map((inv) => ({ range: inv.range, message: `${inv.program} empties the cache mounted at ${mount.target} here` }));
  return { messageId: nothing ? 'discarded' : 'metadataOnly', data: { why }, related };
}

/**
 * The base image's own settings can undo a default (dnf's keepcache in
 * /etc/dnf/dnf.conf): on an image mountlint does not know, the message says
 * the default is assumed.
 */
function assumption(step: Step, use: ToolUse): string {
  const image = baseImageOf(step.stage);
  if (isKnownImage(image)) return '';
  // Image facts whose remedy the step or its FROM chain already applies (docker-clean removed) are not assumed.
  const facts = [...new Set((use.tool.discards ?? []).flatMap((d) => (d.imageHas && !mentionedUpTo(step, new RegExp(d.remedy, 'i')) ? [IMAGE_FACTS[d.imageHas]] : [])))];
  return ` (assuming ${image} keeps ${use.tool.name}'s defaults${facts.map((f) => ` and has no ${f}`).join('')}: mountlint does not know that image)`;
}

/** What each image fact a discard depends on is, in words. */
const IMAGE_FACTS: Record<NonNullable<Discard['imageHas']>, string> = { 'docker-clean': '/etc/apt/apt.conf.d/docker-clean' };

/**
 * One fix that removes every cause at once (the RUNs or options that are the
 * remedies, and the RUN's commands that empty the cache), or none: a fix
 * that removed only some would leave the cache as empty as before. `index`:
 * the tool use in the step's list (a merged twin has the same list).
 */
function remedyFix(context: RuleContext, step: Step, index: number, target: string): Fix | undefined {
  const use = toolUses(context, step)[index];
  const mount = use && step.mounts.find((m) => m.target === target);
  if (!mount) return undefined;
  const discards = applicableDiscards(use, step, (path) => cacheMountAt(step, path) === mount);
  if (!discards.length || discards.some((d) => !d.remedyRun && !d.remedyOption)) return undefined;
  const edits: TextEdit[] = [];
  const steps: string[] = [];
  const runs = [...new Set(discards.flatMap((d) => (d.remedyRun ? [d.remedyRun] : [])))];
  if (runs.length) {
    const at = step.instruction.node.range.start;
    edits.push({ range: { start: at, end: at }, text: runs.map((r) => insertRunFix(context, step, r).edits[0].text).join('') });
    steps.push(`add ${runs.map((r) => `\`RUN ${r}\``).join(' and ')} before this RUN`);
  }
  for (const option of new Set(discards.flatMap((d) => (d.remedyOption ? [d.remedyOption] : [])))) {
    const at = use.invocation.nameRange.end;
    edits.push({ range: { start: at, end: at }, text: ` ${option}` });
    steps.push(`pass ${option}`);
  }
  const wipes = cleanups(context, step, emptiedBy(target));
  if (wipes.length) {
    const removed = removeCommands(context, step, wipes, (path) => relativeInside(target, path) !== undefined);
    if (!removed) return undefined;
    edits.push(...removed);
    steps.push(`drop ${wipes.map((inv) => `\`${[inv.program, ...inv.args].join(' ')}\``).join(', ')}`);
  }
  return { description: steps.length > 1 ? `${steps.slice(0, -1).join(', ')} and ${steps[steps.length - 1]}` : steps[0], applicability: 'unsafe', edits };
}

/** A RUN inserted on its own line before the step (`RUN rm -f /etc/apt/apt.conf.d/docker-clean`). */
export function insertRunFix(context: RuleContext, step: Step, command: string): Fix {
  const at = step.instruction.node.range.start;
  return {
    description: `add \`RUN ${command}\` before this RUN`,
    applicability: 'unsafe', // later RUNs without a cache mount then keep their downloads in the image
    edits: [{ range: { start: at, end: at }, text: `RUN ${command}${context.parsed.source.eol}` }],
  };
}

/** Programs that never run a package manager themselves. */
const PLAIN = new Set(['echo', 'printf', 'true', 'false', 'ls', 'cat', 'cp', 'mv', 'rm', 'mkdir', 'ln', 'touch', 'chmod', 'chown', 'test', '[', 'sed', 'grep', 'find', 'tar', 'gzip', 'cd', 'set', 'export', 'env', 'id', 'whoami', 'stat', 'du', 'df']);

function meantFor(mount: ResolvedMount): string | undefined {
  return toolOfPath(mount.target);
}

/** A mount meant for a tool (by its path) on a RUN that runs only plain commands. */
function neverRuns(context: RuleContext, step: Step, mount: ResolvedMount, uses: ToolUse[]): Found | undefined {
  if (uses.length) return undefined;
  const tool = meantFor(mount);
  const invocations = context.invocations(step);
  if (!tool || !invocations.length || !invocations.every((i) => PLAIN.has(i.program))) return undefined;
  return { messageId: 'neverRuns', data: { tool, programs: [...new Set(invocations.map((i) => i.program))].join(', ') } };
}

/** Does the mount hold (or sit inside) any place a tool of this RUN uses? */
function touched(mount: ResolvedMount, uses: ToolUse[]): boolean {
  const near = (d: string) => relativeInside(mount.target, d) !== undefined || relativeInside(d, mount.target) !== undefined;
  return uses.some((u) => u.homeDirs.some(near) || u.variantDirs.some(near) || u.outputs.some((o) => o.dir !== undefined && near(o.dir)));
}

/** A mount that looks meant for a tool that this RUN runs elsewhere, or not at all (another tool of its family runs). */
function wrongPlace(mount: ResolvedMount, uses: ToolUse[]): Found | undefined {
  if (touched(mount, uses)) return undefined;
  const tool = meantFor(mount);
  if (!tool) return undefined;
  const known = (u: ToolUse) => u.homeDirs.length > 0 && !u.homeDirs.some(isUnknownPath);
  // A variant run by the same program (Yarn 1 or 2+) counts as the tool the path is meant for.
  const same = uses.find((u) => known(u) && (u.tool.id === tool || u.tool.variantOf === tool || toolById(tool)?.variantOf === u.tool.id));
  if (same) {
    const variants = same.variantDirs.length ? ` (or ${same.variantDirs.join(' and ')} if it is ${[...TOOLS].find((t) => t.variantOf === same.tool.id || t.id === same.tool.variantOf)?.name})` : '';
    return { messageId: 'wrongPlace', data: { tool: same.tool.name, dirs: same.homeDirs.join(' and '), variants } };
  }
  const family = TOOL_FAMILY[tool];
  const sibling = family ? uses.find((u) => TOOL_FAMILY[u.tool.id] === family && known(u)) : undefined;
  if (sibling) return { messageId: 'otherToolsPlace', data: { meant: tool, tool: sibling.tool.name, dirs: sibling.homeDirs.join(' and ') } };
  return undefined;
}

/** A directory cache (target/, node_modules, .venv) at a path where the tool that writes such a directory does not write it here. */
function outputElsewhere(mount: ResolvedMount, uses: ToolUse[]): Found | undefined {
  if (touched(mount, uses)) return undefined;
  const base = mount.target.slice(mount.target.lastIndexOf('/') + 1);
  for (const u of uses) {
    const o = u.outputs.find((x) => x.dir !== undefined && !isUnknownPath(x.dir) && x.dir.slice(x.dir.lastIndexOf('/') + 1) === base);
    if (o) return { messageId: 'outputElsewhere', data: { tool: u.tool.name, what: own(o.spec.what, u), dir: `${o.dir}`, placedBy: `${o.placedBy}` } };
  }
  return undefined;
}

/** "the installed node_modules" → "its installed node_modules"; "Cargo's build output" → "its build output" for Cargo. */
function own(what: string, use: ToolUse): string {
  const name = use.tool.name.split(' ')[0];
  return what.startsWith(`${name}'s `) ? `its ${what.slice(name.length + 3)}` : what.replace(/^the /, 'its ');
}

export type { RuleContext };
