export { DefinitionError } from './errors.js';
export type { BuildPlan, BuildRequest, BuildTarget, DefinitionPlace } from './types.js';
export { loadHclParser } from './hcl/syntax.js';
export { readBakeFiles, bakeRequest, BakeProject } from './bake/index.js';
