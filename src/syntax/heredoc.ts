/**
 * Heredoc markers on RUN/COPY/ADD lines (`<<EOF`, `<<-EOF`, `<<"EOF"`, `3<<EOF`),
 * detected as BuildKit does: split the whole line into raw words, then match
 * each word against `^(\d*)<<(-?)\s*([^<]*)$`.
 */
import { DockerfileSyntaxError } from './errors.js';
import { emptyEnv, processWords, WordLexError } from './word-lexer.js';
import type { Range } from './source.js';

const HEREDOC_WORD = /^(\d*)<<(-?)\s*([^<]*)$/;

export interface HeredocMarker {
  name: string;
  fileDescriptor: number;
  expand: boolean;
  chomp: boolean;
}

export const HEREDOC_INSTRUCTIONS = new Set(['add', 'copy', 'run']);

export function heredocMarkers(line: string, range: Range): HeredocMarker[] {
  let words: string[];
  try {
    words = processWords(line, emptyEnv, { rawQuotes: true, rawEscapes: true, skipUnsetEnv: true });
  } catch {
    return []; // BuildKit ignores lexing errors here
  }
  const out: HeredocMarker[] = [];
  for (const word of words) {
    const marker = parseHeredocWord(word, range);
    if (marker) out.push(marker);
  }
  return out;
}

/** BuildKit's ParseHeredoc: the marker in one word, or undefined. */
export function parseHeredocWord(word: string, range: Range): HeredocMarker | undefined {
  const match = HEREDOC_WORD.exec(word);
  if (!match || match[3].length === 0) return undefined;
  const rest = match[3];
  try {
    const words = processWords(rest, emptyEnv, { skipUnsetEnv: true });
    if (words.length !== 1) return undefined;
    const raw = processWords(rest, emptyEnv, { skipUnsetEnv: true, rawQuotes: true });
    if (raw.length !== words.length) {
      throw new DockerfileSyntaxError(`internal lexing of heredoc produced inconsistent results: ${rest}`, range);
    }
    const quotes = (s: string) => (s.match(/['"]/g) ?? []).length;
    return {
      name: words[0],
      fileDescriptor: match[1] ? Number.parseInt(match[1], 10) : 0,
      chomp: match[2] === '-',
      // A quoted terminator (any part of it) turns expansion off.
      expand: quotes(words[0]) === quotes(raw[0]),
    };
  } catch (err) {
    if (err instanceof WordLexError) throw new DockerfileSyntaxError(err.message, range);
    throw err;
  }
}
