/**
 * Text for a terminal: what a Dockerfile or a message holds, shown so that it
 * cannot move the cursor, change colours or reorder the line (control and
 * bidirectional-override characters are escaped), and source lines cut to a
 * window around the caret, measured in display columns (wide characters take
 * two, combining marks none).
 */
import stringWidth from 'string-width';
import type { Range, SourceFile } from '../syntax/index.js';

/**
 * C0 and C1 controls (tab excepted), DEL, bidirectional controls (Trojan
 * Source), and lone surrogates: U+DC80–U+DCFF stand for the bytes of a file
 * that is not valid UTF-8 (see src/syntax/bytes.ts), any other is shown as is.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function escapeOne(ch: string): string {
  const c = ch.charCodeAt(0);
  if (c === 10) return '\\n';
  if (c === 13) return '\\r';
  if (c >= 0xdc80 && c <= 0xdcff) return `\\x${(c - 0xdc00).toString(16).padStart(2, '0')}`;
  if (c < 0x100) return `\\x${c.toString(16).padStart(2, '0')}`;
  return `\\u{${c.toString(16)}}`;
}

/** `s` with every character a terminal would act on written as an escape (`\x1b`, `\u{202e}`). */
export function escapeControls(s: string): string {
  return s.replace(UNSAFE, escapeOne);
}

/** How a source line is shown: tabs as one space (so the caret lines up), controls escaped. */
function visible(s: string): string {
  return escapeControls(s.replace(/\t/g, ' '));
}

/** Display columns of a source snippet. */
function width(s: string): number {
  // eslint-disable-next-line no-control-regex
  return /^[\x20-\x7e]*$/.test(s) ? s.length : stringWidth(s);
}

/** Display columns shown of a source line, at most: longer lines are cut around the caret, with an ellipsis. */
export const MAX_SNIPPET_WIDTH = 200;
/** Columns kept before the caret when a line is cut. */
const LEFT_CONTEXT = 40;

export interface Snippet {
  /** The line as shown. */
  text: string;
  /** Display columns before the caret, and the caret's width (at least 1). */
  caretAt: number;
  caretWidth: number;
}

/**
 * The part of `range`'s first line to show, and where its caret goes. Works
 * on the window only: a diagnostic on a line of megabytes costs no more than
 * one on a short line.
 */
export function snippetOf(source: SourceFile, range: Range): Snippet {
  const text = source.text;
  const line = source.lineRange(source.positionAt(range.start).line);
  const start = Math.max(line.start, Math.min(range.start, line.end));
  const end = Math.max(start, Math.min(range.end, line.end));
  // The line from its start; if the caret does not fit, a window that starts a little before it.
  let from = line.start;
  let to = windowEnd(text, from, line.end);
  if (end > to && start > line.start) {
    from = start;
    for (let cols = 0; from > line.start && cols < LEFT_CONTEXT; ) {
      const previous = previousCodePoint(text, from);
      cols += width(visible(text.slice(previous, from)));
      from = previous;
    }
    to = windowEnd(text, from, line.end);
  }
  const prefix = (from > line.start ? '…' : '') + visible(text.slice(from, Math.min(start, to)));
  const rest = visible(text.slice(Math.min(start, to), to)) + (to < line.end ? '…' : '');
  return {
    text: prefix + rest,
    caretAt: width(prefix),
    caretWidth: Math.max(1, width(visible(text.slice(start, Math.max(start, Math.min(end, to)))))),
  };
}

/** Where a window of MAX_SNIPPET_WIDTH display columns that starts at `from` ends. */
function windowEnd(text: string, from: number, lineEnd: number): number {
  let to = from;
  for (let shown = 0; to < lineEnd && shown < MAX_SNIPPET_WIDTH; ) {
    const c = text.charCodeAt(to);
    // Printable ASCII and a tab (shown as a space) are one column: most of every line, and asking
    // string-width about each of them cost the text report of 530 small files a tenth of its time.
    if ((c >= 0x20 && c <= 0x7e) || c === 0x09) {
      shown++;
      to++;
      continue;
    }
    const next = nextCodePoint(text, to);
    shown += width(visible(text.slice(to, next)));
    to = next;
  }
  return to;
}

function nextCodePoint(text: string, i: number): number {
  const c = text.charCodeAt(i);
  return c >= 0xd800 && c <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? i + 2 : i + 1;
}

function previousCodePoint(text: string, i: number): number {
  const c = text.charCodeAt(i - 1);
  return (c & 0xfc00) === 0xdc00 && i >= 2 && (text.charCodeAt(i - 2) & 0xfc00) === 0xd800 ? i - 2 : i - 1;
}
