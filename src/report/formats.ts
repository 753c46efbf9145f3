/**
 * Every report format, and what they share: the findings grouped by file,
 * paths relative to the repository, positions (1-based lines, columns in
 * the unit `locate` gives, end exclusive), and fingerprints that survive
 * unrelated edits.
 */
import type { LintResult } from '../engine/index.js';
import { checkstyleReport } from './checkstyle.js';
import { codeClimateReport, gitlabReport } from './codeclimate.js';
import { githubReport } from './github.js';
import { documentOf, htmlPage } from './html/index.js';
import { jsonReporter } from './json.js';
import { junitReport } from './junit.js';
import { markdownReport } from './markdown.js';
import { sarifReport } from './sarif.js';
import type { Write } from './reporter.js';
import { reportPath, type ReportContext } from './findings.js';

export { countBySeverity, failsByDefault, findings, plural, reportPath, type Finding, type ReportContext } from './findings.js';
import { textReporter } from './text.js';

export const REPORT_FORMATS = ['text', 'json', 'sarif', 'github', 'checkstyle', 'junit', 'gitlab', 'codeclimate', 'markdown', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/**
 * Writes a report piece by piece: text and JSON as streams (a report can be
 * longer than a string may be), the other formats whole.
 */
export function writeReport(format: ReportFormat, results: LintResult[], context: ReportContext, write: Write): void {
  const reporter = format === 'text' ? textReporter(write, { color: !!context.color }) : format === 'json' ? jsonReporter(write) : undefined;
  if (!reporter) {
    write(renderReport(format, results, context));
    return;
  }
  for (const f of context.failures ?? []) reporter.failure(f.path, f.error);
  for (const r of results) reporter.file(r, context.outcomes?.get(r));
  reporter.end();
}

export function renderReport(format: ReportFormat, results: LintResult[], context: ReportContext): string {
  switch (format) {
    case 'text':
    case 'json': {
      const chunks: string[] = [];
      writeReport(format, results, context, (chunk) => chunks.push(chunk));
      return chunks.join('');
    }
    case 'sarif':
      return sarifReport(results, context);
    case 'github':
      return githubReport(results, context);
    case 'checkstyle':
      return checkstyleReport(results, context);
    case 'junit':
      return junitReport(results, context);
    case 'gitlab':
      return gitlabReport(results, context);
    case 'codeclimate':
      return codeClimateReport(results, context);
    case 'markdown':
      return markdownReport(results, context);
    case 'html':
      return htmlReport(results, context);
  }
}

/** One page: a summary table of every file, and each file's view (its model's, when the result carries one). */
function htmlReport(results: LintResult[], context: ReportContext): string {
  const documents = results.map((r) => documentOf(r, reportPath(r.source, context.root), context.fixVariants?.get(r) ?? []));
  for (const f of context.failures ?? []) documents.push({ name: f.path, findings: [], error: `Not checked: ${f.error}` });
  const title = results.length === 1 && !context.failures?.length ? `mountlint check: ${documents[0].name}` : `mountlint check: ${documents.length} files`;
  return htmlPage({ title, documents, summary: true });
}
