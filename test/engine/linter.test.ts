/**
 * The Linter: one Dockerfile is a set of one, and a set whose member cannot
 * be modelled still lints the others, once each.
 */
import { strict as assert } from 'node:assert';
import { before, describe, it } from 'node:test';
import { Linter, lintText, prepare, type SetMember } from '../../src/engine/index.js';

const APT = 'RUN rm -f /etc/apt/apt.conf.d/docker-clean\nRUN --mount=type=cache,target=/var/cache/apt apt-get update && apt-get install -y curl';
// Two different installs: identical steps would merge into one.
const TWO_STAGES = ['FROM debian:bookworm AS a', APT, 'FROM debian:bookworm AS b', APT.replace('curl', 'vim'), 'FROM scratch', 'COPY --from=a /x /a', 'COPY --from=b /x /b', ''].join('\n');
const ONE_STAGE = ['FROM debian:bookworm', APT, ''].join('\n');

function member(path: string, text: string, options: SetMember['options'] = {}, name = path): SetMember {
  return { path, text, options, label: `bake target "${name}"`, name };
}

describe('Linter', () => {
  before(prepare);

  it('lints one file as lintText does, with what the rules saw', async () => {
    const result = await new Linter().lintFile(TWO_STAGES, 'Dockerfile');
    assert.deepEqual(result.diagnostics, lintText(TWO_STAGES, 'Dockerfile').diagnostics);
    assert.deepEqual(result.diagnostics.map((d) => `${d.ruleId}/${d.messageId}`), ['cache-race/withOne']);
    assert.ok(result.model && result.parsed && result.invocations, 'the model, the parse and the invocations are kept for the reports');
  });

  it('a set member with an unknown target is a member error; the other members are linted', async () => {
    const members = [member('a/Dockerfile', TWO_STAGES, { target: 'nosuch' }, 'a'), member('b/Dockerfile', TWO_STAGES, {}, 'b')];
    const result = await new Linter().lint({ members, why: 'bake builds them together' });
    assert.equal(result.memberErrors.length, 1);
    assert.equal(result.memberErrors[0].member, 0);
    assert.match(result.memberErrors[0].message, /nosuch/);
    assert.equal(result.set?.members.length, 1);
    const b = result.results.find((r) => r.source.path === 'b/Dockerfile')!;
    assert.ok(b.diagnostics.some((d) => d.ruleId === 'cache-race'), 'b is still linted');
  });

  it('one file on its own with an unknown target throws: the options are the caller\'s error', async () => {
    await assert.rejects(new Linter({ target: 'nosuch' }).lintFile(TWO_STAGES, 'Dockerfile'), /nosuch/);
  });

  it('two builds of one file report each finding once, and a suppressed finding is kept as suppressed', async () => {
    const text = ['FROM debian:bookworm', '# mountlint ignore=missing-cache-mount reason=test', 'RUN apt-get update && apt-get install -y curl', APT, ''].join('\n');
    const members = [member('Dockerfile', text, {}, 'one'), member('Dockerfile', text, {}, 'two')];
    const result = await new Linter({ concurrentBuilds: true }).lint({ members, why: 'two CI jobs build it' });
    assert.equal(result.results.length, 1);
    const keys = result.results[0].diagnostics.map((d) => `${d.ruleId}:${d.range.start}:${d.message}`);
    assert.equal(new Set(keys).size, keys.length, 'no finding twice');
    assert.deepEqual(result.results[0].suppressed?.map((d) => d.ruleId), ['missing-cache-mount']);
  });

  it('a file that does not parse is one syntax finding, in a set too', async () => {
    const members = [member('bad/Dockerfile', 'FROM debian\nRUN <<EOF\n', {}, 'bad'), member('ok/Dockerfile', ONE_STAGE, {}, 'ok')];
    const result = await new Linter().lint({ members, why: 'bake' });
    const bad = result.results.find((r) => r.source.path === 'bad/Dockerfile')!;
    assert.deepEqual(bad.diagnostics.map((d) => `${d.ruleId}/${d.messageId}`), ['syntax/buildkit']);
  });
});
