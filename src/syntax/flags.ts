/**
 * BuildKit's splitCommand + extractBuilderFlags: the instruction keyword, the
 * leading `--flag` words (quotes and escapes removed, `--` ends them) and the
 * rest of the line. Works on a MappedText so every flag keeps its source range.
 */
import { MappedText, MappedTextBuilder } from './mapped-text.js';
import type { FlagWord } from './nodes.js';
import { isGoSpace } from './unicode.js';

/** BuildKit's reWhitespace: `[\t\v\f\r ]+`. */
export function isLineSpace(ch: string): boolean {
  return ch === '\t' || ch === '\v' || ch === '\f' || ch === '\r' || ch === ' ';
}

export interface SplitCommand {
  keyword: MappedText;
  flags: FlagWord[];
  rest: MappedText;
}

export function splitCommand(line: MappedText, escapeToken: string): SplitCommand {
  const trimmed = trimSpace(line);
  const text = trimmed.text;
  let i = 0;
  while (i < text.length && !isLineSpace(text[i])) i++;
  const keyword = trimmed.slice(0, i);
  if (i === text.length) return { keyword, flags: [], rest: trimmed.slice(i, i) };
  let j = i;
  while (j < text.length && isLineSpace(text[j])) j++;
  const { flags, rest } = extractBuilderFlags(trimmed.slice(j), escapeToken);
  return { keyword, flags, rest: trimSpace(rest) };
}

export function trimSpace(t: MappedText): MappedText {
  let s = 0;
  let e = t.length;
  while (s < e && isGoSpace(t.text[s])) s++;
  while (e > s && isGoSpace(t.text[e - 1])) e--;
  return t.slice(s, e);
}

// BuildKit keeps this scanner separate from parseWords (line-parsers.ts) and so do we:
// here quotes and escapes are removed (also inside single quotes) and `--` ends the flags;
// there they are kept for later expansion. Merging them would blur exactly those differences.
function extractBuilderFlags(line: MappedText, escapeToken: string): { flags: FlagWord[]; rest: MappedText } {
  const text = line.text;
  const flags: FlagWord[] = [];
  const word = new MappedTextBuilder();
  let phase: 'spaces' | 'word' | 'quote' = 'spaces';
  let quote = '';
  let blankOK = false;
  let wordStart = 0;

  const finishWord = (end: number) => {
    flags.push({ text: word.build(line.sourceOffset(end)), range: line.sourceRange(wordStart, end) });
  };

  for (let pos = 0; pos <= text.length; pos++) {
    const ch = pos < text.length ? text[pos] : '';
    if (phase === 'spaces') {
      if (pos === text.length) break;
      if (isGoSpace(ch)) continue;
      // Only words that start with "--" are flags.
      if (ch !== '-' || pos + 1 === text.length || text[pos + 1] !== '-') {
        return { flags, rest: line.slice(pos) };
      }
      phase = 'word';
      wordStart = pos;
    }
    if (pos === text.length) {
      if (word.text !== '--' && (blankOK || word.length > 0)) finishWord(pos);
      break;
    }
    if (phase === 'word') {
      if (isGoSpace(ch)) {
        phase = 'spaces';
        if (word.text === '--') return { flags, rest: line.slice(pos) };
        if (blankOK || word.length > 0) finishWord(pos);
        word.reset();
        blankOK = false;
        continue;
      }
      if (ch === "'" || ch === '"') {
        quote = ch;
        blankOK = true;
        phase = 'quote';
        continue;
      }
      let at = pos;
      if (ch === escapeToken) {
        if (pos + 1 === text.length) continue; // an escape at the end is dropped
        at = ++pos;
      }
      word.push(text[at], line.sourceOffset(at));
      continue;
    }
    // inside quotes
    if (ch === quote) {
      phase = 'word';
      continue;
    }
    let at = pos;
    if (ch === escapeToken) {
      if (pos + 1 === text.length) {
        phase = 'word';
        continue;
      }
      at = ++pos;
    }
    word.push(text[at], line.sourceOffset(at));
  }
  return { flags, rest: line.slice(text.length) };
}
