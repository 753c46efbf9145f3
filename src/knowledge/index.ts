export { aptLockUses, APT_PROGRAMS, APT_SYMPTOMS, APT_DEFAULT_DIRS, type CacheLockUse, type AptLockKind } from './apt.js';
export { TOOLS, TOOL_FAMILY, PATH_HINTS, toolById, defaultFixStrategy, type ToolKnowledge, type Concurrency, type Discard, type OutputDir, type ReadBy } from './tools.js';
export { recognizeTool, configSetting, isRoot, mentionsKnownTool, type ToolUse, type StepContext } from './recognize.js';
export { shortImageName, isAlpine, hasDockerClean, hasFlock, apkMajorVersion, isKnownImage, IMAGES, imageKnowledge, imageConfig, type ImageKnowledge, type ImageUser } from './images.js';
export { accountsCreatedBy, ACCOUNT_PROGRAMS, type Account, type Group } from './accounts.js';
export { SOURCES, sourceUrl, type Source } from './evidence.js';
export { OBSERVED_RACES, observedRace, runsToConvince, type ObservedRace } from './observed.js';
export { knowledgeFingerprint, type KnowledgeFingerprint } from './fingerprint.js';
