/**
 * A Linter loads the shell parser only when a script needs it,
 * and then gives exactly what lintText gives. This file runs in its own
 * process (node --test), so the parser starts unloaded here.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Linter, lintBuildSet, lintText, prepare, type LintOptions } from '../../src/engine/index.js';

const lintFileLoading = (text: string, path: string, options: LintOptions, load: () => Promise<void>) => new Linter(options, load).lintFile(text, path);
import { allRules, type Rule } from '../../src/rules/index.js';
import { REPO_ROOT } from '../helpers/paths.js';

const SEED = readFileSync(join(REPO_ROOT, 'examples/seed/Dockerfile'), 'utf8');
// `$(…)` and `if` are beyond the fast path for simple scripts.
const COMPLEX = SEED.replace(/apt update && apt -y/g, 'if [ -n "$(ls)" ]; then apt update; fi && apt -y');

describe('Linter: the shell parser only when a script needs it', () => {
  let loads = 0;
  const countingPrepare = async () => {
    loads++;
    await prepare();
  };

  it('does not load the shell parser for a file of simple scripts', async () => {
    const result = await lintFileLoading(SEED, 'Dockerfile', {}, countingPrepare);
    assert.equal(loads, 0);
    assert.equal(result.diagnostics.filter((d) => d.ruleId === 'cache-race').length, 1);
  });

  it('loads it once when a script needs it, and finds what lintText finds', async () => {
    const result = await lintFileLoading(COMPLEX, 'Dockerfile', {}, countingPrepare);
    assert.equal(loads, 1);
    const expected = lintText(COMPLEX, 'Dockerfile');
    assert.deepEqual(result.diagnostics, expected.diagnostics);
    assert.equal(result.diagnostics.filter((d) => d.ruleId === 'cache-race').length, 1);
  });

  it('runs each rule once, after the parser is loaded (the scripts are read by the fast path first, not by trying the rules)', async () => {
    let checks = 0;
    const counted: Rule[] = allRules.map((r) => ({ ...r, check: (ctx) => { checks++; r.check(ctx); } }));
    // The script that needs tree-sitter is inside a simple one: `sh -c '…$(…)…'`.
    const nested = SEED.replace(/apt update && apt -y/, `sh -c 'if [ -n "$(ls)" ]; then apt update; fi' && apt -y`);
    const before = loads;
    const result = await lintFileLoading(nested, 'Dockerfile', { rules: counted }, countingPrepare);
    assert.equal(checks, allRules.length);
    assert.equal(loads, before + 1, 'the nested script needs the parser');
    assert.deepEqual(result.diagnostics, lintText(nested, 'Dockerfile').diagnostics);
  });

  it('a build set: the same findings as with the parser loaded before', async () => {
    const members = [
      { path: 'a/Dockerfile', text: COMPLEX, options: {}, label: 'bake target "a"', name: 'a' },
      { path: 'b/Dockerfile', text: SEED, options: {}, label: 'bake target "b"', name: 'b' },
    ];
    const loading = await new Linter({}, countingPrepare).lint({ members, why: 'bake' });
    const direct = lintBuildSet(members, {}, 'bake');
    assert.deepEqual(loading.results.map((r) => r.diagnostics), direct.results.map((r) => r.diagnostics));
    assert.ok(loading.results[0].diagnostics.some((d) => d.ruleId === 'cache-race'));
  });

  it('reports a syntax error without loading anything', async () => {
    const before = loads;
    const result = await lintFileLoading('FROM debian\nRUN <<EOF\n', 'Dockerfile', {}, countingPrepare);
    assert.equal(result.diagnostics[0].ruleId, 'syntax');
    assert.equal(loads, before);
  });
});
