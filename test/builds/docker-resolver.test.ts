/**
 * Where buildx is installed, `docker buildx bake --print` resolves the
 * definition (a function mountlint does not evaluate, here timestamp()).
 * The Docker CLI is a stand-in script here that answers as buildx does:
 * the contract tested is the arguments we pass and the JSON we read.
 */
import { strict as assert } from 'node:assert';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readBuildPlan } from '../../src/builds/index.js';
import { writeTree } from './helpers.js';

const PRINTED = { group: { default: { targets: ['app'] } }, target: { app: { context: '.', dockerfile: 'app.Dockerfile', args: { BUILT: '2026-01-01T00:00:00Z', EMPTY: null }, platforms: ['linux/amd64', 'linux/arm64'] } } };

function fakeDocker(root: string, answer: 'print' | 'fail' | 'no-buildx'): string {
  const bin = join(root, 'docker');
  const script = [
    '#!/bin/sh',
    `echo "$@" >> ${JSON.stringify(join(root, 'calls.log'))}`,
    answer === 'no-buildx' ? 'exit 1' : '',
    'case "$*" in',
    '  *--help*) exit 0 ;;',
    answer === 'print' ? `  *--print*) cat <<'EOF'\n${JSON.stringify(PRINTED)}\nEOF\n  ;;` : `  *--print*) echo "ERROR: failed to find target default" >&2; exit 1 ;;`,
    'esac',
  ].join('\n');
  writeFileSync(bin, script);
  chmodSync(bin, 0o755);
  return bin;
}

describe('docker buildx bake --print as the resolver', () => {
  const files = { 'docker-bake.hcl': 'group "default" {\n  targets = ["app"]\n}\ntarget "app" {\n  dockerfile = "app.Dockerfile"\n  platforms = ["linux/amd64", "linux/arm64"]\n  args = { BUILT = timestamp() }\n}\n', 'app.Dockerfile': 'FROM scratch\n' };

  it('without Docker, a target that needs timestamp() is not analysed', async () => {
    const root = writeTree(files);
    const plan = await readBuildPlan([join(root, 'docker-bake.hcl')], { env: {} });
    assert.equal(plan.resolvedBy, 'mountlint');
    assert.match(plan.requests[0].targets[0].unknown!.reason, /timestamp\(\) is not evaluated without Docker/);
  });

  it("with buildx, Docker's values are used and each target keeps its place in the file", async () => {
    const root = writeTree(files);
    const bin = fakeDocker(root, 'print');
    const plan = await readBuildPlan([join(root, 'docker-bake.hcl')], { env: {}, docker: { bin, env: {} } });
    assert.equal(plan.resolvedBy, 'docker');
    const t = plan.requests[0].targets[0];
    assert.equal(t.unknown, undefined);
    assert.deepEqual(t.args, { BUILT: '2026-01-01T00:00:00Z' });
    assert.deepEqual(t.platforms, ['linux/amd64', 'linux/arm64']);
    assert.equal(t.dockerfile, join(root, 'app.Dockerfile'));
    assert.equal(t.definedAt.source.positionAt(t.definedAt.range.start).line, 4);
    const calls = readFileSync(join(root, 'calls.log'), 'utf8');
    assert.match(calls, new RegExp(`buildx bake --print -f ${join(root, 'docker-bake.hcl')}\\n`));
  });

  it('when Docker cannot answer, our reading is used and a note says why', async () => {
    const root = writeTree(files);
    const plan = await readBuildPlan([join(root, 'docker-bake.hcl')], { env: {}, docker: { bin: fakeDocker(root, 'fail'), env: {} } });
    assert.equal(plan.resolvedBy, 'mountlint');
    assert.match(plan.notes.join('\n'), /docker buildx bake --print could not resolve .*failed to find target default/);
  });
});
