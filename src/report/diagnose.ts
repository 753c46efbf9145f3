/**
 * `mountlint diagnose` output: text for people, and json, sarif, github
 * (annotations on the failing Dockerfile line) and markdown (a job summary)
 * for CI. Every format carries the same facts: verdict, step and line, the
 * signature quoted with its log line, the cache, who held it, the finding and
 * the fix.
 */
import { relative } from 'node:path';
import type { DiagnoseResult, Diagnosis, Holder, StepRef } from '../diagnose/index.js';
import { escapeData, escapeProperty } from './github.js';
import { locate } from './locate.js';

const VERDICT: Record<Diagnosis['verdict'], string> = {
  'race-in-build': 'race inside this build',
  'race-other-build': 'race with another build on the same builder',
  'cache-not-race': 'a cache problem that is not a race',
  'not-cache': 'not a cache problem',
};

export const VERDICT_TEXT = VERDICT;

const rel = (p: string | undefined, root: string) => (p && p.startsWith('/') ? relative(root, p) || p : p);

function where(step: StepRef, root: string): string {
  const parts = [step.target && `target "${step.target}"`, step.stage && `stage "${step.stage}"`, step.platform].filter(Boolean).join(', ');
  const line = step.line !== undefined ? `${rel(step.file, root) ?? 'Dockerfile'}:${step.line}` : 'line not found';
  return `${line}${parts ? ` (${parts})` : ''}`;
}

function holderText(h: Holder, root: string): string {
  const span = h.vertex ? ` — #${h.vertex}, log lines ${h.firstLine}–${h.endLine ?? 'end'}${h.status === 'canceled' ? ', cancelled when the build stopped' : ''}` : '';
  const by = h.evidence === 'log and model' ? 'running then in the log, and named by check' : h.evidence === 'log' ? 'running then in the log' : 'named by check (not seen running then in the log)';
  return `${where(h, root)}${span}; ${by}`;
}

export function diagnoseText(logName: string, r: DiagnoseResult, root: string): string {
  let out = '';
  for (const d of r.diagnoses) {
    out += `${logName}: ${VERDICT[d.verdict]}\n  ${d.summary}\n`;
    if (d.step.vertex) out += `  ${d.step.status === 'error' ? 'failed: ' : 'step:   '} ${d.step.name} (#${d.step.vertex}, log line ${d.step.firstLine})\n`;
    if (d.step.vertex) out += `           ${where(d.step, root)}${d.step.located ? `, found by ${d.step.located === 'excerpt' ? "BuildKit's Dockerfile excerpt" : d.step.located === 'text' ? 'its instruction text' : 'its position in the stage'}` : ''}\n`;
    if (d.signature) out += `  error:   ${logName}:${d.signature.logLine}: ${d.signature.text}\n           ${d.signature.tool}: ${d.signature.meaning} (${d.signature.id})\n`;
    else if (d.error) out += `  error:   ${d.error}\n`;
    for (const [i, l] of (d.lastOutput ?? []).entries()) out += `  ${i ? '       ' : 'output:'}  ${logName}:${l.logLine}: ${l.text}\n`;
    if (d.cache) out += `  cache:   "${d.cache}"\n`;
    for (const h of d.holders) out += `  held by: ${holderText(h, root)}\n`;
    if (d.finding) {
      const at = locate(d.finding.file, d.finding.diagnostic.range);
      out += `  check:   ${rel(d.finding.file.path, root)}:${at.line}:${at.column}: ${d.finding.diagnostic.severity} ${d.finding.diagnostic.ruleId}: ${d.finding.diagnostic.message}\n`;
    }
    for (const x of d.related.filter((x) => x.diagnostic !== d.finding?.diagnostic && d.verdict === 'not-cache')) {
      const at = locate(x.file, x.diagnostic.range);
      out += `  note:    check also finds on this step (not the cause of this failure): ${rel(x.file.path, root)}:${at.line}: ${x.diagnostic.ruleId}: ${x.diagnostic.message}\n`;
    }
    if (d.fix) {
      const more = d.fixes.length - 1;
      out += `  fix:     ${d.fix.description}${d.fix.strategy ? ` (strategy ${d.fix.strategy})` : ''}${more > 0 ? `, and the same for the step's ${more} other raced cache${more > 1 ? 's' : ''}` : ''} — mountlint diagnose --fix applies it, --diff shows it\n`;
    }
    if (d.advice) out += `  fix:     ${d.advice}\n`;
    out += '\n';
  }
  if (!r.diagnoses.length) out += r.passed ? `${logName}: the build passed; nothing to diagnose\n` : `${logName}: no failed step in this log${r.reading.cutOff ? ' (it stops while steps are still running: cut off?)' : ''}\n`;
  for (const m of r.missing) out += `note: ${m}\n`;
  if (r.reading.cutOff) out += `note: the log stops before the build ended (steps still running, no final error): it may be cut off\n`;
  return out;
}

export function diagnoseJson(r: DiagnoseResult, root: string): string {
  return JSON.stringify(
    {
      diagnoses: r.diagnoses.map((d) => ({
        verdict: d.verdict,
        summary: d.summary,
        step: { ...d.step, file: rel(d.step.file, root) },
        error: d.error,
        signature: d.signature,
        cache: d.cache,
        holders: d.holders.map((h) => ({ ...h, file: rel(h.file, root) })),
        finding: d.finding && { ruleId: d.finding.diagnostic.ruleId, file: rel(d.finding.file.path, root), line: locate(d.finding.file, d.finding.diagnostic.range).line, message: d.finding.diagnostic.message },
        fix: d.fix && { description: d.fix.description, strategy: d.fix.strategy, applicability: d.fix.applicability },
        advice: d.advice,
        infrastructure: d.infrastructure,
        lastOutput: d.lastOutput,
      })),
      passed: r.passed,
      canceled: r.canceled,
      log: r.reading,
      missing: r.missing,
    },
    null,
    2,
  ) + '\n';
}

/** One annotation per diagnosis on the failing Dockerfile line (a file-less one when the line is not known). */
export function diagnoseGithub(r: DiagnoseResult, root: string): string {
  let out = '';
  for (const d of r.diagnoses) {
    const level = d.verdict === 'not-cache' ? 'notice' : 'error';
    const props = [`title=${escapeProperty(`mountlint diagnose: ${VERDICT[d.verdict]}`)}`];
    if (d.step.file && d.step.line !== undefined) props.push(`file=${escapeProperty(rel(d.step.file, root)!)}`, `line=${d.step.line}`);
    out += `::${level} ${props.join(',')}::${escapeData(body(d, root).join('\n'))}\n`;
  }
  return out;
}

function body(d: Diagnosis, root: string): string[] {
  const lines = [d.summary];
  if (d.signature) lines.push(`log line ${d.signature.logLine}: ${d.signature.text}`);
  if (d.cache) lines.push(`cache: "${d.cache}"`);
  for (const h of d.holders) lines.push(`held by ${holderText(h, root)}`);
  if (d.fix) lines.push(`Fix: ${d.fix.description}`);
  if (d.advice) lines.push(`Fix: ${d.advice}`);
  return lines;
}

export function diagnoseMarkdown(logName: string, r: DiagnoseResult, root: string): string {
  let md = `## mountlint diagnose: ${logName}\n\n`;
  if (!r.diagnoses.length) md += r.passed ? 'The build passed.\n' : 'No failed step in this log.\n';
  for (const d of r.diagnoses) {
    md += `### ${VERDICT[d.verdict]}: ${where(d.step, root)}\n\n${d.summary}\n\n`;
    md += `| | |\n|---|---|\n| failed step | \`${d.step.name.replace(/\|/g, '\\|')}\` |\n`;
    if (d.signature) md += `| error (log line ${d.signature.logLine}) | \`${d.signature.text.replace(/\|/g, '\\|')}\` |\n`;
    if (d.cache) md += `| cache | \`${d.cache}\` |\n`;
    for (const h of d.holders) md += `| held by | ${holderText(h, root).replace(/\|/g, '\\|')} |\n`;
    if (d.finding) md += `| check | ${d.finding.diagnostic.ruleId}: ${d.finding.diagnostic.message.replace(/\|/g, '\\|')} |\n`;
    if (d.fix) md += `| fix | ${d.fix.description} (\`mountlint diagnose --fix\`) |\n`;
    if (d.advice) md += `| fix | ${d.advice.replace(/\|/g, '\\|')} |\n`;
    md += '\n';
  }
  for (const m of r.missing) md += `> ${m}\n`;
  return md;
}

export function diagnoseSarif(r: DiagnoseResult, root: string, version: string): string {
  const results = r.diagnoses.map((d) => ({
    ruleId: `diagnose/${d.verdict}`,
    level: d.verdict === 'not-cache' ? 'note' : 'error',
    message: { text: body(d, root).join('\n') },
    ...(d.step.file && d.step.line !== undefined
      ? { locations: [{ physicalLocation: { artifactLocation: { uri: rel(d.step.file, root) }, region: { startLine: d.step.line } } }] }
      : {}),
    ...(d.holders.length
      ? { relatedLocations: d.holders.filter((h) => h.file && h.line !== undefined).map((h, i) => ({ id: i, physicalLocation: { artifactLocation: { uri: rel(h.file, root) }, region: { startLine: h.line } }, message: { text: `held the cache: ${h.name}` } })) }
      : {}),
  }));
  const rules = (Object.keys(VERDICT) as Array<Diagnosis['verdict']>).map((v) => ({ id: `diagnose/${v}`, shortDescription: { text: VERDICT[v] } }));
  return JSON.stringify({ $schema: 'https://json.schemastore.org/sarif-2.1.0.json', version: '2.1.0', runs: [{ tool: { driver: { name: 'mountlint', version, semanticVersion: version, rules } }, results }] }, null, 2) + '\n';
}
