/**
 * The `mountlint` command: parse arguments, run one command (one module
 * each: check.ts, explain.ts, verify.ts), exit 0 / 1 / 2.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DefinitionError, DefinitionReadError } from '../builds/index.js';
import { BuildOptionError } from '../model/index.js';
import { HELP, parseCli, UsageError } from './args.js';
import { checkCommand } from './check.js';
import { explainCommand } from './explain.js';
import type { CliIO } from './io.js';
import { verifyCommand } from './verify.js';

export type { CliIO } from './io.js';

export async function run(argv: string[], io: CliIO): Promise<number> {
  try {
    const request = parseCli(argv);
    switch (request.command) {
      case 'help':
        io.stdout(HELP);
        return 0;
      case 'version':
        io.stdout(version() + '\n');
        return 0;
      case 'verify':
        return await verifyCommand(request, io);
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
    if (err instanceof UsageError || err instanceof BuildOptionError || err instanceof DefinitionReadError) {
      io.stderr(`mountlint: ${err.message}\nRun "mountlint --help" for usage.\n`);
      return 2;
    }
    throw err;
  }
}

/** The package's version, from the nearest package.json above this module (bundled or not). */
function version(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}
