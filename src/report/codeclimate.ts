/**
 * Code Climate issues: `gitlab` is GitLab's Code Quality report (a JSON
 * array, each issue with a fingerprint GitLab uses to tell new findings from
 * old ones in merge requests); `codeclimate` is the Code Climate engine
 * output (each issue followed by a NUL byte, as its spec says).
 */
import type { LintResult } from '../engine/index.js';
import { docsUrl, type Severity } from '../rules/index.js';
import { findings, type Finding, type ReportContext } from './findings.js';
import { locate } from './locate.js';

const SEVERITY: Record<Severity, 'critical' | 'major' | 'info'> = { error: 'critical', warning: 'major', info: 'info' };

function issue({ source, path, diagnostic: d, fingerprint }: Finding, positions: boolean) {
  const at = locate(source, d.range);
  return {
    type: 'issue',
    check_name: d.ruleId,
    description: d.message,
    content: { body: `${d.fix ? `Fix (${d.fix.applicability}, mountlint --fix): ${d.fix.description}. ` : ''}See ${docsUrl(d.ruleId)}` },
    categories: ['Bug Risk'],
    severity: SEVERITY[d.severity],
    fingerprint,
    location: positions ? { path, positions: { begin: { line: at.line, column: at.column }, end: { line: at.endLine, column: at.endColumn } } } : { path, lines: { begin: at.line, end: at.endLine } },
  };
}

export function gitlabReport(results: LintResult[], context: ReportContext): string {
  return JSON.stringify(findings(results, context.root).map((f) => issue(f, false)), null, 2) + '\n';
}

export function codeClimateReport(results: LintResult[], context: ReportContext): string {
  return findings(results, context.root).map((f) => JSON.stringify(issue(f, true)) + '\0').join('');
}
