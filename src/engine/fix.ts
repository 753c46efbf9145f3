/**
 * `--fix`: apply every diagnostic's fix, lint again, repeat until nothing
 * changes (at most 10 passes, as ESLint does). Edits are minimal, so every
 * byte outside them stays as it was; a second run finds nothing to do.
 */
import { applyEdits, applyFixes, type TextEdit } from '../edits/index.js';
import type { Fix } from '../rules/index.js';
import type { LintOptions, LintResult } from './lint.js';
import { lintBuildSet, lintText, type SetLintResult, type SetMember } from './linter.js';

/** Safe fixes always; unsafe ones with --unsafe-fixes, or when the user named that strategy. */
export function applies(fix: Fix, options: LintOptions): boolean {
  const named = [options.fixStrategy, ...Object.values(options.fixStrategies ?? {})];
  return fix.applicability === 'safe' || !!options.unsafeFixes || (fix.strategy !== undefined && named.includes(fix.strategy));
}

const MAX_PASSES = 10;

/**
 * The fixes of one pass: of those that change the mounts of one cache, the
 * first and those that give the cache the same (each chose its sharing or
 * owner against the mounts as they are; two different choices together
 * could split the cache). The others are worked out again on the next pass.
 */
export function oneChangePerCache(fixes: Fix[]): Fix[] {
  const chosen = new Map<string, string>();
  return fixes.filter((fix) => {
    const changes = Object.entries(fix.caches ?? {});
    if (changes.some(([cache, change]) => chosen.has(cache) && chosen.get(cache) !== change)) return false;
    for (const [cache, change] of changes) chosen.set(cache, change);
    return true;
  });
}

export interface FixResult {
  output: string;
  changed: boolean;
  passes: number;
  /** Diagnostics that remain after fixing. */
  result: LintResult;
}

/** `first`: the text's lint result, when the caller has it already. */
export function fixText(text: string, path: string, options: LintOptions = {}, first?: LintResult): FixResult {
  let output = text;
  let result = first ?? lintText(output, path, options);
  let passes = 0;
  while (passes < MAX_PASSES) {
    // Each fix all or nothing; one that touches another waits for the next pass. An edit in another
    // file (a fix across the Dockerfiles of a bake build) is not this file's to make.
    const fixes = oneChangePerCache(result.diagnostics.flatMap((d) => (d.fix && applies(d.fix, options) ? [d.fix] : []))).map((fix) => fix.edits.filter((e) => !e.file || e.file.path === path));
    if (fixes.length === 0) break;
    const next = applyFixes(output, fixes).output;
    if (next === output) break;
    output = next;
    passes++;
    result = lintText(output, path, options);
  }
  return { output, changed: output !== text, passes, result };
}

export interface SetFixResult {
  /** The fixed text of every file of the set (unchanged ones too). */
  outputs: Map<string, string>;
  /** Files whose text changed. */
  changed: string[];
  passes: number;
  /** The findings that remain. */
  result: SetLintResult;
}

/**
 * `--fix` for a set: every applicable fix of every file, applied to the file
 * each edit names, then the whole set linted again, until nothing changes.
 * Nothing is written here: the caller writes all files or none.
 */
export function fixBuildSet(members: SetMember[], options: LintOptions, why: string, first?: SetLintResult): SetFixResult {
  const outputs = new Map<string, string>();
  for (const m of members) if (!outputs.has(m.path)) outputs.set(m.path, m.text);
  const original = new Map(outputs);
  let result = first ?? lintBuildSet(members, options, why);
  let passes = 0;
  while (passes < MAX_PASSES) {
    const edits = new Map<string, TextEdit[]>();
    const chosen = new Set(oneChangePerCache(result.results.flatMap((r) => r.diagnostics.flatMap((d) => (d.fix && applies(d.fix, options) ? [d.fix] : [])))));
    for (const r of result.results) {
      for (const d of r.diagnostics) {
        if (!d.fix || !chosen.has(d.fix)) continue;
        for (const e of d.fix.edits) {
          const path = e.file?.path ?? d.file?.path ?? r.source.path;
          if (!outputs.has(path)) continue; // a file outside the set (e.g. an inline Dockerfile)
          edits.set(path, [...(edits.get(path) ?? []), { range: e.range, text: e.text }]);
        }
      }
    }
    let changed = false;
    for (const [path, list] of edits) {
      const next = applyEdits(outputs.get(path)!, list).output;
      if (next !== outputs.get(path)) {
        outputs.set(path, next);
        changed = true;
      }
    }
    if (!changed) break;
    passes++;
    result = lintBuildSet(
      members.map((m) => ({ ...m, text: outputs.get(m.path)! })),
      options,
      why,
    );
  }
  const changed = [...outputs].filter(([path, text]) => original.get(path) !== text).map(([path]) => path);
  return { outputs, changed, passes, result };
}
