export { aptLockUses, APT_PROGRAMS, APT_SYMPTOMS, APT_DEFAULT_DIRS, type CacheLockUse, type AptLockKind } from './apt.js';
export { TOOLS, IMAGE_ENV, TOOL_FAMILY, PATH_HINTS, toolById, type ToolKnowledge, type Concurrency } from './tools.js';
export { recognizeTool, imageEnv, homeOf, isRoot, mentionsKnownTool, type ToolUse, type StepContext } from './recognize.js';
export { shortImageName, isAlpine, hasDockerClean, hasFlock, apkMajorVersion, isKnownImage } from './images.js';
export { OBSERVED_RACES, observedRace, runsToConvince, type ObservedRace } from './observed.js';
