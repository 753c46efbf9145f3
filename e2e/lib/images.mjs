/**
 * The tool images the tool cases build FROM (e2e/images/<name>/Dockerfile):
 * the debootstrapped base plus Debian's packages for one tool family. Each is
 * tagged mountlint-e2e/<name>:<hash of its recipe> (and :latest, which the cases
 * use), so it is built once, reused by later runs, and rebuilt when its recipe
 * changes. Built on the engine with buildx, then copied into the other with
 * `docker save | docker load` (one download of the packages, not two).
 * The host's extra certificate authorities go into the image (npm fails with
 * SELF_SIGNED_CERT_IN_CHAIN behind a TLS-inspecting proxy without them), and
 * the npm registry the host uses is passed as a build argument.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docker } from './engines.mjs';
import { say, secs } from './progress.mjs';

const LOCAL_CAS = '/usr/local/share/ca-certificates';

function filesUnder(dir, prefix = '') {
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? filesUnder(dir, join(prefix, e.name)) : [join(prefix, e.name)]));
}

function npmRegistry() {
  try {
    return execFileSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8' }).trim() || 'https://registry.npmjs.org/';
  } catch {
    return 'https://registry.npmjs.org/';
  }
}

export function imageRecipes(root) {
  const dir = join(root, 'e2e/images');
  const registry = npmRegistry();
  const cas = existsSync(LOCAL_CAS) ? filesUnder(LOCAL_CAS).filter((f) => f.endsWith('.crt')) : [];
  return readdirSync(dir).filter((n) => existsSync(join(dir, n, 'Dockerfile'))).sort().map((name) => {
    const hash = createHash('sha256');
    for (const f of filesUnder(join(dir, name))) hash.update(`${f}\0`).update(readFileSync(join(dir, name, f))).update('\0');
    for (const f of cas) hash.update(`ca/${f}\0`).update(readFileSync(join(LOCAL_CAS, f))).update('\0');
    hash.update(`registry\0${registry}`);
    const tag = hash.digest('hex').slice(0, 16);
    return { name, dir: join(dir, name), repo: `mountlint-e2e/${name}`, ref: `mountlint-e2e/${name}:${tag}`, tag, registry, cas };
  });
}

const has = (engine, ref) => docker(engine, ['image', 'inspect', '--format', '{{.Id}}', ref]).then(() => true, () => false);

async function build(engine, recipe, logDir) {
  const ctx = mkdtempSync(join(tmpdir(), `mountlint-image-${recipe.name}-`));
  try {
    cpSync(recipe.dir, ctx, { recursive: true });
    mkdirSync(join(ctx, 'ca-certificates'));
    for (const f of recipe.cas) cpSync(join(LOCAL_CAS, f), join(ctx, 'ca-certificates', f.replaceAll('/', '_')));
    const args = [...(engine.buildx ? ['buildx', 'build', '--load'] : ['build']), '--progress=plain', '--network=host', '--build-arg', `NPM_REGISTRY=${recipe.registry}`, '-t', recipe.ref, ctx];
    const log = await docker({ ...engine, env: engine.buildx ? engine.env : { ...engine.env, DOCKER_BUILDKIT: '1' } }, args, { quiet: true });
    mkdirSync(logDir, { recursive: true });
    (await import('node:fs')).writeFileSync(join(logDir, `image-${recipe.name}.log`), log);
  } finally {
    rmSync(ctx, { recursive: true, force: true });
  }
}

/** `docker save` on one engine piped into `docker load` on the other. */
function copy(from, to, ref) {
  return new Promise((resolve, reject) => {
    const save = spawn(from.bin, ['save', ref], { env: from.env, stdio: ['ignore', 'pipe', 'inherit'] });
    save.on('error', reject);
    docker(to, ['load'], { input: save.stdout }).then(resolve, reject);
  });
}

/** Makes every recipe's current image present, as :<hash> and :latest, on every engine. */
export async function ensureImages(engines, root, logDir) {
  const recipes = imageRecipes(root);
  const builder = engines.find((e) => e.buildx) ?? engines[0];
  const one = async (recipe) => {
    const t = performance.now();
    const present = await Promise.all(engines.map((e) => has(e, recipe.ref)));
    if (present.every(Boolean)) {
      say(`image ${recipe.ref}: present on every engine`);
    } else {
      let source = engines.find((_, i) => present[i]);
      if (!source) {
        say(`image ${recipe.ref}: building on ${builder.name} (new or changed recipe; a few minutes)`);
        await build(builder, recipe, logDir);
        source = builder;
      }
      for (const e of engines) {
        if (e === source || (await has(e, recipe.ref))) continue;
        say(`image ${recipe.ref}: copying from ${source.name} to ${e.name}`);
        await copy(source, e, recipe.ref);
      }
      say(`image ${recipe.ref}: ready in ${secs(performance.now() - t)}`);
    }
    for (const e of engines) {
      await docker(e, ['tag', recipe.ref, `${recipe.repo}:latest`]);
      // Older builds of this recipe are not needed any more.
      const tags = (await docker(e, ['image', 'ls', recipe.repo, '--format', '{{.Tag}}'])).split('\n').map((s) => s.trim()).filter(Boolean);
      for (const old of tags.filter((x) => x !== recipe.tag && x !== 'latest')) await docker(e, ['rmi', `${recipe.repo}:${old}`]).catch(() => {});
    }
  };
  // Two at a time: downloads and unpacking overlap without crowding the two cores.
  const queue = [...recipes];
  await Promise.all([0, 1].map(async () => {
    while (queue.length) await one(queue.shift());
  }));
  return recipes;
}
