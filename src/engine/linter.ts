/**
 * The one way to lint. A unit of work is the builds of one request (the
 * targets of a `docker buildx bake`, the services of a `docker compose
 * build`, one Dockerfile built by several CI jobs) or one Dockerfile on its
 * own: a set of one. Every unit goes the same way:
 *
 *   each file parsed once (lint.ts: parseFront)
 *   → each build modelled once (one graph for a set: identical steps merge
 *     across files, caches are keyed across files)
 *   → every RUN read by the fast path; the shell parser loaded only if a
 *     script needs it
 *   → every rule once per build (lint.ts: runRules), suppressions, severities
 *   → each file's findings, once each, in one order (findings.ts).
 *
 * The commands (check, explain, verify, diagnose, the language server, the
 * HTML report) all lint through `Linter`; `lintText` and `lintBuildSet` are
 * its shorthand for a caller whose parser is already loaded.
 */
import { imageConfig } from '../knowledge/index.js';
import { BuildOptionError, buildModel, buildSetModel, ModelError, SetMemberError, type BuildMember, type BuildModel, type BuildSet } from '../model/index.js';
import type { Diagnostic } from '../rules/index.js';
import { addNewFindings, orderFindings } from './findings.js';
import { InvocationCache, parseFront, prepare, runRules, type FrontEnd, type LintOptions, type LintResult } from './lint.js';

/** One build of a unit: a Dockerfile's path and text, with what the model's BuildMember says of the build (options, label, name, contexts). */
export interface SetMember extends Omit<BuildMember, 'df'> {
  /** The Dockerfile (several members may build one file). */
  path: string;
  text: string;
}

/**
 * What to lint: the builds of one request, with why they run together, or
 * (no `why`) one Dockerfile on its own, built as the run's options say.
 */
export interface LintUnit {
  members: SetMember[];
  why?: string;
}

export interface SetLintResult {
  /** One result per file, in the order the members name them. */
  results: LintResult[];
  /** The set as modelled (absent when no member could be modelled, and for one file on its own). */
  set?: BuildSet;
  /** Members that could not be modelled because of their options (an unknown target stage). */
  memberErrors: Array<{ member: number; message: string }>;
}

/** One Dockerfile on its own: a unit of one member. */
export function fileUnit(text: string, path: string): LintUnit {
  return { members: [{ path, text, options: {}, label: '', name: '' }] };
}

export class Linter {
  /**
   * `loadParser`: loads the shell parser when a script needs it (the CLI
   * loads it from its own place; tests and the library use `prepare`).
   */
  constructor(
    readonly options: LintOptions = {},
    private readonly loadParser: () => Promise<void> = prepare,
  ) {}

  /** The unit's findings; the shell parser is loaded first if, and only if, a script needs it. */
  async lint(unit: LintUnit): Promise<SetLintResult> {
    const modelled = modelUnit(unit, this.options);
    const invocations = new InvocationCache();
    if (invocations.readFast(modelled.models.flatMap((m) => m.model.steps))) await this.loadParser();
    return runUnitRules(modelled, this.options, invocations);
  }

  /** `lint` for a caller that has loaded the shell parser already (`prepare()`): the language server, --fix's passes. */
  lintLoaded(unit: LintUnit): SetLintResult {
    return runUnitRules(modelUnit(unit, this.options), this.options, new InvocationCache());
  }

  async lintFile(text: string, path: string): Promise<LintResult> {
    return (await this.lint(fileUnit(text, path))).results[0];
  }

  lintFileLoaded(text: string, path: string): LintResult {
    return this.lintLoaded(fileUnit(text, path)).results[0];
  }
}

/** One Dockerfile's findings; `prepare()` must have been awaited once before. */
export function lintText(text: string, path: string, options: LintOptions = {}): LintResult {
  return new Linter(options).lintFileLoaded(text, path);
}

/** A set's findings; `prepare()` must have been awaited once before. */
export function lintBuildSet(members: SetMember[], options: LintOptions, why: string): SetLintResult {
  return new Linter(options).lintLoaded({ members, why });
}

/** A unit parsed and modelled, before any rule runs. */
interface ModelledUnit {
  members: SetMember[];
  fronts: Map<string, FrontEnd | LintResult>;
  /** Each build's model, with the member it builds (index into `members`). */
  models: Array<{ member: number; model: BuildModel }>;
  set?: BuildSet;
  memberErrors: SetLintResult['memberErrors'];
  /** Problems of files that could not be modelled (a model error stops the model, not the file's other rules). */
  fileProblems: Map<string, FrontEnd['problems']>;
}

function modelUnit({ members, why }: LintUnit, options: LintOptions): ModelledUnit {
  const fronts = new Map<string, FrontEnd | LintResult>();
  for (const m of members) if (!fronts.has(m.path)) fronts.set(m.path, parseFront(m.text, m.path, options));
  const unit: ModelledUnit = { members, fronts, models: [], memberErrors: [], fileProblems: new Map() };
  // The members whose file parsed into stages: the others only get their file's own problems.
  let candidates = members.flatMap((m, i) => {
    const front = fronts.get(m.path)!;
    return 'diagnostics' in front || front.instructions.errors.length || front.instructions.stages.length === 0 ? [] : [i];
  });
  /** A member that cannot be modelled: bad build options are the request's error, a model error its file's problem. */
  const failed = (member: number, err: unknown) => {
    if (err instanceof BuildOptionError && why !== undefined) unit.memberErrors.push({ member, message: err.message });
    else if (err instanceof ModelError) unit.fileProblems.set(members[member].path, [{ message: err.message, range: err.range, rule: err.rule, severity: err.severity }]);
    else throw err;
  };
  if (why === undefined) {
    // One file on its own (bad build options, such as an unknown --target, are the caller's error).
    for (const i of candidates) {
      try {
        unit.models.push({ member: i, model: buildModel((fronts.get(members[i].path) as FrontEnd).instructions, { imageConfig, ...options, ...members[i].options }) });
      } catch (err) {
        failed(i, err);
      }
    }
    return unit;
  }
  // The builds of a request: one graph over all of them. A member that cannot be modelled is left out and
  // the rest modelled again (rare: it costs a second pass only then), so each member is modelled once.
  while (candidates.length) {
    try {
      unit.set = buildSetModel(setMembers(members, candidates, fronts, options), why);
      unit.models = unit.set.members.map((model, k) => ({ member: candidates[k], model }));
      return unit;
    } catch (err) {
      if (!(err instanceof SetMemberError)) throw err;
      failed(candidates[err.member], err.cause);
      candidates = candidates.filter((_, k) => k !== err.member);
    }
  }
  return unit;
}

/** The set model's members: `candidates` (indexes into `members`), their named contexts pointing at each other's place among them. */
function setMembers(members: SetMember[], candidates: number[], fronts: ModelledUnit['fronts'], options: LintOptions): BuildMember[] {
  return candidates.map((i) => {
    const m = members[i];
    const front = fronts.get(m.path) as FrontEnd;
    const contexts = m.contexts && Object.fromEntries(Object.entries(m.contexts).map(([k, v]) => [k, typeof v === 'number' ? candidates.indexOf(v) : v]).filter(([, v]) => v !== -1));
    return { df: front.instructions, options: { imageConfig, ...options, ...m.options }, label: m.label, name: m.name, contexts, contextKey: m.contextKey, startedBy: m.startedBy };
  });
}

/** Every rule over each build, then each file's findings, once each, in order. */
function runUnitRules({ members, fronts, models, set, memberErrors, fileProblems }: ModelledUnit, options: LintOptions, invocations: InvocationCache): SetLintResult {
  const perFile = new Map<string, { diagnostics: Diagnostic[]; suppressed: Diagnostic[] }>();
  const add = (path: string, result: LintResult) => {
    const seen = perFile.get(path) ?? { diagnostics: [], suppressed: [] };
    perFile.set(path, { diagnostics: addNewFindings(seen.diagnostics, result.diagnostics), suppressed: addNewFindings(seen.suppressed, result.suppressed ?? []) });
  };
  for (const { member, model } of models) {
    const m = members[member];
    const front = fronts.get(m.path) as FrontEnd;
    const problems = [...front.problems];
    for (const e of model.errors) problems.push({ message: e.message, range: e.range, rule: e.rule, severity: e.severity });
    add(m.path, runRules({ ...front, problems, model }, { ...options, ...m.options }, invocations));
  }
  // Files no build could model still get their own problems reported.
  for (const [path, front] of fronts) {
    if (perFile.has(path)) continue;
    if ('diagnostics' in front) add(path, front);
    else add(path, runRules({ ...front, problems: [...front.problems, ...(fileProblems.get(path) ?? [])] }, options, invocations));
  }

  const results: LintResult[] = [];
  for (const [path, front] of fronts) {
    const { diagnostics, suppressed } = perFile.get(path)!;
    orderFindings(diagnostics);
    const model = models.find((x) => members[x.member].path === path)?.model;
    if ('diagnostics' in front) results.push({ ...front, diagnostics, ...(front.suppressed ? { suppressed } : {}) });
    else results.push({ source: front.parsed.source, diagnostics, suppressed, parsed: front.parsed, instructions: front.instructions, model, invocations: (step) => invocations.of(step) });
  }
  return { results, set, memberErrors };
}
