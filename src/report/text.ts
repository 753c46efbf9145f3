/** The human report: location, severity, message, the source line with a caret, related places, the fix. */
import type { LintResult } from '../engine/index.js';
import type { Diagnostic, Severity } from '../rules/index.js';
import type { SourceFile } from '../syntax/index.js';
import { diagnosticsByFile } from './by-file.js';
import { locate } from './locate.js';
import { collect, type Reporter, type Write } from './reporter.js';
import { escapeControls, snippetOf } from './terminal.js';

export interface TextStyle {
  color: boolean;
}

const CODES = { red: 31, yellow: 33, cyan: 36, dim: 2, bold: 1, green: 32 } as const;
type Paint = (code: keyof typeof CODES, s: string) => string;
const SEVERITY_COLOR: Record<Severity, keyof typeof CODES> = { error: 'red', warning: 'yellow', info: 'cyan' };

export function textReport(results: LintResult[], style: TextStyle): string {
  return collect((write) => textReporter(write, style), (r) => results.forEach((result) => r.file(result)));
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function textReporter(write: Write, style: TextStyle): Reporter {
  const paint: Paint = (code, s) => (style.color ? `\x1b[${CODES[code]}m${s}\x1b[0m` : s);
  const count = { error: 0, warning: 0, info: 0 };
  let files = 0;
  let filesWithProblems = 0;
  let fixed = 0;
  const notWritten: string[] = [];
  const notChecked: string[] = [];
  return {
    file(result, outcome = {}) {
      for (const { source, diagnostics } of diagnosticsByFile([result])) {
        files++;
        if (diagnostics.length) filesWithProblems++;
        for (const d of diagnostics) {
          count[d.severity]++;
          write(diagnosticText(source, d, paint));
        }
      }
      if (outcome.fixed) fixed++;
      if (outcome.error) notWritten.push(`${escapeControls(result.source.path)} (${outcome.error})`);
    },
    failure(path, error) {
      notChecked.push(`${escapeControls(path)} (${error})`);
    },
    end() {
      const total = count.error + count.warning + count.info;
      if (total === 0 && (files > 0 || notChecked.length === 0)) write(paint('green', `No problems found in ${plural(files, 'file')}.`) + '\n');
      else if (total > 0) {
        const parts = [plural(count.error, 'error'), plural(count.warning, 'warning')];
        if (count.info) parts.push(`${count.info} info`);
        write(paint('bold', `${plural(total, 'problem')} (${parts.join(', ')}) in ${plural(filesWithProblems, 'file')}.`) + '\n');
      }
      if (fixed) write(`Fixed ${plural(fixed, 'file')}.\n`);
      if (notWritten.length) write(`Not written: ${notWritten.join(', ')}.\n`);
      if (notChecked.length) write(`Not checked: ${notChecked.join(', ')}.\n`);
    },
  };
}

function diagnosticText(source: SourceFile, d: Diagnostic, paint: Paint): string {
  const at = locate(source, d.range);
  const path = escapeControls(source.path);
  let out = `${paint('bold', `${path}:${at.line}:${at.column}`)}: ${paint(SEVERITY_COLOR[d.severity], d.severity)}: ${escapeControls(d.message)} ${paint('dim', `[${d.ruleId}]`)}\n`;
  out += snippet(source, d, at.line, paint);
  for (const r of d.related) {
    // A related place may be in another Dockerfile of the same bake or compose build.
    const file = r.file ?? source;
    const rel = locate(file, r.range);
    out += `  ${paint('dim', `${escapeControls(file.path)}:${rel.line}:${rel.column}`)}: note: ${escapeControls(r.message)}\n`;
  }
  if (d.fix) out += `  ${paint('green', 'fix')} (${d.fix.applicability}, --fix${d.fix.applicability === 'unsafe' && !d.fix.strategy ? ' --unsafe-fixes' : ''}${d.fix.strategy ? ` --fix-strategy ${d.fix.strategy}` : ''}): ${escapeControls(d.fix.description)}\n`;
  for (const s of d.suggestions ?? []) {
    if (s === d.fix || s.strategy === d.fix?.strategy) continue;
    out += `  ${paint('dim', `or --fix-strategy ${s.strategy}`)}: ${escapeControls(s.description)}\n`;
  }
  return out + '\n';
}

/** The diagnostic's first line, cut to a window around it, with a caret in the severity's colour. */
function snippet(source: SourceFile, d: Diagnostic, line: number, paint: Paint): string {
  const gutter = String(line);
  const shown = snippetOf(source, d.range);
  const caret = ' '.repeat(shown.caretAt) + '^'.repeat(shown.caretWidth);
  return `  ${paint('dim', `${gutter} |`)} ${shown.text}\n  ${' '.repeat(gutter.length)} ${paint('dim', '|')} ${paint(SEVERITY_COLOR[d.severity], caret)}\n`;
}
