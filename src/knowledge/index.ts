export { aptLockUses, APT_PROGRAMS, APT_SYMPTOMS, APT_DEFAULT_DIRS, type CacheLockUse, type AptLockKind } from './apt.js';
export { TOOLS, IMAGE_ENV, toolById, type ToolKnowledge, type Concurrency } from './tools.js';
export { recognizeTool, imageEnv, homeOf, isRoot, type ToolUse, type StepContext } from './recognize.js';
export { shortImageName, isAlpine, hasDockerClean, hasFlock, apkMajorVersion } from './images.js';
