/**
 * Builds a repository starts at the same time by itself — `make -j`, builds in the
 * background of a script or a GitLab job, a workflow matrix on one runner's Docker —
 * found with no flag, and what must not be taken for that (no -j, .NOTPARALLEL,
 * sequential scripts, hosted runners, max-parallel: 1).
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { discoverBuildPlan } from '../../src/builds/index.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { APT, writeTree } from './helpers.js';

const made: string[] = [];
after(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));
const repo = (files: Record<string, string>) => {
  const root = writeTree({ 'api/Dockerfile': APT('curl'), 'web/Dockerfile': APT('git'), ...files });
  made.push(root);
  return root;
};
const MAKEFILE = 'IMAGES = api web\n\nall: $(IMAGES)\n\napi:\n\tdocker build -t example/api ./api\n\nweb:\n\t@docker build -t example/web \\\n\t  ./web\n\n.PHONY: all $(IMAGES)\n';
const WORKFLOW_RUN = (run: string) => `on: push\njobs:\n  images:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: ${run}\n`;
const MATRIX = (runsOn: string, extra = '', strategy = '') => `on: push\njobs:\n  images:\n    runs-on: ${runsOn}\n    strategy:\n${strategy}      matrix:\n        image: [api, web]\n    steps:\n      - uses: actions/checkout@v4\n${extra}      - uses: docker/build-push-action@v6\n        with:\n          context: \${{ matrix.image }}\n`;

async function concurrent(root: string) {
  const plan = await discoverBuildPlan(root, { env: {} });
  return { requests: (plan?.requests ?? []).filter((r) => r.separateBuilds), notes: plan?.notes ?? [] };
}

describe('separate builds a repository starts at the same time', () => {
  const found: Array<[string, Record<string, string>, RegExp]> = [
    ['a workflow runs make -j on a rule whose prerequisites build', { Makefile: MAKEFILE, '.github/workflows/images.yml': WORKFLOW_RUN('make -j2 all') }, /make runs the prerequisites of "all" at the same time \(.*images\.yml:7 runs make with -j\)/],
    ['make -j with no goal runs the default goal', { Makefile: MAKEFILE, 'ci.sh': '#!/bin/sh\nset -e\nmake --jobs=4\n' }, /prerequisites of "all"/],
    ['MAKEFLAGS += -j in the Makefile itself', { Makefile: `MAKEFLAGS += -j4\n${MAKEFILE}` }, /MAKEFLAGS in .*Makefile asks for -j/],
    ['a script backgrounds two builds and waits', { 'build.sh': '#!/bin/sh\ndocker build -t a ./api &\ndocker buildx build -t b ./web &\nwait\n' }, /starts 2 builds in the background/],
    ['a GitLab job backgrounds two builds on its dind service', { '.gitlab-ci.yml': 'images:\n  services: [docker:dind]\n  script:\n    - |\n      docker build -t a ./api &\n      docker build -t b ./web &\n      wait\n' }, /job "images" starts 2 builds in the background/],
    ['a matrix on a self-hosted runner', { '.github/workflows/images.yml': MATRIX('[self-hosted, linux]') }, /self-hosted runners \(runs-on: self-hosted, linux\)/],
    ['a matrix on a shared remote builder', { '.github/workflows/images.yml': MATRIX('ubuntu-latest', '      - uses: docker/setup-buildx-action@v3\n        with:\n          driver: remote\n          endpoint: tcp://builder:1234\n') }, /one shared remote builder/],
  ];
  for (const [name, files, why] of found) {
    it(`finds: ${name}`, async () => {
      const { requests } = await concurrent(repo(files));
      assert.equal(requests.length, 1, JSON.stringify(requests.map((r) => r.label)));
      assert.match(requests[0].why, why);
      assert.deepEqual(requests[0].targets.map((t) => t.dockerfile.replace(/.*\/(\w+)\/Dockerfile$/, '$1')).sort(), ['api', 'web']);
    });
  }
  const none: Array<[string, Record<string, string>]> = [
    ['make without -j', { Makefile: MAKEFILE, '.github/workflows/images.yml': WORKFLOW_RUN('make all') }],
    ['make -j on a Makefile with .NOTPARALLEL', { Makefile: `${MAKEFILE}.NOTPARALLEL:\n`, '.github/workflows/images.yml': WORKFLOW_RUN('make -j2 all') }],
    ['make -j in a comment', { Makefile: MAKEFILE, 'ci.sh': '#!/bin/sh\n# make -j4 all is faster, but\nmake all\n' }],
    ['make -j on a goal with one build', { Makefile: MAKEFILE, '.github/workflows/images.yml': WORKFLOW_RUN('make -j2 api') }],
    ['a script that builds one after the other', { 'build.sh': '#!/bin/sh\ndocker build -t a ./api\ndocker build -t b ./web\n' }],
    ['a script that waits between its background builds', { 'build.sh': '#!/bin/sh\ndocker build -t a ./api &\nwait\ndocker build -t b ./web &\nwait\n' }],
    ['a matrix on GitHub-hosted runners (each leg has its own machine)', { '.github/workflows/images.yml': MATRIX('ubuntu-latest') }],
    ['a matrix on a self-hosted runner with max-parallel: 1', { '.github/workflows/images.yml': MATRIX('self-hosted', '', '      max-parallel: 1\n') }],
  ];
  for (const [name, files] of none) {
    it(`finds nothing: ${name}`, async () => {
      const { requests } = await concurrent(repo(files));
      assert.deepEqual(requests.map((r) => r.label), []);
    });
  }
  it('notes builds started by xargs -P from input the script does not name', async () => {
    const { requests, notes } = await concurrent(repo({ 'build.sh': '#!/bin/sh\nls -d */ | xargs -P 2 -I{} docker build -t {} ./{}\n' }));
    assert.equal(requests.length, 0);
    assert.ok(notes.some((n) => /build\.sh:2:12: builds started by xargs -P 2 run at the same time, but which ones depends on input the script does not name: not analysed/.test(n)), notes.join('\n'));
  });
});

describe('mountlint on a repository whose Makefile builds two images with make -j', () => {
  it('reports the race with no flag, the Makefile as the reason, and a fix for separate builds', () => {
    const root = repo({ Makefile: MAKEFILE, '.github/workflows/images.yml': WORKFLOW_RUN('make -j2 all') });
    const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin/mountlint.cjs'), '--format', 'json', root], { encoding: 'utf8' });
    assert.equal(r.status, 1, r.stderr);
    const races = (JSON.parse(r.stdout) as { files: Array<{ path: string; diagnostics: Array<{ ruleId: string; message: string; fix?: { strategy: string } }> }> }).files.flatMap((f) => f.diagnostics.filter((d) => d.ruleId === 'cache-race'));
    assert.ok(races.length >= 2, JSON.stringify(races));
    for (const d of races) {
      assert.match(d.message, /make runs the prerequisites of "all" at the same time/);
      assert.match(d.message, /separate builds at the same time/);
      assert.equal(d.fix?.strategy, 'id');
    }
  });
  it('without -j, the same repository is clean of races', () => {
    const root = repo({ Makefile: MAKEFILE });
    const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin/mountlint.cjs'), '--format', 'json', root], { encoding: 'utf8' });
    const races = (JSON.parse(r.stdout) as { files: Array<{ diagnostics: Array<{ ruleId: string }> }> }).files.flatMap((f) => f.diagnostics.filter((d) => d.ruleId === 'cache-race'));
    assert.deepEqual(races, []);
  });
});
