/**
 * `mountlint diagnose` on a huge log: a generated 200 MB BuildKit log (a
 * real race log, with tens of thousands of steps' worth of output lines
 * spliced into the racing step, as a verbose build prints) read by the CLI as
 * users run it, once from a file and once from standard input. Measured with
 * /usr/bin/time: wall time, CPU seconds and peak RSS, beside the RSS of the
 * same CLI on the small log (what reading costs on top of startup).
 * Goal (issue 20): peak RSS bounded, well under the log's size (≤ 150 MB for 200 MB).
 * Settings: MOUNTLINT_BENCH_DIAGNOSE_MB (default 200).
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './corpus.mjs';

const TIME = '/usr/bin/time';
const MB = Number(process.env.MOUNTLINT_BENCH_DIAGNOSE_MB ?? 200);
if (!existsSync(TIME)) {
  console.log(`diagnose bench skipped: ${TIME} is not installed (Debian: apt-get install time)`);
  process.exit(0);
}
const LOG = join(ROOT, 'test/fixtures/build-logs/seed-docker26.log');
const SEED = join(ROOT, 'examples/seed/Dockerfile');
const CLI = join(ROOT, 'bin/mountlint.cjs');
const dir = mkdtempSync(join(tmpdir(), 'mountlint-bench-diagnose-'));

/** The real log with `MB` megabytes of output lines of the racing step (#6, still running) before the failure. */
async function generate(file) {
  const lines = readFileSync(LOG, 'utf8').split('\n');
  const at = lines.findIndex((l) => /Could not get lock/.test(l));
  const out = createWriteStream(file);
  const write = (s) => (out.write(s) ? Promise.resolve() : new Promise((r) => out.once('drain', r)));
  await write(lines.slice(0, at).join('\n') + '\n');
  let n = 0;
  const target = MB * 1024 * 1024;
  let size = 0;
  while (size < target) {
    let chunk = '';
    for (let i = 0; i < 2000; i++, n++) chunk += `#6 ${(n / 1000).toFixed(3)} Get:${n} http://deb.debian.org/debian bookworm/main amd64 package-number-${n} amd64 1.0-${n} [${n % 9999} kB]\n`;
    size += chunk.length;
    await write(chunk);
  }
  await write(lines.slice(at).join('\n'));
  await new Promise((r) => out.end(r));
  return n;
}

function measure(args, input) {
  const r = spawnSync(TIME, ['-f', '%e %U %S %M', process.execPath, CLI, 'diagnose', ...args], { input: input ? readFileSync(input) : undefined, maxBuffer: 1 << 30, stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'], encoding: 'buffer' });
  const last = r.stderr.toString().trim().split('\n').pop().split(' ').map(Number);
  return { code: r.status, out: r.stdout.toString(), wall: last[0], cpu: last[1] + last[2], rssMB: last[3] / 1024 };
}

try {
  const big = join(dir, 'huge.log');
  const lines = await generate(big);
  const bytes = statSync(big).size;
  const small = measure([LOG, '-f', SEED]);
  const file = measure([big, '-f', SEED]);
  // Standard input: the same file through a pipe (a shell's `< huge.log` would be a file again).
  const pipe = spawnSync('bash', ['-c', `cat "${big}" | ${TIME} -f '%e %U %S %M' "${process.execPath}" "${CLI}" diagnose - -f "${SEED}" > /dev/null`], { encoding: 'utf8' });
  const p = pipe.stderr.trim().split('\n').pop().split(' ').map(Number);
  const rows = [
    ['small log (real, 0.01 MB)', small],
    [`${(bytes / 1048576).toFixed(0)} MB log, file`, file],
    [`${(bytes / 1048576).toFixed(0)} MB log, stdin`, { code: pipe.status, wall: p[0], cpu: p[1] + p[2], rssMB: p[3] / 1024 }],
  ];
  console.log(`\n## diagnose on a huge log (${lines.toLocaleString('en')} generated output lines)\n`);
  console.log('| input | exit | wall s | CPU s | peak RSS MB |\n|---|---|---|---|---|');
  for (const [name, r] of rows) console.log(`| ${name} | ${r.code} | ${r.wall.toFixed(2)} | ${r.cpu.toFixed(2)} | ${r.rssMB.toFixed(0)} |`);
  const ok = file.code === 1 && /race inside this build/.test(file.out) && /Dockerfile:3/.test(file.out);
  console.log(`\nverdict on the huge log: ${ok ? 'the race, step and line as on the small log' : 'WRONG'}; MB/s: ${(bytes / 1048576 / file.wall).toFixed(0)}`);
  if (!ok) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
