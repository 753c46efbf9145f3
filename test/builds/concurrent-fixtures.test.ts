/**
 * The repositories of test/fixtures/concurrent: what each starts at the same time
 * (its separate-build requests, their Dockerfiles and the lines that start them),
 * what it must not be taken for (the guards), and mountlint run on them as a user
 * runs it, with no flag.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { discoverBuildPlan } from '../../src/builds/index.js';
import { REPO_ROOT } from '../helpers/paths.js';

const FIXTURES = join(REPO_ROOT, 'test/fixtures/concurrent');
const BIN = join(REPO_ROOT, 'bin/mountlint.cjs');

interface Case {
  about: string;
  expect: Array<{ why: string; dockerfiles: string[]; startedBy: string[] }>;
  notes?: string[];
}

function mountlint(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('repositories that start builds at the same time (test/fixtures/concurrent)', () => {
  const names = readdirSync(FIXTURES, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  it('has cases that find builds and guards that find none', () => {
    const cases = names.map((n) => JSON.parse(readFileSync(join(FIXTURES, n, 'case.json'), 'utf8')) as Case);
    assert.ok(cases.filter((c) => c.expect.length).length >= 8);
    assert.ok(cases.filter((c) => !c.expect.length).length >= 6);
  });
  for (const name of names) {
    const dir = join(FIXTURES, name);
    const c = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) as Case;
    it(`${name}: ${c.about}`, async () => {
      const plan = await discoverBuildPlan(dir, { env: {} });
      const separate = (plan?.requests ?? []).filter((r) => r.separateBuilds);
      const rel = (p: string) => relative(dir, p);
      const found = separate.map((r) => ({
        why: r.why.split(`${dir}/`).join(''),
        dockerfiles: r.targets.map((t) => rel(t.dockerfile)).sort(),
        startedBy: [...new Set(r.targets.flatMap((t) => (t.startedBy ?? []).map((s) => `${rel(s.place.source.path)}:${s.place.source.positionAt(s.place.range.start).line}`)))].sort(),
      }));
      assert.equal(found.length, c.expect.length, JSON.stringify(found, null, 1));
      c.expect.forEach((e, i) => {
        assert.match(found[i].why, new RegExp(e.why));
        assert.deepEqual(found[i].dockerfiles, e.dockerfiles);
        assert.deepEqual(found[i].startedBy, [...e.startedBy].sort());
      });
      for (const note of c.notes ?? []) assert.ok(plan?.notes.some((n) => new RegExp(note).test(n)), `${note}\n${plan?.notes.join('\n')}`);
    });
  }
});

describe('mountlint on those repositories, with no flag', () => {
  it('make -j: the apt race between the two images, with the lines that start them as related locations', () => {
    const r = mountlint(join(FIXTURES, 'make-j-in-workflow'), '--select', 'cache-race');
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /^api\/Dockerfile:3:5: error: Cache race on cache "\/var\/lib\/apt": apt-get here \(make target "api" of Makefile\) can run at the same time as apt-get in make target "web" of Makefile \(web\/Dockerfile line 2\), because make runs the prerequisites of "all" at the same time \(\.github\/workflows\/images\.yml:7 runs make with -j\)/m);
    assert.match(r.stdout, /^ {2}\.github\/workflows\/images\.yml:7:14: note: make runs "all" with -j here$/m);
    assert.match(r.stdout, /^ {2}Makefile:3:1: note: make builds the prerequisites of "all" \(api, web\) at the same time$/m);
    assert.match(r.stdout, /^ {2}Makefile:6:1: note: make target "api" starts this build$/m);
    assert.match(r.stdout, /^ {2}Makefile:9:1: note: make target "web" starts this build$/m);
    assert.match(r.stdout, /^web\/Dockerfile:3:5: error: Cache race/m);
  });
  it('the related locations travel in the JSON report with their file', () => {
    const r = mountlint(join(FIXTURES, 'script-background'), '--select', 'cache-race', '--format', 'json');
    const diagnostics = (JSON.parse(r.stdout) as { files: Array<{ path: string; diagnostics: Array<{ related: Array<{ path?: string; line: number; message: string }> }> }> }).files.flatMap((f) => f.diagnostics);
    assert.ok(diagnostics.length >= 4, r.stdout);
    for (const d of diagnostics) {
      assert.ok(d.related.some((x) => x.path === 'scripts/build-all.sh' && x.line === 4 && x.message === 'starts this build in the background'), JSON.stringify(d.related));
      assert.ok(d.related.some((x) => x.path === 'scripts/build-all.sh' && x.line === 9 && /^waits here/.test(x.message)), JSON.stringify(d.related));
    }
  });
  for (const guard of ['make-without-j', 'make-notparallel', 'script-sequential', 'script-wait-between', 'github-hosted-matrix', 'gitlab-matrix-own-dind']) {
    it(`${guard}: no race between the images`, () => {
      const r = mountlint(join(FIXTURES, guard), '--select', 'cache-race');
      assert.equal(r.code, 0, r.stdout + r.stderr);
    });
  }
});
