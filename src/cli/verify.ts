/** `mountlint verify FILE`: run the build for real, from cold caches, and show what fails. */
import { progressLine, verifyText } from '../report/index.js';
import type { CliRequest } from './args.js';
import { readInput } from './files.js';
import type { CliIO } from './io.js';
import { prepareShellParser } from './shell-parser.js';

export async function verifyCommand(request: CliRequest, io: CliIO): Promise<number> {
  const path = request.paths[0];
  const { text } = readInput(path); // a clear message before anything runs
  // Loaded only here: verify needs child_process, http and os, which cost a
  // check run ~8 ms of startup (measured) for nothing.
  const { DockerUnavailable, verify } = await import('../verify/index.js');
  await prepareShellParser();
  let last = '';
  const result = await verify({
    file: path,
    text,
    runs: request.runs,
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
    onProgress(event) {
      const line = progressLine(event);
      if (io.isTTY) io.stderr(`\r\x1b[K${line}${event.finished ? '\n' : ''}`);
      else if (event.finished || line.split('  ').pop() !== last.split('  ').pop()) io.stderr(line + '\n');
      last = line;
    },
  }).catch((err: unknown) => {
    if (!(err instanceof DockerUnavailable)) throw err;
    io.stderr(`mountlint verify: Docker or BuildKit is not available: ${err.message}\n`);
    return undefined;
  });
  if (!result) return 2;
  io.stdout(request.format === 'json' ? JSON.stringify(result, (k, v) => (k === 'prediction' ? undefined : v), 2) + '\n' : verifyText(path, result));
  const failed = [result.original, result.fixed].some((v) => v?.runs.some((r) => !r.ok));
  return failed ? 1 : 0;
}
