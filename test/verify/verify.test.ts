/** verify without an engine: recorded logs, mapping, arguments, the missing-Docker message. */
import { strict as assert } from 'node:assert';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { run } from '../../src/cli/main.js';
import { lintText, prepare } from '../../src/engine/index.js';
import { buildCommand, defaultRuns, DEFAULT_RUNS, downloadFailure, failingTools, FAILURE_SIGNATURES, findSignatures, findWaits, mapFailure, parseBuildLog, type DockerSetup } from '../../src/verify/index.js';
import { DOWNLOAD_FAILURES } from '../../src/knowledge/index.js';
import { runsToConvince } from '../../src/knowledge/index.js';
import { itWithShared, ORACLE, REPO_ROOT } from '../helpers/paths.js';
import { scratchDir } from '../helpers/scratch.js';

const fixture = (name: string) => readFileSync(join(REPO_ROOT, 'test/fixtures/build-logs', name), 'utf8');
const SEED = join(REPO_ROOT, 'examples/seed/Dockerfile');

describe('failure signatures', () => {
  const cases: Array<[string, string]> = [
    ['E: Could not get lock /var/cache/apt/archives/lock. It is held by process 0', 'apt-archives-lock'],
    ['E: Could not get lock /var/lib/apt/lists/lock - open (11: Resource temporarily unavailable)', 'apt-lists-lock'],
    ['E: Unable to lock directory /var/cache/apt/archives/', 'apt-unable-to-lock'],
    ['E: List directory /var/lib/apt/lists/partial is missing. - Acquire (17: File exists)', 'apt-lists-partial'],
    ['E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 0', 'dpkg-frontend-lock'],
    ['Waiting for process with pid 42 to finish.', 'dnf-waiting'],
    ['error: failed to unpack package `serde v1.0.1`: failed to open `/usr/local/cargo/registry/src/x/serde-1.0.1/.cargo-ok`: File exists (os error 17)', 'cargo-ok-exists'],
    ['Timeout waiting to lock journal cache (/root/.gradle/caches/journal-1). It is currently in use by another Gradle instance.', 'gradle-lock-timeout'],
    ['ERROR: Unable to lock database: Resource temporarily unavailable', 'apk-lock'],
    // Seen in the e2e suite's tool races (e2e/tools).
    ['error https://registry.npmjs.org/eslint-scope/-/eslint-scope-7.2.2.tgz: Extracting tar content of undefined failed, the file appears to be corrupt: "EEXIST: file already exists, mkdir \'/x\'"', 'yarn-extract-corrupt'],
    ['error An unexpected error occurred: "ENOENT: no such file or directory, scandir \'/usr/local/share/.cache/yarn/v6/npm-a-1.0.0-integrity/node_modules/a\'".', 'yarn-cache-enoent'],
    ['error https://registry.npmjs.org/a/-/a-1.tgz: Integrity check failed for "a" (computed integrity doesn\'t match our records, got "sha512-x")', 'yarn-integrity'],
    ['error An unexpected error occurred: "SyntaxError: /usr/local/share/.cache/yarn/v6/npm-a/node_modules/a/package.json: Unexpected end of JSON input".', 'yarn-cache-json'],
    ["  failed to create locked file '/root/.cargo/registry/index/local-1a2b/.git/config.lock': File exists; class=Os (2); code=Locked (-14)", 'cargo-git-cache'],
    ['  failed to remove directory `/root/.cargo/git/db/gitdep-5269d0681add367f`', 'cargo-git-cache'],
    ["  failed to open directory '/usr/local/cargo/git/db/gitdep-5269d0681add367f/refs/': No such file or directory; class=Os (2); code=NotFound (-3)", 'cargo-git-cache'],
    ['  failed to clone into: /root/.cargo/git/db/gitdep-5269d0681add367f', 'cargo-git-cache'],
    ["  failed to initialize repository with template 'hooks/README.sample': No such file or directory; class=Os (2)", 'cargo-git-cache'],
    ['  object not found - no match for id (9e7412f62e1576edaace2fdc3b2a71a42a683477); class=Odb (9); code=NotFound (-3)', 'cargo-git-cache'],
    ['  Could not find Cargo.toml in `/root/.cargo/git/checkouts/gitdep-5269d0681add367f/9e7412f`', 'cargo-git-cache'],
    ['    Blocking waiting for file lock on package cache', 'cargo-blocking'],
    ['  failed to read `/root/.cargo/registry/src/-98f5878892d4d297/mlc32-1.0.0/Cargo.toml`', 'cargo-src-incomplete'],
    ['  failed to parse manifest at `/root/.cargo/registry/src/-98f5878892d4d297/mlc23-1.0.0/Cargo.toml`', 'cargo-src-incomplete'],
    ["  could not find repository from '/root/.cargo/git/checkouts/gitdep-5269d0681add367f/12a6ef7/.git/'; class=Repository (6); code=NotFound (-3)", 'cargo-git-cache'],
    ['  failed to remove file `/root/.cargo/git/checkouts/gitdep-5269d0681add367f/12a6ef7/.git/config.lock`', 'cargo-git-cache'],
    // Seen in e2e/tools/node, npm-node-modules-staggered: another npm ci emptied the shared node_modules.
    ["npm WARN tar TAR_ENTRY_ERROR ENOENT: no such file or directory, open '/app/node_modules/yargs-parser/build/index.cjs'", 'npm-node-modules-emptied'],
    ["npm WARN tar ENOENT: Cannot cd into '/app/node_modules/http-errors'", 'npm-node-modules-emptied'],
    ["cp: cannot stat 'node_modules/express': No such file or directory", 'npm-node-modules-emptied'],
    ['cat: node_modules/express/package.json: No such file or directory', 'npm-node-modules-emptied'],
    ['npm error code ENOTEMPTY', 'npm-node-modules-emptied'],
    ['npm error code EEXIST', 'npm-cache-eexist'],
  ];
  for (const [line, id] of cases) it(id, () => assert.deepEqual(findSignatures(`#7 1.2 ${line}`).map((m) => m.signature.id), [id]));
  it('a wait is not a failure', () => {
    assert.deepEqual(failingTools(findSignatures('Blocking waiting for file lock on package cache')), []);
    assert.deepEqual(failingTools(findSignatures('E: Unable to lock directory /var/cache/apt/archives/')), ['apt']);
  });
  it('ordinary output matches nothing', () => assert.deepEqual(findSignatures('Get:1 http://deb.debian.org bookworm InRelease\nReading package lists...'), []));
});

describe('build logs recorded on real engines', () => {
  before(prepare);
  it('Docker 26, Yarn 1 racing on one cache: yarn1 failed, predicted by cache-race', () => {
    const prediction = lintText(readFileSync(join(REPO_ROOT, 'e2e/tools/node/yarn-race.Dockerfile'), 'utf8'), 'Dockerfile');
    const f = mapFailure(parseBuildLog(fixture('docker26-yarn1-race.log')), prediction);
    assert.deepEqual(failingTools(f.signatures), ['yarn1']);
    assert.equal(f.finding?.ruleId, 'cache-race');
    assert.deepEqual(f.finding?.tools, ['yarn1']);
  });
  it('Docker 26, cargo racing on registry and git mounts: cargo failed in the git cache', () => {
    const prediction = lintText(readFileSync(join(REPO_ROOT, 'e2e/tools/cargo/registry-race.Dockerfile'), 'utf8'), 'Dockerfile');
    const f = mapFailure(parseBuildLog(fixture('docker26-cargo-git-race.log')), prediction);
    assert.deepEqual(f.signatures.map((s) => s.signature.id), ['cargo-git-cache']);
    assert.equal(f.finding?.ruleId, 'cache-race');
  });
  it('a wait is read with how long it lasted, from the step\'s timestamps', () => {
    const log = parseBuildLog([
      '#9 [b 4/4] RUN --mount=type=cache,target=/root/.cargo cargo fetch && echo b',
      '#9 0.412     Blocking waiting for file lock on package cache',
      '#9 3.918     Updating `local` index',
      '#9 DONE 4.6s',
    ].join('\n'));
    const [wait] = findWaits(log);
    assert.equal(wait.signature.id, 'cargo-blocking');
    assert.equal(wait.stage, 'b');
    assert.equal(wait.seconds!.toFixed(3), '3.506');
  });
  it('Docker 20.10: the failed step, its output, the error', () => {
    const log = parseBuildLog(fixture('docker20-lists-race.log'));
    const failed = log.steps.find((s) => s.status === 'error')!;
    assert.equal(failed.stage, 'b');
    assert.equal(failed.index, 2);
    assert.equal(failed.total, 2);
    assert.match(failed.error!, /executor failed running/);
    assert.ok(failed.output.some((l) => l.startsWith('E: Could not get lock /var/lib/apt/lists/lock')));
    assert.ok(!failed.output.some((l) => l.startsWith('sha256:')));
    assert.equal(log.steps.find((s) => s.stage === 'a')?.status, 'canceled');
  });
  it('Docker 26: Dockerfile:N points at the failed line', () => {
    const log = parseBuildLog(fixture('docker26-lists-race.log'));
    assert.deepEqual(log.failedLines, [2]);
    assert.match(log.error!, /^failed to solve: process/);
  });
  // The recorded logs are builds of ../shared/oracle/h13-trailing-slash.Dockerfile.
  itWithShared('maps each failure to its step and to the cache-race finding', () => {
    const prediction = lintText(readFileSync(join(ORACLE, 'h13-trailing-slash.Dockerfile'), 'utf8'), 'Dockerfile');
    const f20 = mapFailure(parseBuildLog(fixture('docker20-lists-race.log')), prediction);
    assert.equal(f20.line, 4);
    assert.equal(f20.stage, 'b');
    assert.equal(f20.finding?.ruleId, 'cache-race');
    assert.deepEqual(f20.signatures.map((s) => s.signature.id), ['apt-lists-lock', 'apt-unable-to-lock']);
    const f26 = mapFailure(parseBuildLog(fixture('docker26-lists-race.log')), prediction);
    assert.equal(f26.line, 2);
    assert.equal(f26.finding?.ruleId, 'cache-race');
  });
});

describe('build command', () => {
  const setup = (buildx: boolean): DockerSetup => ({ bin: 'docker', buildx, client: '26.1.5', server: '26.1.5', env: { PATH: '/bin' } });
  const req = { dockerfile: '/w/Dockerfile', context: '/w', target: 'app', buildArgs: { BUILDKIT_CACHE_MOUNT_NS: 'ns1', A: 'b c' }, platforms: ['linux/amd64', 'linux/arm64'], network: 'host', iidfile: '/tmp/iid' };
  it('buildx', () => {
    const { args, env } = buildCommand(setup(true), { ...req, builder: 'b1' });
    assert.deepEqual(args, ['buildx', 'build', '--progress=plain', '--no-cache', '--iidfile', '/tmp/iid', '-f', '/w/Dockerfile', '--builder', 'b1', '--target', 'app', '--network', 'host', '--platform', 'linux/amd64,linux/arm64', '--build-arg', 'BUILDKIT_CACHE_MOUNT_NS=ns1', '--build-arg', 'A=b c', '/w']);
    assert.equal(env.DOCKER_BUILDKIT, undefined);
  });
  it('classic CLI with DOCKER_BUILDKIT=1', () => {
    const { args, env } = buildCommand(setup(false), req);
    assert.equal(args[0], 'build');
    assert.equal(env.DOCKER_BUILDKIT, '1');
  });
});

describe('mountlint verify without Docker', () => {
  it('exits 2 and says what is missing', async () => {
    let stderr = '';
    const code = await run(['verify', '--docker', '/nonexistent/docker', SEED], {
      stdout: () => {}, stderr: (s) => (stderr += s), isTTY: false, env: { PATH: '/usr/bin:/bin' },
    });
    assert.equal(code, 2);
    assert.match(stderr, /Docker or BuildKit is not available: the Docker CLI "\/nonexistent\/docker" is not installed/);
  });
  it('checks its arguments', async () => {
    for (const args of [['verify'], ['verify', '-'], ['verify', '--runs', '0', 'x'], ['--runs', '2', SEED]]) {
      let stderr = '';
      const code = await run(args, { stdout: () => {}, stderr: (s) => (stderr += s), isTTY: false, env: {} });
      assert.equal(code, 2, args.join(' '));
      assert.match(stderr, /^mountlint: /);
    }
  });
});

describe('a build the engine could not run', () => {
  before(prepare);
  it('a base image that cannot be fetched is the engine\'s failure, not a tool\'s', () => {
    const log = parseBuildLog([
      '#3 [internal] load metadata for docker.io/mountlint-e2e/node:latest',
      '#3 ERROR: failed to do request: Head "https://registry-1.docker.io/v2/mountlint-e2e/node/manifests/latest": dial tcp: lookup registry-1.docker.io: no such host',
      'ERROR: failed to solve: mountlint-e2e/node: failed to resolve source metadata for docker.io/mountlint-e2e/node:latest: failed to do request: Head "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: no such host',
    ].join('\n'));
    const f = mapFailure(log, lintText(readFileSync(SEED, 'utf8'), SEED));
    assert.equal(f.infrastructure?.id, 'image-unreachable');
  });
  it('a tool that fails is never the engine\'s failure, whatever its output says', () => {
    const prediction = lintText(readFileSync(join(REPO_ROOT, 'e2e/tools/node/yarn-race.Dockerfile'), 'utf8'), 'Dockerfile');
    assert.equal(mapFailure(parseBuildLog(fixture('docker26-yarn1-race.log')), prediction).infrastructure, undefined);
    const apt = parseBuildLog(['#7 [a 2/2] RUN apt-get update', '#7 0.5 Temporary failure resolving deb.debian.org: no such host', '#7 ERROR: process "/bin/sh -c apt-get update" did not complete successfully: exit code: 100'].join('\n'));
    assert.equal(mapFailure(apt, lintText(readFileSync(SEED, 'utf8'), SEED)).infrastructure, undefined);
  });
  it('mountlint verify says the build could not run, and exits 2', async () => {
    // A Docker CLI that answers like Docker 26.1 with buildx, and whose engine has no bridge network.
    const dir = scratchDir('mountlint-fake-docker-');
    const docker = join(dir, 'docker');
    writeFileSync(docker, [
      '#!/bin/sh',
      'case "$*" in',
      '  *"{{.Client.Version}}"*|*"{{.Server.Version}}"*) echo 26.1.5 ;;',
      '  "buildx version") echo "github.com/docker/buildx 0.13.1" ;;',
      '  *"buildx build"*|*" build "*)',
      '    echo "#5 [builder 2/2] RUN --mount=type=cache,target=/var/cache/apt apt-get update" >&2',
      '    echo "#5 ERROR: network bridge not found" >&2',
      '    echo "ERROR: failed to solve: network bridge not found" >&2',
      '    exit 1 ;;',
      'esac',
      'exit 0',
    ].join('\n'));
    chmodSync(docker, 0o755);
    try {
      let stdout = '';
      let stderr = '';
      const code = await run(['verify', '--runs', '1', '--docker', docker, SEED], { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), isTTY: false, env: { PATH: '/usr/bin:/bin' } });
      assert.equal(code, 2, stderr);
      assert.match(stdout, /the build could not run: the engine has no such network/);
      assert.doesNotMatch(stdout, /not predicted by mountlint check/);
      assert.match(stderr, /mountlint: the build could not run on this engine: the engine has no such network/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('how many runs verify makes by default', () => {
  it('the default when nothing races', () => {
    assert.deepEqual(defaultRuns(lintText('FROM debian\nRUN true\n', 'Dockerfile')).runs, DEFAULT_RUNS);
  });
  it('more for a tool whose races were seen to fail only some of the time', () => {
    const cargo = readFileSync(join(REPO_ROOT, 'e2e/tools/cargo/registry-race.Dockerfile'), 'utf8');
    const expected = runsToConvince('cargo');
    assert.ok(expected !== undefined && expected > DEFAULT_RUNS, `cargo needs ${expected} runs`);
    const r = defaultRuns(lintText(cargo, 'Dockerfile'));
    assert.equal(r.runs, expected);
    assert.match(r.reason, /cargo/);
  });
  it('no more than the default for a tool that fails every time', () => {
    const yarn = readFileSync(join(REPO_ROOT, 'e2e/tools/node/yarn-race.Dockerfile'), 'utf8');
    assert.equal(defaultRuns(lintText(yarn, 'Dockerfile')).runs, DEFAULT_RUNS);
  });
});

describe('a step that could not download', () => {
  before(prepare);
  for (const f of DOWNLOAD_FAILURES) {
    it(`${f.id}: its own example`, () => assert.equal(downloadFailure([f.example])?.failure.id, f.id));
  }
  it('no race signature is taken for a download failure', () => {
    for (const s of FAILURE_SIGNATURES) assert.equal(downloadFailure([s.example]), undefined, s.id);
  });
  const seed = () => lintText(readFileSync(SEED, 'utf8'), SEED);
  it('apt that could not reach its mirror: a download failure, neither a race nor the engine', () => {
    const log = parseBuildLog([
      '#9 [builder 2/2] RUN --mount=type=cache,target=/var/cache/apt apt-get update && apt-get install -y gcc',
      "#9 0.613 Err:1 http://deb.debian.org/debian bookworm InRelease",
      "#9 0.613   Temporary failure resolving 'deb.debian.org'",
      '#9 0.700 E: Unable to locate package gcc',
      '#9 ERROR: process "/bin/sh -c apt-get update && apt-get install -y gcc" did not complete successfully: exit code: 100',
    ].join('\n'));
    const f = mapFailure(log, seed());
    assert.equal(f.download?.failure.id, 'apt-mirror-unreachable');
    assert.equal(f.download?.line, "0.613   Temporary failure resolving 'deb.debian.org'".replace(/^0\.613\s+/, ''));
    assert.equal(f.infrastructure, undefined);
  });
  it('a race is never a download failure, even where the racing tool also printed a fetch error', () => {
    const log = parseBuildLog([
      '#9 [builder 2/2] RUN apt-get update',
      '#9 0.7 E: Could not get lock /var/lib/apt/lists/lock. It is held by process 0',
      '#9 0.7 E: Failed to fetch http://deb.debian.org/debian/dists/bookworm/InRelease  Connection timed out [IP: 151.101.2.132 80]',
      '#9 ERROR: process "/bin/sh -c apt-get update" did not complete successfully: exit code: 100',
    ].join('\n'));
    const f = mapFailure(log, seed());
    assert.deepEqual(f.signatures.map((s) => s.signature.id), ['apt-lists-lock']);
    assert.equal(f.download, undefined);
    const prediction = lintText(readFileSync(join(REPO_ROOT, 'e2e/tools/node/yarn-race.Dockerfile'), 'utf8'), 'Dockerfile');
    assert.equal(mapFailure(parseBuildLog(fixture('docker26-yarn1-race.log')), prediction).download, undefined);
  });
});

describe('verify with a time limit', () => {
  before(prepare);
  /** A Docker CLI that answers like Docker 26.1 with buildx and whose build prints `step` lines, then sleeps (or fails). */
  function fakeDocker(build: string[]): { docker: string; dir: string } {
    const dir = scratchDir('mountlint-fake-docker-');
    const docker = join(dir, 'docker');
    writeFileSync(docker, ['#!/bin/sh', 'case "$*" in', '  *"{{.Client.Version}}"*|*"{{.Server.Version}}"*) echo 26.1.5 ;;', '  "buildx version") echo "github.com/docker/buildx 0.13.1" ;;', '  *"buildx build"*)', ...build.map((l) => `    ${l}`), '    ;;', 'esac', 'exit 0'].join('\n'));
    chmodSync(docker, 0o755);
    return { docker, dir };
  }
  const cli = async (args: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await run(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), isTTY: false, env: { PATH: '/usr/bin:/bin' } });
    return { code, stdout, stderr };
  };
  it('a run past --timeout is stopped and reported as stopped, and the next run still happens', async () => {
    const { docker, dir } = fakeDocker(['echo "#5 [builder 2/2] RUN apt-get update" >&2', 'echo "#5 0.5 Waiting for headers" >&2', 'exec sleep 30']);
    try {
      const t = performance.now();
      const r = await cli(['verify', '--runs', '2', '--timeout', '0.5', '--docker', docker, SEED]);
      assert.ok(performance.now() - t < 20_000, 'both runs were stopped');
      assert.equal(r.code, 1, r.stderr);
      assert.equal(r.stdout.match(/STOPPED at its time limit \(--timeout\)/g)?.length, 2, r.stdout);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('a run that could not download says it is not a cache problem', async () => {
    const { docker, dir } = fakeDocker([
      'echo "#5 [builder 2/2] RUN --mount=type=cache,target=/var/cache/apt apt-get update" >&2',
      'echo "#5 0.6 E: Failed to fetch http://deb.debian.org/debian/pool/main/g/gcc-12/cpp-12_12.2.0-14_amd64.deb  Connection timed out [IP: 151.101.2.132 80]" >&2',
      'echo "#5 ERROR: process \\"/bin/sh -c apt-get update\\" did not complete successfully: exit code: 100" >&2',
      'exit 1',
    ]);
    try {
      const r = await cli(['verify', '--runs', '1', '--docker', docker, SEED]);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stdout, /apt could not reach its mirror \(apt-mirror-unreachable\): E: Failed to fetch/);
      assert.match(r.stdout, /not a cache problem/);
      assert.doesNotMatch(r.stdout, /not predicted by mountlint check/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('--timeout takes seconds above 0', async () => {
    for (const bad of ['0', '-1', 'soon', '1e3']) {
      const r = await cli(['verify', `--timeout=${bad}`, SEED]);
      assert.equal(r.code, 2, bad);
      assert.match(r.stderr, /--timeout takes a number of seconds above 0/);
    }
    const r = await cli(['check', '--timeout', '5', SEED]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--timeout is an option of mountlint verify/);
  });
});
