/**
 * The mountlint package: what `import … from 'mountlint'` gives. The CLI is
 * built on exactly this; each layer's own index has more.
 */

// Lint: a Linter lints a Dockerfile or the builds of one request, loading the shell parser only when a script needs it.
// lintText and fixText lint and fix one file once prepare() has been awaited.
export { Linter, prepare, lintText, fixText, type LintOptions, type LintResult, type FixResult, type LintUnit, type SetMember, type SetLintResult } from './engine/index.js';

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
