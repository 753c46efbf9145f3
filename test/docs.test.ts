/** The committed rule docs are what the rules' metadata generates, and every example behaves as documented. */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { errorsPage } from '../scripts/errors-doc.js';
import { allRuleDocs } from '../scripts/rule-docs.js';
import { toolById } from '../src/knowledge/index.js';
import { FAILURE_SIGNATURES, findSignatures } from '../src/verify/index.js';
import { lintText, prepare } from '../src/engine/index.js';
import { allRules } from '../src/rules/index.js';
import { REPO_ROOT } from './helpers/paths.js';

describe('rule docs', () => {
  before(prepare);
  it('docs/rules is up to date (run npm run docs)', () => {
    for (const [name, text] of allRuleDocs()) assert.equal(readFileSync(join(REPO_ROOT, 'docs/rules', name), 'utf8'), text, name);
  });
  for (const rule of allRules) {
    it(`${rule.meta.id}: complete metadata; bad examples trigger it, good ones do not`, () => {
      const m = rule.meta;
      assert.ok(m.description && m.rationale && m.bad.length && m.good.length && m.evidence.length);
      for (const ex of m.bad) assert.ok(lintText(ex.dockerfile, 'Dockerfile', ex.options).diagnostics.some((d) => d.ruleId === m.id), ex.title);
      for (const ex of m.good) assert.ok(!lintText(ex.dockerfile, 'Dockerfile', ex.options).diagnostics.some((d) => d.ruleId === m.id), ex.title);
    });
  }
});

describe('docs/errors.md', () => {
  it('is up to date (run npm run docs)', () => {
    assert.equal(readFileSync(join(REPO_ROOT, 'docs/errors.md'), 'utf8'), errorsPage());
  });
  for (const s of FAILURE_SIGNATURES) {
    it(`${s.id}: its example is what the signature recognises, and the page shows it`, () => {
      assert.ok(findSignatures(s.example).some((m) => m.signature === s), s.example);
      assert.ok(s.tool === 'any' || toolById(s.tool), `${s.tool} is a tool of the knowledge layer`);
      assert.ok(errorsPage().includes(`## \`${s.example}\``));
    });
  }
});

describe('the shipped docs cite what users can open', () => {
  it('no rule page or tools page points into ../shared', () => {
    for (const [name, text] of allRuleDocs()) assert.doesNotMatch(text, /\.\.\/shared\//, name);
  });
  it('every [TAG] in a rule page is a link to a public source', () => {
    for (const [name, text] of allRuleDocs()) {
      const bare = [...text.matchAll(/(?<!\[)\[([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+|PROOF|DEBUERREOTYPE|CACACHE|PACMAN|PIPENV)\](?!\()/g)].map((m) => m[1]);
      assert.deepEqual(bare, [], `${name}: tags without a source`);
    }
  });
});
