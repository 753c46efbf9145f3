/** Why BuildKit may run two operations at the same time, in words a user can check. */
import { useLabel, type BuildModel, type NeededBy, type StageNode, type Step } from '../../model/index.js';

export function describeStep(step: Step, model: BuildModel, line: (offset: number) => number): string {
  const at = line(step.instruction.node.range.start);
  const platform = model.options.platforms.length > 1 ? ` for ${step.platform}` : '';
  return `stage "${step.stage.node.name}"${platform} (line ${at})`;
}

export function whyOverlap(a: Step, b: Step, model: BuildModel, line: (offset: number) => number): string {
  const reasons: string[] = [];
  if (a.platform !== b.platform) {
    const [p1, p2] = model.options.platforms.indexOf(a.platform) <= model.options.platforms.indexOf(b.platform) ? [a.platform, b.platform] : [b.platform, a.platform];
    reasons.push(
      a.instruction === b.instruction
        ? `BuildKit builds ${p1} and ${p2} at the same time and runs this step once for each, with no platform in the cache id`
        : `BuildKit builds ${p1} and ${p2} at the same time, with no platform in the cache id`,
    );
  }
  if (a.stage.node.index !== b.stage.node.index) {
    const chains = [a.stage.node, b.stage.node].filter((n) => n.neededBy !== 'target').map((n) => neededChain(n, line));
    reasons.push(`${targetPhrase(model)} needs both stages${chains.length ? ` (${chains.join('; ')})` : ''}, and neither waits for the other`);
  }
  return reasons.join('; ') || 'neither step waits for the other';
}

function targetPhrase(model: BuildModel): string {
  const target = model.builds[0].target;
  return model.options.target ? `target "${target.name}"` : `the default target "${target.name}" (the last stage)`;
}

/** '"deps" is used by "builder" with COPY --from on line 4, which is used by "production" with RUN --mount from=builder on line 9'. */
function neededChain(stage: StageNode, line: (offset: number) => number): string {
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
