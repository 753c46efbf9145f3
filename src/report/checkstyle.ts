/** Checkstyle XML, which Jenkins (Warnings Next Generation), SonarQube and reviewdog read. */
import type { LintResult } from '../engine/index.js';
import { diagnosticsByFile } from './by-file.js';
import { reportPath, type ReportContext } from './findings.js';
import { locate } from './locate.js';
import { xml, XML_DECLARATION } from './xml.js';

export function checkstyleReport(results: LintResult[], context: ReportContext): string {
  let out = `${XML_DECLARATION}<checkstyle version="4.3">\n`;
  for (const { source, diagnostics } of diagnosticsByFile(results)) {
    out += `  <file name="${xml(reportPath(source, context.root))}">\n`;
    for (const d of diagnostics) {
      const at = locate(source, d.range);
      out += `    <error line="${at.line}" column="${at.column}" severity="${d.severity}" message="${xml(d.message)}" source="mountlint.${xml(d.ruleId)}"/>\n`;
    }
    out += '  </file>\n';
  }
  return out + '</checkstyle>\n';
}
