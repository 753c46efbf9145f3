/**
 * The two engines, provisioned by provision.sh (idempotent: what runs is reused).
 * Each is driven with a CLI configuration of the suite's own (DOCKER_CONFIG
 * under the suite's state folder): Docker 20.10 without plugins (the classic
 * `DOCKER_BUILDKIT=1 docker build`), Docker 26.1 with its buildx.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export async function provision(root) {
  const out = await new Promise((resolve, reject) => {
    // provision.sh prints its progress on stderr (shown as it comes) and the result on stdout.
    const child = spawn('bash', [join(root, 'e2e/provision.sh')], { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.on('data', (c) => (text += c));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(text) : reject(new Error(`e2e/provision.sh exited with ${code}`))));
  });
  const p = Object.fromEntries(out.trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  const engine = (name, bin, host, config, frontend) => ({
    name,
    bin,
    frontend,
    env: { ...process.env, DOCKER_HOST: host, DOCKER_CONFIG: config },
    buildx: frontend === 'current',
  });
  return [
    engine('docker-20.10', p.DOCKER20_BIN, p.DOCKER20_HOST, p.DOCKER20_CONFIG, 'docker-20.10'),
    engine('docker-26.1', p.DOCKER26_BIN, p.DOCKER26_HOST, p.DOCKER26_CONFIG, 'current'),
    // Bake and multi-platform builds only (containerd image store, buildx 0.29, Compose 2.40):
    // the builds cases, and the tool cases that name this engine.
    { ...engine('docker-26.1-bake', p.DOCKER26B_BIN, p.DOCKER26B_HOST, p.DOCKER26B_CONFIG, 'current'), kinds: ['builds', 'tool'] },
  ];
}

/** Runs a docker command on an engine; resolves with its output, rejects with its last lines. */
export function docker(engine, args, { input, quiet = true } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(engine.bin, args, { env: engine.env, stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    if (input) input.pipe(child.stdin);
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(out);
      else reject(new Error(`${engine.name}: docker ${args.slice(0, 3).join(' ')} … failed (${code}):\n${out.trim().split('\n').slice(quiet ? -15 : 0).join('\n')}`));
    });
  });
}
