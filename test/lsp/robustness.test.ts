/**
 * Nothing a client sends ends the server: binary text, a 20 MB document,
 * bursts of edits, changes to documents it never opened, unknown requests,
 * and every real-world file mutated as the library's fuzz test mutates it,
 * with every request at random places. After each, the server still
 * answers.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Hover } from 'vscode-languageserver-protocol';
import { byRule, startClient, type TestClient } from '../helpers/lsp-client.js';
import { mutations } from '../helpers/mutate.js';
import { CORPUS, describeWithShared, REPO_ROOT } from '../helpers/paths.js';

const SEED = readFileSync(join(REPO_ROOT, 'examples/seed/Dockerfile'), 'utf8');
let n = 0;
const uriOf = () => `file:///tmp/mountlint-robust-${process.pid}-${n++}/Dockerfile`;

async function stillAnswers(client: TestClient): Promise<void> {
  assert.equal(client.process.exitCode, null, client.stderr());
  const uri = uriOf();
  const d = await client.open(uri, SEED);
  assert.equal(byRule(d.diagnostics, 'cache-race').length, 1);
}

describe('mountlint lsp on bad input', () => {
  let client: TestClient;
  before(async () => {
    client = await startClient();
  });
  after(async () => client.close());

  it('binary text', async () => {
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919 + 13) % 256;
    const d = await client.open(uriOf(), bytes.toString('latin1') + '\0\uFFFD\uD800');
    assert.ok(Array.isArray(d.diagnostics));
    await stillAnswers(client);
  });

  it('a 20 MB document: not linted, said so, and the server stays responsive', async () => {
    const big = 'RUN echo x\n'.repeat(2_000_000);
    assert.ok(big.length >= 20_000_000);
    const uri = uriOf();
    const d = await client.open(uri, big);
    assert.equal(d.diagnostics.length, 1);
    assert.match(String(d.diagnostics[0].message), /not linted in the editor: the document has 22000000 characters, more than mountlint\.maxDocumentSize/);
    assert.equal(await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 5, character: 1 } }), null);
    await stillAnswers(client);
  });

  it('rapid edits: the last version wins, and bursts are folded into fewer lints', async () => {
    const uri = uriOf();
    await client.open(uri, SEED);
    const before = client.publications.get(uri) ?? 0;
    let version = 1;
    for (let i = 0; i < 200; i++) {
      version++;
      const text = i % 2 ? SEED : SEED.replace(/target=\/var\/cache\/apt/g, 'target=/var/cache/apt,sharing=locked');
      void client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    }
    // The last text (i = 199, odd) is the seed: one race.
    const last = await client.diagnostics(uri, version);
    assert.equal(last.version, version);
    assert.equal(byRule(last.diagnostics, 'cache-race').length, 1);
    const published = (client.publications.get(uri) ?? 0) - before;
    assert.ok(published < 200, `${published} publications for 200 changes`);
  });

  it('changes, saves, closes and requests for documents it never opened', async () => {
    const uri = 'file:///never/opened/Dockerfile';
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 3 }, contentChanges: [{ text: SEED }] });
    await client.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    for (const method of ['textDocument/hover', 'textDocument/definition']) {
      assert.equal(await client.connection.sendRequest(method, { textDocument: { uri }, position: { line: 0, character: 0 } }), null);
    }
    assert.equal(await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [] } }), null);
    await stillAnswers(client);
  });

  it('unknown methods, positions past the end, malformed parameters: errors, not exits', async () => {
    await assert.rejects(client.connection.sendRequest('mountlint/noSuchRequest', {}));
    const uri = uriOf();
    await client.open(uri, SEED);
    const far = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 9999, character: 9999 } })) as Hover | null;
    assert.equal(far, null);
    await client.connection.sendRequest('textDocument/hover', { textDocument: { uri } }).catch(() => undefined);
    await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: null, context: null }).catch(() => undefined);
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 7 }, contentChanges: [{ range: { start: { line: -1, character: -5 }, end: { line: 99, character: 0 } }, text: 'x' }] });
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: 'not an object' });
    await stillAnswers(client);
  });
});

describeWithShared('mountlint lsp on mutated real-world Dockerfiles', () => {
  let client: TestClient;
  before(async () => {
    client = await startClient();
  });
  after(async () => client.close());

  it('answers every request at random places on every mutation, and never exits', async () => {
    const names = readdirSync(CORPUS).filter((name) => name.endsWith('Dockerfile')).sort();
    let requests = 0;
    for (const name of names) {
      const original = readFileSync(join(CORPUS, name), 'utf8');
      const uri = `file:///corpus/${name}`;
      let first = true;
      for (const { text, rand } of mutations(name, original, 3)) {
        if (first) await client.open(uri, text);
        else await client.change(uri, text);
        first = false;
        const lines = text.split('\n');
        for (let k = 0; k < 4; k++) {
          const line = Math.floor(rand() * lines.length);
          const position = { line, character: Math.floor(rand() * (lines[line].length + 2)) };
          await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position });
          await client.connection.sendRequest('textDocument/definition', { textDocument: { uri }, position });
          await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: { start: position, end: position }, context: { diagnostics: [] } });
          requests += 3;
        }
        await client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } });
        await client.connection.sendRequest('textDocument/documentLink', { textDocument: { uri } });
      }
      await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    }
    assert.ok(requests > 0);
    assert.deepEqual(client.errors, []);
    assert.equal(client.stderr(), '');
    await stillAnswers(client);
  });
});
