/**
 * A Dockerfile's bytes as text, and back, losing nothing. BuildKit reads a
 * Dockerfile as bytes (Go strings), so a file that is not valid UTF-8 — a
 * Latin-1 comment, say — builds fine and must come back from --fix byte for
 * byte outside the edits. Valid UTF-8 decodes as usual; each byte that is not
 * part of a valid sequence becomes the lone surrogate U+DC80–U+DCFF (Python's
 * "surrogateescape"), which no valid UTF-8 can produce, and is written back as
 * that byte. A byte-order mark stays in the text.
 */

/** The bytes are not a text file mountlint can read. */
export class NotTextError extends Error {}

export type TextEncoding = 'utf-8' | 'utf-8 with raw bytes';

export interface DecodedText {
  text: string;
  /** 'utf-8 with raw bytes': some bytes were not valid UTF-8 and are kept as escapes. */
  encoding: TextEncoding;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
/** How far to look for a NUL byte, as git does to tell binary files. */
const BINARY_SNIFF = 8000;

export function decodeText(bytes: Uint8Array): DecodedText {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new NotTextError('not a text file mountlint reads: UTF-16 (BuildKit reads Dockerfiles as UTF-8)');
  }
  const nul = bytes.subarray(0, BINARY_SNIFF).indexOf(0);
  if (nul >= 0) throw new NotTextError(`not a text file (a NUL byte at offset ${nul})`);
  try {
    return { text: UTF8.decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: decodeKeepingBytes(bytes), encoding: 'utf-8 with raw bytes' };
  }
}

export function encodeText(text: string, encoding: TextEncoding): Uint8Array {
  if (encoding === 'utf-8') return Buffer.from(text, 'utf8');
  const parts: Uint8Array[] = [];
  let from = 0;
  for (const m of text.matchAll(RAW_BYTE)) {
    parts.push(Buffer.from(text.slice(from, m.index), 'utf8'), Uint8Array.of(m[0].charCodeAt(0) - 0xdc00));
    from = m.index + 1;
  }
  parts.push(Buffer.from(text.slice(from), 'utf8'));
  return Buffer.concat(parts);
}

/** A low surrogate in U+DC80–U+DCFF that is not the second half of a pair: a raw byte. */
const RAW_BYTE = /(?<![\ud800-\udbff])[\udc80-\udcff]/g;

/** UTF-8 decoding where every byte outside a valid sequence becomes U+DC00 + byte. */
function decodeKeepingBytes(bytes: Uint8Array): string {
  const out: string[] = [];
  let i = 0;
  let run = 0; // start of the current run of valid bytes
  const flush = (to: number) => {
    if (to > run) out.push(UTF8.decode(bytes.subarray(run, to)));
  };
  while (i < bytes.length) {
    const n = validSequenceLength(bytes, i);
    if (n > 0) {
      i += n;
      continue;
    }
    flush(i);
    out.push(String.fromCharCode(0xdc00 + bytes[i]));
    run = ++i;
  }
  flush(i);
  return out.join('');
}

/** Length of the valid UTF-8 sequence at `i` (RFC 3629: no overlongs, surrogates or values above U+10FFFF), or 0. */
function validSequenceLength(b: Uint8Array, i: number): number {
  const c = b[i];
  if (c < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => i + k < b.length && b[i + k] >= lo && b[i + k] <= hi;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if ((c >= 0xe1 && c <= 0xec) || c === 0xee || c === 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (c === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (c === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (c >= 0xf1 && c <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (c === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}
