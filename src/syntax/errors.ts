import type { Range } from './source.js';

/** A Dockerfile BuildKit would refuse to parse. The message is BuildKit's. */
export class DockerfileSyntaxError extends Error {
  constructor(
    message: string,
    readonly range: Range,
  ) {
    super(message);
  }
}

/**
 * Input BuildKit may well accept but mountlint does not analyse, because it
 * goes beyond a limit that keeps the analysis safe (a `${…}` nested hundreds
 * of levels deep would overflow the stack). Not a finding about the file:
 * the CLI reports it as a failure to check the file (exit 2). `range` is
 * filled in by the layer that knows which instruction it was.
 */
export class AnalysisLimitError extends Error {
  range?: Range;
}
