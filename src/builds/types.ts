/**
 * What a build definition asks BuildKit to build, read from bake, compose and
 * CI files: requests (one `docker buildx bake`, one `docker compose build`,
 * one workflow step), each with the targets it runs together.
 */
import type { Range, SourceFile } from '../syntax/index.js';

/** A place in a definition file. */
export interface DefinitionPlace {
  source: SourceFile;
  range: Range;
}

export interface BuildTarget {
  /** The bake target, compose service or workflow step, as users name it. */
  name: string;
  /** How messages name it, when `kind "name"` would not do (CI steps: the step, its job and file). */
  label?: string;
  kind: 'bake target' | 'compose service' | 'workflow step' | 'CI job';
  /** Where it is defined (the block, the service key, the step). */
  definedAt: DefinitionPlace;
  /** The build context directory (a path as the definition gives it, resolved against the definition's folder). */
  context: string;
  /** The Dockerfile's path (relative paths are under the context, as buildx resolves them). */
  dockerfile: string;
  /** A Dockerfile written in the definition itself (bake `dockerfile-inline`, compose `dockerfile_inline`). */
  inline?: { text: string; place: DefinitionPlace };
  /** The stage to build (`target`), default the last one. */
  stage?: string;
  args: Record<string, string>;
  /** Target platforms; empty: the builder's own. */
  platforms: string[];
  /** Named contexts: `name` → a path, an image (`docker-image://…`) or another target (`target:NAME`). */
  namedContexts: Record<string, string>;
  /**
   * Where the repository starts this build together with the request's others (the
   * `make -j` line, the Makefile rule, the backgrounded `docker build`), each with what
   * it does there: findings across these builds name them as related locations.
   */
  startedBy?: Array<{ place: DefinitionPlace; message: string }>;
  /** Set when mountlint cannot know what this target builds without Docker: it is listed, not analysed. */
  unknown?: { reason: string; place: DefinitionPlace; dockerfileKnown?: boolean };
}

export interface BuildRequest {
  /** The command that runs it: `docker buildx bake`, `docker compose build`, a workflow step. */
  label: string;
  /** Why these targets run at the same time, for messages: `group "default" builds api and worker in one request`. */
  why: string;
  targets: BuildTarget[];
  /** Where the request is defined (the group, the workflow step), when there is one place. */
  definedAt?: DefinitionPlace;
  /**
   * Its targets are separate builds started at the same time (`make -j`, builds in the
   * background, a matrix on one runner), not one bake or compose request: linted as
   * with `--concurrent-builds`.
   */
  separateBuilds?: boolean;
}

export interface BuildPlan {
  /** The definition files read, in the order they were merged. */
  files: SourceFile[];
  requests: BuildRequest[];
  /** What the reader could not resolve or chose not to analyse, one line each. */
  notes: string[];
  /** What could not be read, at its place (`path:line:col: why`): said as warnings, never silently dropped. */
  warnings?: string[];
  /** Dockerfiles linted on their own because the definition that builds them could not be fully read. */
  alone?: string[];
  /** How the values were resolved: by mountlint's own reader, or by Docker's (`docker buildx bake --print`). */
  resolvedBy: 'mountlint' | 'docker';
}
