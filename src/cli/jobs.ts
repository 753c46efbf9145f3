/**
 * One file's work in a check run: lint it and, for --fix or --diff, fix it.
 * The same function runs on the main thread and on worker threads
 * (pool.ts); what it returns is plain data (portable.ts), and the lane that
 * did the work stores it in the result cache when the run uses one.
 */
import { fixText, Linter, type LintResult } from '../engine/index.js';
import { decodeOptions, decodeResult, encodeResult, type PortableOptions, type PortableResult } from './portable.js';
import { ResultCache, type CacheLocation } from './result-cache.js';
import { prepareShellParser } from './shell-parser.js';

export interface FileJob {
  /** The file as reports name it. */
  path: string;
  text: string;
  options: PortableOptions;
  /** Also fix it (--fix, --diff): the fixed text and what is left to find in it. */
  fix: boolean;
  /** Store the results here, under keys made from this fingerprint of the options. */
  cache?: { location: CacheLocation; options: string };
}

export interface JobOutcome {
  linted: PortableResult;
  fixed?: { output: string; changed: boolean; result: PortableResult };
  /** The result cache could not be written (the run goes on without it). */
  cacheError?: string;
}

/** A job's outcome with its results whole again, for the reports. */
export interface Linted {
  linted: LintResult;
  fixed?: { output: string; changed: boolean; result: LintResult };
}

export async function runJob(job: FileJob): Promise<JobOutcome> {
  const options = decodeOptions(job.options);
  const cache = job.cache && ResultCache.at(job.cache.location);
  const linted = await new Linter(options, prepareShellParser).lintFile(job.text, job.path);
  const outcome: JobOutcome = { linted: encodeResult(linted) };
  const store = (text: string, result: PortableResult) => {
    const error = cache?.set(cache.key(job.path, job.cache!.options, text), result);
    if (error) outcome.cacheError ??= error;
  };
  store(job.text, outcome.linted);
  if (job.fix) {
    await prepareShellParser(); // fixing lints again, and a fix may write a script only tree-sitter reads
    const fixed = fixText(job.text, job.path, options, linted);
    const result = fixed.result === linted ? outcome.linted : encodeResult(fixed.result);
    outcome.fixed = { output: fixed.output, changed: fixed.changed, result };
    // The fixed file is what the next run will see: its findings are already known.
    if (fixed.changed) store(fixed.output, result);
  }
  return outcome;
}

export function decodeOutcome(outcome: JobOutcome, path: string, text: string): Linted {
  const linted = decodeResult(outcome.linted, path, text);
  if (!outcome.fixed) return { linted };
  const { output, changed } = outcome.fixed;
  const result = changed ? decodeResult(outcome.fixed.result, path, output) : linted;
  return { linted, fixed: { output, changed, result } };
}
