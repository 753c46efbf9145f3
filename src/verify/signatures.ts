/**
 * Finding the failure signatures of the knowledge layer (src/knowledge/failures.ts) in build output.
 */
import { DOWNLOAD_FAILURES, FAILURE_SIGNATURES, INFRASTRUCTURE_ERRORS, REFUSED_BEFORE_ANY_STEP, type DownloadFailure, type FailureSignature, type InfrastructureError } from '../knowledge/index.js';

export { DOWNLOAD_FAILURES, FAILURE_SIGNATURES, INFRASTRUCTURE_ERRORS, type DownloadFailure, type FailureSignature, type InfrastructureError };

export interface SignatureMatch {
  signature: FailureSignature;
  /** The matching line, as printed. */
  line: string;
}

/** A failure of the tool itself: not a wait, nor a cache the step's user cannot write. */
export function isRaceFailure(signature: FailureSignature): boolean {
  return (signature.kind ?? 'failure') === 'failure';
}

/** Tools named by a signature that is a race failure. */
export function failingTools(matches: SignatureMatch[]): string[] {
  return [...new Set(matches.filter((m) => isRaceFailure(m.signature)).map((m) => m.signature.tool))];
}

/** Every signature found in some output, once each, in the order they appear. */
export function findSignatures(output: string): SignatureMatch[] {
  const found: SignatureMatch[] = [];
  const seen = new Set<string>();
  for (const line of output.split('\n')) {
    for (const signature of FAILURE_SIGNATURES) {
      if (seen.has(signature.id) || !signature.pattern.test(line)) continue;
      seen.add(signature.id);
      found.push({ signature, line: line.trim() });
    }
  }
  return found;
}

/** The engine error in a build's own error message, if it is one. */
export function infrastructureError(message: string): InfrastructureError | undefined {
  return INFRASTRUCTURE_ERRORS.find((e) => e.pattern.test(message));
}

/**
 * Why a failed build could not run, if it could not: the engine's error, or
 * (when no step ran at all and no tool failed) a refusal before the build began.
 */
export function refusal(message: string, stepsRan: boolean): InfrastructureError | undefined {
  return infrastructureError(message) ?? (stepsRan ? undefined : REFUSED_BEFORE_ANY_STEP);
}

export interface DownloadMatch {
  failure: DownloadFailure;
  /** The matching line, as printed. */
  line: string;
}

/**
 * Why a step could not download what it installs, if that is why it failed:
 * the first line of its output that a download failure matches. Only asked
 * where no tool printed a race signature (a race can also break a download).
 */
export function downloadFailure(output: string[]): DownloadMatch | undefined {
  for (const line of output) {
    const failure = DOWNLOAD_FAILURES.find((f) => f.pattern.test(line));
    if (failure) return { failure, line: line.trim() };
  }
  return undefined;
}
