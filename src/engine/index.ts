export { prepare, type LintOptions, type LintResult } from './lint.js';
export { Linter, fileUnit, lintText, lintBuildSet, type LintUnit, type SetMember, type SetLintResult } from './linter.js';
export { applies, fixText, fixBuildSet, oneChangePerCache, type FixResult, type SetFixResult } from './fix.js';
export { parseSuppressions, applySuppressions, suppressionComment, suppressionEdit, SUPPRESSION_RULE, type SuppressionComment, type SuppressedRule, type ParsedSuppressions, type SuppressionOptions } from './suppressions.js';
export { isDockerfileName } from './file-names.js';
export { addNewFindings, findingKey, orderFindings } from './findings.js';
