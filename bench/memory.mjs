/**
 * Part of `npm run bench:quick`: peak memory of one CLI run on the 20 MB
 * many-stages shape (bench/shapes.mjs) against the file's size (issue 25's
 * goal: at most 10×). `npm run bench` measures every shape and size.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './corpus.mjs';

const r = JSON.parse(execFileSync(process.execPath, [join(ROOT, 'bench/shape-worker.mjs'), 'manyStages', '20000000'], { encoding: 'utf8', maxBuffer: 1 << 20 }).trim());
const times = (r.rssMiB * 2 ** 20) / r.bytes;
console.log(`memory: manyStages, ${(r.bytes / 1e6).toFixed(1)} MB: ${(r.ms / 1000).toFixed(1)} s, peak RSS ${r.rssMiB.toFixed(0)} MiB = ${times.toFixed(1)}× its size (goal ≤ 10×: ${times <= 10 ? 'met' : 'not met'})`);
