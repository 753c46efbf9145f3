/**
 * Kind `refusals`: requests an engine cannot run. `mountlint verify` must say
 * "the build could not run" with the engine's words and a remedy, and exit 2 —
 * never report a failed build, whose failure would read as a race or its absence.
 * Each case runs the CLI as a user would, on the engines that can produce it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const APT = 'FROM debian:bookworm-20230919\nRUN --mount=type=cache,target=/var/cache/apt true\n';
/** A step that asks for the host's network, which verify does not allow (`--allow network.host`). */
const HOST_NETWORK = 'FROM debian:bookworm-20230919\nRUN --network=host --mount=type=cache,target=/var/cache/apt true\n';
/**
 * engines: where the request is refused (elsewhere it may run, which is not this kind's question);
 * docker-26.1-bake (26.1 with the containerd store) runs only with MOUNTLINT_E2E_BAKE26=1.
 */
const CASES = [
  { name: 'refuse-multi-platform-docker-driver', id: 'multi-platform-unsupported', engines: ['docker-26.1'], text: APT, args: ['--platform', 'linux/amd64,linux/arm64'] },
  { name: 'refuse-platform-list-classic', id: 'platform-list-unsupported', engines: ['docker-20.10'], text: APT, args: ['--platform', 'linux/amd64,linux/arm64'] },
  { name: 'refuse-builder-missing', id: 'builder-missing', engines: ['docker-26.1', 'docker-26.1-bake', 'docker-28.5'], text: APT, args: ['--builder', 'no-such-builder'] },
  // The classic builder has no builders: its CLI does not know the option.
  { name: 'refuse-option-unknown-classic', id: 'option-unknown', engines: ['docker-20.10'], text: APT, args: ['--builder', 'no-such-builder'] },
  { name: 'refuse-frontend-unreachable', id: 'frontend-unreachable', engines: ['docker-20.10', 'docker-26.1', 'docker-26.1-bake', 'docker-28.5'], text: `# syntax=docker/dockerfile:1.7\n${APT}`, args: [] },
  { name: 'refuse-entitlement-network-host', id: 'entitlement-not-allowed', engines: ['docker-26.1', 'docker-26.1-bake', 'docker-28.5'], text: HOST_NETWORK, args: [] },
  // Docker 20.10's built-in Dockerfile frontend does not know RUN --network.
  { name: 'refuse-dockerfile-flag-classic', id: 'dockerfile-refused', engines: ['docker-20.10'], text: HOST_NETWORK, args: [] },
];

export function collect({ root }) {
  return CASES.map((c) => ({ kind: 'refusals', ...c, path: join(root, 'bin/mountlint.cjs') }));
}

export async function run(c, engine, settings) {
  const dir = mkdtempSync(join(tmpdir(), 'mountlint-refusal-'));
  try {
    writeFileSync(join(dir, 'Dockerfile'), c.text);
    const env = { ...engine.env, PATH: `${engine.bin.replace(/\/docker$/, '')}:${process.env.PATH}`, ...(engine.buildx ? {} : { DOCKER_BUILDKIT: '1' }) };
    const args = [join(settings.root, 'bin/mountlint.cjs'), 'verify', '--runs', '1', '--format', 'json', '--docker', engine.bin, ...(engine.buildx ? [] : ['--frontend', engine.frontend]), ...c.args, join(dir, 'Dockerfile')];
    const out = await runNode(args, env);
    let reported;
    try {
      reported = JSON.parse(out.stdout).original.runs.find((r) => !r.ok)?.failure?.infrastructure?.id;
    } catch {
      reported = undefined;
    }
    const ok = out.code === 2 && reported === c.id && /the build could not run on this engine: /.test(out.stderr);
    const said = out.stderr.trim().split('\n').pop() ?? '';
    return { kind: 'refusals', case: c.name, engine: engine.name, expected: c.id, reported: reported ?? '(none)', code: out.code, said, agree: ok, failures: ok ? 0 : 1, checks: 1, cleanup: [], fixes: {}, line: `exit ${out.code}, ${reported ?? 'no refusal'}${ok ? '' : `  EXPECTED exit 2, ${c.id}: ${said.slice(0, 200)}`}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function runNode(args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export function report(rows) {
  let md = '## Requests an engine cannot run\n\n';
  md += '`mountlint verify` on a request the engine refuses must say "the build could not run", with the engine\'s words and a remedy, and exit 2 (src/knowledge/failures.ts, `INFRASTRUCTURE_ERRORS`).\n\n';
  md += '| case | engine | expected | reported | exit | agree |\n|---|---|---|---|---|---|\n';
  for (const r of rows) md += `| ${r.case} | ${r.engine} | ${r.expected} | ${r.reported} | ${r.code} | ${r.agree ? 'yes' : '**no**'} |\n`;
  return md;
}
