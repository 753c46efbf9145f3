export { loadShellParser, loadTreeSitter, wasmFile, ShellParserNotLoaded } from './bash-parser.js';
export { runInvocations } from './invocations.js';
export type { Invocation } from './types.js';
export { inSingleExecutable, seaAsset } from './sea.js';
