export { lintText, lintTextLoadingParser, prepare, type LintOptions, type LintResult } from './lint.js';
export { applies, fixText, oneChangePerCache, type FixResult } from './fix.js';
export { parseSuppressions, applySuppressions, suppressionComment, suppressionEdit, SUPPRESSION_RULE, type SuppressionComment, type SuppressedRule, type ParsedSuppressions, type SuppressionOptions } from './suppressions.js';
export { lintBuildSet, lintBuildSetLoadingParser, fixBuildSet, type SetMember, type SetLintResult, type SetFixResult } from './build-set.js';
export { isDockerfileName } from './file-names.js';
export { addNewFindings, findingKey, orderFindings } from './findings.js';
export { LintSession } from './session.js';
