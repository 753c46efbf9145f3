/** Writing the reports a run asked for: one on standard output, the others to files (each whole or not at all). */
import { renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { LintResult } from '../engine/index.js';
import { renderReport, statisticsText, type ReportContext } from '../report/index.js';
import type { Diagnostic } from '../rules/index.js';
import { UsageError, type CliRequest } from './args.js';
import { useColor, type CliIO } from './io.js';
import { version } from './version.js';

export function writeReports(request: CliRequest, results: LintResult[], io: CliIO, fails: (d: Diagnostic) => boolean): void {
  const root = io.env.GITHUB_WORKSPACE || io.env.CI_PROJECT_DIR || process.cwd();
  const context: ReportContext = { root, version: version(), fails };
  const quietAndClean = request.quiet && results.every((r) => r.diagnostics.length === 0);
  // Files first: a file that cannot be written stops the run (exit 2) before anything is printed.
  for (const output of request.outputs.slice(1)) writeReportFile(output.file!, renderReport(output.format, results, { ...context, color: false }));
  const main = request.outputs[0];
  if (!(quietAndClean && main.format === 'text')) io.stdout(renderReport(main.format, results, { ...context, color: main.format === 'text' && useColor(request, io) }));
  if (request.statistics) (main.format === 'text' ? io.stdout : io.stderr)(statisticsText(results));
}

function writeReportFile(path: string, text: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.mountlint-${process.pid}.tmp`);
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing was written
    }
    throw new UsageError(`cannot write ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such directory' : (err as Error).message}`);
  }
}
