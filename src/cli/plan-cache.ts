/**
 * The result cache for bake, compose and CI builds. A plan's Dockerfiles are
 * linted together (one build set per request), so its findings are one
 * entry, keyed on every file involved: the plan as resolved (the definition
 * files' texts, requests, targets, build args, platforms, named contexts,
 * inline Dockerfiles), the text of every Dockerfile its targets build, and
 * the options. A hit rebuilds what the CLI reads of a plan's lint (results,
 * requests with their members, notes) without linting.
 */
import { readFileSync } from 'node:fs';
import { lintPlan, requestMembers, type BuildPlan, type PlanLintResult, type RequestLint } from '../builds/index.js';
import type { LintOptions } from '../engine/index.js';
import { decodeResult, encodeResult, fingerprint, optionsFingerprint, type PortableResult } from './portable.js';
import { isPortableResult, type ResultCache } from './result-cache.js';

interface PlanEntry {
  results: PortableResult[];
}

/** The plan's lint, from the cache or done and stored; `cacheError` says why it could not be stored. */
export async function lintPlanCached(plan: BuildPlan, options: LintOptions, cache: ResultCache, prepareParser: () => Promise<void>): Promise<{ linted: PlanLintResult; cacheError?: string }> {
  const texts = new Map<string, string>();
  const read = (path: string) => {
    let text = texts.get(path);
    if (text === undefined) texts.set(path, (text = readFileSync(path, 'utf8')));
    return text;
  };
  let key: string;
  try {
    key = cache.keyOf(['plan', optionsFingerprint(options), fingerprint(plan), ...dockerfiles(plan).flatMap((path) => [path, read(path)])]);
  } catch {
    // A Dockerfile that cannot be read: lintPlan says which, in its words.
    return { linted: await lintPlan(plan, options, prepareParser) };
  }
  const hit = cache.read(key, isPlanEntry);
  if (hit) {
    const notes = [...plan.notes];
    const requests: RequestLint[] = plan.requests.map((request) => ({ request, ...requestMembers(request, notes, read) }));
    const results = hit.results.map((r) => decodeResult(r, r.files[0].path, r.files[0].text ?? ''));
    return { linted: { results, requests, notes } };
  }
  const linted = await lintPlan(plan, options, prepareParser);
  // Stored only if the lint saw the texts the key was made of (a file changed meanwhile would key the wrong text).
  const unchanged = linted.results.every((r) => !texts.has(r.source.path) || texts.get(r.source.path) === r.source.text);
  const cacheError = unchanged ? cache.set(key, { results: linted.results.map((r) => encodeResult(r, true)) } satisfies PlanEntry) : undefined;
  return { linted, cacheError };
}

/** The Dockerfiles the plan's targets build from disk, each once, in order. */
function dockerfiles(plan: BuildPlan): string[] {
  const paths = plan.requests.flatMap((r) => r.targets.filter((t) => !t.unknown && !t.inline).map((t) => t.dockerfile));
  return [...new Set(paths)];
}

function isPlanEntry(value: unknown): value is PlanEntry {
  const v = value as PlanEntry;
  return typeof v === 'object' && v !== null && Array.isArray(v.results) && v.results.every((r) => isPortableResult(r) && typeof r.files[0].text === 'string');
}
