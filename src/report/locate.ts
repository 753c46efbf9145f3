import type { Diagnostic } from '../rules/index.js';
import type { SourceFile } from '../syntax/index.js';

/** 1-based start and end of a diagnostic, end column exclusive. */
export function locate(source: SourceFile, range: Diagnostic['range']) {
  const start = source.positionAt(range.start);
  const end = source.positionAt(range.end);
  return { line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
}
