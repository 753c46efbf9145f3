import type { Range, SourceFile } from '../syntax/index.js';

/**
 * A build definition (bake file, compose file, workflow) that cannot be read
 * or does not make sense: always with the file and the place in it, so the
 * CLI can say `docker-bake.hcl:12:5: …` and exit 2.
 */
export class DefinitionError extends Error {
  constructor(
    message: string,
    readonly source: SourceFile,
    readonly range: Range,
    /**
     * Set when the definition is valid for Docker but mountlint cannot
     * evaluate it (a matrix that needs an impure function, a computed
     * workflow input): the caller degrades to linting each Dockerfile alone
     * with a warning, instead of refusing the whole definition.
     */
    readonly limitation = false,
  ) {
    super(message);
  }

  /** `path:line:column: message`, 1-based. */
  describe(): string {
    const at = this.source.positionAt(this.range.start);
    return `${this.source.path}:${at.line}:${at.column}: ${this.message}`;
  }
}

/**
 * `docker buildx bake` with no target named and no "default" group or
 * target: buildx refuses it, so a file named on the command line is an
 * error; in a folder being scanned, its Dockerfiles are linted alone.
 */
export class NoDefaultTarget extends DefinitionError {}
