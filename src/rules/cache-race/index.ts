/**
 * cache-race: two operations BuildKit may run at the same time share one
 * cache directory, and the tool they run there fails, corrupts it or waits
 * when another build uses it (see src/knowledge/tools.ts). Error where the
 * tool fails or corrupts, warning where it only waits or where safety depends
 * on a version the Dockerfile does not tell; silent where sharing is safe.
 */
import type { Rule } from '../types.js';
import type { BuildModel } from '../../model/index.js';
import type { SourceFile } from '../../syntax/index.js';
import { lockFileOrdersSeparateBuilds, separateBuildsEvidence } from '../../knowledge/index.js';
import { shellForm } from '../../commands/index.js';
import { isIn, sourceOf } from '../build-set.js';
import { findRaceGroups, partners, type RaceGroup } from './find-races.js';
import { chooseFix, raceFixes } from './fixes.js';
import { RACE_MESSAGES, raceMessage, raceRelated, usersOf } from './message.js';

export const cacheRaceRule: Rule = {
  meta: {
    id: 'cache-race',
    severity: 'error',
    description: 'Two steps that BuildKit may run at the same time use one shared cache directory with a tool that cannot share it.',
    rationale:
      'BuildKit runs independent stages (and each platform of a multi-platform build) in parallel. A cache mount with the default ' +
      '`sharing=shared` gives every concurrent user the same directory. apt locks `archives/lock` and `lists/lock` inside that directory ' +
      'without waiting, so when two steps overlap one fails with "Could not get lock … It is held by process 0" — only sometimes, only on ' +
      'a cold cache, only when the stages overlap. Other tools corrupt a shared cache (yarn 1, conda, cargo with registry-only mounts, …) ' +
      'or wait for each other; some are built for sharing (go, npm, pnpm, uv, ccache) and are not reported — unless the tool failed in public in the ' +
      'same shape (npm\'s cache across two platforms: a warning that names the report), or the mount is over a directory the tool empties ' +
      '(node_modules under `npm ci`: an error). A tool behind a retry wrapper or on an image mountlint does not know is taken as what it most likely is, ' +
      'and the message says what was assumed; a RUN under a SHELL that is no POSIX shell (pwsh, cmd) is said not to be analysed. mountlint models which steps ' +
      'BuildKit actually builds for the target, which can overlap, and which cache directory each mount gets, and reports only steps that ' +
      'can really collide: an error where the tool fails or corrupts the cache, a warning where it waits or where its safety depends on a ' +
      'version the Dockerfile does not tell. Steps that may collide in one cache are one finding, at the first of them, with every other step ' +
      '(and why it may run at the same time) as a related location, and one fix for all of them. Fixes never lock what is safe to share; `--fix-strategy wait` wraps only the tool\'s commands ' +
      'in `flock`, so the cache is held while the tool runs, not for the whole step (offered where the base image has `flock`).',
    fixable: true,
    messages: RACE_MESSAGES,
    strategies: ['locked', 'private', 'id', 'wait'],
    bad: [
      {
        title: 'Two stages the target needs both install with apt into one shared cache',
        dockerfile: [
          'FROM debian:bookworm AS builder',
          'RUN --mount=type=cache,target=/var/cache/apt apt-get update && apt-get install -y build-essential',
          '',
          'FROM debian:bookworm AS production',
          'RUN --mount=type=cache,target=/var/cache/apt apt-get update && apt-get install -y vim',
          'RUN --mount=type=bind,from=builder,source=/etc/hostname,target=/tmp/x true',
          '',
        ].join('\n'),
      },
      {
        title: 'Yarn 1 in two stages, one cache (and as root its cache is /usr/local/share/.cache/yarn)',
        dockerfile: [
          'FROM node:20 AS web',
          'RUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install --frozen-lockfile',
          'FROM node:20 AS api',
          'RUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install --production',
          'FROM node:20',
          'COPY --from=web /app /web',
          'COPY --from=api /app /api',
          '',
        ].join('\n'),
      },
    ],
    good: [
      {
        title: 'Fixed with sharing=locked on every mount of the cache',
        dockerfile: [
          'FROM debian:bookworm AS builder',
          'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked apt-get update && apt-get install -y build-essential',
          '',
          'FROM debian:bookworm AS production',
          'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked apt-get update && apt-get install -y vim',
          'RUN --mount=type=bind,from=builder,source=/etc/hostname,target=/tmp/x true',
          '',
        ].join('\n'),
      },
      {
        title: 'Go shares its caches safely: nothing to report',
        dockerfile: [
          'FROM golang:1.23 AS a',
          'RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build go build ./cmd/a',
          'FROM golang:1.23 AS b',
          'RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build go build ./cmd/b',
          'FROM scratch',
          'COPY --from=a /a /a',
          'COPY --from=b /b /b',
          '',
        ].join('\n'),
      },
    ],
    evidence: [
      'sharing modes: [BK-REF] [BK-MOUNT]; which steps BuildKit builds and runs at once: [BK-CONVERT]',
      'apt fails on a shared cache: [APT-1] [APT-2]; reports [BK-1662] [BK-2487]; the fix upstream [BK-3017]',
      "each tool's behaviour on a shared cache, with its sources: docs/tools.md",
      'docs/proof.md (52 of 52 predictions agree with real builds on both engines; every strategy builds)',
    ],
  },
  check(context) {
    const model = context.model;
    if (!model) return;
    const here = context.parsed.source;
    const reported = new Set<string>();
    // This build's place in a set of builds (bake, compose, --concurrent-builds), when it is one.
    const own = model.set ? model.set.members.indexOf(model) : -1;
    for (const found of findRaceGroups(context, model)) {
      // A race between the Dockerfiles of one bake or compose build is reported in each of them, at its own first use.
      const group = fromHere(found, here, model);
      if (!group) continue;
      // One file built by several builds of the set: the build that runs the first step reports it, once.
      if (own >= 0 && group.steps[0].stage.origin.index !== own && group.steps.some((s) => s.stage.origin.index === own)) continue;
      const first = usersOf(group, group.steps[0])[0];
      // One diagnostic per set of mounts, however many platforms repeat it.
      const id = [...new Set(group.users.map((u) => `${sourceOf(u.step).path}:${u.mount.mount.spec.word.range.start}`))].sort().join('|');
      if (reported.has(id)) continue;
      reported.add(id);
      const fixes = raceFixes(model, group, here);
      // Separate builds on one builder (--concurrent-builds, make -j, builds in the background, a matrix on one runner):
      // what they do with a shared cache is in the knowledge's table of separate builds (SEPARATE_BUILDS).
      const separate = !!context.concurrentBuilds && group.steps.some((s) => s.stage.origin.index !== group.steps[0].stage.origin.index);
      // A lock file in the cache orders only builds that get one directory for it.
      const noWait = separate && !lockFileOrdersSeparateBuilds();
      if (noWait) fixes.wait = undefined;
      // Separate builds: an id per build where the file can say one, else a directory of its own for each concurrent user.
      const byId = !!fixes.id?.edits.length;
      const requested = context.fixStrategyFor?.(group.tool.id) ?? context.fixStrategy ?? (separate ? (byId ? 'id' : 'private') : undefined);
      context.report({
        severity: group.severity,
        ...withData(raceMessage(group, model, here), { separate: separate ? separateNote(byId, noWait) : '' }),
        range: first.mount.mount.spec.word.range,
        related: raceRelated(group, model, here),
        fix: chooseFix(fixes, requested, group.tool),
        suggestions: Object.values(fixes).filter((f): f is NonNullable<typeof f> => !!f && f.edits.length > 0),
        tools: [...new Set(group.users.map((u) => u.tool.id))],
      });
    }
    notAnalysedShells(context, model, here);
  },
};

/**
 * A RUN with a cache mount under a SHELL whose scripts are not POSIX shell
 * (`pwsh -Command`, `cmd /S /C`): its tools are not known, so a race there
 * cannot be judged. Said once per instruction, as information, rather than
 * passed over in silence.
 */
function notAnalysedShells(context: Parameters<Rule['check']>[0], model: BuildModel, here: SourceFile): void {
  const seen = new Set<unknown>();
  for (const step of model.steps) {
    const run = step.instruction;
    if (run.kind !== 'run' || run.json || seen.has(run) || !isIn(step, here) || !step.mounts.some((m) => m.cache)) continue;
    seen.add(run);
    const form = shellForm(step.shell);
    if (form.posix) continue;
    context.report({
      severity: 'info',
      messageId: 'notAnalysed',
      data: { shell: JSON.stringify(step.shell), program: form.program },
      range: step.mounts.find((m) => m.cache)!.mount.spec.word.range,
    });
  }
}

/** The group as the linted file sees it: its own steps first; undefined when none of them is in this file. */
function fromHere(group: RaceGroup, here: SourceFile, model: BuildModel): RaceGroup | undefined {
  const own = group.steps.filter((s) => isIn(s, here));
  if (own.length === group.steps.length) return group;
  if (!own.length) return undefined;
  const steps = [...own, ...group.steps.filter((s) => !isIn(s, here))];
  return { ...group, steps, users: steps.flatMap((s) => group.users.filter((u) => u.step === s)), partner: partners(steps, model.graph) };
}

function withData<T extends { data: Record<string, string | number> }>(ref: T, more: Record<string, string>): T {
  return { ...ref, data: { ...ref.data, ...more } };
}

/** What separate builds do with a shared cache (measured: SEPARATE_BUILDS), and so which fix. */
function separateNote(byId: boolean, noWait: boolean): string {
  const fix = byId
    ? 'So the fix gives each build its own cache id (or give each build its own BUILDKIT_CACHE_MOUNT_NS build argument, e.g. the CI job\'s name).'
    : 'No cache id written in the file tells two builds of it apart, so the fix gives each concurrent user its own directory (sharing=private); a BUILDKIT_CACHE_MOUNT_NS build argument per build (e.g. the CI job\'s name) does the same.';
  const wait = noWait ? ' A lock file in the cache (--fix-strategy wait) is not offered: separate builds were never seen to get one directory for such a cache, so it would order nothing.' : '';
  return ` These run as separate builds at the same time. ${separateBuildsEvidence()} ${fix}${wait}`;
}
