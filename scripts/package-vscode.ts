/**
 * `npm run package:vscode`: the VS Code extension (editors/vscode) as a
 * .vsix, with the language server bundled in it. Type-checks the extension,
 * bundles it with esbuild (vscode-languageclient inside, `vscode` left to
 * VS Code), copies the server bundle and the WebAssembly it loads into
 * server/, and packages with @vscode/vsce. Prints the .vsix path.
 * Needs `npm run build` first and the extension's own dependencies
 * (`npm ci --prefix editors/vscode`).
 */
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const extension = join(root, 'editors/vscode');
const vsce = join(extension, 'node_modules/@vscode/vsce/vsce');
if (!existsSync(vsce)) {
  process.stderr.write('package:vscode: the extension\'s dependencies are missing: run npm ci --prefix editors/vscode --ignore-scripts\n');
  process.exit(2);
}
const version = (JSON.parse(readFileSync(join(extension, 'package.json'), 'utf8')) as { version: string }).version;

execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(extension, 'tsconfig.json')], { stdio: 'inherit' });
await build({
  entryPoints: [join(extension, 'src/extension.ts')],
  outfile: join(extension, 'dist/extension.js'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  external: ['vscode'],
  logLevel: 'warning',
});

const server = join(extension, 'server');
rmSync(server, { recursive: true, force: true });
mkdirSync(server);
for (const file of ['mountlint-lsp.cjs', ...readdirSync(join(root, 'dist')).filter((f) => f.endsWith('.wasm'))]) copyFileSync(join(root, 'dist', file), join(server, file));

const vsix = join(extension, `mountlint-${version}.vsix`);
execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--skip-license', '--out', vsix], { cwd: extension, stdio: ['ignore', 'ignore', 'inherit'] });
process.stdout.write(vsix + '\n');
