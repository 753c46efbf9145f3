/**
 * Where --fix and --diff leave their mark, for every command that fixes
 * (check on files, check on a bake or compose build, diagnose): the one
 * writer of fixed files and of patches.
 *   --diff: a unified diff per changed file, in the file's own encoding (in
 *     a JSON report it is the file's outcome instead); nothing is written.
 *   --fix: the changed files are written all or nothing (a single file is a
 *     set of one; files.ts says how); standard input's fix goes to stdout.
 */
import type { FileOutcome } from '../report/index.js';
import { unifiedDiff } from '../report/index.js';
import type { CliRequest } from './args.js';
import { FileProblem } from './errors.js';
import { writeAllOrNothing, type Input } from './files.js';
import { displayPath, writeEncoded, type CliIO } from './io.js';

/** A file and what the fixes made of it. */
export interface FixedFile {
  path: string;
  input: Input;
  output: string;
}

/** What became of one file: its report outcome, and the problem that kept it from being written. */
export interface Delivered {
  outcome?: FileOutcome;
  problem?: FileProblem;
  /** The fixed text is what stays on disk (or went to stdout). */
  written: boolean;
}

export function deliverFixes(files: readonly FixedFile[], request: Pick<CliRequest, 'diff' | 'format'>, io: CliIO): Map<string, Delivered> {
  const done = new Map<string, Delivered>();
  const changed = files.filter((f) => f.output !== f.input.text);
  for (const f of files) if (!changed.includes(f)) done.set(f.path, { written: false });
  if (request.diff) {
    for (const f of changed) {
      const diff = unifiedDiff(displayPath(f.path), f.input.text, f.output);
      if (request.format === 'json') done.set(f.path, { outcome: { diff }, written: false });
      else {
        // Exactly the bytes --fix would write, also where the file is not valid UTF-8.
        writeEncoded(io, diff, f.input.encoding);
        done.set(f.path, { written: false });
      }
    }
    return done;
  }
  for (const f of changed.filter((c) => c.path === '-')) {
    writeEncoded(io, f.output, f.input.encoding);
    done.set(f.path, { outcome: { fixed: true }, written: true });
  }
  const onDisk = changed.filter((c) => c.path !== '-');
  if (!onDisk.length) return done;
  try {
    writeAllOrNothing(onDisk.map((f) => ({ path: f.path, text: f.output, input: f.input })));
    for (const f of onDisk) done.set(f.path, { outcome: { fixed: true }, written: true });
  } catch (err) {
    if (!(err instanceof FileProblem)) throw err;
    // All or nothing: none of the set was written; the one that failed says why.
    for (const f of onDisk) done.set(f.path, { outcome: { fixed: false, error: f.path === err.path ? err.reason : `not written: ${err.path} could not be, and these files are fixed together` }, problem: f.path === err.path ? err : undefined, written: false });
  }
  return done;
}
