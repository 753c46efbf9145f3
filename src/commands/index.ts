export { loadShellParser, loadTreeSitter, parseScript, wasmFile, ShellParserNotLoaded, type ParsedScript } from './bash-parser.js';
export { fastPathReader, readScript, runInvocations, type ScriptReader } from './invocations.js';
export type { Invocation } from './types.js';
export { shellForm, POSIX_SHELLS, type ShellForm } from './shell-form.js';
export { inSingleExecutable, seaAsset } from './sea.js';
