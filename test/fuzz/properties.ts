/**
 * What must hold for any input, checked on every fuzz case. Each check
 * returns violations (empty: all hold) rather than throwing, so the caller
 * can shrink a failing input to a minimal one before it reports.
 *
 * (a) lint and every report never throw, but for the documented errors
 *     (AnalysisLimitError; BuildOptionError for a --target that is gone);
 * (b) every range (finding, related location, fix edit) lies inside the text
 *     and not inside a surrogate pair, and the JSON report's lines and
 *     code-point columns are what counting gives, round-tripping through
 *     SourceFile.offsetAt;
 * (c) --fix, safe only and with unsafe fixes, with each strategy, reaches a
 *     fixed point within a few passes and creates no finding that was not
 *     there before (the contract of test/helpers/fix-check.ts);
 * (d) bytes outside the edits stay as they were, also in a file that is not
 *     UTF-8, and inserted lines use the file's line ending;
 * (e) wherever the fast path reads a script, it reads what tree-sitter reads.
 */
import { isDeepStrictEqual } from 'node:util';
import { parseSimpleScript } from '../../src/commands/simple-script.js';
import { treeSitterCommands } from '../../src/commands/tree-sitter-commands.js';
import { applyFixes, type TextEdit } from '../../src/edits/index.js';
import { applies, fixText, lintText, oneChangePerCache, type FixResult, type LintOptions, type LintResult } from '../../src/engine/index.js';
import { BuildOptionError } from '../../src/model/index.js';
import { jsonReport, sarifReport, textReport } from '../../src/report/index.js';
import { FIX_STRATEGIES } from '../../src/rules/index.js';
import { AnalysisLimitError, decodeText, encodeText, type Range, type TextEncoding } from '../../src/syntax/index.js';
import { fixProblem } from '../helpers/fix-check.js';
import type { GeneratedCase } from './generate.js';

/** A violated property: which one (a–e) and what happened. */
export interface Violation {
  property: 'a' | 'b' | 'c' | 'd' | 'e';
  message: string;
}

/** Passes --fix may take before it is "not converging" (fixText stops at 10). */
export const MAX_FIX_PASSES = 4;

const PATH = 'Dockerfile';

/** Every property for one case, --fix with each of `fixSettings` (default: all ten). */
export function checkCase(input: GeneratedCase, fixSettings: readonly LintOptions[] = FIX_SETTINGS): Violation[] {
  let text = input.text;
  let encoding: TextEncoding = 'utf-8';
  if (input.bytes) {
    try {
      ({ text, encoding } = decodeText(input.bytes));
    } catch (err) {
      return [{ property: 'a', message: `decodeText threw ${describeError(err)}` }]; // the generator puts in no NUL and no UTF-16 mark
    }
  }
  const violations: Violation[] = [];
  let result: LintResult;
  try {
    result = lintText(text, PATH, input.options);
  } catch (err) {
    if (err instanceof AnalysisLimitError || (err instanceof BuildOptionError && input.options.target)) return [];
    return [{ property: 'a', message: `lint threw ${describeError(err)}` }];
  }
  try {
    violations.push(...checkRanges(result));
  } catch (err) {
    violations.push({ property: 'a', message: `a report threw ${describeError(err)}` });
  }
  violations.push(...checkFastPath(result));
  if (result.diagnostics.some((d) => d.fix || d.suggestions?.length)) {
    let compared = false;
    for (const setting of fixSettings) {
      violations.push(...checkFix(text, encoding, result, { ...input.options, ...setting }, !compared));
      compared = true;
      if (violations.some((v) => v.property !== 'e')) break; // one setting that fails is enough to shrink on
    }
  }
  return violations;
}

/** Safe fixes only, then unsafe ones, with the default strategy and each one. */
export const FIX_SETTINGS: readonly LintOptions[] = [undefined, ...FIX_STRATEGIES].flatMap((fixStrategy) => [{ fixStrategy }, { fixStrategy, unsafeFixes: true }]);

function describeError(err: unknown): string {
  return err instanceof Error ? `${err.constructor.name}: ${err.message}\n${err.stack?.split('\n').slice(1, 6).join('\n')}` : String(err);
}

/** (b): ranges in the text, columns in code points as counting gives them, reports that parse and escape control characters. */
export function checkRanges(result: LintResult): Violation[] {
  const { source } = result;
  const text = source.text;
  const out: Violation[] = [];
  const ranges: Array<[string, Range]> = [];
  for (const d of [...result.diagnostics, ...(result.suppressed ?? [])]) {
    ranges.push([`${d.ruleId} range`, d.range]);
    for (const r of d.related) if (!r.file) ranges.push([`${d.ruleId} related location`, r.range]);
    for (const fix of [d.fix, ...(d.suggestions ?? [])]) for (const e of fix?.edits ?? []) if (!e.file) ranges.push([`${d.ruleId} fix edit`, e.range]);
  }
  for (const [what, r] of ranges) {
    if (!(Number.isInteger(r.start) && Number.isInteger(r.end) && r.start >= 0 && r.start <= r.end && r.end <= text.length)) {
      out.push({ property: 'b', message: `${what} ${JSON.stringify(r)} is not inside the text (length ${text.length})` });
    } else if (splitsPair(text, r.start) || splitsPair(text, r.end)) {
      out.push({ property: 'b', message: `${what} ${JSON.stringify(r)} cuts a surrogate pair in two` });
    }
  }
  if (out.length) return out;

  const report = JSON.parse(jsonReport([result])) as { files: Array<{ diagnostics: Array<{ line: number; column: number; endLine: number; endColumn: number }> }> };
  const shown = report.files[0]?.diagnostics ?? [];
  result.diagnostics.forEach((d, i) => {
    const expected = { line: lineOf(text, d.range.start), column: columnOf(text, d.range.start), endLine: lineOf(text, d.range.end), endColumn: columnOf(text, d.range.end) };
    const got = shown[i] && { line: shown[i].line, column: shown[i].column, endLine: shown[i].endLine, endColumn: shown[i].endColumn };
    if (!isDeepStrictEqual(got, expected)) out.push({ property: 'b', message: `${d.ruleId} at ${JSON.stringify(d.range)}: the JSON report says ${JSON.stringify(got)}, counting code points gives ${JSON.stringify(expected)}` });
    for (const offset of [d.range.start, d.range.end]) {
      const back = source.offsetAt(source.positionAt(offset));
      // A byte-order mark is no column: offset 0 and 1 are both column 1 of line 1. Past the CR of a line's
      // end (a range that takes in a CR before LF or at the end of the text), offsetAt gives the line's end.
      const pastCr = text.charCodeAt(offset - 1) === 13 && (offset === text.length || text.charCodeAt(offset) === 10);
      if (back !== offset && !(offset === 0 && text.charCodeAt(0) === 0xfeff) && !pastCr) out.push({ property: 'b', message: `${d.ruleId}: offset ${offset} → ${JSON.stringify(source.positionAt(offset))} → offset ${back}` });
    }
  });
  JSON.parse(sarifReport([result], { root: '/', version: '0' }));
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x08\x0b-\x1f\x7f]/.test(textReport([result], { color: false }).replace(/\r?\n/g, ''))) out.push({ property: 'b', message: 'a raw control character in the text report' });
  return out;
}

/** The 1-based line of an offset: line feeds before it, plus one. */
function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** The 1-based column of an offset in code points, a byte-order mark not counted. */
function columnOf(text: string, offset: number): number {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = Array.from(text.slice(lineStart, offset)).length;
  return before + 1 - (lineStart === 0 && offset > 0 && text.charCodeAt(0) === 0xfeff ? 1 : 0);
}

function splitsPair(text: string, offset: number): boolean {
  const a = text.charCodeAt(offset - 1);
  const b = text.charCodeAt(offset);
  return a >= 0xd800 && a <= 0xdbff && b >= 0xdc00 && b <= 0xdfff;
}

/** (e): every script of every RUN (and the quoted scripts inside them) that the fast path reads, tree-sitter reads the same. */
function checkFastPath(result: LintResult): Violation[] {
  const out: Violation[] = [];
  for (const stage of result.instructions?.stages ?? []) {
    for (const ins of stage.instructions) {
      if (ins.kind !== 'run' || ins.json) continue;
      for (const script of [ins.shellText.text, ...ins.heredocs.map((h) => h.content)]) {
        const nested = treeSitterCommands(script).flatMap((c) => c.words.filter((w) => w.kind === 'string' || w.kind === 'raw_string').map((w) => w.value));
        for (const s of [script, ...nested]) {
          const fast = parseSimpleScript(s);
          if (fast !== undefined && !isDeepStrictEqual(fast, treeSitterCommands(s))) {
            out.push({ property: 'e', message: `the fast path and tree-sitter read ${JSON.stringify(s)} differently:\n${JSON.stringify(fast)}\n${JSON.stringify(treeSitterCommands(s))}` });
          }
        }
      }
    }
  }
  return out;
}

/**
 * (c) and (d) for one setting. --fix is run pass by pass as fixText runs it
 * (the edits of each pass are needed to check the bytes around them); the
 * outcome must be fixText's own (compared once per case: it costs a --fix).
 */
function checkFix(text: string, encoding: TextEncoding, first: LintResult, options: LintOptions, compareWithFixText: boolean): Violation[] {
  const out: Violation[] = [];
  const setting = `--fix${options.fixStrategy ? ` --fix-strategy ${options.fixStrategy}` : ''}${options.unsafeFixes ? ' --unsafe-fixes' : ''}`;
  const eol = text.includes('\r\n') && !/(?<!\r)\n/.test(text) ? '\r\n' : undefined;
  let output = text;
  let result = first;
  let passes = 0;
  for (; passes < 10; passes++) {
    const fixes = oneChangePerCache(result.diagnostics.flatMap((d) => (d.fix && applies(d.fix, options) ? [d.fix] : []))).map((fix) => fix.edits.filter((e) => !e.file));
    if (fixes.length === 0) break;
    const next = applyFixes(output, fixes);
    if (next.output === output) break;
    const problem = bytesOutsideEdits(output, next.output, next.applied.flat(), encoding);
    if (problem) out.push({ property: 'd', message: `${setting}, pass ${passes + 1}: ${problem}` });
    if (eol && /(?<!\r)\n/.test(next.output)) out.push({ property: 'd', message: `${setting}, pass ${passes + 1}: a line ending in \\n inserted into a file of \\r\\n lines` });
    output = next.output;
    try {
      result = lintText(output, PATH, options);
    } catch (err) {
      if (err instanceof AnalysisLimitError) return out;
      return [...out, { property: 'a', message: `${setting}: lint of the fixed text threw ${describeError(err)}\n${output}` }];
    }
  }
  if (out.length) return out;
  const fixed: FixResult = { output, changed: output !== text, passes, result };
  if (passes > MAX_FIX_PASSES) out.push({ property: 'c', message: `${setting} took ${passes} passes:\n${output}` });
  const reference = compareWithFixText ? fixText(text, PATH, options, first).output : output;
  if (reference !== output) out.push({ property: 'c', message: `${setting}: fixText wrote something else than its passes make:\n${reference}` });
  const problem = fixProblem(text, PATH, options, first, fixed);
  if (problem) out.push({ property: 'c', message: `${setting}: ${problem.created.map((c) => c.replace(/:.*/s, '')).join(', ')}: ${problem.message}\n${problem.created.join('\n')}` });
  return out;
}

/**
 * (d): the bytes `after` encodes to are the bytes of `before` with each
 * applied edit's range replaced by its text, and every stretch between edits
 * encodes to exactly the bytes it had (an edit that cuts a raw byte's or a
 * pair's escape in two, or a re-encoding, shows here).
 */
export function bytesOutsideEdits(before: string, after: string, edits: TextEdit[], encoding: TextEncoding): string | undefined {
  const sorted = [...new Map(edits.map((e) => [`${e.range.start}:${e.range.end}:${e.text}`, e])).values()].sort((a, b) => a.range.start - b.range.start);
  const beforeBytes = Buffer.from(encodeText(before, encoding));
  const afterBytes = Buffer.from(encodeText(after, encoding));
  const expected: Buffer[] = [];
  let at = 0;
  for (const e of sorted) {
    expected.push(Buffer.from(encodeText(before.slice(at, e.range.start), encoding)), Buffer.from(encodeText(e.text, encoding)));
    at = e.range.end;
  }
  expected.push(Buffer.from(encodeText(before.slice(at), encoding)));
  if (!Buffer.concat(expected).equals(afterBytes)) return 'the fixed file is not the old one with the edits made';
  // The unedited stretches, encoded alone, are the bytes they were in the whole file.
  let byteAt = 0;
  at = 0;
  for (const e of [...sorted, { range: { start: before.length, end: before.length }, text: '' }]) {
    const stretch = Buffer.from(encodeText(before.slice(at, e.range.start), encoding));
    if (!beforeBytes.subarray(byteAt, byteAt + stretch.length).equals(stretch)) return `bytes changed between offsets ${at} and ${e.range.start}, outside every edit`;
    byteAt += stretch.length + Buffer.from(encodeText(before.slice(e.range.start, e.range.end), encoding)).length;
    at = e.range.end;
  }
  return undefined;
}
