/** `mountlint check` (the default command): lint files, optionally fix them or show the fixes as a diff. */
import { existsSync, statSync } from 'node:fs';
import { normalize, resolve } from 'node:path';
import { fails } from '../config/index.js';
import { fixText, lintTextLoadingParser, type LintOptions, type LintResult } from '../engine/index.js';
import { unifiedDiff } from '../report/index.js';
import type { Diagnostic } from '../rules/index.js';
import { UsageError, type CliRequest } from './args.js';
import { buildPlans, checkBuilds, splitDefinitions } from './builds.js';
import { findFiles, readInput, writeAtomically } from './files.js';
import { displayPath, type CliIO } from './io.js';
import { writeReports } from './outputs.js';
import { FileSettings } from './settings.js';
import { prepareShellParser } from './shell-parser.js';

/** The options of a run without configuration files (explain, verify, bake/compose builds). */
export function lintOptions(r: CliRequest): LintOptions {
  return { target: r.target, buildArgs: r.buildArgs, platforms: r.platforms, frontend: r.frontend, fixStrategy: r.fixStrategy, unsafeFixes: r.unsafeFixes };
}

export async function checkCommand(request: CliRequest, io: CliIO): Promise<number> {
  const settings = await FileSettings.create(request);
  // Bake, compose and CI files named here or found in a named folder: their Dockerfiles are linted as they build them.
  const { definitions, others } = splitDefinitions(request.paths);
  const folders = others.filter((p) => p !== '-' && existsSync(p) && statSync(p).isDirectory());
  const builds = await checkBuilds(request, io, await buildPlans(request, definitions, folders, io.env));
  const found = (others.length ? findFiles(others, settings.include) : []).filter((f) => f === '-' || !builds.covered.has(normalize(resolve(f))));
  if (found.length === 0 && builds.lint.length === 0) throw new UsageError(`no Dockerfiles found in ${request.paths.join(', ')}`);
  const files = found.filter((path) => !settings.excluded(path));
  const results: LintResult[] = [];
  /** The findings that fail the run, each at its own file's fail level. */
  const failing = new Set<Diagnostic>();
  const add = (path: string, result: LintResult) => {
    const level = settings.failLevelFor(path);
    for (const d of result.diagnostics) if (fails(d.severity, level)) failing.add(d);
    results.push(request.quiet ? { ...result, diagnostics: result.diagnostics.filter((d) => failing.has(d)) } : result);
  };
  for (const result of builds.results) add(result.source.path, result);
  for (const path of files) {
    const options = settings.optionsFor(path);
    const text = readInput(path);
    const linted = await lintTextLoadingParser(text, displayPath(path), options, prepareShellParser);
    let result = linted;
    if (request.fix || request.diff) {
      await prepareShellParser(); // fixing lints again, and a fix may write a script only tree-sitter reads
      const fixed = fixText(text, displayPath(path), options, linted);
      if (request.diff) io.stdout(unifiedDiff(displayPath(path), text, fixed.output));
      else if (fixed.changed) {
        if (path === '-') io.stdout(fixed.output);
        else writeAtomically(path, fixed.output);
      }
      result = fixed.result;
    }
    add(path, result);
  }
  // With --diff or --fix on stdin, stdout carries the patch or file; the report goes to stderr.
  const reportStream = request.diff || (request.fix && files.includes('-')) ? io.stderr : io.stdout;
  writeReports(request, results, { ...io, stdout: reportStream }, (d) => failing.has(d));
  return failing.size > 0 ? 1 : 0;
}
