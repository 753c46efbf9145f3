import { cacheRaceRule } from './cache-race/index.js';
import { invalidMountRule } from './invalid-mount.js';
import { syntaxRule } from './syntax.js';
import type { Rule } from './types.js';

/** Every rule, in the order their diagnostics are listed. */
export const allRules: Rule[] = [syntaxRule, invalidMountRule, cacheRaceRule];

export { docsUrl } from './docs-url.js';
export type * from './types.js';
export { FIX_STRATEGIES } from './types.js';
