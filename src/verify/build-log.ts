/**
 * BuildKit's plain progress output (`--progress=plain`), read back into
 * steps: each vertex's name, its output, and how it ended. Works for the
 * Docker 20.10 builder and for buildx.
 */
export interface LoggedStep {
  /** BuildKit's vertex number (#N). */
  number: number;
  /** The vertex name, e.g. `[builder 3/4] RUN --mount=… apt update`. */
  name: string;
  /** Parsed `[platform stage k/m]` prefix, when the vertex is a Dockerfile step. */
  platform?: string;
  stage?: string;
  index?: number;
  total?: number;
  /** The instruction text after the prefix. */
  command?: string;
  output: string[];
  /** For each output line, seconds since the step started, as BuildKit printed it (none on some engines). */
  times: Array<number | undefined>;
  status: 'done' | 'error' | 'cached' | 'canceled' | 'running';
  error?: string;
  /** Seconds, from `#N DONE 1.2s`. */
  seconds?: number;
}

export interface ParsedBuildLog {
  steps: LoggedStep[];
  /** `Dockerfile:N` lines BuildKit prints under a failure (newer engines). */
  failedLines: number[];
  /** The final error message, if the build failed. */
  error?: string;
}

const VERTEX_PREFIX = /^\[(?:(.+?) )?([^\s\]]+) +(\d+)\/(\d+)\] (.*)$/s;
const LINE = /^#(\d+) (.*)$/;

export function parseBuildLog(log: string): ParsedBuildLog {
  const steps = new Map<number, LoggedStep>();
  const failedLines: number[] = [];
  let error: string | undefined;
  for (const raw of log.split(/\r?\n/)) {
    const m = LINE.exec(raw);
    if (!m) {
      const dockerfileLine = /^\s*Dockerfile:(\d+)\s*$/.exec(raw) ?? /^\s*\S*Dockerfile\S*:(\d+)\s*$/.exec(raw);
      if (dockerfileLine) failedLines.push(Number(dockerfileLine[1]));
      const finalError = /^(?:ERROR: |error: )?(failed to solve.*|executor failed running.*|failed to compute cache key.*)$/.exec(raw.trim());
      if (finalError) error = finalError[1];
      continue;
    }
    const number = Number(m[1]);
    const rest = m[2];
    let step = steps.get(number);
    if (!step) {
      step = { number, name: rest, output: [], times: [], status: 'running' };
      const prefix = VERTEX_PREFIX.exec(rest);
      if (prefix) {
        step.platform = prefix[1];
        step.stage = prefix[2];
        step.index = Number(prefix[3]);
        step.total = Number(prefix[4]);
        step.command = prefix[5];
      }
      steps.set(number, step);
      continue;
    }
    if (rest === step.name) continue; // repeated header
    const done = /^DONE (\d+(?:\.\d+)?)s$/.exec(rest);
    if (done) {
      step.status = 'done';
      step.seconds = Number(done[1]);
    } else if (rest === 'CACHED') step.status = 'cached';
    else if (rest === 'CANCELED' || rest.startsWith('CANCELED')) step.status = 'canceled';
    else if (rest.startsWith('ERROR')) {
      step.status = 'error';
      step.error = rest.replace(/^ERROR:? ?/, '');
    } else {
      // `#7 12.34 text`: output with a timestamp (older engines print none).
      if (/^sha256:[0-9a-f]{64}$/.test(rest)) continue; // Docker 20.10 prints each vertex digest
      const time = /^(\d+\.\d+)(?: |$)/.exec(rest);
      step.output.push(time ? rest.slice(time[0].length) : rest); // `#7 12.34 text`: the timestamp is kept apart
      step.times.push(time ? Number(time[1]) : undefined);
    }
  }
  return { steps: [...steps.values()], failedLines, error };
}
