/**
 * JUnit XML, for CI servers that show test reports (Jenkins, GitLab, Azure):
 * one test suite per file, one test case per finding, failed when the finding
 * fails the run at the fail level (a finding below it passes, its message in
 * the case's output); a file without findings is one passing case.
 */
import type { LintResult } from '../engine/index.js';
import { diagnosticsByFile } from './by-file.js';
import { failsByDefault, reportPath, type ReportContext } from './findings.js';
import { locate } from './locate.js';
import { xml, XML_DECLARATION } from './xml.js';

export function junitReport(results: LintResult[], context: ReportContext): string {
  const fails = context.fails ?? failsByDefault;
  let suites = '';
  let tests = 0;
  let failures = 0;
  for (const { source, diagnostics } of diagnosticsByFile(results)) {
    const path = reportPath(source, context.root);
    let cases = '';
    let suiteFailures = 0;
    for (const d of diagnostics) {
      const at = locate(source, d.range);
      const detail = `${path}:${at.line}:${at.column}: ${d.severity}: ${d.message} [${d.ruleId}]`;
      const name = `${d.ruleId} at ${at.line}:${at.column}`;
      if (fails(d)) {
        suiteFailures++;
        cases += `    <testcase name="${xml(name)}" classname="${xml(path)}">\n      <failure message="${xml(d.message)}" type="${d.severity}">${xml(detail)}</failure>\n    </testcase>\n`;
      } else {
        cases += `    <testcase name="${xml(name)}" classname="${xml(path)}">\n      <system-out>${xml(detail)}</system-out>\n    </testcase>\n`;
      }
    }
    const count = Math.max(1, diagnostics.length);
    if (!diagnostics.length) cases = `    <testcase name="mountlint" classname="${xml(path)}"/>\n`;
    tests += count;
    failures += suiteFailures;
    suites += `  <testsuite name="${xml(path)}" tests="${count}" failures="${suiteFailures}" errors="0" skipped="0">\n${cases}  </testsuite>\n`;
  }
  return `${XML_DECLARATION}<testsuites name="mountlint" tests="${tests}" failures="${failures}" errors="0">\n${suites}</testsuites>\n`;
}
