/**
 * The engines, provisioned by provision.sh (idempotent: what runs is reused).
 * Each is driven with a CLI configuration of the suite's own (DOCKER_CONFIG
 * under the suite's state folder): Docker 20.10 without plugins (the classic
 * `DOCKER_BUILDKIT=1 docker build`), Docker 26.1 with its buildx, and Docker 28.5
 * with the containerd image store and buildx 0.29 / Compose 2.40 — the one engine
 * that also runs bake, compose and multi-platform cases (`bake: true`).
 * MOUNTLINT_E2E_ENGINES (a comma list of names) runs a part of them;
 * MOUNTLINT_E2E_BAKE26=1 adds the Docker 26.1 daemon with the containerd store that
 * served bake before 28.5 replaced it (both agreed on every check: docs/proof.md).
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
  const all = [
    engine('docker-20.10', p.DOCKER20_BIN, p.DOCKER20_HOST, p.DOCKER20_CONFIG, 'docker-20.10'),
    engine('docker-26.1', p.DOCKER26_BIN, p.DOCKER26_HOST, p.DOCKER26_CONFIG, 'current'),
    { ...engine('docker-28.5', p.DOCKER28_BIN, p.DOCKER28_HOST, p.DOCKER28_CONFIG, 'current'), bake: true },
  ];
  // Bake and multi-platform cases only, on the engine that ran them before 28.5.
  if (process.env.MOUNTLINT_E2E_BAKE26 === '1') all.push({ ...engine('docker-26.1-bake', p.DOCKER26B_BIN, p.DOCKER26B_HOST, p.DOCKER26B_CONFIG, 'current'), bake: true, bakeOnly: true });
  return selectEngines(all, process.env.MOUNTLINT_E2E_ENGINES);
}

/** The engines a comma list names (all when none); an unknown name is an error, not a silent empty run. */
export function selectEngines(all, list) {
  if (!list) return all;
  const names = list.split(',').map((n) => n.trim()).filter(Boolean);
  const unknown = names.filter((n) => !all.some((e) => e.name === n));
  if (unknown.length) throw new Error(`MOUNTLINT_E2E_ENGINES names ${unknown.join(', ')}; the engines are ${all.map((e) => e.name).join(', ')}`);
  return all.filter((e) => names.includes(e.name));
}

/**
 * Whether a case runs on an engine: a case that names its engines only there (an engine kept
 * for bake cases too, when named); a case that needs bake, Compose or several platforms
 * (`bake: true`) only where the engine can run it; an engine kept for those only
 * (`bakeOnly`) runs no other case that does not name it.
 */
export function runsOn(c, engine) {
  if (c.engines) return c.engines.includes(engine.name) && (!c.bake || !!engine.bake);
  return c.bake ? !!engine.bake : !engine.bakeOnly;
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
