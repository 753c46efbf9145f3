import type { Range } from '../syntax/index.js';

/** Something BuildKit would reject while turning the stages into a build graph. */
export class ModelError extends Error {
  constructor(
    message: string,
    readonly range: Range,
    readonly rule: 'syntax' | 'invalid-mount' = 'syntax',
    /** 'warning' when BuildKit would not notice (e.g. an unreachable stage). */
    readonly severity: 'error' | 'warning' = 'error',
  ) {
    super(message);
  }
}
