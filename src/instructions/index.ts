export { parseInstructions, parseInstruction, type DockerfileInstructions } from './parse.js';
export { InstructionError } from './errors.js';
export { resolveMount, parseMountSpec, canonicalKey, MOUNT_TYPES, SHARING_MODES } from './mount.js';
export type { Mount, MountSpec, MountField, MountType, Sharing } from './mount.js';
export type * from './types.js';
export type { FlagValue } from './bflags.js';
export { suggest, withSuggestion } from './suggest.js';
