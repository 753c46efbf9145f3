/**
 * `npm run test:unit`: the fast inner loop — every test but the suites that drive
 * outside programs (browsers, editors, pre-commit, Docker engines, the shipped
 * packages) or run many whole processes. `npm test` stays the full run.
 * Runs the compiled tests (npm run test:unit builds first).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
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

// Every file in one process: node --test gives each file a process of its own, which loads the
// modules and the shell parser again each time. Measured here (2 cores, a CI run beside it):
// 37.9 s wall and 47.4 CPU s with a process per file, 29.1 s and 25.6 CPU s in one. The files
// restore what they change (the working directory, the environment), so they can share it;
// `npm test` still runs each file alone.
// Outside dist/test: node --test runs every script under a folder named test.
const entry = join(ROOT, 'dist/unit-entry.mjs');
writeFileSync(entry, files(TESTS).map((f) => `await import(${JSON.stringify(f)});`).join('\n') + '\n');
const r = spawnSync(process.execPath, ['--test', '--test-reporter=spec', entry], { stdio: 'inherit' });
process.exit(r.status ?? 1);
