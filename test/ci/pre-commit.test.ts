/**
 * The pre-commit hooks (.pre-commit-hooks.yaml) under the real pre-commit.
 * A user's repository names a snapshot of this checkout (its files as they
 * are on disk, committed to a fresh git repository, since pre-commit fetches
 * a rev) as its hook repository. pre-commit installs it as a node package:
 * `npm install` there (the prepare script builds), `npm pack`, then a global
 * install of the tarball into its own environment. Then the seed's race
 * refuses a commit, the fixing hook writes what `mountlint --fix` writes,
 * and the next commit passes. pre-commit 4.6.1 and later install a node hook
 * with `npm install -g git+file://…` instead; that command runs here too,
 * with the environment pre-commit gives it.
 *
 * Needs `pre-commit` (Debian's package), git, and the npm registry for the
 * install; skipped with the reason when pre-commit is missing (a failure
 * under .ci/run, which installs it).
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { parse } from 'yaml';
import { buildImages, docker, ENGINES, engineOrSkip, IMAGE } from '../helpers/docker.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { skipForMissingTool } from '../helpers/tools.js';
import { scratchDir } from '../helpers/scratch.js';

const SEED = readFileSync(join(REPO_ROOT, 'examples/seed/Dockerfile'), 'utf8');
/** The image the docker_image hooks run: the release of this version. */
const DOCKER_HOOK_IMAGE = `ghcr.io/mountlint/mountlint:${(JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version}`;

/** The environment for git and pre-commit: no user or system git config, pre-commit's cache in the test's folder. */
function isolatedEnv(root: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    // GIT_DIR and friends are set when the tests run inside a git hook; SKIP would skip our hooks;
    // MOUNTLINT_* would change what the hooks report.
    if (!/^(GIT_|PRE_COMMIT|MOUNTLINT_)/.test(k) && k !== 'SKIP') env[k] = v;
  }
  const gitconfig = join(root, 'gitconfig');
  writeFileSync(gitconfig, '[user]\n\tname = mountlint test\n\temail = test@mountlint.invalid\n[commit]\n\tgpgsign = false\n[init]\n\tdefaultBranch = main\n');
  return { ...env, GIT_CONFIG_GLOBAL: gitconfig, GIT_CONFIG_NOSYSTEM: '1', PRE_COMMIT_HOME: join(root, 'pre-commit-home'), PRE_COMMIT_COLOR: 'never' };
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv) {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8' });
  if (r.error) throw r.error;
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

function ok(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): string {
  const r = run(cmd, args, cwd, env);
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')} failed:\n${r.output}`);
  return r.output;
}

/** Commits this checkout's files (tracked and new, as on disk; not the ignored ones) to a new repository; returns the commit. */
function snapshotRepository(dest: string, env: NodeJS.ProcessEnv): string {
  const listed = ok('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], REPO_ROOT, env);
  for (const file of new Set(listed.split('\0').filter(Boolean))) {
    const from = join(REPO_ROOT, file);
    if (!existsSync(from) || lstatSync(from).isDirectory()) continue; // deleted in the work tree, or a submodule
    mkdirSync(dirname(join(dest, file)), { recursive: true });
    cpSync(from, join(dest, file), { verbatimSymlinks: true });
  }
  ok('git', ['init', '-q'], dest, env);
  ok('git', ['add', '-A'], dest, env);
  ok('git', ['commit', '-q', '-m', 'snapshot of the mountlint checkout under test'], dest, env);
  return ok('git', ['rev-parse', 'HEAD'], dest, env).trim();
}

function writeConfig(repo: string, hookRepo: string, rev: string, hookIds: string[]): void {
  const hooks = hookIds.map((id) => `      - id: ${id}\n`).join('');
  writeFileSync(join(repo, '.pre-commit-config.yaml'), `repos:\n  - repo: ${hookRepo}\n    rev: ${rev}\n    hooks:\n${hooks}`);
}

/** What `mountlint --fix` writes for the seed (this checkout's build). */
function fixedSeed(root: string, env: NodeJS.ProcessEnv): string {
  const dir = join(root, 'expected');
  mkdirSync(dir);
  writeFileSync(join(dir, 'Dockerfile'), SEED);
  spawnSync(process.execPath, [join(REPO_ROOT, 'bin/mountlint.cjs'), '--fix', 'Dockerfile'], { cwd: dir, env, encoding: 'utf8' });
  return readFileSync(join(dir, 'Dockerfile'), 'utf8');
}

/** Why these tests cannot run here, if they cannot. */
function unavailable(): string | undefined {
  const version = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' });
  if (version.error || version.status !== 0) return 'pre-commit is not installed (apt-get install pre-commit); .ci/run installs it';
  if (spawnSync('git', ['-C', REPO_ROOT, 'rev-parse', '--git-dir'], { encoding: 'utf8' }).status !== 0) return `${REPO_ROOT} is not a git checkout`;
  return undefined;
}

/** A folder for one test, removed after it, with the isolated environment and a snapshot of this checkout to use as the hook repository. */
function setUp(t: TestContext) {
  const root = scratchDir('mountlint-pre-commit-');
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const env = isolatedEnv(root);
  const hookRepo = join(root, 'mountlint');
  mkdirSync(hookRepo);
  return { root, env, hookRepo, rev: snapshotRepository(hookRepo, env) };
}

describe('pre-commit hooks (.pre-commit-hooks.yaml)', () => {
  it('declares a checking hook and a fixing hook, as node hooks and as docker_image hooks of this version\'s image, on Dockerfiles', () => {
    const hooks = parse(readFileSync(join(REPO_ROOT, '.pre-commit-hooks.yaml'), 'utf8'));
    assert.deepEqual(hooks.map((h: { id: string }) => h.id), ['mountlint', 'mountlint-fix', 'mountlint-docker', 'mountlint-docker-fix']);
    for (const h of hooks) {
      assert.equal(h.language, h.id.includes('docker') ? 'docker_image' : 'node', h.id);
      assert.deepEqual(h.types, ['dockerfile'], h.id);
    }
    assert.equal(hooks[0].entry, 'mountlint');
    assert.equal(hooks[1].entry, 'mountlint --fix');
    assert.equal(hooks[2].entry, DOCKER_HOOK_IMAGE);
    assert.equal(hooks[3].entry, `${DOCKER_HOOK_IMAGE} --fix`);
  });

  it('the docker_image hooks under the real pre-commit, with the image built on Docker 26.1: refuse the seed, fix it, pass', { timeout: 30 * 60_000 }, (t) => {
    const why = unavailable();
    if (why) return skipForMissingTool(t, why);
    const engine = engineOrSkip(t, ENGINES['docker-26.1']);
    if (!engine) return;
    buildImages(engine);
    // The hook names the released image; here it is this checkout's, under that name on the test engine.
    assert.equal(docker(engine, ['tag', IMAGE, DOCKER_HOOK_IMAGE]).status, 0);
    const { root, env, hookRepo, rev } = setUp(t);
    // pre-commit runs `docker` from PATH: the engine's CLI, with its host and configuration.
    const bin = join(root, 'bin');
    mkdirSync(bin);
    symlinkSync(engine.bin, join(bin, 'docker'));
    const dockerEnv = { ...env, PATH: `${bin}:${env.PATH}`, DOCKER_HOST: engine.env.DOCKER_HOST, DOCKER_CONFIG: engine.env.DOCKER_CONFIG };
    const user = join(root, 'user');
    mkdirSync(user);
    ok('git', ['init', '-q'], user, dockerEnv);
    writeConfig(user, hookRepo, rev, ['mountlint-docker']);
    writeFileSync(join(user, 'Dockerfile'), SEED);
    ok('git', ['add', '-A'], user, dockerEnv);
    const refused = run('pre-commit', ['run'], user, dockerEnv);
    assert.notEqual(refused.status, 0, refused.output);
    assert.match(refused.output, /^mountlint \(Docker image\)\.+Failed$/m);
    assert.match(refused.output, /^Dockerfile:3:5: error: Cache race on cache "\/var\/cache\/apt".*\[cache-race\]$/m);
    writeConfig(user, hookRepo, rev, ['mountlint-docker-fix', 'mountlint-docker']);
    ok('git', ['add', '-A'], user, dockerEnv);
    const fixed = run('pre-commit', ['run'], user, dockerEnv);
    assert.match(fixed.output, /^mountlint \(Docker image, fix\)\.+Failed\n- hook id: mountlint-docker-fix\n- files were modified by this hook$/m);
    assert.equal(readFileSync(join(user, 'Dockerfile'), 'utf8'), fixedSeed(root, env));
    ok('git', ['add', '-A'], user, dockerEnv);
    const passed = run('pre-commit', ['run'], user, dockerEnv);
    assert.equal(passed.status, 0, passed.output);
  });

  it('under the real pre-commit: the seed race refuses a commit, the fixing hook fixes it, the next commit passes', { timeout: 30 * 60_000 }, (t) => {
    const why = unavailable();
    if (why) return skipForMissingTool(t, why);
    t.diagnostic(spawnSync('pre-commit', ['--version'], { encoding: 'utf8' }).stdout.trim());
    const { root, env, hookRepo, rev } = setUp(t);
    const user = join(root, 'user');
    mkdirSync(user);
    const expected = fixedSeed(root, env);
    assert.notEqual(expected, SEED);
    assert.match(expected, /sharing=locked/);

    ok('git', ['init', '-q'], user, env);
    writeConfig(user, hookRepo, rev, ['mountlint']);
    writeFileSync(join(user, 'Dockerfile'), SEED);
    ok('pre-commit', ['install'], user, env);
    const install = run('pre-commit', ['install-hooks'], user, env);
    const log = join(env.PRE_COMMIT_HOME!, 'pre-commit.log');
    assert.equal(install.status, 0, `${install.output}\n${existsSync(log) ? readFileSync(log, 'utf8') : ''}`);

    // 1. The checking hook refuses the seed's race.
    ok('git', ['add', '-A'], user, env);
    const refused = run('git', ['commit', '-m', 'seed'], user, env);
    assert.notEqual(refused.status, 0, refused.output);
    assert.match(refused.output, /^mountlint\.+Failed$/m);
    assert.match(refused.output, /^Dockerfile:3:5: error: Cache race on cache "\/var\/cache\/apt".*\[cache-race\]$/m);
    assert.notEqual(run('git', ['rev-parse', '--verify', '-q', 'HEAD'], user, env).status, 0, 'a commit was made');

    // 2. The fixing hook rewrites the file as `mountlint --fix` does, and refuses this commit so that the fix is reviewed.
    writeConfig(user, hookRepo, rev, ['mountlint-fix', 'mountlint']);
    ok('git', ['add', '.pre-commit-config.yaml'], user, env);
    const fixed = run('git', ['commit', '-m', 'seed'], user, env);
    assert.notEqual(fixed.status, 0, fixed.output);
    assert.match(fixed.output, /^mountlint \(fix\)\.+Failed\n- hook id: mountlint-fix\n- files were modified by this hook$/m);
    assert.match(fixed.output, /^mountlint\.+Passed$/m);
    assert.equal(readFileSync(join(user, 'Dockerfile'), 'utf8'), expected);

    // 3. With the fix staged, both hooks pass and the commit is made.
    ok('git', ['add', 'Dockerfile'], user, env);
    const passed = run('git', ['commit', '-m', 'seed, fixed'], user, env);
    assert.equal(passed.status, 0, passed.output);
    assert.match(passed.output, /^mountlint \(fix\)\.+Passed$/m);
    assert.match(passed.output, /^mountlint\.+Passed$/m);
    assert.equal(ok('git', ['show', 'HEAD:Dockerfile'], user, env), expected);
  });

  it('installs as pre-commit 4.6.1 and later do: npm install -g git+file://… (npm 10 and 11 prepare it without devDependencies)', { timeout: 30 * 60_000 }, (t) => {
    const why = unavailable();
    if (why) return skipForMissingTool(t, why);
    const { root, env, hookRepo } = setUp(t);
    // pre-commit's node environment (pre_commit/languages/node.py: get_env_patch, install_environment).
    const prefix = join(root, 'node_env');
    const nodeEnv: NodeJS.ProcessEnv = { ...env, NODE_VIRTUAL_ENV: prefix, NPM_CONFIG_PREFIX: prefix, npm_config_prefix: prefix, NODE_PATH: join(prefix, 'lib/node_modules'), PATH: `${join(prefix, 'bin')}:${env.PATH}` };
    delete nodeEnv.NPM_CONFIG_USERCONFIG;
    delete nodeEnv.npm_config_userconfig;
    ok('npm', ['install', '--allow-git=root', '--install-links', '-g', `git+file://${hookRepo}`], root, nodeEnv);

    const project = join(root, 'project');
    mkdirSync(project);
    writeFileSync(join(project, 'Dockerfile'), SEED);
    const check = run(join(prefix, 'bin/mountlint'), ['Dockerfile'], project, nodeEnv);
    assert.equal(check.status, 1, check.output);
    assert.match(check.output, /\[cache-race\]/);
    ok(join(prefix, 'bin/mountlint'), ['--fix', 'Dockerfile'], project, nodeEnv);
    assert.equal(readFileSync(join(project, 'Dockerfile'), 'utf8'), fixedSeed(root, env));
  });
});
