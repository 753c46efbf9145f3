/**
 * The fix contract on real files: for every real-world corpus file and every
 * oracle file, --fix with unsafe fixes and each strategy converges and
 * creates no new finding (table cases are checked by the rule tester).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, it } from 'node:test';
import { prepare } from '../src/engine/index.js';
import { FIX_STRATEGIES } from '../src/rules/index.js';
import { assertFixIsClean } from './helpers/fix-check.js';
import { CORPUS, describeWithShared, ORACLE } from './helpers/paths.js';

describeWithShared('--fix converges and creates no new finding (real-world corpus and oracle files)', () => {
  const files = [
    ...readdirSync(CORPUS).filter((n) => n.endsWith('Dockerfile')).sort().map((n) => join(CORPUS, n)),
    ...readdirSync(ORACLE).filter((n) => n.endsWith('Dockerfile')).sort().map((n) => join(ORACLE, n)),
  ];
  before(prepare);
  for (const path of files) {
    it(path.split('/').slice(-2).join('/'), () => {
      const text = readFileSync(path, 'utf8');
      for (const fixStrategy of [undefined, ...FIX_STRATEGIES]) assertFixIsClean(text, path, { fixStrategy, unsafeFixes: true });
    });
  }
});
