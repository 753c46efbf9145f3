/** BuildKit's AST dump (`Node.Dump`), used to compare our parser with BuildKit's own test data. */
import { goQuote, goQuoteList } from './go-quote.js';
import type { InstructionNode } from './nodes.js';

export function dumpInstruction(node: InstructionNode): string {
  let out = node.keyword.toLowerCase();
  if (node.flags.length) out += ' ' + goQuoteList(node.flags.map((f) => f.text.text));
  for (const a of node.args) out += ' ' + goQuote(a.value);
  if (node.onbuild) out += ' (' + dumpInstruction(node.onbuild) + ')';
  return out.trim();
}

export function dumpInstructions(nodes: InstructionNode[]): string {
  return nodes.map((n) => '(' + dumpInstruction(n) + ')').join('\n');
}
