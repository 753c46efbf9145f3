/**
 * What one file's lints keep from version to version (the language server
 * lints every version of an open document): the syntax nodes of instructions
 * whose text has not changed, and the programs their RUN scripts run. Both are
 * kept by the instruction's source text and moved to where that text now
 * starts; what the last two versions did not use is dropped. Everything that
 * depends on more than one instruction (the build model, the rules) is worked
 * out again from these pieces, so a lint with a session gives exactly what a
 * lint without one gives.
 */
import type { Invocation } from '../commands/index.js';
import type { Step } from '../model/index.js';
import { InstructionReuse, ownCopy, type ParsedDockerfile, type Range } from '../syntax/index.js';

export class LintSession {
  readonly nodes = new InstructionReuse();
  private previous = new Map<string, KeptScript>();
  private current = new Map<string, KeptScript>();
  private parsed: ParsedDockerfile | undefined;
  /** Scripts whose programs were reused and scripts read by the last lint (for measurements and tests). */
  reusedScripts = 0;
  readScripts = 0;

  /** Called when a lint starts on a new version: what the version before last kept is dropped. */
  startLint(): void {
    this.previous = this.current.size ? this.current : this.previous;
    this.current = new Map();
    this.reusedScripts = 0;
    this.readScripts = 0;
  }

  /**
   * The programs a RUN step runs: `analyse()`'s answer for the same script
   * text and shell in an earlier version, moved to where the text is now.
   */
  invocations(step: Step, analyse: () => Invocation[]): Invocation[] {
    const { node } = step.instruction;
    // The instruction's text (heredoc bodies included), its escape token and the stage's SHELL decide its programs.
    const source = this.sourceOf(step);
    if (source === undefined) return analyse();
    const key = `${step.shell.join('\0')}\0${node.heredocs.length}\0${source}`;
    const kept = this.current.get(key) ?? this.previous.get(key);
    if (kept) {
      this.current.set(kept.key, kept);
      this.reusedScripts++;
      return kept.list.map((inv) => moved(inv, node.range.start - kept.start));
    }
    const list = analyse();
    this.readScripts++;
    // Strings of their own: slices of this version's text would keep all of it alive as long as they are kept.
    const own = ownCopy(key);
    this.current.set(own, { key: own, start: node.range.start, list: list.map(ownStrings) });
    return list;
  }

  /** The linted text of the step's instruction with the escape token, or undefined when it is not a RUN of this file. */
  private sourceOf(step: Step): string | undefined {
    if (step.instruction.kind !== 'run' || !this.parsed) return undefined;
    const { range, heredocs } = step.instruction.node;
    // An ONBUILD trigger's range leaves out the heredoc bodies it reads: its text alone does not decide it.
    if (heredocs.some((h) => h.contentRange.end > range.end)) return undefined;
    return this.parsed.escapeToken + this.parsed.source.text.slice(range.start, range.end);
  }

  /** The file being linted now (the texts of its instructions are read from it). */
  setParsed(parsed: ParsedDockerfile): void {
    this.parsed = parsed;
  }
}

interface KeptScript {
  key: string;
  /** Where the instruction's text started when it was read. */
  start: number;
  list: Invocation[];
}

/** A copy of an invocation holding its own strings (see ownCopy). */
function ownStrings(inv: Invocation): Invocation {
  const out: Invocation = {
    ...inv,
    program: ownCopy(inv.program),
    args: inv.args.map(ownCopy),
    literal: [...inv.literal],
    assignments: Object.fromEntries(Object.entries(inv.assignments).map(([k, v]) => [ownCopy(k), ownCopy(v)])),
    range: { ...inv.range },
    nameRange: { ...inv.nameRange },
    via: inv.via.map(ownCopy),
    flocks: inv.flocks.map(ownCopy),
  };
  if (inv.assumption !== undefined) out.assumption = ownCopy(inv.assumption);
  return out;
}

/** A copy of an invocation `delta` characters later in the source. */
function moved(inv: Invocation, delta: number): Invocation {
  const shift = (r: Range): Range => ({ start: r.start + delta, end: r.end + delta });
  return { ...inv, range: shift(inv.range), nameRange: shift(inv.nameRange) };
}
