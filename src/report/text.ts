/** The human report: location, severity, message, the source line with a caret, related places, the fix. */
import type { LintResult } from '../engine/index.js';
import type { Diagnostic } from '../rules/index.js';
import type { SourceFile } from '../syntax/index.js';
import { diagnosticsByFile } from './by-file.js';
import { locate } from './locate.js';

export interface TextStyle {
  color: boolean;
}

const CODES = { red: 31, yellow: 33, cyan: 36, dim: 2, bold: 1, green: 32 } as const;

export function textReport(results: LintResult[], style: TextStyle): string {
  const paint = (code: keyof typeof CODES, s: string) => (style.color ? `\x1b[${CODES[code]}m${s}\x1b[0m` : s);
  let out = '';
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  let files = 0;
  const grouped = diagnosticsByFile(results);
  for (const { source, diagnostics } of grouped) {
    if (diagnostics.length) files++;
    for (const d of diagnostics) {
      if (d.severity === 'error') errors++;
      else if (d.severity === 'warning') warnings++;
      else infos++;
      out += diagnosticText(source, d, paint);
    }
  }
  const total = errors + warnings + infos;
  if (total === 0) return paint('green', `No problems found in ${grouped.length} file${grouped.length === 1 ? '' : 's'}.`) + '\n';
  const parts = [`${errors} error${errors === 1 ? '' : 's'}`, `${warnings} warning${warnings === 1 ? '' : 's'}`];
  if (infos) parts.push(`${infos} info`);
  return out + paint('bold', `${total} problem${total === 1 ? '' : 's'} (${parts.join(', ')}) in ${files} file${files === 1 ? '' : 's'}.`) + '\n';
}

function diagnosticText(source: SourceFile, d: Diagnostic, paint: (c: keyof typeof CODES, s: string) => string): string {
  const at = locate(source, d.range);
  const sev = d.severity === 'error' ? paint('red', 'error') : d.severity === 'warning' ? paint('yellow', 'warning') : paint('cyan', 'info');
  let out = `${paint('bold', `${source.path}:${at.line}:${at.column}`)}: ${sev}: ${d.message} ${paint('dim', `[${d.ruleId}]`)}\n`;
  out += snippet(source.lineText(at.line), at.line, at.column, at.endLine === at.line ? at.endColumn : undefined, paint);
  for (const r of d.related) {
    // A related place may be in another Dockerfile of the same bake or compose build.
    const file = r.file ?? source;
    const rel = locate(file, r.range);
    out += `  ${paint('dim', `${file.path}:${rel.line}:${rel.column}`)}: note: ${r.message}\n`;
  }
  if (d.fix) out += `  ${paint('green', 'fix')} (${d.fix.applicability}, --fix${d.fix.applicability === 'unsafe' && !d.fix.strategy ? ' --unsafe-fixes' : ''}${d.fix.strategy ? ` --fix-strategy ${d.fix.strategy}` : ''}): ${d.fix.description}\n`;
  for (const s of d.suggestions ?? []) {
    if (s === d.fix || s.strategy === d.fix?.strategy) continue;
    out += `  ${paint('dim', `or --fix-strategy ${s.strategy}`)}: ${s.description}\n`;
  }
  return out + '\n';
}

function snippet(text: string, line: number, column: number, endColumn: number | undefined, paint: (c: keyof typeof CODES, s: string) => string): string {
  const gutter = String(line);
  const visible = text.replace(/\t/g, ' ');
  const width = Math.max(1, (endColumn ?? visible.length + 1) - column);
  const caret = ' '.repeat(Math.max(0, column - 1)) + '^'.repeat(Math.min(width, Math.max(1, visible.length - column + 1)));
  return `  ${paint('dim', `${gutter} |`)} ${visible}\n  ${' '.repeat(gutter.length)} ${paint('dim', '|')} ${paint('red', caret)}\n`;
}
