/**
 * A Dockerfile's text with fast offset <-> line/column conversion.
 *
 * Internally a position is an offset into the JS string (UTF-16 code units).
 * Every report (text, JSON, SARIF, …) gives 1-based lines and 1-based columns
 * counted in Unicode code points; the language server speaks UTF-16 columns,
 * as LSP requires. `positionAt` and `offsetAt` are the one conversion between
 * them: nothing else converts by hand.
 */
export interface Range {
  /** Offset of the first character. */
  start: number;
  /** Offset just after the last character. */
  end: number;
}

export interface Position {
  /** 1-based line. */
  line: number;
  /** 1-based column, in `unit`s (code points unless asked otherwise). */
  column: number;
}

/** What a column counts: Unicode code points (reports) or UTF-16 code units (LSP, JS strings). */
export type ColumnUnit = 'codePoint' | 'utf16';

export class SourceFile {
  readonly lineStarts: number[];
  /**
   * Offsets of the surrogate pairs (two code units, one code point), in order:
   * a column in code points is the column in code units less the pairs before
   * it on its line. Found in the one pass that finds the lines.
   */
  private readonly pairs: number[] = [];

  constructor(
    readonly path: string,
    readonly text: string,
  ) {
    this.lineStarts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.lineStarts.push(i + 1);
      else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
        const d = text.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) this.pairs.push(i++);
      }
    }
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** 1-based position of an offset; the column in code points unless `unit` says otherwise. */
  positionAt(offset: number, unit: ColumnUnit = 'codePoint'): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const index = lastAtOrBefore(this.lineStarts, clamped);
    const start = this.lineStarts[index];
    let column = clamped - start + 1;
    if (unit === 'codePoint' && this.pairs.length) column -= this.pairsIn(start, clamped);
    // A byte-order mark is not a column (editors do not show it).
    if (index === 0 && clamped > 0 && this.text.charCodeAt(0) === 0xfeff) column--;
    return { line: index + 1, column };
  }

  /** The offset of a 1-based position (clamped to its line); the inverse of `positionAt`. */
  offsetAt(position: Position, unit: ColumnUnit = 'codePoint'): number {
    const bom = position.line <= 1 && this.text.charCodeAt(0) === 0xfeff ? 1 : 0;
    const start = this.lineStart(position.line) + bom;
    const end = start + this.lineText(position.line).length;
    if (unit === 'utf16' || this.pairsIn(start, end) === 0) return Math.max(start, Math.min(start + position.column - 1, end));
    let offset = start;
    for (let column = 1; column < position.column && offset < end; column++) {
      const c = this.text.charCodeAt(offset);
      const d = this.text.charCodeAt(offset + 1);
      offset += c >= 0xd800 && c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff ? 2 : 1;
    }
    return offset;
  }

  /** Surrogate pairs starting in [start, end). */
  private pairsIn(start: number, end: number): number {
    return lowerBound(this.pairs, end) - lowerBound(this.pairs, start);
  }

  /** Offset of a 1-based line's first character. */
  lineStart(line: number): number {
    return this.lineStarts[Math.max(0, Math.min(line - 1, this.lineStarts.length - 1))];
  }

  /** Text of a 1-based line without its line ending. */
  lineText(line: number): string {
    const { start, end } = this.lineRange(line);
    return this.text.slice(start, end);
  }

  /** Range of a 1-based line without its line ending (no copy of the text: lines may be megabytes long). */
  lineRange(line: number): Range {
    const start = this.lineStart(line);
    let end = line >= 1 && line < this.lineStarts.length ? this.lineStarts[line] : this.text.length;
    if (end > start && this.text.charCodeAt(end - 1) === 10) end--;
    if (end > start && this.text.charCodeAt(end - 1) === 13) end--;
    return { start, end };
  }

  private lineEnding?: string;

  /** The line ending this file uses, so inserted lines match it (computed once). */
  get eol(): string {
    this.lineEnding ??= this.text.includes('\r\n') ? '\r\n' : '\n';
    return this.lineEnding;
  }
}

/** Index of the last element ≤ value in a sorted array (0 when none is). */
function lastAtOrBefore(sorted: number[], value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (sorted[mid] <= value) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Index of the first element ≥ value in a sorted array (its length when none is). */
function lowerBound(sorted: number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
