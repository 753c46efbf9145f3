/**
 * `mountlint explain`: what BuildKit will do with the file for this build —
 * stages and whether they are built, which RUN steps may run together, and
 * every cache mount with its key and sharing.
 */
import type { LintResult } from '../engine/index.js';
import { cacheLabel, useLabel, type Step } from '../model/index.js';
import { executedRuns } from './queries.js';

export interface Explanation {
  target: string;
  platforms: string[];
  namespace: string;
  stages: Array<{ index: number; name: string; base: string; built: boolean; reason: string; line: number }>;
  concurrent: Array<{ step: StepRef; mayRunWith: StepRef[] }>;
  cacheMounts: Array<StepRef & { target: string; id: string; key: string; label: string; sharing: string; built: boolean }>;
  /** Identical steps BuildKit merges into one operation (it runs once). */
  merged: Array<{ step: StepRef; with: StepRef[] }>;
}

interface StepRef {
  line: number;
  stage: string;
  platform: string;
}

export function explain(result: LintResult): Explanation | undefined {
  const model = result.model;
  if (!model) return undefined;
  const line = (offset: number) => result.source.positionAt(offset).line;
  const first = model.builds[0];
  const ref = (s: Step): StepRef => ({ line: line(s.instruction.node.range.start), stage: s.stage.node.name, platform: s.platform });

  const stages = first.stages.map((node) => {
    const needed = node.neededBy;
    const reason = !needed
      ? 'not built: the target does not need it'
      : needed === 'target'
        ? 'the target'
        : `used by "${needed.user.name}" (${useLabel(needed.use)}, line ${line(needed.use.range.start)})`;
    return { index: node.index, name: node.name, base: node.baseName, built: !!needed, reason, line: line(node.def.from.node.range.start) };
  });

  const runs = executedRuns(model);
  const concurrent = runs
    .map((s) => ({ step: ref(s), mayRunWith: runs.filter((o) => model.graph.mayOverlap(s, o)).map(ref) }))
    .filter((c) => c.mayRunWith.length > 0);

  const cacheMounts = model.steps.flatMap((s) =>
    s.mounts
      .filter((m) => m.cache)
      .map((m) => ({ ...ref(s), target: m.target, id: m.cache!.id, key: m.cache!.key, label: cacheLabel(m.cache!) + (m.cache!.base ? ` from ${m.cache!.base}` : ''), sharing: m.sharing, built: model.graph.executing.has(s.vertex) })),
  );
  const merged = runs.flatMap((s) => {
    const twins = distinctInstructions(model.graph.stepsByVertex.get(s.vertex) ?? []).filter((t) => t.instruction !== s.instruction);
    return twins.length ? [{ step: ref(s), with: twins.map(ref) }] : [];
  });
  return { target: first.target.name, platforms: model.options.platforms, namespace: model.namespace, stages, concurrent, cacheMounts, merged };
}

function distinctInstructions(steps: Step[]): Step[] {
  const seen = new Set<unknown>();
  return steps.filter((s) => !seen.has(s.instruction) && seen.add(s.instruction));
}

export function explainText(path: string, e: Explanation): string {
  const multi = e.platforms.length > 1;
  const at = (r: StepRef) => `line ${r.line} (${r.stage}${multi ? `, ${r.platform}` : ''})`;
  let out = `${path}\n  target: ${e.target}; platforms: ${e.platforms.join(', ')}; cache namespace: ${e.namespace === '' ? '(none)' : JSON.stringify(e.namespace)}\n\nStages\n`;
  for (const s of e.stages) out += `  ${s.index}  ${s.name.padEnd(16)} FROM ${s.base.padEnd(28)} line ${String(s.line).padEnd(4)} ${s.built ? 'built' : 'skipped'}: ${s.reason}\n`;
  out += '\nRUN steps that may run at the same time\n';
  if (e.concurrent.length === 0) out += '  none: every RUN waits for the ones before it\n';
  for (const c of e.concurrent) out += `  ${at(c.step)}  with  ${c.mayRunWith.map(at).join(', ')}\n`;
  if (e.merged.length) {
    out += '\nIdentical steps BuildKit merges (each runs once)\n';
    for (const m of e.merged) out += `  ${at(m.step)}  merged with  ${m.with.map(at).join(', ')}\n`;
  }
  out += '\nCache mounts\n';
  if (e.cacheMounts.length === 0) out += '  none\n';
  const seen = new Set<string>();
  for (const m of e.cacheMounts) {
    const line = `  ${at(m)}  ${m.target}  cache ${m.label}  sharing=${m.sharing}${m.built ? '' : '  (not built)'}\n`;
    if (!seen.has(line)) out += line;
    seen.add(line);
  }
  return out;
}
