/**
 * `npm run test:unit`: the fast inner loop — every test but the suites that drive
 * outside programs (browsers, editors, pre-commit, Docker engines, the shipped
 * packages) or run many whole processes. `npm test` stays the full run.
 * Runs the compiled tests (npm run test:unit builds first).
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TESTS = join(ROOT, 'dist/test');
/**
 * Folders and files of the slow suites, relative to dist/test: browsers, editors, pre-commit and
 * the shipped packages; Docker (docker-compare); and the suites that run the CLI as a process
 * dozens of times (parallel, the result cache, bake/compose from the command line: 20 s of the
 * 55 s that every file run one after another took here).
 */
const SLOW = [
  'browser', 'editors', 'ship', 'ci', 'package.test.js', 'builds/docker-compare.test.js', 'lsp/neovim.test.js',
  'cli/parallel.test.js', 'cli/robustness-non-root.test.js', 'cli/result-cache.test.js', 'builds/cli.test.js',
];

function files(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    const rel = relative(TESTS, p);
    if (SLOW.includes(rel)) return [];
    return statSync(p).isDirectory() ? files(p) : n.endsWith('.test.js') ? [p] : [];
  });
}

// One test file per core (node's default leaves one core free: on two cores, one file at a time).
const r = spawnSync(process.execPath, ['--test', `--test-concurrency=${availableParallelism()}`, '--test-reporter=spec', ...files(TESTS)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
