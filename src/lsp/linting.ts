/**
 * One open document's lint results. Each lint keeps a snapshot of the text it
 * read (positions of its findings are converted with that text, whatever the
 * editor has done since), and the last result whose file built: while the
 * file does not build (a half-typed line), the findings that need the build
 * model are carried over from it, moved past the edit, so they do not flicker
 * away and back with every keystroke.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic as LspDiagnostic } from 'vscode-languageserver';
import { lintText, type LintOptions, type LintResult } from '../engine/index.js';
import { BuildOptionError } from '../model/index.js';
import type { Diagnostic } from '../rules/index.js';
import type { Range } from '../syntax/index.js';
import { toLspDiagnostic } from './diagnostics.js';

export interface LintedDocument {
  uri: string;
  /** The path findings and fixes name the file by. */
  path: string;
  version: number;
  /** The text that was linted, for position conversion. */
  doc: TextDocument;
  result: LintResult;
  options: LintOptions;
  /** result.diagnostics (what code actions index into). */
  diagnostics: Diagnostic[];
  /** Findings kept from the last result that built (no fixes offered for them). */
  carried: Diagnostic[];
  /** A build option the file cannot use (an unknown target): linted without it. */
  optionProblem?: string;
  /** How long the lint took, in milliseconds. */
  duration: number;
}

/** Rules whose findings come from the file as it is now, even when it does not build. */
const PARSE_RULES = new Set(['syntax', 'invalid-mount']);

export function lintDocument(uri: string, path: string, text: string, version: number, options: LintOptions, lastGood?: LintedDocument): LintedDocument {
  const started = performance.now();
  let result: LintResult;
  let optionProblem: string | undefined;
  try {
    result = lintText(text, path, options);
  } catch (err) {
    if (!(err instanceof BuildOptionError)) throw err;
    optionProblem = err.message;
    result = lintText(text, path, { ...options, target: undefined });
  }
  const diagnostics = result.diagnostics;
  const carried = !result.model && lastGood ? carryOver(lastGood, text, diagnostics) : [];
  return { uri, path, version, doc: TextDocument.create(uri, 'dockerfile', version, text), result, options, diagnostics, carried, optionProblem, duration: performance.now() - started };
}

/**
 * The last good result's model findings, in the new text's offsets: the edit
 * is the span between the common prefix and suffix of the two texts; findings
 * inside it are dropped, those after it move with it.
 */
function carryOver(lastGood: LintedDocument, text: string, current: Diagnostic[]): Diagnostic[] {
  const old = lastGood.doc.getText();
  const max = Math.min(old.length, text.length);
  let prefix = 0;
  while (prefix < max && old.charCodeAt(prefix) === text.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < max - prefix && old.charCodeAt(old.length - 1 - suffix) === text.charCodeAt(text.length - 1 - suffix)) suffix++;
  const oldEnd = old.length - suffix;
  const delta = text.length - old.length;
  const move = (r: Range): Range | undefined => (r.end <= prefix ? r : r.start >= oldEnd ? { start: r.start + delta, end: r.end + delta } : undefined);
  const out: Diagnostic[] = [];
  for (const d of lastGood.diagnostics.concat(lastGood.carried)) {
    if (PARSE_RULES.has(d.ruleId)) continue;
    const range = move(d.range);
    if (!range || current.some((c) => c.ruleId === d.ruleId && c.range.start === range.start)) continue;
    const related = d.related.flatMap((r) => {
      const moved = move(r.range);
      return moved ? [{ ...r, range: moved }] : [];
    });
    out.push({ ruleId: d.ruleId, messageId: d.messageId, ...(d.data ? { data: d.data } : {}), severity: d.severity, message: d.message, range, related });
  }
  return out;
}

/** What the client is sent: the findings, each with where to find it again for code actions. */
export function publishedDiagnostics(linted: LintedDocument): LspDiagnostic[] {
  const out = linted.diagnostics.map((d, index) => toLspDiagnostic(d, linted.doc, { index, version: linted.version }));
  for (const d of linted.carried) out.push(toLspDiagnostic(d, linted.doc));
  return out;
}
