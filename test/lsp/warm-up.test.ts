/**
 * The warm-up (src/lsp/warm-up.ts) runs in the background once a Dockerfile
 * is open: it publishes nothing for its sample, and a document edited while
 * it runs gets its diagnostics, the same as on a warm server.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { byRule, startClient, type TestClient } from '../helpers/lsp-client.js';
import { REPO_ROOT } from '../helpers/paths.js';

const SEED = readFileSync(join(REPO_ROOT, 'examples/seed/Dockerfile'), 'utf8');

describe('mountlint lsp warm-up', () => {
  let client: TestClient;
  before(async () => {
    client = await startClient();
  });
  after(async () => client.close());

  it('edits during the warm-up are linted; the sample is never published', async () => {
    const uri = `file:///tmp/mountlint-warm-up-${process.pid}/Dockerfile`;
    const opened = await client.open(uri, SEED);
    assert.equal(byRule(opened.diagnostics, 'cache-race').length, 1);
    for (let version = 2; version <= 12; version++) {
      const text = version % 2 ? SEED : SEED.replace(/target=\/var\/cache\/apt/g, 'target=/var/cache/apt,sharing=locked');
      await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
      const d = await client.diagnostics(uri, version);
      assert.equal(byRule(d.diagnostics, 'cache-race').length, version % 2 ? 1 : 0, `version ${version}`);
    }
    // Long enough for the warm-up's lints to have run.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    assert.deepEqual([...client.publications.keys()].filter((u) => u !== uri), []);
    assert.deepEqual(client.errors, []);
    assert.equal(client.process.exitCode, null, client.stderr());
  });
});
