/**
 * Quick fixes: one per fix a finding offers (for a race, one per strategy:
 * locked, private, id, wait), titled so a person can choose between them;
 * the fix `--fix` would apply is preferred unless it is unsafe. And
 * `source.fixAll.mountlint`: exactly what `mountlint --fix` writes with the
 * same settings. And for every finding, "ignore" actions that write the
 * shared suppression comment (`# mountlint ignore=RULE` above the
 * instruction, or `# mountlint global ignore=RULE` for the file).
 */
import { diffLines } from 'diff';
import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic as LspDiagnostic, type TextEdit as LspTextEdit, type WorkspaceEdit } from 'vscode-languageserver';
import { fixText, suppressionEdit, SUPPRESSION_RULE } from '../engine/index.js';
import type { TextEdit } from '../edits/index.js';
import { cacheMountFacts, subjectAt } from '../report/index.js';
import type { Diagnostic, Fix } from '../rules/index.js';
import type { Range } from '../syntax/index.js';
import { documentOf, lspRange, toLspDiagnostic, type DiagnosticData } from './diagnostics.js';
import type { LintedDocument } from './linting.js';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.mountlint`;

export function codeActions(linted: LintedDocument, params: CodeActionParams, documentChanges: boolean): CodeAction[] {
  const only = params.context.only;
  const wants = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
  const actions: CodeAction[] = [];
  if (wants(CodeActionKind.QuickFix)) {
    for (const index of findingsFor(linted, params)) {
      const d = linted.diagnostics[index];
      const lspDiagnostic = toLspDiagnostic(d, linted.doc, { index, version: linted.version });
      for (const fix of fixesOf(d)) actions.push(quickFix(linted, d, fix, lspDiagnostic, documentChanges));
      for (const scope of ['instruction', 'file'] as const) {
        const ignore = ignoreAction(linted, d, scope, lspDiagnostic, documentChanges);
        if (ignore) actions.push(ignore);
      }
    }
  }
  if (wants(FIX_ALL_KIND)) {
    const all = fixAll(linted, documentChanges);
    if (all) actions.push(all);
  }
  return actions;
}

/** The findings the request is about: the diagnostics the client names (when they are this lint's), else those touching the range. */
function findingsFor(linted: LintedDocument, params: CodeActionParams): number[] {
  const named = params.context.diagnostics
    .map((d) => d.data as Partial<DiagnosticData> | undefined)
    .filter((data): data is DiagnosticData => data?.version === linted.version && typeof data.index === 'number' && !!linted.diagnostics[data.index]);
  if (named.length) return [...new Set(named.map((d) => d.index))];
  const start = linted.doc.offsetAt(params.range.start);
  const end = linted.doc.offsetAt(params.range.end);
  return linted.diagnostics.flatMap((d, i) => (d.range.start <= end && d.range.end >= start ? [i] : []));
}

/** The fix `--fix` applies first, then the other strategies, each once. */
function fixesOf(d: Diagnostic): Fix[] {
  const out: Fix[] = [];
  for (const fix of [d.fix, ...(d.suggestions ?? [])]) {
    if (!fix || fix.edits.length === 0) continue;
    if (out.some((f) => f === fix || (f.strategy !== undefined && f.strategy === fix.strategy))) continue;
    out.push(fix);
  }
  return out;
}

function quickFix(linted: LintedDocument, d: Diagnostic, fix: Fix, diagnostic: LspDiagnostic, documentChanges: boolean): CodeAction {
  return {
    title: fixTitle(linted, d, fix),
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    isPreferred: fix === d.fix && fix.applicability === 'safe',
    edit: fixEdit(linted, fix.edits, documentChanges),
  };
}

/** A fix's edits, each in its own document: a race between two Dockerfiles of one bake build is fixed in both. */
function fixEdit(linted: LintedDocument, edits: TextEdit[], documentChanges: boolean): WorkspaceEdit {
  const own = edits.filter((e) => !e.file);
  const edit = workspaceEdit(linted, own.map((e) => ({ range: lspRange(linted.doc, e.range), newText: e.text })), documentChanges);
  const byFile = new Map<NonNullable<TextEdit['file']>, LspTextEdit[]>();
  for (const e of edits) {
    if (!e.file) continue;
    const doc = documentOf(e.file);
    byFile.set(e.file, [...(byFile.get(e.file) ?? []), { range: lspRange(doc, e.range), newText: e.text }]);
  }
  for (const [file, fileEdits] of byFile) {
    const uri = documentOf(file).uri;
    if (edit.documentChanges) edit.documentChanges.push({ textDocument: { uri, version: null }, edits: fileEdits });
    else edit.changes![uri] = fileEdits;
  }
  return edit;
}

/** "Ignore cache-race for this instruction" / "… in this file", through the suppression module's own edit. */
function ignoreAction(linted: LintedDocument, d: Diagnostic, scope: 'instruction' | 'file', diagnostic: LspDiagnostic, documentChanges: boolean): CodeAction | undefined {
  const parsed = linted.result.parsed;
  if (!parsed || d.ruleId === SUPPRESSION_RULE) return undefined; // the comments' own problems are never suppressed
  const edit = suppressionEdit(parsed, d, scope);
  if (!edit) return undefined;
  const comment = scope === 'file' ? `# mountlint global ignore=${d.ruleId}` : `# mountlint ignore=${d.ruleId}`;
  return {
    title: scope === 'file' ? `Ignore ${d.ruleId} in this file (${comment})` : `Ignore ${d.ruleId} for this instruction (${comment})`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    edit: workspaceEdit(linted, [{ range: lspRange(linted.doc, edit.range), newText: edit.text }], documentChanges),
  };
}

/** Everything `mountlint --fix` would change (same settings, same passes), as one edit per changed group of lines. */
function fixAll(linted: LintedDocument, documentChanges: boolean): CodeAction | undefined {
  if (!linted.result.parsed || !linted.diagnostics.some((d) => d.fix)) return undefined;
  const text = linted.doc.getText();
  const fixed = fixText(text, linted.path, linted.options, linted.result);
  if (!fixed.changed) return undefined;
  const edits = changedLines(text, fixed.output).map((e): LspTextEdit => ({ range: lspRange(linted.doc, e.range), newText: e.text }));
  return { title: 'Fix all mountlint problems that have a safe fix', kind: FIX_ALL_KIND, edit: workspaceEdit(linted, edits, documentChanges) };
}

/** `after` as replacements of whole lines of `before`. */
function changedLines(before: string, after: string): Array<{ range: Range; text: string }> {
  const edits: Array<{ range: Range; text: string }> = [];
  let offset = 0;
  let open: { range: Range; text: string } | undefined;
  for (const part of diffLines(before, after)) {
    if (!part.added && !part.removed) {
      if (open) edits.push(open);
      open = undefined;
      offset += part.value.length;
      continue;
    }
    open ??= { range: { start: offset, end: offset }, text: '' };
    if (part.added) open.text += part.value;
    else {
      offset += part.value.length;
      open.range.end = offset;
    }
  }
  if (open) edits.push(open);
  return edits;
}

function workspaceEdit(linted: LintedDocument, edits: LspTextEdit[], documentChanges: boolean): WorkspaceEdit {
  // With documentChanges the client refuses the edit if the document moved on since this lint.
  if (documentChanges) return { documentChanges: [{ textDocument: { uri: linted.uri, version: linted.version }, edits }] };
  return { changes: { [linted.uri]: edits } };
}

/**
 * "Lock the apt cache in both stages (sharing=locked)": what the fix does,
 * to which tool's cache and where, and the option it writes.
 */
export function fixTitle(linted: LintedDocument, d: Diagnostic, fix: Fix): string {
  const unsafe = fix.applicability === 'unsafe' ? ' — unsafe' : '';
  if (!fix.strategy) return capitalize(fix.description) + unsafe;
  const tool = racingProgram(linted, d);
  const stages = stagesOf(linted, fix.edits);
  const where = stages.length === 1 ? `stage "${stages[0]}"` : stages.length === 2 ? 'both stages' : `all ${stages.length} stages`;
  switch (fix.strategy) {
    case 'locked':
      return `Lock the ${tool} cache in ${where} (sharing=locked)${unsafe}`;
    case 'private':
      return `Give each concurrent ${tool} step its own cache directory (sharing=private)${unsafe}`;
    case 'id':
      return `Give each stage its own ${tool} cache (id= per stage)${unsafe}`;
    case 'wait':
      return `Make ${tool} wait for the other step: run it under flock (wait)${unsafe}`;
  }
}

/** The program that cannot share the cache the finding is about (its range is the mount). */
function racingProgram(linted: LintedDocument, d: Diagnostic): string {
  const subject = subjectAt(linted.result, d.range.start);
  if (subject?.kind !== 'cache-mount') return 'tool';
  const facts = cacheMountFacts(linted.result, subject.spec, subject.instruction);
  const tool = facts?.tools.find((t) => t.collision) ?? facts?.tools[0];
  return tool?.program ?? 'tool';
}

/** Names of the stages the edits touch, in file order. */
function stagesOf(linted: LintedDocument, edits: TextEdit[]): string[] {
  const stages = linted.result.instructions?.stages ?? [];
  const names: string[] = [];
  for (const edit of [...edits].sort((a, b) => a.range.start - b.range.start)) {
    const stage = [...stages].reverse().find((s) => s.from.node.range.start <= edit.range.start);
    const name = stage ? (stage.name ?? `stage-${stage.index}`) : undefined;
    if (name && !names.includes(name)) names.push(name);
  }
  return names;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
