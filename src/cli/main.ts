/**
 * The `mountlint` command: parse arguments, run one command (one module
 * each: check.ts, explain.ts, verify.ts), exit 0 / 1 / 2.
 */
import { DefinitionError, DefinitionReadError } from '../builds/index.js';
import { ConfigError } from '../config/index.js';
import { knowledgeFingerprint } from '../knowledge/index.js';
import { BuildOptionError } from '../model/index.js';
import { AnalysisLimitError } from '../syntax/index.js';
import { HELP, parseCli } from './args.js';
import { FileProblem, UsageError } from './errors.js';
import { checkCommand } from './check.js';
import { installDockerPlugin, pluginMetadata, PLUGIN_METADATA_COMMAND } from './docker-plugin.js';
import { explainCommand } from './explain.js';
import type { CliIO } from './io.js';
import { verifyCommand } from './verify.js';
import { version } from './version.js';

export type { CliIO } from './io.js';
export { shellParserLoaded } from './shell-parser.js';
/** A worker thread of a parallel run starts here (pool.ts). */
export { lintWorker } from './worker.js';

export async function run(argv: string[], io: CliIO): Promise<number> {
  if (argv[0] === 'lsp') return await lspCommand(argv.slice(1), io);
  if (argv[0] === PLUGIN_METADATA_COMMAND) {
    io.stdout(pluginMetadata() + '\n');
    return 0;
  }
  if (argv[0] === 'install-docker-plugin') return installDockerPlugin(argv.slice(1), io);
  try {
    const request = parseCli(argv, io.env);
    switch (request.command) {
      case 'help':
        io.stdout(HELP);
        return 0;
      case 'version':
        io.stdout(`${version()}\n${knowledgeLine()}\n`);
        return 0;
      case 'verify':
        return await verifyCommand(request, io);
      case 'diagnose':
        // Loaded only here: diagnose reads verify's log parser, which brings child_process and http (see verify.ts).
        return await (await import('./diagnose.js')).diagnoseCommand(request, io);
      case 'explain':
        return await explainCommand(request, io);
      default:
        return await checkCommand(request, io);
    }
  } catch (err) {
    if (err instanceof DefinitionError) {
      io.stderr(`mountlint: ${err.describe()}\n`);
      return 2;
    }
    if (err instanceof ConfigError) {
      io.stderr(`mountlint: ${err.message}\n`);
      return 2;
    }
    if (err instanceof UsageError || err instanceof BuildOptionError || err instanceof DefinitionReadError) {
      io.stderr(`mountlint: ${err.message}\nRun "mountlint --help" for usage.\n`);
      return 2;
    }
    if (err instanceof AnalysisLimitError) {
      io.stderr(`mountlint: ${err.message}\n`);
      return 2;
    }
    if (err instanceof FileProblem) {
      io.stderr(`mountlint: ${err.message}\n`);
      return 2;
    }
    // A bug of ours: one line, and the stack only when asked for.
    io.stderr(`mountlint: internal error: ${err instanceof Error ? err.message : String(err)} (please report it; MOUNTLINT_DEBUG=1 shows where)\n`);
    if (io.env.MOUNTLINT_DEBUG) io.stderr(`${err instanceof Error ? err.stack : ''}\n`);
    return 2;
  }
}

/** The knowledge set's version, so that a report can say which knowledge judged it. */
function knowledgeLine(): string {
  const k = knowledgeFingerprint();
  return `knowledge ${k.hash}: ${k.tools} tools, ${k.images} images, ${k.sources} sources of evidence, ${k.observedRaces} observed races`;
}

/**
 * `mountlint lsp --stdio`. Loaded only here (in the bundle: a bundle of its
 * own, dist/mountlint-lsp.cjs), so a check run never loads the language
 * server's libraries. The server loads the shell parser itself, with V8's
 * defaults: it lives long enough for the optimising tier to pay off.
 */
async function lspCommand(argv: string[], io: CliIO): Promise<number> {
  const { runServer } = await import('../lsp/index.js');
  return runServer(argv, io.stderr) ?? new Promise<number>(() => {}); // the server ends the process on "exit"
}
