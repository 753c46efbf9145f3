/**
 * mountlint's reading of bake, compose and workflow files against Docker's
 * own: on every fixture of test/fixtures/builds, `docker buildx bake --print`
 * (bake files, bake-action steps) or `docker compose config` (compose files)
 * is run with the same files, targets, environment and env files, and the
 * resolved targets must match field by field: context, Dockerfile, stage,
 * args, platforms and named contexts. No engine is needed: both tools only
 * evaluate the files. Their binaries are Debian's docker-buildx and
 * docker-compose packages, unpacked where e2e/provision.sh (or
 * e2e/fetch-cli-plugins.sh) puts them, or MOUNTLINT_CLI_PLUGINS.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { DefinitionError, defaultDefinitionFiles, readBuildPlan, type BuildTarget } from '../../src/builds/index.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { skipForMissingTool } from '../helpers/tools.js';
import { scratchDir } from '../helpers/scratch.js';

const PLUGINS = process.env.MOUNTLINT_CLI_PLUGINS ?? '/var/lib/mountlint-e2e/sid/usr/libexec/docker/cli-plugins';
const BUILDX = join(PLUGINS, 'docker-buildx');
const COMPOSE = join(PLUGINS, 'docker-compose');
const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'builds');
/** What BAKE_LOCAL_PLATFORM and "local" are on both sides. */
const LOCAL = 'linux/amd64';

interface Case {
  about: string;
  tool: 'bake' | 'compose' | 'workflow';
  files?: string[];
  targets?: string[];
  set?: string[];
  env?: Record<string, string>;
  envFiles?: string[];
  profiles?: string[];
  workflow?: string;
}

interface Resolved {
  context: string;
  dockerfile: string;
  target?: string;
  args: Record<string, string>;
  platforms: string[];
  contexts: Record<string, string>;
  /** A Dockerfile written in the definition (bake dockerfile-inline, compose dockerfile_inline). */
  inline?: string;
}

const sorted = (o: Record<string, string>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));

function ours(t: BuildTarget): Resolved {
  return { context: resolve(t.context), dockerfile: resolve(t.dockerfile), target: t.stage || undefined, args: sorted(t.args), platforms: t.platforms, contexts: sorted(t.namedContexts), inline: t.inline?.text };
}

function run(bin: string, args: string[], cwd: string, env: Record<string, string>): string {
  const home = scratchDir('mountlint-cli-home-');
  const r = spawnSync(bin, args, { cwd, encoding: 'utf8', env: { PATH: '/usr/bin:/bin', HOME: home, DOCKER_CONFIG: home, BUILDX_NO_DEFAULT_ATTESTATIONS: '1', ...env }, timeout: 60_000 });
  assert.equal(r.status, 0, `${bin} ${args.join(' ')} failed in ${cwd}: ${r.stderr}`);
  return r.stdout;
}

function bakePrinted(dir: string, c: Case): Record<string, Resolved> {
  const args = ['bake', '--print', ...(c.files ?? []).flatMap((f) => ['-f', f]), ...(c.set ?? []).flatMap((s) => ['--set', s]), ...(c.targets ?? [])];
  const printed = JSON.parse(run(BUILDX, args, dir, c.env ?? {})) as { target: Record<string, { context?: string; dockerfile?: string; 'dockerfile-inline'?: string; target?: string; args?: Record<string, string | null>; platforms?: string[]; contexts?: Record<string, string> }> };
  const out: Record<string, Resolved> = {};
  for (const [name, t] of Object.entries(printed.target)) {
    // A `cwd://` path is under the folder bake runs in (printed as written).
    const context = resolve(dir, (t.context ?? '.').replace(/^cwd:\/\//, ''));
    const dockerfile = t.dockerfile ?? 'Dockerfile';
    out[name] = {
      context,
      dockerfile: dockerfile.startsWith('cwd://') ? resolve(dir, dockerfile.slice(6)) : isAbsolute(dockerfile) ? dockerfile : resolve(context, dockerfile),
      target: t.target || undefined,
      args: sorted(Object.fromEntries(Object.entries(t.args ?? {}).filter((e): e is [string, string] => e[1] !== null).map(([k, v]) => [k, v.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{')]))),
      // `--set *.platform=a,b` prints as one "a,b" (split when the build parses it).
      platforms: (t.platforms ?? []).flatMap((p) => p.split(',')).map((p) => (p === 'local' ? LOCAL : p)),
      contexts: sorted(t.contexts ?? {}),
      // --print escapes the template characters again.
      inline: t['dockerfile-inline']?.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{'),
    };
  }
  return out;
}

function composeConfig(dir: string, c: Case): Record<string, Resolved> {
  const args = [...(c.files ?? []).flatMap((f) => ['-f', f]), ...(c.envFiles ?? []).flatMap((f) => ['--env-file', f]), ...(c.profiles ?? []).flatMap((p) => ['--profile', p]), 'config', '--format', 'json'];
  const config = JSON.parse(run(COMPOSE, args, dir, c.env ?? {})) as { services: Record<string, { platform?: string; build?: { context: string; dockerfile?: string; dockerfile_inline?: string; target?: string; args?: Record<string, string | null>; platforms?: string[]; additional_contexts?: Record<string, string> } }> };
  const out: Record<string, Resolved> = {};
  for (const [name, s] of Object.entries(config.services)) {
    const b = s.build;
    if (!b) continue;
    const dockerfile = b.dockerfile ?? 'Dockerfile';
    out[name] = {
      context: b.context,
      dockerfile: isAbsolute(dockerfile) ? dockerfile : resolve(b.context, dockerfile),
      target: b.target || undefined,
      // config prints `$` as `$$`, so that its output reads back the same.
      args: sorted(Object.fromEntries(Object.entries(b.args ?? {}).filter((e): e is [string, string] => e[1] !== null).map(([k, v]) => [k, v.replace(/\$\$/g, '$')]))),
      platforms: b.platforms ?? (s.platform ? [s.platform] : []),
      contexts: sorted(Object.fromEntries(Object.entries(b.additional_contexts ?? {}).map(([k, v]) => [k, v.startsWith('service:') ? `target:${v.slice(8)}` : v]))),
      inline: b.dockerfile_inline?.replace(/\$\$/g, '$'),
    };
  }
  return out;
}

/** A `docker` that runs the two plugins, for mountlint's own `--resolver docker` path. */
function dockerShim(): string {
  const bin = join(scratchDir('mountlint-docker-shim-'), 'docker');
  writeFileSync(bin, `#!/bin/sh\ncase "$1" in\n  buildx) shift; exec ${JSON.stringify(BUILDX)} "$@" ;;\n  compose) shift; exec ${JSON.stringify(COMPOSE)} "$@" ;;\nesac\nexit 1\n`);
  chmodSync(bin, 0o755);
  return bin;
}

async function mountlintReading(dir: string, c: Case, docker?: string): Promise<Record<string, Resolved>> {
  const env = c.env ?? {};
  let paths: string[];
  if (c.tool === 'workflow') paths = [join(dir, c.workflow!)];
  else if (c.files) paths = c.files.map((f) => join(dir, f));
  else paths = defaultDefinitionFiles(dir).filter((f) => (c.tool === 'compose' ? !/bake/.test(f) : true));
  const home = scratchDir('mountlint-cli-home-');
  const resolver = docker ? { bin: docker, env: { PATH: '/usr/bin:/bin', HOME: home, DOCKER_CONFIG: home, ...env } } : undefined;
  const plan = await readBuildPlan(paths, { env, cwd: dir, bakeTargets: c.tool === 'bake' ? c.targets : undefined, envFiles: c.envFiles?.map((f) => join(dir, f)), profiles: c.profiles, localPlatform: LOCAL, docker: resolver });
  assert.equal(plan.resolvedBy, docker ? 'docker' : 'mountlint', plan.notes.join('\n'));
  assert.equal(plan.requests.length, 1, `one request, not ${plan.requests.map((r) => r.label).join('; ')}`);
  const out: Record<string, Resolved> = {};
  for (const t of plan.requests[0].targets) {
    assert.equal(t.unknown?.reason, undefined, `${t.name} is not analysed`);
    out[t.name] = ours(t);
  }
  return out;
}

/** Paths relative to the fixture, so that the recorded answer does not depend on where the clone is. */
function portable(dir: string, targets: Record<string, Resolved>): Record<string, Resolved> {
  const rel = (p: string) => (isAbsolute(p) ? relative(dir, p) || '.' : p);
  return Object.fromEntries(Object.entries(targets).sort(([a], [b]) => a.localeCompare(b)).map(([k, t]) => [k, JSON.parse(JSON.stringify({ ...t, context: rel(t.context), dockerfile: rel(t.dockerfile) })) as Resolved]));
}

const cases = readdirSync(FIXTURES).filter((d) => existsSync(join(FIXTURES, d, 'case.json'))).sort();

describe("mountlint reads bake and compose files as Docker's own tools do", () => {
  it('has fixtures of every kind', () => {
    const kinds = new Set(cases.map((d) => (JSON.parse(readFileSync(join(FIXTURES, d, 'case.json'), 'utf8')) as Case).tool));
    assert.deepEqual([...kinds].sort(), ['bake', 'compose', 'workflow']);
  });

  for (const name of cases) {
    const dir = join(FIXTURES, name);
    const c = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) as Case;
    it(`${name}: ${c.about}`, async (t) => {
      const tool = c.tool === 'compose' ? COMPOSE : BUILDX;
      if (!existsSync(tool)) return skipForMissingTool(t, `${tool} is not here (bash e2e/fetch-cli-plugins.sh unpacks it, or set MOUNTLINT_CLI_PLUGINS)`);
      const docker = c.tool === 'compose' ? composeConfig(dir, c) : bakePrinted(dir, c);
      // Docker's answer is recorded beside the fixture (docker.json) for the test below, which runs everywhere.
      if (process.env.MOUNTLINT_RECORD_DOCKER === '1') writeFileSync(join(dir, 'docker.json'), JSON.stringify(portable(dir, docker), null, 2) + '\n');
      assert.deepEqual(portable(dir, docker), JSON.parse(readFileSync(join(dir, 'docker.json'), 'utf8')), `docker.json is not what ${c.tool === 'compose' ? 'Compose' : 'buildx'} answers now (MOUNTLINT_RECORD_DOCKER=1 records it)`);
      const mine = await mountlintReading(dir, c);
      assert.deepEqual(Object.keys(mine).sort(), Object.keys(docker).sort(), 'the targets');
      for (const target of Object.keys(docker)) assert.deepEqual(mine[target], docker[target], `target ${target}`);
      // mountlint's --resolver docker path (docker buildx bake --print, docker compose config) gives the same.
      if (c.tool !== 'workflow') assert.deepEqual(await mountlintReading(dir, c, dockerShim()), docker, 'resolved by Docker through mountlint');
    });
  }
});

describe("mountlint's reading of each fixture is Docker's recorded answer (docker.json), without Docker", () => {
  for (const name of cases) {
    const dir = join(FIXTURES, name);
    const c = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) as Case;
    it(name, async () => {
      const recorded = JSON.parse(readFileSync(join(dir, 'docker.json'), 'utf8')) as Record<string, Resolved>;
      assert.deepEqual(portable(dir, await mountlintReading(dir, c)), recorded);
    });
  }
});

describe('where mountlint cannot evaluate a definition, buildx resolves it alone', () => {
  it('a matrix over uuidv4(): our reading degrades; with buildx, its targets are built and placed in the file', async (t) => {
    if (!existsSync(BUILDX)) return skipForMissingTool(t, `${BUILDX} is not here (bash e2e/fetch-cli-plugins.sh unpacks it, or set MOUNTLINT_CLI_PLUGINS)`);
    const dir = scratchDir('mountlint-uuid-matrix-');
    writeFileSync(join(dir, 'docker-bake.hcl'), 'target "default" {\n  name = "w${replace(v, "-", "")}"\n  matrix = { v = [for i in range(2) : "${i}-${substr(uuidv4(), 0, 0)}"] }\n  dockerfile = "w.Dockerfile"\n}\n');
    writeFileSync(join(dir, 'w.Dockerfile'), 'FROM scratch\n');
    await assert.rejects(readBuildPlan([join(dir, 'docker-bake.hcl')], { env: {}, cwd: dir }), (err: unknown) => err instanceof DefinitionError && err.limitation);
    const home = scratchDir('mountlint-cli-home-');
    const plan = await readBuildPlan([join(dir, 'docker-bake.hcl')], { env: {}, cwd: dir, docker: { bin: dockerShim(), env: { PATH: '/usr/bin:/bin', HOME: home, DOCKER_CONFIG: home } } });
    assert.equal(plan.resolvedBy, 'docker');
    assert.deepEqual(plan.requests[0].targets.map((x) => [x.name, x.dockerfile, x.definedAt.source.path]), [['w0', join(dir, 'w.Dockerfile'), join(dir, 'docker-bake.hcl')], ['w1', join(dir, 'w.Dockerfile'), join(dir, 'docker-bake.hcl')]]);
    assert.match(plan.notes.join('\n'), /matrix cannot be evaluated without Docker .*: resolved by docker buildx bake --print instead/);
  });
});

