/**
 * Commands of a RUN that empty a cache it mounts (`apt-get clean`,
 * `rm -rf /var/lib/apt/lists/*`, `rm -f /var/cache/apt/archives/*.deb`), and
 * the edits that take them out of the script. Shared by the rules whose
 * remedy must drop them: a cache that the same RUN empties caches nothing,
 * whatever else the fix does.
 */
import type { Invocation } from '../commands/index.js';
import type { TextEdit } from '../edits/index.js';
import type { Step } from '../model/index.js';
import { toolUses } from './tool-uses.js';
import type { RuleContext } from './types.js';

/** Commands of the RUN that would empty the new caches (`apt-get clean`, `rm -rf /var/lib/apt/lists/*`). */
export function cleanups(context: RuleContext, step: Step, emptied: (path: string) => boolean): Invocation[] {
  const out: Invocation[] = [];
  for (const use of toolUses(context, step)) if (use.wipes && use.homeDirs.some(emptied)) out.push(use.invocation);
  for (const inv of context.invocations(step)) {
    if (inv.program !== 'rm') continue;
    const paths = inv.args.filter((a) => !a.startsWith('-'));
    const hits = paths.filter((p) => p.startsWith('/') && emptied(p.replace(/\/\*$/, '').replace(/\/+$/, '') || '/'));
    if (hits.length) out.push(inv);
  }
  return out;
}

/**
 * Deletes commands of the script with the `&&` or `;` (or line break, in a
 * heredoc) that joins each run of them to a neighbour, keeping comments and
 * line continuations readable. Undefined when they are not joined that
 * simply, or when an `rm` also removes paths outside the cache
 * (`rm -rf /var/lib/apt/lists/* /tmp/*`).
 */
export function removeCommands(context: RuleContext, step: Step, remove: Invocation[], cached: (path: string) => boolean): TextEdit[] | undefined {
  const clean = (a: string) => a.replace(/\/\*$/, '').replace(/\/+$/, '') || '/';
  if (remove.some((inv) => inv.program === 'rm' && inv.args.some((a) => !a.startsWith('-') && !cached(clean(a))))) return undefined;
  const all = context.invocations(step);
  const text = context.parsed.source.text;
  const gone = new Set(remove.map((inv) => all.indexOf(inv)));
  const edits: TextEdit[] = [];
  for (let i = 0; i < all.length; i++) {
    if (!gone.has(i)) continue;
    let j = i;
    while (gone.has(j + 1)) j++;
    for (let k = i; k < j; k++) if (!simpleJoint(text.slice(all[k].range.end, all[k + 1].range.start))) return undefined;
    const prev = all[i - 1];
    const next = all[j + 1];
    const start = prev && prev.range.end <= all[i].range.start ? jointStart(text, prev.range.end, all[i].range.start) : undefined;
    if (start !== undefined) edits.push({ range: { start, end: all[j].range.end }, text: '' });
    else if (next && all[j].range.end <= next.range.start && simpleJoint(text.slice(all[j].range.end, next.range.start))) edits.push({ range: { start: all[i].range.start, end: next.range.start }, text: '' });
    else return undefined;
    i = j;
  }
  return edits;
}

/** Text between two commands that only joins them: `&&` or `;` (or line breaks alone, as in a heredoc), with spaces, continuations and comment lines. */
function simpleJoint(between: string): boolean {
  const t = between.replace(/\r?\n[ \t]*#[^\n]*(?=\r?\n)/g, '').replace(/\\\r?\n/g, ' ').replace(/[ \t]/g, '');
  return t === '&&' || t === ';' || /^(\r?\n)+$/.test(t);
}

/**
 * Where the joint before a command starts, after whatever closes the command
 * before it (`fi`, `done`, `esac`, `)`, `}`), or undefined when it is not a
 * simple joint.
 */
function jointStart(text: string, from: number, to: number): number | undefined {
  const between = text.slice(from, to);
  if (simpleJoint(between)) return from;
  const close = /(?:\bfi|\bdone|\besac|[)}])(?![\s\S]*(?:\bfi|\bdone|\besac|[)}]))/.exec(between);
  if (!close) return undefined;
  const end = close.index + close[0].length;
  const before = between.slice(0, close.index).replace(/\\\r?\n/g, ' ').replace(/[\s;]/g, '');
  if (before !== '' && !/^(fi|done|esac|\)|\}|;)*$/.test(before)) return undefined;
  return simpleJoint(between.slice(end)) ? from + end : undefined;
}
