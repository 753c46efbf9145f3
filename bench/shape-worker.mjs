/**
 * One measurement for `npm run bench`: the CLI as a user runs it (the
 * bundle, `--format json`, report written and thrown away) on a generated
 * Dockerfile of one shape and size, in this fresh process; prints the time
 * and the process's peak RSS.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './corpus.mjs';
import { SHAPES } from './shapes.mjs';

const [shape, bytesArg] = process.argv.slice(2);
const text = SHAPES[shape](Number(bytesArg));
const dir = mkdtempSync(join(tmpdir(), 'mountlint-shape-'));
const file = join(dir, 'Dockerfile');
writeFileSync(file, text);
const baseline = process.resourceUsage().maxRSS / 1024;
const t = performance.now();
const { run } = createRequire(import.meta.url)(join(ROOT, 'bin/load-cli.cjs')).loadCli().exports;
const code = await run([file, '--format', 'json'], { stdout: () => {}, stderr: (s) => process.stderr.write(s), isTTY: false, env: {} });
const ms = performance.now() - t;
rmSync(dir, { recursive: true });
console.log(JSON.stringify({ shape, bytes: Buffer.byteLength(text), ms, code, rssMiB: process.resourceUsage().maxRSS / 1024, baselineMiB: baseline }));
