/** Writing the reports a run asked for: one on standard output, the others to files (each whole or not at all). */
import { closeSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { LintResult } from '../engine/index.js';
import { statisticsText, writeReport, type ReportContext } from '../report/index.js';
import type { Diagnostic } from '../rules/index.js';
import type { CliRequest } from './args.js';
import { UsageError } from './errors.js';
import { useColor, type CliIO } from './io.js';
import { version } from './version.js';

export function writeReports(request: CliRequest, results: LintResult[], io: CliIO, fails: (d: Diagnostic) => boolean, files: Pick<ReportContext, 'outcomes' | 'failures' | 'fixVariants'> = {}): void {
  const root = io.env.GITHUB_WORKSPACE || io.env.CI_PROJECT_DIR || process.cwd();
  const context: ReportContext = { root, version: version(), fails, ...files };
  const quietAndClean = request.quiet && results.every((r) => r.diagnostics.length === 0);
  // Files first: a file that cannot be written stops the run (exit 2) before anything is printed.
  for (const output of request.outputs.slice(1)) writeReportFile(output.file!, (write) => writeReport(output.format, results, { ...context, color: false }, write));
  const main = request.outputs[0];
  if (!(quietAndClean && main.format === 'text')) writeReport(main.format, results, { ...context, color: main.format === 'text' && useColor(request, io) }, io.stdout);
  if (request.statistics) (main.format === 'text' ? io.stdout : io.stderr)(statisticsText(results));
}

/** A report file, written piece by piece to a new file that then replaces the old one (whole or not at all). */
function writeReportFile(path: string, report: (write: (chunk: string) => void) => void): void {
  const tmp = join(dirname(path), `.${basename(path)}.mountlint-${process.pid}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'w');
    const out = fd;
    report((chunk) => writeSync(out, chunk));
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // nothing was written
    }
    throw new UsageError(`cannot write ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such directory' : (err as Error).message}`);
  }
}
