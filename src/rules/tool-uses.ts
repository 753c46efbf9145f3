/** The known tools each RUN step runs, with their cache directories resolved for that step. */
import type { Invocation } from '../commands/index.js';
import { configSetting, debianPackageVersion, hasDockerClean, versionBelow, PATH_HINTS, recognizeTool, shortImageName, type Discard, type ToolUse } from '../knowledge/index.js';
import type { BuildModel, ResolvedMount, Step } from '../model/index.js';
import { joinPath, relativeInside } from '../model/index.js';
import { baseImageOf, stepContext, type StepQueries } from './step-context.js';
import type { Range } from '../syntax/index.js';
import type { MessageRef, StepNote } from './messages.js';
import type { Fix, RelatedLocation, RuleContext, Severity } from './types.js';

/** Several rules ask for the same step's tools: recognise them once per step. */
const usesOfStep = new WeakMap<Step, ToolUse[]>();

export function toolUses(context: StepQueries, step: Step): ToolUse[] {
  if (step.instruction.kind !== 'run') return [];
  let uses = usesOfStep.get(step);
  if (!uses) {
    const base = stepContext(context, step);
    const ctx = { ...base, settings: { ...base.settings } };
    uses = [];
    // In order: `TOOL config` settings apply to the runs after them.
    for (const { invocation: inv, cwd, cwdBy } of invocationsWithCwd(context, step)) {
      const use = recognizeTool(inv, ctx, cwd, cwdBy);
      if (use) uses.push(use);
      const setting = configSetting(inv);
      if (setting) ctx.settings[setting[0]] = setting[1];
    }
    usesOfStep.set(step, uses);
  }
  return uses;
}

/**
 * The step's commands with the directory each runs in: the WORKDIR, moved by
 * each `cd DIR` for the commands after it (a `cd` inside a subshell is taken
 * as if it were not: the script's nesting is not tracked).
 */
export function invocationsWithCwd(context: StepQueries, step: Step): Array<{ invocation: Invocation; cwd: string; cwdBy: string }> {
  let cwd = step.workdir;
  let cwdBy = 'the WORKDIR';
  return context.invocations(step).map((invocation) => {
    const [here, hereBy] = [cwd, cwdBy];
    const [dir] = invocation.args;
    if ((invocation.program === 'cd' || invocation.program === 'pushd') && invocation.args.length === 1 && invocation.literal[0] && !/^[~-]/.test(dir)) {
      cwd = dir.startsWith('/') ? joinPath(dir) : joinPath(cwd, dir);
      cwdBy = `\`${invocation.program} ${dir}\``;
    }
    return { invocation, cwd: here, cwdBy: hereBy };
  });
}

/** The mount that decides what the step sees at `path`: the deepest one containing it. */
export function mountAt(step: Step, path: string): ResolvedMount | undefined {
  let best: ResolvedMount | undefined;
  for (const m of step.mounts) {
    if (relativeInside(m.target, path) === undefined) continue;
    if (!best || m.target.length >= best.target.length) best = m;
  }
  return best;
}

/** The cache mount that holds `path` in this step (the deepest mount containing it must be a cache). */
export function cacheMountAt(step: Step, path: string): ResolvedMount | undefined {
  const m = mountAt(step, path);
  return m?.cache ? m : undefined;
}

/** The cache mount over the tool's cache (where it is, whether or not this run uses it). */
export function mountedCacheOf(step: Step, use: ToolUse): ResolvedMount | undefined {
  return use.homeDirs.map((d) => cacheMountAt(step, d)).find((m) => m !== undefined);
}

/** The instructions of a stage's FROM chain (base stages first), with their text, built once per stage. */
const chains = new WeakMap<object, { position: Map<unknown, number>; instructions: Step['instruction'][]; texts: string[]; firstMatch: Map<string, number> }>();

function chainOf(step: Step) {
  const stage = step.stage;
  let chain = chains.get(stage);
  if (!chain) {
    const instructions = chainInstructions(stage);
    const texts = instructions.map((i) => i.node.line.text + i.node.heredocs.map((h) => '\n' + h.content).join(''));
    chain = { position: new Map(instructions.map((ins, i) => [ins, i])), instructions, texts, firstMatch: new Map() };
    chains.set(stage, chain);
  }
  return chain;
}

/** The instructions that made a stage's image, base stages first: those of another build of the request its FROM links to, then its own file's. */
function chainInstructions(stage: Step['stage'], depth = 0): Step['instruction'][] {
  const nodes = [];
  for (let n: typeof stage.node | undefined = stage.node; n; n = n.baseStage) nodes.unshift(n);
  const own = nodes.flatMap((n) => n.def.instructions);
  return stage.imageFrom && depth < 100 ? [...chainInstructions(stage.imageFrom, depth + 1), ...own] : own;
}

/** Does an instruction before `step` in its FROM chain, or the step itself, match `pattern`? (e.g. a docker-clean remedy) */
export function mentionedUpTo(step: Step, pattern: RegExp): boolean {
  const chain = chainOf(step);
  let first = chain.firstMatch.get(pattern.source);
  if (first === undefined) {
    first = chain.texts.findIndex((t) => pattern.test(t));
    chain.firstMatch.set(pattern.source, first);
  }
  return first >= 0 && first <= (chain.position.get(step.instruction) ?? -1);
}

/**
 * The last match of `pattern` in the instructions of the step's FROM chain up
 * to the step itself, with the instruction it is in (the install line that
 * decides a tool's version).
 */
export function lastMatchUpTo(step: Step, pattern: RegExp): { match: RegExpExecArray; instruction: Step['instruction'] } | undefined {
  const nodes = [];
  for (let n: typeof step.stage.node | undefined = step.stage.node; n && nodes.length < 100; n = n.baseStage) nodes.unshift(n);
  const instructions = nodes.flatMap((n) => n.def.instructions);
  const end = instructions.indexOf(step.instruction);
  for (let i = end; i >= 0; i--) {
    const ins = instructions[i];
    if (ins.kind !== 'run') continue;
    const text = ins.node.line.text + ins.node.heredocs.map((h) => '\n' + h.content).join('');
    const all = [...text.matchAll(new RegExp(pattern.source, pattern.flags.replace('g', '') + 'g'))];
    if (all.length) return { match: all[all.length - 1], instruction: ins };
  }
  return undefined;
}

/**
 * RUN steps of built stages, one per instruction (the first platform's), and
 * one per operation: a step BuildKit merges with an identical one in another
 * stage runs once, so it is looked at once (see reportOnStep).
 */
export function builtRunSteps(context: RuleContext): Step[] {
  const model = context.model;
  if (!model) return [];
  const seen = new Set<unknown>();
  return model.steps.filter((s) => {
    if (s.instruction.kind !== 'run' || !model.graph.executing.has(s.vertex) || seen.has(s.instruction) || seen.has(s.vertex)) return false;
    seen.add(s.instruction).add(s.vertex);
    return true;
  });
}

/**
 * Reports a finding on one step. When BuildKit merges the step with identical
 * ones elsewhere, the message says so, the others are related locations, and
 * the fix (built by `fixFor` for each of them) edits them all: fixing only one
 * would split the merged step and leave the same finding on the others.
 */
export function reportOnStep(
  context: RuleContext,
  step: Step,
  diagnostic: MessageRef & { range: Range; related?: RelatedLocation[]; severity?: Severity },
  fixFor?: (s: Step) => Fix | undefined,
): void {
  const twins = context.model ? mergedWith(step, context.model) : [];
  const line = (s: Step) => context.parsed.source.positionAt(s.instruction.node.range.start).line;
  let fix = fixFor?.(step);
  if (fix && twins.length) {
    const others = twins.map((t) => fixFor!(t));
    fix = others.every((f) => f !== undefined) ? { ...fix, edits: [...fix.edits, ...others.flatMap((f) => f!.edits)] } : undefined;
  }
  const notes: StepNote[] = [];
  if (twins.length) notes.push({ noteId: 'mergedStep', data: { lines: twins.map(line).join(', ') } });
  const empty = assumedEmpty(step);
  if (empty.length === 1) notes.push({ noteId: 'assumedEmptyArg', data: { name: empty[0] } });
  if (empty.length > 1) notes.push({ noteId: 'assumedEmptyArgs', data: { names: empty.join(', '), args: empty.map((n) => `ARG ${n}`).join(', ') } });
  context.report({
    ...diagnostic,
    notes,
    related: [...(diagnostic.related ?? []), ...twins.map((t) => ({ range: t.instruction.node.range, message: `the identical step BuildKit merges with line ${line(step)}` }))],
    fix,
  });
}

/**
 * ARGs declared without a value and given none that a path of the step is
 * built from (its mounts, its WORKDIR, ENV before it, path words of the RUN):
 * BuildKit expands them to empty, but a file whose paths only make sense with
 * a value was written to be built with one, so a message judging such a path
 * says that it assumed them empty.
 */
function assumedEmpty(step: Step): string[] {
  const chain = chainOf(step);
  const upTo = chain.position.get(step.instruction) ?? -1;
  const declared = new Set<string>();
  const texts: string[] = [];
  chain.instructions.forEach((ins, i) => {
    if (i > upTo) return;
    if (ins.kind === 'arg') for (const p of ins.pairs) if (p.value === undefined) declared.add(p.key);
    if (ins.kind === 'workdir' || ins.kind === 'env') texts.push(chain.texts[i]);
    // One word at a time: a spread of a million-line script's words would overflow the stack.
    if (ins === step.instruction) for (const w of chain.texts[i].split(/\s+/)) if (w.includes('/')) texts.push(w);
  });
  if (!declared.size) return [];
  const used = new Set<string>();
  for (const t of texts) for (const [, name] of t.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)) if (declared.has(name) && step.env.get(name) === undefined) used.add(name);
  return [...used];
}

/**
 * Other instructions BuildKit merges with this step (same operation, so it
 * runs once): one step each, in file order.
 */
export function mergedWith(step: Step, model: BuildModel): Step[] {
  const seen = new Set<unknown>([step.instruction]);
  const out: Step[] = [];
  for (const s of model.graph.stepsByVertex.get(step.vertex) ?? []) {
    if (seen.has(s.instruction)) continue;
    seen.add(s.instruction);
    out.push(s);
  }
  return out.sort((a, b) => a.instruction.node.range.start - b.instruction.node.range.start);
}

/** The tool a cache path looks meant for (`/root/.cache/pip` → pip), by the path hints of the knowledge layer. */
export function toolOfPath(path: string): string | undefined {
  return Object.keys(PATH_HINTS).find((id) => PATH_HINTS[id].test(path));
}

/**
 * The tool's ways of throwing its downloads away that apply to this run and
 * have no remedy in sight (in the step, or earlier in its FROM chain).
 * `cached(path)`: is this path in the cache being judged?
 */
export function applicableDiscards(use: ToolUse, step: Step, cached: (path: string) => boolean): Discard[] {
  if (!use.usesCache) return [];
  const image = shortImageName(baseImageOf(step.stage));
  return (use.tool.discards ?? []).filter(
    (d) =>
      (!d.programs || d.programs.includes(use.invocation.program)) &&
      (!d.commands || d.commands.includes(use.subcommand ?? '')) &&
      (!d.imageHas || (d.imageHas === 'docker-clean' && hasDockerClean(image))) &&
      (!d.images || new RegExp(d.images).test(image)) &&
      !(d.since && versionBelow(debianPackageVersion(image, d.since.package) ?? d.since.version, d.since.version)) &&
      (!d.path || cached(d.path)) &&
      !(d.remedyFlags ?? []).some((f) => use.args.some((a) => a === f || a.startsWith(f + '='))) &&
      !(d.remedyOption && use.args.includes(d.remedyOption)) &&
      !mentionedUpTo(step, new RegExp(d.remedy, 'i')),
  );
}
