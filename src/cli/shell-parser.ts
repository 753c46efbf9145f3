/**
 * The shell parser's WebAssembly is compiled by V8's baseline compiler, lazily:
 * with the optimising tier a CLI run waited ~0.4 s at exit for a compile it no
 * longer needed (measured: 0.62 s against 0.16 s). Set only when the parser is
 * needed: a run whose scripts are all simple never loads node:v8 (~1.7 ms).
 */
import { createRequire } from 'node:module';
import { prepare } from '../engine/index.js';

let shellParserReady: Promise<void> | undefined;
let flagsSet = false;

/**
 * Sets the V8 flags the shell parser runs under. V8 flags are the process's,
 * and V8 rejects a code cache made under other flags: a run that starts
 * worker threads sets them first, and the workers load the bundle with the
 * code cache made under them (pool.ts).
 */
export function setShellParserFlags(): void {
  if (flagsSet) return;
  flagsSet = true;
  // require, not import(): the bundle runs as a vm script, which has no dynamic import.
  const { setFlagsFromString } = createRequire(import.meta.url)('node:v8') as typeof import('node:v8');
  setFlagsFromString('--liftoff-only --wasm-lazy-compilation');
}

/** Whether this process has changed V8's flags (loaded the shell parser, or started worker threads). */
export function shellParserLoaded(): boolean {
  return flagsSet;
}

export function prepareShellParser(): Promise<void> {
  // Once per process: --fix over many files asks for every file.
  shellParserReady ??= (async () => {
    setShellParserFlags();
    await prepare();
  })();
  return shellParserReady;
}
