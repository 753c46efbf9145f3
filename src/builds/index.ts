export { DefinitionError, NoDefaultTarget } from './errors.js';
export type { BuildPlan, BuildRequest, BuildTarget, DefinitionPlace } from './types.js';
export { loadHclParser } from './hcl/syntax.js';
export { readBakeFiles, bakeRequest, BakeProject } from './bake/index.js';
export { composeRequest, interpolate } from './compose.js';
export { githubWorkflowSteps, gitlabSteps, commandStep } from './workflows.js';
export { readBuildPlan, discoverBuildPlan, definitionKind, defaultDefinitionFiles, ciDefinitionFiles, DefinitionReadError, type PlanOptions, type DefinitionKind } from './plan.js';
export { aloneDockerfiles, lintPlan, requestMembers, type PlanLintResult, type RequestLint } from './lint.js';
export { askDocker, canAskDocker, type DockerResolver } from './docker.js';
