/**
 * `docker buildx bake [TARGET…]` as a build request: every target the named
 * groups and targets expand to, built in one BuildKit request (buildx
 * builds them together and BuildKit shares one solver between them).
 */
import type { SourceFile } from '../../syntax/index.js';
import { DefinitionError, NoDefaultTarget } from '../errors.js';
import type { BuildRequest, BuildTarget, DefinitionPlace } from '../types.js';
import { addHclFile, addJsonFile, emptyConfig, type RawConfig } from './config.js';
import { BakeProject, type BakeEnvironment } from './resolve.js';

export { BakeProject, isRemote, type BakeEnvironment } from './resolve.js';
export { addHclFile, addJsonFile, emptyConfig, type RawConfig } from './config.js';

/** Reads bake files (HCL or JSON, merged in order) into a project. */
export function readBakeFiles(files: SourceFile[], environment: BakeEnvironment, config: RawConfig = emptyConfig()): BakeProject {
  for (const file of files) {
    if (/\.json$/i.test(file.path)) addJsonFile(config, file);
    else addHclFile(config, file);
  }
  return new BakeProject(config, environment);
}

/**
 * The request `docker buildx bake NAME…` makes (default: "default"). An
 * unknown name is an error that lists the known ones, at `askedAt` (a
 * workflow's `targets:`) or at the start of the first file.
 */
export function bakeRequest(project: BakeProject, names: string[], files: SourceFile[], askedAt?: DefinitionPlace): BuildRequest {
  const asked = names.length ? names : ['default'];
  const targets: BuildTarget[] = [];
  const groups: string[] = [];
  const known = project.names();
  for (const name of asked) {
    if (!known.includes(name)) {
      const where = askedAt ?? { source: files[0], range: { start: 0, end: 0 } };
      if (name === 'default' && !names.length) throw new NoDefaultTarget(`no group or target named "default" (name one to build with --bake-target); known: ${known.join(', ') || 'none'}`, where.source, where.range);
      throw new DefinitionError(`no group or target named "${name}"; known: ${known.join(', ') || 'none'}`, where.source, where.range);
    }
    const expanded = project.expand(name);
    groups.push(...expanded.groups);
    for (const t of expanded.targets) {
      if (targets.some((x) => x.name === t)) continue;
      targets.push(project.resolve(t, project.groupPlace(expanded.groups[0] ?? name) ?? askedAt));
    }
  }
  for (const linked of linkedTargets(project, targets)) targets.push(linked);
  const list = targets.map((t) => t.name);
  const label = `docker buildx bake${names.length ? ' ' + names.join(' ') : ''}`;
  const why =
    asked.length === 1 && groups[0] === asked[0]
      ? `group "${asked[0]}" builds ${joinNames(list)} in one request`
      : `${label} builds ${joinNames(list)} in one request`;
  return { label, why, targets, definedAt: groups[0] ? project.groupPlace(groups[0]) : undefined };
}

/** Targets used as `contexts = { x = "target:NAME" }` are built in the same request (buildx loadLinks). */
function linkedTargets(project: BakeProject, targets: BuildTarget[]): BuildTarget[] {
  const out: BuildTarget[] = [];
  const queue = [...targets];
  while (queue.length) {
    const t = queue.shift()!;
    for (const value of Object.values(t.namedContexts)) {
      if (!value.startsWith('target:')) continue;
      const name = value.slice('target:'.length);
      if ([...targets, ...out].some((x) => x.name === name)) continue;
      const linked = project.resolve(name, t.definedAt);
      out.push(linked);
      queue.push(linked);
    }
  }
  return out;
}

export function joinNames(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
