/**
 * Part of `npm run bench`: the language server beside dockerfile-language-server-nodejs
 * (the server behind VS Code's Docker extension), both started over stdio in
 * this run and sent the same edits, alternately:
 *   - didChange → publishDiagnostics latency on a 500-line and a 5,000-line
 *     Dockerfile (an edit that adds and removes `,sharing=locked` on a cache
 *     mount, so races come and go);
 *   - hover latency on a --mount flag.
 * Targets (issue 11): diagnostics in under 10 ms at 500 lines, and under 2×
 * dockerfile-language-server's time at every size; issue 25 (the incremental
 * editor: an edit re-reads only the instructions it changed) adds at most
 * 50 ms at 5,000 lines. The load average is printed with the figures.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { generateDockerfile, ROOT } from './corpus.mjs';

const require = createRequire(join(ROOT, 'package.json'));
const rpc = require('vscode-languageserver-protocol/node');

const EDITS = 41;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p90 = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)];
const fmt = (n) => n.toFixed(2);

const SERVERS = {
  mountlint: [join(ROOT, 'bin/mountlint.cjs'), 'lsp', '--stdio'],
  'dockerfile-language-server': [join(ROOT, 'node_modules/dockerfile-language-server-nodejs/bin/docker-langserver'), '--stdio'],
};

async function start(name) {
  const child = spawn(process.execPath, SERVERS[name], { stdio: ['pipe', 'pipe', 'ignore'] });
  const connection = rpc.createProtocolConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
  let waiting;
  connection.onNotification('textDocument/publishDiagnostics', (p) => waiting?.(p));
  connection.onRequest('workspace/configuration', (p) => p.items.map(() => null));
  connection.onRequest('client/registerCapability', () => null);
  connection.onNotification('window/logMessage', () => {});
  connection.listen();
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: null,
    capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: { relatedInformation: true }, hover: { contentFormat: ['markdown'] } } },
  });
  await connection.sendNotification('initialized', {});
  return {
    name,
    connection,
    /** Sends a notification and resolves with the milliseconds until the next diagnostics for `uri`. */
    async timed(send, uri) {
      const started = performance.now();
      const published = new Promise((resolve) => {
        waiting = (p) => {
          if (p.uri !== uri) return;
          waiting = undefined;
          resolve(performance.now() - started);
        };
      });
      await send();
      return published;
    },
    async stop() {
      await connection.sendRequest('shutdown').catch(() => {});
      await connection.sendNotification('exit').catch(() => {});
      child.kill();
    },
  };
}

const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
const loadAtStart = load();
const servers = [await start('mountlint'), await start('dockerfile-language-server')];
const results = {};
for (const lines of [500, 5000]) {
  const text = generateDockerfile(lines);
  const lineCount = text.split('\n').length - 1;
  // Line 6 is the first stage's apt mount: `RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \`.
  const mountLine = text.split('\n')[6];
  const at = mountLine.indexOf(',sharing=locked');
  const uri = `file:///bench/${lines}/Dockerfile`;
  const versions = new Map();
  for (const s of servers) {
    await s.timed(() => s.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version: 1, text } }), uri);
    versions.set(s, 1);
  }
  const change = {};
  const hover = {};
  for (let i = 0; i < EDITS; i++) {
    // Alternate the servers and the edit: remove ",sharing=locked", then put it back.
    const edit = i % 2 === 0
      ? { range: { start: { line: 6, character: at }, end: { line: 6, character: at + ',sharing=locked'.length } }, text: '' }
      : { range: { start: { line: 6, character: at }, end: { line: 6, character: at } }, text: ',sharing=locked' };
    for (const s of i % 2 ? servers : [...servers].reverse()) {
      const version = versions.get(s) + 1;
      versions.set(s, version);
      const ms = await s.timed(() => s.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [edit] }), uri);
      (change[s.name] ??= []).push(ms);
      const t = performance.now();
      await s.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 6, character: 8 } });
      (hover[s.name] ??= []).push(performance.now() - t);
    }
  }
  // The first edits carry the JIT's warm-up for both; drop them.
  for (const m of [change, hover]) for (const k of Object.keys(m)) m[k] = m[k].slice(5);
  results[lines] = { lineCount, change, hover };
}
for (const s of servers) await s.stop();

console.log(`language server latency (${EDITS - 5} edits each after 5 warm-up edits; median, 90th percentile; the servers alternate; load average ${loadAtStart} at start, ${load()} at end)`);
for (const [lines, r] of Object.entries(results)) {
  const m = r.change.mountlint;
  const d = r.change['dockerfile-language-server'];
  console.log(`  ${lines} lines (${r.lineCount}): didChange → publishDiagnostics  mountlint ${fmt(median(m))} ms (p90 ${fmt(p90(m))}), dockerfile-language-server ${fmt(median(d))} ms (p90 ${fmt(p90(d))}), ratio ${fmt(median(m) / median(d))}×`);
  const hm = r.hover.mountlint;
  const hd = r.hover['dockerfile-language-server'];
  console.log(`  ${lines} lines: hover on --mount                 mountlint ${fmt(median(hm))} ms (p90 ${fmt(p90(hm))}), dockerfile-language-server ${fmt(median(hd))} ms (p90 ${fmt(p90(hd))}), ratio ${fmt(median(hm) / median(hd))}×`);
}
const small = median(results[500].change.mountlint);
const large = median(results[5000].change.mountlint);
const worst = Math.max(...Object.values(results).map((r) => median(r.change.mountlint) / median(r.change['dockerfile-language-server'])));
console.log(`  targets: diagnostics ≤ 10 ms at 500 lines: ${fmt(small)} ms ${small <= 10 ? 'met' : 'NOT met'}; ≤ 50 ms at 5,000 lines: ${fmt(large)} ms ${large <= 50 ? 'met' : 'NOT met'}; < 2× dockerfile-language-server at every size: worst ${fmt(worst)}× ${worst < 2 ? 'met' : 'NOT met'}\n`);
