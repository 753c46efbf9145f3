/**
 * `node:fs` in the playground's browser bundle: the only file the analysis
 * reads is WebAssembly (the shell parser's, src/commands/bash-parser.ts),
 * which the page fetches from its own folder before the analysis starts.
 */
const files = new Map<string, Uint8Array>();

/** Fetches each file (beside the page) into memory. */
export async function preload(names: string[]): Promise<void> {
  await Promise.all(
    names.map(async (name) => {
      const response = await fetch(name);
      if (!response.ok) throw new Error(`${name}: ${response.status} ${response.statusText}`);
      files.set(name, new Uint8Array(await response.arrayBuffer()));
    }),
  );
}

export function readFileSync(path: string | URL): Uint8Array {
  const text = String(path);
  const name = text.slice(text.lastIndexOf('/') + 1);
  const bytes = files.get(name);
  if (!bytes) throw new Error(`${name}: the playground has no file system (only its preloaded WebAssembly)`);
  return bytes;
}

export function existsSync(): boolean {
  return false;
}

export function statSync(path: string): never {
  throw Object.assign(new Error(`${path}: the playground has no file system`), { code: 'ENOENT' });
}

export function readdirSync(): string[] {
  return [];
}
