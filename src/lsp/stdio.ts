/** Starts the server on standard input and output, as `mountlint lsp --stdio` (and an editor extension) runs it. */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server.js';

export const LSP_USAGE = 'Usage: mountlint lsp --stdio   (the language server, speaking LSP on standard input and output)\n';

/** Returns when the connection is set up; the process then lives until the client says exit. */
export function runServer(argv: string[], stderr: (s: string) => void): number | undefined {
  if (argv.includes('--help') || argv.includes('-h')) {
    stderr(LSP_USAGE);
    return 0;
  }
  const unknown = argv.filter((a) => a !== '--stdio');
  if (unknown.length) {
    stderr(`mountlint lsp: unknown option ${unknown[0]} (only --stdio is supported)\n${LSP_USAGE}`);
    return 2;
  }
  // An error outside a request (a timer, a stream) is logged, never fatal: the editor keeps its server.
  process.on('uncaughtException', (err) => stderr(`mountlint lsp: ${err.stack ?? err}\n`));
  process.on('unhandledRejection', (err) => stderr(`mountlint lsp: ${(err as Error)?.stack ?? err}\n`));
  startServer(createConnection(ProposedFeatures.all, process.stdin, process.stdout));
  return undefined;
}
