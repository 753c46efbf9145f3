/**
 * Linting a build plan: for each request, the Dockerfiles of its targets are
 * read and linted together as one build set (engine/linter.ts). Targets
 * mountlint cannot resolve are listed in the notes, not guessed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { Linter, prepare, type LintOptions, type LintResult, type SetLintResult, type SetMember } from '../engine/index.js';
import type { Diagnostic } from '../rules/index.js';
import { DefinitionError } from './errors.js';
import type { BuildPlan, BuildRequest, BuildTarget } from './types.js';

export interface RequestLint {
  request: BuildRequest;
  /** The builds analysed (targets that could be resolved and read). */
  members: SetMember[];
  /** members[i] builds targets[i] of this list. */
  targets: BuildTarget[];
  result?: SetLintResult;
}

export interface PlanLintResult {
  /** One result per Dockerfile, over every request (the same finding from two requests once). */
  results: LintResult[];
  requests: RequestLint[];
  /** What was not analysed, and why. */
  notes: string[];
}

/** The Dockerfiles of a request as build-set members; unresolvable targets go to `notes`. */
export function requestMembers(request: BuildRequest, notes: string[], read: (path: string) => string = (p) => readFileSync(p, 'utf8')): { members: SetMember[]; targets: BuildTarget[] } {
  const members: SetMember[] = [];
  const targets: BuildTarget[] = [];
  const usable = request.targets.filter((t) => {
    if (!t.unknown) return true;
    const at = t.unknown.place.source.positionAt(t.unknown.place.range.start);
    const alone = aloneDockerfile(t);
    notes.push(`warning: ${t.unknown.place.source.path}:${at.line}:${at.column}: ${t.label ?? `${t.kind} "${t.name}"`} is not analysed with the rest of its build: ${t.unknown.reason}${alone ? `; ${alone} is linted alone` : ''}`);
    return false;
  });
  for (const t of usable) {
    let path: string;
    let text: string;
    if (t.inline) {
      const at = t.inline.place.source.positionAt(t.inline.place.range.start);
      path = `${t.inline.place.source.path}:${at.line} (${t.kind} "${t.name}" inline Dockerfile)`;
      text = t.inline.text;
    } else {
      path = t.dockerfile;
      try {
        text = read(path);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        const why = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a directory' : `cannot be read (${(err as Error).message})`;
        throw new DefinitionError(`${t.kind} "${t.name}": its Dockerfile ${path} ${why}${workdirHint(t)}`, t.definedAt.source, t.definedAt.range);
      }
    }
    members.push({
      path,
      text,
      options: { target: t.stage, buildArgs: t.args, platforms: t.platforms.length ? t.platforms : undefined },
      label: t.label ?? `${t.kind} "${t.name}"`,
      name: t.name,
      contextKey: t.context,
      startedBy: t.startedBy?.map((s) => ({ source: s.place.source, range: s.place.range, message: s.message })),
    });
    targets.push(t);
  }
  // Named contexts: another target of the request, or a folder/image (its own key).
  members.forEach((m, i) => {
    const contexts: Record<string, number | string> = {};
    for (const [name, value] of Object.entries(targets[i].namedContexts)) {
      const linked = value.startsWith('target:') ? targets.findIndex((t) => t.name === value.slice('target:'.length)) : -1;
      contexts[name] = linked >= 0 ? linked : value;
    }
    if (Object.keys(contexts).length) m.contexts = contexts;
  });
  return { members, targets };
}

/**
 * `docker buildx bake -f sub/docker-bake.hcl` resolves contexts under the
 * folder it runs in, not the file's: when the Dockerfile is there under the
 * file's folder instead, say how to read it that way.
 */
function workdirHint(t: BuildTarget): string {
  if (t.kind !== 'bake target' || isAbsolute(t.dockerfile)) return '';
  const dir = dirname(t.definedAt.source.path);
  if (dir === '.' || !existsSync(join(dir, t.dockerfile))) return '';
  return ` (bake resolves a relative context under the folder it runs in; under ${dir} it exists: run from there, or pass --workdir ${dir})`;
}

/** The Dockerfile of a target that is not analysed with its build, when its path is known and it is on disk. */
function aloneDockerfile(t: BuildTarget): string | undefined {
  if (!t.unknown?.dockerfileKnown || t.inline || /^[a-z][a-z0-9+.-]*:\/\//i.test(t.context) || !existsSync(t.dockerfile)) return undefined;
  return t.dockerfile;
}

/** Every Dockerfile to lint on its own: those of targets not analysed with their build, and the plan's fallbacks. */
export function aloneDockerfiles(plan: BuildPlan): string[] {
  const paths = plan.requests.flatMap((r) => r.targets.map(aloneDockerfile)).filter((p): p is string => p !== undefined);
  return [...new Set([...paths, ...(plan.alone ?? [])])];
}

/** Lints every request of a plan; `prepareParser` loads the shell parser when a script needs it. */
export async function lintPlan(plan: BuildPlan, options: LintOptions, prepareParser: () => Promise<void> = prepare): Promise<PlanLintResult> {
  const notes = [...plan.notes];
  const requests: RequestLint[] = [];
  const byPath = new Map<string, LintResult>();
  for (const request of plan.requests) {
    const { members, targets } = requestMembers(request, notes);
    if (!members.length) {
      requests.push({ request, members, targets });
      continue;
    }
    const result = await new Linter(request.separateBuilds ? { ...options, concurrentBuilds: true } : options, prepareParser).lint({ members, why: request.why });
    for (const e of result.memberErrors) {
      const t = targets[e.member];
      throw new DefinitionError(`${t.kind} "${t.name}" (${members[e.member].path}): ${e.message}`, t.definedAt.source, t.definedAt.range);
    }
    requests.push({ request, members, targets, result });
    for (const r of result.results) mergeResult(byPath, r);
  }
  return { results: [...byPath.values()], requests, notes };
}

function mergeResult(byPath: Map<string, LintResult>, r: LintResult): void {
  const known = byPath.get(r.source.path);
  if (!known) {
    byPath.set(r.source.path, { ...r, diagnostics: [...r.diagnostics] });
    return;
  }
  const seen = new Set(known.diagnostics.map(diagnosticKey));
  for (const d of r.diagnostics) if (!seen.has(diagnosticKey(d))) known.diagnostics.push(d);
  known.diagnostics.sort((a, b) => a.range.start - b.range.start);
}

function diagnosticKey(d: Diagnostic): string {
  return `${d.ruleId}\0${d.range.start}\0${d.range.end}\0${d.message}`;
}
