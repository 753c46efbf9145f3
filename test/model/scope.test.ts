/** Variable scopes: snapshots that later assignments do not reach, and names for equal sets. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { Scope } from '../../src/model/index.js';
import { fuzzSeed, random } from '../helpers/random.js';

describe('Scope', () => {
  it('a clone keeps what it saw; later assignments to either side do not reach the other', () => {
    const a = new Scope([['PATH', '/bin'], ['A', '1']]);
    const b = a.clone();
    a.set('A', '2');
    b.set('B', '3');
    assert.deepEqual([a.get('A'), a.get('B'), b.get('A'), b.get('B'), b.get('PATH')], ['2', undefined, '1', '3', '/bin']);
    assert.deepEqual(new Map(b.entries()), new Map([['PATH', '/bin'], ['A', '1'], ['B', '3']]));
  });

  it('equal sets have equal identities whatever the order of assignment; different sets differ', () => {
    const x = new Scope([['A', '1'], ['B', '2'], ['C', '3']]);
    const y = new Scope([['C', '3'], ['A', '0'], ['B', '2']]);
    assert.notEqual(x.identity(), y.identity());
    y.set('A', '1');
    assert.equal(x.identity(), y.identity());
    assert.notEqual(x.identity(), new Scope([['A', '1'], ['B', '2']]).identity());
    assert.notEqual(new Scope([['AB', '']]).identity(), new Scope([['A', 'B']]).identity());
  });

  const seed = fuzzSeed();
  it(`matches a plain map through random assignments, clones and chains of clones (seed ${seed})`, () => {
    const rand = random(seed);
    const names = ['A', 'B', 'C', 'D', 'PATH', 'HOME'];
    let scopes: Array<{ scope: Scope; model: Map<string, string> }> = [{ scope: new Scope(), model: new Map() }];
    const byIdentity = new Map<string, string>();
    for (let step = 0; step < 5000; step++) {
      const pick = scopes[Math.floor(rand() * scopes.length)];
      if (rand() < 0.2) scopes.push({ scope: pick.scope.clone(), model: new Map(pick.model) });
      else {
        const name = names[Math.floor(rand() * names.length)];
        const value = String(Math.floor(rand() * 3));
        pick.scope.set(name, value);
        pick.model.set(name, value);
      }
      if (scopes.length > 60) scopes = scopes.slice(-30);
      for (const { scope, model } of scopes) {
        for (const n of names) assert.equal(scope.get(n), model.get(n), `seed ${seed}, step ${step}, ${n}`);
        const key = [...model].sort().join(';');
        const known = byIdentity.get(scope.identity());
        assert.ok(known === undefined || known === key, `seed ${seed}: two sets share an identity`);
        byIdentity.set(scope.identity(), key);
      }
    }
  });
});
