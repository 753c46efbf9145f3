/**
 * What every report format shares: the context a report is written in, paths relative
 * to the repository, the findings in report order with fingerprints that survive
 * unrelated edits, and counts. Each format module imports this, and formats.ts
 * dispatches to the formats, so that no format imports the dispatcher (a cycle).
 */
import { relative, sep, isAbsolute, resolve } from 'node:path';
import type { LintResult } from '../engine/index.js';
import type { Diagnostic, Severity } from '../rules/index.js';
import type { SourceFile } from '../syntax/index.js';
import { diagnosticsByFile } from './by-file.js';
import type { FixVariant } from './html/index.js';
import type { FileOutcome } from './reporter.js';

export interface ReportContext {
  /** Paths in reports are relative to this folder (the repository: GITHUB_WORKSPACE, CI_PROJECT_DIR or the working directory). */
  root: string;
  /** mountlint's version (SARIF's tool.driver). */
  version: string;
  color?: boolean;
  /** Whether a finding makes the run fail (at its file's fail level). Default: errors do. */
  fails?: (d: Diagnostic) => boolean;
  /** What happened to each file beyond its findings (--fix, --diff, a failed write). */
  outcomes?: ReadonlyMap<LintResult, FileOutcome>;
  /** Files that could not be read or linted at all. */
  failures?: ReadonlyArray<{ path: string; error: string }>;
  /** HTML: each file's fix strategies, worked out ahead (the page runs nothing). */
  fixVariants?: ReadonlyMap<LintResult, FixVariant[]>;
}

/** A file's path as reports give it: relative to the root with `/`, or as given when outside it (or standard input). */
export function reportPath(source: SourceFile, root: string): string {
  if (source.path === '<stdin>' || !root) return source.path;
  const absolute = isAbsolute(source.path) ? source.path : resolve(source.path);
  const rel = relative(root, absolute);
  if (rel.startsWith('..') || isAbsolute(rel)) return absolute.split(sep).join('/');
  return rel.split(sep).join('/');
}

export function failsByDefault(d: Diagnostic): boolean {
  return d.severity === 'error';
}

export interface Finding {
  source: SourceFile;
  path: string;
  diagnostic: Diagnostic;
  /** Stable across edits elsewhere in the file: rule, path, the text it is about, and its rank among equal ones. */
  fingerprint: string;
}

/** Every finding in report order, with its repository path and fingerprint. */
export function findings(results: LintResult[], root: string): Finding[] {
  const out: Finding[] = [];
  for (const { source, diagnostics } of diagnosticsByFile(results)) {
    const path = reportPath(source, root);
    const seen = new Map<string, number>();
    for (const d of diagnostics) {
      const key = fingerprintKey(source, path, d);
      const n = seen.get(key) ?? 0;
      seen.set(key, n + 1);
      out.push({ source, path, diagnostic: d, fingerprint: hash(`${key}\u0000${n}`) });
    }
  }
  return out;
}

/**
 * What identifies a finding whatever else changes in the file: its rule, its
 * file, and the text of its range and of the line it starts on, with
 * whitespace collapsed. Not its line number (lines move when others are
 * added) and not its message (messages name other lines).
 */
function fingerprintKey(source: SourceFile, path: string, d: Diagnostic): string {
  const squash = (s: string) => s.replace(/\s+/g, ' ').trim();
  const line = source.lineText(source.positionAt(d.range.start).line);
  return [d.ruleId, path, squash(source.text.slice(d.range.start, d.range.end)), squash(line)].join('\u0000');
}

/** FNV-1a, 64 bits as two 32-bit halves: no crypto module to load, and collisions need no resistance here. */
function hash(s: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0xcbf29ce4;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c ^ (h1 >>> 7), 0x01000193) >>> 0;
  }
  return h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0');
}

export function countBySeverity(list: Array<{ diagnostic: Diagnostic }>): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of list) counts[f.diagnostic.severity]++;
  return counts;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 || word === 'info' ? '' : 's'}`;
}
