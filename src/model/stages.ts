/**
 * The stage graph BuildKit builds before dispatching anything
 * (dockerfile2llb: buildDispatchStates, resolveTarget,
 * buildStageDependencyGraph, allReachableStages): each stage's base, the
 * stages it uses, the target, and which stages are reachable from it.
 */
import type { DockerfileInstructions, Instruction, StageDef } from '../instructions/index.js';
import { withSuggestion } from '../instructions/index.js';
import type { Range } from '../syntax/index.js';
import { expandAt, type Scope } from './env.js';
import { ModelError } from './errors.js';

export interface StageUse {
  stage: StageNode;
  /** How the stage is used: `FROM`, `COPY --from`, or a `RUN --mount from=`. */
  via: 'from' | 'copy' | 'mount';
  instruction: Instruction;
  range: Range;
}

export interface StageNode {
  def: StageDef;
  index: number;
  /** The `AS` name, or BuildKit's `stage-N`. */
  name: string;
  /** The FROM reference after meta-ARG expansion. */
  baseName: string;
  /** The earlier stage the FROM names, if any. */
  baseStage?: StageNode;
  uses: StageUse[];
  /** Why the build needs this stage; undefined when it is not reachable from the target. */
  neededBy?: NeededBy;
}

/** The target itself, or the stage whose use of this one made it reachable. */
export type NeededBy = 'target' | { user: StageNode; use: StageUse };

export function stageName(def: StageDef): string {
  return def.name ?? `stage-${def.index}`;
}

/**
 * Stages with their bases and dependencies; `meta` holds the meta ARGs and
 * automatic platform ARGs. Problems that do not stop the analysis (a FROM
 * that needs a build arg) go to `warnings`.
 */
export function resolveStages(df: DockerfileInstructions, meta: Scope, escapeToken: string, warnings: ModelError[] = []): StageNode[] {
  const nodes: StageNode[] = [];
  const byName = new Map<string, StageNode>();
  for (const def of df.stages) {
    const raw = def.from.image.value;
    let baseName = expandAt(raw, meta, escapeToken, def.from.image.range);
    const invalid = baseName === '' ? `base name (${raw}) should not be blank` : byName.has(baseName) ? undefined : referenceProblem(baseName);
    if (invalid) {
      // BuildKit fails here. With an ARG that has no value, the author usually means "pass --build-arg": a warning that says so.
      const empty = emptyArgs(df, raw, meta);
      if (!empty.length) warnings.push(new ModelError(invalid, def.from.image.range, 'syntax', 'error'));
      else if (!skipsCheck(df, 'InvalidDefaultArgInFrom')) warnings.push(new ModelError(`${invalid}: BuildKit fails like this unless a --build-arg gives ${empty.join(' and ')}`, def.from.image.range, 'syntax', 'warning'));
      if (baseName === '') baseName = raw;
    }
    // Case-sensitive match of the expanded name against earlier stages' lowercased names.
    const node: StageNode = { def, index: def.index, name: stageName(def), baseName, baseStage: byName.get(baseName), uses: [] };
    if (node.baseStage) node.uses.push({ stage: node.baseStage, via: 'from', instruction: def.from, range: def.from.image.range });
    nodes.push(node);
    if (def.name && !byName.has(def.name)) byName.set(def.name, node);
  }
  for (const node of nodes) addStageUses(node, nodes, byName);
  return nodes;
}

function addStageUses(node: StageNode, all: StageNode[], byName: Map<string, StageNode>): void {
  for (const ins of node.def.instructions) {
    if ((ins.kind === 'copy' || ins.kind === 'add') && ins.from) {
      const from = ins.from.value.text;
      const target = /^\d+$/.test(from) ? all[Number(from)] : byName.get(from.toLowerCase());
      if (target) {
        if (target.index >= node.index) {
          throw new ModelError(
            `cannot copy from stage "${from}", it needs to be defined before current stage "${node.name}"`,
            ins.from.word.range,
          );
        }
        node.uses.push({ stage: target, via: 'copy', instruction: ins, range: ins.from.word.range });
      }
    }
    if (ins.kind === 'run') {
      for (const spec of ins.mounts) {
        if (!spec.from) continue;
        const target = byName.get(spec.from.toLowerCase());
        if (!target) continue; // an image or a named context
        if (target.index >= node.index) {
          const targetPath = spec.fields.find((f) => ['target', 'dst', 'destination'].includes(f.key))?.value?.text ?? '';
          throw new ModelError(
            `cannot mount from stage "${spec.from}" to "${targetPath}", stage needs to be defined before current command`,
            spec.word.range,
            'invalid-mount',
          );
        }
        node.uses.push({ stage: target, via: 'mount', instruction: ins, range: spec.word.range });
      }
    }
  }
}

/** `--target` (case-insensitive) or the last stage. */
export function resolveTarget(nodes: StageNode[], target: string | undefined): StageNode {
  if (target === undefined || target === '') return nodes[nodes.length - 1];
  const found = nodes.find((n) => n.def.name === target.toLowerCase());
  if (!found) {
    const names = nodes.flatMap((n) => (n.def.name ? [n.def.name] : []));
    const listed = names.length > 20 ? `${names.slice(0, 20).join(', ')} and ${names.length - 20} more` : names.join(', ');
    const stages = names.length ? `; the stages are ${listed}` : '; no stage of this file has a name (FROM … AS NAME)';
    throw new BuildOptionError(withSuggestion(`target stage "${target}" could not be found`, target, names) + stages);
  }
  return found;
}

/** Marks every stage the target needs (DFS over bases and uses), recording the first reason found. */
export function markReachable(target: StageNode): void {
  target.neededBy = 'target';
  const stack = [target];
  while (stack.length) {
    const node = stack.pop()!;
    for (const use of node.uses) {
      if (use.stage.neededBy) continue;
      use.stage.neededBy = { user: node, use };
      stack.push(use.stage);
    }
  }
}

/** How a stage is used, as written in the Dockerfile: `FROM builder`, `COPY --from`, `RUN --mount from=builder`. */
export function useLabel(use: StageUse): string {
  if (use.via === 'copy') return 'COPY --from';
  return use.via === 'from' ? `FROM ${use.stage.name}` : `RUN --mount from=${use.stage.name}`;
}

/** A build option that cannot work with this Dockerfile (unknown target, bad platform). */
export class BuildOptionError extends Error {}

/** `# check=skip=A,B` (or skip=all) turns BuildKit's named checks off. */
function skipsCheck(df: DockerfileInstructions, check: string): boolean {
  const directive = df.file.directives.find((d) => d.name === 'check');
  if (!directive) return false;
  const skip = /(?:^|;)\s*skip\s*=\s*([^;]*)/.exec(directive.value)?.[1] ?? '';
  const names = skip.split(',').map((s) => s.trim());
  return names.includes('all') || names.includes(check);
}

/** BuildKit's own error for a FROM reference that does not parse (distribution/reference), or undefined. */
function referenceProblem(name: string): string | undefined {
  if (name === 'scratch') return undefined;
  const component = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
  const domain = '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?|\\[[0-9a-fA-F:]+\\](?::[0-9]+)?)';
  const reference = new RegExp(`^(?:${domain}/)?${component}(?:/${component})*(?::[\\w][\\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$`);
  if (reference.test(name)) return undefined;
  if (reference.test(name.toLowerCase())) {
    const repo = name.split(/[:@]/)[0];
    return `failed to parse stage name "${name}": invalid reference format: repository name (${repo.includes("/") ? repo : `library/${repo}`}) must be lowercase`;
  }
  return `failed to parse stage name "${name}": invalid reference format`;
}

/**
 * The ARGs a FROM uses that have no value, each with why: no default, or
 * declared after the first FROM (a stage's ARG is not visible to FROM).
 */
function emptyArgs(df: DockerfileInstructions, raw: string, meta: Scope): string[] {
  const names = [...raw.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]);
  const declaredInStage = new Set(df.stages.flatMap((s) => s.instructions.flatMap((i) => (i.kind === 'arg' ? i.pairs.map((p) => p.key) : []))));
  const meta_ = new Set(df.metaArgs.flatMap((a) => a.pairs.map((p) => p.key)));
  return [...new Set(names)]
    .filter((n) => !meta.get(n))
    .map((n) => (!meta_.has(n) && declaredInStage.has(n) ? `${n} a value (its ARG comes after the first FROM, where FROM cannot see it)` : `${n} a value (ARG ${n} has no default)`));
}
