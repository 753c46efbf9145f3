/**
 * The folder tree is the architecture: each layer may import only from the
 * layers before it. This test keeps it that way.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from './helpers/paths.js';

const LAYERS = ['syntax', 'instructions', 'model', 'commands', 'knowledge', 'edits', 'rules', 'engine', 'config', 'builds', 'verify', 'report', 'cli'];
const SRC = join(REPO_ROOT, 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('architecture', () => {
  it('every folder under src/ is a known layer', () => {
    const folders = readdirSync(SRC).filter((n) => statSync(join(SRC, n)).isDirectory());
    assert.deepEqual(folders.filter((f) => !LAYERS.includes(f)), []);
  });
  it('layers import only earlier layers, through their index', () => {
    const violations: string[] = [];
    for (const file of files(SRC)) {
      const rel = relative(SRC, file);
      const layer = rel.split('/')[0];
      if (!LAYERS.includes(layer)) continue;
      for (const m of readFileSync(file, 'utf8').matchAll(/from '(\.\.?\/[^']+)'/g)) {
        const target = relative(SRC, join(file, '..', m[1]));
        const targetLayer = target.split('/')[0];
        if (targetLayer === layer || !LAYERS.includes(targetLayer)) continue;
        if (LAYERS.indexOf(targetLayer) > LAYERS.indexOf(layer)) violations.push(`${rel} imports later layer ${target}`);
        else if (!target.endsWith('index.js')) violations.push(`${rel} reaches into ${target} (import its index)`);
      }
    }
    assert.deepEqual(violations, []);
  });
});
