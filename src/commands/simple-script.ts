/**
 * A fast path for the scripts most RUN lines are: simple commands joined by
 * `&&`, `||`, `;`, `|` or newlines, with plain or quoted words, `$NAME` and
 * `${NAME}`, `VAR=x` prefixes, trailing redirections, comments and line
 * continuations. For these it gives exactly what
 * tree-sitter-bash gives (a test compares the two on every script in our
 * corpora and on generated ones); for anything else it answers `undefined`
 * and the caller uses tree-sitter.
 *
 * Why it exists: a single CLI run on a small file spent ~16 ms loading and
 * first running tree-sitter's WebAssembly (measured, docs/design.md), more
 * than all of our own work; files whose scripts are all simple now skip it.
 */
import type { ShellCommand, ShellWord } from './shell-command.js';

/** Characters of an unquoted word that tree-sitter-bash reads as plain text. */
const PLAIN = /[A-Za-z0-9_\-./:,+=@%^*?~]/;
/** `$NAME` or `${NAME}`, and nothing fancier. */
const EXPANSION = /\$(?:[A-Za-z_][A-Za-z0-9_]*|\{[A-Za-z_][A-Za-z0-9_]*\})/y;
/** Characters a double-quoted string may hold here besides expansions: no escape, no command substitution, no newline. */
const DOUBLE_QUOTED = /[^"$`\\\n\r]*/y;
const REDIRECT = /\d*(>>|>&|<&|>|<)/y;
/** tree-sitter-bash's `number` token, where it is the whole word. */
const NUMBER = /^-?(0x)?[0-9]+$/;
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
/** Words tree-sitter-bash does not parse as a plain command name. */
const SPECIAL_NAMES = new Set([
  'if', 'then', 'else', 'elif', 'fi', 'case', 'esac', 'for', 'select', 'while', 'until', 'do', 'done', 'in',
  'function', 'time', 'coproc', 'declare', 'typeset', 'export', 'readonly', 'local', 'unset', 'unsetenv',
]);

class NotSimple extends Error {}

/**
 * tree-sitter-bash reads `a@b`, `a%b` or `a?b` in command position as an
 * error, keywords as syntax, and drops names such as `9:` or `a+:9`; the
 * fast path takes only names of letters, digits, `_ - . / ~ +` that do not
 * start with a digit unless they are one (`7z` is a name, `9:` is not).
 */
function isPlainCommandName(word: ShellWord, text: string): boolean {
  return (word.kind === 'word' || word.kind === 'number') && /^(?:[A-Za-z_./~][A-Za-z0-9_\-./~+]*|[0-9][A-Za-z0-9_\-.]*)$/.test(text) && !/[0-9][^0-9A-Za-z]/.test(text.slice(0, 2)) && !SPECIAL_NAMES.has(text);
}

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
    this.skipLines();
    while (this.pos < this.text.length) {
      const command = this.command();
      if (command.words.length > 0) out.push(command); // `A=b` alone is no command to tree-sitter either
      if (this.pos >= this.text.length) break;
      const operator = this.separator();
      // A line continuation that starts the next line joins it to this command, for tree-sitter-bash.
      if (operator === '\n' && /^[ \t]*\\\n/.test(this.text.slice(this.pos, this.pos + 40))) throw new NotSimple();
      this.skipLines();
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
      if (this.text[this.pos] === '#') {
        this.skipComment();
        break;
      }
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
            // tree-sitter-bash reads an assignment to `_` (`_=x`, `_=?x`) as a word, and `A=?x` or `A=:@_` too: only
            // names other than `_`, and plain values, quotes and $NAME.
            if (!/^(?!_=)[A-Za-z_][A-Za-z0-9_]*=(?:[A-Za-z0-9_./,+-]|"[^"]*"|'[^']*'|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?)*$/.test(text)) throw new NotSimple();
            assignments[text.slice(0, eq)] = word.value.slice(eq + 1);
          } else {
            if (words.length === 0 && !isPlainCommandName(word, text)) throw new NotSimple();
            words.push(word);
          }
          if (start < 0) start = word.start;
          end = word.end;
        }
      }
      this.skipBlanks();
    }
    if (start < 0 || (words.length === 0 && redirected)) throw new NotSimple();
    // Assignments alone (`A=b A=b\n cmd`) join the next line's command, for tree-sitter-bash, in ways of its own.
    if (words.length === 0 && Object.keys(assignments).length > 0) throw new NotSimple();
    return { assignments, words, start, end };
  }

  /** One word: plain characters, quoted strings and expansions, adjacent. */
  private word(): ShellWord {
    const start = this.pos;
    let value = '';
    let literal = true;
    let parts = 0;
    let expansions = 0;
    let quotes = 0;
    let afterExpansion = false;
    let kind: ShellWord['kind'] = 'word';
    while (this.pos < this.text.length) {
      const c = this.text[this.pos];
      const hadExpansion = expansions > 0;
      if (c === "'") {
        const close = this.text.indexOf("'", this.pos + 1);
        if (close < 0) throw new NotSimple();
        const content = this.text.slice(this.pos + 1, close);
        if (content.includes('\n') || content.includes('\r')) throw new NotSimple();
        value += content;
        quotes++;
        kind = 'raw_string';
        this.pos = close + 1;
      } else if (c === '"') {
        const quoted = this.doubleQuoted();
        value += quoted.content;
        expansions += quoted.expansions;
        literal &&= quoted.expansions === 0;
        quotes++;
        kind = 'string';
      } else if (c === '$') {
        value += this.expansion();
        expansions++;
        literal = false;
        kind = 'other'; // simple_expansion or expansion, to tree-sitter
      } else if (PLAIN.test(c)) {
        const from = this.pos;
        while (this.pos < this.text.length && PLAIN.test(this.text[this.pos])) this.pos++;
        value += this.text.slice(from, this.pos);
        kind = NUMBER.test(this.text.slice(from, this.pos)) ? 'number' : 'word';
      } else {
        break;
      }
      if (hadExpansion) afterExpansion = true;
      parts++;
    }
    // A word must end where a blank, separator or redirection begins; anything else (`a#b`, `a(`) is not ours. Nor is
    // a line continuation glued to the word: a shell joins the next line's text to it (`a\` then `b` is `ab`), where
    // tree-sitter-bash splits, joins or keeps the backslash, depending on the word (found by the seeded fuzzing).
    if (parts === 0 || !/^(?:[ \t\n;|&<>]|$)/.test(this.text[this.pos] ?? '')) throw new NotSimple();
    // tree-sitter-bash splits some words with two expansions (`$A-$B.x` becomes two arguments).
    if (expansions > 1) throw new NotSimple();
    // …and splits `'b'A$X/b` after the expansion (found by the fuzzing: a quote, then text on both sides of it).
    if (quotes > 0 && afterExpansion) throw new NotSimple();
    // …reads `==` and `=~` as test operators…
    if (this.text.startsWith('==', start) || this.text.startsWith('=~', start)) throw new NotSimple();
    // …and reads the digits of a word glued to a redirection (`-51>&2`, `-y2>&1`) as its descriptor.
    if (/[<>]/.test(this.text[this.pos] ?? '')) throw new NotSimple();
    if (parts > 1) kind = 'concatenation';
    return { value, literal, kind, start, end: this.pos };
  }

  /** `"…"` holding only text and `$NAME`/`${NAME}`: what is between the quotes, and how many expansions. */
  private doubleQuoted(): { content: string; expansions: number } {
    const open = this.pos++;
    let expansions = 0;
    for (;;) {
      DOUBLE_QUOTED.lastIndex = this.pos;
      DOUBLE_QUOTED.exec(this.text);
      this.pos = DOUBLE_QUOTED.lastIndex;
      const c = this.text[this.pos];
      if (c === '"') break;
      if (c !== '$') throw new NotSimple(); // end of text, escape, backquote or newline
      this.expansion();
      expansions++;
    }
    this.pos++;
    return { content: this.text.slice(open + 1, this.pos - 1), expansions };
  }

  private expansion(): string {
    EXPANSION.lastIndex = this.pos;
    const match = EXPANSION.exec(this.text);
    if (!match) throw new NotSimple(); // $(…), $1, $@, ${X:-y}, …
    this.pos += match[0].length;
    return match[0];
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
    let i = this.pos;
    while (i < this.text.length && this.text[i] >= '0' && this.text[i] <= '9') i++;
    return this.text[i] === '<' || this.text[i] === '>';
  }

  /** `>f`, `>> f`, `2>&1`, `< f`: the operator, then one word. */
  private redirect(): void {
    // tree-sitter-bash reads some descriptors as arguments (`make 0>x`, or `2>&1` after a line continuation): only 1 and 2, not after one.
    if (/^[0-9]/.test(this.text[this.pos]) && !/^[12][<>]/.test(this.text.slice(this.pos, this.pos + 2))) throw new NotSimple();
    if (/\\\n[ \t]*$/.test(this.text.slice(Math.max(0, this.pos - 8), this.pos))) throw new NotSimple();
    REDIRECT.lastIndex = this.pos;
    const match = REDIRECT.exec(this.text);
    if (!match) throw new NotSimple();
    this.pos += match[0].length;
    const next = this.text[this.pos];
    if (next === '>' || next === '<' || next === '(' || next === '|') throw new NotSimple(); // <<EOF, <<<, >(…), >|
    this.skipBlanks();
    // tree-sitter-bash reads `0>=+` as a word `0` and more; only usual file names as targets.
    if (!/[A-Za-z0-9_/.~$"'-]/.test(this.text[this.pos] ?? '')) throw new NotSimple();
    this.word();
  }

  /** Spaces, tabs and line continuations (not a line that is only a continuation: tree-sitter-bash reads those its own way). */
  private skipBlanks(): void {
    let continued = false;
    for (;;) {
      const c = this.text[this.pos];
      if (c === ' ' || c === '\t') this.pos++;
      else if (c === '\\' && this.text[this.pos + 1] === '\n') {
        if (continued) throw new NotSimple();
        continued = true;
        this.pos += 2;
      } else return;
    }
  }

  /** Blanks, newlines and comments between commands. */
  private skipLines(): void {
    for (;;) {
      this.skipBlanks();
      const c = this.text[this.pos];
      if (c === '\n') {
        this.pos++;
        // A line continuation that starts a line joins it to the command before, for tree-sitter-bash.
        if (/^[ \t]*\\\n/.test(this.text.slice(this.pos, this.pos + 40))) throw new NotSimple();
      } else if (c === '#') this.skipComment();
      else return;
    }
  }

  private skipComment(): void {
    const newline = this.text.indexOf('\n', this.pos);
    this.pos = newline < 0 ? this.text.length : newline;
  }
}
