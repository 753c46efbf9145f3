import type { ArgNode, Heredoc, InstructionNode, MappedText, Range } from '../syntax/index.js';
import type { FlagValue } from './bflags.js';
import type { MountSpec } from './mount.js';

interface Base {
  node: InstructionNode;
}

export interface FromInstruction extends Base {
  kind: 'from';
  /** The image or stage reference as written (expanded later with meta ARGs). */
  image: ArgNode;
  /** Lowercased stage name from `AS name`. */
  name?: string;
  nameRange?: Range;
  platform?: FlagValue;
}

export interface KeyValue {
  key: string;
  /** Raw value (quotes kept; expanded at dispatch). Undefined for `ARG NAME` without a default. */
  value?: string;
  range: Range;
}

export interface ArgInstruction extends Base {
  kind: 'arg';
  pairs: KeyValue[];
}

export interface EnvInstruction extends Base {
  kind: 'env';
  pairs: Array<KeyValue & { value: string }>;
}

export interface RunInstruction extends Base {
  kind: 'run';
  mounts: MountSpec[];
  network?: FlagValue;
  security?: FlagValue;
  /** Exec form (`RUN ["a","b"]`) or shell form. */
  json: boolean;
  /** Exec-form arguments. */
  execArgs: ArgNode[];
  /** Shell-form command text (after the flags). */
  shellText: MappedText;
  heredocs: Heredoc[];
}

export interface CopyInstruction extends Base {
  kind: 'copy' | 'add';
  from?: FlagValue;
  link: boolean;
}

export interface WorkdirInstruction extends Base {
  kind: 'workdir';
  path: string;
}

export interface UserInstruction extends Base {
  kind: 'user';
  user: string;
}

export interface ShellInstruction extends Base {
  kind: 'shell';
  shell: string[];
}

export interface OtherInstruction extends Base {
  kind: 'other';
}

export type Instruction =
  | FromInstruction
  | ArgInstruction
  | EnvInstruction
  | RunInstruction
  | CopyInstruction
  | WorkdirInstruction
  | UserInstruction
  | ShellInstruction
  | OtherInstruction;

/** A build stage: its FROM and the instructions up to the next FROM. */
export interface StageDef {
  index: number;
  from: FromInstruction;
  /** Lowercased `AS` name, if any. */
  name?: string;
  instructions: Instruction[];
}
