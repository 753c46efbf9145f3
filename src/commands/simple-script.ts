/**
 * A fast path for the scripts most RUN lines are: simple commands joined by
 * `&&`, `||`, `;`, `|` or newlines, with plain or quoted words, `VAR=x`
 * prefixes and trailing redirections. For these it gives exactly what
 * tree-sitter-bash gives (a test compares the two on every script in our
 * corpora and on generated ones); for anything else it answers `undefined`
 * and the caller uses tree-sitter.
 *
 * Why it exists: a single CLI run on a small file spent ~16 ms loading and
 * first running tree-sitter's WebAssembly (measured, docs/design.md), more
 * than all of our own work; files whose scripts are all simple now skip it.
 */
import type { ShellCommand, ShellWord } from './shell-command.js';

/** Characters of an unquoted word that mean nothing special to the shell. */
const PLAIN = /[A-Za-z0-9_\-./:,+=@%^]/;
/** What a double-quoted string may hold here: no expansion, escape or newline. */
const DOUBLE_QUOTED = /^[^"$`\\\n\r]*$/;
/** tree-sitter-bash's `number` token, where it is the whole word. */
const NUMBER = /^-?(0x)?[0-9]+$/;
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
/** Words tree-sitter-bash does not parse as a plain command name. */
const SPECIAL_NAMES = new Set([
  'if', 'then', 'else', 'elif', 'fi', 'case', 'esac', 'for', 'select', 'while', 'until', 'do', 'done', 'in',
  'function', 'time', 'coproc', 'declare', 'typeset', 'export', 'readonly', 'local', 'unset', 'unsetenv',
]);

class NotSimple extends Error {}

/** The commands of a simple script in source order, or undefined when the script is not simple. */
export function parseSimpleScript(text: string): ShellCommand[] | undefined {
  try {
    return new SimpleScanner(text).commands();
  } catch (err) {
    if (err instanceof NotSimple) return undefined;
    throw err;
  }
}

class SimpleScanner {
  private pos = 0;

  constructor(private readonly text: string) {}

  commands(): ShellCommand[] {
    const out: ShellCommand[] = [];
    this.skip(/[ \t\n]/);
    while (this.pos < this.text.length) {
      const command = this.command();
      if (command.words.length > 0) out.push(command); // `A=b` alone is no command to tree-sitter either
      this.skip(/[ \t]/);
      if (this.pos >= this.text.length) break;
      const operator = this.separator();
      this.skip(/[ \t\n]/);
      // `a &&` with nothing after it is a syntax error; `a;` and `a\n` are fine.
      if (this.pos >= this.text.length && operator !== ';' && operator !== '\n') throw new NotSimple();
    }
    return out;
  }

  private command(): ShellCommand {
    const assignments: Record<string, string> = {};
    const words: ShellWord[] = [];
    let start = -1;
    let end = -1;
    let redirected = false;
    while (this.pos < this.text.length && !this.atSeparator()) {
      if (this.atRedirect()) {
        this.redirect();
        redirected = true; // tree-sitter takes any word after a redirection as part of it
      } else {
        const word = this.word();
        const text = this.text.slice(word.start, word.end);
        if (!redirected) {
          if (words.length === 0 && text.includes('=')) {
            // `A= b`: tree-sitter-bash reads that differently from a shell; leave it to tree-sitter.
            if (word.kind === 'string' || word.kind === 'raw_string' || !ASSIGNMENT.test(text) || text.endsWith('=')) throw new NotSimple();
            const eq = text.indexOf('=');
            assignments[text.slice(0, eq)] = word.value.slice(eq + 1);
            if (start < 0) start = word.start;
            end = word.end;
          } else {
            if (words.length === 0 && SPECIAL_NAMES.has(text)) throw new NotSimple();
            words.push(word);
            if (start < 0) start = word.start;
            end = word.end;
          }
        }
      }
      this.skip(/[ \t]/);
    }
    if (start < 0 || (words.length === 0 && redirected)) throw new NotSimple();
    return { assignments, words, start, end };
  }

  /** One word: plain characters and quoted strings, adjacent. */
  private word(): ShellWord {
    const start = this.pos;
    let value = '';
    let parts = 0;
    let kind: ShellWord['kind'] = 'word';
    while (this.pos < this.text.length) {
      const c = this.text[this.pos];
      if (c === "'") {
        const close = this.text.indexOf("'", this.pos + 1);
        if (close < 0) throw new NotSimple();
        const content = this.text.slice(this.pos + 1, close);
        if (content.includes('\n') || content.includes('\r')) throw new NotSimple();
        value += content;
        kind = 'raw_string';
        this.pos = close + 1;
      } else if (c === '"') {
        const close = this.text.indexOf('"', this.pos + 1);
        if (close < 0) throw new NotSimple();
        const content = this.text.slice(this.pos + 1, close);
        if (!DOUBLE_QUOTED.test(content)) throw new NotSimple();
        value += content;
        kind = 'string';
        this.pos = close + 1;
      } else if (PLAIN.test(c)) {
        const from = this.pos;
        while (this.pos < this.text.length && PLAIN.test(this.text[this.pos])) this.pos++;
        value += this.text.slice(from, this.pos);
        kind = NUMBER.test(this.text.slice(from, this.pos)) ? 'number' : 'word';
      } else {
        break;
      }
      parts++;
    }
    if (parts === 0) throw new NotSimple(); // a character we do not handle: (, $, #, &, …
    if (parts > 1) kind = 'concatenation';
    return { value, literal: true, kind, start, end: this.pos };
  }

  private atSeparator(): boolean {
    const c = this.text[this.pos];
    return c === '\n' || c === ';' || c === '|' || c === '&';
  }

  private separator(): string {
    const two = this.text.slice(this.pos, this.pos + 2);
    if (two === '&&' || two === '||') {
      this.pos += 2;
      return two;
    }
    const c = this.text[this.pos];
    if (two === ';;' || two === '|&' || c === '&') throw new NotSimple();
    this.pos++;
    return c;
  }

  private atRedirect(): boolean {
    return /^\d*[<>]/.test(this.text.slice(this.pos, this.pos + 4));
  }

  /** `>f`, `>> f`, `2>&1`, `< f`: the operator, then one word. */
  private redirect(): void {
    const match = /^\d*(>>|>&|<&|>|<)/.exec(this.text.slice(this.pos));
    if (!match || this.text[this.pos + match[0].length] === '>' || this.text[this.pos + match[0].length] === '(') throw new NotSimple();
    this.pos += match[0].length;
    this.skip(/[ \t]/);
    this.word();
  }

  private skip(chars: RegExp): void {
    while (this.pos < this.text.length && chars.test(this.text[this.pos])) this.pos++;
  }
}
