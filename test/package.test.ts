/**
 * The package as a user gets it: `import … from 'mountlint'` resolves (by
 * the package's own name, as a dependent would) and the README's example
 * works; `npm pack` ships everything the CLI loads.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from './helpers/paths.js';

describe('the mountlint package', () => {
  it('exports the library, and the README example finds the seed race', async () => {
    const name = 'mountlint'; // not a literal: resolved at run time, through package.json "exports"
    const mountlint = await import(name);
    await mountlint.prepare();
    const text = readFileSync(join(REPO_ROOT, 'examples/seed/Dockerfile'), 'utf8');
    const { diagnostics } = mountlint.lintText(text, 'Dockerfile', { target: 'production', platforms: ['linux/amd64', 'linux/arm64'] });
    assert.ok(diagnostics.some((d: { ruleId: string }) => d.ruleId === 'cache-race'));
    for (const f of ['Linter', 'fixText', 'allRules', 'textReport', 'jsonReport', 'verify', 'buildModel']) assert.ok(f in mountlint, f);
  });

  it('packs the CLI bundle, its code cache, the WebAssembly and the library', () => {
    const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: REPO_ROOT, encoding: 'utf8' }));
    const files = new Set(pack.files.map((f: { path: string }) => f.path));
    for (const f of ['bin/mountlint.cjs', 'bin/load-cli.cjs', 'dist/mountlint.cjs', 'dist/mountlint.cjs.cache', 'dist/tree-sitter.wasm', 'dist/tree-sitter-bash.wasm', 'dist/src/index.js', 'dist/src/index.d.ts']) {
      assert.ok(files.has(f), `${f} is not in the package`);
    }
  });
});
