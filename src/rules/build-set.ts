/**
 * Rules that look at steps running together (cache-race, cache-deadlock,
 * cache-split) see every build of a bake or compose request, not only the
 * file being linted. These helpers give them the set's steps and say where a
 * step is: its own file, its build, and how to name it in a message.
 */
import type { BuildModel, Step } from '../model/index.js';
import type { SourceFile } from '../syntax/index.js';
import type { RelatedLocation } from './types.js';

/** Every step of the request this build runs in (its own steps when it runs alone). */
export function setSteps(model: BuildModel): Step[] {
  return model.set?.steps ?? model.steps;
}

/** The file a step is in. */
export function sourceOf(step: Step): SourceFile {
  return step.stage.origin.df.file.source;
}

/** The model of the build a step belongs to. */
export function modelOf(step: Step, model: BuildModel): BuildModel {
  return model.set?.members[step.stage.origin.index] ?? model;
}

/** 1-based line of a step in its own file. */
export function lineOf(step: Step): number {
  return sourceOf(step).positionAt(step.instruction.node.range.start).line;
}

/** Is the step in the file being linted (`here`)? */
export function isIn(step: Step, here: SourceFile): boolean {
  return sourceOf(step).path === here.path;
}

/** The file to name on a related location or edit: undefined when it is the linted file. */
export function fileFor(step: Step, here: SourceFile): SourceFile | undefined {
  return isIn(step, here) ? undefined : sourceOf(step);
}

/** A related location at a step's range, naming its file when that is another one. */
export function relatedAt(step: Step, here: SourceFile, range: RelatedLocation['range'], message: string): RelatedLocation {
  const file = fileFor(step, here);
  return file ? { range, message, file } : { range, message };
}

/**
 * "line 5", or for a step of another build of the request
 * `line 5 of worker/Dockerfile (bake target "worker")`.
 */
export function stepPlace(step: Step, model: BuildModel, here: SourceFile): string {
  const at = `line ${lineOf(step)}`;
  if (step.stage.origin.index === model.origin.index && isIn(step, here)) return at;
  const build = step.stage.origin.label ? ` (${step.stage.origin.label})` : '';
  return isIn(step, here) ? `${at}${build}` : `${at} of ${sourceOf(step).path}${build}`;
}

/** Do two steps belong to different builds of one request? */
export function otherBuild(a: Step, b: Step): boolean {
  return a.stage.origin.index !== b.stage.origin.index;
}

/** RUN steps the request executes, one per instruction and operation (builtRunSteps over every build). */
export function setBuiltRunSteps(model: BuildModel): Step[] {
  const seen = new Set<unknown>();
  return setSteps(model).filter((s) => {
    if (s.instruction.kind !== 'run' || !model.graph.executing.has(s.vertex) || seen.has(s.instruction) || seen.has(s.vertex)) return false;
    seen.add(s.instruction).add(s.vertex);
    return true;
  });
}

/** Why a step of another build overlaps: the request's reason, for messages. */
export function togetherNote(a: Step, b: Step, model: BuildModel): string {
  return otherBuild(a, b) && model.set ? ` (${model.set.why})` : '';
}

/**
 * Where the repository starts these steps' builds together (a Makefile rule run with
 * `make -j`, a backgrounded `docker build` in a script), as related locations: each
 * place once, in the order the builds name them. None when the steps are of one build.
 */
export function startPlaces(steps: Step[]): RelatedLocation[] {
  const origins = [...new Set(steps.map((s) => s.stage.origin))];
  if (origins.length < 2) return [];
  const seen = new Set<string>();
  const out: RelatedLocation[] = [];
  for (const origin of origins) {
    for (const p of origin.startedBy ?? []) {
      const id = `${p.source.path}\0${p.range.start}\0${p.message}`;
      if (seen.has(id)) continue;
      seen.add(id);
      out.push({ range: p.range, message: p.message, file: p.source });
    }
  }
  return out;
}
