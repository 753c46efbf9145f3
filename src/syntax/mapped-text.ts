import type { Range } from './source.js';

/**
 * A string built from pieces of the source (a logical line joined across
 * continuations, a flag word with its quotes and escapes removed, …) that
 * remembers, for every character, the source offset it came from.
 * That is how every node keeps an exact source range although BuildKit's
 * algorithms work on joined, unquoted strings.
 */
export class MappedText {
  /** Per-character source offsets, or null when the text is verbatim source (offset = base + i). */
  private readonly offsets: Int32Array | null;
  /** Index in `offsets` of this text's first character, or its source offset when verbatim. */
  private readonly base: number;
  /** Source offset just after the last character. */
  private readonly endOffset: number;

  /** Added to every entry of `offsets`: the text was moved since they were written (see `shifted`). */
  private readonly moved: number;

  /** offsets[i] = source offset of text[i]; offsets[text.length] = the offset just after the last one. */
  constructor(readonly text: string, offsets: Int32Array | null, base = 0, endOffset?: number, moved = 0) {
    if (offsets && endOffset === undefined && offsets.length !== text.length + 1) throw new Error('MappedText: one offset per character plus the end');
    this.offsets = offsets;
    this.base = base;
    this.endOffset = endOffset ?? (offsets ? offsets[text.length] + moved : base + text.length);
    this.moved = moved;
  }

  /** Text taken verbatim from source[start, end): no offsets to store. */
  static fromSource(source: string, start: number, end: number): MappedText {
    return new MappedText(source.slice(start, end), null, start);
  }

  static concat(parts: MappedText[]): MappedText {
    if (parts.length === 1) return parts[0];
    let length = 0;
    for (const p of parts) length += p.text.length;
    const offsets = new Int32Array(length + 1);
    let at = 0;
    for (const p of parts) {
      for (let i = 0; i < p.text.length; i++) offsets[at + i] = p.sourceOffset(i);
      at += p.text.length;
    }
    const last = parts[parts.length - 1];
    offsets[length] = last ? last.endOffset : 0;
    return new MappedText(parts.map((p) => p.text).join(''), offsets);
  }

  get length(): number {
    return this.text.length;
  }

  /** Source offset of character i (i may equal length: the end). */
  sourceOffset(i: number): number {
    if (i >= this.text.length) return this.endOffset;
    const k = Math.max(0, i);
    return this.offsets ? this.offsets[this.base + k] + this.moved : this.base + k;
  }

  /** Source range covering characters [start, end). */
  sourceRange(start: number, end: number): Range {
    if (end <= start) {
      const at = this.sourceOffset(start);
      return { start: at, end: at };
    }
    return { start: this.sourceOffset(start), end: this.sourceOffset(end - 1) + 1 };
  }

  /** The whole text's source range. */
  get range(): Range {
    return this.sourceRange(0, this.text.length);
  }

  /**
   * The same text written `delta` characters later in the source (an
   * instruction reused from an earlier version of the file). The offsets are
   * shared, not copied: a MappedText never changes once built.
   */
  shifted(delta: number): MappedText {
    if (delta === 0) return this;
    if (!this.offsets) return new MappedText(this.text, null, this.base + delta, this.endOffset + delta);
    return new MappedText(this.text, this.offsets, this.base, this.endOffset + delta, this.moved + delta);
  }

  /** The same, holding its own copy of the text (see `ownCopy`). */
  withOwnText(): MappedText {
    return new MappedText(ownCopy(this.text), this.offsets, this.base, this.endOffset, this.moved);
  }

  /** A view of characters [start, end); no offsets are copied. */
  slice(start: number, end = this.text.length): MappedText {
    const s = Math.max(0, Math.min(start, this.text.length));
    const e = Math.max(s, Math.min(end, this.text.length));
    // The end of a slice is just after its last character, not where the next one starts
    // (they differ when the next character came from another source line).
    const endOffset = e > s ? this.sourceOffset(e - 1) + 1 : this.sourceOffset(s);
    return new MappedText(this.text.slice(s, e), this.offsets, this.base + s, endOffset, this.moved);
  }
}

/**
 * Assembles a MappedText character by character (used when unquoting and unescaping).
 * The characters are kept as codes and made one flat string when asked: appending to
 * a string one character at a time leaves a chain of concatenations behind, 32 bytes
 * a character until something flattens it (most of the parse's memory on 20 MB of
 * `--mount` flags, docs/design.md).
 */
export class MappedTextBuilder {
  /** The characters' codes. */
  private readonly codes: number[] = [];
  private size = 0;
  private offsets = new Int32Array(16);

  push(ch: string, sourceOffset: number): void {
    const at = this.size;
    if (at + 1 >= this.offsets.length) {
      const grown = new Int32Array(this.offsets.length * 2);
      grown.set(this.offsets);
      this.offsets = grown;
    }
    this.offsets[at] = sourceOffset;
    this.codes.push(ch.charCodeAt(0));
    this.size++;
  }

  get length(): number {
    return this.size;
  }

  get text(): string {
    if (this.size <= 8192) return String.fromCharCode.apply(null, this.codes);
    let out = '';
    // In pieces: a call takes its arguments on the stack.
    for (let i = 0; i < this.size; i += 8192) out += String.fromCharCode.apply(null, this.codes.slice(i, i + 8192));
    return out;
  }

  /**
   * endOffset: where the assembled text ends in the source (e.g. after a closing quote).
   * A text whose characters are consecutive in the source (no quote or escape was
   * removed) keeps no offsets: the first one says where every character is.
   */
  build(endOffset: number): MappedText {
    const n = this.size;
    const first = this.offsets[0];
    let verbatim = true;
    for (let i = 1; i < n && verbatim; i++) verbatim = this.offsets[i] === first + i;
    if (n > 0 && verbatim) return new MappedText(this.text, null, first, endOffset);
    const offsets = this.offsets.slice(0, n + 1);
    offsets[n] = endOffset;
    return new MappedText(this.text, offsets);
  }

  reset(): void {
    this.size = 0;
    this.codes.length = 0;
  }
}

/**
 * A string that does not keep another alive. V8 makes a slice of 13
 * characters or more a view of the whole string it was cut from: a node kept
 * from an earlier version of a document (reuse.ts) would keep that version's
 * whole text. Flattening a concatenation makes a fresh string.
 */
export function ownCopy(text: string): string {
  return text.length < 13 ? text : (' ' + text).slice(1);
}
