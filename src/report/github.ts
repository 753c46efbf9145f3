/**
 * GitHub Actions workflow commands: one annotation per finding, shown on the
 * pull request's diff. Escaping is exactly @actions/core's: in the message
 * `%`, CR and LF; in properties also `:` and `,`.
 */
import type { LintResult } from '../engine/index.js';
import type { Severity } from '../rules/index.js';
import { findings, reportPath, type ReportContext } from './findings.js';
import { locate } from './locate.js';

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function githubReport(results: LintResult[], context: ReportContext): string {
  let out = '';
  for (const { source, path, diagnostic: d } of findings(results, context.root)) {
    const at = locate(source, d.range);
    // The order @actions/core writes them in.
    const props = [`title=${escapeProperty(`mountlint ${d.ruleId}`)}`, `file=${escapeProperty(path)}`, `line=${at.line}`, `endLine=${at.endLine}`, `col=${at.column}`, `endColumn=${at.endColumn}`];
    const lines = [d.message];
    for (const r of d.related) {
      const file = r.file ?? source;
      const rel = locate(file, r.range);
      lines.push(`${file === source ? '' : `${reportPath(file, context.root)}:`}${rel.line}:${rel.column}: ${r.message}`);
    }
    if (d.fix) lines.push(`Fix (${d.fix.applicability}): ${d.fix.description}`);
    out += `::${COMMAND[d.severity]} ${props.join(',')}::${escapeData(lines.join('\n'))}\n`;
  }
  return out;
}
