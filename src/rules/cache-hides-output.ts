/**
 * cache-hides-output: a cache mount over files the image needs. What a RUN
 * writes under a cache mount stays in the cache, not in the image: installed
 * packages, node_modules, build outputs, dpkg's database.
 */
import { homeOf, imageEnv } from '../knowledge/index.js';
import { rootImage } from './step-context.js';
import { relativeInside, type ResolvedMount, type Step } from '../model/index.js';
import { builtRunSteps, toolUses } from './tool-uses.js';
import type { Rule, RuleContext } from './types.js';

export const cacheHidesOutputRule: Rule = {
  meta: {
    id: 'cache-hides-output',
    severity: 'warning',
    description: 'A cache mount over files the image needs: what the RUN writes there is not in the image.',
    rationale:
      'A cache mount replaces the directory for the duration of the RUN; whatever the RUN writes there stays in the cache and never reaches the image. ' +
      'Mounting site-packages, node_modules, a gem home, Poetry\'s virtualenvs, Cargo\'s target/ (without copying the binary out in the same RUN), /var/lib/dpkg, or all of /var/lib/apt (which holds extended_states) builds an image without them.',
    fixable: false,
    bad: [
      { title: 'node_modules as a cache', dockerfile: 'FROM node:20\nWORKDIR /app\nCOPY package.json yarn.lock ./\nRUN --mount=type=cache,target=/app/node_modules yarn install --frozen-lockfile\n' },
      { title: "Cargo's target/ without copying the binary out", dockerfile: 'FROM rust:1.80\nWORKDIR /app\nCOPY . .\nRUN --mount=type=cache,target=/app/target cargo build --release\n' },
    ],
    good: [{ title: 'Cache the download cache, and copy build outputs out in the same RUN', dockerfile: 'FROM rust:1.80\nWORKDIR /app\nCOPY . .\nRUN --mount=type=cache,target=/usr/local/cargo/registry,sharing=locked --mount=type=cache,target=/app/target \\\n    cargo build --release && cp target/release/app /usr/local/bin/app\n' }],
    evidence: ['BuildKit reference: cache mount contents are not part of the image', '../shared/spec/package-managers.md §3.2 mistake 8; apt [APT-4] extended_states; Poetry [POETRY-1]; ruby image [RUBY-IMAGE]'],
  },
  check(context) {
    for (const step of builtRunSteps(context)) {
      for (const mount of step.mounts) {
        if (!mount.cache) continue;
        const why = hidden(context, step, mount);
        // Losing apt's auto-installed marks is minor: info, not warning.
        const severity = mount.target === '/var/lib/apt' ? 'info' : undefined;
        if (why) context.report({ severity, message: `The cache mount at ${mount.target} hides ${why}: files written there are in the cache, not in the image.`, range: mount.mount.spec.word.range });
      }
    }
  },
};

function hidden(context: RuleContext, step: Step, mount: ResolvedMount): string | undefined {
  const t = mount.target;
  const uses = toolUses(context, step);
  const runs = (...ids: string[]) => uses.some((u) => ids.includes(u.tool.id));
  const inside = (path: string) => relativeInside(t, path) !== undefined;
  if (inside('/var/lib/dpkg/status')) return "dpkg's database (/var/lib/dpkg): the image will not know which packages are installed";
  if (/\/(site|dist)-packages$/.test(t) && runs('pip', 'uv', 'poetry', 'pipenv')) return 'installed Python packages (site-packages)';
  if (/(^|\/)node_modules$/.test(t) && runs('npm', 'yarn1', 'yarn-berry', 'pnpm', 'bun') && !copiesOut(context, step, t) && !continuedLater(context, step, mount)) return 'the installed node_modules';
  if (/(^|\/)target$/.test(t) && runs('cargo') && !copiesOut(context, step, t) && !continuedLater(context, step, mount)) return "Cargo's build output (nothing is copied out of it in this RUN or a later one)";
  const gemHome = step.env.get('GEM_HOME') ?? imageEnv(rootImage(step.stage.node)).GEM_HOME;
  if (gemHome && t === gemHome && runs('bundler')) return `the installed gems (${gemHome} is GEM_HOME; mount ${gemHome}/cache instead)`;
  if (t === '/var/lib/apt' && runs('apt')) return "apt's extended_states (which packages were installed automatically); mount /var/lib/apt/lists instead";
  if (runs('poetry') && poetryVenvInCache(step, t)) return "Poetry's virtualenv, which it creates inside its cache (set POETRY_VIRTUALENVS_IN_PROJECT=true or virtualenvs.create false)";
  return undefined;
}

/** Another RUN of the build mounts the same cache (e.g. `cargo chef cook`, then the real build that copies out). */
function continuedLater(context: RuleContext, step: Step, mount: ResolvedMount): boolean {
  return context.model!.steps.some((s) => s.id > step.id && s.instruction !== step.instruction && s.mounts.some((m) => m.cache?.key === mount.cache?.key));
}

function copiesOut(context: RuleContext, step: Step, target: string): boolean {
  return context.invocations(step).some((inv) => ['cp', 'mv', 'install', 'rsync', 'tar'].includes(inv.program) && inv.args.some((a) => a.includes('target') || a.includes('node_modules') || a.startsWith(target)));
}

function poetryVenvInCache(step: Step, target: string): boolean {
  const env = step.env;
  if (/^(true|1)$/i.test(env.get('POETRY_VIRTUALENVS_IN_PROJECT') ?? '') || /^(false|0)$/i.test(env.get('POETRY_VIRTUALENVS_CREATE') ?? '')) return false;
  const cacheDir = env.get('POETRY_CACHE_DIR') ?? `${env.get('XDG_CACHE_HOME') ?? `${env.get('HOME') ?? homeOf(step.user)}/.cache`}/pypoetry`;
  return relativeInside(target, `${cacheDir}/virtualenvs`) !== undefined;
}
