/** `mountlint verify FILE`: run the build for real, from cold caches, and show what fails. */
import { definitionKind, readBuildPlan } from '../builds/index.js';
import { progressLine, verifyBakeText, verifyText } from '../report/index.js';
import type { ProgressEvent } from '../verify/index.js';
import { UsageError } from './errors.js';
import { splitDefinitions } from './builds.js';
import type { CliRequest } from './args.js';
import { readInput } from './files.js';
import type { CliIO } from './io.js';
import { prepareShellParser } from './shell-parser.js';

export async function verifyCommand(request: CliRequest, io: CliIO): Promise<number> {
  const path = request.paths[0];
  if (splitDefinitions([path]).definitions.length) return verifyBuilds(request, io);
  const { text } = readInput(path); // a clear message before anything runs
  // Loaded only here: verify needs child_process, http and os, which cost a
  // check run ~8 ms of startup (measured) for nothing.
  const { DockerUnavailable, verify } = await import('../verify/index.js');
  await prepareShellParser();
  const result = await verify({
    file: path,
    text,
    runs: request.runs,
    timeoutMs: request.timeoutMs,
    target: request.target,
    buildArgs: request.buildArgs,
    platforms: request.platforms,
    frontend: request.frontend,
    builder: request.builder,
    network: request.network,
    context: request.context,
    dockerBin: request.docker,
    fixStrategy: request.fixStrategy,
    env: io.env,
    onProgress: progressPrinter(io),
  }).catch(unavailable(io, DockerUnavailable));
  if (!result) return 2;
  io.stdout(request.format === 'json' ? JSON.stringify(result, (k, v) => (k === 'prediction' ? undefined : v), 2) + '\n' : verifyText(path, result));
  return verdict(io, [result.original, result.fixed]);
}

/**
 * 0 when every run passed, 1 when a build failed, 2 when every failure was the
 * engine's (no network, no base image, no disk): then nothing was verified.
 */
function verdict(io: CliIO, variants: Array<{ runs: Array<{ ok: boolean; failure?: { message: string; infrastructure?: { meaning: string; remedy: string } } }> } | undefined>): number {
  const failures = variants.flatMap((v) => v?.runs ?? []).filter((r) => !r.ok);
  if (!failures.length) return 0;
  const engine = failures.filter((r) => r.failure?.infrastructure);
  if (engine.length < failures.length) return 1;
  const { message, infrastructure } = engine[0].failure!;
  io.stderr(`mountlint: the build could not run on this engine: ${infrastructure!.meaning} (the engine said: ${message}); ${infrastructure!.remedy}\n`);
  return 2;
}

/**
 * `mountlint verify docker-bake.hcl` / `compose.yaml`: the whole request,
 * with `docker buildx bake` (compose files too: that is how Compose builds
 * since 2.37), from cold caches; failures mapped to target, file and line.
 */
async function verifyBuilds(request: CliRequest, io: CliIO): Promise<number> {
  const path = request.paths[0];
  // A bake file runs where `docker buildx bake -f FILE` would (here, or --workdir), as check reads it; compose files in their own folder.
  const cwd = definitionKind(path) === 'compose' ? undefined : (request.workdir ?? '.');
  const plan = await readBuildPlan([path], { env: io.env, bakeTargets: request.bakeTargets, services: request.services, cwd, envFiles: request.envFiles, profiles: request.profiles });
  const bakeRequest = plan.requests[0];
  if (plan.requests.length !== 1 || !/^docker (buildx bake|compose build)/.test(bakeRequest.label)) {
    throw new UsageError(`verify runs bake and compose files; for a CI workflow, verify the bake or compose file (or Dockerfile) its step builds`);
  }
  const { DockerUnavailable, verifyBake } = await import('../verify/index.js');
  await prepareShellParser();
  const result = await verifyBake({
    files: [path],
    cwd,
    request: bakeRequest,
    bakeTargets: [...(request.bakeTargets ?? []), ...(request.services ?? [])],
    runs: request.runs,
    timeoutMs: request.timeoutMs,
    network: request.network,
    builder: request.builder,
    dockerBin: request.docker,
    env: io.env,
    fixStrategy: request.fixStrategy,
    onProgress: progressPrinter(io),
  }).catch(unavailable(io, DockerUnavailable));
  if (!result) return 2;
  io.stdout(request.format === 'json' ? JSON.stringify(result, (k, v) => (k === 'prediction' ? undefined : v), 2) + '\n' : verifyBakeText(path, result));
  return verdict(io, [result.original, result.fixed]);
}

/** Progress on standard error: one line replaced in place on a terminal, a line per change elsewhere. */
function progressPrinter(io: CliIO): (event: ProgressEvent) => void {
  let last = '';
  return (event) => {
    const line = progressLine(event);
    if (io.isTTY) io.stderr(`\r\x1b[K${line}${event.finished ? '\n' : ''}`);
    else if (event.finished || line.split('  ').pop() !== last.split('  ').pop()) io.stderr(line + '\n');
    last = line;
  };
}

/** Docker or BuildKit missing: a message and no result (exit 2). */
function unavailable(io: CliIO, kind: new (...args: never[]) => Error): (err: unknown) => undefined {
  return (err) => {
    if (!(err instanceof kind)) throw err;
    io.stderr(`mountlint verify: Docker or BuildKit is not available: ${(err as Error).message}\n`);
    return undefined;
  };
}
