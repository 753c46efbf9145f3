/**
 * `npm run bench`, the CLI as users run it: whole processes over folders of
 * files, beside the peers, in one run (ratios measured side by side hold on
 * a shared machine where absolute figures drift).
 *
 * Sets (copied into a temporary folder, never into the repository):
 *   real-world  ../shared/corpus/real-world × 10
 *   small       ../shared/oracle and ../shared/conformance × 10
 *   10k lines   one generated 10,000-line Dockerfile
 * Commands, alternated round by round:
 *   mountlint             default: worker threads on every core when the run is big enough
 *   mountlint --jobs 1    no workers (speed-up and memory of the workers)
 *   mountlint --cache     warm: the cache filled by an earlier run, nothing changed
 *   mountlint --cache     cold: an empty cache, filled by the run
 *   dockerfile-utils      its validate() over every file in one process (bench/du-validate.cjs)
 *   dockerfile-utils CLI  `dockerfile-utils lint`, one process per file, as many at once as cores (xargs -P)
 *   tally                 `tally lint` on the folder, installed from npm into the temporary folder
 * Each process is timed by /usr/bin/time (CPU seconds, peak RSS) and its
 * wall time by this script; medians over the rounds, and ratios as the
 * median of round-by-round (paired) ratios.
 * Also one file, whole processes: mountlint, `dockerfile-utils lint` and a
 * bare `node -e 0` (Node's own start), alternated.
 * Goals (issue 13): cold ≥ 2× dockerfile-utils' files/s and ≥ 5× tally's on
 * the real-world set; warm ≥ 10× cold; peak RSS with workers ≤ 2× serial.
 * `--quick` (`npm run bench:quick`, a few minutes): the real-world and small
 * sets only, without the one-process-per-file dockerfile-utils runs, the
 * empty-cache runs and the worker sweep.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { generateDockerfile, ROOT } from './corpus.mjs';

const SHARED = join(ROOT, '..', 'shared');
const TIME = '/usr/bin/time';
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n, d = 1) => (n === undefined || Number.isNaN(n) ? '–' : n.toFixed(d));
const cores = availableParallelism();
const QUICK = process.argv.includes('--quick');

if (!existsSync(TIME)) {
  console.log(`CLI bench skipped: ${TIME} is not installed (Debian: apt-get install time)`);
  process.exit(0);
}
if (!existsSync(join(SHARED, 'corpus/real-world'))) {
  console.log(`CLI bench skipped: ${join(SHARED, 'corpus/real-world')} is not here`);
  process.exit(0);
}

const tmp = mkdtempSync(join(tmpdir(), 'mountlint-cli-bench-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

function dockerfiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((e) => (e.isDirectory() ? dockerfiles(join(dir, e.name)) : e.name === 'Dockerfile' || e.name.endsWith('.Dockerfile') ? [join(dir, e.name)] : []));
}

/** Copies `files` `times` times into tmp/name/NN/, each under a unique name; returns the folder and its files. */
function makeSet(name, files, times) {
  const dir = join(tmp, name);
  const out = [];
  for (let i = 0; i < times; i++) {
    const sub = join(dir, String(i).padStart(2, '0'));
    mkdirSync(sub, { recursive: true });
    files.forEach((f, j) => {
      const target = join(sub, `${String(j).padStart(3, '0')}-${basename(f) === 'Dockerfile' ? basename(join(f, '..')) : basename(f, '.Dockerfile')}.Dockerfile`);
      copyFileSync(f, target);
      out.push(target);
    });
  }
  return { dir, files: out, bytes: out.reduce((n, f) => n + statSync(f).size, 0) };
}

const realWorldSources = dockerfiles(join(SHARED, 'corpus/real-world'));
const smallSources = [...dockerfiles(join(SHARED, 'oracle')), ...dockerfiles(join(SHARED, 'conformance'))];
const bigDir = join(tmp, 'big');
mkdirSync(bigDir);
writeFileSync(join(bigDir, 'generated.Dockerfile'), generateDockerfile(10_000));
const sets = [
  { name: `real-world × 10`, ...makeSet('real-world', realWorldSources, 10), sources: realWorldSources },
  { name: `oracle and conformance × 10`, ...makeSet('small', smallSources, 10), sources: smallSources },
  { name: '10,000-line file', dir: bigDir, files: [join(bigDir, 'generated.Dockerfile')], bytes: statSync(join(bigDir, 'generated.Dockerfile')).size, sources: [join(bigDir, 'generated.Dockerfile')] },
].slice(0, QUICK ? 2 : 3);

/** Runs a command under /usr/bin/time; its output goes to /dev/null. */
function timed(command, args, options = {}) {
  const start = performance.now();
  const r = spawnSync(TIME, ['-f', '@@time %U %S %M', command, ...args], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', cwd: options.cwd ?? tmp, maxBuffer: 256 << 20 });
  const wall = (performance.now() - start) / 1000;
  const line = r.stderr.split('\n').reverse().find((l) => l.startsWith('@@time '));
  if (!line) throw new Error(`${command} ${args.join(' ')}: no timing (${r.stderr.slice(-300)})`);
  const [user, sys, rssKiB] = line.split(' ').slice(1).map(Number);
  return { wall, cpu: user + sys, rssMiB: rssKiB / 1024, status: r.status };
}

// tally, from npm, into the temporary folder.
function installTally() {
  if (process.platform !== 'linux' || process.arch !== 'x64') return { why: `tally's npm binary is for linux-x64, this is ${process.platform}-${process.arch}` };
  const prefix = join(tmp, 'tally');
  try {
    execFileSync('npm', ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', '--loglevel=error', '@wharflab/tally-linux-x64'], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 300_000 });
  } catch (err) {
    return { why: `npm could not install @wharflab/tally-linux-x64 (${String(err.stderr ?? err.message).trim().split('\n').pop()})` };
  }
  const bin = join(prefix, 'node_modules/@wharflab/tally-linux-x64/bin/tally');
  if (!existsSync(bin)) return { why: `no binary at ${bin}` };
  const version = execFileSync(bin, ['version'], { encoding: 'utf8' }).trim().split('\n')[0];
  return { bin, version };
}
const tally = installTally();
const TALLY_FLAGS = ['lint', '--no-config', '--no-color', '--slow-checks', 'off'];

/** tally stops at the first file it cannot parse: find those among a set's sources (one copy), to exclude them. */
function tallyRejects(sources) {
  const dir = join(tmp, `tally-probe-${basename(sources[0])}`);
  mkdirSync(dir, { recursive: true });
  sources.forEach((f, j) => copyFileSync(f, join(dir, `${String(j).padStart(3, '0')}.Dockerfile`)));
  const rejected = [];
  for (let i = 0; i < sources.length; i++) {
    const excludes = rejected.flatMap((j) => ['--exclude', `**/${String(j).padStart(3, '0')}.Dockerfile`]);
    const r = spawnSync(tally.bin, [...TALLY_FLAGS, ...excludes, dir], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
    const failed = /failed to lint .*\/(\d{3})\.Dockerfile/.exec(r.stderr);
    if (!failed) break;
    rejected.push(Number(failed[1]));
  }
  return rejected;
}

const mountlint = join(ROOT, 'bin/mountlint.cjs');
const du = join(ROOT, 'node_modules/dockerfile-utils/bin/dockerfile-utils');
const list = (set) => {
  const file = join(tmp, `${basename(set.dir)}.list`);
  writeFileSync(file, set.files.join('\n') + '\n');
  return file;
};

function commands(set) {
  const cache = join(tmp, `cache-${basename(set.dir)}`);
  const cmds = [
    { id: 'cold', label: 'mountlint', rounds: 3, run: () => timed(process.execPath, [mountlint, set.dir, '--no-config']) },
    { id: 'serial', label: 'mountlint --jobs 1', rounds: 3, run: () => timed(process.execPath, [mountlint, set.dir, '--no-config', '--jobs', '1']) },
    { id: 'warm', label: 'mountlint --cache, warm', rounds: 5, run: () => timed(process.execPath, [mountlint, set.dir, '--no-config', '--cache', '--cache-location', cache]) },
    { id: 'filling', label: 'mountlint --cache, empty cache', rounds: 3, run: () => (rmSync(cache + '-new', { recursive: true, force: true }), timed(process.execPath, [mountlint, set.dir, '--no-config', '--cache', '--cache-location', cache + '-new'])) },
    { id: 'du', label: 'dockerfile-utils validate, one process', rounds: 3, run: () => timed(process.execPath, [join(ROOT, 'bench/du-validate.cjs'), set.dir]) },
    { id: 'du-cli', label: `dockerfile-utils lint, a process per file (${cores} at once)`, rounds: 1, run: () => timed('xargs', ['-a', list(set), '-P', String(cores), '-n', '1', process.execPath, du, 'lint']) },
  ];
  const tallyFiles = set.files.length - (set.rejects?.length ?? 0) * (set.files.length / set.sources.length);
  if (tally.bin && tallyFiles === 0) console.log(`\n(tally is left out on ${set.name}: it cannot parse any of its files)`);
  if (tally.bin && tallyFiles > 0) {
    const excludes = (set.rejects ?? []).flatMap((j) => ['--exclude', `**/${String(j).padStart(3, '0')}-*`]);
    cmds.push({ id: 'tally', label: `tally lint${set.rejects?.length ? ` (${set.rejects.length * (set.files.length / set.sources.length)} files it cannot parse excluded)` : ''}`, rounds: 1, files: tallyFiles, run: () => timed(tally.bin, [...TALLY_FLAGS, ...excludes, set.dir]) });
  }
  return { cache, cmds: QUICK ? cmds.filter((c) => c.id !== 'du-cli' && c.id !== 'filling') : cmds };
}

console.log(`\nCLI runs, whole processes (${cores} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} at the start; ${cpus()[0]?.model ?? ''})${QUICK ? ', quick mode' : ''}`);

// One file, as a pre-commit hook or an editor's save runs it: mountlint, dockerfile-utils lint, and Node's own start.
{
  const seed = join(ROOT, 'examples/seed/Dockerfile');
  const one = { mountlint: [process.execPath, [mountlint, seed, '--no-config']], 'dockerfile-utils lint': [process.execPath, [du, 'lint', seed]], 'node -e 0': [process.execPath, ['-e', '0']] };
  const times = Object.fromEntries(Object.keys(one).map((k) => [k, []]));
  for (let r = 0; r < 11; r++) for (const [k, [cmd, args]] of Object.entries(one)) times[k].push(timed(cmd, args).wall);
  for (const k of Object.keys(times)) times[k].shift(); // the first round warms the file cache
  const pairs = (a, b) => median(times[a].map((x, i) => x / times[b][i]));
  console.log(`\none file (examples/seed/Dockerfile), wall, median of 10 alternating runs: ${Object.entries(times).map(([k, xs]) => `${k} ${fmt(median(xs) * 1000, 1)} ms`).join(', ')}`);
  console.log(`  mountlint ÷ dockerfile-utils lint ${fmt(pairs('mountlint', 'dockerfile-utils lint'), 2)}× (goal ≤ 0.8×), ÷ node -e 0 ${fmt(pairs('mountlint', 'node -e 0'), 2)}× (goal ≤ 1.3×)`);
}
console.log(tally.bin ? `tally: ${tally.version}` : `tally skipped: ${tally.why}`);
const summary = [];
for (const set of sets) {
  if (tally.bin) set.rejects = tallyRejects(set.sources);
  const { cache, cmds } = commands(set);
  timed(process.execPath, [mountlint, set.dir, '--no-config', '--cache', '--cache-location', cache]); // fills the cache for the warm runs
  // Output check (not timed): every way of running mountlint prints the same bytes.
  const outputs = [[], ['--jobs', '1'], ['--cache', '--cache-location', cache]].map((extra) => spawnSync(process.execPath, [mountlint, set.dir, '--no-config', '--format', 'json', ...extra], { encoding: 'utf8', maxBuffer: 256 << 20 }).stdout);
  const same = outputs.every((o) => o === outputs[0]);
  const runs = new Map(cmds.map((c) => [c.id, []]));
  const rounds = Math.max(...cmds.map((c) => c.rounds));
  for (let r = 0; r < rounds; r++) for (const c of cmds) if (r < c.rounds) runs.get(c.id).push(c.run());
  const mb = set.bytes / 1e6;
  console.log(`\n${set.name}: ${set.files.length} file${set.files.length === 1 ? '' : 's'}, ${fmt(mb, 2)} MB; mountlint's output the same with and without workers and cache: ${same ? 'yes' : 'NO'}`);
  console.log(`  ${'command'.padEnd(58)} ${'wall s'.padStart(7)} ${'files/s'.padStart(9)} ${'MB/s'.padStart(7)} ${'CPU s'.padStart(7)} ${'peak RSS MiB'.padStart(13)}`);
  const row = {};
  for (const c of cmds) {
    const list = runs.get(c.id);
    const files = c.files ?? set.files.length;
    const wall = median(list.map((x) => x.wall));
    row[c.id] = { wall, filesPerSec: files / wall, mbPerSec: (mb * files) / set.files.length / wall, cpu: median(list.map((x) => x.cpu)), rss: median(list.map((x) => x.rssMiB)) };
    const x = row[c.id];
    console.log(`  ${(c.label + (c.rounds > 1 ? ` (median of ${c.rounds})` : '')).padEnd(58)} ${fmt(x.wall, 3).padStart(7)} ${fmt(x.filesPerSec).padStart(9)} ${fmt(x.mbPerSec, 2).padStart(7)} ${fmt(x.cpu, 2).padStart(7)} ${fmt(x.rss).padStart(13)}`);
  }
  // Paired: round by round (A and B ran next to each other), then the median of those ratios;
  // a command run once pairs with the other's first round.
  const paired = (a, b, key) => {
    const [xs, ys] = [runs.get(a), runs.get(b)];
    if (!xs?.length || !ys?.length) return NaN;
    const per = (c, x) => x[key] / (cmds.find((k) => k.id === c).files ?? set.files.length);
    return median(xs.slice(0, Math.min(xs.length, ys.length)).map((x, i) => per(b, ys[i]) / per(a, x)));
  };
  const ratio = (a, b) => paired(a, b, 'wall');
  console.log(`  ratios (files/s): mountlint ÷ dockerfile-utils validate ${fmt(ratio('cold', 'du'), 2)}×, ÷ dockerfile-utils CLI ${fmt(ratio('cold', 'du-cli'), 2)}×, ÷ tally ${fmt(ratio('cold', 'tally'), 2)}×; warm ÷ cold ${fmt(ratio('warm', 'cold'), 2)}×; workers ÷ --jobs 1 ${fmt(ratio('cold', 'serial'), 2)}×`);
  console.log(`  ratios (CPU seconds per file, the fairer figure on a loaded machine): dockerfile-utils validate ÷ mountlint ${fmt(paired('cold', 'du', 'cpu'), 2)}×, ÷ mountlint --jobs 1 ${fmt(paired('serial', 'du', 'cpu'), 2)}×; tally ÷ mountlint ${fmt(paired('cold', 'tally', 'cpu'), 2)}×; cold ÷ warm ${fmt(paired('warm', 'cold', 'cpu'), 2)}×`);
  console.log(`  peak RSS with workers ÷ --jobs 1: ${fmt(row.cold.rss / row.serial.rss, 2)}×`);
  summary.push({ set, row, same, paired });
}

// When workers pay: N files with and without them (the default starts them from 16 files, on 3 cores or more).
if (!QUICK) console.log('\nworkers or not, by number of files (real-world files; median of 5 each, wall ms)');
const few = join(tmp, 'few');
for (const n of QUICK ? [] : [2, 4, 8, 16, 32, 64]) {
  rmSync(few, { recursive: true, force: true });
  mkdirSync(few);
  sets[0].files.slice(0, n).forEach((f) => copyFileSync(f, join(few, basename(f))));
  const t = { serial: [], workers: [] };
  for (let r = 0; r < 5; r++) {
    t.serial.push(timed(process.execPath, [mountlint, few, '--no-config', '--jobs', '1']).wall);
    t.workers.push(timed(process.execPath, [mountlint, few, '--no-config', '--jobs', String(cores)]).wall);
  }
  console.log(`  ${String(n).padStart(3)} files: --jobs 1 ${fmt(median(t.serial) * 1000, 0).padStart(5)} ms, --jobs ${cores} ${fmt(median(t.workers) * 1000, 0).padStart(5)} ms (${fmt(median(t.serial) / median(t.workers), 2)}×)`);
}

const [rw] = summary;
const r = rw.row;
console.log(`\nGoals on ${rw.set.name} (load average at the end ${loadavg().map((l) => l.toFixed(2)).join(' ')}):`);
const p = rw.paired;
console.log(`  cold ÷ dockerfile-utils validate, files/s: ${fmt(p('cold', 'du', 'wall'), 2)}× (goal ≥ 2×; CPU seconds ${fmt(p('cold', 'du', 'cpu'), 2)}×)`);
console.log(`  cold ÷ tally, files/s: ${r.tally ? fmt(p('cold', 'tally', 'wall'), 2) + '×' : 'not measured'} (goal ≥ 5×${r.tally ? `; CPU seconds ${fmt(p('cold', 'tally', 'cpu'), 2)}×` : ''})`);
console.log(`  warm ÷ cold, files/s: ${fmt(p('warm', 'cold', 'wall'), 2)}× (goal ≥ 10×)`);
console.log(`  peak RSS with workers ÷ --jobs 1: ${fmt(r.cold.rss / r.serial.rss, 2)}× (goal ≤ 2×)`);
if (summary.some((s) => !s.same)) process.exitCode = 1;
