/**
 * Robustness and false alarms on 77 real Dockerfiles (read from ../shared,
 * never copied): every file is analysed without a crash, and none of them
 * gets a cache-race error (each was checked by hand: their apt caches are
 * private, locked, or used by one stage per build).
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, it } from 'node:test';
import { lintText, prepare } from '../src/engine/index.js';
import { explain, jsonReport } from '../src/report/index.js';
import { CONFORMANCE, CORPUS, describeWithShared, REPO_ROOT } from './helpers/paths.js';

describeWithShared('real-world corpus', () => {
  before(prepare);
  const names = readdirSync(CORPUS).filter((n) => n.endsWith('Dockerfile')).sort();
  it('has the 77 files', () => assert.equal(names.length, 77));
  for (const name of names) {
    it(name, () => {
      const result = lintText(readFileSync(join(CORPUS, name), 'utf8'), name);
      assert.deepEqual(result.diagnostics.filter((d) => d.ruleId === 'cache-race').map((d) => d.message), []);
      const errors = result.diagnostics.filter((d) => d.severity === 'error');
      // 093 is a Jinja template, not a Dockerfile BuildKit accepts.
      assert.equal(errors.length > 0, name === '093.Dockerfile', errors.map((e) => e.message).join('\n'));
      if (result.model) assert.ok(explain(result));
    });
  }
});

describeWithShared('conformance Dockerfiles through the whole pipeline', () => {
  before(prepare);
  const dir = join(CONFORMANCE, 'parser/testfiles');
  for (const name of readdirSync(dir)) {
    it(name, () => {
      lintText(readFileSync(join(dir, name, 'Dockerfile'), 'utf8'), name); // must not throw
    });
  }
});

describeWithShared('the CLI binary on the real-world corpus', () => {
  before(prepare);
  // One fresh process: it loads the shell parser on demand at the first file
  // that needs it (the fast path covers the rest), from the bundle and its code cache.
  it('finds exactly what the library finds', () => {
    const paths = readdirSync(CORPUS).filter((n) => n.endsWith('Dockerfile')).sort().map((n) => join(CORPUS, n));
    const cli = spawnSync(process.execPath, [join(REPO_ROOT, 'bin/mountlint.cjs'), ...paths, '--format', 'json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
    assert.equal(cli.stderr, '');
    assert.equal(cli.stdout, jsonReport(paths.map((p) => lintText(readFileSync(p, 'utf8'), p))));
  });
});
