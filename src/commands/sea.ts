/**
 * Files carried inside mountlint's single executable (Node's single
 * executable applications, built by scripts/build-sea.ts): the WebAssembly
 * parsers, the language server's bundle and the package's version. Outside
 * one (the npm package, the library, the tests) there are none.
 */
import { createRequire } from 'node:module';

interface SeaModule {
  isSea(): boolean;
  getAsset(key: string): ArrayBuffer;
}

let sea: SeaModule | null | undefined;

function seaModule(): SeaModule | null {
  if (sea === undefined) {
    try {
      const module = createRequire(import.meta.url)('node:sea') as SeaModule;
      sea = module.isSea() ? module : null;
    } catch {
      sea = null; // a Node without node:sea (before 20.12) runs no single executable either
    }
  }
  return sea;
}

/** True inside the single executable. */
export function inSingleExecutable(): boolean {
  return seaModule() !== null;
}

/** An asset of the single executable, or undefined outside one. */
export function seaAsset(name: string): Uint8Array | undefined {
  const module = seaModule();
  return module ? new Uint8Array(module.getAsset(name)) : undefined;
}
