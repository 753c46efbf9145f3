/** `--statistics`: how many findings each rule reported, and how many `--fix` can fix. */
import type { LintResult } from '../engine/index.js';
import type { Severity } from '../rules/index.js';
import { diagnosticsByFile } from './by-file.js';

export function statisticsText(results: LintResult[]): string {
  const rows = new Map<string, { count: number; fixable: number; severities: Set<Severity> }>();
  for (const { diagnostics } of diagnosticsByFile(results)) {
    for (const d of diagnostics) {
      const row = rows.get(d.ruleId) ?? { count: 0, fixable: 0, severities: new Set() };
      row.count++;
      if (d.fix) row.fixable++;
      row.severities.add(d.severity);
      rows.set(d.ruleId, row);
    }
  }
  if (rows.size === 0) return 'Findings per rule: none.\n';
  const sorted = [...rows].sort((a, b) => b[1].count - a[1].count || a[0].localeCompare(b[0]));
  const width = Math.max(...sorted.map(([, r]) => String(r.count).length));
  const idWidth = Math.max(...sorted.map(([id]) => id.length));
  const order: Severity[] = ['error', 'warning', 'info'];
  let out = 'Findings per rule:\n';
  for (const [id, r] of sorted) {
    out += `  ${String(r.count).padStart(width)}  ${id.padEnd(idWidth)}  ${order.filter((s) => r.severities.has(s)).join('/')}${r.fixable ? `, ${r.fixable} fixable` : ''}\n`;
  }
  return out;
}
