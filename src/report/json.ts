/**
 * The machine-readable report: `{"files":[{"path","diagnostics":[…]}]}`,
 * 1-based lines and columns in code points, end exclusive. Written as a
 * stream, one diagnostic at a time, with exactly the layout that
 * `JSON.stringify(report, null, 2)` would give.
 */
import type { LintResult } from '../engine/index.js';
import type { Diagnostic, Fix } from '../rules/index.js';
import type { Range, SourceFile } from '../syntax/index.js';
import { diagnosticsByFile } from './by-file.js';
import { locate } from './locate.js';
import { collect, type FileOutcome, type Reporter, type Write } from './reporter.js';

export function jsonReport(results: LintResult[]): string {
  return collect(jsonReporter, (r) => results.forEach((result) => r.file(result)));
}

export function jsonReporter(write: Write): Reporter {
  let files = 0;
  write('{\n  "files": [');
  const fileEntry = (path: string, outcome: FileOutcome, source?: SourceFile, diagnostics: Diagnostic[] = []) => {
    write(`${files++ ? ',' : ''}\n    {\n      "path": ${JSON.stringify(path)},`);
    for (const key of ['error', 'fixed', 'diff'] as const) {
      if (outcome[key] !== undefined) write(`\n      ${JSON.stringify(key)}: ${JSON.stringify(outcome[key])},`);
    }
    write('\n      "diagnostics": [');
    diagnostics.forEach((d, i) => write(`${i ? ',' : ''}\n        ${indent(JSON.stringify(jsonDiagnostic(source!, d), null, 2), 8)}`));
    write(diagnostics.length ? '\n      ]\n    }' : ']\n    }');
  };
  return {
    file(result, outcome = {}) {
      const groups = diagnosticsByFile([result]);
      groups.forEach((g, i) => fileEntry(g.source.path, i === 0 ? outcome : {}, g.source, g.diagnostics));
    },
    failure(path, error) {
      fileEntry(path, { error });
    },
    end() {
      write(files ? '\n  ]\n}\n' : ']\n}\n');
    },
  };
}

/** JSON text nested `spaces` deep (its strings hold no raw line breaks). */
function indent(json: string, spaces: number): string {
  return json.replace(/\n/g, '\n' + ' '.repeat(spaces));
}

function jsonDiagnostic(source: SourceFile, d: Diagnostic) {
  return {
    ruleId: d.ruleId,
    messageId: d.messageId,
    severity: d.severity,
    message: d.message,
    ...locate(source, d.range),
    related: d.related.map((r) => ({ ...place(source, r.file, r.range), message: r.message })),
    ...(d.fix ? { fix: jsonFix(d.fix, source) } : {}),
    ...(d.suggestions?.length ? { suggestions: d.suggestions.map((f) => jsonFix(f, source)) } : {}),
  };
}

/** Position in `file`, with its `path` when that is another file than the diagnostic's (a bake or compose build). */
function place(own: SourceFile, file: SourceFile | undefined, range: Range) {
  return file && file.path !== own.path ? { path: file.path, ...locate(file, range) } : locate(own, range);
}

function jsonFix(fix: Fix, source: SourceFile) {
  return {
    description: fix.description,
    applicability: fix.applicability,
    ...(fix.strategy ? { strategy: fix.strategy } : {}),
    edits: fix.edits.map((e) => ({ ...place(source, e.file, e.range), text: e.text })),
  };
}
