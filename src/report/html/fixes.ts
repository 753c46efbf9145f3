/**
 * The fix chooser's content, worked out ahead in the CLI (the page runs
 * nothing): for each strategy some finding offers, the fix `--fix
 * --fix-strategy S` makes, linted again, as a diff and a redrawn view.
 */
import { fixBuildSet, fixText, lintText, type LintOptions, type LintResult, type SetMember } from '../../engine/index.js';
import type { Diagnostic, FixStrategy } from '../../rules/index.js';
import { FIX_STRATEGIES } from '../../rules/index.js';
import { unifiedDiff } from '../diff.js';
import { viewOfBuilds, viewOfResult, type ViewData } from './data.js';

export interface FixVariant {
  strategy: FixStrategy;
  /** The first finding's words for it ("set sharing=locked on 2 mounts …"). */
  description: string;
  diff: string;
  view: ViewData;
  /** Races left after it (0: it removes them all). */
  remaining: number;
}

/** Strategies the findings offer, in the order FIX_STRATEGIES gives. */
export function offeredStrategies(diagnostics: Diagnostic[]): Map<FixStrategy, string> {
  const found = new Map<FixStrategy, string>();
  for (const d of diagnostics) for (const f of d.suggestions ?? (d.fix ? [d.fix] : [])) if (f.strategy && !found.has(f.strategy)) found.set(f.strategy, f.description);
  return new Map(FIX_STRATEGIES.filter((s) => found.has(s)).map((s) => [s, found.get(s)!]));
}

const races = (results: Array<{ diagnostics: Diagnostic[] }>) => results.reduce((n, r) => n + r.diagnostics.filter((d) => d.ruleId === 'cache-race').length, 0);

/** One Dockerfile: each strategy applied with fixText, as `--fix --fix-strategy S` would. `options` must be those the result was linted with. */
export function fileFixVariants(result: LintResult, options: LintOptions): FixVariant[] {
  const out: FixVariant[] = [];
  if (!result.model) return out;
  const text = result.source.text;
  const path = result.source.path;
  for (const [strategy, description] of offeredStrategies(result.diagnostics)) {
    const withStrategy = { ...options, fixStrategy: strategy };
    const fixed = fixText(text, path, withStrategy, lintText(text, path, withStrategy));
    if (!fixed.changed) continue;
    const view = viewOfResult(fixed.result, path);
    if (!view) continue;
    out.push({ strategy, description, diff: unifiedDiff(path, text, fixed.output), view, remaining: races([fixed.result]) });
  }
  return out;
}

/** The builds of one request (bake, compose): each strategy applied to every file of the set at once. */
export function setFixVariants(members: SetMember[], options: LintOptions, why: string, request: string, diagnostics: Diagnostic[]): FixVariant[] {
  const out: FixVariant[] = [];
  for (const [strategy, description] of offeredStrategies(diagnostics)) {
    const fixed = fixBuildSet(members, { ...options, fixStrategy: strategy }, why);
    if (!fixed.changed.length || !fixed.result.set) continue;
    const original = new Map(members.map((m) => [m.path, m.text]));
    const diff = fixed.changed.map((p) => unifiedDiff(p, original.get(p)!, fixed.outputs.get(p)!)).join('');
    const set = fixed.result.set;
    const view = viewOfBuilds(set.members, set.steps, set.graph, request, request, why, fixed.result.results);
    out.push({ strategy, description, diff, view, remaining: races(fixed.result.results) });
  }
  return out;
}
