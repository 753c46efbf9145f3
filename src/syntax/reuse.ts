/**
 * Instruction nodes kept from one parse of a file to the next (the language
 * server parses every version of an open document). An instruction's node is
 * fully determined by its source text from the keyword to the end of its last
 * line and by the escape token, so a node parsed before is reused, moved to
 * where the same text now starts, instead of being split and lexed again.
 * Only the last two parses' nodes are kept: an edit elsewhere never makes the
 * memory grow.
 */
import { ownCopy, type MappedText } from './mapped-text.js';
import type { FlagWord, InstructionNode } from './nodes.js';
import type { Range } from './source.js';

interface Kept {
  /** The key, in a string of its own. */
  key: string;
  /** The node as first parsed, its strings copied (never handed out: parseInstruction completes the copies it is given). */
  node: InstructionNode;
  /** Where its text started then. */
  start: number;
}

export class InstructionReuse {
  private previous = new Map<string, Kept>();
  private current = new Map<string, Kept>();
  /** Nodes reused and nodes parsed by the last parse (for measurements and tests). */
  reused = 0;
  parsed = 0;

  /** Whether the last parse read the whole file (one that stopped at a syntax error kept only some nodes). */
  private completed = true;

  /** Called by the parser at the start of a parse: what the parse before last kept is dropped. */
  startParse(): void {
    if (this.completed || this.previous.size > 2 * this.current.size + 1000) this.previous = this.current;
    else for (const [key, kept] of this.current) this.previous.set(key, kept); // a half-typed heredoc: keep the rest of the file too
    this.current = new Map();
    this.completed = false;
    this.reused = 0;
    this.parsed = 0;
  }

  /** Called by the parser when it has read the whole file. */
  endParse(): void {
    this.completed = true;
  }

  /** A copy of the node parsed before from `key`, moved to `start`; or the one `parse` makes now. */
  node(key: string, start: number, parse: () => InstructionNode): InstructionNode {
    const kept = this.current.get(key) ?? this.previous.get(key);
    if (kept) {
      this.current.set(kept.key, kept);
      this.reused++;
      return shiftNode(kept.node, start - kept.start);
    }
    const node = parse();
    this.parsed++;
    // Its own strings: slices of this version's text would keep all of it alive as long as the node is kept.
    const own = ownCopy(key);
    this.current.set(own, { key: own, node: keptCopy(node), start });
    return node;
  }
}

/** A copy of a node as `nodeFromLine` makes it, holding its own strings. */
function keptCopy(node: InstructionNode): InstructionNode {
  const copy: InstructionNode = {
    keyword: ownCopy(node.keyword),
    keywordRange: { ...node.keywordRange },
    flags: node.flags.map((f): FlagWord => ({ text: f.text.withOwnText(), range: { ...f.range } })),
    args: node.args.map((a) => ({ value: ownCopy(a.value), range: { ...a.range } })),
    json: node.json,
    rest: node.rest.withOwnText(),
    line: node.line.withOwnText(),
    heredocs: [],
    range: { ...node.range },
    startLine: node.startLine,
    endLine: node.endLine,
  };
  if (node.onbuild) copy.onbuild = keptCopy(node.onbuild);
  return copy;
}

/**
 * A copy of a node as `nodeFromLine` makes it (no heredocs, no line numbers
 * yet), `delta` characters later in the source.
 */
function shiftNode(node: InstructionNode, delta: number): InstructionNode {
  const range = (r: Range): Range => ({ start: r.start + delta, end: r.end + delta });
  const text = (t: MappedText): MappedText => t.shifted(delta);
  const copy: InstructionNode = {
    keyword: node.keyword,
    keywordRange: range(node.keywordRange),
    flags: node.flags.map((f): FlagWord => ({ text: text(f.text), range: range(f.range) })),
    args: node.args.map((a) => ({ value: a.value, range: range(a.range) })),
    json: node.json,
    rest: text(node.rest),
    line: text(node.line),
    heredocs: [],
    range: range(node.range),
    startLine: node.startLine,
    endLine: node.endLine,
  };
  if (node.onbuild) copy.onbuild = shiftNode(node.onbuild, delta);
  return copy;
}
