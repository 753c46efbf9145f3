import type { Range } from '../syntax/index.js';

/** Something BuildKit rejects in an instruction. `rule` says which diagnostic reports it. */
export class InstructionError extends Error {
  constructor(
    message: string,
    readonly range: Range,
    readonly rule: 'syntax' | 'invalid-mount' = 'syntax',
  ) {
    super(message);
  }
}
