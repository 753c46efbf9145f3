/**
 * A Dockerfile's text with fast offset <-> line/column conversion.
 * Offsets are UTF-16 code-unit indexes into `text`; lines and columns are 1-based
 * when shown to people, 0-based lines internally.
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
  /** 1-based column, in characters. */
  column: number;
}

export class SourceFile {
  readonly lineStarts: number[];

  constructor(
    readonly path: string,
    readonly text: string,
  ) {
    this.lineStarts = [0];
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
    }
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** 1-based position of an offset. */
  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: clamped - this.lineStarts[lo] + 1 };
  }

  /** Offset of a 1-based line's first character. */
  lineStart(line: number): number {
    return this.lineStarts[Math.max(0, Math.min(line - 1, this.lineStarts.length - 1))];
  }

  /** Text of a 1-based line without its line ending. */
  lineText(line: number): string {
    const start = this.lineStart(line);
    const next = line < this.lineStarts.length ? this.lineStarts[line] : this.text.length;
    return this.text.slice(start, next).replace(/\r?\n$/, '');
  }

  private lineEnding?: string;

  /** The line ending this file uses, so inserted lines match it (computed once). */
  get eol(): string {
    this.lineEnding ??= this.text.includes('\r\n') ? '\r\n' : '\n';
    return this.lineEnding;
  }
}
