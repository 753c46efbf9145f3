/** Why BuildKit may run two operations at the same time, in words a user can check. */
import { useLabel, type BuildModel, type NeededBy, type StageNode, type Step } from '../../model/index.js';
import type { SourceFile } from '../../syntax/index.js';
import { isIn, lineOf, modelOf, otherBuild, sourceOf, stepPlace } from '../build-set.js';

/**
 * `stage "builder" for linux/arm64 (line 3)`; a step of another build of the
 * request names the build and its file: `bake target "worker" (worker/Dockerfile line 2)`,
 * with its stage when the stage has a name.
 */
export function describeStep(step: Step, model: BuildModel, here: SourceFile): string {
  const platform = modelOf(step, model).options.platforms.length > 1 ? ` for ${step.targetPlatform}` : '';
  const stage = `stage "${step.stage.node.name}"${platform}`;
  if (step.stage.origin.index === model.origin.index) return `${stage} (${stepPlace(step, model, here)})`;
  const named = step.stage.node.def.name ? `${stage} of ` : platform ? `${platform.trim()} in ` : '';
  const file = isIn(step, here) ? '' : `${sourceOf(step).path} `;
  return `${named}${step.stage.origin.label} (${file}line ${lineOf(step)})`;
}

export function whyOverlap(a: Step, b: Step, model: BuildModel): string {
  const reasons: string[] = [];
  const own = modelOf(a, model);
  if (a.targetPlatform !== b.targetPlatform) {
    const order = own.options.platforms;
    const [p1, p2] = order.indexOf(a.targetPlatform) <= order.indexOf(b.targetPlatform) ? [a.targetPlatform, b.targetPlatform] : [b.targetPlatform, a.targetPlatform];
    reasons.push(
      a.instruction === b.instruction
        ? `BuildKit builds ${p1} and ${p2} at the same time and runs this step once for each, with no platform in the cache id`
        : `BuildKit builds ${p1} and ${p2} at the same time, with no platform in the cache id`,
    );
  }
  if (otherBuild(a, b)) {
    // Two builds of one bake or compose request: BuildKit runs them side by side.
    reasons.push(`${model.set?.why ?? 'the builds run together'}, and neither waits for the other`);
  } else if (a.stage.node.index !== b.stage.node.index) {
    const line = (offset: number) => sourceOf(a).positionAt(offset).line;
    const chains = [a.stage.node, b.stage.node].filter((n) => n.neededBy !== 'target').map((n) => neededChain(n, line));
    reasons.push(`${targetPhrase(own)} needs both stages${chains.length ? ` (${chains.join('; ')})` : ''}, and neither waits for the other`);
  }
  return reasons.join('; ') || 'neither step waits for the other';
}

function targetPhrase(model: BuildModel): string {
  const target = model.builds[0].target;
  const build = model.origin.label ? ` of ${model.origin.label}` : '';
  return model.options.target ? `target "${target.name}"${build}` : `the default target "${target.name}"${build} (the last stage)`;
}

/** '"deps" is used by "builder" with COPY --from on line 4, which is used by "production" with RUN --mount from=builder on line 9'. */
export function neededChain(stage: StageNode, line: (offset: number) => number): string {
  const parts: string[] = [];
  let node: StageNode | undefined = stage;
  for (let guard = 0; node && guard < 50; guard++) {
    const needed: NeededBy | undefined = node.neededBy;
    if (!needed || needed === 'target') break;
    const user = `"${needed.user.name}" with ${useLabel(needed.use)} on line ${line(needed.use.range.start)}`;
    parts.push(parts.length ? `which is used by ${user}` : `"${node.name}" is used by ${user}`);
    node = needed.user;
  }
  return parts.join(', ');
}
