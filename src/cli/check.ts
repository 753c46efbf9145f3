/** `mountlint check` (the default command): lint files, optionally fix them or show the fixes as a diff. */
import { fixText, lintTextLoadingParser, type LintOptions, type LintResult } from '../engine/index.js';
import { jsonReport, textReport, unifiedDiff } from '../report/index.js';
import { UsageError, type CliRequest } from './args.js';
import { existsSync, statSync } from 'node:fs';
import { normalize, resolve } from 'node:path';
import { buildPlans, checkBuilds, splitDefinitions } from './builds.js';
import { findFiles, readInput, writeAtomically } from './files.js';
import { displayPath, useColor, type CliIO } from './io.js';
import { prepareShellParser } from './shell-parser.js';

export function lintOptions(r: CliRequest): LintOptions {
  return { target: r.target, buildArgs: r.buildArgs, platforms: r.platforms, frontend: r.frontend, fixStrategy: r.fixStrategy, unsafeFixes: r.unsafeFixes };
}

export async function checkCommand(request: CliRequest, io: CliIO): Promise<number> {
  // Bake, compose and CI files named here or found in a named folder: their Dockerfiles are linted as they build them.
  const { definitions, others } = splitDefinitions(request.paths);
  const folders = others.filter((p) => p !== '-' && existsSync(p) && statSync(p).isDirectory());
  const builds = await checkBuilds(request, io, await buildPlans(request, definitions, folders, io.env));
  const files = (others.length ? findFiles(others) : []).filter((f) => f === '-' || !builds.covered.has(normalize(resolve(f))));
  if (files.length === 0 && builds.lint.length === 0) throw new UsageError(`no Dockerfiles found in ${request.paths.join(', ')}`);
  const options = lintOptions(request);
  const results: LintResult[] = [...builds.results];
  for (const path of files) {
    const text = readInput(path);
    const linted = await lintTextLoadingParser(text, displayPath(path), options, prepareShellParser);
    if (request.fix || request.diff) {
      await prepareShellParser(); // fixing lints again, and a fix may write a script only tree-sitter reads
      const fixed = fixText(text, displayPath(path), options, linted);
      if (request.diff) io.stdout(unifiedDiff(displayPath(path), text, fixed.output));
      else if (fixed.changed) {
        if (path === '-') io.stdout(fixed.output);
        else writeAtomically(path, fixed.output);
      }
      results.push(fixed.result);
    } else {
      results.push(linted);
    }
  }
  const report = request.format === 'json' ? jsonReport(results) : textReport(results, { color: useColor(request, io) });
  // With --diff or --fix on stdin, stdout carries the patch or file; the report goes to stderr.
  if (request.diff || (request.fix && files.includes('-'))) io.stderr(report);
  else io.stdout(report);
  return results.some((r) => r.diagnostics.some((d) => d.severity === 'error')) ? 1 : 0;
}
