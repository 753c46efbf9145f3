/**
 * The errors every command shares, each with its exit code in main.ts: a usage error
 * (exit 2, with a hint at --help) and a file that could not be found, read or written
 * (exit 2, one line). Kept apart from the modules that throw them, so that none of
 * those imports another only for an error class (args.ts and controls.ts did, in a cycle).
 */
import { BuildOptionError } from '../model/index.js';
import { AnalysisLimitError, SourceFile } from '../syntax/index.js';

export class UsageError extends Error {}

/** A file that could not be found, read or written, and why, in a few words. */
export class FileProblem extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
    /** Where in the file, when the problem is at a place in it. */
    at?: { line: number; column: number },
  ) {
    super(`${path}${at ? `:${at.line}:${at.column}` : ''}: ${reason}`);
  }
}

/** The one-line failure for an exception raised while linting a file: a build option it cannot honour, input beyond what we analyse, or a bug of ours. */
export function problemWith(name: string, text: string, err: unknown): FileProblem {
  if (err instanceof BuildOptionError) return new FileProblem(name, err.message);
  if (err instanceof AnalysisLimitError) return new FileProblem(name, err.message, err.range && new SourceFile(name, text).positionAt(err.range.start));
  return new FileProblem(name, `internal error: ${err instanceof Error ? err.message : String(err)} (please report it)`);
}
