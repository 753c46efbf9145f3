/**
 * The VS Code extension packages to a .vsix (npm run package:vscode, with
 * @vscode/vsce) that holds the extension and the language server, and the
 * server as packaged starts on its own and finds the seed's race. VS Code
 * itself is not run here (no VS Code build can be installed on these
 * machines): the extension's code is type-checked against @types/vscode.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { byRule, CAPABILITIES, startClient } from '../helpers/lsp-client.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { scratchDir } from '../helpers/scratch.js';

const EXTENSION = join(REPO_ROOT, 'editors/vscode');
const missing = existsSync(join(EXTENSION, 'node_modules/@vscode/vsce')) ? undefined : "the extension's dependencies are not installed: npm ci --prefix editors/vscode --ignore-scripts (.ci/run does)";
// In CI (.ci/run installs them) missing dependencies are a failure, not a skip.
const skip = missing && process.env.CI !== 'true' ? missing : false;

interface ZipEntry {
  fileName: string;
}
interface ZipFile {
  readEntry(): void;
  on(event: 'entry', f: (e: ZipEntry) => void): void;
  on(event: 'end', f: () => void): void;
  openReadStream(e: ZipEntry, f: (err: Error | null, s: NodeJS.ReadableStream) => void): void;
}

/** Every file of the .vsix (a zip), read with yauzl (which @vscode/vsce itself uses). */
async function unzip(file: string): Promise<Map<string, Buffer>> {
  const yauzl = createRequire(join(EXTENSION, 'package.json'))('yauzl') as { open(p: string, o: object, f: (err: Error | null, z: ZipFile) => void): void };
  const zip = await new Promise<ZipFile>((resolve, reject) => yauzl.open(file, { lazyEntries: true }, (err, z) => (err ? reject(err) : resolve(z))));
  const files = new Map<string, Buffer>();
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry) => {
      zip.openReadStream(entry, (err, stream) => {
        if (err) return reject(err);
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          files.set(entry.fileName, Buffer.concat(chunks));
          zip.readEntry();
        });
      });
    });
    zip.on('end', resolve);
    zip.readEntry();
  });
  return files;
}

describe('the VS Code extension', { skip }, () => {
  it('packages to a .vsix holding the extension and the server, and the packaged server lints the seed', async () => {
    assert.equal(missing, undefined);
    const vsix = execFileSync(process.execPath, [join(REPO_ROOT, 'dist/scripts/package-vscode.js')], { encoding: 'utf8' }).trim().split('\n').pop()!;
    const files = await unzip(vsix);
    for (const name of ['extension/package.json', 'extension/dist/extension.js', 'extension/server/mountlint-lsp.cjs', 'extension/server/tree-sitter.wasm', 'extension/server/tree-sitter-bash.wasm', 'extension/readme.md']) {
      assert.ok(files.has(name), `${name} is in ${vsix}`);
    }
    assert.ok(![...files.keys()].some((n) => n.includes('node_modules/') || n.startsWith('extension/src/')), [...files.keys()].join('\n'));
    const manifest = JSON.parse(files.get('extension/package.json')!.toString('utf8'));
    assert.equal(manifest.main, './dist/extension.js');
    assert.deepEqual(manifest.activationEvents, ['onLanguage:dockerfile']);
    assert.ok(files.get('extension/dist/extension.js')!.toString('utf8').includes('server/mountlint-lsp.cjs'));

    // The server as it sits in the package, started the way vscode-languageclient starts a module (node FILE --stdio).
    const dir = scratchDir('mountlint-vsix-');
    for (const [name, data] of files) {
      if (!name.startsWith('extension/server/')) continue;
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), data);
    }
    const client = await startClient({}, CAPABILITIES, [join(dir, 'extension/server/mountlint-lsp.cjs'), '--stdio']);
    try {
      const seed = readFileSync(join(REPO_ROOT, 'examples/seed/Dockerfile'), 'utf8');
      const published = await client.open('file:///vsix/Dockerfile', seed);
      assert.equal(byRule(published.diagnostics, 'cache-race').length, 1);
      assert.equal(client.stderr(), '');
    } finally {
      await client.close();
    }
  });
});
