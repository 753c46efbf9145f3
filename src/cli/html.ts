/**
 * `--format html`: the CLI's side of the page. Check runs lint on worker
 * lanes whose results carry no model, so a file to draw is linted again here
 * (its findings stay those of the run); the fix chooser's variants are
 * worked out ahead, one `--fix --fix-strategy S` per offered strategy.
 */
import { lintText, type LintOptions, type LintResult } from '../engine/index.js';
import { documentOf, fileFixVariants, htmlPage, setFixVariants, viewOfBuilds, type FixVariant, type ViewDocument } from '../report/index.js';
import type { PlanLintResult } from '../builds/index.js';
import { prepareShellParser } from './shell-parser.js';

/** Results with their models, and each file's fix variants, for the HTML report of a check run. */
export async function withModels(results: LintResult[], optionsFor: (path: string) => LintOptions): Promise<{ results: LintResult[]; fixVariants: Map<LintResult, FixVariant[]>; replaced: Map<LintResult, LintResult> }> {
  await prepareShellParser();
  const fixVariants = new Map<LintResult, FixVariant[]>();
  const replaced = new Map<LintResult, LintResult>();
  const out = results.map((r) => {
    if (r.model?.set) return r; // a bake or compose build's file: `explain --format html` draws its request with the fixes
    const options = optionsFor(r.source.path);
    const full = r.model ? r : lintText(r.source.text, r.source.path, options);
    const shown: LintResult = { ...r, model: full.model, invocations: full.invocations };
    fixVariants.set(shown, fileFixVariants(full, options));
    replaced.set(r, shown);
    return shown;
  });
  return { results: out, fixVariants, replaced };
}

/** `explain --format html` of one Dockerfile. */
export function explainFileHtml(result: LintResult, name: string, options: LintOptions): string {
  const doc = documentOf(result, name, fileFixVariants(result, options));
  return htmlPage({ title: `mountlint explain: ${name}`, documents: [doc] });
}

/** `explain --format html` of a bake, compose or CI file: one view per request, with the fixes of its whole build. */
export function explainBuildsHtml(name: string, lint: PlanLintResult[], options: LintOptions): string {
  const documents: ViewDocument[] = [];
  for (const l of lint) {
    for (const r of l.requests) {
      const set = r.result?.set;
      if (!r.result || !set) continue;
      const label = r.request.label;
      const view = viewOfBuilds(set.members, set.steps, set.graph, label, label, set.why, r.result.results);
      const diagnostics = r.result.results.flatMap((x) => x.diagnostics);
      documents.push({ name: label, view, fixes: setFixVariants(r.members, options, r.request.why, label, diagnostics), findings: view.findings });
    }
  }
  return htmlPage({ title: `mountlint explain: ${name}`, documents });
}
