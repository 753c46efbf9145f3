/** The known tools each RUN step runs, with their cache directories resolved for that step. */
import { recognizeTool, type ToolUse } from '../knowledge/index.js';
import type { ResolvedMount, Step } from '../model/index.js';
import { relativeInside } from '../model/index.js';
import { stepContext } from './step-context.js';
import type { RuleContext } from './types.js';

export function toolUses(context: RuleContext, step: Step): ToolUse[] {
  if (step.instruction.kind !== 'run') return [];
  const ctx = stepContext(step);
  return context.invocations(step).flatMap((inv) => recognizeTool(inv, ctx) ?? []);
}

/** The cache mount that holds `path` in this step (the deepest mount containing it must be a cache). */
export function cacheMountAt(step: Step, path: string): ResolvedMount | undefined {
  let best: ResolvedMount | undefined;
  for (const m of step.mounts) {
    if (relativeInside(m.target, path) === undefined) continue;
    if (!best || m.target.length >= best.target.length) best = m;
  }
  return best?.cache ? best : undefined;
}

/** The cache mount over the tool's cache (where it is, whether or not this run uses it). */
export function mountedCacheOf(step: Step, use: ToolUse): ResolvedMount | undefined {
  return use.homeDirs.map((d) => cacheMountAt(step, d)).find((m) => m !== undefined);
}

/** Every instruction of the stage and of the stages it is built FROM, up to `step` (exclusive). */
export function textBefore(step: Step): string[] {
  const texts: string[] = [];
  const chain = [];
  for (let n: typeof step.stage.node | undefined = step.stage.node; n; n = n.baseStage) chain.unshift(n);
  for (const node of chain) {
    for (const ins of node.def.instructions) {
      if (ins === step.instruction) return texts;
      texts.push(ins.node.line.text + ins.node.heredocs.map((h) => '\n' + h.content).join(''));
    }
  }
  return texts;
}

/** RUN steps of built stages, one per instruction (the first platform's). */
export function builtRunSteps(context: RuleContext): Step[] {
  const model = context.model;
  if (!model) return [];
  const seen = new Set<unknown>();
  return model.steps.filter((s) => {
    if (s.instruction.kind !== 'run' || !model.graph.executing.has(s.vertex) || seen.has(s.instruction)) return false;
    seen.add(s.instruction);
    return true;
  });
}
