/**
 * Finding one's way in a Dockerfile: stages and their steps as document
 * symbols, go-to-definition from a stage name to its FROM, and links from
 * rule ids to their pages.
 */
import { SymbolKind, type DocumentLink, type DocumentSymbol, type Location, type Position } from 'vscode-languageserver';
import { parseSuppressions } from '../engine/index.js';
import { stageReferences } from '../report/index.js';
import { allRules, docsUrl } from '../rules/index.js';
import { lspRange } from './diagnostics.js';
import type { LintedDocument } from './linting.js';

/** Each stage (FROM to its last instruction), with its instructions inside. */
export function documentSymbols(linted: LintedDocument): DocumentSymbol[] {
  const stages = linted.result.instructions?.stages ?? [];
  return stages.map((stage) => {
    const last = stage.instructions[stage.instructions.length - 1] ?? stage.from;
    const from = stage.from;
    const children = stage.instructions.map((ins): DocumentSymbol => {
      const node = ins.node;
      return {
        name: `${node.keyword.toUpperCase()} ${summary(node.line.text.slice(node.line.text.indexOf(node.keyword) + node.keyword.length))}`.trim(),
        kind: ins.kind === 'run' ? SymbolKind.Function : ins.kind === 'env' || ins.kind === 'arg' ? SymbolKind.Variable : SymbolKind.Event,
        range: lspRange(linted.doc, node.range),
        selectionRange: lspRange(linted.doc, node.keywordRange),
      };
    });
    return {
      name: stage.name ?? `stage-${stage.index}`,
      detail: `FROM ${from.image.value}`,
      kind: SymbolKind.Class,
      range: lspRange(linted.doc, { start: from.node.range.start, end: last.node.range.end }),
      selectionRange: lspRange(linted.doc, from.nameRange ?? from.image.range),
      children,
    };
  });
}

function summary(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > 60 ? `${oneLine.slice(0, 59)}…` : oneLine;
}

/** From `FROM x`, `COPY --from=x` or `--mount=…,from=x` (or the name after AS) to the stage's FROM. */
export function definition(linted: LintedDocument, position: Position): Location | null {
  const offset = linted.doc.offsetAt(position);
  const ref = stageReferences(linted.result).find((r) => offset >= r.range.start && offset <= r.range.end);
  const stage = ref && linted.result.instructions?.stages[ref.stage];
  if (!stage) return null;
  return { uri: linted.uri, range: lspRange(linted.doc, stage.from.nameRange ?? stage.from.node.range) };
}

const RULE_IDS = new Set(allRules.map((r) => r.meta.id));

/** Each rule id in a suppression comment, linked to its page. */
export function documentLinks(linted: LintedDocument): DocumentLink[] {
  const parsed = linted.result.parsed;
  if (!parsed) return [];
  return parseSuppressions(parsed).comments.flatMap((c) =>
    c.rules.filter((r) => RULE_IDS.has(r.id)).map((r) => ({ range: lspRange(linted.doc, r.range), target: docsUrl(r.id), tooltip: `mountlint rule ${r.id}` })),
  );
}
