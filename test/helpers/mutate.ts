/** Text cut and spliced at seeded random places: the inputs of the fuzz tests (test/fuzz.test.ts) and of the language server's robustness test. */
import { random } from './random.js';

/** Places where a Dockerfile's syntax turns, and text where bytes, UTF-16 units and code points part ways. */
const PIECES = [
  '\\\n', '"', "'", '`', '${', '}', '--mount=', ',', '=', '<<EOF\n', '\n', 'FROM ', ' AS ', '[', ']', '$', '\r\n', '\r', '#', ' ',
  'type=cache,target=/var/cache/apt ', 'EOF\n', '\ufeff', '日本語', 'e\u0301', '😀', '👨‍👩‍👧',
];

/** `text` with one to four random splices (never inside a surrogate pair: the JS string would not be text). */
export function mutate(rand: () => number, text: string): string {
  for (let k = 1 + Math.floor(rand() * 4); k > 0; k--) {
    let at = Math.floor(rand() * (text.length + 1));
    let end = Math.min(text.length, at + Math.floor(rand() * 8));
    if (isLowSurrogate(text, at)) at--;
    if (isLowSurrogate(text, end)) end++;
    text = text.slice(0, at) + PIECES[Math.floor(rand() * PIECES.length)] + text.slice(end);
  }
  return text;
}

/** `offset` points at the second half of a surrogate pair. */
function isLowSurrogate(text: string, offset: number): boolean {
  const c = text.charCodeAt(offset);
  const b = text.charCodeAt(offset - 1);
  return c >= 0xdc00 && c <= 0xdfff && b >= 0xd800 && b <= 0xdbff;
}

/** `count` mutations of `original`; `rand` continues the same seeded sequence. */
export function* mutations(name: string, original: string, count: number): Generator<{ text: string; rand: () => number }> {
  const rand = random(name.length * 7919 + original.length);
  for (let i = 0; i < count; i++) yield { text: mutate(rand, original), rand };
}
