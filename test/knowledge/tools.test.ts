import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Invocation } from '../../src/commands/index.js';
import { pathToFileURL } from 'node:url';
import { APT_PROGRAMS, FAILURE_SIGNATURES, IMAGES, imageKnowledge, OBSERVED_RACES, observedRace, recognizeTool, runsToConvince, SOURCES, toolOfProgram, TOOLS, type StepContext } from '../../src/knowledge/index.js';
import { Scope } from '../../src/model/index.js';
import { itWithShared, REPO_ROOT, SHARED } from '../helpers/paths.js';

/** Where the evidence tags other than observed: ones are cited. */
const REFERENCES = join(SHARED, 'spec/package-managers.md');

describe('tool knowledge is complete and cited', () => {
  it('has at least 25 tools with unique ids', () => {
    assert.ok(TOOLS.length >= 25, `${TOOLS.length} tools`);
    assert.equal(new Set(TOOLS.map((t) => t.id)).size, TOOLS.length);
  });
  for (const t of TOOLS) {
    it(t.id, () => {
      assert.ok(t.name && (t.programs.length || t.variantOf) && t.cacheDirs.length && t.concurrencyNote && t.effective && t.recommendedSharing);
      assert.ok(t.evidence.length > 0);
      // How it fails in a build log: every line it is known to print, recognised by its own pattern.
      assert.ok(Array.isArray(t.signatures), 'lists the lines it prints when its cache is taken (empty when none is known)');
      for (const s of t.signatures) {
        assert.ok(s.meaning && s.example, `${s.id}: says what it means, with a line as printed`);
        assert.match(s.example, s.pattern, `${s.id}: its example is what it recognises`);
        assert.ok(['failure', 'wait', 'unwritable'].includes(s.kind ?? 'failure'), `${s.id}: kind ${s.kind}`);
        // diagnose reads group 1 as the path the line names (to pick the cache among a step's races).
        const path = s.pattern.exec(s.example)?.[1];
        if (path !== undefined) assert.match(path, /^\//, `${s.id}: group 1 is not a path`);
      }
      // The ways its safety is decided, beyond its classification: only where it depends, and well-formed.
      if (t.safeByImageProgram || t.lockBesideCache) assert.equal(t.concurrency, 'depends', 'decides what it depends on');
      if (t.safeByImageProgram) assert.deepEqual(t.safeByImageProgram.safeMajors.filter((m) => t.safeByImageProgram!.unsafeMajors.includes(m)), [], 'no version both safe and unsafe');
      if (t.lockBesideCache) {
        const names = t.cacheDirs.map((d) => d.replace(/^.*\//, ''));
        for (const n of t.lockBesideCache.cacheDirNames) assert.ok(names.includes(n), `${n} is one of its cache directories`);
        assert.ok(t.lockBesideCache.file && t.lockBesideCache.waitReason);
      }
      if (t.usesByLocks) for (const p of t.programs) assert.ok(APT_PROGRAMS.has(p), `${p}: its locks are read by aptLockUses`);
      for (const tag of t.evidence) {
        // Races run here are cited by case name; they resolve in src/knowledge/observed.ts.
        if (tag.startsWith('observed:')) assert.equal(observedRace(tag.slice('observed:'.length))?.tool, t.id, `evidence ${tag} is not a case of ${t.id} in observed.ts`);
      }
      if (t.concurrency === 'depends') assert.ok(t.dependsOn, 'says what it depends on');
      if (t.concurrency === 'safe') assert.equal(t.recommendedSharing, 'shared', 'never lock what is safe to share');
      assert.ok(t.unwritableCache.note && t.unwritableCache.evidence.length, 'says what it does with a cache it cannot write');
      for (const d of t.discards ?? []) assert.ok(d.evidence.length && d.why, 'each way of discarding is cited');
      for (const o of t.outputs ?? []) assert.ok(o.evidence.length && (o.dir || o.pattern), 'each output directory is cited');
    });
  }
  it('signatures have unique ids; each example is recognised first by its own signature', () => {
    assert.equal(new Set(FAILURE_SIGNATURES.map((s) => s.id)).size, FAILURE_SIGNATURES.length);
    for (const s of FAILURE_SIGNATURES) assert.equal(FAILURE_SIGNATURES.find((o) => o.pattern.test(s.example)), s, `${s.id}: an earlier signature takes its example`);
    for (const s of FAILURE_SIGNATURES) assert.ok(s.tool === 'any' ? s.kind === 'unwritable' : TOOLS.some((t) => t.id === s.tool), `${s.id}: ${s.tool}`);
  });
  it('apt\'s programs, whose locks the rules read, belong to the one tool that is used by its locks', () => {
    assert.equal(TOOLS.filter((t) => t.usesByLocks).length, 1);
    for (const p of APT_PROGRAMS) assert.ok(toolOfProgram(p)?.usesByLocks, p);
  });
  itWithShared('every other evidence tag is a source in package-managers.md', () => {
    const references = readFileSync(REFERENCES, 'utf8');
    for (const t of TOOLS) {
      for (const tag of t.evidence) if (!tag.startsWith('observed:')) assert.ok(references.includes(`[${tag}]`), `${t.id}: evidence [${tag}] is not in package-managers.md`);
    }
  }, REFERENCES);
  it('a reported failure cites a report (an observation), never documentation', () => {
    for (const t of TOOLS) for (const r of t.reportedFailures ?? []) assert.equal(SOURCES[r.source]?.kind, 'report', `${t.id}: [${r.source}] is not a report`);
    for (const t of TOOLS) for (const r of t.reportedFailures ?? []) if (r.triedHere) assert.equal(observedRace(r.triedHere)?.tool, t.id, `${t.id}: ${r.triedHere} is not a case of ${t.id}`);
  });
  it('every evidence tag links to a public source', () => {
    const tags = [
      ...TOOLS.flatMap((t) => [
        ...t.evidence,
        ...t.unwritableCache.evidence,
        ...(t.discards ?? []).flatMap((d) => d.evidence),
        ...(t.outputs ?? []).flatMap((o) => [...o.evidence, ...(o.emptiedBy?.evidence ?? [])]),
        ...(t.reportedFailures ?? []).map((r) => r.source),
      ]),
      ...IMAGES.flatMap((i) => i.evidence),
    ];
    for (const tag of tags.filter((t) => !t.startsWith('observed:'))) assert.match(SOURCES[tag]?.url ?? '', /^https:\/\//, `evidence [${tag}] has no public address in src/knowledge/evidence.ts`);
  });
});

describe('races observed here agree with the knowledge', () => {
  // What each classification allows a real race to show.
  const allowed: Record<string, string[]> = { fails: ['fails'], corrupts: ['fails'], waits: ['waits'], safe: ['safe'], depends: ['fails', 'waits', 'safe'] };
  for (const o of OBSERVED_RACES) {
    it(o.case, () => {
      const tool = TOOLS.find((t) => t.id === o.tool);
      assert.ok(tool, `unknown tool ${o.tool}`);
      // A shared output directory is judged by what empties it, not by the cache's classification.
      if (o.shared === 'output') assert.ok((tool.outputs ?? []).some((out) => out.emptiedBy) && o.outcome !== 'waits', `${o.case}: ${o.tool} has no output directory it empties`);
      else assert.ok(allowed[tool.concurrency].includes(o.outcome), `${o.tool} is classed ${tool.concurrency}, but ${o.case} ${o.outcome}`);
      assert.ok(tool.evidence.includes(`observed:${o.case}`), `${o.tool} does not cite observed:${o.case}`);
      assert.ok(o.failures <= o.runs && (o.outcome === 'fails') === o.failures > 0, 'failures only where it fails');
    });
  }
  it('every case is in the e2e suite, and every tool has a case or a reason why not', async () => {
    type Case = { name: string; tool: string };
    const { TOOL_CASES: tools, APT_MODEL_CASE } = (await import(pathToFileURL(join(REPO_ROOT, 'e2e/tools/cases.mjs')).href)) as { TOOL_CASES: Case[]; APT_MODEL_CASE: Case };
    const TOOL_CASES = [...tools, APT_MODEL_CASE];
    const { UNPROVEN } = (await import(pathToFileURL(join(REPO_ROOT, 'e2e/tools/unproven.mjs')).href)) as { UNPROVEN: Record<string, string> };
    for (const o of OBSERVED_RACES) assert.equal(TOOL_CASES.find((c) => c.name === o.case)?.tool, o.tool, `${o.case} is not a ${o.tool} case in e2e/tools/cases.mjs`);
    for (const c of TOOL_CASES) assert.ok(observedRace(c.name), `${c.name} has no entry in observed.ts`);
    for (const t of TOOLS) {
      const proven = TOOL_CASES.some((c) => c.tool === t.id);
      assert.ok(proven !== (t.id in UNPROVEN), `${t.id}: ${proven ? 'has a case and a reason why not' : 'has neither a case nor a reason why not'}`);
    }
  });
  it('runs to convince: (1 - p)^n at most 1 - confidence, n the least such', () => {
    for (const o of OBSERVED_RACES.filter((x) => x.outcome === 'fails')) {
      const shared = o.shared ?? 'cache';
      const n = runsToConvince(o.tool, 0.95, shared)!;
      const p = Math.min(...OBSERVED_RACES.filter((x) => x.tool === o.tool && (x.shared ?? 'cache') === shared && x.outcome === 'fails').map((x) => x.failures / x.runs));
      assert.ok((1 - p) ** n <= 0.05 + 1e-12 && (n === 1 || (1 - p) ** (n - 1) > 0.05), `${o.tool}: ${n} runs at p=${p}`);
    }
  });
});

const inv = (line: string, assignments: Record<string, string> = {}): Invocation => {
  const [program, ...args] = line.split(' ');
  return { program, args, literal: args.map(() => true), assignments, range: { start: 0, end: 0 }, nameRange: { start: 0, end: 0 }, via: [], flocks: [] };
};
/** A step on `baseImage` (its ENV as the model gives it) as `user`, whose HOME is `home` (root's by default). */
const ctx = (env: Record<string, string> = {}, user = '', baseImage = 'debian:bookworm', home = user === '' ? '/root' : undefined): StepContext => ({
  env: new Scope(Object.entries({ ...imageKnowledge(baseImage)?.env, ...env })),
  user,
  baseImage,
  home,
});

describe('every tool is recognised, with its cache where it really is', () => {
  const cases: Array<[string, string, string[], StepContext?]> = [
    ['apt-get install -y vim', 'apt', ['/var/cache/apt/archives', '/var/lib/apt/lists']],
    ['apk add curl', 'apk', ['/etc/apk/cache', '/var/cache/apk']],
    ['yum install -y gcc', 'yum', ['/var/cache/yum']],
    ['dnf install -y gcc', 'dnf', ['/var/cache/dnf']],
    ['dnf5 install -y gcc', 'dnf5', ['/var/cache/libdnf5']],
    ['microdnf install -y gcc', 'microdnf', ['/var/cache/yum']],
    ['zypper install -y gcc', 'zypper', ['/var/cache/zypp']],
    ['pacman -Syu --noconfirm', 'pacman', ['/var/cache/pacman/pkg']],
    ['pip install -r r.txt', 'pip', ['/root/.cache/pip']],
    ['python3 -m pip install x', 'pip', ['/root/.cache/pip']],
    ['pip install x', 'pip', ['/home/app/.cache/pip'], ctx({}, 'app', 'python:3.12', '/home/app')],
    ['pip install x', 'pip', ['${HOME}/.cache/pip'], ctx({}, 'app', 'example.com/python')],
    ['pip install x', 'pip', ['/.cache/pip'], ctx({}, '1000', 'python:3.12', '/')],
    ['pip install x', 'pip', ['/pipcache'], ctx({ PIP_CACHE_DIR: '/pipcache' })],
    ['pip install --cache-dir /c x', 'pip', ['/c']],
    ['uv pip install x', 'uv', ['/root/.cache/uv']],
    ['poetry install', 'poetry', ['/root/.cache/pypoetry']],
    ['pipenv install', 'pipenv', ['/root/.cache/pipenv']],
    ['conda install -y numpy', 'conda', ['/opt/conda/pkgs']],
    ['micromamba install -y numpy', 'mamba', ['/opt/conda/pkgs']],
    ['npm ci', 'npm', ['/root/.npm']],
    ['npx prisma generate', 'npm', []],
    ['yarn install --frozen-lockfile', 'yarn1', ['/usr/local/share/.cache/yarn']],
    ['yarn install', 'yarn1', ['/home/node/.cache/yarn'], ctx({}, 'node', 'node:20', '/home/node')],
    ['yarn install', 'yarn1', ['/x/yarn'], ctx({ XDG_CACHE_HOME: '/x' })],
    ['corepack yarn install', 'yarn1', ['/usr/local/share/.cache/yarn']],
    ['yarn install --immutable', 'yarn-berry', ['/root/.yarn/berry/cache']],
    ['pnpm install', 'pnpm', ['/pnpm/store'], ctx({ PNPM_HOME: '/pnpm' })],
    ['pnpm install', 'pnpm', ['/root/.local/share/pnpm/store']],
    ['pnpm install --store-dir /s', 'pnpm', ['/s']],
    ['bun install', 'bun', ['/root/.bun/install/cache']],
    ['cargo build --release', 'cargo', ['/usr/local/cargo/registry', '/usr/local/cargo/git'], ctx({}, '', 'rust:1.80')],
    ['cargo build', 'cargo', ['/root/.cargo/registry', '/root/.cargo/git']],
    ['go build ./...', 'go', ['/go/pkg/mod', '/root/.cache/go-build'], ctx({}, '', 'golang:1.23')],
    ['mvn -B package', 'maven', ['/root/.m2/repository']],
    ['mvn -Dmaven.repo.local=/m2 package', 'maven', ['/m2']],
    ['./gradlew build', 'gradle', ['/home/gradle/.gradle'], ctx({}, '', 'gradle:8')],
    ['ccache -s', 'ccache', ['/root/.cache/ccache']],
    ['sccache --show-stats', 'sccache', ['/root/.cache/sccache']],
    ['bundle install', 'bundler', ['/usr/local/bundle/cache', '/root/.bundle/cache'], ctx({}, '', 'ruby:3.3')],
    ['composer install', 'composer', ['/tmp/cache'], ctx({}, '', 'composer:2')],
    ['composer install', 'composer', ['/root/.composer/cache'], ctx({}, '', 'php:8.3')],
    ['composer install', 'composer', ['/root/.cache/composer'], ctx({ XDG_CONFIG_HOME: '/root/.config' }, '', 'php:8.3')],
    ['composer install', 'composer', ['/c'], ctx({ COMPOSER_CACHE_DIR: '/c', COMPOSER_HOME: '/h' }, '', 'php:8.3')],
    ['dotnet restore', 'nuget', ['/root/.nuget/packages']],
    ['cs fetch x', 'coursier', ['/root/.cache/coursier/v1']],
    ['sbt compile', 'sbt', ['/root/.ivy2/cache', '/root/.sbt', '/root/.cache/coursier/v1']],
  ];
  for (const [line, id, dirs, c] of cases) {
    it(`${line} → ${id}`, () => {
      const use = recognizeTool(inv(line), c ?? ctx());
      assert.equal(use?.tool.id, id);
      assert.deepEqual(use?.cacheDirs, dirs);
    });
  }
  it('every tool has a recognition case', () => {
    const covered = new Set(cases.map((c) => c[1]));
    assert.deepEqual(TOOLS.map((t) => t.id).filter((id) => !covered.has(id)), []);
  });
  it('a VAR=x prefix moves the cache', () => assert.deepEqual(recognizeTool(inv('pip install x', { PIP_CACHE_DIR: '/p' }), ctx())?.cacheDirs, ['/p']));
  it('disabled caches', () => {
    assert.equal(recognizeTool(inv('pip install --no-cache-dir x'), ctx())?.disabledBy, '--no-cache-dir');
    assert.equal(recognizeTool(inv('pip install x'), ctx({ PIP_NO_CACHE_DIR: 'off' }))?.disabledBy, 'PIP_NO_CACHE_DIR=off');
    assert.equal(recognizeTool(inv('pip install x'), ctx({ PIP_NO_CACHE_DIR: '0' }))?.disabledByVariable, 'PIP_NO_CACHE_DIR');
    assert.equal(recognizeTool(inv('apk add --no-cache curl'), ctx())?.disabledBy, '--no-cache');
  });
  it('cleanup commands', () => {
    for (const line of ['apt-get clean', 'pip cache purge', 'npm cache clean --force', 'yarn cache clean', 'go clean -modcache', 'dnf clean all', 'conda clean -a -y', 'uv cache clean']) {
      assert.equal(recognizeTool(inv(line), ctx())?.wipes, true, line);
    }
    assert.equal(recognizeTool(inv('apt-get install -y clean'), ctx())?.wipes, false);
  });
});

describe('where tools put what the image needs', () => {
  const outputs = (line: string, c: StepContext, cwd: string) => recognizeTool(inv(line), c, cwd)?.outputs.map((o) => o.dir ?? o.spec.pattern);
  it("cargo: target/ of the project, from the working directory, --manifest-path, --target-dir or CARGO_TARGET_DIR", () => {
    assert.deepEqual(outputs('cargo build --release', ctx(), '/app/svc'), ['/app/svc/target']);
    assert.deepEqual(outputs('cargo build --manifest-path svc/Cargo.toml', ctx(), '/app'), ['/app/svc/target']);
    assert.deepEqual(outputs('cargo build --target-dir /out', ctx(), '/app'), ['/out']);
    assert.deepEqual(outputs('cargo build', ctx({ CARGO_TARGET_DIR: '/t' }), '/app'), ['/t']);
  });
  it('npm: node_modules of the project, none for -g', () => {
    assert.deepEqual(outputs('npm ci', ctx(), '/app'), ['/app/node_modules']);
    assert.deepEqual(outputs('npm install -g pnpm', ctx(), '/app'), []);
    assert.deepEqual(outputs('npm ci --prefix web', ctx(), '/app'), ['/app/web/node_modules']);
  });
  it("Poetry: its virtualenv in the cache, unless VIRTUAL_ENV, virtualenvs.create false or in-project say otherwise", () => {
    assert.deepEqual(outputs('poetry install', ctx(), '/app'), ['/root/.cache/pypoetry/virtualenvs']);
    assert.deepEqual(outputs('poetry install', ctx({ VIRTUAL_ENV: '/opt/venv' }), '/app'), ['/opt/venv']);
    assert.deepEqual(outputs('poetry install', ctx({ POETRY_VIRTUALENVS_CREATE: 'false' }), '/app'), []);
    assert.deepEqual(outputs('poetry install', ctx({ POETRY_VIRTUALENVS_IN_PROJECT: 'true' }), '/app'), ['/app/.venv']);
    assert.deepEqual(outputs('poetry install', { ...ctx(), settings: { POETRY_VIRTUALENVS_CREATE: 'false' } }, '/app'), []);
  });
  it('uv sync: the project .venv, or UV_PROJECT_ENVIRONMENT', () => {
    assert.deepEqual(outputs('uv sync --frozen', ctx(), '/app'), ['/app/.venv']);
    assert.deepEqual(outputs('uv sync', ctx({ UV_PROJECT_ENVIRONMENT: '/venv' }), '/app'), ['/venv']);
  });
});
