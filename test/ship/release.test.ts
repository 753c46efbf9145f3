/**
 * scripts/release: the npm tarball, the single executable, SHA256SUMS and the
 * image, each checked by the script; here on the Docker 26.1 engine with the
 * stand-in base images, on the build `npm test` made (RELEASE_SKIP_BUILD: a
 * rebuild would change dist/ under the tests running beside this one).
 */
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ENGINES, engineOrSkip } from '../helpers/docker.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { scratchDir } from '../helpers/scratch.js';

const version = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

describe('scripts/release', () => {
  it('makes the tarball, the executable, SHA256SUMS and the image, and checks each; a failed check stops it', (t) => {
    const engine = engineOrSkip(t, ENGINES['docker-26.1']);
    if (!engine) return;
    const standIns = execFileSync('bash', [join(REPO_ROOT, 'e2e/ship/stand-ins.sh'), engine.bin], { env: engine.env, encoding: 'utf8' });
    const buildArgs = ['--network=host', ...standIns.trim().split('\n').map((l) => `--build-arg ${l}`)].join(' ');
    const out = scratchDir('mountlint-release-');
    const env = { ...engine.env, DOCKER: engine.bin, RELEASE_SKIP_BUILD: '1', RELEASE_BUILD_ARGS: buildArgs, RELEASE_IMAGE_TAG: 'mountlint-test/mountlint:release' };
    const r = spawnSync(join(REPO_ROOT, 'scripts/release'), [out], { env, encoding: 'utf8', timeout: 900_000 });
    assert.equal(r.status, 0, r.stderr.split('\n').slice(-30).join('\n'));
    assert.equal(r.stdout.trim(), out);
    assert.deepEqual(readdirSync(out).sort(), ['SHA256SUMS', `mountlint-${version}.tgz`, `mountlint-image-${version}.tar.gz`, `mountlint-${process.platform}-${process.arch}`].sort());
    for (const line of ['(npm install -g) lints the seed', `mountlint-${process.platform}-${process.arch} lints the seed`, 'image mountlint-test/mountlint:release lints the seed']) assert.ok(r.stderr.includes(line), line);
    const sums = readFileSync(join(out, 'SHA256SUMS'), 'utf8');
    assert.match(sums, new RegExp(`^[0-9a-f]{64}  mountlint-${version.replace(/\./g, '\\.')}\\.tgz$`, 'm'));
    assert.equal(spawnSync('sha256sum', ['--quiet', '-c', 'SHA256SUMS'], { cwd: out }).status, 0);

    // An image that cannot be built: the script says so and fails.
    const broken = spawnSync(join(REPO_ROOT, 'scripts/release'), [scratchDir('mountlint-release-')], { env: { ...env, RELEASE_BUILD_ARGS: '--network=host --build-arg NODE_IMAGE=mountlint-test/no-such-image:0' }, encoding: 'utf8', timeout: 900_000 });
    assert.notEqual(broken.status, 0);
    assert.match(broken.stderr, /^release: docker build failed$/m);
  });
});
