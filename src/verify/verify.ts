/**
 * `mountlint verify`: runs the build for real, several times, each from a
 * cold cache that is the run's own (a fresh BUILDKIT_CACHE_MOUNT_NS and
 * --no-cache), maps every failure back to its step and to the finding that
 * predicted it, and removes what the runs created (their build-cache records
 * and images), never the user's own caches.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fixText, lintText, type LintOptions, type LintResult } from '../engine/index.js';
import { runsToConvince } from '../knowledge/index.js';
import { CACHE_NAMESPACE_ARG, type Frontend } from '../model/index.js';
import type { FixStrategy } from '../rules/index.js';
import { parseBuildLog } from './build-log.js';
import { detectDocker, runBuild, type DockerSetup } from './docker-cli.js';
import { EngineApi } from './engine-api.js';
import { mapFailure, type MappedFailure } from './map-failure.js';
import { findWaits, type ObservedWait } from './waits.js';

export interface VerifyOptions {
  file: string;
  /** The file's text, when the caller has read it already. */
  text?: string;
  /** Cold builds per variant; default: what the file's racing tools need (`defaultRuns`). */
  runs?: number;
  target?: string;
  buildArgs: Record<string, string>;
  platforms?: string[];
  /** The frontend to predict with; default: chosen from the engine's version. */
  frontend?: Frontend;
  builder?: string;
  network?: string;
  context?: string;
  dockerBin: string;
  fixStrategy?: FixStrategy;
  env: NodeJS.ProcessEnv;
  onProgress?: (event: ProgressEvent) => void;
  /** Every run's whole output, as the engine printed it (the e2e suite saves them as diagnose's fixtures). */
  onLog?: (at: { variant: ProgressEvent['variant']; run: number; dockerfile: string }, log: string) => void;
  /** Stop a run that takes longer than this (default: no limit). */
  timeoutMs?: number;
}

export interface ProgressEvent {
  variant: 'original' | 'fixed';
  run: number;
  runs: number;
  step?: string;
  elapsedMs: number;
  finished?: { ok: boolean };
}

export interface RunResult {
  run: number;
  ok: boolean;
  ms: number;
  failure?: MappedFailure;
  /** Tools that waited for a lock another build held (the run went on). */
  waits: ObservedWait[];
  /** Stopped at its time limit. */
  timedOut?: boolean;
}

export interface VariantResult {
  variant: 'original' | 'fixed';
  dockerfile: string;
  prediction: LintResult;
  runs: RunResult[];
}

export interface VerifyResult {
  engine: { client: string; server: string; buildx: boolean };
  /** How many runs each variant got, and why that many. */
  runs: RunCount;
  original: VariantResult;
  fixed?: VariantResult & { strategy: FixStrategy; changed: boolean };
  cleanup: { records: number; images: number; problems: string[] };
}

export async function verify(options: VerifyOptions): Promise<VerifyResult> {
  const setup = detectDocker(options.dockerBin, options.env);
  const api = options.builder ? undefined : EngineApi.fromEnv(options.env);
  const cleanup = { records: 0, images: 0, problems: [] as string[] };
  if (options.builder) cleanup.problems.push(`build-cache records on builder "${options.builder}" are not removed automatically (remove them with docker buildx prune --builder ${options.builder})`);
  else if (!api) cleanup.problems.push('DOCKER_HOST is not a unix socket: build-cache records created by verify were not removed');
  const before = api ? await recordIds(api, cleanup.problems) : undefined;

  const lintOptions: LintOptions = {
    target: options.target,
    buildArgs: options.buildArgs,
    platforms: options.platforms,
    fixStrategy: options.fixStrategy,
    frontend: options.frontend ?? frontendOf(setup.server),
  };
  const text = options.text ?? readFileSync(options.file, 'utf8');
  const runs = chooseRuns(options.runs, () => [lintText(text, options.file, lintOptions)]);
  const context = resolve(options.context ?? dirname(options.file));
  const scratch = mkdtempSync(join(tmpdir(), 'mountlint-verify-'));
  try {
    const original = await runVariant('original', resolve(options.file), text, lintOptions, options, runs.runs, setup, context, scratch, api, cleanup);
    let fixed: VerifyResult['fixed'];
    if (options.fixStrategy) {
      const out = fixText(text, options.file, lintOptions);
      // The fixed copy sits in a scratch folder; the build context stays the user's.
      const copy = join(scratch, basename(options.file).includes('Dockerfile') ? basename(options.file) : 'Dockerfile');
      writeFileSync(copy, out.output);
      const result = await runVariant('fixed', copy, out.output, lintOptions, options, runs.runs, setup, context, scratch, api, cleanup);
      fixed = { ...result, strategy: options.fixStrategy, changed: out.changed };
    }
    if (api && before) await removeNewRecords(api, before, cleanup);
    return { engine: { client: setup.client, server: setup.server, buildx: setup.buildx }, runs, original, fixed, cleanup };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function runVariant(
  variant: 'original' | 'fixed',
  dockerfile: string,
  text: string,
  lintOptions: LintOptions,
  options: VerifyOptions,
  count: number,
  setup: DockerSetup,
  context: string,
  scratch: string,
  api: EngineApi | undefined,
  cleanup: VerifyResult['cleanup'],
): Promise<VariantResult> {
  const prediction = lintText(text, dockerfile, lintOptions);
  const runs: RunResult[] = [];
  for (let run = 1; run <= count; run++) {
    const namespace = runNamespace(variant, run);
    const iidfile = join(scratch, `${variant}-${run}.iid`);
    const outcome = await withProgress(options.onProgress, { variant, run, runs: count }, /^#\d+ (\[(?:.+? )?[^\s\]]+ +\d+\/\d+\] .*)$/, (onLine) =>
      runBuild(
        setup,
        {
          dockerfile,
          context,
          target: options.target,
          buildArgs: { ...options.buildArgs, [CACHE_NAMESPACE_ARG]: namespace },
          platforms: options.platforms,
          builder: options.builder,
          network: options.network,
          iidfile,
        },
        onLine,
        { timeoutMs: options.timeoutMs },
      ),
    );
    const ok = outcome.code === 0;
    options.onLog?.({ variant, run, dockerfile }, outcome.log);
    const log = parseBuildLog(outcome.log);
    runs.push({ run, ok, ms: outcome.ms, failure: ok ? undefined : mapFailure(log, prediction), waits: findWaits(log), ...(outcome.timedOut ? { timedOut: true } : {}) });
    if (api) await removeImage(api, iidfile, cleanup);
  }
  return { variant, dockerfile, prediction, runs };
}

export async function recordIds(api: EngineApi, problems: string[]): Promise<Set<string> | undefined> {
  try {
    return new Set((await api.buildCacheRecords()).map((r) => r.ID));
  } catch (err) {
    problems.push(`could not list build-cache records, so none were removed: ${(err as Error).message}`);
    return undefined;
  }
}

/** A cold run's own cache namespace: fresh, empty cache directories that no other build uses. */
export function runNamespace(variant: ProgressEvent['variant'], run: number): string {
  return `mountlint-verify-${process.pid}-${Date.now().toString(36)}-${variant}-${run}`;
}

/**
 * Runs one build and reports its progress: an event every 500 ms and at each
 * new step (a log line that `stepLine` matches, the step in its group 1), and
 * one when the build ends.
 */
export async function withProgress<T extends { code: number; ms: number }>(
  onProgress: ((event: ProgressEvent) => void) | undefined,
  at: { variant: ProgressEvent['variant']; run: number; runs: number },
  stepLine: RegExp,
  build: (onLine: (line: string) => void) => Promise<T>,
): Promise<T> {
  let step: string | undefined;
  const started = performance.now();
  const tick = () => onProgress?.({ ...at, step, elapsedMs: performance.now() - started });
  const timer = setInterval(tick, 500);
  let outcome: T;
  try {
    outcome = await build((line) => {
      const m = stepLine.exec(line);
      if (m && m[1] !== step) {
        step = m[1];
        tick();
      }
    });
  } finally {
    clearInterval(timer);
  }
  onProgress?.({ ...at, step, elapsedMs: outcome.ms, finished: { ok: outcome.code === 0 } });
  return outcome;
}

/** Removes the records that appeared during verify (its cache mounts and layers), one by one, by id. */
export async function removeNewRecords(api: EngineApi, before: Set<string>, cleanup: VerifyResult['cleanup']): Promise<void> {
  let records;
  try {
    records = await api.buildCacheRecords();
  } catch (err) {
    cleanup.problems.push(`could not list build-cache records after the runs: ${(err as Error).message}`);
    return;
  }
  for (const r of records) {
    if (before.has(r.ID) || r.InUse) continue;
    try {
      await api.pruneRecord(r.ID);
      cleanup.records++;
    } catch (err) {
      cleanup.problems.push(`could not remove build-cache record ${r.ID}: ${(err as Error).message}`);
    }
  }
}

async function removeImage(api: EngineApi, iidfile: string, cleanup: VerifyResult['cleanup']): Promise<void> {
  let id: string;
  try {
    id = readFileSync(iidfile, 'utf8').trim();
  } catch {
    return; // the build failed before producing an image
  }
  if (!id) return;
  try {
    await api.removeImage(id);
    cleanup.images++;
  } catch (err) {
    cleanup.problems.push(`could not remove image ${id}: ${(err as Error).message}`);
  }
}

export interface RunCount {
  runs: number;
  /** Why that many: asked for, the default, or the racing tool that needs more. */
  reason: string;
}

/** Runs when nothing racy is predicted, or the racing tools fail (nearly) every time. */
export const DEFAULT_RUNS = 3;

/**
 * The cold runs per variant, one choice for a single file and for a bake or
 * compose request: what was asked for, else what the races predicted in its
 * files need (`defaultRuns`; `predict` lints only then).
 */
export function chooseRuns(asked: number | undefined, predict: () => ReadonlyArray<Pick<LintResult, 'diagnostics'>>): RunCount {
  return asked !== undefined ? { runs: asked, reason: 'asked for' } : defaultRuns({ diagnostics: predict().flatMap((p) => p.diagnostics) });
}

/**
 * Enough cold runs that a race the file's findings predict would most likely
 * have shown (95%), from the failure rates measured for each tool here
 * (knowledge: observed races); never fewer than DEFAULT_RUNS.
 */
export function defaultRuns(prediction: Pick<LintResult, 'diagnostics'>): RunCount {
  let best: RunCount = { runs: DEFAULT_RUNS, reason: 'the default' };
  const tools = new Set(prediction.diagnostics.filter((d) => d.ruleId === 'cache-race').flatMap((d) => d.tools ?? []));
  for (const tool of tools) {
    const n = runsToConvince(tool);
    if (n !== undefined && n > best.runs) best = { runs: n, reason: `${tool} races fail only some of the time; ${n} clean runs leave under a 5% chance of missing one` };
  }
  return best;
}

/** Docker before 23 runs its own old Dockerfile frontend for files without `# syntax=`. */
export function frontendOf(serverVersion: string): Frontend {
  return Number.parseInt(serverVersion, 10) < 23 ? 'docker-20.10' : 'current';
}
