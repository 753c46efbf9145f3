/**
 * tree-sitter-bash (WebAssembly, via web-tree-sitter) as the shell parser.
 * Measured here: about 0.1 ms for a typical RUN line. It must be loaded once,
 * asynchronously, before it parses anything (`loadShellParser`). The lint
 * pipeline reads every script with the fast path first and loads it only
 * when one needs it; parsing before it is loaded is a bug, and throws
 * ShellParserNotLoaded.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename } from 'node:path';
import type { Node, Parser, Tree } from 'web-tree-sitter';
import { seaAsset } from './sea.js';

// Node has WebAssembly; neither lib ES2022 nor @types/node 20 declares it.
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => object;
};

let parser: Parser | undefined;
let loading: Promise<void> | undefined;
let runtimeLoading: Promise<typeof import('web-tree-sitter')> | undefined;

/**
 * web-tree-sitter's runtime, initialised once per process; the shell parser
 * and the HCL parser of bake files (src/builds) share it.
 */
export function loadTreeSitter(): Promise<typeof import('web-tree-sitter')> {
  runtimeLoading ??= (async () => {
    // Imported here, not above: a run whose scripts are all simple never needs it.
    const treeSitter = await import('web-tree-sitter');
    const runtime = wasmFile('web-tree-sitter/tree-sitter.wasm');
    // Compiled and instantiated synchronously, from bytes we read: the default
    // loader's promise hops and fs/promises cost more than the work at startup.
    await treeSitter.Parser.init({
      instantiateWasm(imports: object, done: (instance: object, module: object) => void) {
        const module = new WebAssembly.Module(runtime);
        done(new WebAssembly.Instance(module, imports), module);
        return {};
      },
    });
    return treeSitter;
  })();
  return runtimeLoading;
}

export function loadShellParser(): Promise<void> {
  loading ??= (async () => {
    const { Language, Parser } = await loadTreeSitter();
    const language = await Language.load(wasmFile('tree-sitter-bash/tree-sitter-bash.wasm'));
    const p = new Parser();
    p.setLanguage(language);
    parser = p;
  })();
  return loading;
}

/**
 * The bundled CLI carries its .wasm files beside itself (resolving the
 * packages cost a run ~5 ms, measured), the single executable inside itself;
 * the library finds them in node_modules.
 */
export function wasmFile(packagePath: string): Uint8Array {
  const asset = seaAsset(basename(packagePath));
  if (asset) return asset;
  try {
    return readFileSync(new URL(basename(packagePath), import.meta.url));
  } catch {
    return readFileSync(createRequire(import.meta.url).resolve(packagePath));
  }
}

/**
 * A script's syntax tree. web-tree-sitter parses a JS string as UTF-16, so a
 * node's startIndex and endIndex are UTF-16 indexes into the script, like
 * every offset of ours (checked by the tests on scripts with multibyte text).
 */
export interface ParsedScript {
  root: Node;
  dispose(): void;
}

/** A script needed tree-sitter before `loadShellParser()` had finished. */
export class ShellParserNotLoaded extends Error {
  constructor() {
    super('the shell parser is not loaded: await loadShellParser() first');
  }
}

export function parseScript(script: string): ParsedScript {
  if (!parser) throw new ShellParserNotLoaded();
  const tree: Tree | null = parser.parse(script);
  if (!tree) throw new Error('the shell parser returned no tree');
  return { root: tree.rootNode, dispose: () => tree.delete() };
}
