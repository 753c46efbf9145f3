export { verify, frontendOf, chooseRuns, defaultRuns, DEFAULT_RUNS, type RunCount, type VerifyOptions, type VerifyResult, type VariantResult, type RunResult, type ProgressEvent } from './verify.js';
export { DockerUnavailable, detectDocker, buildCommand, type DockerSetup, type DockerBuildSpec } from './docker-cli.js';
export { parseBuildLog, BuildLogReader, type ParsedBuildLog, type LoggedStep } from './build-log.js';
export { downloadFailure, findSignatures, failingTools, isRaceFailure, FAILURE_SIGNATURES, infrastructureError, refusal, INFRASTRUCTURE_ERRORS, type DownloadMatch, type FailureSignature, type InfrastructureError, type SignatureMatch } from './signatures.js';
export { mapFailure, type MappedFailure } from './map-failure.js';
export { findWaits, type ObservedWait } from './waits.js';
export { verifyBake, bakeCommand, mapBakeFailure, type BakeVerifyOptions, type BakeVerifyResult, type BakeVariant, type BakeRunResult, type BakeFailure } from './bake.js';
