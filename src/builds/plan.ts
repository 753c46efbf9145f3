/**
 * From files on disk to a build plan: which definition files there are, how
 * they combine (like `docker buildx bake` without -f, every default compose
 * and bake file of a folder merged into one request), and the requests they
 * make. Paths stay as the user gave them (relative stays relative), so
 * reports name files the way the user does.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { SourceFile } from '../syntax/index.js';
import { bakeRequest, joinNames, readBakeFiles, type BakeProject } from './bake/index.js';
import { composeRequest, parseDotEnv, readComposeServices } from './compose.js';
import { askCompose, askDocker, canAskCompose, canAskDocker, type DockerResolver } from './docker.js';
import { DefinitionError } from './errors.js';
import { loadHclParser } from './hcl/syntax.js';
import type { BuildPlan, BuildRequest, DefinitionPlace } from './types.js';
import { githubWorkflowSteps, gitlabSteps, repositoryRootOf, type CiStep } from './workflows.js';
import { loadShellParser } from '../commands/index.js';
import { findLaunchers, gitlabConcurrentRequests, launcherFiles, sharedBuilderJobs, type SharedBuilderJob } from './launchers.js';
import { isDirectory, isFile } from './paths.js';

export type DefinitionKind = 'bake' | 'compose' | 'github-workflow' | 'gitlab-ci';

export interface PlanOptions {
  /** The environment (variables of bake files and compose interpolation). */
  env: Record<string, string | undefined>;
  /** `--bake-target`: the groups or targets to build (default: "default"). */
  bakeTargets?: string[];
  /** `--service`: the compose services to build (default: all that build). */
  services?: string[];
  /** The builder's platform (BAKE_LOCAL_PLATFORM, and the default platform). */
  localPlatform?: string;
  /** Ask Docker (`docker buildx bake --print`) for the resolved values where buildx is installed; absent: never. */
  docker?: DockerResolver;
  /**
   * The folder `docker buildx bake -f FILE…` runs in: relative contexts of
   * bake files (and of compose files bake reads) are under it, not under the
   * file's folder. Default: the first file's folder.
   */
  cwd?: string;
  /** `--env-file`: read instead of the compose project's `.env`, in order. */
  envFiles?: string[];
  /** `--profile`: the compose profiles to build (default: COMPOSE_PROFILES). */
  profiles?: string[];
  /** Loads the shell parser, for scripts that may start builds at the same time (default: loadShellParser). */
  prepareParser?: () => Promise<void>;
}

/** Compose's default names (compose-go cli.DefaultFileNames), first found wins, then its override. */
const COMPOSE_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'];
const COMPOSE_OVERRIDES = ['compose.override.yml', 'compose.override.yaml', 'docker-compose.override.yml', 'docker-compose.override.yaml'];
/** Bake's own default names, after compose's (buildx bake.defaultFilenames). */
const BAKE_FILES = ['docker-bake.json', 'docker-bake.hcl', 'docker-bake.override.json', 'docker-bake.override.hcl'];

/** What kind of build definition a file is, by its name and place. */
export function definitionKind(path: string): DefinitionKind | undefined {
  const name = basename(path);
  if (/\.hcl$/i.test(name) || /^docker-bake(\.override)?\.json$/i.test(name) || /bake.*\.json$/i.test(name)) return 'bake';
  if (/^\.gitlab-ci\.ya?ml$/i.test(name)) return 'gitlab-ci';
  if (/\.ya?ml$/i.test(name) && /(^|[\\/])\.github[\\/]workflows[\\/]/.test(path)) return 'github-workflow';
  if (/^(docker-)?compose([.-].*)?\.ya?ml$/i.test(name)) return 'compose';
  return undefined;
}

/** The default bake and compose files of a folder, in the order buildx merges them. */
export function defaultDefinitionFiles(dir: string): string[] {
  const first = (names: string[]) => names.map((n) => join(dir, n)).find((p) => isFile(p));
  const compose = first(COMPOSE_FILES);
  const files: string[] = [];
  if (compose) {
    files.push(compose);
    const override = first(COMPOSE_OVERRIDES);
    if (override) files.push(override);
  }
  for (const n of BAKE_FILES) if (isFile(join(dir, n))) files.push(join(dir, n));
  return files;
}

/** The CI files of a folder: GitHub workflows and a GitLab CI file. */
export function ciDefinitionFiles(dir: string): string[] {
  const out: string[] = [];
  const workflows = join(dir, '.github', 'workflows');
  if (isDirectory(workflows)) {
    for (const n of readdirSync(workflows).sort()) if (/\.ya?ml$/i.test(n) && isFile(join(workflows, n))) out.push(join(workflows, n));
  }
  for (const n of ['.gitlab-ci.yml', '.gitlab-ci.yaml']) if (isFile(join(dir, n))) out.push(join(dir, n));
  return out;
}



function readSource(path: string): SourceFile {
  try {
    return new SourceFile(path, readFileSync(path, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new DefinitionReadError(`cannot read ${path}: ${code === 'ENOENT' ? 'no such file or directory' : (err as Error).message}`);
  }
}

/** A definition file that cannot be read at all (no place in it to point at). */
export class DefinitionReadError extends Error {}

/**
 * The plan of the given definition files: bake and compose files together
 * are one bake request (compose alone: `docker compose build`); each CI file
 * makes the requests of its steps.
 */
export async function readBuildPlan(paths: string[], options: PlanOptions): Promise<BuildPlan> {
  const kinds = paths.map((p) => ({ path: p, kind: definitionKind(p) ?? sniff(p) }));
  const unknown = kinds.find((k) => k.kind === undefined);
  if (unknown) throw new DefinitionReadError(`${unknown.path} is not a bake, compose or CI file mountlint knows`);
  const plan: BuildPlan = { files: [], requests: [], notes: [], resolvedBy: 'mountlint' };
  const bakeLike = kinds.filter((k) => k.kind === 'bake' || k.kind === 'compose').map((k) => k.path);
  if (bakeLike.length) plan.requests.push(await bakeOrComposeWithDocker(bakeLike, options, plan));
  for (const k of kinds) {
    if (k.kind !== 'github-workflow' && k.kind !== 'gitlab-ci') continue;
    const source = readSource(k.path);
    plan.files.push(source);
    const root = k.kind === 'github-workflow' ? repositoryRootOf(k.path) : dirname(k.path);
    const steps = k.kind === 'github-workflow' ? githubWorkflowSteps(source, root) : gitlabSteps(source, root);
    // A job whose matrix legs share one Docker: all its legs' builds are one request, as they run together.
    const shared = k.kind === 'github-workflow' ? sharedBuilderJobs(source) : new Map<string, SharedBuilderJob>();
    const together = new Map<string, BuildRequest>();
    for (const step of steps) {
      const request = await ciRequest(step, options, plan);
      const job = step.job !== undefined ? shared.get(step.job) : undefined;
      if (job === undefined) {
        plan.requests.push(request);
        continue;
      }
      let joint = together.get(step.job!);
      if (!joint) {
        joint = { label: `workflow ${k.path} job "${step.job}"`, why: `job "${step.job}" of ${k.path}: ${job.why}`, targets: [], definedAt: request.definedAt, separateBuilds: true };
        together.set(step.job!, joint);
        plan.requests.push(joint);
      }
      // Each leg's build names the line that makes the legs share a Docker, and its own step.
      const starts = [{ place: job.place, message: job.message }, { place: step.place, message: 'this step builds in every matrix leg' }];
      joint.targets.push(...request.targets.map((t) => ({ ...t, startedBy: starts })));
    }
    // Builds a GitLab job starts at the same time on its Docker (in the background, by a parallel matrix).
    let concurrent = 0;
    if (k.kind === 'gitlab-ci' && /\bdocker\b/.test(source.text)) {
      await (options.prepareParser ?? loadShellParser)();
      const found = gitlabConcurrentRequests(source, root, plan.notes);
      concurrent = found.length;
      plan.requests.push(...found);
    }
    if (!steps.length && !concurrent) plan.notes.push(`${k.path}: no docker/build-push-action, docker/bake-action or plain docker buildx build/bake step`);
  }
  return plan;
}

/** A folder's plan: its default bake/compose files and its CI files; undefined when it has none. */
export async function discoverBuildPlan(dir: string, options: PlanOptions): Promise<BuildPlan | undefined> {
  const definitions = defaultDefinitionFiles(dir);
  const ci = ciDefinitionFiles(dir);
  const launchers = launcherFiles(dir);
  if (!definitions.length && !ci.length && !launchers.length) return undefined;
  // A folder's own files are read as `docker buildx bake` run in that folder reads them.
  const plan: BuildPlan = definitions.length || ci.length ? await readBuildPlan([...definitions, ...ci], { ...options, cwd: dir, bakeTargets: options.bakeTargets ?? (definitions.length ? undefined : []) }) : { files: [], requests: [], notes: [], resolvedBy: 'mountlint' };
  // Builds its Makefile, scripts or CI jobs start at the same time (make -j, `&`): found, not flagged.
  const started = await findLaunchers(dir, ci, options.prepareParser ?? loadShellParser);
  plan.requests.push(...started.requests);
  // A CI file whose only build is `make -j` does start builds: its "no build step" note would mislead.
  const starting = new Set(started.requests.flatMap((r) => r.targets.flatMap((t) => (t.startedBy ?? []).map((s) => s.place.source.path))));
  plan.notes = plan.notes.filter((n) => ![...starting].some((path) => n.startsWith(`${path}: no docker/build-push-action`)));
  plan.notes.push(...started.notes);
  for (const f of started.files) if (started.requests.some((r) => r.definedAt?.source === f) && !plan.files.some((p) => p.path === f.path)) plan.files.push(f);
  if (!plan.requests.length && !definitions.length && !ci.length) return plan.notes.length ? plan : undefined;
  return plan;
}

/** A YAML file named otherwise: compose if it has `services`, a GitHub workflow if it has `jobs` and `on`. */
function sniff(path: string): DefinitionKind | undefined {
  if (!/\.ya?ml$/i.test(path) || !existsSync(path)) return undefined;
  const text = readFileSync(path, 'utf8');
  if (/^services\s*:/m.test(text)) return 'compose';
  if (/^jobs\s*:/m.test(text) && /^(on|"on"|'on')\s*:/m.test(text)) return 'github-workflow';
  return undefined;
}

async function bakeOrComposeRequest(paths: string[], options: PlanOptions, plan: BuildPlan): Promise<BuildRequest> {
  const sources = paths.map(readSource);
  plan.files.push(...sources);
  const compose = sources.filter((s) => definitionKind(s.path) === 'compose' || sniff(s.path) === 'compose');
  const bake = sources.filter((s) => !compose.includes(s));
  if (!bake.length) {
    if (options.bakeTargets?.length) throw new DefinitionReadError('--bake-target needs a bake file; for compose files name services with --service');
    // Compose's project folder is the first file's, wherever it runs from.
    const projectDir = dirname(paths[0]);
    return composeRequest(compose, { env: withDotEnv(options.env, projectDir, options.envFiles), projectDir, profiles: options.profiles }, options.services ?? []);
  }
  if (options.services?.length) throw new DefinitionReadError('--service applies to compose files alone; with a bake file name targets with --bake-target');
  return (await bakeProjectRequest(bake, compose, options.cwd ?? dirname(paths[0]), options, options.bakeTargets ?? [], sources)).request;
}

/** `docker buildx bake` over bake files and the compose files it reads with them, run in `cwd`. */
async function bakeProjectRequest(bake: SourceFile[], compose: SourceFile[], cwd: string, options: PlanOptions, names: string[], sources: SourceFile[], askedAt?: DefinitionPlace): Promise<{ project: BakeProject; request: BuildRequest }> {
  await loadHclParser();
  const project = readBakeFiles(bake, { env: options.env, cwd, localPlatform: options.localPlatform ?? 'linux/amd64' });
  // Bake reads compose files as a project in the folder it runs in, every profile on.
  if (compose.length) project.addServices(readComposeServices(compose, { env: withDotEnv(options.env, cwd, options.envFiles), projectDir: cwd, mode: 'bake' }).services);
  return { project, request: bakeRequest(project, names, sources, askedAt) };
}

/** The request of one CI step: a single build, or a bake run with the step's files, targets and overrides. */
async function ciRequest(step: CiStep, options: PlanOptions, plan: BuildPlan): Promise<BuildRequest> {
  if (step.kind === 'build') return { label: step.step, why: `${step.step} builds it`, targets: [step.target], definedAt: step.place };
  if (step.unknown) {
    const at = step.place.source.positionAt(step.unknown.range.start);
    plan.warnings = [...(plan.warnings ?? []), `${step.place.source.path}:${at.line}:${at.column}: ${step.step} is not analysed: ${step.unknown.reason}`];
    return { label: step.step, why: `${step.step} runs bake`, targets: [], definedAt: step.place };
  }
  const files = step.files.length ? step.files : defaultDefinitionFiles(step.workdir);
  if (!files.length) throw new DefinitionError(`${step.step}: no bake or compose file in ${step.workdir}`, step.place.source, step.place.range);
  const sources = files.map((f) => {
    try {
      return readSource(f);
    } catch (err) {
      throw new DefinitionError(`${step.step}: ${(err as Error).message}`, step.place.source, step.place.range);
    }
  });
  for (const s of sources) if (!plan.files.some((f) => f.path === s.path)) plan.files.push(s);
  const compose = sources.filter((s) => definitionKind(s.path) === 'compose' || sniff(s.path) === 'compose');
  const bake = sources.filter((s) => !compose.includes(s));
  const { project, request } = await bakeProjectRequest(bake, compose, step.workdir, options, step.targets, sources, step.place);
  const targets = request.targets.map((t) => project.override(t, step.set));
  return { label: step.step, why: `${step.step} runs bake: ${request.why}`, targets, definedAt: step.place };
}

/** Compose reads the project's .env (or the --env-file files instead) under the environment: the environment wins. */
function withDotEnv(env: Record<string, string | undefined>, dir: string, envFiles?: string[]): Record<string, string | undefined> {
  const files = envFiles?.length ? envFiles : [join(dir, '.env')];
  let fromFiles: Record<string, string> = {};
  for (const file of files) {
    if (!isFile(file)) {
      if (envFiles?.length) throw new DefinitionReadError(`--env-file ${file}: no such file`);
      continue;
    }
    fromFiles = { ...fromFiles, ...parseDotEnv(readFileSync(file, 'utf8')) };
  }
  return { ...fromFiles, ...env };
}

/**
 * The request of bake and compose files, resolved by Docker where it can be.
 * When our own reading cannot evaluate them (a matrix over `uuidv4()`…) but
 * buildx is here, buildx's answer is used alone, each target placed at the
 * start of the first file; without buildx, the limitation propagates (the
 * CLI lints the Dockerfiles alone with a warning).
 */
async function bakeOrComposeWithDocker(files: string[], options: PlanOptions, plan: BuildPlan): Promise<BuildRequest> {
  const names = [...(options.bakeTargets ?? []), ...(options.services ?? [])];
  try {
    return resolvedByDocker(await bakeOrComposeRequest(files, options, plan), files, names, options, plan);
  } catch (err) {
    const compose = files.every((f) => definitionKind(f) === 'compose' || sniff(f) === 'compose');
    if (!(err instanceof DefinitionError) || !err.limitation || compose || !options.docker || !canAskDocker(options.docker)) throw err;
    const first = plan.files.find((f) => f.path === files[0]) ?? err.source;
    const stub: BuildRequest = { label: `docker buildx bake${names.length ? ' ' + names.join(' ') : ''}`, why: '', targets: [], definedAt: { source: first, range: { start: 0, end: 0 } } };
    const asked = askDocker(options.docker, files, names, stub, options.cwd ?? dirname(files[0]), options.localPlatform ?? 'linux/amd64');
    if (!asked.request) throw err;
    plan.resolvedBy = 'docker';
    plan.notes.push(`${err.describe()}: resolved by docker buildx bake --print instead`);
    return { ...asked.request, label: stub.label, why: `${stub.label} builds ${joinNames(asked.request.targets.map((t) => t.name))} in one request` };
  }
}

/**
 * Where buildx is installed, its own evaluation (`docker buildx bake
 * --print`) replaces ours: variables, functions and env files resolve
 * exactly as they will at build time, and nothing is left unknown. Our
 * reading still gives each target its place in the files.
 */
function resolvedByDocker(ours: BuildRequest, files: string[], names: string[], options: PlanOptions, plan: BuildPlan): BuildRequest {
  if (!options.docker) return ours;
  const compose = files.every((f) => definitionKind(f) === 'compose' || sniff(f) === 'compose');
  if (compose) {
    // `docker compose build` reads them as Compose does (profiles, env files), which bake's reading does not.
    if (!canAskCompose(options.docker)) return ours;
    const asked = askCompose(options.docker, files, ours, { envFiles: options.envFiles, profiles: options.profiles, services: options.services });
    if (!asked.request) {
      plan.notes.push(`docker compose config could not resolve ${files.join(', ')} (${asked.problem}); mountlint's own reading is used`);
      return ours;
    }
    plan.resolvedBy = 'docker';
    return asked.request;
  }
  if (!canAskDocker(options.docker)) return ours;
  const cwd = options.cwd ?? dirname(files[0]);
  const asked = askDocker(options.docker, files, names, ours, cwd, options.localPlatform ?? 'linux/amd64');
  if (!asked.request) {
    plan.notes.push(`docker buildx bake --print could not resolve ${files.join(', ')} (${asked.problem}); mountlint's own reading is used`);
    return ours;
  }
  plan.resolvedBy = 'docker';
  return asked.request;
}
