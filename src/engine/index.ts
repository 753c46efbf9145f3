export { lintText, prepare, preparingIfNeeded, type LintOptions, type LintResult } from './lint.js';
export { fixText, type FixResult } from './fix.js';
