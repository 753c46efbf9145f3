/** A build definition's folder, written from a table entry into a fresh temporary directory. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { scratchDir } from '../helpers/scratch.js';

export function writeTree(files: Record<string, string>): string {
  const root = scratchDir('mountlint-builds-');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/** Two Dockerfiles that are each clean alone and race on apt's cache when built together. */
export const APT = (pkg: string) => `FROM debian:bookworm\nRUN --mount=type=cache,target=/var/cache/apt \\\n    --mount=type=cache,target=/var/lib/apt \\\n    apt-get update && apt-get install -y ${pkg}\n`;
