/**
 * The run service under `check` (and `explain`'s builds): it takes units of
 * work — Dockerfiles, and build plans (bake, compose, CI files, --concurrent-builds)
 * — and owns what they share: the lanes that lint files (the main thread, and
 * worker threads when the run is big enough), the result cache, the plan
 * cache, and --fix/--diff's one writer. A command says what to lint and what
 * to report; the run says what became of each file.
 */
import type { BuildPlan } from '../builds/index.js';
import type { LintOptions, LintResult } from '../engine/index.js';
import type { FileOutcome } from '../report/index.js';
import type { CliRequest } from './args.js';
import { checkBuilds, type BuildsCheck } from './builds.js';
import { FileProblem, problemWith } from './errors.js';
import { readInput, type Input } from './files.js';
import { deliverFixes } from './fix-output.js';
import { displayPath, type CliIO } from './io.js';
import type { Linted } from './jobs.js';
import { FileLinter, inOrder } from './lint-files.js';

/** What became of one Dockerfile: its findings (of what stays on disk), or the problem that stopped it. */
export interface FileCheck {
  path: string;
  result?: LintResult;
  /** With --fix or --diff: what became of the file. */
  outcome?: FileOutcome;
  /** The file could not be read, linted or written. */
  problem?: FileProblem;
}

export interface RunSettings {
  optionsFor(path: string): LintOptions;
  /** Whether a file's results go through the result cache. */
  cacheFor(path: string): boolean;
}

export class LintRun {
  private readonly linter: FileLinter;

  constructor(
    private readonly request: CliRequest,
    private readonly io: CliIO,
    private readonly settings: RunSettings,
  ) {
    this.linter = new FileLinter(request, io, (path) => settings.cacheFor(path));
  }

  /** Every request of the plans, linted as it builds (and fixed with --fix/--diff: all files or none). */
  builds(plans: BuildPlan[]): Promise<BuildsCheck> {
    return checkBuilds(this.request, this.io, plans, (path) => this.settings.optionsFor(path), this.linter);
  }

  /**
   * Dockerfiles on their own, each a unit of work, linted ahead on every lane
   * of the run and yielded in their order.
   */
  async *dockerfiles(paths: string[]): AsyncGenerator<FileCheck> {
    this.linter.fileCount = paths.length;
    const { request } = this;
    const lint = async (path: string): Promise<{ input: Input; linted?: Linted; error?: unknown }> => {
      const input = readInput(path);
      try {
        return { input, linted: await this.linter.check(path, input.text, this.settings.optionsFor(path), request.fix || request.diff) };
      } catch (error) {
        return { input, error };
      }
    };
    for await (const [path, done] of inOrder(paths, lint)) {
      if ('error' in done) {
        if (!(done.error instanceof FileProblem)) throw done.error;
        yield { path, problem: done.error };
        continue;
      }
      const { input, linted, error } = done.value;
      // A build option this file cannot honour (--target), input beyond what we analyse, or a bug of ours: said, and the run goes on.
      if (!linted) yield { path, problem: problemWith(displayPath(path), input.text, error) };
      else yield { path, ...this.deliver(path, input, linted) };
    }
  }

  close(): Promise<void> {
    return this.linter.close();
  }

  /** A linted file, and with --fix or --diff its fixes: written, or shown as a diff (fix-output.ts). */
  private deliver(path: string, input: Input, { linted, fixed }: Linted): Omit<FileCheck, 'path'> {
    if (!fixed) return { result: linted };
    if (!this.request.diff && !fixed.changed) return { result: fixed.result };
    const done = deliverFixes([{ path, input, output: fixed.output }], this.request, this.io).get(path)!;
    return { result: done.written ? fixed.result : linted, outcome: done.outcome, problem: done.problem };
  }
}
