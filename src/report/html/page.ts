/**
 * `--format html`: one self-contained page (its CSS, data and script inline;
 * nothing fetched), for `explain` (one build or one request's builds) and
 * `check` (a summary table of every file, linking to each file's view).
 */
import type { LintResult } from '../../engine/index.js';
import { viewClient } from './client.js';
import type { ViewData, ViewFinding } from './data.js';
import { viewOfResult } from './data.js';
import type { FixVariant } from './fixes.js';
import { VIEW_CSS } from './style.js';
import { composeWhy } from './why.js';

/** One file's or one request's part of the page. */
export interface ViewDocument {
  name: string;
  view?: ViewData;
  fixes?: FixVariant[];
  /** Its findings (the view's, or the file's own when it did not model). */
  findings: ViewFinding[];
  /** Why there is no view. */
  error?: string;
}

export interface ViewPage {
  title: string;
  documents: ViewDocument[];
  /** Show the summary table even for one document (check). */
  summary?: boolean;
}

/** The document of a lint result (its view when it modelled, else its findings). */
export function documentOf(result: LintResult, name = result.source.path, fixes: FixVariant[] = []): ViewDocument {
  const view = viewOfResult(result, name);
  if (view) return { name, view, fixes, findings: view.findings };
  const findings: ViewFinding[] = result.diagnostics.map((d) => {
    const file = d.file ?? result.source;
    const at = file.positionAt(d.range.start);
    return { rule: d.ruleId, severity: d.severity, message: d.message, file: file.path, line: at.line, column: at.column, fixes: [] };
  });
  return { name, findings, error: 'This file does not build (see its findings), so there is no build to draw.' };
}

/** The page's data as JSON that is safe inside a <script> element. */
export function pageJson(page: ViewPage): string {
  return JSON.stringify(page).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export function htmlPage(page: ViewPage, write: (chunk: string) => void = () => {}): string {
  const chunks = [
    `<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n`,
    // No request leaves the page: every resource is inline, and the policy says so to the browser too.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">\n`,
    `<title>${escapeHtml(page.title)} — mountlint</title>\n<style>${VIEW_CSS}</style>\n</head>\n<body>\n`,
    `<header class="top"><h1>${escapeHtml(page.title)}</h1><p>mountlint: what BuildKit runs together, which caches each step mounts, and the races between them.</p></header>\n`,
    `<main id="app"><noscript>This view needs JavaScript to draw the build; the findings are in the data below.</noscript></main>\n`,
    `<script type="application/json" id="mountlint-data">`,
    pageJson(page),
    `</script>\n<script>\n"use strict";\n(${viewClient.toString()})(document.getElementById("app"), JSON.parse(document.getElementById("mountlint-data").textContent), ${composeWhy.toString()});\n</script>\n</body>\n</html>\n`,
  ];
  for (const c of chunks) write(c);
  return chunks.join('');
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}
