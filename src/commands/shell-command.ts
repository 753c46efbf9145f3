/**
 * A simple command as the shell sees it, whichever parser found it (the fast
 * path for simple scripts or tree-sitter-bash). Indices are UTF-16 offsets in
 * the analysed script's text; `end` is exclusive.
 */
export interface ShellWord {
  /** The value the shell passes, where literal; otherwise the word's text. */
  value: string;
  literal: boolean;
  /** The word's syntax, as tree-sitter-bash names it ('other' for any expansion). */
  kind: 'word' | 'number' | 'string' | 'raw_string' | 'concatenation' | 'other';
  start: number;
  end: number;
}

export interface ShellCommand {
  /** `VAR=value` words before the program. */
  assignments: Record<string, string>;
  /** The program and its arguments (redirections left out). */
  words: ShellWord[];
  start: number;
  end: number;
}
