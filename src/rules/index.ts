import { cacheDeadlockRule } from './cache-deadlock.js';
import { cacheHidesOutputRule } from './cache-hides-output.js';
import { cacheIneffectiveRule } from './cache-ineffective.js';
import { cachePermissionRule } from './cache-permission.js';
import { cacheRaceRule } from './cache-race/index.js';
import { cacheSplitRule } from './cache-split.js';
import { cacheWipedRule } from './cache-wiped.js';
import { invalidMountRule } from './invalid-mount.js';
import { missingCacheMountRule } from './missing-cache-mount.js';
import { suppressionRule } from './suppression.js';
import { syntaxRule } from './syntax.js';
import type { Rule } from './types.js';

/** Every rule, in the order their diagnostics are listed. */
export const allRules: Rule[] = [
  syntaxRule,
  invalidMountRule,
  cacheRaceRule,
  cacheDeadlockRule,
  cachePermissionRule,
  cacheSplitRule,
  cacheIneffectiveRule,
  cacheWipedRule,
  cacheHidesOutputRule,
  missingCacheMountRule,
  suppressionRule,
];

export type * from './types.js';
export { FIX_STRATEGIES } from './types.js';
export { docsUrl, REPOSITORY_URL } from './docs-url.js';
// What the rules know about a step, for reports that explain a position (hovers).
export { cacheUsers, collisionSeverity, type CacheUser } from './cache-race/find-races.js';
export { describeStep, neededChain, whyOverlap } from './cache-race/explain-overlap.js';
export { suppressionRule, syntaxRule };
export { renderMessage, placeholders, STEP_NOTES, type MessageData, type MessageRef, type StepNote } from './messages.js';
