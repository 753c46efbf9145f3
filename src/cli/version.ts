import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seaAsset } from '../commands/index.js';

let cached: string | undefined;

/** The package's version, from the nearest package.json above this module (bundled or not). */
export function version(): string {
  if (cached) return cached;
  const packed = seaAsset('package.json'); // inside the single executable
  if (packed) return (cached = (JSON.parse(new TextDecoder().decode(packed)) as { version: string }).version);
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  cached = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  return cached;
}
