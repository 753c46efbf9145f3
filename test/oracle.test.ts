/**
 * Every Dockerfile in ../shared/oracle, checked against the outcome recorded
 * on real BuildKit (cases.tsv, column "expected": today's BuildKit).
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, it } from 'node:test';
import { lintText, prepare } from '../src/engine/index.js';
import { describeWithShared, ORACLE } from './helpers/paths.js';

describeWithShared('oracle: outcomes recorded on real BuildKit', () => {
  const rows = readFileSync(join(ORACLE, 'cases.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
  before(prepare);
  it('has cases', () => assert.ok(rows.length >= 15));
  // Docker 20.10's built-in frontend, modelled with frontend: 'docker-20.10', must match its column too.
  for (const [file, target, , observed20, , note] of rows) {
    const expected = observed20.startsWith('race') ? 'race' : observed20.startsWith('clean') ? 'clean' : 'invalid';
    it(`${file}${target ? ` --target ${target}` : ''} on Docker 20.10's frontend: ${expected}`, () => {
      const result = lintText(readFileSync(join(ORACLE, file), 'utf8'), file, { target: target || undefined, frontend: 'docker-20.10' });
      const errors = result.diagnostics.filter((d) => d.severity === 'error');
      const races = errors.filter((d) => d.ruleId === 'cache-race');
      if (expected === 'race') assert.ok(races.length > 0, note);
      else if (expected === 'clean') assert.deepEqual(races.map((d) => d.message), [], note);
      else assert.ok(errors.length > 0 && races.length === 0, note);
    });
  }
  for (const [file, target, expected, , , note] of rows) {
    it(`${file}${target ? ` --target ${target}` : ''}: ${expected}`, () => {
      const result = lintText(readFileSync(join(ORACLE, file), 'utf8'), file, { target: target || undefined });
      const errors = result.diagnostics.filter((d) => d.severity === 'error');
      const races = errors.filter((d) => d.ruleId === 'cache-race');
      const others = errors.filter((d) => d.ruleId !== 'cache-race');
      if (expected === 'race') assert.ok(races.length > 0 && others.length === 0, `expected a cache-race error (${note})`);
      else if (expected === 'clean') assert.deepEqual(races.map((d) => d.message), [], note);
      else if (expected === 'invalid') assert.ok(others.length > 0 && races.length === 0, `expected a non-race error (${note})`);
      else assert.fail(`unknown expectation ${expected}`);
    });
  }
});
