/**
 * mountlint as a Docker CLI plugin (`docker mountlint …`). The docker CLI
 * finds `docker-mountlint` in a cli-plugins folder, asks it for its metadata
 * (`docker-mountlint docker-cli-plugin-metadata`, which prints JSON), then
 * runs `docker-mountlint mountlint ARGS…`. `mountlint install-docker-plugin`
 * puts it there: the single executable copies itself; an npm installation
 * writes a small shell script that runs this CLI on this Node.
 */
import { chmodSync, existsSync, mkdirSync, renameSync, rmSync, copyFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inSingleExecutable } from '../commands/index.js';
import type { CliIO } from './io.js';
import { version } from './version.js';

export const PLUGIN_METADATA_COMMAND = 'docker-cli-plugin-metadata';

/** The JSON the docker CLI reads (schema 0.1.0, as docker/cli's plugin manager expects). */
export function pluginMetadata(): string {
  return JSON.stringify({
    SchemaVersion: '0.1.0',
    Vendor: 'mountlint',
    Version: version(),
    ShortDescription: 'Find and fix RUN --mount=type=cache problems in Dockerfiles',
    URL: 'https://github.com/mountlint/mountlint',
  });
}

/** Where the docker CLI looks for a user's plugins: $DOCKER_CONFIG/cli-plugins, else ~/.docker/cli-plugins. */
export function pluginFolder(env: NodeJS.ProcessEnv): string {
  const config = env.DOCKER_CONFIG && isAbsolute(env.DOCKER_CONFIG) ? env.DOCKER_CONFIG : join(env.HOME || homedir(), '.docker');
  return join(config, 'cli-plugins');
}

/** bin/mountlint.cjs of this installation (bundled, this module is dist/mountlint.cjs; else dist/src/cli/docker-plugin.js). */
function cliScript(): string {
  const here = fileURLToPath(import.meta.url);
  return resolve(dirname(here), here.endsWith('.cjs') ? '..' : '../../..', 'bin', 'mountlint.cjs');
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** `mountlint install-docker-plugin [--dir DIR]`: exit 0 installed, 2 usage or I/O error (one line; nothing left half-written). */
export function installDockerPlugin(argv: string[], io: CliIO): number {
  let folder = pluginFolder(io.env);
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--dir' && argv[i + 1]) folder = resolve(argv[++i]);
    else if (argv[i] === '-h' || argv[i] === '--help') {
      io.stdout('Usage: mountlint install-docker-plugin [--dir DIR]\n  Installs `docker mountlint` into DIR (default: $DOCKER_CONFIG/cli-plugins, else ~/.docker/cli-plugins).\n');
      return 0;
    } else {
      io.stderr(`mountlint: install-docker-plugin: unknown argument "${argv[i]}"\nRun "mountlint install-docker-plugin --help" for usage.\n`);
      return 2;
    }
  }
  const target = join(folder, 'docker-mountlint');
  const temp = `${target}.${process.pid}.tmp`;
  try {
    mkdirSync(folder, { recursive: true });
    if (inSingleExecutable()) copyFileSync(process.execPath, temp);
    else {
      const script = cliScript();
      if (!existsSync(script)) throw Object.assign(new Error(`${script}: not found`), { code: 'ENOENT' });
      // docker runs `docker-mountlint mountlint ARGS…` (and the metadata command without it).
      writeFileSync(temp, `#!/bin/sh\n# docker mountlint: written by \`mountlint install-docker-plugin\`.\n[ "\${1:-}" = mountlint ] && shift\nexec ${shellQuote(process.execPath)} ${shellQuote(script)} "$@"\n`);
    }
    chmodSync(temp, 0o755);
    renameSync(temp, target);
  } catch (err) {
    try {
      rmSync(temp, { force: true });
    } catch {
      // the folder is not there to hold it (a file on the way, say): nothing was written
    }
    const e = err as NodeJS.ErrnoException;
    io.stderr(`mountlint: install-docker-plugin: ${e.path ?? folder}: ${e.code === 'EACCES' || e.code === 'EPERM' ? 'permission denied' : e.code === 'ENOTDIR' ? 'not a folder' : e.message}\n`);
    return 2;
  }
  io.stdout(`Installed ${target}: run "docker mountlint --help".\n`);
  return 0;
}
