/**
 * `mountlint check` (the default command): lint files, optionally fix them
 * or show the fixes as a diff. A file that cannot be found, read or written
 * is one line on stderr naming it and the cause; the other files are still
 * checked and reported, and the run exits 2.
 *
 * --fix, for each file on its own: all of its fixes are written or none
 * (a new file renamed over the old one). The report then shows what stays
 * on disk: the findings left after the fix where the file was written, the
 * file's findings where it was not, and it lists the files fixed and those
 * not written, with why. --diff writes nothing: the report and the exit
 * code are those of the files as they are.
 */
import { existsSync, statSync } from 'node:fs';
import { normalize, resolve } from 'node:path';
import { fails } from '../config/index.js';
import type { LintResult } from '../engine/index.js';
import type { FileOutcome, FixVariant } from '../report/index.js';
import type { Diagnostic } from '../rules/index.js';
import type { CliRequest } from './args.js';
import { UsageError, type FileProblem } from './errors.js';
import { buildPlans, concurrentFilesPlan, splitDefinitions } from './builds.js';
import { withModels } from './html.js';
import { findFiles } from './files.js';
import type { CliIO } from './io.js';
import { LintRun } from './run.js';
import { writeReports } from './outputs.js';
import { FileSettings } from './settings.js';

export async function checkCommand(request: CliRequest, io: CliIO): Promise<number> {
  const settings = await FileSettings.create(request);
  const results: LintResult[] = [];
  const outcomes = new Map<LintResult, FileOutcome>();
  const failures: Array<{ path: string; error: string }> = [];
  /** The findings that fail the run, each at its own file's fail level. */
  const failing = new Set<Diagnostic>();
  const add = (path: string, result: LintResult, outcome?: FileOutcome) => {
    const level = settings.failLevelFor(path);
    for (const d of result.diagnostics) if (fails(d.severity, level)) failing.add(d);
    const shown = request.quiet ? { ...result, diagnostics: result.diagnostics.filter((d) => failing.has(d)) } : result;
    results.push(shown);
    if (outcome) outcomes.set(shown, outcome);
  };
  const fail = (p: FileProblem, linted?: LintResult) => {
    io.stderr(`mountlint: ${p.message}\n`);
    if (!linted) failures.push({ path: p.path, error: p.reason });
  };

  // Bake, compose and CI files named here or found in a named folder: their Dockerfiles are linted as they build them.
  const { definitions, others } = splitDefinitions(request.paths);
  const folders = others.filter((p) => p !== '-' && existsSync(p) && statSync(p).isDirectory());
  let files: string[] = [];
  // Every unit of work (a build, a Dockerfile) goes through one run: its lanes, result cache, plan cache and fix writer.
  const run = new LintRun(request, io, settings);
  try {
    const builds = await run.builds(await buildPlans(request, definitions, folders, io.env));
    const found = others.length ? findFiles(others, settings.include) : { files: [], problems: [] };
    // Dockerfiles of a definition mountlint could not fully read are linted on their own (a warning said why).
    for (const path of builds.alone) if (!found.files.some((f) => normalize(resolve(f)) === normalize(resolve(path)))) found.files.push(path);
    const candidates = found.files.filter((f) => f === '-' || !builds.covered.has(normalize(resolve(f))));
    if (candidates.length === 0 && found.problems.length === 0 && builds.lint.length === 0) throw new UsageError(`no Dockerfiles found in ${request.paths.join(', ')}`);
    files = candidates.filter((path) => !settings.excluded(path));
    // --concurrent-builds on Dockerfiles: separate builds of them run at the same time on one builder.
    const separate = request.concurrentBuilds ? files.filter((f) => f !== '-') : [];
    if (separate.length) {
      const more = await run.builds([concurrentFilesPlan(separate)]);
      builds.lint.push(...more.lint);
      builds.results.push(...more.results);
      files = files.filter((f) => f === '-');
    }

    for (const p of found.problems) fail(p);
    for (const result of builds.results) {
      const done = builds.delivered?.get(result.source.path);
      if (done?.problem) fail(done.problem, result);
      add(result.source.path, result, done?.outcome);
    }
    for await (const { path, result, outcome, problem } of run.dockerfiles(files)) {
      if (problem) fail(problem, result);
      if (result) add(path, result, outcome);
    }
  } finally {
    await run.close();
  }
  // With --diff as text, or --fix on stdin, stdout carries the patch or the file; the report goes to stderr.
  const reportStream = (request.diff && request.format === 'text') || (request.fix && files.includes('-')) ? io.stderr : io.stdout;
  // The HTML page draws each file's build: results from worker lanes carry no model, so those files are modelled again.
  let shownResults = results;
  let fixVariants: Map<LintResult, FixVariant[]> | undefined;
  if (request.outputs.some((o) => o.format === 'html')) {
    const drawn = await withModels(results, (path) => settings.optionsFor(path === '<stdin>' ? '-' : path));
    shownResults = drawn.results;
    fixVariants = drawn.fixVariants;
    for (const [from, to] of drawn.replaced) if (outcomes.has(from)) outcomes.set(to, outcomes.get(from)!);
  }
  writeReports(request, shownResults, { ...io, stdout: reportStream }, (d) => failing.has(d), { outcomes, failures, fixVariants });
  const notWritten = [...outcomes.values()].some((o) => o.error);
  return failures.length || notWritten ? 2 : failing.size > 0 ? 1 : 0;
}
