/**
 * The language server over stdio, as an editor sees it: the real binary,
 * driven by vscode-languageserver's protocol client. Every request the
 * server offers, a quick fix applied and linted again to clean, settings,
 * and positions on lines with characters outside the BMP.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Diagnostic, DiagnosticRelatedInformation, DocumentLink, DocumentSymbol, Hover, Location, MarkupContent, TextDocumentEdit, TextEdit } from 'vscode-languageserver-protocol';
import { fixText, lintText, prepare } from '../../src/engine/index.js';
import { allRules, docsUrl } from '../../src/rules/index.js';
import { byRule, startClient, type TestClient } from '../helpers/lsp-client.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { scratchDir } from '../helpers/scratch.js';

const SEED_PATH = join(REPO_ROOT, 'examples/seed/Dockerfile');
const SEED = readFileSync(SEED_PATH, 'utf8');
let n = 0;
const uriOf = (name = 'Dockerfile') => pathToFileURL(join(tmpdir(), `mountlint-lsp-${process.pid}-${n++}`, name)).href;

function applyAction(text: string, action: CodeAction): string {
  const change = action.edit!.documentChanges![0] as TextDocumentEdit;
  return TextDocument.applyEdits(TextDocument.create('x', 'dockerfile', 1, text), change.edits as TextEdit[]);
}

const hoverText = (h: Hover | null) => (h?.contents as MarkupContent | undefined)?.value ?? '';

describe('mountlint lsp: arguments', () => {
  it('--help prints the usage; an unknown option is a usage error (exit 2)', () => {
    const bin = join(REPO_ROOT, 'bin/mountlint.cjs');
    const help = spawnSync(process.execPath, [bin, 'lsp', '--help'], { encoding: 'utf8' });
    assert.equal(help.status, 0);
    assert.match(help.stderr, /Usage: mountlint lsp --stdio/);
    const bad = spawnSync(process.execPath, [bin, 'lsp', '--socket=9000'], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /mountlint lsp: unknown option --socket=9000 \(only --stdio is supported\)/);
  });
});

describe('mountlint lsp --stdio', () => {
  let client: TestClient;
  before(async () => {
    await prepare();
    client = await startClient();
  });
  after(async () => client.close());

  it('publishes on open what the CLI reports: messages, rules, severities, ranges, related places and rule links', async () => {
    const uri = uriOf();
    const published = await client.open(uri, SEED);
    const expected = lintText(SEED, 'Dockerfile').diagnostics;
    const doc = TextDocument.create(uri, 'dockerfile', 1, SEED);
    assert.equal(published.diagnostics.length, expected.length);
    for (const [i, d] of published.diagnostics.entries()) {
      const e = expected[i];
      assert.equal(d.message, e.message);
      assert.equal(d.code, e.ruleId);
      assert.equal(d.source, 'mountlint');
      assert.equal(d.severity, { error: 1, warning: 2, info: 3 }[e.severity]);
      assert.deepEqual(d.range, { start: doc.positionAt(e.range.start), end: doc.positionAt(e.range.end) });
      assert.equal(d.codeDescription?.href, docsUrl(e.ruleId));
      assert.deepEqual(
        d.relatedInformation?.map((r: DiagnosticRelatedInformation) => [r.location.uri, r.location.range, r.message]) ?? [],
        e.related.map((r) => [uri, { start: doc.positionAt(r.range.start), end: doc.positionAt(r.range.end) }, r.message]),
      );
    }
    const race = byRule(published.diagnostics, 'cache-race');
    assert.equal(race.length, 1);
    // One finding for the contended cache, at its first mount; the other stage's mount is a related place.
    assert.equal(race[0].range.start.line, 2);
    assert.equal(race[0].relatedInformation![0].location.range.start.line, 9);
    assert.match(race[0].relatedInformation![0].message, /production/);
    // A mount that caches nothing is shown as unnecessary code.
    assert.deepEqual(byRule(published.diagnostics, 'cache-ineffective')[0].tags, [1]);
  });

  it('counts positions in UTF-16 code units, as LSP does (a line with é and 🐳 before the finding)', async () => {
    const uri = uriOf();
    const text = SEED.replace('RUN --mount=type=cache,target=/var/cache/apt apt update && apt -y --no-install-recommends install vim', "RUN --mount=type=cache,target=/var/cache/apt echo 'café 🐳🐳' && apt update && apt -y --no-install-recommends install vim");
    const published = await client.open(uri, text);
    const race = byRule(published.diagnostics, 'cache-race')[0];
    const line = text.split('\n')[9];
    const starts = race.relatedInformation!.filter((r: DiagnosticRelatedInformation) => r.location.range.start.line === 9 && /apt takes/.test(r.message)).map((r: DiagnosticRelatedInformation) => r.location.range.start.character);
    // JavaScript string indexes are UTF-16 code units: each 🐳 counts 2, so code points would give 2 less.
    const at = line.indexOf('apt -y');
    assert.equal(Math.min(...starts), at);
    assert.equal([...line.slice(0, at)].length, at - 2);
    const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 9, character: 20 } })) as Hover;
    assert.deepEqual(hover.range, { start: { line: 9, character: 4 }, end: { line: 9, character: 44 } });
  });

  it('lints again on change and on save, and clears on close', async () => {
    const uri = uriOf();
    await client.open(uri, SEED);
    const fixed = SEED.replace(/target=\/var\/cache\/apt/g, 'target=/var/cache/apt,sharing=locked');
    const changed = await client.change(uri, fixed);
    assert.equal(byRule(changed.diagnostics, 'cache-race').length, 0);
    assert.equal(changed.version, client.version(uri));
    await client.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
    const saved = await client.diagnostics(uri, client.version(uri));
    assert.deepEqual(saved.diagnostics, changed.diagnostics);
    const next = client.diagnostics(uri, 0);
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    assert.deepEqual((await next).diagnostics, []);
  });

  it('applies incremental changes', async () => {
    const uri = uriOf();
    await client.open(uri, SEED);
    const next = client.diagnostics(uri, 2);
    // Insert ",sharing=locked" after both targets (line 3 and line 10, 0-based 2 and 9, at character 44).
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [
        { range: { start: { line: 9, character: 44 }, end: { line: 9, character: 44 } }, text: ',sharing=locked' },
        { range: { start: { line: 2, character: 44 }, end: { line: 2, character: 44 } }, text: ',sharing=locked' },
      ],
    });
    assert.equal(byRule((await next).diagnostics, 'cache-race').length, 0);
  });

  it('lints files by name and by language id; leaves other files alone', async () => {
    for (const name of ['api.Dockerfile', 'Dockerfile.dev', 'Containerfile']) {
      const published = await client.open(uriOf(name), SEED, 'plaintext');
      assert.equal(byRule(published.diagnostics, 'cache-race').length, 1, name);
    }
    assert.equal(byRule((await client.open(uriOf('build.txt'), SEED, 'dockerfile')).diagnostics, 'cache-race').length, 1);
    const other = uriOf('notes.txt');
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: other, languageId: 'plaintext', version: 1, text: SEED } });
    const symbols = await client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri: other } });
    assert.equal(symbols, null);
  });

  it('offers one quick fix per strategy, titled to choose by; the default preferred, unsafe ones never', async () => {
    const uri = uriOf();
    const published = await client.open(uri, SEED);
    const race = byRule(published.diagnostics, 'cache-race')[0];
    const actions = (await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: race.range,
      context: { diagnostics: [race], only: ['quickfix'] },
    })) as CodeAction[];
    assert.deepEqual(actions.map((a) => a.title), [
      'Lock the apt cache in both stages (sharing=locked)',
      'Give each concurrent apt step its own cache directory (sharing=private)',
      'Give each stage its own apt cache (id= per stage) — unsafe',
      'Make apt wait for the other step: run it under flock (wait)',
      'Ignore cache-race for this instruction (# mountlint ignore=cache-race)',
      'Ignore cache-race in this file (# mountlint global ignore=cache-race)',
    ]);
    assert.deepEqual(actions.map((a) => !!a.isPreferred), [true, false, false, false, false, false]);
    assert.ok(actions.every((a) => a.kind === 'quickfix' && a.diagnostics?.[0].code === 'cache-race'));
    const raceOnly = allRules.filter((r) => r.meta.id === 'cache-race');
    for (const [i, strategy] of (['locked', 'private', 'id', 'wait'] as const).entries()) {
      // Each applied and linted again: the race is gone, and the text is what --fix writes with that strategy.
      const text = applyAction(SEED, actions[i]);
      assert.equal(text, fixText(SEED, 'Dockerfile', { fixStrategy: strategy, rules: raceOnly }).output, strategy);
      const relinted = await client.change(uri, text);
      assert.equal(byRule(relinted.diagnostics, 'cache-race').length, 0, strategy);
      await client.change(uri, SEED);
    }
  });

  it('the locked quick fix writes what mountlint --fix --fix-strategy locked writes, and lints clean of races', async () => {
    const dir = scratchDir('mountlint-lsp-');
    const file = join(dir, 'Dockerfile');
    writeFileSync(file, SEED);
    const cli = spawnSync(process.execPath, [join(REPO_ROOT, 'bin/mountlint.cjs'), '--fix', '--fix-strategy', 'locked', file], { encoding: 'utf8' });
    assert.equal(cli.status, 0, cli.stdout + cli.stderr);
    const uri = pathToFileURL(join(dir, 'open', 'Dockerfile')).href;
    const published = await client.open(uri, SEED);
    const race = byRule(published.diagnostics, 'cache-race')[0];
    const actions = (await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: race.range, context: { diagnostics: [race] } })) as CodeAction[];
    const afterFix = applyAction(SEED, actions.find((a) => a.title.includes('sharing=locked'))!);
    assert.equal(afterFix, readFileSync(file, 'utf8'));
    const relinted = await client.change(uri, afterFix);
    assert.deepEqual(byRule(relinted.diagnostics, 'cache-race'), []);
    assert.deepEqual(relinted.diagnostics.map((d: Diagnostic) => d.message), lintText(afterFix, 'Dockerfile').diagnostics.map((d) => d.message));
  });

  it('ignores a rule for the instruction or the file with the shared suppression comment, and links its id to the rule page', async () => {
    const uri = uriOf();
    const published = await client.open(uri, SEED);
    const race = byRule(published.diagnostics, 'cache-race')[0];
    const actions = (await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: race.range, context: { diagnostics: [race] } })) as CodeAction[];
    const here = applyAction(SEED, actions.find((a) => a.title.startsWith('Ignore cache-race for this instruction'))!);
    assert.equal(here.split('\n')[2], '# mountlint ignore=cache-race');
    const file = applyAction(SEED, actions.find((a) => a.title.startsWith('Ignore cache-race in this file'))!);
    assert.equal(file.split('\n')[0], '# mountlint global ignore=cache-race');
    for (const text of [here, file]) {
      const relinted = await client.change(uri, text);
      assert.deepEqual(byRule(relinted.diagnostics, 'cache-race'), []);
      assert.deepEqual(byRule(relinted.diagnostics, 'suppression'), []);
    }
    const links = (await client.connection.sendRequest('textDocument/documentLink', { textDocument: { uri } })) as DocumentLink[];
    assert.deepEqual(links.map((l) => [l.range, l.target]), [[{ start: { line: 0, character: 26 }, end: { line: 0, character: 36 } }, docsUrl('cache-race')]]);
  });

  it('source.fixAll.mountlint applies exactly what --fix applies, and a second fix-all finds nothing', async () => {
    const uri = uriOf();
    await client.open(uri, SEED);
    const actions = (await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll'] },
    })) as CodeAction[];
    assert.deepEqual(actions.map((a) => a.kind), ['source.fixAll.mountlint']);
    const text = applyAction(SEED, actions[0]);
    assert.equal(text, fixText(SEED, 'Dockerfile').output);
    await client.change(uri, text);
    const again = (await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll.mountlint'] },
    })) as CodeAction[];
    assert.deepEqual(again, []);
  });

  it('hovers a cache mount: its key, namespace, sharing, owner, the tool, and the other stage that may run at the same time', async () => {
    const uri = uriOf();
    await client.open(uri, SEED);
    const text = hoverText(await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 9, character: 12 } }));
    assert.match(text, /Cache key\*\* `\/\/var\/cache\/apt`/);
    assert.match(text, /BUILDKIT_CACHE_MOUNT_NS/);
    assert.match(text, /sharing=shared/);
    assert.match(text, /uid=0 gid=0 mode=0755/);
    assert.match(text, /`apt` \(apt \/ apt-get \/ aptitude\) at `\/var\/cache\/apt\/archives\/lock`: fails/);
    assert.match(text, /line 3, stage `builder`, `sharing=shared` — \*\*may run at the same time, in the same directory\*\*: the default target "production"/);
    // Outside a mount: nothing.
    assert.equal(await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 2 } }), null);
  });

  it('hovers a stage name: who needs it, whether the target builds it, what runs beside it', async () => {
    const uri = uriOf();
    await client.open(uri, SEED);
    const asBuilder = hoverText(await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 36 } }));
    assert.match(asBuilder, /\*\*Stage\*\* `builder`/);
    assert.match(asBuilder, /Built:\*\* yes, for target `production`: "builder" is used by "production" with RUN --mount from=builder on line 12/);
    assert.match(asBuilder, /stage `production`: RUN on line 10/);
    const fromBuilder = hoverText(await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 11, character: 33 } }));
    assert.equal(fromBuilder, asBuilder);
    const production = hoverText(await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 7, character: 35 } }));
    assert.match(production, /yes, it is the target/);
    await client.change(uri, SEED + 'FROM alpine AS other\n');
    const skipped = hoverText(await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 7, character: 35 } }));
    assert.match(skipped, /Built:\*\* no, target `other` does not need it/);
  });

  it('goes from from=builder, COPY --from and FROM builder to the stage', async () => {
    const uri = uriOf();
    const text = SEED + 'COPY --from=builder /tmp/build /b\nFROM builder AS again\n';
    await client.open(uri, text);
    const target = { start: { line: 0, character: 33 }, end: { line: 0, character: 40 } };
    for (const position of [{ line: 11, character: 33 }, { line: 12, character: 14 }, { line: 13, character: 7 }]) {
      const loc = (await client.connection.sendRequest('textDocument/definition', { textDocument: { uri }, position })) as Location;
      assert.deepEqual(loc, { uri, range: target }, JSON.stringify(position));
    }
    assert.equal(await client.connection.sendRequest('textDocument/definition', { textDocument: { uri }, position: { line: 1, character: 5 } }), null);
  });

  it('lists stages and their steps as document symbols', async () => {
    const uri = uriOf();
    await client.open(uri, SEED);
    const symbols = (await client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } })) as DocumentSymbol[];
    assert.deepEqual(symbols.map((s) => [s.name, s.detail, s.children?.length]), [
      ['builder', 'FROM debian:bookworm-20230919', 3],
      ['production', 'FROM debian:bookworm-20230919', 3],
    ]);
    assert.match(symbols[1].children![1].name, /^RUN --mount=type=cache,target=\/var\/cache\/apt apt update/);
    assert.deepEqual(symbols[1].range.start, { line: 7, character: 0 });
  });

  it('takes target, platforms, build args, frontend, strategy and rule levels from the settings', async () => {
    const c = await startClient({ target: 'builder' });
    try {
      const uri = uriOf();
      assert.equal(byRule((await c.open(uri, SEED)).diagnostics, 'cache-race').length, 0);
      c.settings = { platforms: ['linux/amd64', 'linux/arm64'], rules: { 'cache-race': 'warning', 'cache-ineffective': 'off' }, fixStrategy: 'private' };
      const next = c.diagnostics(uri, 1);
      await c.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
      const d = (await next).diagnostics;
      assert.deepEqual(byRule(d, 'cache-ineffective'), []);
      const races = byRule(d, 'cache-race');
      assert.ok(races.length >= 1 && races.every((r) => r.severity === 2));
      const actions = (await c.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: races[0].range, context: { diagnostics: [races[0]] } })) as CodeAction[];
      assert.equal(actions.find((a) => a.isPreferred)?.title, 'Give each concurrent apt step its own cache directory (sharing=private)');
    } finally {
      await c.close();
    }
  });

  it('honours the nearest .mountlint.yaml exactly as the CLI does, with the editor settings on top as flags', async () => {
    const dir = scratchDir('mountlint-lsp-config-');
    mkdirSync(join(dir, 'app'));
    writeFileSync(join(dir, '.mountlint.yaml'), 'rules:\n  cache-race: warning\n  cache-ineffective: off\nbuild:\n  platforms: [linux/amd64, linux/arm64]\n');
    const file = join(dir, 'app', 'Dockerfile');
    writeFileSync(file, SEED);
    const cli = JSON.parse(spawnSync(process.execPath, [join(REPO_ROOT, 'bin/mountlint.cjs'), '--format', 'json', file], { encoding: 'utf8' }).stdout);
    const uri = pathToFileURL(file).href;
    const published = await client.open(uri, SEED);
    assert.deepEqual(
      published.diagnostics.map((d) => [d.code, d.severity, d.message]),
      cli.files[0].diagnostics.map((d: { ruleId: string; severity: 'error' | 'warning' | 'info'; message: string }) => [d.ruleId, { error: 1, warning: 2, info: 3 }[d.severity], d.message]),
    );
    assert.ok(published.diagnostics.length > 0 && published.diagnostics.every((d) => d.code !== 'cache-ineffective'));
    // The editor's platforms and target replace the file's, as --platform and --target would.
    const c = await startClient({ target: 'builder', platforms: ['linux/amd64'] });
    try {
      assert.deepEqual(byRule((await c.open(uri, SEED)).diagnostics, 'cache-race'), []);
      // A configuration file that cannot be read: said so, and the document is linted without it.
      writeFileSync(join(dir, '.mountlint.yaml'), 'rules: [not, a, map]\n');
      const broken = await c.open(pathToFileURL(join(dir, 'app', 'Dockerfile.other')).href, SEED);
      assert.ok(byRule(broken.diagnostics, 'cache-ineffective').length > 0); // the file had turned it off
      assert.match(c.messages.map((m) => m.message).join('\n'), /\.mountlint\.yaml:1:\d+: .*linting without the configuration file/);
    } finally {
      await c.close();
    }
  });

  it('reports invalid settings and lints with the valid rest', async () => {
    const c = await startClient({ target: 42, platforms: ['not a platform'], rules: { 'no-such-rule': 'error', 'cache-race': 'loud' }, fixStrategy: 'yolo', buildArgs: [1] });
    try {
      const published = await c.open(uriOf(), SEED);
      assert.equal(byRule(published.diagnostics, 'cache-race').length, 1);
      const text = c.messages.map((m) => m.message).join('\n');
      for (const key of ['mountlint.target', 'mountlint.platforms', 'no-such-rule', 'mountlint.rules.cache-race', 'mountlint.fixStrategy', 'mountlint.buildArgs']) assert.ok(text.includes(key), key);
      const unknownTarget = await startClient({ target: 'nope' });
      try {
        const d = await unknownTarget.open(uriOf(), SEED);
        assert.equal(byRule(d.diagnostics, 'cache-race').length, 1);
        assert.match(unknownTarget.messages.map((m) => m.message).join('\n'), /target stage "nope" could not be found/);
      } finally {
        await unknownTarget.close();
      }
    } finally {
      await c.close();
    }
  });

  it('keeps the findings that need the build model while a half-typed line stops the file from building', async () => {
    const uri = uriOf();
    await client.open(uri, SEED);
    const broken = SEED.replace('# build stuff, result in /tmp/build', 'RUN --mount=type=cache,target=/x --mo');
    const d = (await client.change(uri, broken)).diagnostics;
    assert.deepEqual(d.map((x: Diagnostic) => x.code).sort(), ['cache-ineffective', 'cache-ineffective', 'cache-race', 'syntax']);
    const race = byRule(d, 'cache-race')[0];
    assert.equal(race.range.start.line, 2);
    assert.equal(race.message, lintText(SEED, 'Dockerfile').diagnostics.find((x) => x.ruleId === 'cache-race')!.message);
    // An unterminated heredoc: the file does not even parse.
    const unparsable = (await client.change(uri, SEED.replace('# build stuff, result in /tmp/build', 'RUN <<EOF'))).diagnostics;
    assert.deepEqual(unparsable.map((x: Diagnostic) => x.code).sort(), ['cache-ineffective', 'cache-ineffective', 'cache-race', 'syntax']);
    // Fixed again: the real findings.
    assert.equal(byRule((await client.change(uri, SEED)).diagnostics, 'syntax').length, 0);
  });
});

describe('mountlint lsp: the order of the first messages', () => {
  it('answers initialize before it publishes anything, when didOpen comes right behind it', async () => {
    const { spawn } = await import('node:child_process');
    const frame = (m: object) => {
      const body = JSON.stringify({ jsonrpc: '2.0', ...m });
      return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    };
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin/mountlint.cjs'), 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
    let out = '';
    const published = new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        out += d;
        if (out.includes('textDocument/publishDiagnostics')) resolve(out);
      });
      setTimeout(() => reject(new Error(`nothing published in 20 s: ${out}`)), 20_000).unref();
    });
    // All at once, as a client that does not wait for the answer writes them; a small file is linted before the shell parser has loaded.
    child.stdin.write(
      frame({ id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } }) +
        frame({ method: 'initialized', params: {} }) +
        frame({ method: 'textDocument/didOpen', params: { textDocument: { uri: uriOf(), languageId: 'dockerfile', version: 1, text: 'FROM debian\n' } } }),
    );
    try {
      const text = await published;
      const first = /\{"jsonrpc":"2\.0",("id"|"method"):("?[^",]+"?)/.exec(text);
      assert.deepEqual(first?.slice(1), ['"id"', '1'], `the first message is the answer to initialize: ${text.slice(0, 200)}`);
    } finally {
      child.kill();
    }
  });
});
