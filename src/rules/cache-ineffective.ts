/**
 * cache-ineffective: a cache mount that caches nothing. The tool deletes
 * what it downloads (Debian's docker-clean, `apt`, dnf without keepcache…),
 * its cache is switched off (`--no-cache-dir`, `apk add --no-cache`), or it
 * writes somewhere else (the wrong path for this user or image, or a mount
 * meant for another tool).
 */
import type { ToolUse } from '../knowledge/index.js';
import { aptLockUses, hasDockerClean, isKnownImage, isRoot, PATH_HINTS, shortImageName, TOOL_FAMILY } from '../knowledge/index.js';
import type { ResolvedMount, Step } from '../model/index.js';
import { relativeInside } from '../model/index.js';
import { rootImage } from './step-context.js';
import { builtRunSteps, cacheMountAt, mentionedUpTo, mountedCacheOf, toolUses } from './tool-uses.js';
import type { Fix, Rule, RuleContext } from './types.js';

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
      '../shared/spec/package-managers.md §1 ("Effective by default?" column), §2 apt and apk notes, §3.2 mistakes 2, 5, 6, 7, 11',
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
      for (const use of uses) {
        const mounted = mountedCacheOf(step, use);
        if (!mounted || reported.has(mounted)) continue;
        const why = deletedOrDisabled(use, step, mounted);
        if (!why) continue;
        reported.add(mounted);
        const fix = why.includes('docker-clean') ? removeDockerCleanFix(context, step) : undefined;
        context.report({ message: `The cache mounted at ${mounted.target} caches nothing: ${why}.`, range: mounted.mount.spec.word.range, related: [{ range: use.invocation.range, message: `${use.invocation.program} runs here` }], fix });
      }
      // Where a tool writes is only certain on images whose environment we know, for a user whose HOME we know.
      const certain = isKnownImage(rootImage(step.stage.node)) && (isRoot(step.user) || step.env.get('HOME') !== undefined);
      for (const mount of step.mounts) {
        if (!mount.cache || reported.has(mount)) continue;
        const why = neverRuns(context, step, mount, uses) ?? (certain ? wrongPlace(mount, uses) : undefined);
        if (why) context.report({ message: `The cache mounted at ${mount.target} caches nothing: ${why}.`, range: mount.mount.spec.word.range });
      }
    }
  },
};

function deletedOrDisabled(use: ToolUse, step: Step, mount: ResolvedMount): string | undefined {
  const before = (pattern: RegExp) => mentionedUpTo(step, pattern);
  const image = shortImageName(rootImage(step.stage.node));
  const args = use.args.join(' ');
  if (use.disabledBy) return `${use.tool.name}'s cache is switched off (${use.disabledBy})`;
  switch (use.tool.id) {
    case 'apt': {
      const archives = aptLockUses(use.invocation).find((l) => l.kind === 'archives');
      if (!archives || !cacheMountAt(step, archives.dir)) return undefined;
      if (hasDockerClean(image) && !before(/docker-clean/)) {
        return `the base image's /etc/apt/apt.conf.d/docker-clean deletes downloaded packages after every install (remove it in an earlier RUN: rm -f /etc/apt/apt.conf.d/docker-clean)`;
      }
      if (use.invocation.program === 'apt' && !before(/Keep-Downloaded-Packages/)) {
        return '`apt` deletes downloaded packages after installing them unless Binary::apt::APT::Keep-Downloaded-Packages is "true" (or use apt-get)';
      }
      return undefined;
    }
    case 'dnf':
    case 'dnf5':
    case 'microdnf':
      return use.usesCache && !before(/keepcache=(1|true|yes)/i) ? `${use.invocation.program} deletes downloaded packages unless keepcache is on (--setopt=keepcache=1)` : undefined;
    case 'yum':
      return use.usesCache && /^(centos|rhel|rockylinux|almalinux|oraclelinux|redhat)/.test(image) && !before(/keepcache=(1|true|yes)/i)
        ? 'this image ships keepcache=0: yum deletes downloaded packages (set keepcache=1)'
        : undefined;
    case 'zypper':
      return use.usesCache && !before(/keeppackages|keep-packages|\.keep_packages/i) ? 'zypper keeps packages only for repositories with keeppackages=1' : undefined;
    case 'apk':
      return use.usesCache && !before(/\/etc\/apk\/cache/) && !args.includes('--cache-dir') && relativeInside('/var/cache/apk', mount.target) !== undefined
        ? 'without /etc/apk/cache (a link to the mounted directory) or --cache-dir, apk caches only package indexes'
        : undefined;
    default:
      return undefined;
  }
}

/** `RUN rm -f /etc/apt/apt.conf.d/docker-clean` on its own line before the step. */
export function removeDockerCleanFix(context: RuleContext, step: Step): Fix {
  const at = step.instruction.node.range.start;
  return {
    description: 'remove docker-clean in a RUN before this one',
    applicability: 'unsafe',
    edits: [{ range: { start: at, end: at }, text: `RUN rm -f /etc/apt/apt.conf.d/docker-clean${context.parsed.source.eol}` }],
  };
}

/** Programs that never run a package manager themselves. */
const PLAIN = new Set(['echo', 'printf', 'true', 'false', 'ls', 'cat', 'cp', 'mv', 'rm', 'mkdir', 'ln', 'touch', 'chmod', 'chown', 'test', '[', 'sed', 'grep', 'find', 'tar', 'gzip', 'cd', 'set', 'export', 'env', 'id', 'whoami', 'stat', 'du', 'df']);

/** A mount meant for a tool (by its path) on a RUN that runs only plain commands. */
function neverRuns(context: RuleContext, step: Step, mount: ResolvedMount, uses: ToolUse[]): string | undefined {
  if (uses.length) return undefined;
  const meantFor = Object.keys(PATH_HINTS).find((id) => PATH_HINTS[id].test(mount.target));
  const invocations = context.invocations(step);
  if (!meantFor || !invocations.length || !invocations.every((i) => PLAIN.has(i.program))) return undefined;
  return `it looks like ${meantFor}'s cache, but this RUN never runs ${meantFor} (only ${[...new Set(invocations.map((i) => i.program))].join(', ')})`;
}

/** A mount that looks meant for a tool that this RUN runs elsewhere, or not at all (another tool of its family runs). */
function wrongPlace(mount: ResolvedMount, uses: ToolUse[]): string | undefined {
  const touches = (u: ToolUse) => u.homeDirs.some((d) => relativeInside(mount.target, d) !== undefined || relativeInside(d, mount.target) !== undefined);
  if (uses.some(touches)) return undefined;
  const meantFor = Object.keys(PATH_HINTS).find((id) => PATH_HINTS[id].test(mount.target));
  if (!meantFor) return undefined;
  // `yarn` alone does not say whether it is Yarn 1 or Berry: no verdict on Yarn paths.
  if (meantFor.startsWith('yarn') && uses.some((u) => u.tool.id.startsWith('yarn'))) return undefined;
  const same = uses.find((u) => u.tool.id === meantFor);
  if (same && same.homeDirs.length) return `${same.tool.name} writes to ${same.homeDirs.join(' and ')} here, not under ${mount.target}`;
  const family = TOOL_FAMILY[meantFor];
  const sibling = family ? uses.find((u) => TOOL_FAMILY[u.tool.id] === family && u.homeDirs.length) : undefined;
  if (sibling) return `it is where ${meantFor} keeps its cache, but this RUN runs ${sibling.tool.name}, which uses ${sibling.homeDirs.join(' and ')}`;
  return undefined;
}

export type { RuleContext };
