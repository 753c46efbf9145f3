/**
 * Lints the corpus `rounds` times with one tool in this process and prints
 * {files, bytes, ms, maxRSSKiB}. Run once per tool in its own process so
 * that peak memory belongs to that tool alone.
 */
import { loadCorpus, ROOT } from './corpus.mjs';

const [tool, roundsArg] = process.argv.slice(2);
const rounds = Number(roundsArg ?? 3);
const files = loadCorpus();
let lint;
if (tool === 'mountlint') {
  const engine = await import(`${ROOT}/dist/src/engine/index.js`);
  await engine.prepare();
  lint = (f) => engine.lintText(f.text, f.path);
} else if (tool === 'dockerfile-utils') {
  const { validate } = await import('dockerfile-utils');
  lint = (f) => validate(f.text);
} else {
  throw new Error(`unknown tool ${tool}`);
}
for (const f of files) lint(f); // warm-up
const start = performance.now();
for (let r = 0; r < rounds; r++) for (const f of files) lint(f);
const ms = performance.now() - start;
const bytes = files.reduce((n, f) => n + Buffer.byteLength(f.text), 0) * rounds;
console.log(JSON.stringify({ tool, files: files.length * rounds, bytes, ms, maxRSSKiB: process.resourceUsage().maxRSS }));
