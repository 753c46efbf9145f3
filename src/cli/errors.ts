/**
 * The errors every command shares, each with its exit code in main.ts: a usage error
 * (exit 2, with a hint at --help) and a file that could not be found, read or written
 * (exit 2, one line). Kept apart from the modules that throw them, so that none of
 * those imports another only for an error class (args.ts and controls.ts did, in a cycle).
 */

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
