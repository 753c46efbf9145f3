/** `mountlint explain FILE`: what BuildKit will do with the file for this build. */
import { lintTextLoadingParser } from '../engine/index.js';
import { explain, explainText, textReport } from '../report/index.js';
import type { CliRequest } from './args.js';
import { lintOptions } from './check.js';
import { readInput } from './files.js';
import { displayPath, useColor, type CliIO } from './io.js';
import { prepareShellParser } from './shell-parser.js';

export async function explainCommand(request: CliRequest, io: CliIO): Promise<number> {
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
