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
