export { diagnose, partsOf, type BuildModelSource, type DiagnoseResult, type Diagnosis, type Holder, type StepParts, type StepRef, type Verdict } from './diagnose.js';
export { readLog, UnreadableLog, OUTPUT_KEPT, type LogReading, type SignatureHit, type FailureExcerpt } from './read-log.js';
export { CiUnwrapper, type LogWrapper } from './ci-log.js';
