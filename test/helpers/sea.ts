/** The single executable, built once per test file into a scratch folder (scripts/build-sea.ts, after `npm run build`). */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './paths.js';
import { scratchDir } from './scratch.js';

let built: string | undefined;

export function seaExecutable(): string {
  if (!built) {
    const out = scratchDir('mountlint-sea-');
    built = execFileSync(process.execPath, [join(REPO_ROOT, 'dist/scripts/build-sea.js'), out], { encoding: 'utf8' }).trim().replace(/ \(.*\)$/, '');
  }
  return built;
}
