/**
 * The folder tree is the architecture: each layer may import only from the
 * layers before it, through their index. The imports are read by the
 * TypeScript compiler's own parser: static, side-effect, type-only and
 * re-exporting imports, `import()` calls and `import('…')` types, in any
 * quoting; src/index.ts (the package's entry) may use every layer, through
 * its index.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { TOOLS } from '../src/knowledge/index.js';
import { REPO_ROOT } from './helpers/paths.js';

const LAYERS = ['syntax', 'instructions', 'model', 'commands', 'knowledge', 'edits', 'rules', 'engine', 'config', 'builds', 'verify', 'diagnose', 'report', 'lsp', 'cli'];
const SRC = join(REPO_ROOT, 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Every module a source file names: import/export … from, import '…', import('…'), import('…') types, require('…'). */
function moduleSpecifiers(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push(node.moduleSpecifier.text);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      found.push(node.moduleReference.expression.text);
    } else if (ts.isCallExpression(node) && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))) {
      const [arg] = node.arguments;
      found.push(arg && ts.isStringLiteralLike(arg) ? arg.text : `<computed: ${arg?.getText(source) ?? ''}>`);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push(node.argument.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** What is wrong with `file` importing `specifier`, if anything. */
function violation(file: string, specifier: string): string | undefined {
  const rel = relative(SRC, file);
  if (specifier.startsWith('<computed')) return `${rel} imports a computed module name ${specifier}`;
  if (!specifier.startsWith('.')) return undefined; // a package or node: module
  const target = relative(SRC, resolve(dirname(file), specifier));
  if (target.startsWith('..')) return `${rel} imports ${target}, outside src/`;
  const layer = rel.includes('/') ? rel.split('/')[0] : undefined; // undefined: src/index.ts
  const targetLayer = target.split('/')[0];
  if (!LAYERS.includes(targetLayer)) return `${rel} imports ${target}, which is in no layer`;
  if (targetLayer === layer) return undefined;
  if (layer && LAYERS.indexOf(targetLayer) > LAYERS.indexOf(layer)) return `${rel} imports later layer ${target}`;
  if (target !== `${targetLayer}/index.js`) return `${rel} reaches into ${target} (import its index)`;
  return undefined;
}

describe('architecture', () => {
  it('every folder under src/ is a known layer, and the only file beside them is index.ts', () => {
    const entries = readdirSync(SRC);
    assert.deepEqual(entries.filter((n) => statSync(join(SRC, n)).isDirectory() && !LAYERS.includes(n)), []);
    assert.deepEqual(entries.filter((n) => !statSync(join(SRC, n)).isDirectory()), ['index.ts']);
  });

  it('layers import only earlier layers, through their index; src/index.ts only layer indexes', () => {
    const violations = files(SRC).flatMap((file) => moduleSpecifiers(file, readFileSync(file, 'utf8')).flatMap((s) => violation(file, s) ?? []));
    assert.deepEqual(violations, []);
  });

  it('the reader sees every kind of import, and the check catches each kind of violation', () => {
    const text = [
      `import { a } from "../model/index.js";`,
      `import type { B } from '../rules/types.js';`,
      `import '../report/side-effect.js';`,
      `export * from "../cli/main.js";`,
      `export { c } from './own.js';`,
      `const m = await import("../verify/index.js");`,
      `type T = import('../engine/lint.js').LintResult;`,
      `const r = require('../knowledge/tools.js');`,
      `const d = await import(name);`,
      `import x = require('../edits/text-edit.js');`,
      `// import '../cli/comment.js' is no import`,
      'const s = "import \'../cli/string.js\'";',
    ].join('\n');
    const specifiers = moduleSpecifiers('x.ts', text);
    assert.deepEqual(specifiers, ['../model/index.js', '../rules/types.js', '../report/side-effect.js', '../cli/main.js', './own.js', '../verify/index.js', '../engine/lint.js', '../knowledge/tools.js', '<computed: name>', '../edits/text-edit.js']);
    const file = join(SRC, 'engine', 'x.ts');
    assert.deepEqual(specifiers.map((s) => violation(file, s)), [
      undefined,
      'engine/x.ts reaches into rules/types.js (import its index)',
      'engine/x.ts imports later layer report/side-effect.js',
      'engine/x.ts imports later layer cli/main.js',
      undefined,
      'engine/x.ts imports later layer verify/index.js',
      undefined, // its own layer
      'engine/x.ts reaches into knowledge/tools.js (import its index)',
      'engine/x.ts imports a computed module name <computed: name>',
      'engine/x.ts reaches into edits/text-edit.js (import its index)',
    ]);
    assert.equal(violation(join(SRC, 'index.ts'), './cli/main.js'), 'index.ts reaches into cli/main.js (import its index)');
    assert.equal(violation(join(SRC, 'index.ts'), './cli/index.js'), undefined);
  });

  it('no module imports itself back through others of its folder (no cycle inside a folder, type imports too)', () => {
    const graph = new Map<string, string[]>();
    for (const file of files(SRC)) {
      const own = moduleSpecifiers(file, readFileSync(file, 'utf8')).filter((s) => s.startsWith('./')).map((s) => resolve(dirname(file), s).replace(/\.js$/, '.ts'));
      graph.set(relative(SRC, file), own.map((f) => relative(SRC, f)));
    }
    assert.deepEqual(cycles(graph), []);
  });

  it('the cycle check finds a cycle, however long', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts', 'd.ts']],
      ['d.ts', []],
      ['e.ts', ['e.ts']],
    ]);
    assert.deepEqual(cycles(graph), [['a.ts', 'b.ts', 'c.ts'], ['e.ts']]);
  });
});

/** The string literals of a source that are exactly one of `names` (an import's module name aside), with their line. */
function literalsNamed(fileName: string, text: string, names: Set<string>): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && names.has(node.text) && !ts.isImportDeclaration(node.parent) && !ts.isExportDeclaration(node.parent)) {
      found.push(`${fileName}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}: '${node.text}'`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/**
 * Tool knowledge lives in src/knowledge as data: no layer that can ask it (those after
 * it) names a tool by its id or its program (`=== 'apt'`, `case 'cargo':`, `toolById('apk')`).
 * A layer that needs to know how one tool differs asks for a field of its entry, so a new
 * package manager is one entry in tools.ts and its tests.
 */
describe('tool knowledge stays in the knowledge layer', () => {
  const names = new Set(TOOLS.flatMap((t) => [t.id, ...t.programs]));
  it('no source of a layer after knowledge names a tool id or program in a string', () => {
    const asking = (f: string) => { const top = relative(SRC, f).split('/')[0]; return top === 'index.ts' || LAYERS.indexOf(top) > LAYERS.indexOf('knowledge'); };
    assert.deepEqual(files(SRC).filter(asking).flatMap((f) => literalsNamed(relative(SRC, f), readFileSync(f, 'utf8'), names)), []);
  });
  it('the check finds a comparison, a switch case and an argument, and leaves comments, sentences and imports alone', () => {
    const text = [
      "if (tool.id === 'apt') x();",
      "switch (t.id) { case 'cargo': break; }",
      "toolById(`apk`);",
      "// a comment on 'pip'",
      "const s = 'apt-get installs';",
      "import x from 'npm';",
    ].join('\n');
    assert.deepEqual(literalsNamed('x.ts', text, names), ["x.ts:1: 'apt'", "x.ts:2: 'cargo'", "x.ts:3: 'apk'"]);
  });
});

/** The import cycles of a graph (its strongly connected parts with a loop), each sorted, by Tarjan's algorithm. */
function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const part: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      part.push(w);
    } while (w !== v);
    if (part.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(part.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found.sort((a, b) => a[0].localeCompare(b[0]));
}
