/**
 * SARIF 2.1.0, as GitHub code scanning reads it: every rule with its
 * descriptions, help page and default level; results with repository-relative
 * locations, full regions, the other steps as related locations, the fix as
 * replacements, and fingerprints that survive unrelated edits.
 */
import type { LintResult } from '../engine/index.js';
import { allRules, docsUrl, REPOSITORY_URL, type Diagnostic, type Fix, type Severity } from '../rules/index.js';
import type { Range, SourceFile } from '../syntax/index.js';
import { findings, reportPath, type ReportContext } from './findings.js';
import { locate } from './locate.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };
/** Where result paths are relative to: the repository root (upload-sarif resolves it to the checkout). */
const SRCROOT = '%SRCROOT%';

export function sarifReport(results: LintResult[], context: ReportContext): string {
  const ruleIndex = new Map(allRules.map((r, i) => [r.meta.id, i]));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'mountlint',
            version: context.version,
            semanticVersion: context.version,
            informationUri: REPOSITORY_URL,
            rules: allRules.map((r) => ({
              id: r.meta.id,
              name: r.meta.id.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase()),
              shortDescription: { text: r.meta.description },
              fullDescription: { text: r.meta.rationale },
              helpUri: docsUrl(r.meta.id),
              help: { text: `${r.meta.description} See ${docsUrl(r.meta.id)}`, markdown: `${r.meta.description}\n\n[Rule page](${docsUrl(r.meta.id)})` },
              defaultConfiguration: { level: LEVEL[r.meta.severity] },
              properties: { tags: ['dockerfile', 'buildkit', 'cache-mount'], fixable: r.meta.fixable },
            })),
          },
        },
        columnKind: 'unicodeCodePoints',
        results: findings(results, context.root).map(({ source, path, diagnostic: d, fingerprint }) => ({
          ruleId: d.ruleId,
          ...(ruleIndex.has(d.ruleId) ? { ruleIndex: ruleIndex.get(d.ruleId) } : {}),
          level: LEVEL[d.severity],
          message: { text: d.message },
          locations: [location(source, path, d.range)],
          ...(d.related.length
            ? {
                relatedLocations: d.related.map((r, i) => {
                  const file = r.file ?? source;
                  return { id: i + 1, ...location(file, reportPath(file, context.root), r.range), message: { text: r.message } };
                }),
              }
            : {}),
          ...(d.fix ? { fixes: [sarifFix(d.fix, source, context)] } : {}),
          partialFingerprints: { 'mountlintFindingHash/v1': fingerprint },
        })),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}

function region(source: SourceFile, range: Range) {
  const at = locate(source, range);
  return { startLine: at.line, startColumn: at.column, endLine: at.endLine, endColumn: at.endColumn };
}

function location(source: SourceFile, path: string, range: Range) {
  return {
    physicalLocation: {
      artifactLocation: artifact(path),
      region: { ...region(source, range), snippet: { text: source.lineText(source.positionAt(range.start).line) } },
    },
  };
}

function artifact(path: string) {
  // A path outside the repository stays absolute (file://), with no base.
  if (path.startsWith('/')) return { uri: `file://${encodePath(path)}` };
  return { uri: encodePath(path), uriBaseId: SRCROOT };
}

function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/** A fix as SARIF replacements, one artifact change per file it edits. */
function sarifFix(fix: Fix, source: SourceFile, context: ReportContext) {
  const byFile = new Map<SourceFile, typeof fix.edits>();
  for (const e of fix.edits) {
    const file = e.file ?? source;
    byFile.set(file, [...(byFile.get(file) ?? []), e]);
  }
  return {
    description: { text: `${fix.description} (${fix.applicability}${fix.strategy ? `, --fix-strategy ${fix.strategy}` : ''})` },
    artifactChanges: [...byFile].map(([file, edits]) => ({
      artifactLocation: artifact(reportPath(file, context.root)),
      replacements: edits.map((e) => ({ deletedRegion: region(file, e.range), insertedContent: { text: e.text } })),
    })),
  };
}

export type { Diagnostic };
