/**
 * `npm run build:sea`: mountlint as one executable file (Node's single
 * executable applications), dist/sea/mountlint-linux-x64 (the machine's own
 * platform and architecture), for a machine without Node.
 *  - the CLI is bundled again with a few changes (the language server's
 *    bundle comes from the executable's assets, the CLI runs at the end);
 *  - the executable carries, as assets, the language server's bundle, the
 *    three WebAssembly parsers and package.json (src/commands/sea.ts);
 *  - V8's code cache of the main script is made at build time (useCodeCache);
 *  - the blob goes into a copy of this Node (without its symbols, where
 *    `strip` is installed: 13 MB less) with postject.
 * Run after `npm run build`; an argument names another output folder. Prints the executable's path.
 */
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = resolve(process.argv[2] ?? join(root, 'dist/sea'));
const platform = `${process.platform}-${process.arch}`;
const executable = join(out, `mountlint-${platform}`);
const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

// The main script. Inside a single executable `require` loads Node's own modules only, which is all the bundle needs.
await build({
  bundle: true,
  platform: 'node',
  format: 'cjs',
  entryPoints: [join(root, 'dist/src/cli/main.js')],
  outfile: join(out, 'main.cjs'),
  alias: { 'web-tree-sitter': join(root, 'node_modules/web-tree-sitter/tree-sitter.cjs') },
  banner: { js: 'const __bundleUrl = require("node:url").pathToFileURL(process.execPath).href;' },
  define: { 'import.meta.url': '__bundleUrl' },
  logLevel: 'warning',
  plugins: [
    {
      name: 'server-from-assets',
      setup(b) {
        b.onResolve({ filter: /\/lsp\/index\.js$/ }, (args) => (args.importer.includes('/cli/') ? { path: 'mountlint-lsp', namespace: 'server-asset' } : undefined));
        // The server's bundle, compiled from the asset; what it requires, from Node's own modules.
        b.onLoad({ filter: /.*/, namespace: 'server-asset' }, () => ({
          loader: 'js',
          contents: `const code = require('node:sea').getAsset('mountlint-lsp.cjs', 'utf8');
const fn = new (require('node:vm').Script)('(function (exports, require, module, __filename, __dirname) {' + code + '\\n})', { filename: 'mountlint-lsp.cjs' }).runInThisContext();
const server = { exports: {} };
fn(server.exports, require('node:module').createRequire(process.execPath), server, process.execPath, require('node:path').dirname(process.execPath));
module.exports = server.exports;`,
        }));
      },
    },
  ],
  // Run the CLI as bin/mountlint.cjs does. As a Docker CLI plugin (docker-mountlint), docker passes "mountlint" first.
  footer: {
    js: `for (const stream of [process.stdout, process.stderr]) stream.on('error', (err) => { if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0); throw err; });
const argv = process.argv.slice(2);
if (require('node:path').basename(process.execPath).startsWith('docker-') && argv[0] === 'mountlint') argv.shift();
module.exports.run(argv, { stdout: (s) => process.stdout.write(s), stdoutBytes: (b) => process.stdout.write(b), stderr: (s) => process.stderr.write(s), isTTY: Boolean(process.stdout.isTTY), env: process.env }).then((code) => { process.exitCode = code; });`,
  },
});

const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string };
writeFileSync(join(out, 'package.json'), JSON.stringify({ name: pkg.name, version: pkg.version }));
const assets: Record<string, string> = { 'mountlint-lsp.cjs': join(root, 'dist/mountlint-lsp.cjs'), 'package.json': join(out, 'package.json') };
for (const file of ['tree-sitter.wasm', 'tree-sitter-bash.wasm', 'tree-sitter-hcl.wasm']) assets[file] = join(root, 'dist', file);
const config = join(out, 'sea-config.json');
const blob = join(out, 'sea-prep.blob');
writeFileSync(config, JSON.stringify({ main: join(out, 'main.cjs'), output: blob, disableExperimentalSEAWarning: true, useCodeCache: true, assets }, null, 2));
execFileSync(process.execPath, ['--experimental-sea-config', config], { stdio: 'pipe' });

copyFileSync(process.execPath, executable);
chmodSync(executable, 0o755);
try {
  execFileSync('strip', ['--strip-all', executable], { stdio: 'ignore' });
} catch {
  // no strip here: the executable keeps Node's symbols
}
// postject's command in a process of its own: its ELF library prints warnings about Node's notes we do not want shown.
try {
  execFileSync(process.execPath, [require.resolve('postject/dist/cli.js'), executable, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', FUSE], { stdio: 'pipe' });
} catch (err) {
  const e = err as { stdout?: Buffer; stderr?: Buffer };
  throw new Error(`postject failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
}

// It must run on its own: the version, from its assets.
const printed = execFileSync(executable, ['--version'], { encoding: 'utf8', env: { PATH: '' } });
if (!printed.startsWith(pkg.version)) throw new Error(`${executable} --version printed ${JSON.stringify(printed)}`);
for (const f of ['main.cjs', 'package.json', 'sea-config.json', 'sea-prep.blob']) rmSync(join(out, f));
process.stdout.write(`${executable} (${(statSync(executable).size / 1e6).toFixed(1)} MB)\n`);
