/**
 * From a failed build's log to its cause. For each step that failed:
 *  - the failure signature it printed (the tool, the text, its log line);
 *  - the step mapped to its Dockerfile line (BuildKit's `Dockerfile:N`
 *    excerpt, else the instruction's text in its stage);
 *  - the cache, and who held it: the steps of the build that were running
 *    while it ran (from the log's order: a vertex runs from its first line to
 *    its DONE/ERROR/CANCELED) and that use that cache, confirmed by `check`'s
 *    cache-race finding where the Dockerfile is known;
 *  - a verdict: a race inside this build, a race with another build on the
 *    builder, a cache problem that is not a race, or not a cache problem.
 * The verdict says only what the log and the model show: no signature, no
 * cache cause.
 */
import type { LintResult } from '../engine/index.js';
import type { Instruction } from '../instructions/index.js';
import type { Diagnostic, Fix } from '../rules/index.js';
import type { SourceFile } from '../syntax/index.js';
import { infrastructureError, isRaceFailure, type LoggedStep } from '../verify/index.js';
import type { LogReading, SignatureHit } from './read-log.js';

export type Verdict = 'race-in-build' | 'race-other-build' | 'cache-not-race' | 'not-cache';

/** The Dockerfile(s) the log's build used, linted; `forStep` finds the one a step belongs to. */
export interface BuildModelSource {
  /** The lint result of the Dockerfile this step ran from (a bake target's own, by its target name). */
  forStep(parts: StepParts): LintResult | undefined;
  /** What could not be found, said once (e.g. "the Dockerfile (load build definition from Dockerfile) is not in /x"). */
  missing: string[];
}

export interface StepParts {
  target?: string;
  platform?: string;
  stage?: string;
  index?: number;
  total?: number;
  command?: string;
}

export interface StepRef extends StepParts {
  vertex: number;
  name: string;
  /** Log lines where it started and ended (DONE, ERROR, CANCELED); no end: still running when the log stops. */
  firstLine?: number;
  endLine?: number;
  status: LoggedStep['status'];
  file?: string;
  line?: number;
  /** How the line was found: BuildKit's excerpt, the instruction's text, or its position in the stage. */
  located?: 'excerpt' | 'text' | 'position';
}

export interface Holder extends StepRef {
  /** The log shows it running at the same time; check's finding names it; or both. */
  evidence: 'log' | 'model' | 'log and model';
}

export interface Diagnosis {
  verdict: Verdict;
  /** One sentence: what happened. */
  summary: string;
  step: StepRef;
  /** BuildKit's error for the step. */
  error?: string;
  signature?: { id: string; tool: string; meaning: string; text: string; logLine: number };
  /** The cache, as check names it (its id, or its target when it has none). */
  cache?: string;
  holders: Holder[];
  /** The check finding that predicts it (cache-race, cache-permission…), with its file. */
  finding?: { diagnostic: Diagnostic; file: SourceFile };
  /** Other findings of check on the failing instruction (context, not the cause). */
  related: Array<{ diagnostic: Diagnostic; file: SourceFile }>;
  fix?: Fix;
  /**
   * Every fix `--fix` applies for this failure: the finding's, then those of
   * the step's races on its other caches (fixing one cache of an apt step
   * leaves the next build failing on the other).
   */
  fixes: Fix[];
  /** What to do when no fix edits the file (another build's race: a namespace per build). */
  advice?: string;
  /** The engine could not run the build at all. */
  infrastructure?: string;
  /** For a failure that is not a cache's: the step's last output lines, where its own error usually is. */
  lastOutput?: Array<{ logLine: number; text: string }>;
}

export interface DiagnoseResult {
  diagnoses: Diagnosis[];
  /** Steps that were cancelled because another failed (not failures of their own). */
  canceled: number;
  passed: boolean;
  reading: Omit<LogReading, 'log' | 'hits' | 'excerpts'> & { steps: number };
  missing: string[];
}

const NS_ADVICE =
  'give each build its own cache: build with --build-arg BUILDKIT_CACHE_MOUNT_NS=<the job or branch name>, or an id= per build on the cache mount; `mountlint check --concurrent-builds` on the files of the builds that run together finds and fixes it (sharing=locked does not order separate builds in every BuildKit version, moby/buildkit#6014)';

export function diagnose(reading: LogReading, model: BuildModelSource): DiagnoseResult {
  const { log } = reading;
  const targets = new Set(reading.definitions.flatMap((d) => (d.target ? [d.target] : [])));
  const failed = log.steps.filter((s) => s.status === 'error' && !isConsequence(s));
  // A log cut off while a step was failing: a step still running that printed a failure signature.
  if (reading.cutOff) failed.push(...log.steps.filter((s) => s.status === 'running' && reading.hits.some((h) => h.step === s.number && isRaceFailure(h.signature))));
  const diagnoses = failed.map((step) => diagnoseStep(step, reading, model, targets));
  // A cache the tool could not use, in a step that did not fail (pip disables an unwritable cache and goes on).
  for (const hit of reading.hits.filter((h) => h.signature.kind === 'unwritable' && !failed.some((s) => s.number === h.step))) {
    const step = log.steps.find((s) => s.number === hit.step)!;
    const d = diagnoseStep(step, reading, model, targets);
    diagnoses.push({ ...d, summary: `${d.summary}; the step went on without its cache, so every build of it starts cold` });
  }
  const finalError = log.error ?? reading.errors[0];
  // A build that failed with no failed vertex (cut off, or only a final error): said from the final error.
  if (!failed.length && finalError) {
    const infra = infrastructureError(finalError);
    diagnoses.push({
      verdict: 'not-cache',
      summary: infra ? `the build could not run: ${infra.meaning}` : 'the build failed, and the log names no failed step: not a cache problem the log shows',
      step: { vertex: 0, name: '(no failed step in the log)', status: 'error' },
      error: finalError,
      holders: [],
      related: [],
      fixes: [],
      infrastructure: infra?.meaning,
    });
  }
  const { log: _l, hits: _h, excerpts: _e, ...rest } = reading;
  return {
    diagnoses,
    canceled: log.steps.filter((s) => s.status === 'canceled').length,
    passed: !finalError && !failed.length && !reading.cutOff,
    reading: { ...rest, steps: log.steps.length },
    missing: model.missing,
  };
}

/** A step that failed only because the build was being stopped. */
function isConsequence(step: LoggedStep): boolean {
  return /context canceled|^canceled$/i.test(step.error ?? '');
}

function diagnoseStep(step: LoggedStep, reading: LogReading, model: BuildModelSource, targets: Set<string>): Diagnosis {
  const parts = partsOf(step, targets);
  const result = model.forStep(parts);
  const ref = locate(step, parts, reading, result);
  const hits = reading.hits.filter((h) => h.step === step.number && h.signature.kind !== 'wait');
  const hit = hits.find((h) => h.signature.kind !== 'unwritable') ?? hits[0];
  const instruction = ref.instruction;
  const onStep = instruction && result ? findingsOn(result, instruction) : [];
  const base = { step: ref.step, error: step.error, signature: hit && sig(hit), related: onStep.map((d) => ({ diagnostic: d, file: d.file ?? result!.source })) };

  if (!hit) {
    const infra = step.error ? infrastructureError(step.error) : undefined;
    return {
      ...base,
      verdict: 'not-cache',
      summary: infra
        ? `the build could not run: ${infra.meaning}`
        : `${describe(ref.step)} failed, and its output shows none of the errors a shared cache causes: not a cache problem`,
      holders: [],
      fixes: [],
      infrastructure: infra?.meaning,
      lastOutput: step.output.slice(-5).map((text, i, all) => ({ logLine: step.outputLines?.[step.output.length - all.length + i] ?? 0, text })).filter((l) => l.text.trim() !== ''),
    };
  }
  const cacheMounts = mountsOf(step.command ?? parts.command ?? '');
  if (hit.signature.kind === 'unwritable') {
    const finding = onStep.find((d) => d.ruleId === 'cache-permission');
    return {
      ...base,
      verdict: 'cache-not-race',
      summary: `${describe(ref.step)} cannot write its cache: the cache mount is owned by root and the step runs as another user (not a race)`,
      cache: cacheName(finding, cacheMounts, hit),
      holders: [],
      finding: finding && { diagnostic: finding, file: finding.file ?? result!.source },
      fix: finding?.fix,
      fixes: finding?.fix ? [finding.fix] : [],
      advice: finding ? undefined : 'mount the cache with uid= and gid= of the USER that runs the step (or run that step as root)',
    };
  }

  // A race signature: who else was using that cache while this step ran?
  // The race on the cache that holds the path the error names, when the step races on several.
  const races = onStep.filter((d) => d.ruleId === 'cache-race');
  const path = hit.signature.pattern.exec(hit.text)?.[1] ?? /'(\/[^']+)'/.exec(hit.text)?.[1];
  const race = races.find((d) => { const c = /cache "([^"]+)"/.exec(d.message)?.[1]; return !!c && !!path && (path === c || path.startsWith(c.replace(/\/?$/, '/'))); }) ?? races[0];
  const overlapping = reading.log.steps.filter((s) => s !== step && overlaps(s, step) && s.status !== 'cached');
  const holders: Holder[] = [];
  for (const other of overlapping) {
    const otherParts = partsOf(other, targets);
    if (otherParts.index === undefined) continue; // [internal] vertices, exporters
    const otherResult = model.forStep(otherParts);
    const otherRef = locate(other, otherParts, reading, otherResult);
    const sharesByModel = race && otherRef.instruction && mentions(race, otherRef.instruction, otherResult!.source);
    const sharesByText = sharedCache(cacheMounts, mountsOf(other.command ?? otherParts.command ?? ''));
    if (sharesByModel || (!race && sharesByText)) holders.push({ ...otherRef.step, evidence: sharesByModel ? 'log and model' : 'log' });
  }
  // Steps the finding names that the log did not show running then (they may have ended just before).
  if (race && result?.instructions) {
    const all = result.instructions.stages.flatMap((st) => st.instructions);
    for (const r of race.related) {
      if (r.file && r.file !== result.source) continue;
      const ins = all.find((i) => within(r.range, i));
      if (!ins || ins === instruction) continue;
      const line = result.source.positionAt(ins.node.range.start).line;
      if (holders.some((h) => h.line === line)) continue;
      const other = reading.log.steps.find((st) => st !== step && locate(st, partsOf(st, targets), reading, model.forStep(partsOf(st, targets))).instruction === ins);
      holders.push(other ? { ...locate(other, partsOf(other, targets), reading, model.forStep(partsOf(other, targets))).step, evidence: 'model' } : { vertex: 0, name: '(not in the log)', status: 'running', file: result.source.path, line, evidence: 'model' });
    }
  }
  const cache = cacheName(race, cacheMounts, hit);
  if (race || holders.length) {
    const others = holders.map((h) => describe(h)).join(', ');
    return {
      ...base,
      verdict: 'race-in-build',
      summary: `${hit.signature.tool} failed in ${describe(ref.step)} because ${others || 'another step of this build (check\'s finding)'} used the same cache${cache ? ` "${cache}"` : ''} at the same time: a race inside this build`,
      cache,
      holders,
      finding: race && { diagnostic: race, file: race.file ?? result!.source },
      fix: race?.fix,
      fixes: [race, ...races.filter((d) => d !== race)].flatMap((d) => (d?.fix ? [d.fix] : [])),
      advice: race ? undefined : 'set sharing=locked on the cache mounts of these steps (mountlint check on the Dockerfile finds and fixes it)',
    };
  }
  return {
    ...base,
    verdict: 'race-other-build',
    summary: `${hit.signature.tool} failed in ${describe(ref.step)} on a lock in the cache${cache ? ` "${cache}"` : ''}, and no other step of this build was using it${result ? ' (check finds no race in the Dockerfile either)' : ''}: another build on the same builder held it`,
    cache,
    holders: [],
    fixes: [],
    advice: NS_ADVICE,
  };
}

function sig(hit: SignatureHit): NonNullable<Diagnosis['signature']> {
  return { id: hit.signature.id, tool: hit.signature.tool, meaning: hit.signature.meaning, text: hit.text, logLine: hit.logLine };
}

/**
 * Two vertices ran at the same time if each started before the other ended,
 * in log order; and a vertex cancelled when the build stopped was running
 * when the failure stopped it (Docker 20.10 prints a vertex's lines in
 * blocks, so its order alone can hide that).
 */
function overlaps(a: LoggedStep, b: LoggedStep): boolean {
  if (a.status === 'canceled' && b.status === 'error') return true;
  if (b.endLine === undefined && a.endLine === undefined) return true; // both still running where a cut-off log stops
  const aEnd = a.endLine ?? Infinity;
  const bEnd = b.endLine ?? Infinity;
  return (a.firstLine ?? 0) < bEnd && (b.firstLine ?? 0) < aEnd;
}

const PREFIX = /^\[([^\]]*?) ?(\d+)\/(\d+)\] (.*)$/s;
/** `linux/arm64`, `linux/arm/v7`, and a cross step's `linux/amd64->arm64` (built on amd64 for arm64). */
const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?(?:->[a-z0-9_]+(?:\/[a-z0-9]+)?)?$/;

/** `[target linux/arm64 stage 3/4] RUN …` → its parts (a bake target is one of the log's `[NAME internal]` definitions). */
export function partsOf(step: LoggedStep, targets: Set<string>): StepParts {
  const m = PREFIX.exec(step.name);
  if (!m) return {};
  const words = m[1].split(' ').filter(Boolean);
  const platform = words.find((w) => PLATFORM.test(w));
  const target = words.find((w) => w !== platform && targets.has(w));
  const rest = words.filter((w) => w !== platform && w !== target);
  return { target, platform, stage: rest[rest.length - 1], index: Number(m[2]), total: Number(m[3]), command: m[4] };
}

function describe(step: StepRef): string {
  const where = [step.target && `target "${step.target}"`, step.stage && `stage "${step.stage}"`, step.platform].filter(Boolean).join(', ');
  const line = step.line !== undefined ? `${step.file ?? 'Dockerfile'}:${step.line}` : `step #${step.vertex}`;
  return where ? `${line} (${where})` : line;
}

/** The step's instruction: BuildKit's excerpt for it first, then its text in its stage, then its position. */
function locate(step: LoggedStep, parts: StepParts, reading: LogReading, result: LintResult | undefined): { step: StepRef; instruction?: Instruction } {
  const ref: StepRef = { vertex: step.number, name: step.name, firstLine: step.firstLine, endLine: step.endLine, status: step.status, ...parts };
  const excerpt = reading.excerpts.find((e) => e.vertex === step.name) ?? (step.status === 'error' && reading.excerpts.length === 1 && !reading.excerpts[0].vertex ? reading.excerpts[0] : undefined);
  if (!result?.instructions) {
    if (excerpt) Object.assign(ref, { file: excerpt.file, line: excerpt.line, located: 'excerpt' });
    return { step: ref };
  }
  const source = result.source;
  ref.file = source.path;
  const stages = result.instructions.stages;
  const all = stages.flatMap((s) => s.instructions);
  const lineOf = (i: Instruction) => source.positionAt(i.node.range.start).line;
  if (excerpt) {
    const hit = all.find((i) => lineOf(i) <= excerpt.line && excerpt.line <= source.positionAt(i.node.range.end).line);
    if (hit) return { step: { ...ref, line: lineOf(hit), located: 'excerpt' }, instruction: hit };
  }
  const normalize = (s: string) => s.replace(/\\\s*\n/g, ' ').replace(/\s+/g, ' ').trim();
  const command = normalize(parts.command ?? '');
  if (!command) return { step: ref };
  const stage = stages.find((s) => (s.name ?? `stage-${s.index}`) === parts.stage) ?? (parts.stage === undefined && stages.length ? stages[stages.length - 1] : undefined);
  const candidates = stage ? stage.instructions : all;
  const byText = candidates.filter((i) => normalize(i.node.line.text) === command);
  if (byText.length >= 1) return { step: { ...ref, line: lineOf(byText[0]), located: 'text' }, instruction: byText[0] };
  if (!stage || parts.index === undefined) return { step: ref };
  // BuildKit numbers FROM (an image) and each RUN, COPY, ADD and WORKDIR.
  const ops = stage.instructions.filter((i) => i.kind === 'run' || i.kind === 'copy' || i.kind === 'add' || i.kind === 'workdir');
  const offset = parts.total !== undefined && parts.total > ops.length ? 2 : 1;
  const at = ops[parts.index - offset];
  return at ? { step: { ...ref, line: lineOf(at), located: 'position' }, instruction: at } : { step: ref };
}

function within(range: { start: number; end: number }, ins: Instruction): boolean {
  return range.start >= ins.node.range.start && range.end <= ins.node.range.end;
}

/** check's findings on an instruction (its range or one of its related locations in this file). */
function findingsOn(result: LintResult, ins: Instruction): Diagnostic[] {
  return result.diagnostics.filter((d) => !d.file && (within(d.range, ins) || d.related.some((r) => !r.file && within(r.range, ins))));
}

function mentions(d: Diagnostic, ins: Instruction, source: SourceFile): boolean {
  return (!d.file || d.file === source ? within(d.range, ins) : false) || d.related.some((r) => (!r.file || r.file === source) && within(r.range, ins));
}

interface CacheMountText {
  id?: string;
  target?: string;
}

/** The cache mounts written in a step's instruction text (what the log shows of it). */
function mountsOf(command: string): CacheMountText[] {
  const out: CacheMountText[] = [];
  for (const m of command.matchAll(/--mount=(\S+)/g)) {
    const opts = Object.fromEntries(m[1].split(',').map((kv) => [kv.split('=')[0], kv.slice(kv.indexOf('=') + 1)]));
    if (opts.type !== 'cache') continue;
    out.push({ id: opts.id, target: opts.target ?? opts.dst ?? opts.destination });
  }
  return out;
}

function sharedCache(a: CacheMountText[], b: CacheMountText[]): boolean {
  const key = (m: CacheMountText) => m.id ?? m.target;
  return a.some((x) => b.some((y) => key(x) !== undefined && key(x) === key(y)));
}

/** check's name for the cache; else the mount whose target holds the path the error names; else every cache mount of the step. */
function cacheName(finding: Diagnostic | undefined, mounts: CacheMountText[], hit: SignatureHit): string | undefined {
  const named = finding && /cache "([^"]+)"/.exec(finding.message)?.[1];
  if (named) return named;
  const path = hit.signature.pattern.exec(hit.text)?.[1] ?? /'(\/[^']+)'/.exec(hit.text)?.[1];
  const holding = path ? mounts.filter((m) => m.target && (path === m.target || path.startsWith(m.target.replace(/\/?$/, '/')))) : [];
  if (holding.length === 1) return holding[0].id ?? holding[0].target;
  const keys = [...new Set(mounts.map((m) => m.id ?? m.target).filter((k): k is string => !!k))];
  return keys.length ? keys.join(', ') : undefined;
}
