/** The rule tester rejects tables that would test less than they seem to: a misspelt property, a case written twice, a message id missing or unknown. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { tableProblems } from '../helpers/rule-tester.js';

describe('rule tables', () => {
  it('a misspelt case or expectation property is named', () => {
    const problems = tableProblems({ valid: [{ name: 'a', code: 'FROM x\n', errors: [] } as never], invalid: [{ name: 'b', code: 'FROM y\n', errors: [{ line: 1, mesage: ['x'] } as never], ouptut: 'x' } as never] });
    assert.deepEqual(problems, ['valid "a": unknown property errors', 'invalid "b": unknown property ouptut', 'invalid "b": unknown property mesage in an expected diagnostic']);
  });
  it('a case repeated (same code and options, or the same name) is named', () => {
    const problems = tableProblems({ valid: [{ name: 'a', code: 'FROM x\n' }, { name: 'b', code: 'FROM x\n' }], invalid: [{ name: 'c', code: 'FROM z\n', errors: [] }, { name: 'c', code: 'FROM w\n', errors: [] }] });
    assert.deepEqual(problems, ['valid "b" repeats "a" (same code and options)', 'invalid: two cases are named "c"']);
  });
  it('an expected diagnostic without a message id, or with one the rule does not have, is named', () => {
    const problems = tableProblems({ valid: [], invalid: [{ name: 'a', code: 'FROM x\n', errors: [{ line: 1 } as never, { line: 1, messageId: 'nope' }] }] }, { known: 'text' });
    assert.deepEqual(problems, ['invalid "a": an expected diagnostic without a messageId', 'invalid "a": the rule has no message "nope"']);
  });
  it('a well-formed table has no problem', () => {
    assert.deepEqual(tableProblems({ valid: [{ name: 'a', code: 'FROM x\n', options: { target: 'a' } }, { name: 'b', code: 'FROM x\n', options: { target: 'b' } }], invalid: [{ name: 'c', code: 'FROM z\n', errors: [{ line: 1, messageId: 'm', message: ['m'] }], output: null }] }, { m: 'text' }), []);
  });
});
