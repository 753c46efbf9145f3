/**
 * Tool knowledge lives in src/knowledge as data: no layer that can ask it (those
 * after it, test/architecture.test.ts) names a tool by its id or its program
 * (`=== 'apt'`, `case 'cargo':`, `toolById('apk')`).
 * A layer that needs to know how one tool differs asks for a field of its
 * entry, so adding a package manager is one entry in tools.ts and its tests.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { TOOLS } from '../../src/knowledge/index.js';
import { REPO_ROOT } from '../helpers/paths.js';

const SRC = join(REPO_ROOT, 'src');
/** The layers after knowledge (the order of test/architecture.test.ts), and src/index.ts. */
const ASKING = ['edits', 'rules', 'engine', 'config', 'builds', 'verify', 'diagnose', 'report', 'lsp', 'cli', 'index.ts'];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** The string literals of a file that are exactly one of `names`, with their line. */
function literalsNamed(path: string, names: Set<string>): string[] {
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && names.has(node.text)) {
      // An import's module name is not a tool.
      if (!ts.isImportDeclaration(node.parent) && !ts.isExportDeclaration(node.parent)) found.push(`${relative(REPO_ROOT, path)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}: '${node.text}'`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('tool knowledge stays in the knowledge layer', () => {
  it('no source of a layer after src/knowledge names a tool id or program in a string', () => {
    const names = new Set(TOOLS.flatMap((t) => [t.id, ...t.programs]));
    const outside = files(SRC).filter((f) => ASKING.includes(relative(SRC, f).split('/')[0]));
    assert.ok(outside.some((f) => f.includes('/rules/cache-race/')));
    assert.deepEqual(outside.flatMap((f) => literalsNamed(f, names)), []);
  });
  it('finds one where there is one (the check is not vacuous)', () => {
    const names = new Set(TOOLS.map((t) => t.id));
    assert.ok(literalsNamed(join(SRC, 'knowledge/tools.ts'), names).length >= TOOLS.length);
  });
});
