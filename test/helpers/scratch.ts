/**
 * A scratch folder under the system's temporary folder, removed when the test process
 * exits. Tests that made their own with mkdtempSync left them behind, and the big ones
 * (the single executable, release archives, tool caches: about 88 MB each) filled a
 * machine's disk after a dozen runs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];
let registered = false;

export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  if (!registered) {
    registered = true;
    process.on('exit', () => {
      for (const d of made) rmSync(d, { recursive: true, force: true, maxRetries: 2 });
    });
  }
  return dir;
}
