/**
 * Suppression comments, the one module that reads and writes them (the CLI
 * through the engine, the language server for its "ignore" code actions):
 *
 *   # mountlint ignore=cache-race,cache-split reason=builder never runs in CI
 *   RUN --mount=type=cache,target=/var/cache/apt apt-get update
 *
 *   # mountlint global ignore=missing-cache-mount reason=…
 *
 * `ignore=` silences the named rules inside the instruction directly below
 * (its whole range: continuation lines and heredocs included). Like
 * hadolint's pragma, the comment sits on the line(s) right above the
 * instruction: other comment lines may stand between them, a blank line may
 * not. `global ignore=` silences the rules in the whole file, wherever it is.
 * `all` stands for every rule. Problems with the comments themselves (an
 * unknown rule, a comment that silences nothing, a missing reason) are
 * findings of the `suppression` rule; they are never suppressed.
 */
import type { TextEdit } from '../edits/index.js';
import { renderMessage, suppressionRule, type Diagnostic, type MessageRef, type Severity } from '../rules/index.js';
import type { InstructionNode, ParsedDockerfile, Range, SourceFile } from '../syntax/index.js';

export const SUPPRESSION_RULE = 'suppression';

export interface SuppressedRule {
  /** A rule id, or `all`. */
  id: string;
  range: Range;
}

export interface SuppressionComment {
  scope: 'instruction' | 'file';
  rules: SuppressedRule[];
  /** The text after `reason=`, trimmed; undefined when there is none. */
  reason?: string;
  /** The comment, from its `#` to the end of its text. */
  range: Range;
  /** The whole line, indentation and line ending included (what removing the comment deletes). */
  lineRange: Range;
  /** 1-based line of the comment. */
  line: number;
  /** For `ignore=`: the instruction it applies to (undefined when none is directly below). */
  instruction?: InstructionNode;
}

export interface CommentProblem extends MessageRef {
  range: Range;
  severity: Severity;
}

export interface ParsedSuppressions {
  /** The file the comments are in. */
  path: string;
  comments: SuppressionComment[];
  /** Comments that look like suppressions but cannot be read, or stand where they apply to nothing. */
  problems: CommentProblem[];
}

/** A comment that means to be one of ours: `# mountlint ignore…` or `# mountlint global…`. */
const ATTEMPT = /^#\s*mountlint\s*:?\s*(global\b|ignore\b)/i;
const COMMENT = /^#\s*mountlint\s+(global\s+)?ignore=([^\s]*)(?:\s+(.*))?$/;
const RULE_ID = /^[a-z0-9][a-z0-9-]*$/;

/** Every suppression comment of a parsed file, with the instruction each applies to. */
export function parseSuppressions(parsed: ParsedDockerfile): ParsedSuppressions {
  const source = parsed.source;
  const comments: SuppressionComment[] = [];
  const problems: CommentProblem[] = [];
  const byLine = instructionLines(parsed);
  for (let line = 1; line <= source.lineCount; line++) {
    const text = source.lineText(line);
    const indent = text.length - text.trimStart().length;
    const body = text.slice(indent).trimEnd();
    if (!ATTEMPT.test(body)) continue;
    const at = byLine.get(line);
    if (at?.inHeredoc) continue; // script text, not a Dockerfile comment
    const start = source.lineStart(line) + indent;
    const range = { start, end: start + body.length };
    const comment = readComment(body, start, line, problems);
    if (!comment) continue;
    if (at) {
      problems.push({ messageId: 'insideInstruction', data: { line: at.node.startLine }, range, severity: 'warning' });
      continue;
    }
    const next = line < source.lineCount ? source.lineStart(line + 1) : source.text.length;
    comment.lineRange = { start: source.lineStart(line), end: next };
    if (comment.scope === 'instruction') {
      comment.instruction = instructionBelow(parsed, line, byLine);
      if (!comment.instruction) {
        problems.push({ messageId: 'notAbove', range, severity: 'warning' });
        continue;
      }
    }
    comments.push(comment);
  }
  return { path: source.path, comments, problems };
}

function readComment(body: string, start: number, line: number, problems: CommentProblem[]): SuppressionComment | undefined {
  const match = COMMENT.exec(body);
  const range = { start, end: start + body.length };
  if (!match) {
    problems.push({ messageId: 'unreadable', range, severity: 'warning' });
    return undefined;
  }
  const [, global, list, rest] = match;
  const listStart = start + body.indexOf('ignore=') + 'ignore='.length;
  const rules: SuppressedRule[] = [];
  let offset = listStart;
  for (const id of list.split(',')) {
    if (!RULE_ID.test(id)) {
      problems.push({ messageId: 'notARuleId', data: { id }, range: { start: offset, end: offset + id.length }, severity: 'warning' });
      return undefined;
    }
    rules.push({ id, range: { start: offset, end: offset + id.length } });
    offset += id.length + 1;
  }
  let reason: string | undefined;
  if (rest !== undefined && rest.trim() !== '') {
    if (!rest.startsWith('reason=')) {
      const restStart = start + body.length - rest.length;
      problems.push({ messageId: 'textNotReason', data: { found: rest.slice(0, 20) }, range: { start: restStart, end: start + body.length }, severity: 'warning' });
      return undefined;
    }
    reason = rest.slice('reason='.length).trim() || undefined;
  }
  return { scope: global ? 'file' : 'instruction', rules, reason, range, lineRange: range, line };
}

interface LineOwner {
  node: InstructionNode;
  inHeredoc: boolean;
}

/** For every line that belongs to an instruction: which one, and whether it is heredoc text. */
function instructionLines(parsed: ParsedDockerfile): Map<number, LineOwner> {
  const source = parsed.source;
  const owners = new Map<number, LineOwner>();
  for (const node of parsed.instructions) {
    for (let l = node.startLine; l <= node.endLine; l++) owners.set(l, { node, inHeredoc: false });
    for (const h of node.heredocs) {
      const first = source.positionAt(h.contentRange.start).line;
      const last = source.positionAt(Math.max(h.contentRange.start, h.contentRange.end - 1)).line;
      for (let l = first; l <= last && h.contentRange.end > h.contentRange.start; l++) owners.set(l, { node, inHeredoc: true });
    }
  }
  return owners;
}

/** The instruction that starts below a comment, with only comment lines between them. */
function instructionBelow(parsed: ParsedDockerfile, line: number, owners: Map<number, LineOwner>): InstructionNode | undefined {
  const source = parsed.source;
  for (let l = line + 1; l <= source.lineCount; l++) {
    const owner = owners.get(l);
    if (owner) return owner.node.startLine === l ? owner.node : undefined;
    const text = source.lineText(l).trim();
    if (!text.startsWith('#')) return undefined; // a blank line ends the comment block
  }
  return undefined;
}

export interface SuppressionOptions {
  /** Ids of the rules that ran: a suppression of a rule that did not run is not "unused". */
  enabledRules: ReadonlySet<string>;
  /** Every rule id mountlint knows. */
  knownRules: ReadonlySet<string>;
  /** Report suppressions that silence nothing. */
  reportUnused?: boolean;
  /** A suppression without `reason=` is an error. */
  requireReason?: boolean;
}

export interface SuppressionOutcome {
  /** What remains to report, problems with the comments included. */
  diagnostics: Diagnostic[];
  /** What the comments silenced. */
  suppressed: Diagnostic[];
}

/**
 * Splits diagnostics into reported and suppressed, and reports the comments'
 * own problems as `suppression` findings. A suppressed diagnostic goes whole:
 * its related locations (a race's other steps) and its fix with it, so
 * `--fix` never edits for it.
 */
export function applySuppressions(diagnostics: Diagnostic[], parsed: ParsedSuppressions, options: SuppressionOptions): SuppressionOutcome {
  const { comments, problems } = parsed;
  const used = new Set<SuppressedRule>();
  const kept: Diagnostic[] = [];
  const suppressed: Diagnostic[] = [];
  for (const d of diagnostics) {
    // Comments silence findings in their own file (a bake build's finding in another Dockerfile follows that file's comments).
    const here = !d.file || d.file.path === parsed.path;
    const by = d.ruleId === SUPPRESSION_RULE || !here ? undefined : matchingRule(comments, d);
    if (by) {
      used.add(by);
      suppressed.push(d);
    } else {
      kept.push(d);
    }
  }
  const own: Diagnostic[] = problems.map((p) => finding(p, p.range, p.severity));
  for (const c of comments) {
    for (const r of c.rules) {
      if (r.id !== 'all' && !options.knownRules.has(r.id)) own.push(finding({ messageId: 'unknownRule', data: { id: r.id, rules: [...options.knownRules].sort().join(', ') } }, r.range, 'warning'));
    }
    if (options.requireReason && !c.reason) own.push(finding({ messageId: 'reasonRequired' }, c.range, 'error'));
    if (options.reportUnused) own.push(...unusedFindings(c, used, options));
  }
  return { diagnostics: [...kept, ...own], suppressed };
}

function matchingRule(comments: SuppressionComment[], d: Diagnostic): SuppressedRule | undefined {
  for (const c of comments) {
    if (c.scope === 'instruction' && !(c.instruction && d.range.start >= c.instruction.range.start && d.range.start <= c.instruction.range.end)) continue;
    const rule = c.rules.find((r) => r.id === d.ruleId || r.id === 'all');
    if (rule) return rule;
  }
  return undefined;
}

/** An unused rule id is removed from the comment; a comment with nothing left is removed whole. */
function unusedFindings(c: SuppressionComment, used: Set<SuppressedRule>, options: SuppressionOptions): Diagnostic[] {
  const unused = c.rules.filter((r) => !used.has(r) && (r.id === 'all' || options.enabledRules.has(r.id)));
  if (unused.length === 0) return [];
  const where = c.scope === 'file' ? 'in this file' : `on line ${c.instruction!.startLine}`;
  if (unused.length === c.rules.length) {
    const ids = c.rules.map((r) => r.id).join(', ');
    return [finding({ messageId: 'unused', data: { ids, where } }, c.range, 'warning', { description: 'remove the unused suppression comment', applicability: 'safe', edits: [removeLine(c)] })];
  }
  return unused.map((r) => finding({ messageId: 'unused', data: { ids: r.id, where } }, r.range, 'warning', { description: `remove ${r.id} from the suppression`, applicability: 'safe', edits: [removeFromList(c, r)] }));
}

/** A finding of the suppression rule, its text rendered from the rule's messages. */
function finding(ref: MessageRef, range: Range, severity: Severity, fix?: Diagnostic['fix']): Diagnostic {
  const { messageId, data } = ref;
  const message = renderMessage(suppressionRule.meta, { messageId, data });
  return { ruleId: SUPPRESSION_RULE, messageId, ...(data ? { data } : {}), severity, message, range, related: [], ...(fix ? { fix } : {}) };
}

function removeLine(c: SuppressionComment): TextEdit {
  return { range: c.lineRange, text: '' };
}

function removeFromList(c: SuppressionComment, r: SuppressedRule): TextEdit {
  const i = c.rules.indexOf(r);
  // Remove the id and the comma that joins it to its neighbour.
  return i < c.rules.length - 1 ? { range: { start: r.range.start, end: c.rules[i + 1].range.start }, text: '' } : { range: { start: c.rules[i - 1].range.end, end: r.range.end }, text: '' };
}

/** The text of a suppression comment (without indentation or line ending). */
export function suppressionComment(ruleIds: string[], scope: 'instruction' | 'file', reason?: string): string {
  const why = reason?.replace(/[\r\n]+/g, ' ').trim();
  return `# mountlint ${scope === 'file' ? 'global ' : ''}ignore=${ruleIds.join(',')}${why ? ` reason=${why}` : ''}`;
}

/**
 * The edit that silences a diagnostic's rule, for an editor's "ignore this
 * rule" action: on the instruction it is in, or in the whole file. When a
 * comment of that scope is already there, the rule joins its list; else a
 * new comment line is inserted (above the instruction, with its
 * indentation; for the file, after the parser directives, which must stay
 * first). Undefined when the diagnostic is in no instruction or is already
 * suppressed there.
 */
export function suppressionEdit(parsed: ParsedDockerfile, diagnostic: Pick<Diagnostic, 'ruleId' | 'range'>, scope: 'instruction' | 'file', reason?: string): TextEdit | undefined {
  const source = parsed.source;
  const { comments } = parseSuppressions(parsed);
  const instruction = scope === 'instruction' ? parsed.instructions.find((n) => diagnostic.range.start >= n.range.start && diagnostic.range.start <= n.range.end) : undefined;
  if (scope === 'instruction' && !instruction) return undefined;
  const existing = comments.find((c) => c.scope === scope && (scope === 'file' || c.instruction === instruction));
  if (existing) {
    if (existing.rules.some((r) => r.id === diagnostic.ruleId || r.id === 'all')) return undefined;
    const last = existing.rules[existing.rules.length - 1];
    return { range: { start: last.range.end, end: last.range.end }, text: `,${diagnostic.ruleId}` };
  }
  const text = suppressionComment([diagnostic.ruleId], scope, reason);
  if (instruction) {
    const lineStart = source.lineStart(instruction.startLine);
    const indent = /^[ \t]*/.exec(source.lineText(instruction.startLine))![0];
    return { range: { start: lineStart, end: lineStart }, text: `${indent}${text}${source.eol}` };
  }
  const lastDirective = parsed.directives[parsed.directives.length - 1];
  const line = lastDirective ? source.positionAt(lastDirective.range.start).line + 1 : 1;
  const at = line <= source.lineCount ? source.lineStart(line) : source.text.length;
  const needsBreak = at === source.text.length && at > 0 && !source.text.endsWith('\n');
  return { range: { start: at, end: at }, text: `${needsBreak ? source.eol : ''}${text}${source.eol}` };
}

/**
 * For a file that could not be parsed (no instructions to attach comments to): does a
 * `# mountlint global ignore=RULE` anywhere, or a `# mountlint ignore=RULE` on the line
 * just above `line` (the instruction the finding is on), silence RULE? `all` counts.
 */
export function suppressesUnparsed(source: SourceFile, ruleId: string, line: number): boolean {
  for (let l = 1; l <= source.lineCount; l++) {
    const m = COMMENT.exec(source.lineText(l).trim());
    if (!m) continue;
    const ids = m[2].split(',');
    if (!ids.includes(ruleId) && !ids.includes('all')) continue;
    if (m[1] || l === line - 1) return true;
  }
  return false;
}
