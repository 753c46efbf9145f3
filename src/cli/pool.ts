/**
 * Lanes that lint files at the same time: the main thread, and worker
 * threads once a run has enough files to pay for starting them. Every lane
 * takes the next job from one queue, so a lane that meets a big file does
 * not hold up the others; the caller gets each file's outcome as a promise
 * and reports them in its own order, so the output does not depend on which
 * lane did what.
 *
 * A worker loads the CLI bundle as the CLI does (bin/load-cli.cjs, with a V8
 * code cache), under the shell parser's V8 flags, set before it starts
 * (shell-parser.ts). A worker that fails gives its jobs back to the queue;
 * the main thread then does them.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { BuildOptionError } from '../model/index.js';
import { AnalysisLimitError, type Range } from '../syntax/index.js';
import { inSingleExecutable } from '../commands/index.js';
import { runJob, type FileJob, type JobOutcome } from './jobs.js';
import { setShellParserFlags } from './shell-parser.js';

interface Task {
  job: FileJob;
  resolve: (outcome: JobOutcome) => void;
  reject: (error: unknown) => void;
  /** A worker failed while it had this job: the main thread does it, once. */
  retried?: boolean;
}

interface Lane {
  worker: Worker;
  ready: boolean;
  inflight: Map<number, Task>;
  /** Called when the worker says it has ended (see close()). */
  ended?: () => void;
}

/** What a worker sends back. */
export type WorkerMessage = { ready: true } | { ended: true } | { id: number; outcome: JobOutcome } | { id: number; error: WorkerError };
export interface WorkerError {
  message: string;
  stack?: string;
  /** Errors the CLI reports in its own words (an unknown --target stage, input beyond what is analysed). */
  kind?: 'build-option' | 'analysis-limit';
  range?: Range;
}

/**
 * Jobs a worker holds at once: enough that it never waits for the main
 * thread to hand it the next one while that thread lints a file itself,
 * few enough that the lanes finish together.
 */
const INFLIGHT = 4;

const require = createRequire(import.meta.url);

export class LintPool {
  private readonly queue: Task[] = [];
  private readonly lanes: Lane[] = [];
  private submitted = 0;
  private started = false;
  private mainLaneRunning = false;
  private nextId = 0;

  /**
   * `threads`: lanes in all, the main thread included (1: no workers).
   * `startAt`: start the workers when this many jobs have come (smaller runs
   * are over before a worker would be ready).
   */
  constructor(
    private readonly threads: number,
    private readonly startAt: number,
  ) {}

  run(job: FileJob): Promise<JobOutcome> {
    const outcome = new Promise<JobOutcome>((resolve, reject) => this.queue.push({ job, resolve, reject }));
    if (++this.submitted >= this.startAt && !this.started && this.threads > 1) this.startWorkers();
    this.feedWorkers();
    this.wakeMainLane();
    return outcome;
  }

  /** Stops the workers, each once it has said it is done (at most a second: jobs still running on them are dropped). */
  async close(): Promise<void> {
    await Promise.all(
      this.lanes.map(async (lane) => {
        const ended = new Promise<void>((resolve) => {
          lane.ended = resolve;
          setTimeout(resolve, 1000).unref();
        });
        lane.worker.postMessage({ end: true });
        await ended;
        await lane.worker.terminate();
      }),
    );
  }

  /** How many worker threads this run started. */
  get workers(): number {
    return this.lanes.length;
  }

  private startWorkers(): void {
    this.started = true;
    // The single executable has no bundle on disk for a worker to load: its main thread does it all.
    if (inSingleExecutable()) return;
    const { Worker } = require('node:worker_threads') as typeof import('node:worker_threads');
    setShellParserFlags();
    for (let i = 1; i < this.threads; i++) {
      let worker: Worker;
      try {
        worker = new Worker(WORKER_BOOT, { eval: true, workerData: workerEntry() });
      } catch {
        return; // no workers here (a sandbox, resource limits): the main thread does it all
      }
      const lane: Lane = { worker, ready: false, inflight: new Map() };
      this.lanes.push(lane);
      worker.on('message', (message: WorkerMessage) => this.received(lane, message));
      worker.on('error', () => this.lost(lane));
      worker.on('exit', () => this.lost(lane));
    }
  }

  private received(lane: Lane, message: WorkerMessage): void {
    if ('ready' in message) lane.ready = true;
    else if ('ended' in message) lane.ended?.();
    else {
      const task = lane.inflight.get(message.id)!;
      lane.inflight.delete(message.id);
      if ('outcome' in message) task.resolve(message.outcome);
      else task.reject(errorFromWorker(message.error));
    }
    this.feedWorkers();
  }

  /** A worker stopped: its jobs go back to the front of the queue, for the main thread. */
  private lost(lane: Lane): void {
    const index = this.lanes.indexOf(lane);
    if (index < 0) return;
    this.lanes.splice(index, 1);
    const again: Task[] = [];
    for (const task of lane.inflight.values()) {
      if (task.retried) task.reject(new Error('a worker thread stopped while linting this file'));
      else again.push(Object.assign(task, { retried: true }));
    }
    lane.inflight.clear();
    if (!again.length) return;
    this.queue.unshift(...again);
    this.wakeMainLane();
  }

  private feedWorkers(): void {
    for (const lane of this.lanes) {
      while (lane.ready && lane.inflight.size < INFLIGHT && this.queue.length) {
        const task = this.queue.shift()!;
        if (task.retried) {
          this.queue.unshift(task); // a job a worker failed on is the main thread's
          break;
        }
        const id = this.nextId++;
        lane.inflight.set(id, task);
        lane.worker.postMessage({ id, job: task.job });
      }
    }
  }

  private wakeMainLane(): void {
    if (this.mainLaneRunning) return;
    this.mainLaneRunning = true;
    // After the caller has queued what it has at hand, so that workers get their share first.
    setImmediate(() => void this.mainLane());
  }

  private async mainLane(): Promise<void> {
    while (this.queue.length) {
      const task = this.queue.shift()!;
      try {
        task.resolve(await runJob(task.job));
      } catch (err) {
        task.reject(err);
      }
      // Let the workers' messages in, so they get their next jobs.
      if (this.lanes.length) await new Promise((resolve) => setImmediate(resolve));
    }
    this.mainLaneRunning = false;
  }
}

/**
 * The code a worker starts with: the bundle through its loader (which writes
 * the workers' code cache at the end if it had none it could use), or, run
 * from the compiled modules, worker.js.
 */
const WORKER_BOOT = `const { workerData } = require('node:worker_threads');
if (workerData.loader) {
  const cli = require(workerData.loader);
  const loaded = cli.loadCli({ worker: true });
  loaded.exports.lintWorker(() => cli.refreshCodeCache(loaded));
} else import(workerData.module).then((m) => m.lintWorker());`;

function workerEntry(): { loader?: string; module?: string } {
  const here = fileURLToPath(import.meta.url);
  // Bundled, this module is the bundle, dist/mountlint.cjs; its loader is bin/load-cli.cjs.
  if (here.endsWith('.cjs')) return { loader: join(dirname(here), '..', 'bin', 'load-cli.cjs') };
  return { module: new URL('./worker.js', import.meta.url).href };
}

/** The error again, of its class, so the CLI reports it as it reports the same error on the main thread. */
function errorFromWorker(error: WorkerError): Error {
  let err: Error;
  if (error.kind === 'build-option') err = new BuildOptionError(error.message);
  else if (error.kind === 'analysis-limit') err = Object.assign(new AnalysisLimitError(error.message), error.range ? { range: error.range } : {});
  else err = new Error(error.message);
  if (error.stack) err.stack = error.stack;
  return err;
}

export function errorForMainThread(err: unknown): WorkerError {
  if (err instanceof BuildOptionError) return { message: err.message, stack: err.stack, kind: 'build-option' };
  if (err instanceof AnalysisLimitError) return { message: err.message, stack: err.stack, kind: 'analysis-limit', range: err.range && { start: err.range.start, end: err.range.end } };
  if (err instanceof Error) return { message: err.message, stack: err.stack };
  return { message: String(err) };
}
