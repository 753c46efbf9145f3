/**
 * The mountlint package: what `import … from 'mountlint'` gives. The CLI is
 * built on exactly this; each layer's own index has more.
 */

// Lint and fix one file (await prepare() once before lintText or fixText).
export { prepare, lintText, lintTextLoadingParser, fixText, type LintOptions, type LintResult, type FixResult } from './engine/index.js';

// The rules and what they report.
export { allRules, FIX_STRATEGIES, type Rule, type Diagnostic, type Fix, type FixStrategy } from './rules/index.js';

// Reports, as the CLI prints them.
export { textReport, jsonReport, unifiedDiff, explain, explainText, type Explanation } from './report/index.js';

// Real builds on BuildKit.
export { verify, DockerUnavailable, type VerifyOptions, type VerifyResult } from './verify/index.js';

// The layers below, for tools that want the model itself.
export { parseDockerfile, DockerfileSyntaxError, type ParsedDockerfile } from './syntax/index.js';
export { parseInstructions, type DockerfileInstructions } from './instructions/index.js';
export { buildModel, BuildOptionError, type BuildModel, type BuildOptions, type Step } from './model/index.js';
