/**
 * `docker mountlint …` through the Docker 20.10 and 26.1 CLIs of the e2e
 * setup (the plugin handshake needs the CLI only, not its engine), each with a
 * scratch DOCKER_CONFIG: the single executable installed by
 * `mountlint install-docker-plugin`, and the npm CLI's shell-script plugin.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ENGINES } from '../helpers/docker.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { seaExecutable } from '../helpers/sea.js';
import { skipForMissingTool } from '../helpers/tools.js';
import { scratchDir } from '../helpers/scratch.js';

const SEED = readFileSync(join(REPO_ROOT, 'examples/seed/Dockerfile'), 'utf8');

for (const engine of Object.values(ENGINES)) {
  describe(`docker mountlint with the ${engine.name} CLI`, () => {
    for (const [how, install] of [
      ['the single executable', (env: NodeJS.ProcessEnv) => spawnSync(seaExecutable(), ['install-docker-plugin'], { env, encoding: 'utf8' })],
      ['the npm CLI', (env: NodeJS.ProcessEnv) => spawnSync(process.execPath, [join(REPO_ROOT, 'bin/mountlint.cjs'), 'install-docker-plugin'], { env, encoding: 'utf8' })],
    ] as const) {
      it(`${how}, installed by mountlint install-docker-plugin into $DOCKER_CONFIG/cli-plugins`, (t) => {
        if (!existsSync(engine.bin)) return skipForMissingTool(t, `no ${engine.name} CLI at ${engine.bin} (run e2e/provision.sh as root)`);
        const config = scratchDir('mountlint-docker-config-');
        const env = { PATH: process.env.PATH, HOME: config, DOCKER_CONFIG: config };
        const installed = install(env);
        assert.equal(installed.status, 0, installed.stderr);
        assert.match(installed.stdout, new RegExp(`Installed ${join(config, 'cli-plugins/docker-mountlint')}`));
        const docker = (args: string[], input?: string) => spawnSync(engine.bin, args, { env, input, encoding: 'utf8' });
        const help = docker(['--help']);
        assert.match(help.stdout, /^\s+mountlint\*?\s+Find and fix RUN --mount=type=cache problems in Dockerfiles/m, help.stdout + help.stderr);
        const lint = docker(['mountlint', '-'], SEED);
        assert.equal(lint.status, 1, lint.stderr);
        assert.match(lint.stdout, /^<stdin>:3:5: error: Cache race/m);
        const version = docker(['mountlint', '--version']);
        assert.equal(version.status, 0);
        const bad = docker(['mountlint', '--no-such-option']);
        assert.equal(bad.status, 2);
        assert.match(bad.stderr, /^mountlint: /);
        const missing = docker(['mountlint', join(config, 'nope/Dockerfile')]);
        assert.equal(missing.status, 2);
        assert.equal(missing.stderr.trim().split('\n').length, 1, missing.stderr);
        assert.doesNotMatch(missing.stderr, /\n\s+at /);
      });
    }
  });
}
