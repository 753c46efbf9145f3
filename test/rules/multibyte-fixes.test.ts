/**
 * Every fix lands where it should on lines with multibyte text: the same
 * Dockerfile with ASCII text or with CJK, accents and emoji in the same
 * places must be fixed identically (the fix commutes with the substitution),
 * and the reported columns count code points.
 */
import { strict as assert } from 'node:assert';
import { before, describe, it } from 'node:test';
import { fixText, lintText, prepare, type LintOptions } from '../../src/engine/index.js';
import { jsonReport } from '../../src/report/index.js';

const df = (...lines: string[]) => lines.join('\n') + '\n';
const B = 'FROM debian:bookworm';
const ARCH = '--mount=type=cache,target=/var/cache/apt';
const pair = (a: string, b: string) => df(`${B} AS a`, a, `${B} AS b`, b, 'FROM scratch', 'COPY --from=a /x /a', 'COPY --from=b /x /b');
/** Stands for text that is ASCII in one run and multibyte in the other. */
const T = '@@@';
const TEXTS = ['abc', '日本語', 'é😀ü', '👨‍👩‍👧'];

interface Case {
  name: string;
  code: string;
  options?: LintOptions;
  /** An expected output with ASCII text, for the cases worth spelling out. */
  output?: string;
}

const CASES: Case[] = [
  { name: 'race, locked', code: pair(`RUN ${ARCH} echo "${T}" && apt-get install -y x # ${T}`, `RUN ${ARCH} echo ${T} && apt-get install -y y`), options: { fixStrategy: 'locked' } },
  { name: 'race, private', code: pair(`RUN ${ARCH} echo "${T}" && apt-get install -y x`, `RUN --mount=type=cache,target=/var/cache/apt,sharing=shared echo ${T}; apt-get install -y y`), options: { fixStrategy: 'private' } },
  { name: 'race, id', code: pair(`RUN ${ARCH} echo "${T}" && apt-get install -y x`, `RUN ${ARCH} echo ${T} && apt-get install -y y`), options: { fixStrategy: 'id' } },
  {
    name: 'race, wait, in a script only tree-sitter reads',
    code: pair(`RUN ${ARCH} echo "${T}" && if true; then apt-get install -y x; fi`, `RUN ${ARCH} echo ${T} && apt-get install -y y`),
    options: { fixStrategy: 'wait' },
    output: pair(
      `RUN ${ARCH} echo "abc" && if true; then flock /var/cache/apt/.flock apt-get install -y x; fi`,
      `RUN ${ARCH} echo abc && flock /var/cache/apt/.flock apt-get install -y y`,
    ),
  },
  { name: 'race, wait, simple scripts', code: pair(`RUN ${ARCH} echo "${T}" && apt-get install -y x`, `RUN ${ARCH} echo '${T}' && apt-get install -y y`), options: { fixStrategy: 'wait' } },
  { name: 'race, wait, heredoc', code: pair(`RUN ${ARCH} <<EOF\necho "${T}" && apt-get install -y x\nEOF`, `RUN ${ARCH} echo ${T} && apt-get install -y y`), options: { fixStrategy: 'wait' } },
  { name: 'cache-permission, uid and gid', code: df('FROM python:3.12', 'USER 1000:1000', `RUN --mount=type=cache,target=/c echo "${T}" && pip install --cache-dir /c x # ${T}`) },
  { name: 'missing-cache-mount, with docker-clean removed', code: df(B, `RUN echo "${T}" && apt-get update && apt-get install -y curl # ${T}`), options: { unsafeFixes: true } },
  { name: 'cache-ineffective, docker-clean', code: df(B, `RUN ${ARCH} --mount=type=cache,target=/var/lib/apt/lists echo "${T}" && apt-get update && apt-get install -y x`), options: { unsafeFixes: true } },
];

describe('fixes on lines with multibyte text', () => {
  before(prepare);
  for (const c of CASES) {
    it(c.name, () => {
      const ascii = fixText(c.code.replaceAll(T, TEXTS[0]), 'Dockerfile', c.options);
      assert.ok(ascii.changed, 'the ASCII case has a fix to apply');
      if (c.output) assert.equal(ascii.output, c.output);
      for (const text of TEXTS.slice(1)) {
        const code = c.code.replaceAll(T, text);
        const fixed = fixText(code, 'Dockerfile', c.options);
        assert.equal(fixed.output, ascii.output.replaceAll(TEXTS[0], text), text);
        // No finding the fix was meant to remove is left, and a second --fix changes nothing.
        assert.deepEqual(fixed.result.diagnostics.map((d) => d.ruleId), ascii.result.diagnostics.map((d) => d.ruleId), text);
        assert.equal(fixText(fixed.output, 'Dockerfile', c.options).output, fixed.output, text);
      }
    });
  }

  it('JSON columns count code points', async () => {
    const code = pair(`RUN ${ARCH} echo "😀日" && apt-get install -y x`, `RUN ${ARCH} apt-get install -y y`);
    const json = JSON.parse(jsonReport([lintText(code, 'Dockerfile')]));
    const related = json.files[0].diagnostics.flatMap((d: { related: unknown[] }) => d.related);
    const apt = related.filter((r: { line: number; message: string }) => r.line === 2 && /apt-get/.test(r.message));
    // `RUN ${ARCH} echo "😀日" && ` is 58 code points (59 UTF-16 units): apt-get starts at column 59.
    assert.ok(apt.length > 0);
    for (const r of apt) assert.deepEqual([r.column, r.endColumn], [59, 79]);
  });
});
