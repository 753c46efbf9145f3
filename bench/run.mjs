/**
 * `npm run bench`: mountlint beside dockerfile-utils on the same files in the
 * same run, as ratios (these machines are shared and noisy: absolute numbers
 * drift, ratios measured side by side hold).
 *   1. throughput (files/s, MB/s) and peak memory over the corpus;
 *   2. one single-file CLI run each, end to end;
 *   3. time against file size (linearity);
 *   4. N stages racing on one cache: time and memory against N.
 * Targets (issue 2): ≥ 2× dockerfile-utils' files/s; a single-file CLI run no
 * slower than `dockerfile-utils lint`; time linear in file size.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDockerfile, loadCorpus, ROOT } from './corpus.mjs';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n, d = 1) => n.toFixed(d);

function worker(tool) {
  const out = execFileSync(process.execPath, [join(ROOT, 'bench/worker.mjs'), tool, '3'], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop());
}

const corpus = loadCorpus();
console.log(`corpus: ${corpus.length} files, ${fmt(corpus.reduce((n, f) => n + f.text.length, 0) / 1e6, 2)} MB (oracle, real-world, conformance, generated 10,000 lines)\n`);

// 1. Throughput and memory: alternate the tools, three times each, take medians.
const runs = { mountlint: [], 'dockerfile-utils': [] };
for (let i = 0; i < 3; i++) for (const tool of Object.keys(runs)) runs[tool].push(worker(tool));
const summary = {};
console.log('throughput (median of 3 processes, 3 rounds each)');
for (const [tool, list] of Object.entries(runs)) {
  const filesPerSec = median(list.map((r) => r.files / (r.ms / 1000)));
  const mbPerSec = median(list.map((r) => r.bytes / 1e6 / (r.ms / 1000)));
  const rssMiB = median(list.map((r) => r.maxRSSKiB / 1024));
  summary[tool] = { filesPerSec, mbPerSec, rssMiB };
  console.log(`  ${tool.padEnd(17)} ${fmt(filesPerSec).padStart(8)} files/s  ${fmt(mbPerSec, 2).padStart(7)} MB/s  peak RSS ${fmt(rssMiB)} MiB`);
}
const m = summary.mountlint;
const d = summary['dockerfile-utils'];
console.log(`  ratio mountlint/dockerfile-utils: files/s ${fmt(m.filesPerSec / d.filesPerSec, 2)}×, MB/s ${fmt(m.mbPerSec / d.mbPerSec, 2)}×, peak RSS ${fmt(m.rssMiB / d.rssMiB, 2)}×  (target: files/s ≥ 2×)\n`);

// 2. Single-file CLI, end to end, alternating: the seed (7 runs each), then
// every real-world file (3 runs each; most of them need tree-sitter, the seed does not).
const cliArgs = (file) => ({
  mountlint: [join(ROOT, 'bin/mountlint.cjs'), file],
  'dockerfile-utils': [join(ROOT, 'node_modules/dockerfile-utils/bin/dockerfile-utils'), 'lint', file],
});
function cliMedians(file, rounds) {
  const times = { mountlint: [], 'dockerfile-utils': [] };
  for (let i = 0; i < rounds; i++) {
    for (const [tool, args] of Object.entries(cliArgs(file))) {
      const t = performance.now();
      spawnSync(process.execPath, args, { encoding: 'utf8' });
      times[tool].push(performance.now() - t);
    }
  }
  return { mountlint: median(times.mountlint), du: median(times['dockerfile-utils']) };
}
const seedRun = cliMedians(join(ROOT, 'examples/seed/Dockerfile'), 7);
console.log('single-file CLI run on examples/seed/Dockerfile (median of 7)');
console.log(`  mountlint ${fmt(seedRun.mountlint)} ms, dockerfile-utils lint ${fmt(seedRun.du)} ms, ratio ${fmt(seedRun.mountlint / seedRun.du, 2)}× (target: ≤ 1×)`);
const realWorld = corpus.filter((f) => f.path.includes('corpus/real-world/'));
const ratios = realWorld.map((f) => cliMedians(f.path, 3)).map((r) => r.mountlint / r.du).sort((a, b) => a - b);
const at = (q) => ratios[Math.min(ratios.length - 1, Math.floor(q * ratios.length))];
console.log(`single-file CLI run on each of the ${ratios.length} real-world files (median of 3 each), ratio mountlint/dockerfile-utils:`);
console.log(`  median ${fmt(at(0.5), 2)}×, best ${fmt(ratios[0], 2)}×, 90th percentile ${fmt(at(0.9), 2)}×, worst ${fmt(ratios[ratios.length - 1], 2)}×; ${ratios.filter((r) => r <= 1).length} of ${ratios.length} files at ≤ 1×\n`);

// 3. Linearity: time per line across sizes, in this process.
const engine = await import(`${ROOT}/dist/src/engine/index.js`);
await engine.prepare();
console.log('time against size (mountlint, median of 5)');
const perLine = [];
for (const lines of [1000, 2500, 5000, 10000, 20000]) {
  const text = generateDockerfile(lines);
  const times = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    engine.lintText(text, 'gen.Dockerfile');
    times.push(performance.now() - t);
  }
  const ms = median(times);
  const actual = text.split('\n').length;
  perLine.push(ms / actual);
  console.log(`  ${String(actual).padStart(6)} lines  ${fmt(ms).padStart(8)} ms  ${fmt((ms / actual) * 1000, 2)} µs/line`);
}
console.log(`  µs/line at the largest size ÷ at the smallest: ${fmt(perLine[perLine.length - 1] / perLine[0], 2)} (1.0 = linear)`);

// 4. N stages on one apt cache: one finding whatever N; time and memory should grow linearly with N.
console.log('\nN stages racing on one cache (fresh process each: lint, then --fix)');
const raceRows = [25, 100, 500, 2000].map((n) => JSON.parse(execFileSync(process.execPath, [join(ROOT, 'bench/race-shape.mjs'), String(n)], { encoding: 'utf8' }).trim()));
for (const r of raceRows) {
  console.log(`  ${String(r.stages).padStart(5)} stages  lint ${fmt(r.lintMs).padStart(7)} ms (${fmt((r.lintMs / r.stages) * 1000, 0)} µs/stage)  --fix ${fmt(r.fixMs).padStart(7)} ms  peak RSS ${fmt(r.rssMiB)} MiB  ${r.races} race finding${r.races === 1 ? '' : 's'}`);
}
const [small, large] = [raceRows[1], raceRows[raceRows.length - 1]];
console.log(`  µs/stage at ${large.stages} ÷ at ${small.stages}: ${fmt(large.lintMs / large.stages / (small.lintMs / small.stages), 2)} (1.0 = linear)\n`);

// 5. The shapes that once cost more than linear time or memory (issue 9), through the CLI, a fresh process per size.
console.log('time and memory against size, per shape (the CLI with --format json, a fresh process each)');
const shapeRuns = (shape, sizes) => sizes.map((bytes) => JSON.parse(execFileSync(process.execPath, [join(ROOT, 'bench/shape-worker.mjs'), shape, String(bytes)], { encoding: 'utf8', maxBuffer: 1 << 20 }).trim()));
for (const shape of ['envInterleaved', 'longHeredoc', 'manyStages', 'stagesRacing']) {
  const rows = shapeRuns(shape, [250_000, 500_000, 1_000_000, 2_000_000]);
  console.log(`  ${shape}`);
  for (const r of rows) console.log(`    ${fmt(r.bytes / 1e6, 2).padStart(6)} MB  ${fmt(r.ms).padStart(8)} ms  ${fmt((r.ms / r.bytes) * 1000, 2).padStart(6)} µs/kB  peak RSS ${fmt(r.rssMiB).padStart(6)} MiB`);
  const [first, last] = [rows[0], rows[rows.length - 1]];
  console.log(`    µs/kB at ${fmt(last.bytes / 1e6, 1)} MB ÷ at ${fmt(first.bytes / 1e6, 2)} MB: ${fmt(last.ms / last.bytes / (first.ms / first.bytes), 2)}; extra RSS per extra MB: ${fmt((last.rssMiB - first.rssMiB) / ((last.bytes - first.bytes) / 2 ** 20), 1)} MiB (1.0 = linear time)`);
}
// The 20 MB file of the issue: peak memory against its size (target: under 10×).
const [big] = shapeRuns('manyStages', [20_000_000]);
console.log(`  manyStages, 20 MB: ${fmt(big.ms / 1000)} s, peak RSS ${fmt(big.rssMiB)} MiB = ${fmt((big.rssMiB * 2 ** 20) / big.bytes, 1)}× its size (target: under 10×)\n`);

const tmp = mkdtempSync(join(tmpdir(), 'mountlint-bench-'));
writeFileSync(join(tmp, 'README'), 'scratch folder of npm run bench\n');
