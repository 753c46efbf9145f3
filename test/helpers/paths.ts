import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (tests run from dist/test/…). */
export const REPO_ROOT = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(resolve(dir, 'package.json'))) dir = dirname(dir);
  return dir;
})();

/** The team's shared references, beside the repository. */
export const SHARED = resolve(REPO_ROOT, '..', 'shared');
export const CONFORMANCE = resolve(SHARED, 'conformance/buildkit/frontend/dockerfile');
export const ORACLE = resolve(SHARED, 'oracle');
export const CORPUS = resolve(SHARED, 'corpus/real-world');
