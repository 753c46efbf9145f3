/**
 * missing-cache-mount (info): a package install with no cache mount. Adding
 * the tool's cache mounts, with the sharing that suits the tool, is what
 * makes rebuilds fast; the fix adds them.
 */
import { hasDockerClean, type ToolUse } from '../knowledge/index.js';
import { removeDockerCleanFix } from './cache-ineffective.js';
import { rootImage } from './step-context.js';
import { builtRunSteps, cacheMountAt, mentionedUpTo, toolUses } from './tool-uses.js';
import type { Rule } from './types.js';

/** Commands that download packages (the ones worth caching). */
const INSTALLS: Record<string, string[]> = {
  apt: ['install', 'upgrade', 'dist-upgrade', 'full-upgrade', 'build-dep'],
  apk: ['add', 'upgrade'],
  dnf: ['install', 'upgrade', 'update', 'builddep'],
  dnf5: ['install', 'upgrade'],
  yum: ['install', 'update', 'upgrade'],
  microdnf: ['install', 'update'],
  pip: ['install', 'wheel', 'download'],
  uv: ['pip', 'sync', 'add'],
  npm: ['ci', 'install', 'i'],
  yarn1: ['install', ''],
  pnpm: ['install', 'i'],
  bun: ['install', 'i'],
  cargo: ['build', 'install', 'fetch'],
  go: ['build', 'install', 'mod'],
  maven: ['package', 'install', 'verify', 'dependency:go-offline', 'compile'],
  gradle: ['build', 'assemble', 'dependencies'],
  bundler: ['install'],
  composer: ['install', 'update'],
  nuget: ['restore', 'publish', 'build'],
  poetry: ['install'],
};

/** The directories to mount for a tool (apt: the whole of /var/cache/apt, as BuildKit's docs do). */
function mountTargets(use: ToolUse): string[] {
  if (use.tool.id === 'apt') return ['/var/cache/apt', '/var/lib/apt/lists'];
  if (use.tool.id === 'apk') return ['/var/cache/apk'];
  return use.cacheDirs;
}

export const missingCacheMountRule: Rule = {
  meta: {
    id: 'missing-cache-mount',
    severity: 'info',
    description: 'A package install with no cache mount for the tool.',
    rationale:
      'A cache mount keeps downloads between builds, so a rebuild after a small change does not download every package again. The fix adds the tool\'s cache mounts with the sharing that suits it: `locked` for tools that cannot share a cache (apt, yum, yarn 1, …), the default `shared` for those that can (go, npm, uv, …). ' +
      'For apt on Debian and Ubuntu images, the archives cache also needs docker-clean removed (see cache-ineffective).',
    fixable: true,
    bad: [{ title: 'apt without a cache', dockerfile: 'FROM debian:bookworm\nRUN apt-get update && apt-get install -y curl\n' }],
    good: [{ title: 'With the caches, locked for apt', dockerfile: 'FROM debian:bookworm\nRUN --mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt/lists,sharing=locked apt-get update && apt-get install -y curl\n' }],
    evidence: ['../shared/spec/package-managers.md §1 (cache directories and recommended sharing per tool)', 'Docker docs, "Use cache mounts" [DOCS-OPT]'],
    hadolint: [{ rule: 'DL3060 / DL3068 / DL3069 / DL3070 / DL3071 / DL3073 / DL3032', note: "hadolint's cache-mount rules check only that some mount path is present, and suggest paths that are wrong for official images (cargo, composer, yarn as root). This rule uses each tool's real cache for the step's user and image, and the sharing that suits the tool." }],
  },
  check(context) {
    for (const step of builtRunSteps(context)) {
      const run = step.instruction;
      if (run.kind !== 'run') continue;
      const wanted: Array<{ use: ToolUse; target: string }> = [];
      for (const use of toolUses(context, step)) {
        const installs = INSTALLS[use.tool.id];
        if (!installs || use.disabledBy || !use.cacheDirs.length) continue;
        if (!installs.includes(use.subcommand ?? '')) continue;
        if (use.cacheDirs.some((d) => cacheMountAt(step, d) || step.mounts.some((m) => m.target === d))) continue;
        for (const target of mountTargets(use)) if (!wanted.some((w) => w.target === target)) wanted.push({ use, target });
      }
      if (!wanted.length) continue;
      const flags = wanted.map(({ use, target }) => `--mount=type=cache,target=${target}${use.tool.recommendedSharing === 'shared' ? '' : `,sharing=${use.tool.recommendedSharing}`}`);
      const at = run.node.rest.sourceOffset(0);
      const tools = [...new Set(wanted.map((w) => w.use.invocation.program))].join(', ');
      // apt's archives stay empty under Debian's docker-clean: remove it too.
      const cleanFirst = wanted.some((w) => w.use.tool.id === 'apt') && hasDockerClean(rootImage(step.stage.node)) && !mentionedUpTo(step, /docker-clean/);
      const edits = [{ range: { start: at, end: at }, text: flags.join(' ') + ' ' }, ...(cleanFirst ? removeDockerCleanFix(context, step).edits : [])];
      context.report({
        message: `${tools} downloads packages here with no cache mount: every rebuild downloads them again. Add ${flags.join(' ')}${cleanFirst ? ', and remove /etc/apt/apt.conf.d/docker-clean first (it deletes downloaded packages)' : ''}.`,
        range: wanted[0].use.invocation.range,
        fix: { description: `add ${flags.length} cache mount${flags.length === 1 ? '' : 's'}${cleanFirst ? ' and remove docker-clean' : ''}`, applicability: 'unsafe', edits },
      });
    }
  },
};

