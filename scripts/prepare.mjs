#!/usr/bin/env node
// npm's `prepare` lifecycle: builds the package when it is installed from its
// sources (`npm install` in a checkout, an install from git, pre-commit's
// install of the hook) and before `npm pack` and `npm publish`.
//
// Plain JavaScript, since it runs before anything is compiled. What it does
// beyond `npm run build` is for pre-commit, which installs a node hook from
// the hook's repository:
// - pre-commit before 4.6.1 runs `npm install` there, then `npm pack`, and
//   takes all of `npm pack`'s standard output as the tarball's name. So the
//   build's output goes to standard error (npm's own banner is kept off
//   standard output by `foreground-scripts=false` in .npmrc).
// - Both that and pre-commit 4.6.1 and later (`npm install -g git+file://…`,
//   where npm prepares the clone and then runs prepare again as it packs it)
//   run this script twice on the same sources. So the build is skipped when
//   every output is newer than every input, as make decides (never for
//   `npm publish`, which always builds).
// - npm 10 and 11 prepare a package installed globally from git without its
//   devDependencies: the inner `npm install` in the clone inherits --global
//   and installs elsewhere (npm/cli#8440; npm 12 passes --global=false,
//   pacote#494). The build needs TypeScript and esbuild, so when they are
//   missing they are installed from the lock file first.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const INPUTS = ['src', 'scripts', 'test', 'package.json', 'package-lock.json', 'tsconfig.json'];
const OUTPUTS = ['dist/src/index.js', 'dist/src/config/schema-validator.js', 'dist/mountlint.cjs', 'dist/mountlint.cjs.cache'];

/** Modification times (ms) of a file, or of every file below a folder. */
function mtimes(path) {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return [];
  if (!stat.isDirectory()) return [stat.mtimeMs];
  return readdirSync(path).flatMap((name) => mtimes(join(path, name)));
}

function upToDate() {
  const outputs = OUTPUTS.map((f) => statSync(join(root, f), { throwIfNoEntry: false })?.mtimeMs);
  if (outputs.some((t) => t === undefined)) return false;
  return Math.min(...outputs) > Math.max(...INPUTS.flatMap((f) => mtimes(join(root, f))));
}

/** Runs the npm that runs this script, its output on our standard error; true when it succeeds. */
function npm(...args) {
  const cli = process.env.npm_execpath;
  const r = cli ? spawnSync(process.execPath, [cli, ...args], { cwd: root, stdio: ['ignore', 2, 2] }) : spawnSync('npm', args, { cwd: root, stdio: ['ignore', 2, 2] });
  if (r.error) process.stderr.write(`mountlint: cannot run npm ${args[0]}: ${r.error.message}\n`);
  return r.status === 0;
}

if (process.env.npm_command !== 'publish' && upToDate()) {
  process.stderr.write('mountlint: dist/ is newer than its sources, not rebuilding\n');
} else {
  const haveDevDependencies = existsSync(join(root, 'node_modules/typescript/package.json'));
  if (!haveDevDependencies) process.stderr.write('mountlint: the build tools are not installed here, installing them (package-lock.json)\n');
  const ok = (haveDevDependencies || npm('install', '--global=false', '--include=dev', '--ignore-scripts', '--no-save', '--no-audit', '--no-fund')) && npm('run', 'build');
  process.exitCode = ok ? 0 : 1;
}
