/**
 * Build definitions on the command line: bake, compose and CI files named
 * directly, and the ones found in a folder that is linted (like `docker
 * buildx bake` without -f: every default compose and bake file of the folder,
 * plus its CI workflows). Their Dockerfiles are linted together, request by
 * request; `--fix` writes every changed Dockerfile or none.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, normalize, resolve } from 'node:path';
import { aloneDockerfiles, DefinitionError, definitionKind, NoDefaultTarget, discoverBuildPlan, lintPlan, readBuildPlan, requestMembers, type BuildPlan, type BuildTarget, type PlanLintResult } from '../builds/index.js';
import { SourceFile } from '../syntax/index.js';
import { addNewFindings, fixBuildSet, orderFindings, type LintOptions, type LintResult } from '../engine/index.js';
import type { CliRequest } from './args.js';
import { UsageError } from './errors.js';
import { lintOptions } from './args.js';
import { findFiles, readInput, type Input } from './files.js';
import { deliverFixes, type Delivered } from './fix-output.js';
import type { CliIO } from './io.js';
import type { FileLinter } from './lint-files.js';
import { prepareShellParser } from './shell-parser.js';

/** Paths that name build definitions, and the rest (Dockerfiles and folders). */
export function splitDefinitions(paths: string[]): { definitions: string[]; others: string[] } {
  const definitions: string[] = [];
  const others: string[] = [];
  for (const p of paths) {
    const isFile = p !== '-' && existsSync(p) && statSync(p).isFile();
    if (isFile && definitionKind(p)) definitions.push(p);
    else if (isFile && /\.(ya?ml|hcl)$/i.test(p)) definitions.push(p); // readBuildPlan says what it is, or that it is none
    else others.push(p);
  }
  return { definitions, others };
}

export interface BuildsCheck {
  lint: PlanLintResult[];
  /** Findings per Dockerfile, after fixing when asked. */
  results: LintResult[];
  /** Dockerfiles analysed as part of a build (not linted again alone). */
  covered: Set<string>;
  /** Dockerfiles of definitions that could not be fully read: linted alone. */
  alone: string[];
  /** With --fix or --diff: what became of each Dockerfile the fixes changed. */
  delivered?: Map<string, Delivered>;
}

/** Plans of the named definition files and of the named folders' own definitions. */
export async function buildPlans(request: CliRequest, definitions: string[], folders: string[], env: NodeJS.ProcessEnv): Promise<BuildPlan[]> {
  const docker = request.resolver === 'mountlint' ? undefined : { bin: request.docker, env };
  const options = { env, bakeTargets: request.bakeTargets, services: request.services, docker, envFiles: request.envFiles, profiles: request.profiles, prepareParser: prepareShellParser };
  const plans: BuildPlan[] = [];
  // Named files are read as `docker buildx bake -f FILE…` run here (or in --workdir) reads them.
  if (definitions.length) plans.push(await degraded(() => readBuildPlan(definitions, { ...options, cwd: request.workdir ?? '.' }), definitions.map((d) => dirname(d)), false));
  for (const dir of folders) {
    // The folder's Dockerfiles are linted anyway: a definition we cannot read only adds its warning.
    const plan = await degraded(() => discoverBuildPlan(dir, options), [], true);
    if (plan) plans.push(plan);
  }
  if (request.resolver === 'docker' && plans.some((p) => p.resolvedBy !== 'docker' && p.requests.some((r) => /^docker (buildx bake|compose build)/.test(r.label)))) {
    throw new UsageError(`--resolver docker: docker buildx bake --print (bake files) or docker compose config (compose files) is not available (${request.docker}); use --resolver mountlint or auto`);
  }
  return plans;
}

/**
 * A plan, or when its definition is valid for Docker but mountlint cannot
 * evaluate it: an empty plan whose warning says where and why, with the
 * Dockerfiles under `folders` to lint alone. Errors Docker would refuse too stay errors.
 */
async function degraded<T extends BuildPlan | undefined>(read: () => Promise<T>, folders: string[], scanning: boolean): Promise<T | BuildPlan> {
  try {
    return await read();
  } catch (err) {
    // A scanned folder whose bake file has no default group: the user names targets when they run it.
    const degrades = err instanceof DefinitionError && (err.limitation || (scanning && err instanceof NoDefaultTarget));
    if (!degrades) throw err;
    const alone = [...new Set(findFiles([...new Set(folders)]).files)];
    const what = scanning ? "the folder's Dockerfiles are linted alone" : alone.length ? `its Dockerfiles (${alone.length}) are linted alone` : 'no Dockerfile is linted for it';
    return { files: [err.source], requests: [], notes: [], warnings: [`${err.describe()}; ${what}`], alone, resolvedBy: 'mountlint' };
  }
}

/** Lints (and with --fix/--diff fixes) every request of the plans. */
/** `linter`: a check run's, whose result cache may hold a plan's findings (explain, which needs the models, has none). */
export async function checkBuilds(request: CliRequest, io: CliIO, given: BuildPlan[], optionsFor?: (path: string) => LintOptions, linter?: FileLinter): Promise<BuildsCheck> {
  // The nearest configuration of the (first) definition file applies to its whole build.
  // (Dockerfiles named with --concurrent-builds have no definition file: the first Dockerfile's configuration applies.)
  const first = given[0]?.files[0]?.path ?? given[0]?.requests[0]?.targets[0]?.dockerfile;
  const options = { ...(optionsFor && first ? optionsFor(first) : lintOptions(request)), concurrentBuilds: request.concurrentBuilds };
  // Separate builds that run at the same time on one builder share its caches like the builds of one request.
  const plans = request.concurrentBuilds ? given.map(concurrent) : given;
  const lint: PlanLintResult[] = [];
  for (const plan of plans) lint.push(linter ? await linter.lintPlan(plan, options) : await lintPlan(plan, options, prepareShellParser));
  for (const warning of given.flatMap((p) => p.warnings ?? [])) io.stderr(`warning: ${warning}\n`);
  for (const note of lint.flatMap((l) => l.notes)) io.stderr(note.startsWith('warning: ') ? `${note}\n` : `note: ${note}\n`);
  const alone = given.flatMap((p) => aloneDockerfiles(p));
  const covered = new Set(lint.flatMap((l) => l.requests.flatMap((r) => r.members.map((m) => normalize(resolve(m.path))))));
  if (!request.fix && !request.diff) return { lint, results: mergeResults(lint.flatMap((l) => l.results)), covered, alone };

  // Fix request by request on texts held in memory, so a file built by two requests gets both fixes; write all at the end.
  await prepareShellParser();
  const inputs = new Map<string, Input>();
  const texts = new Map<string, string>();
  const inputOf = (path: string) => inputs.get(path) ?? inputs.set(path, readInput(path)).get(path)!;
  const read = (path: string) => texts.get(path) ?? inputOf(path).text;
  const results: LintResult[] = [];
  for (const l of lint) {
    for (const r of l.requests) {
      if (!r.members.length) continue;
      const { members } = requestMembers(r.request, [], read);
      const fixed = fixBuildSet(members, options, r.request.why);
      for (const path of fixed.changed) {
        if (members.some((m) => m.path === path && m.text !== undefined) && existsSync(path)) texts.set(path, fixed.outputs.get(path)!);
      }
      results.push(...fixed.result.results);
    }
  }
  const delivered = deliverFixes([...texts].map(([path, output]) => ({ path, input: inputOf(path), output })), request, io);
  // The report shows what stays on disk: the fixed files where they were written; as they are with --diff, or where they could not be.
  const written = !request.diff && ![...delivered.values()].some((d) => d.outcome?.fixed === false);
  return { lint, results: mergeResults(written ? results : lint.flatMap((l) => l.results)), covered, alone, delivered };
}

/** One result per file: the same Dockerfile built by two requests lists each finding once. */
function mergeResults(results: LintResult[]): LintResult[] {
  const byPath = new Map<string, LintResult>();
  for (const r of results) {
    const known = byPath.get(r.source.path);
    if (!known) {
      byPath.set(r.source.path, { ...r, diagnostics: [...r.diagnostics] });
      continue;
    }
    orderFindings(addNewFindings(known.diagnostics, r.diagnostics));
  }
  return [...byPath.values()];
}

/** Every request of a plan as one: with --concurrent-builds they run at the same time on one builder. */
function concurrent(plan: BuildPlan): BuildPlan {
  if (plan.requests.length < 2) return plan;
  const names = plan.requests.map((r) => r.label);
  return {
    ...plan,
    requests: [{ label: names.join(' + '), why: `${names.join(', ')} run at the same time on one builder (--concurrent-builds)`, targets: plan.requests.flatMap((r) => r.targets) }],
  };
}

/**
 * Dockerfiles named with --concurrent-builds and no build definition: separate
 * builds on one builder. One Dockerfile is two builds of it from different
 * source (two CI jobs, a merge queue beside a branch build): their COPY steps
 * read different files, so BuildKit merges nothing that comes after them.
 * Several Dockerfiles are builds that may overlap, each from its own source.
 * Steps that read no source (FROM, a RUN before any COPY) still merge.
 */
export function concurrentFilesPlan(paths: string[]): BuildPlan {
  const job = (path: string, n: number, name: string, label: string): BuildTarget => ({
    name,
    label,
    kind: 'CI job',
    definedAt: { source: new SourceFile(path, ''), range: { start: 0, end: 0 } },
    // A context key of its own: the source differs from every other build's.
    context: `${resolve(dirname(path))}\0build ${n}`,
    dockerfile: path,
    args: {},
    platforms: [],
    namedContexts: {},
  });
  if (paths.length === 1) {
    const [path] = paths;
    return {
      files: [],
      requests: [
        {
          label: `two builds of ${path}`,
          why: `two separate builds of ${path} from different source (two CI jobs, say) run at the same time on one builder (--concurrent-builds): their COPY steps differ, so BuildKit merges no step after them`,
          targets: [job(path, 1, 'build1', `build 1 of ${path}`), job(path, 2, 'build2', `build 2 of ${path}`)],
        },
      ],
      notes: [],
      resolvedBy: 'mountlint',
    };
  }
  const names = paths.map((p) => (basename(p).replace(/(^|[._-])(dockerfile|containerfile)([._-]|$)/i, '').replace(/[^A-Za-z0-9_-]/g, '') || basename(dirname(resolve(p)))).toLowerCase() || 'build');
  return {
    files: [],
    requests: [
      {
        label: `separate builds of ${paths.join(', ')}`,
        why: `${paths.join(', ')} are separate builds that may run at the same time on one builder, each from its own source (--concurrent-builds)`,
        targets: paths.map((p, i) => job(p, i + 1, names.indexOf(names[i]) === i ? names[i] : `${names[i]}${i + 1}`, `the build of ${p}`)),
      },
    ],
    notes: [],
    resolvedBy: 'mountlint',
  };
}
