/**
 * A file the parser cannot read to the end still gives a finding that obeys the
 * controls every finding obeys: --ignore, --severity and suppression comments, the
 * same for an unterminated heredoc (no rule can run) as for an unknown instruction.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { REPO_ROOT } from '../helpers/paths.js';
import { scratchDir } from '../helpers/scratch.js';

const dir = scratchDir('mountlint-syntax-');
after(() => rmSync(dir, { recursive: true, force: true }));
const FILES = {
  heredoc: 'FROM debian\nRUN <<EOF\necho hi\n',
  unknown: 'FROM debian\nRUNN echo hi\n',
};

function lint(text: string, ...args: string[]) {
  const file = join(dir, `Dockerfile-${Math.random().toString(36).slice(2)}`);
  writeFileSync(file, text);
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin/mountlint.cjs'), '--format', 'json', ...args, file], { encoding: 'utf8' });
  const findings = (JSON.parse(r.stdout) as { files: Array<{ diagnostics: Array<{ ruleId: string; severity: string }> }> }).files.flatMap((f) => f.diagnostics);
  return { status: r.status, findings: findings.map((d) => `${d.ruleId}:${d.severity}`) };
}

describe('syntax findings obey the controls', () => {
  for (const [name, text] of Object.entries(FILES)) {
    it(`${name}: an error by default`, () => assert.deepEqual(lint(text), { status: 1, findings: ['syntax:error'] }));
    it(`${name}: --ignore syntax silences it`, () => assert.deepEqual(lint(text, '--ignore', 'syntax'), { status: 0, findings: [] }));
    it(`${name}: --severity syntax=warning lowers it`, () => assert.deepEqual(lint(text, '--severity', 'syntax=warning'), { status: 0, findings: ['syntax:warning'] }));
    it(`${name}: a global suppression comment silences it`, () => assert.deepEqual(lint(`# mountlint global ignore=syntax reason=generated file\n${text}`), { status: 0, findings: [] }));
  }
  it('heredoc: a suppression comment above the instruction silences it, one elsewhere does not', () => {
    assert.deepEqual(lint('FROM debian\n# mountlint ignore=syntax reason=generated\nRUN <<EOF\necho hi\n'), { status: 0, findings: [] });
    assert.deepEqual(lint('# mountlint ignore=syntax reason=generated\nFROM debian\nRUN <<EOF\necho hi\n').findings, ['syntax:error']);
  });
});
