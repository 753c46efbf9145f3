/** `mountlint explain FILE`: what BuildKit will do with the file for this build (a Dockerfile, or a bake/compose/CI file: its whole build). */
import { Linter } from '../engine/index.js';
import { explain, explainDot, explainGraphText, explainMermaid, explainModel, explainSet, explainText, textReport, type GraphExplanation } from '../report/index.js';
import type { CliRequest } from './args.js';
import { buildPlans, checkBuilds, splitDefinitions } from './builds.js';
import { lintOptions } from './args.js';
import { problemWith } from './errors.js';
import { readInput } from './files.js';
import { explainBuildsHtml, explainFileHtml } from './html.js';
import { displayPath, useColor, type CliIO } from './io.js';
import { prepareShellParser } from './shell-parser.js';

export async function explainCommand(request: CliRequest, io: CliIO): Promise<number> {
  const path = request.paths[0];
  if (splitDefinitions([path]).definitions.length) return explainBuilds(request, io);
  const { text } = readInput(path);
  const result = await new Linter(lintOptions(request), prepareShellParser).lintFile(text, displayPath(path)).catch((err: unknown) => {
    throw problemWith(displayPath(path), text, err);
  });
  const explanation = explain(result);
  if (!explanation || !result.model) {
    // The file does not build: show why instead.
    io.stderr(textReport([result], { color: useColor(request, io) }));
    return 1;
  }
  if (request.format === 'html') io.stdout(explainFileHtml(result, displayPath(path), lintOptions(request)));
  else if (request.format === 'mermaid' || request.format === 'dot') io.stdout(picture(request.format, explainModel(result.model, displayPath(path))));
  else io.stdout(request.format === 'json' ? JSON.stringify(explanation, null, 2) + '\n' : explainText(displayPath(path), explanation));
  return 0;
}

/** Every request of a bake, compose or CI file: the builds that run together, as one graph each. */
async function explainBuilds(request: CliRequest, io: CliIO): Promise<number> {
  const builds = await checkBuilds({ ...request, fix: false, diff: false }, io, await buildPlans(request, [request.paths[0]], [], io.env));
  const explanations: GraphExplanation[] = [];
  for (const l of builds.lint) for (const r of l.requests) if (r.result?.set) explanations.push(explainSet(r.result.set, r.request.label));
  if (!explanations.length) {
    io.stderr(textReport(builds.results, { color: useColor(request, io) }));
    return 1;
  }
  if (request.format === 'html') io.stdout(explainBuildsHtml(displayPath(request.paths[0]), builds.lint, { ...lintOptions(request), concurrentBuilds: request.concurrentBuilds }));
  else if (request.format === 'json') io.stdout(JSON.stringify(explanations.length === 1 ? explanations[0] : explanations, null, 2) + '\n');
  else if (request.format === 'mermaid' || request.format === 'dot') io.stdout(explanations.map((e) => picture(request.format as 'mermaid' | 'dot', e)).join('\n'));
  else io.stdout(explanations.map(explainGraphText).join('\n'));
  return 0;
}

function picture(format: 'mermaid' | 'dot', e: GraphExplanation): string {
  return format === 'mermaid' ? explainMermaid(e) : explainDot(e);
}
