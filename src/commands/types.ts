import type { Range } from '../syntax/index.js';

/** One program a RUN runs, with its arguments as the shell would pass them (where they are literal). */
export interface Invocation {
  /** The program's base name (`/usr/bin/apt-get` → `apt-get`). */
  program: string;
  /** Arguments after the program; non-literal words keep their text with `$`. */
  args: string[];
  /** False for an argument whose value is only known at run time (`$VAR`, `$(…)`). */
  literal: boolean[];
  /** `VAR=value` words before the program. */
  assignments: Record<string, string>;
  /** The whole command in the Dockerfile. */
  range: Range;
  /** Where the program's name is written. */
  nameRange: Range;
  /** How it is reached: `sh -c`, a heredoc script, `sudo`, … (outermost first). */
  via: string[];
  /** Files it holds with `flock FILE …` while it runs (from outermost wrapper in). */
  flocks: string[];
  /** Set when the program was guessed (a retry wrapper taken as running a tool): what was assumed, for messages. */
  assumption?: string;
}
