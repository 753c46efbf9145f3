/**
 * Part of `npm run build`: bundles the CLI into one CommonJS file,
 * dist/mountlint.cjs, and writes the V8 code cache that bin/load-cli.cjs
 * loads it with. Why both: docs/design.md, "Startup of a single CLI run".
 * The language server is a bundle of its own, dist/mountlint-lsp.cjs, which
 * the CLI requires only for `mountlint lsp` (and an editor extension ships).
 */
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import type { CliIO } from '../src/cli/main.js';

interface CliLoader {
  CODE_CACHE: string;
  WORKER_CODE_CACHE: string;
  loadCli(options: { useCodeCache: boolean }): {
    exports: { run(argv: string[], io: CliIO): Promise<number> };
    script: { createCachedData(): Buffer };
    key: Buffer;
  };
  writeCodeCache(script: { createCachedData(): Buffer }, key: Buffer): void;
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const loader = createRequire(import.meta.url)(join(root, 'bin/load-cli.cjs')) as CliLoader;

const common: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  // web-tree-sitter's ES build imports `module` at run time; its CommonJS build does not.
  alias: { 'web-tree-sitter': join(root, 'node_modules/web-tree-sitter/tree-sitter.cjs') },
  // Our modules find their files from import.meta.url; in CommonJS that is the bundle's own URL.
  banner: { js: 'const __bundleUrl = require("node:url").pathToFileURL(__filename).href;' },
  define: { 'import.meta.url': '__bundleUrl' },
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
};

/** In the CLI bundle, `import('../lsp/index.js')` requires the server's bundle beside it, at run time. */
const serverBesideCli: Plugin = {
  name: 'server-beside-cli',
  setup(b) {
    b.onResolve({ filter: /\/lsp\/index\.js$/ }, (args) => (args.importer.includes('/cli/') ? { path: 'mountlint-lsp', namespace: 'server-bundle' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'server-bundle' }, () => ({ contents: 'module.exports = require(require("node:path").join(__dirname, "mountlint-lsp.cjs"));', loader: 'js' }));
  },
};

/**
 * Modules that load at their first call, not when the bundle loads. A static import is
 * evaluated at start-up, used or not; esbuild evaluates a module that is `require`d only at
 * that call, and Node loads a built-in module at its `require`. Measured with --cpu-prof on a
 * 100 ms one-file run here: string-width set itself up for 22 ms (an Intl.Segmenter and
 * Unicode property regexes) though the text report calls it only for lines that are not plain
 * ASCII; node:crypto took 4.5 ms and node:child_process more, for bake files and hashes a
 * plain run never needs. Our own modules import them as usual; the bundle gives them a stand-in
 * with the names listed here (a name not listed fails the build), each loading the module at
 * its first call.
 */
const LAZY: Record<string, string[]> = {
  'string-width': ['default'],
  'node:crypto': ['createHash'],
  'node:child_process': ['spawn', 'spawnSync'],
  // Bake, compose and CI files only: its module code (regexes for YAML's scalars) ran at every start.
  yaml: ['isAlias', 'isMap', 'isScalar', 'isSeq', 'parseDocument', 'LineCounter'],
};
const lazyModules: Plugin = {
  name: 'lazy-modules',
  setup(b) {
    const filter = new RegExp(`^(${Object.keys(LAZY).map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})$`);
    // Only for our own modules' imports: a package's own `require` of a built-in gets the real one.
    b.onResolve({ filter }, (args) => (args.namespace !== 'lazy' && args.kind === 'import-statement' && args.importer.includes('/dist/src/') ? { path: args.path, namespace: 'lazy' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'lazy' }, (args) => {
      const load = `let loaded; const mod = () => (loaded ??= require(${JSON.stringify(args.path)}));`;
      // `new.target`: a class (yaml's LineCounter) is constructed, a function called.
      const call = (name: string) => `return new.target ? new (mod().${name})(...a) : mod().${name}(...a);`;
      const exports = LAZY[args.path].map((name) => (name === 'default' ? `export default function lazy(...a) { ${call('default')} }` : `export function ${name}(...a) { ${call(name)} }`));
      return { contents: [load, ...exports].join('\n'), loader: 'js', resolveDir: root };
    });
  },
};

await build({ ...common, entryPoints: [join(root, 'dist/src/cli/main.js')], outfile: join(root, 'dist/mountlint.cjs'), plugins: [serverBesideCli, lazyModules] });
// The build's id on the bundle's first line (bin/load-cli.cjs keys the code cache with it, without hashing the bundle on every run).
const bundlePath = join(root, 'dist/mountlint.cjs');
const bundled = readFileSync(bundlePath);
writeFileSync(bundlePath, Buffer.concat([Buffer.from(`// mountlint build ${createHash('sha256').update(bundled).digest('hex').slice(0, 32)}\n`), bundled]));
await build({
  ...common,
  entryPoints: [join(root, 'dist/src/lsp/index.js')],
  outfile: join(root, 'dist/mountlint-lsp.cjs'),
  // Run directly (`node mountlint-lsp.cjs --stdio`, as an editor extension starts it), it starts the server.
  footer: { js: 'if (require.main === module) { const code = module.exports.runServer(process.argv.slice(2), (s) => process.stderr.write(s)); if (code !== undefined) process.exitCode = code; }' },
});

// The shell parser's and the bake HCL parser's WebAssembly, beside the bundle (see wasmFile in src/commands/bash-parser.ts).
for (const file of ['web-tree-sitter/tree-sitter.wasm', 'tree-sitter-bash/tree-sitter-bash.wasm', '@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-hcl.wasm']) {
  copyFileSync(join(root, 'node_modules', file), join(root, 'dist', file.split('/').pop()!));
}

// The cache holds the functions compiled while it ran, so run the paths a
// check takes: text and JSON reports of a file with findings, and explain.
// Only runs that never load the shell parser: the CLI sets V8 flags before
// loading it, and V8 rejects a cache made under other flags (checked below).
const { exports: cli, script, key } = loader.loadCli({ useCodeCache: false });
const quiet: CliIO = { stdout: () => {}, stderr: () => {}, isTTY: false, env: {} };
const seed = join(root, 'examples/seed/Dockerfile');
for (const argv of [[seed], [seed, '--format', 'json'], ['explain', seed]]) await cli.run(argv, quiet);
loader.writeCodeCache(script, key);

// A cache V8 rejects would only cost time, silently: check it in a fresh process.
const check = `const { loadCli } = require(${JSON.stringify(join(root, 'bin/load-cli.cjs'))}); process.stdout.write(String(loadCli().cacheUsed));`;
if (execFileSync(process.execPath, ['-e', check], { encoding: 'utf8' }) !== 'true') throw new Error(`the CLI does not use ${loader.CODE_CACHE} (V8 rejects it, or its key is wrong)`);

// The worker threads' cache (src/cli/pool.ts): made in a process under the
// shell parser's flags, by runs that lint on the main thread alone the way a
// worker does (simple scripts and one that needs tree-sitter; lint and fix).
const loaderPath = JSON.stringify(join(root, 'bin/load-cli.cjs'));
const scratch = mkdtempSync(join(tmpdir(), 'mountlint-build-'));
try {
  copyFileSync(seed, join(scratch, 'seed.Dockerfile'));
  writeFileSync(join(scratch, 'scripted.Dockerfile'), 'FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache/pip if [ -f requirements.txt ]; then pip install -r requirements.txt; fi\n');
  const warm = `const { loadCli, writeCodeCache, WORKER_CODE_CACHE } = require(${loaderPath});
const loaded = loadCli({ useCodeCache: false, worker: true });
const quiet = { stdout: () => {}, stderr: () => {}, isTTY: false, env: {} };
(async () => {
  for (const argv of [[], ['--format', 'json'], ['--diff']]) await loaded.exports.run([${JSON.stringify(scratch)}, '--jobs', '1', '--no-config', ...argv], quiet);
  writeCodeCache(loaded.script, loaded.key, WORKER_CODE_CACHE);
})();`;
  execFileSync(process.execPath, ['--liftoff-only', '--wasm-lazy-compilation', '-e', warm], { stdio: 'inherit' });
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
// Checked as a worker meets it: the flags set at run time, then a worker thread loads the bundle.
const workerCheck = `require('node:v8').setFlagsFromString('--liftoff-only --wasm-lazy-compilation');
const { Worker } = require('node:worker_threads');
const code = 'const { loadCli } = require(' + ${JSON.stringify(loaderPath)} + '); require("node:worker_threads").parentPort.postMessage(loadCli({ worker: true }).cacheUsed);';
const worker = new Worker(code, { eval: true });
worker.on('message', (used) => { process.stdout.write(String(used)); worker.terminate(); });`;
if (execFileSync(process.execPath, ['-e', workerCheck], { encoding: 'utf8' }) !== 'true') throw new Error(`worker threads do not use ${loader.WORKER_CODE_CACHE} (V8 rejects it, or its key is wrong)`);
