/** What the knowledge layer needs to know about a step: its variables, user and base image. */
import type { StepContext } from '../knowledge/index.js';
import type { Step, StageNode } from '../model/index.js';

/** The image at the root of a stage's FROM chain. */
export function rootImage(node: StageNode): string {
  let n = node;
  for (let guard = 0; n.baseStage && guard < 100; guard++) n = n.baseStage;
  return n.baseName;
}

export function stepContext(step: Step): StepContext {
  return { env: step.env, user: step.user, baseImage: rootImage(step.stage.node) };
}
