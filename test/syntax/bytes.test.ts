/** Bytes → text → bytes loses nothing, whatever the bytes; binary files are told apart. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { decodeText, encodeText, NotTextError } from '../../src/syntax/index.js';
import { fuzzSeed, random } from '../helpers/random.js';

describe('decodeText / encodeText', () => {
  it('valid UTF-8, with a byte-order mark, is plain text and comes back unchanged', () => {
    const bytes = Buffer.from('\ufeffFROM debian\n# 日本語 😀\n', 'utf8');
    const d = decodeText(bytes);
    assert.equal(d.encoding, 'utf-8');
    assert.equal(d.text, '\ufeffFROM debian\n# 日本語 😀\n');
    assert.deepEqual(Buffer.from(encodeText(d.text, d.encoding)), bytes);
  });

  it('a Latin-1 comment keeps its bytes, and edits around it do not touch them', () => {
    const bytes = Buffer.from('# caf\xe9 cr\xe8me\nRUN x\n', 'latin1');
    const d = decodeText(bytes);
    assert.equal(d.encoding, 'utf-8 with raw bytes');
    assert.equal(d.text, '# caf\udce9 cr\udce8me\nRUN x\n');
    const edited = d.text.replace('RUN x', 'RUN y 日');
    assert.deepEqual(Buffer.from(encodeText(edited, d.encoding)), Buffer.concat([Buffer.from('# caf\xe9 cr\xe8me\n', 'latin1'), Buffer.from('RUN y 日\n')]));
  });

  it('overlong forms, encoded surrogates, truncated sequences and stray continuation bytes are raw bytes', () => {
    for (const hex of ['c0af', 'eda080', 'e282', 'f4908080', '80', 'ff', 'f0908d']) {
      const bytes = Buffer.from(`a${hex}b`.replace(/^a/, '61').replace(/b$/, '62'), 'hex');
      const d = decodeText(bytes);
      assert.equal(d.encoding, 'utf-8 with raw bytes', hex);
      assert.deepEqual(Buffer.from(encodeText(d.text, d.encoding)), bytes, hex);
    }
  });

  const seed = fuzzSeed();
  it(`random bytes come back byte for byte (seed ${seed})`, () => {
    const rand = random(seed);
    const alphabet = [0x0a, 0x20, 0x41, 0x7e, 0x80, 0xbf, 0xc2, 0xc3, 0xdf, 0xe0, 0xe2, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff, 0x9f, 0xa0, 0x8f, 0x90];
    for (let i = 0; i < 3000; i++) {
      const bytes = Uint8Array.from({ length: Math.floor(rand() * 24) }, () => (rand() < 0.2 ? Math.floor(rand() * 255) + 1 : alphabet[Math.floor(rand() * alphabet.length)]));
      const hex = Buffer.from(bytes).toString('hex');
      if (/^(fffe|feff)/.test(hex)) {
        assert.throws(() => decodeText(bytes), NotTextError); // UTF-16's byte-order marks, whatever follows
        continue;
      }
      const d = decodeText(bytes);
      assert.deepEqual(Buffer.from(encodeText(d.text, d.encoding)), Buffer.from(bytes), `seed ${seed}, case ${i}: ${hex}`);
    }
  });

  it('binary data and UTF-16 are not text files', () => {
    assert.throws(() => decodeText(Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00])), NotTextError);
    assert.throws(() => decodeText(Buffer.from('\ufeffFROM a', 'utf16le')), /UTF-16/);
  });
});
