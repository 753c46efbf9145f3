/** Suppression comments: where they apply, what they silence, and the problems they report. */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { applyEdits } from '../../src/edits/index.js';
import { fixText, lintText, prepare, suppressionEdit, type LintOptions } from '../../src/engine/index.js';
import { allRules } from '../../src/rules/index.js';
import { parseDockerfile } from '../../src/syntax/index.js';
import { REPO_ROOT } from '../helpers/paths.js';

const SEED = readFileSync(join(REPO_ROOT, 'examples/seed/Dockerfile'), 'utf8');
const APT = 'RUN --mount=type=cache,target=/var/cache/apt apt update && apt -y --no-install-recommends install';

/** The seed with a comment inserted before its 1-based line `line`. */
function seedWith(line: number, comment: string): string {
  const lines = SEED.split('\n');
  lines.splice(line - 1, 0, comment);
  return lines.join('\n');
}

function findings(text: string, options: LintOptions = {}) {
  const r = lintText(text, 'Dockerfile', options);
  const pos = (offset: number) => r.source.positionAt(offset).line;
  return {
    reported: r.diagnostics.map((d) => `${pos(d.range.start)} ${d.ruleId} ${d.severity}`),
    suppressed: (r.suppressed ?? []).map((d) => `${pos(d.range.start)} ${d.ruleId}`),
    messages: r.diagnostics.filter((d) => d.ruleId === 'suppression').map((d) => d.message),
    result: r,
  };
}

describe('suppression comments', () => {
  before(prepare);

  const cases: Array<{ name: string; text: string; options?: LintOptions; reported: string[]; suppressed: string[]; message?: RegExp }> = [
    {
      name: 'nothing suppressed: the seed as it is',
      text: SEED,
      reported: ['3 cache-race error', '3 cache-ineffective warning', '10 cache-ineffective warning'],
      suppressed: [],
    },
    {
      name: 'ignore= directly above the instruction silences that rule there only',
      text: seedWith(3, '# mountlint ignore=cache-race reason=builder is never built with production in CI'),
      reported: ['4 cache-ineffective warning', '11 cache-ineffective warning'],
      suppressed: ['4 cache-race'],
    },
    {
      name: 'several rules, and other comment lines between comment and instruction',
      text: seedWith(3, '# mountlint ignore=cache-race,cache-ineffective reason=judged\n# apt for the editor'),
      reported: ['12 cache-ineffective warning'],
      suppressed: ['5 cache-race', '5 cache-ineffective'],
    },
    {
      name: 'all stands for every rule',
      text: seedWith(3, '# mountlint ignore=all'),
      reported: ['11 cache-ineffective warning'],
      suppressed: ['4 cache-race', '4 cache-ineffective'],
    },
    {
      name: 'indented comments are comments too',
      text: seedWith(3, '   # mountlint ignore=cache-race'),
      reported: ['4 cache-ineffective warning', '11 cache-ineffective warning'],
      suppressed: ['4 cache-race'],
    },
    {
      name: 'global ignore= anywhere silences the rule in the whole file',
      text: SEED + '# mountlint global ignore=cache-ineffective reason=apt keeps nothing, we know\n',
      reported: ['3 cache-race error'],
      suppressed: ['3 cache-ineffective', '10 cache-ineffective'],
    },
    {
      name: 'a comment above the other step of a race does not silence the race reported at this one (and is unused)',
      text: seedWith(10, '# mountlint ignore=cache-race'),
      options: { reportUnusedSuppressions: true },
      reported: ['3 cache-race error', '3 cache-ineffective warning', '10 suppression warning', '11 cache-ineffective warning'],
      suppressed: [],
      message: /^Unused suppression: cache-race reports nothing on line 11\.$/,
    },
    {
      name: 'a blank line between comment and instruction: silences nothing, and says so',
      text: seedWith(3, '# mountlint ignore=cache-race\n'),
      reported: ['3 suppression warning', '5 cache-race error', '5 cache-ineffective warning', '12 cache-ineffective warning'],
      suppressed: [],
      message: /not directly above an instruction/,
    },
    {
      name: 'a comment inside a continued instruction is misplaced',
      text: 'FROM debian\nRUN --mount=type=cache,target=/var/cache/apt \\\n# mountlint ignore=cache-ineffective\n  apt -y install vim\n',
      reported: ['2 cache-ineffective warning', '3 suppression warning'],
      suppressed: [],
      message: /inside the instruction that starts on line 2/,
    },
    {
      name: 'heredoc lines are script text, never suppressions',
      text: 'FROM debian\nRUN <<EOT\n# mountlint ignore=nonsense\necho hi\nEOT\n',
      reported: [],
      suppressed: [],
    },
    {
      name: 'a suppression covers the whole instruction, continuation lines included',
      text: 'FROM debian\n# mountlint ignore=cache-ineffective\nRUN \\\n  --mount=type=cache,target=/var/cache/apt \\\n  apt -y install vim\n',
      reported: [],
      suppressed: ['4 cache-ineffective'],
    },
    {
      name: 'an unknown rule id is reported; the known ones still apply',
      text: seedWith(3, '# mountlint ignore=cache-rase,cache-ineffective'),
      reported: ['3 suppression warning', '4 cache-race error', '11 cache-ineffective warning'],
      suppressed: ['4 cache-ineffective'],
      message: /^Unknown rule "cache-rase" in this suppression; mountlint's rules are cache-deadlock, /,
    },
    {
      name: 'a comment that cannot be read is reported and silences nothing',
      text: seedWith(3, '# mountlint ignore cache-race'),
      reported: ['3 suppression warning', '4 cache-race error', '4 cache-ineffective warning', '11 cache-ineffective warning'],
      suppressed: [],
      message: /^Cannot read this suppression comment/,
    },
    {
      name: 'free text after the list must be a reason=',
      text: seedWith(3, '# mountlint ignore=cache-race because we said so'),
      reported: ['3 suppression warning', '4 cache-race error', '4 cache-ineffective warning', '11 cache-ineffective warning'],
      suppressed: [],
      message: /must start with "reason="/,
    },
    {
      name: "Docker's # check=skip= names Docker's checks: it does not silence mountlint",
      text: '# check=skip=cache-race\n' + SEED,
      reported: ['4 cache-race error', '4 cache-ineffective warning', '11 cache-ineffective warning'],
      suppressed: [],
    },
    {
      name: 'comments that merely mention mountlint are left alone',
      text: seedWith(3, '# mountlint found a race here once'),
      reported: ['4 cache-race error', '4 cache-ineffective warning', '11 cache-ineffective warning'],
      suppressed: [],
    },
    {
      name: 'require-reason: a suppression without reason= is an error (and still applies)',
      text: seedWith(3, '# mountlint ignore=cache-race'),
      options: { requireSuppressionReason: true },
      reported: ['3 suppression error', '4 cache-ineffective warning', '11 cache-ineffective warning'],
      suppressed: ['4 cache-race'],
      message: /gives no reason/,
    },
    {
      name: 'require-reason: reason= with text passes',
      text: seedWith(3, '# mountlint ignore=cache-race reason=ok'),
      options: { requireSuppressionReason: true },
      reported: ['4 cache-ineffective warning', '11 cache-ineffective warning'],
      suppressed: ['4 cache-race'],
    },
    {
      name: 'unused: one id of several is reported at that id',
      text: seedWith(3, '# mountlint ignore=cache-race,cache-split'),
      options: { reportUnusedSuppressions: true },
      reported: ['3 suppression warning', '4 cache-ineffective warning', '11 cache-ineffective warning'],
      suppressed: ['4 cache-race'],
      message: /^Unused suppression: cache-split reports nothing on line 4\.$/,
    },
    {
      name: 'unused is not reported for a rule that did not run',
      text: seedWith(3, '# mountlint ignore=cache-race,cache-split'),
      options: { reportUnusedSuppressions: true, rules: allRules.filter((r) => r.meta.id !== 'cache-split') },
      reported: ['4 cache-ineffective warning', '11 cache-ineffective warning'],
      suppressed: ['4 cache-race'],
    },
    {
      name: 'the suppression rule turned off reports nothing about comments',
      text: seedWith(3, '# mountlint ignore=cache-rase'),
      options: { rules: allRules.filter((r) => r.meta.id !== 'suppression') },
      reported: ['4 cache-race error', '4 cache-ineffective warning', '11 cache-ineffective warning'],
      suppressed: [],
    },
    {
      name: 'a severity override applies before suppressions; suppressed findings stay suppressed',
      text: seedWith(3, '# mountlint ignore=cache-race'),
      options: { severities: { 'cache-ineffective': 'info' } },
      reported: ['4 cache-ineffective info', '11 cache-ineffective info'],
      suppressed: ['4 cache-race'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const f = findings(c.text, c.options);
      assert.deepEqual(f.reported, c.reported);
      assert.deepEqual(f.suppressed, c.suppressed);
      if (c.message) assert.ok(f.messages.some((m) => c.message!.test(m)), f.messages.join('\n'));
    });
  }

  it('a suppressed race takes its related locations and its fix with it: --fix edits nothing for it', () => {
    const text = seedWith(3, `# mountlint ignore=cache-race,cache-ineffective reason=judged`);
    const r = lintText(text, 'Dockerfile');
    assert.ok(!r.diagnostics.some((d) => d.related.length && d.ruleId === 'cache-race'));
    const fixed = fixText(text, 'Dockerfile', { unsafeFixes: true, fixStrategy: 'locked' });
    assert.doesNotMatch(fixed.output, /sharing=locked/);
  });

  it('--fix removes unused suppressions (the whole comment, or one id) and converges', () => {
    const text = seedWith(3, '# mountlint ignore=cache-race,cache-split') + '# mountlint global ignore=cache-deadlock\n';
    const fixed = fixText(text, 'Dockerfile', { reportUnusedSuppressions: true });
    assert.equal(fixed.output, seedWith(3, '# mountlint ignore=cache-race'));
    assert.deepEqual(fixed.result.diagnostics.filter((d) => d.ruleId === 'suppression'), []);
  });
});

describe('suppressionEdit (the editor\'s "ignore this rule" action)', () => {
  before(prepare);
  const race = (text: string) => lintText(text, 'Dockerfile').diagnostics.find((d) => d.ruleId === 'cache-race')!;
  const edited = (text: string, scope: 'instruction' | 'file', reason?: string) => {
    const edit = suppressionEdit(parseDockerfile(text), race(text), scope, reason);
    assert.ok(edit);
    return applyEdits(text, [edit]).output;
  };

  it('inserts a comment above the instruction, with its indentation, and the race is gone', () => {
    const text = SEED.replace(`${APT} build-essential`, `  ${APT} build-essential`);
    const out = edited(text, 'instruction', 'judged\nby us');
    assert.match(out, /\n {2}# mountlint ignore=cache-race reason=judged by us\n {2}RUN --mount/);
    assert.deepEqual((lintText(out, 'Dockerfile').suppressed ?? []).map((d) => d.ruleId), ['cache-race']);
  });
  it('adds the rule to a comment that is already there', () => {
    const text = seedWith(3, '# mountlint ignore=cache-ineffective reason=x');
    assert.equal(edited(text, 'instruction'), seedWith(3, '# mountlint ignore=cache-ineffective,cache-race reason=x'));
  });
  it('in the file: after the parser directives, which must stay first; CRLF kept', () => {
    const text = ('# syntax=docker/dockerfile:1\n# escape=\\\n' + SEED).replace(/\n/g, '\r\n');
    const out = edited(text, 'file');
    assert.ok(out.startsWith('# syntax=docker/dockerfile:1\r\n# escape=\\\r\n# mountlint global ignore=cache-race\r\nFROM'), out.slice(0, 120));
    const again = parseDockerfile(out);
    assert.deepEqual(again.directives.map((d) => d.name), ['syntax', 'escape']);
    assert.equal(race(out), undefined);
  });
  it('nothing to do when the rule is already suppressed there', () => {
    const text = seedWith(3, '# mountlint ignore=cache-ineffective');
    const d = lintText(text, 'Dockerfile').diagnostics.find((x) => x.ruleId === 'cache-race')!;
    const withAll = seedWith(3, '# mountlint ignore=all');
    assert.ok(suppressionEdit(parseDockerfile(text), d, 'instruction'));
    assert.equal(suppressionEdit(parseDockerfile(withAll), d, 'instruction'), undefined);
  });
});
