/**
 * Linting the files of a check run: from the result cache when it has them,
 * else on the lanes of a pool (the main thread, and worker threads when the
 * run is big enough). The caller reads the outcomes in the files' order.
 *
 * When workers start: `--jobs N` (N > 1) starts N − 1 of them for any run
 * of two files or more; by default a run of at least WORKERS_FROM files on a
 * machine of at least WORKERS_FROM_CORES cores starts one per available core
 * but the main thread's. The thresholds come from measurement (docs/design.md).
 */
import { createRequire } from 'node:module';
import { lintPlan, type BuildPlan, type PlanLintResult } from '../builds/index.js';
import { applies, type LintOptions } from '../engine/index.js';
import type { CliRequest } from './args.js';
import { displayPath, type CliIO } from './io.js';
import { decodeOutcome, type Linted, type FileJob } from './jobs.js';
import { lintPlanCached } from './plan-cache.js';
import { LintPool } from './pool.js';
import { encodeOptions, optionsFingerprint, type PortableOptions } from './portable.js';
import { defaultCacheRoot, ResultCache } from './result-cache.js';
import { prepareShellParser } from './shell-parser.js';

/** Files a run needs before workers pay for their start (measured: docs/design.md). */
export const WORKERS_FROM = 16;
/**
 * Cores a machine needs before a default run starts workers. On 2 cores a worker never paid:
 * 770 real-world files took 1.66 s wall and 3.06 CPU s with one against 1.57 s and 2.45 s
 * without, on an idle machine (docs/design.md, issue 25).
 */
export const WORKERS_FROM_CORES = 3;

export class FileLinter {
  private pool?: LintPool;
  private cache?: ResultCache | null;
  private warned = false;
  /** How many files the run has (it decides whether workers start). */
  fileCount = 1;

  constructor(
    private readonly request: CliRequest,
    private readonly io: CliIO,
    /** Whether a file's results go through the cache (--cache, or its configuration's `cache: true`). */
    private readonly cacheFor: (path: string) => boolean,
  ) {}

  /** A bake, compose or CI plan's lint, one unit of work on the main thread; cached as one entry on every file involved. */
  async lintPlan(plan: BuildPlan, options: LintOptions): Promise<PlanLintResult> {
    const definition = plan.files[0]?.path;
    const cache = definition !== undefined && this.cacheFor(definition) ? this.openCache() : undefined;
    if (!cache) return lintPlan(plan, options, prepareShellParser);
    const { linted, cacheError } = await lintPlanCached(plan, options, cache, prepareShellParser);
    if (cacheError) this.warn(cacheError);
    return linted;
  }

  /** A file's findings, and with `fix` its fixed text and the findings left in it. */
  async check(path: string, text: string, options: LintOptions, fix: boolean): Promise<Linted> {
    const name = displayPath(path);
    const cache = this.cacheFor(path) ? this.openCache() : undefined;
    let cacheJob: FileJob['cache'];
    if (cache) {
      const fingerprint = this.fingerprint(options);
      const hit = cache.get(cache.key(name, fingerprint, text));
      if (hit) {
        const checked = decodeOutcome({ linted: hit }, name, text);
        // A file with something to fix is fixed for real: the fix loop lints the new text again.
        if (!fix) return checked;
        if (!fixesSomething(checked, options, name)) return { ...checked, fixed: { output: text, changed: false, result: checked.linted } };
      }
      cacheJob = { location: cache.location, options: fingerprint };
    }
    const outcome = await this.lanes().run({ path: name, text, options: this.portable(options), fix, cache: cacheJob });
    if (outcome.cacheError) this.warn(outcome.cacheError);
    return decodeOutcome(outcome, name, text);
  }

  // Most files of a run share one options object (settings.ts): encoded once.
  private readonly fingerprints = new WeakMap<LintOptions, string>();
  private readonly encoded = new WeakMap<LintOptions, PortableOptions>();

  private fingerprint(options: LintOptions): string {
    let fingerprint = this.fingerprints.get(options);
    if (fingerprint === undefined) this.fingerprints.set(options, (fingerprint = optionsFingerprint(options)));
    return fingerprint;
  }

  private portable(options: LintOptions): PortableOptions {
    let encoded = this.encoded.get(options);
    if (!encoded) this.encoded.set(options, (encoded = encodeOptions(options)));
    return encoded;
  }

  async close(): Promise<void> {
    await this.pool?.close();
  }

  private lanes(): LintPool {
    if (this.pool) return this.pool;
    const { jobs } = this.request;
    if (jobs !== undefined) this.pool = new LintPool(Math.min(jobs, this.fileCount), 2);
    else {
      const { availableParallelism } = createRequire(import.meta.url)('node:os') as typeof import('node:os');
      const cores = availableParallelism();
      if (this.fileCount < WORKERS_FROM || cores < WORKERS_FROM_CORES) this.pool = new LintPool(1, Infinity);
      else this.pool = new LintPool(Math.min(cores, this.fileCount), WORKERS_FROM);
    }
    return this.pool;
  }

  private openCache(): ResultCache | undefined {
    if (this.cache === undefined) {
      const root = this.request.cacheLocation ?? defaultCacheRoot(this.io.env);
      try {
        this.cache = ResultCache.open(root);
      } catch (err) {
        this.warn(`cannot use the result cache in ${root}: ${(err as Error).message}`);
        this.cache = null;
      }
    }
    return this.cache ?? undefined;
  }

  private warn(message: string): void {
    if (this.warned) return;
    this.warned = true;
    this.io.stderr(`mountlint: warning: ${message} (going on without it)\n`);
  }
}

/** Whether --fix would change the file: a fix it applies edits this file (as fixText decides). */
function fixesSomething(checked: Linted, options: LintOptions, path: string): boolean {
  return checked.linted.diagnostics.some((d) => d.fix && applies(d.fix, options) && d.fix.edits.some((e) => !e.file || e.file.path === path));
}

export type Settled<R> = { value: R } | { error: unknown };

/**
 * Starts `start(item)` for up to `ahead` items past the one being read, and
 * yields each item's outcome in the items' order. A failure is yielded at
 * its item's turn, never earlier.
 */
export async function* inOrder<T, R>(items: readonly T[], start: (item: T) => Promise<R>, ahead = 64): AsyncGenerator<[T, Settled<R>]> {
  const started: Array<Promise<Settled<R>> | undefined> = [];
  const settle = (item: T): Promise<Settled<R>> => {
    try {
      return start(item).then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      );
    } catch (error) {
      return Promise.resolve({ error });
    }
  };
  for (let i = 0; i < items.length; i++) {
    while (started.length < Math.min(items.length, i + 1 + ahead)) started.push(settle(items[started.length]));
    const outcome = await started[i]!;
    started[i] = undefined; // what was reported need not stay in memory
    yield [items[i], outcome];
  }
}
