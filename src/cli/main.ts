/** The `mountlint` command: parse arguments, lint or explain, report, exit 0 / 1 / 2. */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixText, lintTextLoadingParser, prepare, type LintOptions, type LintResult } from '../engine/index.js';
import { BuildOptionError } from '../model/index.js';
import { explain, explainText, jsonReport, progressLine, textReport, unifiedDiff, verifyText } from '../report/index.js';
import { HELP, parseCli, UsageError, type CliRequest } from './args.js';
import { findFiles, readInput, writeAtomically } from './files.js';

export interface CliIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  try {
    const request = parseCli(argv);
    if (request.command === 'help') {
      io.stdout(HELP);
      return 0;
    }
    if (request.command === 'version') {
      io.stdout(version() + '\n');
      return 0;
    }
    if (request.command === 'verify') return await verifyCommand(request, io);
    return request.command === 'explain' ? await explainCommand(request, io) : await checkCommand(request, io);
  } catch (err) {
    if (err instanceof UsageError || err instanceof BuildOptionError) {
      io.stderr(`mountlint: ${err.message}\nRun "mountlint --help" for usage.\n`);
      return 2;
    }
    throw err;
  }
}

function lintOptions(r: CliRequest): LintOptions {
  return { target: r.target, buildArgs: r.buildArgs, platforms: r.platforms, frontend: r.frontend, fixStrategy: r.fixStrategy, unsafeFixes: r.unsafeFixes };
}

function displayPath(path: string): string {
  return path === '-' ? '<stdin>' : path;
}

async function checkCommand(request: CliRequest, io: CliIO): Promise<number> {
  const files = findFiles(request.paths);
  if (files.length === 0) throw new UsageError(`no Dockerfiles found in ${request.paths.join(', ')}`);
  const options = lintOptions(request);
  const results: LintResult[] = [];
  for (const path of files) {
    const text = readInput(path);
    const linted = await lintTextLoadingParser(text, displayPath(path), options, prepareShellParser);
    if (request.fix || request.diff) {
      await prepareShellParser(); // fixing lints again, and a fix may write a script only tree-sitter reads
      const fixed = fixText(text, displayPath(path), options, linted);
      if (request.diff) io.stdout(unifiedDiff(displayPath(path), text, fixed.output));
      else if (fixed.changed) {
        if (path === '-') io.stdout(fixed.output);
        else writeAtomically(path, fixed.output);
      }
      results.push(fixed.result);
    } else {
      results.push(linted);
    }
  }
  const report = request.format === 'json' ? jsonReport(results) : textReport(results, { color: useColor(request, io) });
  // With --diff or --fix on stdin, stdout carries the patch or file; the report goes to stderr.
  if (request.diff || (request.fix && files.includes('-'))) io.stderr(report);
  else io.stdout(report);
  return results.some((r) => r.diagnostics.some((d) => d.severity === 'error')) ? 1 : 0;
}

async function explainCommand(request: CliRequest, io: CliIO): Promise<number> {
  const path = request.paths[0];
  const text = readInput(path);
  const result = await lintTextLoadingParser(text, displayPath(path), lintOptions(request), prepareShellParser);
  const explanation = explain(result);
  if (!explanation) {
    // The file does not build: show why instead.
    io.stderr(textReport([result], { color: useColor(request, io) }));
    return 1;
  }
  io.stdout(request.format === 'json' ? JSON.stringify(explanation, null, 2) + '\n' : explainText(displayPath(path), explanation));
  return 0;
}

async function verifyCommand(request: CliRequest, io: CliIO): Promise<number> {
  const path = request.paths[0];
  const text = readInput(path); // a clear usage error before anything runs
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

/**
 * The shell parser's WebAssembly is compiled by V8's baseline compiler, lazily:
 * with the optimising tier a CLI run waited ~0.4 s at exit for a compile it no
 * longer needed (measured: 0.62 s against 0.16 s). Set only when the parser is
 * needed: a run whose scripts are all simple never loads node:v8 (~1.7 ms).
 */
let shellParserReady: Promise<void> | undefined;

function prepareShellParser(): Promise<void> {
  // Once per process: --fix over many files asks for every file.
  shellParserReady ??= (async () => {
    // require, not import(): the bundle runs as a vm script, which has no dynamic import.
    const { setFlagsFromString } = createRequire(import.meta.url)('node:v8') as typeof import('node:v8');
    setFlagsFromString('--liftoff-only --wasm-lazy-compilation');
    await prepare();
  })();
  return shellParserReady;
}

function useColor(request: CliRequest, io: CliIO): boolean {
  if (request.color !== undefined) return request.color;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  return io.isTTY;
}

/** The package's version, from the nearest package.json above this module (bundled or not). */
function version(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}
