/**
 * `npm run site`: the playground as a static folder, dist/playground (any
 * static host serves it, GitHub Pages included): site/index.html with the
 * seed as its example, one browser bundle of site/playground.ts and the
 * modules of src/ it imports (the CLI's own), and the shell parser's
 * WebAssembly beside it. Node's modules are replaced by site/shim-*.ts.
 */
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(root, 'dist/playground');
const compiled = join(root, 'dist/site');

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [join(compiled, 'playground.js')],
  outfile: join(out, 'playground.js'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['chrome110', 'firefox115', 'safari16'],
  minify: true,
  sourcemap: true,
  alias: {
    'node:fs': join(compiled, 'shim-fs.js'),
    'node:module': join(compiled, 'shim-module.js'),
    'node:path': join(compiled, 'shim-path.js'),
    'node:child_process': join(compiled, 'shim-child-process.js'),
    'node:crypto': join(compiled, 'shim-crypto.js'),
    'node:os': join(compiled, 'shim-os.js'),
  },
  // web-tree-sitter imports these only when it runs under Node.
  external: ['module', 'fs/promises'],
  logLevel: 'warning',
});
const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const example = readFileSync(join(root, 'examples/seed/Dockerfile'), 'utf8');
writeFileSync(join(out, 'index.html'), readFileSync(join(root, 'site/index.html'), 'utf8').replace('@EXAMPLE@', escape(example)));
for (const file of ['web-tree-sitter/tree-sitter.wasm', 'tree-sitter-bash/tree-sitter-bash.wasm', '@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-hcl.wasm']) copyFileSync(join(root, 'node_modules', file), join(out, file.split('/').pop()!));
const size = (f: string) => `${(statSync(join(out, f)).size / 1024).toFixed(0)} KiB`;
console.log(`playground: ${out} (index.html ${size('index.html')}, playground.js ${size('playground.js')}, tree-sitter.wasm ${size('tree-sitter.wasm')}, tree-sitter-bash.wasm ${size('tree-sitter-bash.wasm')})`);
