import type { DockerfileInstructions, Instruction, Mount } from '../instructions/index.js';
import type { Range, SourceFile } from '../syntax/index.js';
import type { Scope } from './env.js';
import type { StageNode } from './stages.js';

/** Which cache directory a cache mount gets: BuildKit's key `NS/id[:base]`. */
export interface CacheKey {
  /** `NS + "/" + (id or path.Clean(target))`, as BuildKit writes it into the LLB. */
  id: string;
  /** The id as written (`id=`), or the cleaned target when there is none. */
  name: string;
  /** BUILDKIT_CACHE_MOUNT_NS ('' when not set). */
  namespace: string;
  /** The snapshot the cache starts from (from= stage or image, or the uid/gid/mode mkdir); part of the key. */
  base?: string;
  /** What the solver indexes the directory under. */
  key: string;
}

export interface ResolvedMount {
  mount: Mount;
  /** Absolute path inside the container (relative targets are under the WORKDIR). */
  target: string;
  /** Cache mounts only. */
  cache?: CacheKey;
  /** BuildKit's default is shared. */
  sharing: 'shared' | 'private' | 'locked';
}

/** One operation BuildKit runs: a RUN, COPY, ADD or WORKDIR of one stage on one platform. */
export interface Step {
  id: number;
  /** Digest of the operation and its inputs: equal digests are one execution (BuildKit merges them). */
  vertex: string;
  /** The platform the step runs for: its stage's (`FROM --platform=…`), else the target platform. */
  platform: string;
  /** The target platform of the build it was dispatched for (TARGETPLATFORM), even in a `--platform=$BUILDPLATFORM` stage. */
  targetPlatform: string;
  stage: DispatchedStage;
  instruction: Instruction;
  /** Vertices this step waits for. */
  inputs: string[];
  /** RUN only: the mounts after pass 2. */
  mounts: ResolvedMount[];
  /** RUN only: the variables the command sees (ENV and ARG). */
  env: Scope;
  workdir: string;
  user: string;
  shell: string[];
}

/** Which build a stage belongs to: one Dockerfile built with one set of options (a bake target, a compose service). */
export interface BuildOrigin {
  df: DockerfileInstructions;
  /** How users name the build: `bake target "api"`; '' for a lone `docker build`. */
  label: string;
  /** Its short name (the bake target, the compose service): part of cache ids a fix gives it. */
  name: string;
  /** Its position among the builds of one request (0 for a lone build). */
  index: number;
  /** Where the repository starts this build together with the others (a Makefile rule, a script line): for related locations. */
  startedBy?: readonly StartPlace[];
}

/** A place in a file that starts builds (a Makefile, a script, a CI file), and what it does there. */
export interface StartPlace {
  source: SourceFile;
  range: Range;
  message: string;
}

/** A stage as dispatched for one platform. */
export interface DispatchedStage {
  node: StageNode;
  /** The build this stage is part of (several Dockerfiles run in one bake or compose request). */
  origin: BuildOrigin;
  platform: string;
  /** Reachable from the target: BuildKit dispatches (and validates) only these. */
  reachable: boolean;
  steps: Step[];
  /** The vertex of the stage's final state. */
  finalVertex: string;
  /** ENV only (what a child stage inherits). */
  imageEnv: Scope;
  workdir: string;
  user: string;
  shell: string[];
  /** Is this unset variable one the base image may set to a value not known here? */
  unknownVariable: (name: string) => boolean;
  /**
   * Where the image at the root of its FROM chain is another build of the same
   * request (bake `contexts = { base = "target:base" }`): that build's final
   * stage, so what it configures (docker-clean removed, keepcache…) is known.
   */
  imageFrom?: DispatchedStage;
}
