import type { MappedText } from './mapped-text.js';
import type { Range } from './source.js';

/** A `--name=value` word before an instruction's arguments, as BuildKit's flag extractor leaves it. */
export interface FlagWord {
  /** Quotes and escapes removed, as BuildKit sees it; each character mapped to its source offset. */
  text: MappedText;
  /** The word as written in the source, quotes included. */
  range: Range;
}

/** One value of BuildKit's `Next` chain (what its AST dump prints as a quoted string). */
export interface ArgNode {
  value: string;
  /** Where the value is written (for JSON arrays: the string literal, quotes included). */
  range: Range;
}

export interface Heredoc {
  /** The terminator word, quotes removed. */
  name: string;
  fileDescriptor: number;
  /** False when the terminator was quoted: no expansion in the body. */
  expand: boolean;
  /** `<<-`: leading tabs are stripped. */
  chomp: boolean;
  /** The body, line endings included, as BuildKit reads it. */
  content: string;
  /** Source range of the body (without the terminator line). */
  contentRange: Range;
  /** Source range of the `<<EOF` word on the instruction line. */
  markerRange?: Range;
}

export interface InstructionNode {
  /** The instruction keyword as written (`run`, `RUN`, …). */
  keyword: string;
  keywordRange: Range;
  flags: FlagWord[];
  /** Split from `rest` as BuildKit splits this instruction's arguments (see the parser's Node: may be split again at each read). */
  readonly args: ArgNode[];
  /** Arguments were written as a JSON array (exec form). */
  json: boolean;
  /** Everything after the flags, trimmed: the shell-form command line of RUN/CMD/ENTRYPOINT. */
  rest: MappedText;
  /** The logical line: physical lines joined at their continuations. */
  line: MappedText;
  heredocs: Heredoc[];
  /** The trigger of an ONBUILD. */
  onbuild?: InstructionNode;
  /** From the keyword to the end of the last line (heredoc terminator included). */
  range: Range;
  /** 1-based first and last physical line. */
  startLine: number;
  endLine: number;
}

export interface Directive {
  name: 'syntax' | 'escape' | 'check';
  value: string;
  range: Range;
}

export interface ParseWarning {
  message: string;
  range: Range;
}
