/**
 * Reads a build log as a stream, line by line, in bounded memory: the CI
 * wrapper taken off each line (ci-log.ts), BuildKit's vertices read back into
 * steps (verify's BuildLogReader, keeping the first and last output lines of
 * each step), and every failure signature noted with its line in the log as
 * it goes by, so nothing is lost to the output limit. Also kept: the
 * Dockerfile BuildKit loaded, and the `Dockerfile:N` excerpts of failures
 * with the step each is about.
 */
import { BuildLogReader, FAILURE_SIGNATURES, type FailureSignature, type ParsedBuildLog } from '../verify/index.js';
import { CiUnwrapper, type LogWrapper } from './ci-log.js';

/** A failure signature where it appeared: its step, its line of the log, the text. */
export interface SignatureHit {
  signature: FailureSignature;
  step: number;
  /** 1-based line of the log (as stored, wrapper lines included). */
  logLine: number;
  text: string;
}

/** BuildKit's excerpt under a failure (`Dockerfile:12` in buildx's output). */
export interface FailureExcerpt {
  /** The vertex the excerpt is about, from the ` > [stage k/n] …:` header before it. */
  vertex?: string;
  /** The file as printed (`Dockerfile`, `api/Dockerfile`). */
  file: string;
  line: number;
  logLine: number;
}

export interface LogReading {
  log: ParsedBuildLog;
  hits: SignatureHit[];
  excerpts: FailureExcerpt[];
  /** `load build definition from Dockerfile` (per bake target, its name before `internal`). */
  definitions: Array<{ target?: string; file: string }>;
  /** `ERROR: target NAME: …` lines (bake and compose). */
  failedTargets: string[];
  /** The build's own error lines outside any step (`ERROR: …`, bake's `target NAME: failed to solve: …`). */
  errors: string[];
  wrappers: LogWrapper[];
  lines: number;
  bytes: number;
  /** The log ends without BuildKit's last word (no final error, steps still running). */
  cutOff: boolean;
}

export class UnreadableLog extends Error {}

/** Output lines each step keeps (the first half and the last half); signatures are found in every line anyway. */
export const OUTPUT_KEPT = 400;
/** A stored line longer than this is cut there (a binary file, a minified blob). */
const MAX_LINE = 64 * 1024;

export async function readLog(chunks: AsyncIterable<Buffer | string>, name: string): Promise<LogReading> {
  const reader = new BuildLogReader(OUTPUT_KEPT);
  const ci = new CiUnwrapper();
  const hits: SignatureHit[] = [];
  const seen = new Set<string>();
  const excerpts: FailureExcerpt[] = [];
  const definitions: LogReading['definitions'] = [];
  const failedTargets: string[] = [];
  const errors: string[] = [];
  let header: string | undefined;
  let lineNumber = 0;
  let bytes = 0;
  let carry = '';
  let checked = false;
  const decoder = new TextDecoder('utf-8');

  const onLine = (stored: string) => {
    lineNumber++;
    if (stored.length > MAX_LINE) stored = stored.slice(0, MAX_LINE);
    const line = ci.unwrap(stored);
    if (line === undefined) {
      reader.push(''); // keep the reader's line numbers those of the log
      return;
    }
    const step = reader.push(line);
    if (step) {
      if (step.firstLine === reader.lines) {
        const def = /^\[(?:(\S+) )?internal\] load build definition from (.+)$/.exec(step.name);
        if (def) definitions.push({ target: def[1], file: def[2].trim() });
      }
      if (!step.output.length || step.outputLines?.[step.outputLines.length - 1] !== reader.lines) return;
      const text = step.output[step.output.length - 1];
      for (const signature of FAILURE_SIGNATURES) {
        const key = `${step.number}\0${signature.id}`;
        if (seen.has(key) || !signature.pattern.test(text)) continue;
        seen.add(key);
        hits.push({ signature, step: step.number, logLine: lineNumber, text: text.trim() });
      }
      return;
    }
    const h = /^ > (\[.*\] .*):$/.exec(line.trimEnd());
    if (h) header = h[1];
    const excerpt = /^\s*(\S*Dockerfile\S*|[\w./-]+):(\d+)\s*$/.exec(line);
    if (excerpt && /Dockerfile|\.Dockerfile|Containerfile/i.test(excerpt[1])) excerpts.push({ vertex: header, file: excerpt[1], line: Number(excerpt[2]), logLine: lineNumber });
    const target = /^(?:ERROR: )?target ([^\s:]+): (failed to solve.*)$/.exec(line.trim());
    if (target) failedTargets.push(target[1]);
    const error = /^ERROR: (.+)$/.exec(line.trim());
    if ((error || target) && errors.length < 20) errors.push(error?.[1] ?? line.trim());
  };

  for await (const chunk of chunks) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    bytes += buf.length;
    if (!checked) {
      checked = true;
      if (looksBinary(buf)) throw new UnreadableLog(`${name} is a binary file, not a build log`);
    }
    const text = carry + decoder.decode(buf, { stream: true });
    const parts = text.split('\n');
    carry = parts.pop() ?? '';
    if (carry.length > MAX_LINE * 4) carry = carry.slice(0, MAX_LINE); // a line with no end: keep its start
    for (const p of parts) onLine(p.endsWith('\r') ? p.slice(0, -1) : p);
  }
  carry += decoder.decode();
  if (carry !== '') onLine(carry);
  if (bytes === 0) throw new UnreadableLog(`${name} is empty`);
  const log = reader.result();
  const failed = log.steps.some((s) => s.status === 'error');
  const cutOff = !log.error && !errors.length && !failed && log.steps.some((s) => s.status === 'running' && s.stage !== undefined);
  return { log, hits, excerpts, definitions, failedTargets, errors, wrappers: [...ci.seen], lines: lineNumber, bytes, cutOff };
}

/** NUL bytes, or mostly control characters, in the first chunk. */
function looksBinary(buf: Buffer): boolean {
  const n = Math.min(buf.length, 8192);
  let odd = 0;
  for (let i = 0; i < n; i++) {
    const b = buf[i];
    if (b === 0) return true;
    if (b < 7 || (b > 14 && b < 32 && b !== 27)) odd++;
  }
  return n > 0 && odd / n > 0.1;
}
