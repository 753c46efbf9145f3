/**
 * Running builds through the user's Docker CLI: `docker buildx build` when
 * buildx is there, else `DOCKER_BUILDKIT=1 docker build`. Arguments are
 * passed as an array, never through a shell; nothing from the Dockerfile is
 * executed here — the engine runs the build, as `docker build` would.
 */
import { spawn, spawnSync } from 'node:child_process';

export interface DockerSetup {
  bin: string;
  buildx: boolean;
  client: string;
  server: string;
  env: NodeJS.ProcessEnv;
}

export class DockerUnavailable extends Error {}

export function detectDocker(bin: string, env: NodeJS.ProcessEnv): DockerSetup {
  const run = (args: string[]) => spawnSync(bin, args, { env, encoding: 'utf8', timeout: 30_000 });
  const client = run(['version', '--format', '{{.Client.Version}}']);
  if (client.error && (client.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new DockerUnavailable(`the Docker CLI "${bin}" is not installed or not on PATH (install docker.io, or name it with --docker PATH)`);
  }
  const server = run(['version', '--format', '{{.Server.Version}}']);
  if (server.status !== 0 || !server.stdout.trim()) {
    const why = (server.stderr || server.error?.message || '').trim().split('\n').pop();
    throw new DockerUnavailable(`the Docker engine is not reachable (${why || 'no answer'}); start dockerd or set DOCKER_HOST`);
  }
  const buildx = run(['buildx', 'version']).status === 0;
  const clientVersion = client.stdout.trim() || 'unknown';
  if (!buildx && Number.parseInt(clientVersion, 10) >= 23) {
    throw new DockerUnavailable(`Docker CLI ${clientVersion} builds with BuildKit only through the buildx plugin, which is missing (install docker-buildx)`);
  }
  return { bin, buildx, client: clientVersion, server: server.stdout.trim(), env };
}

export interface DockerBuildSpec {
  dockerfile: string;
  context: string;
  target?: string;
  buildArgs: Record<string, string>;
  platforms?: string[];
  builder?: string;
  network?: string;
  /** Written by the engine: the built image's id, so verify can remove it. */
  iidfile: string;
}

export function buildCommand(setup: DockerSetup, req: DockerBuildSpec): { args: string[]; env: NodeJS.ProcessEnv } {
  const args = setup.buildx ? ['buildx', 'build'] : ['build'];
  args.push('--progress=plain', '--no-cache', '--iidfile', req.iidfile, '-f', req.dockerfile);
  if (req.builder) args.push('--builder', req.builder);
  if (req.target) args.push('--target', req.target);
  if (req.network) args.push('--network', req.network);
  if (req.platforms?.length) args.push('--platform', req.platforms.join(','));
  for (const [k, v] of Object.entries(req.buildArgs)) args.push('--build-arg', `${k}=${v}`);
  args.push(req.context);
  const env = setup.buildx ? setup.env : { ...setup.env, DOCKER_BUILDKIT: '1' };
  return { args, env };
}

export interface BuildOutcome {
  code: number;
  log: string;
  ms: number;
  /** The build ran past its time limit and was stopped (its log ends with a line saying so). */
  timedOut?: boolean;
}

export interface CommandOptions {
  cwd?: string;
  /** Stop the command after this long: a step can hang (a mirror that never answers, a tool waiting for a lock forever). */
  timeoutMs?: number;
}

/** Runs one build; `onLine` sees each line of progress as it comes. */
export function runBuild(setup: DockerSetup, req: DockerBuildSpec, onLine: (line: string) => void, options: CommandOptions = {}): Promise<BuildOutcome> {
  const { args, env } = buildCommand(setup, req);
  return runCommand(setup, args, env, onLine, options);
}

/** Runs the Docker CLI with these arguments (never through a shell); `onLine` sees its output line by line. */
export function runCommand(setup: DockerSetup, args: string[], env: NodeJS.ProcessEnv, onLine: (line: string) => void, options: CommandOptions = {}): Promise<BuildOutcome> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(setup.bin, args, { env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    // The client going away cancels the build on the engine (BuildKit ends a solve whose session closed).
    let timedOut = false;
    const limit = options.timeoutMs === undefined ? undefined : setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
    }, options.timeoutMs);
    let log = '';
    let pending = '';
    const take = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      log += text;
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) onLine(line);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', (err) => {
      if (limit) clearTimeout(limit);
      reject(err);
    });
    child.on('close', (code) => {
      if (limit) clearTimeout(limit);
      if (timedOut) log += `\nmountlint: stopped the build after ${Math.round(options.timeoutMs! / 1000)} s (its time limit)\n`;
      resolve({ code: timedOut ? 124 : (code ?? 1), log, ms: performance.now() - started, ...(timedOut ? { timedOut } : {}) });
    });
  });
}
