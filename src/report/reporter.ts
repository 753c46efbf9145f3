/**
 * A report written while the files are linted, file by file: nothing holds
 * the whole report (a JSON document of thousands of diagnostics once passed
 * V8's longest string), and a file's findings appear as soon as it is done.
 * Every format (text, JSON, …) is one of these; `collect` turns one into a
 * string for callers that want the whole report at once.
 */
import type { LintResult } from '../engine/index.js';

/** What happened to a file beyond its findings. */
export interface FileOutcome {
  /** Why the file could not be read, linted or (with --fix) written: one line. */
  error?: string;
  /** With --fix: the file was rewritten. */
  fixed?: boolean;
  /** With --diff: what --fix would change, as a unified diff ("" when nothing). */
  diff?: string;
}

export interface Reporter {
  /** One linted file's findings (a bake or compose build also reports other files' findings here). */
  file(result: LintResult, outcome?: FileOutcome): void;
  /** A file that could not be read or linted at all. */
  failure(path: string, error: string): void;
  /** After the last file: totals, closing brackets. */
  end(): void;
}

export type Write = (chunk: string) => void;

/** Runs `report` against a reporter made by `make`, and returns everything it wrote. */
export function collect(make: (write: Write) => Reporter, report: (reporter: Reporter) => void): string {
  const chunks: string[] = [];
  const reporter = make((s) => chunks.push(s));
  report(reporter);
  reporter.end();
  return chunks.join('');
}
