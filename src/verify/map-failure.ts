/**
 * A failed build, mapped back to the Dockerfile: which step failed (stage and
 * line), which known failure signatures it printed, and which `check`
 * finding predicted it.
 */
import type { LintResult } from '../engine/index.js';
import type { Instruction } from '../instructions/index.js';
import type { Diagnostic } from '../rules/index.js';
import type { ParsedBuildLog, LoggedStep } from './build-log.js';
import { downloadFailure, failingTools, findSignatures, refusal, type DownloadMatch, type InfrastructureError, type SignatureMatch } from './signatures.js';

export interface MappedFailure {
  step?: LoggedStep;
  /** 1-based Dockerfile line of the failed instruction. */
  line?: number;
  stage?: string;
  signatures: SignatureMatch[];
  /** The build's own error message. */
  message: string;
  /** The check finding on that instruction, if one predicted it. */
  finding?: Diagnostic;
  /** The engine could not run the build (no tool failed): not evidence of a race. */
  infrastructure?: InfrastructureError;
  /** The failed step could not download what it installs (no tool raced): not evidence of a race either. */
  download?: DownloadMatch;
}

export function mapFailure(log: ParsedBuildLog, prediction: LintResult): MappedFailure {
  const { failed, signatures, message, infrastructure, download } = failureOf(log);
  const instruction = locate(log, failed, prediction);
  const source = prediction.source;
  return {
    step: failed,
    line: instruction ? source.positionAt(instruction.node.range.start).line : log.failedLines[0],
    stage: failed?.stage,
    signatures,
    message,
    finding: instruction ? predictedBy(prediction.diagnostics, instruction) : undefined,
    infrastructure,
    download,
  };
}

/**
 * What a failed build's log says, for a single file and a bake or compose request
 * alike: the failed step (one in a stage first), the failure signatures (its output
 * first, then every other step's), the build's own error, and whether the engine
 * could not run the build at all (then no signature counts: `#0` is buildx's line, no step).
 */
export function failureOf(log: ParsedBuildLog): { failed?: LoggedStep; signatures: SignatureMatch[]; message: string; infrastructure?: InfrastructureError; download?: DownloadMatch } {
  const failed = log.steps.find((s) => s.status === 'error' && s.stage) ?? log.steps.find((s) => s.status === 'error');
  const signatures = findSignatures([...(failed?.output ?? []), ...log.steps.flatMap((s) => (s === failed ? [] : s.output))].join('\n'));
  const message = failed?.error ?? log.error ?? 'the build failed';
  const infrastructure = signatures.length ? undefined : refusal(`${failed?.name ?? ''}\n${message}`, log.steps.some((s) => s.number > 0));
  const download = infrastructure || failingTools(signatures).length ? undefined : downloadFailure(failed?.output ?? []);
  return { failed, signatures, message, infrastructure, download };
}

/** The error finding on (or related to) an instruction of this file: the one that predicted its failure. */
export function predictedBy(diagnostics: Diagnostic[], ins: Instruction): Diagnostic | undefined {
  const within = (r: { start: number; end: number }) => r.start >= ins.node.range.start && r.end <= ins.node.range.end;
  return diagnostics.find((d) => d.severity === 'error' && !d.file && (within(d.range) || d.related.some((r) => !r.file && within(r.range))));
}

/** BuildKit's `Dockerfile:N` first, then the step's command text in its stage, then its position. */
export function locate(log: ParsedBuildLog, step: LoggedStep | undefined, prediction: Pick<LintResult, 'instructions' | 'source'>): Instruction | undefined {
  const stages = prediction.instructions?.stages ?? [];
  const all = stages.flatMap((s) => [s.from as Instruction, ...s.instructions]);
  const source = prediction.source;
  for (const line of log.failedLines) {
    const hit = all.find((i) => i.kind !== 'from' && source.positionAt(i.node.range.start).line <= line && line <= source.positionAt(i.node.range.end).line);
    if (hit) return hit;
  }
  if (!step?.stage) return undefined;
  const stage = stages.find((s) => (s.name ?? `stage-${s.index}`) === step.stage);
  if (!stage) return undefined;
  const normalize = (s: string) => s.replace(/\s+/g, ' ').trim();
  const byText = stage.instructions.find((i) => normalize(i.node.line.text) === normalize(step.command ?? ''));
  if (byText) return byText;
  // BuildKit numbers FROM (an image) and each RUN, COPY, ADD and WORKDIR.
  const ops = stage.instructions.filter((i) => i.kind === 'run' || i.kind === 'copy' || i.kind === 'add' || i.kind === 'workdir');
  const offset = step.total !== undefined && step.total > ops.length ? 2 : 1;
  return ops[(step.index ?? 0) - offset];
}
