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
  /** 1-based lines of the log: where the vertex first appeared, and where it ended (DONE, ERROR, CACHED, CANCELED). */
  firstLine?: number;
  endLine?: number;
  /** The log line of each kept output line (parallel to `output`). */
  outputLines?: number[];
  /** Output lines not kept (a reader with an output limit keeps the first and the last ones). */
  dropped?: number;
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
  const reader = new BuildLogReader();
  for (const raw of log.split(/\r?\n/)) reader.push(raw);
  return reader.result();
}

/**
 * The same reading, one line at a time, for logs too large to hold: with
 * `maxOutput`, each step keeps only its first and last output lines (and
 * counts the others; up to twice that many between two trims), so memory
 * stays bounded whatever the log's size.
 */
export class BuildLogReader {
  private readonly steps = new Map<number, LoggedStep>();
  private readonly failedLines: number[] = [];
  private error?: string;
  private lineNumber = 0;
  /** The step the last `#N` line was about. */
  last?: LoggedStep;

  constructor(private readonly maxOutput = Infinity) {}

  /** Reads one line (no line break); returns the step it belongs to, if it is a `#N` line. */
  push(raw: string): LoggedStep | undefined {
    this.lineNumber++;
    const steps = this.steps;
    const m = LINE.exec(raw);
    if (!m) {
      const dockerfileLine = /^\s*Dockerfile:(\d+)\s*$/.exec(raw) ?? /^\s*\S*Dockerfile\S*:(\d+)\s*$/.exec(raw);
      if (dockerfileLine) this.failedLines.push(Number(dockerfileLine[1]));
      const finalError = /^(?:ERROR: |error: )?(?:failed to build: )?(failed to solve.*|executor failed running.*|failed to compute cache key.*)$/.exec(raw.trim());
      if (finalError) this.error = finalError[1];
      // The Docker CLI's or buildx's own refusal, before or without BuildKit's error (`ERROR: Multi-platform
      // build is not supported…`, `unknown flag: --allow`, `Error response from daemon: …`): the engine's words.
      else if (!this.error) {
        const refusal = /^(?:ERROR: |Error response from daemon: |Error: )(.+)$|^(unknown (?:shorthand )?flag: .+)$/.exec(raw.trim());
        if (refusal) this.error = refusal[1] ?? refusal[2];
      }
      return undefined;
    }
    const number = Number(m[1]);
    const rest = m[2];
    let step = steps.get(number);
    if (!step) {
      step = { number, name: rest, output: [], times: [], status: 'running', firstLine: this.lineNumber, outputLines: [] };
      const prefix = VERTEX_PREFIX.exec(rest);
      if (prefix) {
        step.platform = prefix[1];
        step.stage = prefix[2];
        step.index = Number(prefix[3]);
        step.total = Number(prefix[4]);
        step.command = prefix[5];
      }
      steps.set(number, step);
      this.last = step;
      return step;
    }
    this.last = step;
    if (rest === step.name) return step; // repeated header
    const done = /^DONE (\d+(?:\.\d+)?)s$/.exec(rest);
    if (done) {
      step.status = 'done';
      step.seconds = Number(done[1]);
      step.endLine = this.lineNumber;
    } else if (rest === 'CACHED') {
      step.status = 'cached';
      step.endLine = this.lineNumber;
    } else if (rest === 'CANCELED' || rest.startsWith('CANCELED')) {
      step.status = 'canceled';
      step.endLine = this.lineNumber;
    } else if (rest.startsWith('ERROR')) {
      step.status = 'error';
      step.error = rest.replace(/^ERROR:? ?/, '');
      step.endLine = this.lineNumber;
    } else {
      // `#7 12.34 text`: output with a timestamp (older engines print none).
      if (/^sha256:[0-9a-f]{64}$/.test(rest)) return step; // Docker 20.10 prints each vertex digest
      const time = /^(\d+\.\d+)(?: |$)/.exec(rest);
      if (step.output.length >= 2 * this.maxOutput) {
        // Keep the first half and the latest lines: the oldest of the rest go, many at once (one
        // splice per maxOutput lines, not one per line).
        const keep = Math.floor(this.maxOutput / 2);
        const drop = step.output.length - this.maxOutput + 1;
        step.output.splice(keep, drop);
        step.times.splice(keep, drop);
        step.outputLines?.splice(keep, drop);
        step.dropped = (step.dropped ?? 0) + drop;
      }
      step.output.push(time ? rest.slice(time[0].length) : rest); // `#7 12.34 text`: the timestamp is kept apart
      step.times.push(time ? Number(time[1]) : undefined);
      step.outputLines?.push(this.lineNumber);
    }
    return step;
  }

  /** Lines read so far. */
  get lines(): number {
    return this.lineNumber;
  }

  result(): ParsedBuildLog {
    return { steps: [...this.steps.values()], failedLines: this.failedLines, error: this.error };
  }
}
