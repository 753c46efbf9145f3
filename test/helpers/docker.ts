/**
 * The Docker engines e2e/provision.sh starts (Docker 20.10 and 26.1, each with
 * a CLI configuration of the e2e suite's own), for tests that run images and
 * the docker CLI, and the repository's image built on Docker 26.1 from local
 * stand-ins of its base images (e2e/ship/stand-ins.sh). Where an engine is not
 * running, `engineOrSkip` skips the test, or fails it in CI.
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { REPO_ROOT } from './paths.js';
import { skipForMissingTool } from './tools.js';

const STATE = process.env.MOUNTLINT_E2E_STATE ?? '/var/lib/mountlint-e2e';

export interface Engine {
  name: string;
  bin: string;
  env: NodeJS.ProcessEnv;
}

export const ENGINES = {
  'docker-20.10': { name: 'docker-20.10', bin: '/usr/bin/docker', env: { ...process.env, DOCKER_HOST: 'unix:///var/run/docker.sock', DOCKER_CONFIG: join(STATE, 'config/docker20') } },
  'docker-26.1': { name: 'docker-26.1', bin: join(STATE, 'docker26/usr/bin/docker'), env: { ...process.env, DOCKER_HOST: 'unix:///var/run/docker26.sock', DOCKER_CONFIG: join(STATE, 'config/docker26') } },
} satisfies Record<string, Engine>;

/** Why the engine cannot be used here, or undefined when it answers. */
export function engineMissing(engine: Engine): string | undefined {
  if (!existsSync(engine.bin)) return `${engine.name}: no Docker CLI at ${engine.bin} (run e2e/provision.sh as root)`;
  const r = spawnSync(engine.bin, ['version', '--format', '{{.Server.Version}}'], { env: engine.env, encoding: 'utf8', timeout: 20_000 });
  if (r.status !== 0) return `${engine.name}: the engine at ${engine.env.DOCKER_HOST} does not answer (run e2e/provision.sh as root)`;
  return undefined;
}

/** The engine, or undefined after skipping the test (failing it where tools are required). */
export function engineOrSkip(t: TestContext, engine: Engine): Engine | undefined {
  const missing = engineMissing(engine);
  if (!missing) return engine;
  skipForMissingTool(t, missing);
  return undefined;
}

export function docker(engine: Engine, args: string[], options: SpawnSyncOptions = {}) {
  return spawnSync(engine.bin, args, { env: engine.env, encoding: 'utf8', timeout: 600_000, maxBuffer: 64 * 1024 * 1024, ...options }) as ReturnType<typeof spawnSync> & { stdout: string; stderr: string };
}

/** Tags of the image under test (test/ship): the default target and the verify target. */
export const IMAGE = 'mountlint-test/mountlint:dev';
export const VERIFY_IMAGE = 'mountlint-test/mountlint:dev-verify';

/** Builds the repository's Dockerfile (both targets) on the engine from the stand-in bases; throws with the log's end on failure. */
export function buildImages(engine: Engine): void {
  const standIns = spawnSync('bash', [join(REPO_ROOT, 'e2e/ship/stand-ins.sh'), engine.bin], { env: engine.env, encoding: 'utf8', timeout: 600_000 });
  if (standIns.status !== 0) throw new Error(`e2e/ship/stand-ins.sh failed:\n${standIns.stderr}`);
  const args = standIns.stdout.trim().split('\n').flatMap((line) => ['--build-arg', line]);
  for (const [tag, target] of [[IMAGE, 'runtime'], [VERIFY_IMAGE, 'verify']]) {
    const r = docker(engine, ['build', '--network=host', ...args, '--target', target, '-t', tag, REPO_ROOT]);
    if (r.status !== 0) throw new Error(`docker build --target ${target} failed:\n${(r.stderr + r.stdout).split('\n').slice(-30).join('\n')}`);
  }
}
