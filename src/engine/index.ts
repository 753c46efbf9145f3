export { lintText, lintTextLoadingParser, prepare, type LintOptions, type LintResult } from './lint.js';
export { fixText, type FixResult } from './fix.js';
