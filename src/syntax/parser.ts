/**
 * Dockerfile text → instruction nodes, following BuildKit's parser
 * (frontend/dockerfile/parser/parser.go) line for line in behaviour:
 * directives, comments, continuations with the file's escape token, empty
 * continuation lines, heredocs, flags, per-instruction argument shapes.
 * Unlike BuildKit it keeps exact source ranges for everything.
 */
import { DirectiveScanner, frontendFeatures } from './directives.js';
import { DockerfileSyntaxError } from './errors.js';
import { splitCommand } from './flags.js';
import { HEREDOC_INSTRUCTIONS, heredocMarkers } from './heredoc.js';
import { ARG_STYLE, parseArgs, type ArgStyle, type ParsedArgs } from './line-parsers.js';
import { MappedText } from './mapped-text.js';
import type { ArgNode, Directive, FlagWord, Heredoc, InstructionNode, ParseWarning } from './nodes.js';
import type { InstructionReuse } from './reuse.js';
import { SourceFile, type Range } from './source.js';
import { isGoSpace } from './unicode.js';

export interface ParsedDockerfile {
  source: SourceFile;
  escapeToken: string;
  directives: Directive[];
  instructions: InstructionNode[];
  warnings: ParseWarning[];
}

/**
 * The heredocs of the many instructions that have none: one array for all (an empty array is
 * 32 bytes an instruction). Nothing adds to a node's heredocs after parsing. Not frozen: a frozen
 * array is another kind of elements to V8, and code that met both ran measurably slower.
 */
const NO_HEREDOCS: Heredoc[] = [];

/** bufio.Scanner's default limit, which BuildKit keeps. */
const MAX_LINE = 64 * 1024 - 1;

interface PhysicalLine {
  /** Offset of the line's first character. */
  start: number;
  /** Offset after the line's content, line ending excluded. */
  contentEnd: number;
  /** Offset after the line ending. */
  end: number;
}

export interface ParseOptions {
  /**
   * Heredocs (`<<EOF`) are read unless this is false. Docker 20.10's built-in
   * frontend predates them: there the body lines are instructions of their own.
   * A `# syntax=` directive always turns them on (it selects a newer frontend).
   */
  heredocs?: boolean;
  /** Nodes kept from the parses of earlier versions of this text (the language server's documents). */
  reuse?: InstructionReuse;
}

export function parseDockerfile(text: string, path = 'Dockerfile', options: ParseOptions = {}): ParsedDockerfile {
  const source = new SourceFile(path, text);
  return new Parser(source, options).parse();
}

class Parser {
  private escapeToken = '\\';
  private readonly directives = new DirectiveScanner();
  private readonly warnings: ParseWarning[] = [];
  private readonly lines: PhysicalLines;
  private next = 0;

  constructor(
    private readonly source: SourceFile,
    private readonly options: ParseOptions = {},
  ) {
    this.lines = new PhysicalLines(source);
  }

  parse(): ParsedDockerfile {
    this.options.reuse?.startParse();
    const instructions: InstructionNode[] = [];
    while (this.next < this.lines.length) {
      const node = this.parseInstruction();
      if (node) instructions.push(node);
    }
    this.options.reuse?.endParse();
    if (instructions.length === 0) {
      const end = this.source.text.length;
      throw new DockerfileSyntaxError('file with no instructions', { start: end, end });
    }
    return {
      source: this.source,
      escapeToken: this.escapeToken,
      directives: this.directives.directives,
      instructions,
      warnings: this.warnings,
    };
  }

  private lineText(l: PhysicalLine): string {
    return this.source.text.slice(l.start, l.contentEnd);
  }

  /** The first line of an instruction: leading whitespace and comments removed, directives consumed. */
  private processFirstLine(index: number): MappedText {
    const l = this.lines.at(index);
    let start = l.start;
    if (index === 0 && this.source.text.charCodeAt(0) === 0xfeff) start++;
    while (start < l.contentEnd && isGoSpace(this.source.text[start])) start++;
    const text = this.source.text.slice(start, l.contentEnd);
    if (text.length > MAX_LINE) {
      throw new DockerfileSyntaxError(`dockerfile line greater than max allowed size of ${MAX_LINE}`, { start, end: l.contentEnd });
    }
    const directive = this.directives.scan(text, { start, end: l.contentEnd });
    if (directive?.name === 'escape') this.setEscapeToken(directive);
    if (text.startsWith('#')) return MappedText.fromSource(this.source.text, start, start);
    return MappedText.fromSource(this.source.text, start, l.contentEnd);
  }

  private setEscapeToken(directive: Directive): void {
    if (directive.value !== '`' && directive.value !== '\\') {
      throw new DockerfileSyntaxError(`invalid escape token '${directive.value}' does not match \` or \\`, directive.range);
    }
    this.escapeToken = directive.value;
  }

  private parseInstruction(): InstructionNode | undefined {
    const firstIndex = this.next++;
    const first = this.processFirstLine(firstIndex);
    let [segment, ended] = this.trimContinuation(first);
    if (ended && segment.length === 0) return undefined;

    const parts = [segment];
    let hasEmptyContinuation = false;
    while (!ended && this.next < this.lines.length) {
      const l = this.lines.at(this.next++);
      const raw = this.lineText(l);
      if (isComment(raw)) continue;
      if ([...raw].every(isGoSpace)) {
        hasEmptyContinuation = true;
        continue;
      }
      [segment, ended] = this.trimContinuation(MappedText.fromSource(this.source.text, l.start, l.contentEnd));
      parts.push(segment);
    }
    const lastLineIndex = this.next - 1;
    const range = { start: first.sourceOffset(0), end: this.lines.at(lastLineIndex).contentEnd };
    // The text from the keyword to the end of the last line, with the escape token, decides the node.
    const reuse = this.options.reuse;
    const node = reuse
      ? reuse.node(this.escapeToken + this.source.text.slice(range.start, range.end), range.start, () => this.nodeFromLine(MappedText.concat(parts), range))
      : this.nodeFromLine(MappedText.concat(parts), range);
    const line = node.line;
    const firstLine = this.lines.at(firstIndex);

    if (hasEmptyContinuation) {
      this.warnings.push({
        message: `Empty continuation line found in: ${line.text}`,
        range: { start: firstLine.start, end: this.lines.at(lastLineIndex).contentEnd },
      });
    }

    node.startLine = firstIndex + 1;

    const target = node.onbuild ?? node;
    // `# syntax=` chooses the frontend, whatever the engine's own: its version decides (1.4 has heredocs, 1.2 does not).
    const syntax = this.directives.directives.find((d) => d.name === 'syntax');
    const heredocs = syntax ? (frontendFeatures(syntax.value)?.heredocs ?? true) : this.options.heredocs !== false;
    if (heredocs && HEREDOC_INSTRUCTIONS.has(target.keyword.toLowerCase()) && !target.json && line.text.includes('<<')) {
      const markers = heredocMarkers(line.text, node.range);
      if (markers.length) node.heredocs = markers.map((marker) => this.readHeredoc(marker, node));
    }
    node.endLine = this.next;
    node.range = { start: node.range.start, end: this.lines.at(this.next - 1).contentEnd };
    return node;
  }

  private readHeredoc(marker: { name: string; fileDescriptor: number; expand: boolean; chomp: boolean }, node: InstructionNode): Heredoc {
    const bodyStart = this.next < this.lines.length ? this.lines.at(this.next).start : this.source.text.length;
    while (this.next < this.lines.length) {
      const l = this.lines.at(this.next++);
      let candidate = this.source.text.slice(l.start, l.contentEnd).replace(/[\r\n]+$/, '');
      if (marker.chomp) candidate = candidate.replace(/^\t+/, '');
      if (candidate === marker.name) {
        // The body's lines are one stretch of the text: one slice, not a concatenation per line.
        return { ...marker, content: this.source.text.slice(bodyStart, l.start), contentRange: { start: bodyStart, end: l.start } };
      }
    }
    throw new DockerfileSyntaxError('unterminated heredoc', { start: node.range.start, end: this.source.text.length });
  }

  /**
   * BuildKit's continuation rule: the escape token, then only spaces or tabs,
   * at the end of the line, and not itself escaped; or alone on the line.
   */
  private trimContinuation(line: MappedText): [MappedText, boolean] {
    const text = line.text;
    let end = text.length;
    while (end > 0 && (text[end - 1] === ' ' || text[end - 1] === '\t')) end--;
    if (end > 0 && text[end - 1] === this.escapeToken) {
      const escapeAt = end - 1;
      if (escapeAt === 0 || text[escapeAt - 1] !== this.escapeToken) return [line.slice(0, escapeAt), false];
    }
    return [line, true];
  }

  /** One string per spelling of a keyword (`RUN`, `run`) for the whole file, not a copy per instruction. */
  private readonly keywords = new Map<string, string>();

  private keywordAsWritten(text: string): string {
    const known = this.keywords.get(text);
    if (known !== undefined) return known;
    this.keywords.set(text, text);
    return text;
  }

  private nodeFromLine(line: MappedText, range: Range): InstructionNode {
    const { keyword, flags, rest } = splitCommand(line, this.escapeToken);
    const style = ARG_STYLE[keyword.text.toLowerCase()] ?? 'ignore';
    let parsed: ParsedArgs | undefined;
    // Styles that can fail (or that decide `json`, or ONBUILD's trigger) are split now; the others when asked (Node.args).
    if (!SPLIT_WHEN_ASKED.has(style)) {
      try {
        parsed = parseArgs(style, rest, this.escapeToken);
      } catch (err) {
        // Keep the argument's own range when it has one; otherwise point at the instruction.
        if (err instanceof DockerfileSyntaxError && err.range.end <= err.range.start) throw new DockerfileSyntaxError(err.message, range);
        throw err;
      }
    }
    // A shell form's arguments are the rest of the line again: split when asked. JSON arrays and name=value lists are kept.
    const kept = parsed && !(MAYBE_JSON.has(style) && !parsed.json) ? parsed.args : undefined;
    const node = new Node(this.keywordAsWritten(keyword.text), keyword.range, flags, parsed?.json ?? false, rest, line, range, style, this.escapeToken, kept);
    if (parsed?.subLine) node.onbuild = this.nodeFromLine(parsed.subLine, parsed.subLine.range);
    return node;
  }
}

/** Argument styles that never fail and never make a JSON array: split from the rest of the line when asked. */
const SPLIT_WHEN_ASKED = new Set<ArgStyle>(['ignore', 'string', 'whitespaceList', 'nameOrNameVal']);
const MAYBE_JSON = new Set<ArgStyle>(['maybeJSON', 'maybeJSONToList']);

/**
 * An instruction node. Its arguments are split from `rest` each time they are
 * asked for (the instructions layer asks once), unless they had to be split
 * while parsing: kept for every instruction, they were 14 % of the memory on
 * 20 MB of stages (docs/design.md); the typed instructions keep what they use.
 */
class Node implements InstructionNode {
  // Set in the constructor, not as field initializers: those are one more function for V8 to compile on every run.
  declare onbuild?: InstructionNode;
  declare heredocs: Heredoc[];
  declare startLine: number;
  declare endLine: number;

  constructor(
    readonly keyword: string,
    readonly keywordRange: Range,
    readonly flags: FlagWord[],
    readonly json: boolean,
    readonly rest: MappedText,
    readonly line: MappedText,
    public range: Range,
    private readonly style: ArgStyle,
    private readonly escapeToken: string,
    private readonly kept?: ArgNode[],
  ) {
    this.heredocs = NO_HEREDOCS;
    this.startLine = 0;
    this.endLine = 0;
  }

  get args(): ArgNode[] {
    return this.kept ?? parseArgs(this.style, this.rest, this.escapeToken).args;
  }
}

function isComment(line: string): boolean {
  let i = 0;
  while (i < line.length && isGoSpace(line[i])) i++;
  return line[i] === '#';
}

/**
 * The text's lines, split at \n; a line's content excludes its trailing \r and \n
 * characters. Read from the source's line starts, one small object per line asked
 * for: an object per line of the file, kept while parsing, was 20 MB of the
 * garbage a 20 MB file left after its parse (docs/design.md).
 */
class PhysicalLines {
  readonly length: number;

  constructor(private readonly source: SourceFile) {
    const starts = source.lineStarts;
    // A text that ends with \n has no line after it (the source counts an empty last line).
    this.length = starts[starts.length - 1] === source.text.length ? starts.length - 1 : starts.length;
  }

  at(index: number): PhysicalLine {
    const { lineStarts, text } = this.source;
    const start = lineStarts[index];
    const end = index + 1 < lineStarts.length ? lineStarts[index + 1] : text.length;
    let contentEnd = end;
    while (contentEnd > start && (text.charCodeAt(contentEnd - 1) === 10 || text.charCodeAt(contentEnd - 1) === 13)) contentEnd--;
    return { start, contentEnd, end };
  }
}
