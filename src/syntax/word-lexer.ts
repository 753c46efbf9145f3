/**
 * BuildKit's shell-word lexer (frontend/dockerfile/shell/lex.go): quote
 * removal, escapes and `$VAR` / `${VAR…}` expansion, either to one word
 * (ProcessWord: mount option values, FROM, WORKDIR, ENV) or split into words
 * (ProcessWords: heredoc detection). It is not a shell: it never runs
 * anything, and it matches BuildKit's behaviour, quirks included, because the
 * results decide cache ids and stage names. Conformance: envVarTest, wordsTest.
 */
import { AnalysisLimitError } from './errors.js';
import { goQuote } from './go-quote.js';
import { isGoDigit, isGoLetter, isGoSpace } from './unicode.js';

export interface EnvLookup {
  get(name: string): string | undefined;
}

export interface WordLexerOptions {
  /** The Dockerfile escape token: '\\' or '`'. */
  escapeToken?: string;
  /** Keep quote characters in the output. */
  rawQuotes?: boolean;
  /** Keep escape characters in the output. */
  rawEscapes?: boolean;
  /** Treat quotes as ordinary characters. */
  skipProcessQuotes?: boolean;
  /** Leave unset variables as written instead of expanding them to "". */
  skipUnsetEnv?: boolean;
}

export class WordLexError extends Error {}

export interface WordResult {
  result: string;
  words: string[];
  /** Variables referenced and found. */
  matched: Set<string>;
  /** Variables referenced but unset (BuildKit's UndefinedVar lint). */
  unmatched: Set<string>;
}

const EOF = '';

/**
 * How deep `${A:-${B:-…}}` may nest. BuildKit has no limit; ours keeps the
 * recursive scan far from the stack's end (1,000 levels passed with another
 * 1,000 frames below them; 1,500 overflowed). No real Dockerfile nests past a few.
 */
export const MAX_EXPANSION_DEPTH = 500;

export function processWord(word: string, env: EnvLookup, options: WordLexerOptions = {}): WordResult {
  return new WordScanner(word, env, options).run();
}

export function processWords(word: string, env: EnvLookup, options: WordLexerOptions = {}): string[] {
  return new WordScanner(word, env, options).run().words;
}

export const emptyEnv: EnvLookup = { get: () => undefined };

export function envFromRecord(record: Record<string, string> | Map<string, string>): EnvLookup {
  if (record instanceof Map) return { get: (k) => record.get(k) };
  return { get: (k) => (Object.prototype.hasOwnProperty.call(record, k) ? record[k] : undefined) };
}

/** Accumulates split words the way BuildKit does, including its buffer shared across nested expansions. */
class WordSplitter {
  words: string[] = [];
  inWord = false;
  constructor(private readonly shared: { buf: string }) {}

  addChar(ch: string): void {
    if (isGoSpace(ch) && this.inWord) {
      if (this.shared.buf.length !== 0) {
        this.words.push(this.shared.buf);
        this.shared.buf = '';
        this.inWord = false;
      }
    } else if (!isGoSpace(ch)) {
      this.addRawChar(ch);
    }
  }

  addRawChar(ch: string): void {
    this.shared.buf += ch;
    this.inWord = true;
  }

  addString(s: string): void {
    for (const ch of s) this.addChar(ch);
  }

  addRawString(s: string): void {
    this.shared.buf += s;
    this.inWord = true;
  }

  finish(): string[] {
    if (this.shared.buf.length > 0) {
      this.words.push(this.shared.buf);
      this.shared.buf = '';
      this.inWord = false;
    }
    return this.words;
  }
}

class WordScanner {
  /** The word's characters: the string itself when ASCII (indexable as is), else its code points. */
  private readonly chars: string | string[];
  private pos = 0;
  private depth = 0;
  private readonly escape: string;
  private rawEscapes: boolean;
  private readonly matched = new Set<string>();
  private readonly unmatched = new Set<string>();
  // BuildKit reuses one words buffer for nested `${…}` scans; mirrored on purpose.
  private readonly sharedBuffer = { buf: '' };

  constructor(
    private readonly source: string,
    private readonly env: EnvLookup,
    private readonly options: WordLexerOptions,
  ) {
    // eslint-disable-next-line no-control-regex
    this.chars = /^[\x00-\x7f]*$/.test(source) ? source : Array.from(source);
    this.escape = options.escapeToken ?? '\\';
    this.rawEscapes = options.rawEscapes ?? false;
  }

  run(): WordResult {
    try {
      const { result, words } = this.processStopOn(EOF, this.rawEscapes);
      return { result, words, matched: this.matched, unmatched: this.unmatched };
    } catch (err) {
      if (err instanceof WordLexError) throw new WordLexError(`failed to process ${goQuote(this.source)}: ${err.message}`);
      throw err;
    }
  }

  private peek(): string {
    return this.pos < this.chars.length ? this.chars[this.pos] : EOF;
  }

  private next(): string {
    return this.pos < this.chars.length ? this.chars[this.pos++] : EOF;
  }

  private processStopOn(stopChar: string, rawEscapes: boolean): { result: string; words: string[] } {
    if (++this.depth > MAX_EXPANSION_DEPTH) throw new AnalysisLimitError(`\${…} nested more than ${MAX_EXPANSION_DEPTH} levels deep: mountlint does not follow expansions that deep`);
    let result = '';
    this.sharedBuffer.buf = '';
    const words = new WordSplitter(this.sharedBuffer);
    const saved = this.rawEscapes;
    this.rawEscapes = rawEscapes;
    try {
      while (this.peek() !== EOF) {
        const ch = this.peek();
        if (stopChar !== EOF && ch === stopChar) {
          this.next();
          return { result, words: words.finish() };
        }
        const special = this.special(ch);
        if (special) {
          const tmp = special();
          result += tmp;
          if (ch === '$') words.addString(tmp);
          else words.addRawString(tmp);
          continue;
        }
        let c = this.next();
        if (c === this.escape) {
          if (this.rawEscapes) {
            words.addRawChar(c);
            result += c;
          }
          c = this.next();
          if (c === EOF) break;
          words.addRawChar(c);
        } else {
          words.addChar(c);
        }
        result += c;
      }
      if (stopChar !== EOF) {
        throw new WordLexError(`unexpected end of statement while looking for matching ${stopChar}`);
      }
      return { result, words: words.finish() };
    } finally {
      this.depth--;
      if (saved !== rawEscapes) this.rawEscapes = !rawEscapes;
    }
  }

  private special(ch: string): (() => string) | undefined {
    if (ch === '$') return () => this.processDollar();
    if (ch === '<') return () => this.processPossibleHeredoc();
    if (!this.options.skipProcessQuotes) {
      if (ch === "'") return () => this.processSingleQuote();
      if (ch === '"') return () => this.processDoubleQuote();
    }
    return undefined;
  }

  private processSingleQuote(): string {
    let result = '';
    const open = this.next();
    if (this.options.rawQuotes) result += open;
    for (;;) {
      const ch = this.next();
      if (ch === EOF) throw new WordLexError('unexpected end of statement while looking for matching single-quote');
      if (ch === "'") {
        if (this.options.rawQuotes) result += ch;
        return result;
      }
      result += ch;
    }
  }

  private processDoubleQuote(): string {
    let result = '';
    const open = this.next();
    if (this.options.rawQuotes) result += open;
    for (;;) {
      const peek = this.peek();
      if (peek === EOF) throw new WordLexError('unexpected end of statement while looking for matching double-quote');
      if (peek === '"') {
        const close = this.next();
        if (this.options.rawQuotes) result += close;
        return result;
      }
      if (peek === '$') {
        result += this.processDollar();
        continue;
      }
      let ch = this.next();
      if (ch === this.escape) {
        if (this.rawEscapes) result += ch;
        const after = this.peek();
        if (after === EOF) continue; // an escape at the end of the word is ignored
        if (after === '"' || after === '$' || after === this.escape) ch = this.next();
      }
      result += ch;
    }
  }

  private processDollar(): string {
    this.next(); // '$'
    if (this.peek() !== '{') {
      const name = this.processName();
      if (name === '') return '$';
      const value = this.getEnv(name);
      if (value === undefined && this.options.skipUnsetEnv) return '$' + name;
      return value ?? '';
    }
    this.next(); // '{'
    const first = this.peek();
    if (first === EOF) throw new WordLexError("syntax error: missing '}'");
    if (first === '{' || first === '}' || first === ':') throw new WordLexError('syntax error: bad substitution');

    const name = this.processName();
    let ch = this.next();
    let chs = ch === EOF ? '\ufffd' : ch;
    let nullIsUnset = false;

    if (ch === '}') {
      const value = this.getEnv(name);
      if (value === undefined && this.options.skipUnsetEnv) return `\${${name}}`;
      return value ?? '';
    }
    if (ch === '/') return this.processReplacement(name);
    if (ch === ':') {
      // BuildKit falls through to the modifier handling whatever follows the ':'.
      nullIsUnset = true;
      ch = this.next();
      chs += ch === EOF ? '\ufffd' : ch;
    } else if (!['+', '-', '?', '#', '%'].includes(ch)) {
      throw new WordLexError(`unsupported modifier (${chs}) in substitution`);
    }

    const rawEscapes = ch === '#' || ch === '%';
    if (nullIsUnset && rawEscapes) throw new WordLexError(`unsupported modifier (${chs}) in substitution`);
    const word = this.scanTo('}', rawEscapes, "syntax error: missing '}'");
    const value = this.getEnv(name);
    if (this.options.skipUnsetEnv && value === undefined) return `\${${name}${chs}${word}}`;
    const unset = value === undefined || (nullIsUnset && value === '');
    switch (ch) {
      case '-':
        return unset ? word : value!;
      case '+':
        return unset ? '' : word;
      case '?':
        if (value === undefined) throw new WordLexError(`${name}: ${word || 'is not allowed to be unset'}`);
        if (nullIsUnset && value === '') throw new WordLexError(`${name}: ${word || 'is not allowed to be empty'}`);
        return value;
      case '%':
      case '#': {
        const greedy = word.length > 0 && word[0] === ch;
        const pattern = greedy ? word.slice(1) : word;
        return ch === '%' ? trimSuffix(pattern, value ?? '', greedy) : trimPrefix(pattern, value ?? '', greedy);
      }
      default:
        throw new WordLexError(`unsupported modifier (${chs}) in substitution`);
    }
  }

  private processReplacement(name: string): string {
    const replaceAll = this.peek() === '/';
    if (replaceAll) this.next();
    const pattern = this.scanTo('/', true, "syntax error: missing '/' in ${}");
    const replacement = this.scanTo('}', true, "syntax error: missing '}'");
    const value = this.getEnv(name);
    if (this.options.skipUnsetEnv && value === undefined) return `\${${name}/${pattern}/${replacement}}`;
    let re: RegExp;
    try {
      re = shellPatternToRegex(pattern, true, false, replaceAll);
    } catch (err) {
      throw new WordLexError(`invalid pattern (${pattern}) in substitution: ${(err as Error).message}`);
    }
    return (value ?? '').replace(re, () => replacement);
  }

  /** The text up to `stop`; when the input ends first, BuildKit's `missing` message. */
  private scanTo(stop: string, rawEscapes: boolean, missing: string): string {
    try {
      return this.processStopOn(stop, rawEscapes).result;
    } catch (err) {
      if (this.peek() === EOF) throw new WordLexError(missing);
      throw err;
    }
  }

  private processName(): string {
    let name = '';
    while (this.peek() !== EOF) {
      const ch = this.peek();
      if (name.length === 0 && isGoDigit(ch)) {
        while (this.peek() !== EOF && isGoDigit(this.peek())) name += this.next();
        return name;
      }
      if (name.length === 0 && '@*#?-$!0'.includes(ch)) return this.next();
      if (!isGoLetter(ch) && !isGoDigit(ch) && ch !== '_') break;
      name += this.next();
    }
    return name;
  }

  private processPossibleHeredoc(): string {
    this.next();
    if (this.peek() !== '<') return '<';
    this.next();
    let space = '';
    while (this.peek() === '\t' || this.peek() === '\r' || this.peek() === ' ') space += this.next();
    return '<<' + space;
  }

  private getEnv(name: string): string | undefined {
    const value = this.env.get(name);
    if (value !== undefined) this.matched.add(name);
    else this.unmatched.add(name);
    return value;
  }
}

/** A shell wildcard pattern (? and *, no brackets) as a regular expression, as BuildKit converts it. */
function shellPatternToRegex(pattern: string, greedy: boolean, anchored: boolean, global = false): RegExp {
  const chars = Array.from(pattern);
  let out = anchored ? '^' : '';
  const star = greedy ? '.*' : '.*?';
  for (let i = 0; i < chars.length; i++) {
    let tok = chars[i];
    if (tok === '*') {
      out += star;
      continue;
    }
    if (tok === '?') {
      out += '.';
      continue;
    }
    if (tok === '\\') {
      // `}` and `/` are escaped inside ${}, but the escape is not part of the pattern.
      if (chars[i + 1] === '}' || chars[i + 1] === '/') continue;
      out += '\\';
      tok = chars[++i] ?? '';
      if (tok !== '*' && tok !== '?' && tok !== '\\') throw new Error(`invalid escape '\\${tok}'`);
    } else if ('[]{}.+()|^$'.includes(tok)) {
      out += '\\';
    }
    out += tok;
  }
  return new RegExp(out, global ? 'gu' : 'u');
}

function trimPrefix(pattern: string, value: string, greedy: boolean): string {
  let re: RegExp;
  try {
    re = shellPatternToRegex(pattern, greedy, true);
  } catch (err) {
    throw new WordLexError(`invalid pattern (${pattern}) in substitution: ${(err as Error).message}`);
  }
  const m = re.exec(value);
  return m ? value.slice(m.index + m[0].length) : value;
}

/** Reverses a pattern but keeps each escape before the character it escapes. */
function reversePattern(pattern: string): string {
  const runes = Array.from(pattern);
  const out = new Array<string>(runes.length);
  const last = runes.length - 1;
  for (let i = 0; i <= last; ) {
    const at = last - i;
    if (runes[i] === '\\' && i !== last) {
      out[at - 1] = runes[i];
      out[at] = runes[i + 1];
      i += 2;
    } else {
      out[at] = runes[i];
      i++;
    }
  }
  return out.join('');
}

function reverseString(s: string): string {
  return Array.from(s).reverse().join('');
}

function trimSuffix(pattern: string, value: string, greedy: boolean): string {
  // Regular expressions cannot find the shortest rightmost match, so search the reversed strings.
  return reverseString(trimPrefix(reversePattern(pattern), reverseString(value), greedy));
}
