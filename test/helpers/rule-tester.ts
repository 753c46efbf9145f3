/**
 * Table-driven rule tests in the style of ESLint's RuleTester: each valid
 * case must produce no diagnostic from the rule; each invalid case must
 * produce exactly the listed ones, and --fix must produce the listed output
 * (required whenever --fix changes the code), which must then be clean and stable. For every case, --fix
 * with unsafe fixes and each strategy must converge and create no finding of
 * any rule (the fix contract: test/helpers/fix-check.ts).
 * RULE_TESTER_RECORD=FILE records, instead of failing, what --fix makes of each case that
 * lacks its output, the message id of each expected diagnostic that lacks one, and the data of each
 * that checks no text (one JSON line each), for review before it goes into the table.
 */
import { strict as assert } from 'node:assert';
import { appendFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { fixText, lintText, prepare, type LintOptions } from '../../src/engine/index.js';
import { FIX_STRATEGIES, type Rule } from '../../src/rules/index.js';
import { assertFixIsClean } from './fix-check.js';

export interface ValidCase {
  name: string;
  code: string;
  options?: LintOptions;
}

export interface ExpectedDiagnostic {
  line: number;
  column?: number;
  severity?: 'error' | 'warning' | 'info';
  /** Which of the rule's messages (meta.messages); required, as ESLint requires message or messageId. */
  messageId: string;
  /** Data the message was rendered with: each listed key must have this value. */
  data?: Record<string, string | number>;
  /** Substrings the message must contain. */
  message?: string[];
  /** The whole message, exactly. */
  messageIs?: string;
  /** Substrings that some related location's message must contain (each). */
  related?: string[];
}

export interface InvalidCase extends ValidCase {
  errors: ExpectedDiagnostic[];
  /** The file after --fix with options.fixStrategy; null: --fix must change nothing (no fix is offered). Required when --fix changes the code. */
  output?: string | null;
}

const CASE_KEYS = new Set(['name', 'code', 'options', 'errors', 'output']);
const ERROR_KEYS = new Set(['line', 'column', 'severity', 'messageId', 'data', 'message', 'messageIs', 'related']);

/**
 * What is wrong with a table, as ESLint's RuleTester says it: unknown properties (a typo tests nothing),
 * duplicate cases, and expected diagnostics without a message id or with one the rule does not have.
 */
export function tableProblems(cases: { valid: ValidCase[]; invalid: InvalidCase[] }, messages?: Readonly<Record<string, string>>): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const [kind, list] of [['valid', cases.valid as ValidCase[]], ['invalid', cases.invalid as ValidCase[]]] as const) {
    for (const c of list) {
      for (const k of Object.keys(c)) if (!CASE_KEYS.has(k) || (kind === 'valid' && (k === 'errors' || k === 'output'))) problems.push(`${kind} "${c.name}": unknown property ${k}`);
      for (const e of (c as InvalidCase).errors ?? []) {
        for (const k of Object.keys(e)) if (!ERROR_KEYS.has(k)) problems.push(`${kind} "${c.name}": unknown property ${k} in an expected diagnostic`);
        if (messages && typeof e.messageId !== 'string' && !process.env.RULE_TESTER_RECORD) problems.push(`${kind} "${c.name}": an expected diagnostic without a messageId`);
        else if (messages && typeof e.messageId === 'string' && !Object.prototype.hasOwnProperty.call(messages, e.messageId)) problems.push(`${kind} "${c.name}": the rule has no message "${e.messageId}"`);
      }
      const key = JSON.stringify([c.code, c.options ?? {}]);
      const twin = seen.get(key);
      if (twin) problems.push(`${kind} "${c.name}" repeats "${twin}" (same code and options)`);
      else seen.set(key, c.name);
      if (list.filter((o) => o.name === c.name).length > 1 && list.indexOf(c) === list.findIndex((o) => o.name === c.name)) problems.push(`${kind}: two cases are named "${c.name}"`);
    }
  }
  return problems;
}

export function ruleTester(rule: Rule, cases: { valid: ValidCase[]; invalid: InvalidCase[] }): void {
  describe(`rule ${rule.meta.id}`, () => {
    before(prepare);
    it('the table has no duplicate case, no unknown property and no unknown message id', () => assert.deepEqual(tableProblems(cases, rule.meta.messages), []));
    for (const c of cases.valid) {
      it(`valid: ${c.name}`, () => {
        const found = lintText(c.code, 'Dockerfile', c.options).diagnostics.filter((d) => d.ruleId === rule.meta.id);
        assert.deepEqual(found.map((d) => d.message), [], 'expected no diagnostics');
        fixesAreClean(c);
      });
    }
    for (const c of cases.invalid) {
      it(`invalid: ${c.name}`, () => {
        const result = lintText(c.code, 'Dockerfile', c.options);
        const found = result.diagnostics.filter((d) => d.ruleId === rule.meta.id);
        assert.equal(found.length, c.errors.length, `expected ${c.errors.length} diagnostics, got: ${JSON.stringify(found.map((d) => d.message), null, 1)}`);
        c.errors.forEach((expected, i) => {
          const d = found[i];
          const pos = result.source.positionAt(d.range.start);
          assert.equal(pos.line, expected.line, `line of diagnostic ${i}: ${d.message}`);
          if (expected.column !== undefined) assert.equal(pos.column, expected.column, `column of diagnostic ${i}`);
          assert.equal(d.severity, expected.severity ?? rule.meta.severity);
          if (expected.messageId === undefined && process.env.RULE_TESTER_RECORD) appendFileSync(process.env.RULE_TESTER_RECORD, JSON.stringify({ rule: rule.meta.id, name: c.name, index: i, messageId: d.messageId }) + '\n');
          else assert.equal(d.messageId, expected.messageId, `message id of diagnostic ${i}: ${d.message}`);
          const checksText = expected.data || expected.message || expected.messageIs !== undefined;
          if (!checksText && d.data && process.env.RULE_TESTER_RECORD) appendFileSync(process.env.RULE_TESTER_RECORD, JSON.stringify({ rule: rule.meta.id, name: c.name, index: i, data: d.data }) + '\n');
          for (const [key, value] of Object.entries(expected.data ?? {})) assert.equal(d.data?.[key], value, `data "${key}" of diagnostic ${i}: ${JSON.stringify(d.data)}`);
          if (expected.messageIs !== undefined) assert.equal(d.message, expected.messageIs, `message of diagnostic ${i}`);
          for (const part of expected.message ?? []) assert.ok(d.message.includes(part), `message should include ${JSON.stringify(part)}: ${d.message}`);
          for (const part of expected.related ?? []) {
            assert.ok(d.related.some((r) => r.message.includes(part)), `a related location should include ${JSON.stringify(part)}: ${JSON.stringify(d.related.map((r) => r.message))}`);
          }
        });
        const fixed = fixText(c.code, 'Dockerfile', c.options);
        // As ESLint's RuleTester: a case whose code --fix changes must say what it changes it to.
        if (c.output === undefined && process.env.RULE_TESTER_RECORD && fixed.output !== c.code) appendFileSync(process.env.RULE_TESTER_RECORD, JSON.stringify({ rule: rule.meta.id, name: c.name, output: fixed.output }) + '\n');
        else if (c.output === undefined) assert.equal(fixed.output, c.code, `--fix changed the code: add the output to the case (output: ${JSON.stringify(fixed.output)}), or null if it must not change`);
        if (c.output === null) {
          assert.equal(fixed.output, c.code, 'no fix is offered');
        } else if (c.output !== undefined) {
          assert.equal(fixed.output, c.output);
          assert.deepEqual(fixed.result.diagnostics.filter((d) => d.ruleId === rule.meta.id).map((d) => d.message), [], 'clean after --fix');
          assert.equal(fixText(fixed.output, 'Dockerfile', c.options).output, fixed.output, 'a second --fix changes nothing');
        }
        fixesAreClean(c);
      });
    }
  });
}

/** --fix with unsafe fixes, as the case's options say and with each strategy: converges, and no rule finds anything new. */
function fixesAreClean(c: ValidCase): void {
  for (const fixStrategy of [c.options?.fixStrategy, ...FIX_STRATEGIES]) assertFixIsClean(c.code, 'Dockerfile', { ...c.options, fixStrategy, unsafeFixes: true });
}

/** Lines joined with \n and a final newline. */
export function df(...lines: string[]): string {
  return lines.join('\n') + '\n';
}
