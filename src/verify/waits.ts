/**
 * Waits in a build's log: a tool that found another build holding its cache's
 * lock and waited for it (cargo's "Blocking waiting for file lock"). A wait is
 * not a failure: it is reported with how long it lasted, read from BuildKit's
 * per-line timestamps (the next line the step printed, or the step's end).
 */
import type { ParsedBuildLog } from './build-log.js';
import { FAILURE_SIGNATURES, type FailureSignature } from './signatures.js';

export interface ObservedWait {
  signature: FailureSignature;
  /** The step's vertex name. */
  step: string;
  stage?: string;
  /** The matching line, as printed. */
  line: string;
  /** How long the tool waited, when the engine printed timestamps. */
  seconds?: number;
}

const WAIT_SIGNATURES = FAILURE_SIGNATURES.filter((s) => s.kind === 'wait');

export function findWaits(log: ParsedBuildLog): ObservedWait[] {
  const waits: ObservedWait[] = [];
  for (const step of log.steps) {
    step.output.forEach((line, i) => {
      const signature = WAIT_SIGNATURES.find((s) => s.pattern.test(line));
      if (!signature) return;
      const from = step.times[i];
      const next = step.times.slice(i + 1).find((t) => t !== undefined) ?? step.seconds;
      const seconds = from !== undefined && next !== undefined ? Math.max(0, next - from) : undefined;
      waits.push({ signature, step: step.name, stage: step.stage, line: line.trim(), seconds });
    });
  }
  return waits;
}
