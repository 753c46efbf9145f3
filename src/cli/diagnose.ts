/**
 * `mountlint diagnose [LOG | -]`: a failed build's log → the cause. The log
 * is streamed (bounded memory, whatever its size); the Dockerfile comes from
 * -f, or from the log's `load build definition from …` in the working
 * directory, or for bake/compose from the definition files there (as check
 * finds a folder's own). Without one, the log alone is diagnosed and the
 * report says what is missing. Exit 0: no cache failure; 1: a cache failure
 * diagnosed; 2: unreadable input or not a build log.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { basename, normalize, resolve } from 'node:path';
import { readBuildPlan, requestMembers, type BuildTarget } from '../builds/index.js';
import { diagnose, partsOf, readLog, UnreadableLog, type BuildModelSource, type DiagnoseResult, type LogReading } from '../diagnose/index.js';
import { applyFixes } from '../edits/index.js';
import { lintBuildSet, lintText, oneChangePerCache, type LintOptions, type LintResult } from '../engine/index.js';
import { diagnoseGithub, diagnoseJson, diagnoseMarkdown, diagnoseSarif, diagnoseText } from '../report/index.js';
import type { CliRequest } from './args.js';
import { lintOptions } from './args.js';
import { FileProblem } from './errors.js';
import { readInput, type Input } from './files.js';
import { deliverFixes } from './fix-output.js';
import type { CliIO } from './io.js';
import { prepareShellParser } from './shell-parser.js';
import { version } from './version.js';

const DEFINITION_NAMES = ['docker-bake.hcl', 'docker-bake.json', 'docker-bake.override.hcl', 'compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'];

export async function diagnoseCommand(request: CliRequest, io: CliIO): Promise<number> {
  const stdin = io.stdin ?? process.stdin;
  const path = request.paths[0];
  const name = path === '-' ? '<stdin>' : path;
  if (path === '-' && !io.stdin && process.stdin.isTTY) {
    io.stderr('mountlint: diagnose reads a build log: give its file (mountlint diagnose build.log), or pipe it in (docker buildx build --progress=plain . 2>&1 | mountlint diagnose)\n');
    return 2;
  }
  let reading: LogReading;
  try {
    reading = await readLog(path === '-' ? stdin : openLog(path), name);
  } catch (err) {
    if (err instanceof UnreadableLog || err instanceof FileProblem) {
      io.stderr(`mountlint: ${err.message}\n`);
      return 2;
    }
    const e = err as NodeJS.ErrnoException;
    if (e.code) {
      io.stderr(`mountlint: ${name}: ${e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'is a directory' : e.code === 'EACCES' ? 'permission denied' : e.message}\n`);
      return 2;
    }
    throw err;
  }
  if (!reading.log.steps.length && !reading.log.error && !reading.errors.length) {
    io.stderr(`mountlint: ${name} is not a build log: it has none of BuildKit's "#N" progress lines (capture the build with --progress=plain, e.g. docker buildx build --progress=plain … 2>&1 | tee build.log)\n`);
    return 2;
  }
  await prepareShellParser();
  const options = optionsFor(request, reading);
  const model = modelFor(request, reading, options, io);
  const result = diagnose(reading, await model);
  const root = process.cwd();

  if (request.fix || request.diff) {
    const fixed = fixDiagnosed(result);
    const delivered = deliverFixes([...fixed].map(([path, { after, input }]) => ({ path, input, output: after })), { ...request, format: 'text' }, io);
    const problems = [...delivered.values()].flatMap((d) => (d.problem ? [d.problem] : []));
    for (const p of problems) io.stderr(`mountlint: ${p.message}\n`);
    if (problems.length) return 2;
    if (request.fix) for (const file of fixed.keys()) io.stderr(`mountlint: fixed ${file}\n`);
    if (!fixed.size && result.diagnoses.some((d) => d.verdict !== 'not-cache')) io.stderr('mountlint: nothing in the Dockerfile to fix for this diagnosis (see the advice above)\n');
    if (request.diff) return exitCode(result);
  }
  io.stdout(render(request.format, name, result, root));
  return exitCode(result);
}

function exitCode(r: DiagnoseResult): number {
  return r.diagnoses.some((d) => d.verdict !== 'not-cache') ? 1 : 0;
}

function render(format: CliRequest['format'], name: string, r: DiagnoseResult, root: string): string {
  switch (format) {
    case 'json':
      return diagnoseJson(r, root);
    case 'github':
      return diagnoseGithub(r, root);
    case 'markdown':
      return diagnoseMarkdown(name, r, root);
    case 'sarif':
      return diagnoseSarif(r, root, version());
    default:
      return diagnoseText(name, r, root);
  }
}

function openLog(path: string): AsyncIterable<Buffer> {
  const stat = statSync(path);
  if (stat.isDirectory()) throw new FileProblem(path, 'is a directory, not a build log');
  return createReadStream(path, { highWaterMark: 256 * 1024 });
}

/** The build's options as the log shows them: its platforms (several at once: a multi-platform build). */
function optionsFor(request: CliRequest, reading: LogReading): LintOptions {
  const base = lintOptions(request);
  if (!base.platforms) {
    // A cross step's `linux/amd64->arm64` builds for linux/arm64.
    const target = (p: string) => (p.includes('->') ? `${p.split('/')[0]}/${p.split('->')[1]}` : p);
    const seen = [...new Set(reading.log.steps.map((s) => partsOf(s, new Set()).platform).filter((p): p is string => !!p).map(target))];
    if (seen.length > 1) base.platforms = seen.sort();
  }
  return base;
}

/** The Dockerfile(s) of the logged build, linted; what was not found goes to `missing`. */
async function modelFor(request: CliRequest, reading: LogReading, options: LintOptions, io: CliIO): Promise<BuildModelSource> {
  const missing: string[] = [];
  const bake = reading.definitions.some((d) => d.target);
  let file = request.file;
  if (!file && bake) file = DEFINITION_NAMES.find((n) => existsSync(n));
  if (!file && !bake) {
    const logged = reading.definitions[0]?.file;
    if (logged && existsSync(logged) && statSync(logged).isFile()) file = logged;
    else if (logged) missing.push(`the Dockerfile (the log's "load build definition from ${logged}") is not in ${process.cwd()}: diagnosed from the log alone; give it with -f to map steps to lines and confirm with check`);
    else missing.push('the log does not say which Dockerfile it built: diagnosed from the log alone; give it with -f');
  }
  if (!file) {
    if (bake) missing.push(`no bake or compose file (${DEFINITION_NAMES.slice(0, 4).join(', ')}…) in ${process.cwd()}: diagnosed from the log alone; give it with -f`);
    return { forStep: () => undefined, missing };
  }
  if (DEFINITION_NAMES.includes(basename(file)) || /\.(hcl|ya?ml)$/.test(file) || (bake && /\.json$/.test(file))) return bakeModel(file, request, options, missing, io);
  const { text } = readInput(file);
  const result = lintText(text, file, options);
  return { forStep: () => result, missing };
}

async function bakeModel(file: string, request: CliRequest, options: LintOptions, missing: string[], io: CliIO): Promise<BuildModelSource> {
  const plan = await readBuildPlan([file], { env: io.env, bakeTargets: request.bakeTargets, services: request.services });
  const results = new Map<string, LintResult>();
  const targets = new Map<string, string>();
  for (const r of plan.requests) {
    const notes: string[] = [];
    const { members, targets: used } = requestMembers(r, notes);
    missing.push(...notes);
    const set = lintBuildSet(members, options, r.why);
    for (const result of set.results) results.set(normalize(resolve(result.source.path)), result);
    used.forEach((t: BuildTarget, i) => targets.set(t.name, normalize(resolve(members[i].path))));
  }
  return {
    forStep: (parts) => (parts.target ? results.get(targets.get(parts.target) ?? '') : results.size === 1 ? [...results.values()][0] : undefined),
    missing,
  };
}

/** The fixes of the findings diagnosed as the cause, applied as check --fix makes them (one change per cache). */
function fixDiagnosed(r: DiagnoseResult): Map<string, { before: string; after: string; input: Input }> {
  const byFile = new Map<string, Array<NonNullable<DiagnoseResult['diagnoses'][number]['fix']>>>();
  for (const d of r.diagnoses) {
    if (!d.finding) continue;
    for (const fix of d.fixes) {
      for (const edit of fix.edits) {
        const path = edit.file?.path ?? d.finding.file.path;
        const list = byFile.get(path) ?? [];
        if (!list.includes(fix)) list.push(fix);
        byFile.set(path, list);
      }
    }
  }
  const out = new Map<string, { before: string; after: string; input: Input }>();
  for (const [path, fixes] of byFile) {
    const input = readInput(path);
    const before = input.text;
    const edits = oneChangePerCache(fixes).map((f) => f.edits.filter((e) => (e.file?.path ?? path) === path));
    const after = applyFixes(before, edits).output;
    if (after !== before) out.set(path, { before, after, input });
  }
  return out;
}
