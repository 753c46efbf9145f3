/**
 * A Markdown table a bot can post on a pull request (or a GitHub job
 * summary): one row per finding with a link to the rule's page, and each fix
 * as a diff folded under <details>.
 */
import { applyEdits, type TextEdit } from '../edits/index.js';
import type { LintResult } from '../engine/index.js';
import { docsUrl, type Fix, type Severity } from '../rules/index.js';
import type { SourceFile } from '../syntax/index.js';
import { unifiedDiff } from './diff.js';
import { countBySeverity, findings, plural, reportPath, type ReportContext } from './findings.js';
import { locate } from './locate.js';
import { diagnosticsByFile } from './by-file.js';

const ICON: Record<Severity, string> = { error: '❌ error', warning: '⚠️ warning', info: 'ℹ️ info' };

/** A table cell: no pipe, line break or HTML can end it early. */
function cell(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

export function markdownReport(results: LintResult[], context: ReportContext): string {
  const all = findings(results, context.root);
  const files = diagnosticsByFile(results).length;
  if (all.length === 0) return `### mountlint\n\nNo problems found in ${plural(files, 'file')}.\n`;
  const counts = countBySeverity(all);
  const withFindings = new Set(all.map((f) => f.path)).size;
  let out = `### mountlint: ${[plural(counts.error, 'error'), plural(counts.warning, 'warning'), ...(counts.info ? [plural(counts.info, 'info')] : [])].join(', ')} in ${plural(withFindings, 'file')}\n\n`;
  out += '| Severity | Rule | Location | Message |\n|---|---|---|---|\n';
  for (const { source, path, diagnostic: d } of all) {
    const at = locate(source, d.range);
    out += `| ${ICON[d.severity]} | [${d.ruleId}](${docsUrl(d.ruleId)}) | \`${cell(path)}:${at.line}:${at.column}\` | ${cell(d.message)} |\n`;
  }
  const fixes = all.filter((f) => f.diagnostic.fix);
  if (fixes.length) out += '\n';
  for (const { source, path, diagnostic: d } of fixes) {
    const fix = d.fix!;
    const at = locate(source, d.range);
    const how = fix.applicability === 'safe' ? '`mountlint --fix`' : fix.strategy ? `\`mountlint --fix --fix-strategy ${fix.strategy}\`` : '`mountlint --fix --unsafe-fixes`';
    out += `<details><summary>Fix for ${cell(d.ruleId)} at ${cell(path)}:${at.line} (${fix.applicability}, ${how}): ${cell(fix.description)}</summary>\n\n\`\`\`diff\n${fixDiff(fix, source, context)}\`\`\`\n\n</details>\n`;
  }
  return out;
}

/** What applying one fix changes, as a diff per file it edits. */
function fixDiff(fix: Fix, source: SourceFile, context: ReportContext): string {
  const byFile = new Map<SourceFile, TextEdit[]>();
  for (const e of fix.edits) byFile.set(e.file ?? source, [...(byFile.get(e.file ?? source) ?? []), e]);
  let out = '';
  for (const [file, edits] of byFile) {
    // A fence inside the diff would end the code block: a longer fence is not needed if no line starts with ```.
    out += unifiedDiff(reportPath(file, context.root), file.text, applyEdits(file.text, edits).output).replace(/^={67}\n/m, '').replace(/^(\+|-| )```/gm, '$1`\u200b``');
  }
  return out;
}
