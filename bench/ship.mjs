/**
 * `npm run bench`, the shipping channels (issue 22): the container image's
 * size and the single executable's, and the wall time of a one-file run (the
 * seed, on standard input) for each channel beside the npm-installed CLI's,
 * rounds alternated, medians and the median of paired ratios.
 *   npm CLI      node bin/mountlint.cjs - < seed (as npm's bin shim runs it)
 *   executable   dist/sea/mountlint-linux-x64 (built here, into a temporary folder)
 *   docker run   docker run --rm -i IMAGE - < seed, on the Docker 26.1 engine of e2e/provision.sh
 *                (built from the stand-in bases; skipped when the engine is not running)
 *   docker plugin  docker mountlint - < seed, the executable installed as a Docker CLI plugin
 *   docker run, node -e 0   the same container without mountlint: what the engine itself costs a run
 * Goals: image under 100 MB; a one-file run in the image within 1.5× of the npm CLI's.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './corpus.mjs';

const ROUNDS = Number(process.env.MOUNTLINT_BENCH_ROUNDS || 15);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const seed = readFileSync(join(ROOT, 'examples/seed/Dockerfile'));
const scratch = mkdtempSync(join(tmpdir(), 'mountlint-bench-ship-'));

const sea = execFileSync(process.execPath, [join(ROOT, 'dist/scripts/build-sea.js'), scratch], { encoding: 'utf8' }).trim().replace(/ \(.*\)$/, '');
const config = join(scratch, 'docker-config');
execFileSync(sea, ['install-docker-plugin', '--dir', join(config, 'cli-plugins')]);

const { ENGINES, engineMissing, buildImages, IMAGE } = await import(join(ROOT, 'dist/test/helpers/docker.js'));
const engine = ENGINES['docker-26.1'];
const missing = engineMissing(engine);
let imageSize;
if (!missing) {
  buildImages(engine);
  imageSize = JSON.parse(execFileSync(engine.bin, ['image', 'inspect', IMAGE], { env: engine.env, encoding: 'utf8' }))[0].Size;
}

const channels = {
  'npm CLI': [process.execPath, [join(ROOT, 'bin/mountlint.cjs'), '-']],
  executable: [sea, ['-']],
  'docker plugin': [engine.bin, ['mountlint', '-'], { ...process.env, DOCKER_CONFIG: config }],
  ...(missing ? {} : { 'docker run': [engine.bin, ['run', '--rm', '-i', IMAGE, '-'], engine.env] }),
};
// What the engine costs before mountlint starts: the same container running `node -e 0`.
const baselines = missing ? {} : { 'docker run, node -e 0': [engine.bin, ['run', '--rm', '-i', '--entrypoint', '/usr/local/bin/node', IMAGE, '-e', 'process.exitCode = 1; console.log("cache-race")'], engine.env] };
const times = Object.fromEntries([...Object.keys(channels), ...Object.keys(baselines)].map((k) => [k, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, [bin, args, env]] of [...Object.entries(channels), ...Object.entries(baselines)]) {
    const start = process.hrtime.bigint();
    const r = spawnSync(bin, args, { input: seed, env: env ?? process.env, encoding: 'utf8' });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (r.status !== 1 || !/cache-race/.test(r.stdout)) throw new Error(`${name}: exit ${r.status}\n${r.stderr}`);
    if (round > 0) times[name].push(ms); // the first round warms the file cache and V8's code cache
  }
}

console.log(`\nShipping channels (${ROUNDS - 1} rounds, one-file run of the seed on stdin)`);
console.log(`  single executable: ${(statSync(sea).size / 1e6).toFixed(1)} MB`);
console.log(missing ? `  image: not measured (${missing})` : `  image: ${(imageSize / 1e6).toFixed(1)} MB (goal < 100 MB)`);
const base = times['npm CLI'];
for (const [name, xs] of Object.entries(times)) {
  const ratio = median(xs.map((x, i) => x / base[i]));
  console.log(`  ${name.padEnd(14)} ${median(xs).toFixed(0).padStart(5)} ms  ${name === 'npm CLI' ? '' : `${ratio.toFixed(2)}× the npm CLI${name === 'docker run' ? ' (goal ≤ 1.5×)' : ''}`}`);
}
