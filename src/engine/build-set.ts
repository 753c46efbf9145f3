/**
 * Linting the builds of one request together (the targets of a `docker
 * buildx bake`, the services of a `docker compose build`): every Dockerfile
 * is parsed once, every build is dispatched into one graph (identical steps
 * merge across files, caches are keyed across files), and the rules run for
 * each build with that graph, so a race between two Dockerfiles is found in
 * both. Each file's result lists the findings in that file, once.
 * `fixBuildSet` fixes every file of the set together.
 */
import { applyEdits, type TextEdit } from '../edits/index.js';
import { BuildOptionError, buildModel, buildSetModel, ModelError, type BuildMember, type BuildOptions, type BuildSet, type StartPlace } from '../model/index.js';
import type { Diagnostic } from '../rules/index.js';
import { imageConfig } from '../knowledge/index.js';
import { applies, oneChangePerCache } from './fix.js';
import { addNewFindings, orderFindings } from './findings.js';
import { InvocationCache, parseFront, prepare, runRules, type FrontEnd, type LintOptions, type LintResult } from './lint.js';

export interface SetMember {
  /** The Dockerfile (several members may build one file). */
  path: string;
  text: string;
  /** Target stage, build args, platforms of this build. */
  options: BuildOptions;
  /** `bake target "api"`, `compose service "worker"`. */
  label: string;
  /** `api`, `worker`: the short name a fix puts into cache ids. */
  name: string;
  /** Named contexts: another member's index (bake `target:NAME`) or a key for a folder or image. */
  contexts?: Record<string, number | string>;
  /** An identity of the member's build context. */
  contextKey?: string;
  /** Where the repository starts this build together with the others (make -j, a script): related locations of cross-build findings. */
  startedBy?: readonly StartPlace[];
}

export interface SetLintResult {
  /** One result per file, in the order the members name them. */
  results: LintResult[];
  /** The set as modelled (absent when no member could be modelled). */
  set?: BuildSet;
  /** Members that could not be modelled because of their options (an unknown target stage). */
  memberErrors: Array<{ member: number; message: string }>;
}

/** The set's findings; the shell parser must be loaded (`prepare()`), as for lintText. */
export function lintBuildSet(members: SetMember[], options: LintOptions, why: string): SetLintResult {
  return runSetRules(modelSet(members, options, why), options, new InvocationCache());
}

/** lintBuildSet that loads the shell parser only if a script needs it (every RUN is read by the fast path first). */
export async function lintBuildSetLoadingParser(members: SetMember[], options: LintOptions, why: string, prepareParser: () => Promise<void> = prepare): Promise<SetLintResult> {
  const modelled = modelSet(members, options, why);
  const invocations = new InvocationCache();
  if (invocations.readFast(modelled.set?.members.flatMap((m) => m.steps) ?? [])) await prepareParser();
  return runSetRules(modelled, options, invocations);
}

/** A set parsed and modelled, before any rule runs. */
interface ModelledSet {
  members: SetMember[];
  fronts: Map<string, FrontEnd | LintResult>;
  /** The members in the set model, by index into `members`. */
  modelled: number[];
  set?: BuildSet;
  memberErrors: SetLintResult['memberErrors'];
  fileProblems: Map<string, FrontEnd['problems']>;
}

function modelSet(members: SetMember[], options: LintOptions, why: string): ModelledSet {
  const fronts = new Map<string, FrontEnd | LintResult>();
  for (const m of members) if (!fronts.has(m.path)) fronts.set(m.path, parseFront(m.text, m.path, options));

  // Members whose file parsed and whose options work on it; the others only get their file's own problems.
  const memberErrors: SetLintResult['memberErrors'] = [];
  const modelled: number[] = [];
  const fileProblems = new Map<string, FrontEnd['problems']>();
  members.forEach((m, i) => {
    const front = fronts.get(m.path)!;
    if ('diagnostics' in front || front.instructions.errors.length || front.instructions.stages.length === 0) return;
    try {
      buildModel(front.instructions, { imageConfig, ...options, ...m.options });
      modelled.push(i);
    } catch (err) {
      if (err instanceof BuildOptionError) memberErrors.push({ member: i, message: err.message });
      else if (err instanceof ModelError) fileProblems.set(m.path, [{ message: err.message, range: err.range, rule: err.rule, severity: err.severity }]);
      else throw err;
    }
  });

  let set: BuildSet | undefined;
  if (modelled.length) {
    const setMembers: BuildMember[] = modelled.map((i) => {
      const m = members[i];
      const front = fronts.get(m.path) as FrontEnd;
      const contexts = m.contexts && Object.fromEntries(Object.entries(m.contexts).map(([k, v]) => [k, typeof v === 'number' ? modelled.indexOf(v) : v]).filter(([, v]) => v !== -1));
      return { df: front.instructions, options: { imageConfig, ...options, ...m.options }, label: m.label, name: m.name, contexts, contextKey: m.contextKey, startedBy: m.startedBy };
    });
    set = buildSetModel(setMembers, why);
  }
  return { members, fronts, modelled, set, memberErrors, fileProblems };
}

/** Every rule over each modelled member, then each file's findings, once each, in order. */
function runSetRules({ members, fronts, modelled, set, memberErrors, fileProblems }: ModelledSet, options: LintOptions, invocations: InvocationCache): SetLintResult {
  const perFile = new Map<string, Diagnostic[]>();
  const add = (path: string, result: LintResult) => perFile.set(path, addNewFindings(perFile.get(path) ?? [], result.diagnostics));
  set?.members.forEach((model, k) => {
    const m = members[modelled[k]];
    const front = fronts.get(m.path) as FrontEnd;
    const problems = [...front.problems];
    for (const e of model.errors) problems.push({ message: e.message, range: e.range, rule: e.rule, severity: e.severity });
    add(m.path, runRules({ ...front, problems, model }, { ...options, ...m.options }, invocations));
  });
  // Files no member could model still get their own problems reported.
  for (const [path, front] of fronts) {
    if (perFile.has(path)) continue;
    if ('diagnostics' in front) add(path, front);
    else add(path, runRules({ ...front, problems: [...front.problems, ...(fileProblems.get(path) ?? [])] }, options, invocations));
  }

  const results: LintResult[] = [];
  for (const [path, front] of fronts) {
    const diagnostics = perFile.get(path) ?? [];
    orderFindings(diagnostics);
    const source = 'diagnostics' in front ? front.source : front.parsed.source;
    const modelOf = set?.members.find((mm) => mm.df.file.source.path === path);
    results.push({ source, diagnostics, parsed: 'parsed' in front ? front.parsed : undefined, instructions: 'instructions' in front ? front.instructions : undefined, model: modelOf });
  }
  return { results, set, memberErrors };
}


export interface SetFixResult {
  /** The fixed text of every file of the set (unchanged ones too). */
  outputs: Map<string, string>;
  /** Files whose text changed. */
  changed: string[];
  passes: number;
  /** The findings that remain. */
  result: SetLintResult;
}

const MAX_PASSES = 10;

/**
 * `--fix` for a set: every applicable fix of every file, applied to the file
 * each edit names, then the whole set linted again, until nothing changes.
 * Nothing is written here: the caller writes all files or none.
 */
export function fixBuildSet(members: SetMember[], options: LintOptions, why: string, first?: SetLintResult): SetFixResult {
  const outputs = new Map<string, string>();
  for (const m of members) if (!outputs.has(m.path)) outputs.set(m.path, m.text);
  const original = new Map(outputs);
  let result = first ?? lintBuildSet(members, options, why);
  let passes = 0;
  while (passes < MAX_PASSES) {
    const edits = new Map<string, TextEdit[]>();
    const chosen = new Set(oneChangePerCache(result.results.flatMap((r) => r.diagnostics.flatMap((d) => (d.fix && applies(d.fix, options) ? [d.fix] : [])))));
    for (const r of result.results) {
      for (const d of r.diagnostics) {
        if (!d.fix || !chosen.has(d.fix)) continue;
        for (const e of d.fix.edits) {
          const path = e.file?.path ?? d.file?.path ?? r.source.path;
          if (!outputs.has(path)) continue; // a file outside the set (e.g. an inline Dockerfile)
          edits.set(path, [...(edits.get(path) ?? []), { range: e.range, text: e.text }]);
        }
      }
    }
    let changed = false;
    for (const [path, list] of edits) {
      const next = applyEdits(outputs.get(path)!, list).output;
      if (next !== outputs.get(path)) {
        outputs.set(path, next);
        changed = true;
      }
    }
    if (!changed) break;
    passes++;
    result = lintBuildSet(
      members.map((m) => ({ ...m, text: outputs.get(m.path)! })),
      options,
      why,
    );
  }
  const changed = [...outputs].filter(([path, text]) => original.get(path) !== text).map(([path]) => path);
  return { outputs, changed, passes, result };
}
