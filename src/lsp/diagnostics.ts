/**
 * mountlint's diagnostics as LSP diagnostics: the CLI's message, the rule id
 * as code with a link to its page, severities mapped one to one, related
 * locations, and positions in UTF-16 as LSP counts them (converted by the
 * TextDocument of the text that was linted, never by hand).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic as LspDiagnostic, type DiagnosticRelatedInformation, type Range as LspRange } from 'vscode-languageserver';
import type { Diagnostic, Severity } from '../rules/index.js';
import { docsUrl } from '../rules/index.js';
import type { Range, SourceFile } from '../syntax/index.js';

export const SOURCE = 'mountlint';

export const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/** Findings about code that does nothing: editors show it faded. */
const UNNECESSARY = new Set(['cache-ineffective']);

export function lspRange(doc: TextDocument, range: Range): LspRange {
  return { start: doc.positionAt(range.start), end: doc.positionAt(range.end) };
}

/** What a published diagnostic carries so that a code action can find the finding again. */
export interface DiagnosticData {
  /** Index into the lint result's diagnostics. */
  index: number;
  version: number;
}

export function toLspDiagnostic(d: Diagnostic, doc: TextDocument, data?: DiagnosticData): LspDiagnostic {
  const out: LspDiagnostic = {
    range: lspRange(doc, d.range),
    severity: SEVERITY[d.severity],
    code: d.ruleId,
    codeDescription: { href: docsUrl(d.ruleId) },
    source: SOURCE,
    message: d.message,
  };
  if (d.related.length) out.relatedInformation = d.related.map((r) => related(r, doc));
  if (UNNECESSARY.has(d.ruleId)) out.tags = [DiagnosticTag.Unnecessary];
  if (data) out.data = data;
  return out;
}

function related(r: Diagnostic['related'][number], doc: TextDocument): DiagnosticRelatedInformation {
  const where = r.file ? documentOf(r.file) : doc;
  return { location: { uri: where.uri, range: lspRange(where, r.range) }, message: r.message };
}

/** Another Dockerfile a related location points into (a bake or compose build's), with its own positions. */
const otherDocuments = new WeakMap<SourceFile, TextDocument>();

export function documentOf(file: SourceFile): TextDocument {
  let doc = otherDocuments.get(file);
  if (!doc) {
    doc = TextDocument.create(pathToFileURL(resolve(file.path)).href, 'dockerfile', 0, file.text);
    otherDocuments.set(file, doc);
  }
  return doc;
}
