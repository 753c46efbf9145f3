/**
 * Places in a repository that start separate builds at the same time on one
 * builder, found without `--concurrent-builds`:
 * - a Makefile rule whose prerequisites each run `docker build`, when make
 *   runs with `-j` (`MAKEFLAGS += -j` in the Makefile, or `make -j` in a CI file
 *   or script of the repository) and the Makefile has no `.NOTPARALLEL`;
 * - a shell script, or a GitLab job's script, that starts builds in the
 *   background before a `wait`, or through `xargs -P` / GNU `parallel` with the
 *   items written in it (script-builds.ts reads it with tree-sitter-bash);
 * - a GitLab job whose `parallel: matrix:` instances build on one Docker that is
 *   not their own `docker:dind` service (a remote `DOCKER_HOST`, the runner's socket);
 * - a GitHub workflow job whose matrix legs build on one machine's Docker: a
 *   self-hosted runner, or a shared remote builder (`docker/setup-buildx-action`
 *   with `driver: remote` or an `endpoint`).
 * Each becomes one build request whose targets run together, so that the
 * races between them are found and reported as for a bake file; every target
 * carries the lines that start it (`startedBy`), which findings name as related
 * locations. What cannot be seen from the repository (a runner shared with
 * other projects, builds another repository starts) stays behind
 * `--concurrent-builds`. Nothing is executed: the files are read as text.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { SourceFile, type Range } from '../syntax/index.js';
import { concurrentScriptBuilds, type ConcurrentGroup, type ScriptBuild } from './script-builds.js';
import type { BuildRequest, BuildTarget, DefinitionPlace } from './types.js';
import { commandStep, type CiBuildStep } from './workflows.js';
import { parseYamlFile, type YamlFile } from './yaml.js';
import { isDirectory, isFile } from './paths.js';
import { get, keyOf, scalar } from './workflows.js';

export interface Launchers {
  requests: BuildRequest[];
  /** Files read, for related locations and reports. */
  files: SourceFile[];
  /** What was seen but not analysed, one line each. */
  notes: string[];
}

const MAKEFILES = ['GNUmakefile', 'makefile', 'Makefile'];

/** The files of a folder that may start builds: its Makefile and the shell scripts at its top and in scripts/. */
export function launcherFiles(dir: string): string[] {
  const out: string[] = [];
  const makefile = MAKEFILES.map((n) => join(dir, n)).find(isFile);
  if (makefile) out.push(makefile);
  for (const folder of [dir, join(dir, 'scripts')]) {
    if (!isDirectory(folder)) continue;
    let names: string[];
    try {
      names = readdirSync(folder).sort();
    } catch {
      continue; // an unreadable folder is reported by the file search, at its place
    }
    for (const n of names) if (/\.(?:sh|bash)$/.test(n) && isFile(join(folder, n))) out.push(join(folder, n));
  }
  return out;
}

/**
 * Whether a script may start builds at the same time, by its words alone: only
 * such scripts are parsed (the shell parser is loaded for them, and only then).
 */
export function mayStartConcurrentBuilds(text: string): boolean {
  return /\bdocker\b/.test(text) && /\bbuild\b/.test(text) && /&|\bxargs\b|\bparallel\b/.test(text);
}

/**
 * The concurrent requests of a folder's Makefile and scripts. `ciFiles`: the CI
 * files of the folder (workflows, .gitlab-ci.yml), searched for `make -j`.
 * `prepareParser` loads the shell parser, when a script may start builds at once.
 */
export async function findLaunchers(dir: string, ciFiles: string[], prepareParser: () => Promise<void>): Promise<Launchers> {
  const result: Launchers = { requests: [], files: [], notes: [] };
  // A file that cannot be read starts nothing we can see: said as a note, never a crash.
  const read = (path: string): SourceFile | undefined => {
    try {
      const source = new SourceFile(path, readFileSync(path, 'utf8'));
      result.files.push(source);
      return source;
    } catch (err) {
      result.notes.push(`${path}: not read for builds it starts (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
      return undefined;
    }
  };
  const files = launcherFiles(dir);
  const scripts = files.filter((p) => !MAKEFILES.includes(basename(p))).map(read).filter((s): s is SourceFile => !!s);
  const ci = ciFiles.filter(isFile).map(read).filter((s): s is SourceFile => !!s);
  const makefilePath = files.find((p) => MAKEFILES.includes(basename(p)));
  const makefile = makefilePath ? read(makefilePath) : undefined;
  if (makefile) result.requests.push(...makeRequests(makefile, [...scripts, ...ci], dir));
  for (const s of scripts) {
    if (!mayStartConcurrentBuilds(s.text)) continue;
    await prepareParser();
    const what = `script ${s.path}`;
    // Run from the repository's root (as CI runs `./scripts/build.sh`), or from its own folder when its contexts are there.
    result.requests.push(...scriptRequests(s.text, { what, placeOf: (r) => ({ source: s, range: r }), cwd: [dir, dirname(s.path)], builder: 'one builder' }, result.notes));
  }
  // Only requests with two or more builds start anything at the same time.
  result.requests = result.requests.filter((r) => r.targets.length > 1);
  return result;
}

// --- Makefiles ---------------------------------------------------------------

interface MakeRule {
  targets: string[];
  prerequisites: string[];
  recipe: Array<{ text: string; range: Range }>;
  range: Range;
}

/**
 * A Makefile read only as far as this question needs: simple variables
 * (`A = b`, `A := b`, `A ?= b`), `MAKEFLAGS` with `-j`, `.NOTPARALLEL`, rules and
 * their recipe lines (continuations joined). Conditionals, includes, functions and
 * pattern rules are not evaluated; a recipe line that uses them keeps a `$` and its
 * build is then "not analysed", never guessed (docs/design.md says why this is ours).
 */
function readMakefile(source: SourceFile): { rules: MakeRule[]; vars: Map<string, string>; jobsAt?: Range; notParallel: boolean; defaultGoal?: string } {
  const vars = new Map<string, string>();
  const rules: MakeRule[] = [];
  let jobsAt: Range | undefined;
  let notParallel = false;
  let current: MakeRule | undefined;
  const text = source.text;
  let offset = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i];
    const start = offset;
    offset += line.length + 1;
    while (line.endsWith('\\') && i + 1 < lines.length) {
      i++;
      line = line.slice(0, -1) + ' ' + lines[i].replace(/^\t/, '');
      offset += lines[i].length + 1;
    }
    const range = { start, end: Math.min(offset - 1, text.length) };
    if (line.startsWith('\t') && current) {
      current.recipe.push({ text: line.slice(1).replace(/^[@+-]+/, ''), range });
      continue;
    }
    const code = line.replace(/(^|[^\\])#.*$/, '$1');
    if (!code.trim()) continue;
    current = undefined;
    const assign = /^\s*(?:export\s+|override\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*(\+=|:?:=|\?=|=)\s*(.*)$/.exec(code);
    if (assign) {
      const [, name, op, value] = assign;
      if (name === 'MAKEFLAGS' && /(?:^|\s)-j\d*|--jobs\b/.test(value)) jobsAt ??= range;
      if (op === '+=') vars.set(name, `${vars.get(name) ?? ''} ${value}`.trim());
      else if (op !== '?=' || !vars.has(name)) vars.set(name, value.trim());
      continue;
    }
    const rule = /^([^:=\t][^:=]*?)\s*::?\s*(?!=)(.*)$/.exec(code);
    if (!rule) continue;
    const targets = rule[1].trim().split(/\s+/);
    if (targets.includes('.NOTPARALLEL')) notParallel = true;
    const prerequisites = rule[2].split(';')[0].split('|')[0].trim().split(/\s+/).filter(Boolean);
    current = { targets, prerequisites, recipe: [], range };
    const inline = rule[2].indexOf(';');
    if (inline >= 0) current.recipe.push({ text: rule[2].slice(inline + 1).trim(), range });
    rules.push(current);
  }
  const defaultGoal = rules.find((r) => r.targets.some((t) => !t.startsWith('.') && !t.includes('%')))?.targets[0];
  return { rules, vars, jobsAt, notParallel, defaultGoal };
}

/** `$(A)` and `${A}` from the file's simple variables; `$$` is a shell `$`. Unknown references stay. */
function expand(text: string, vars: Map<string, string>, depth = 0): string {
  if (depth > 5) return text;
  return text
    .replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.]*)\)|\$\{([A-Za-z_][A-Za-z0-9_.]*)\}/g, (all, a, b) => {
      if (all === '$$') return '\u0000';
      const v = vars.get(a ?? b);
      return v === undefined ? all : expand(v, vars, depth + 1);
    })
    .replace(/\u0000/g, '$');
}

/** Where a CI file or script runs `make -j … [goals]`: the goals (empty: the default goal) and the command's place. */
function makeJobsInvocations(texts: SourceFile[]): Array<{ goals: string[]; source: SourceFile; range: Range }> {
  const out: Array<{ goals: string[]; source: SourceFile; range: Range }> = [];
  for (const source of texts) {
    for (const m of source.text.matchAll(/(?:^|[\s;&|(`"'])(make|\$\(MAKE\))((?:[ \t]+[^\s;&|)`"'#]+)*)/gm)) {
      // A comment (`# make -j4 all`) runs nothing.
      const lineStart = source.text.lastIndexOf('\n', m.index ?? 0) + 1;
      if (/(?:^|\s)#/.test(source.text.slice(lineStart, (m.index ?? 0) + 1))) continue;
      const words = m[2].trim().split(/\s+/).filter(Boolean);
      if (!words.some((w) => /^-j\d*$|^--jobs(?:=\d+)?$|^-[A-Za-z]*j\d*$/.test(w) && !w.startsWith('--j') || w.startsWith('--jobs'))) continue;
      const goals = words.filter((w, k) => !w.startsWith('-') && !w.includes('=') && !/^-C$|^-f$/.test(words[k - 1] ?? '') && !/^\d+$/.test(w));
      const start = (m.index ?? 0) + m[0].indexOf(m[1]);
      out.push({ goals, source, range: { start, end: (m.index ?? 0) + m[0].length } });
    }
  }
  return out;
}

function makeRequests(makefile: SourceFile, others: SourceFile[], dir: string): BuildRequest[] {
  const mk = readMakefile(makefile);
  if (mk.notParallel) return [];
  const invocations = makeJobsInvocations(others);
  const goalsRunInParallel = new Map<string, { reason: string; place: DefinitionPlace; message: string }>();
  if (mk.jobsAt) {
    const place = { source: makefile, range: mk.jobsAt };
    for (const r of mk.rules) for (const t of r.targets) goalsRunInParallel.set(t, { reason: `MAKEFLAGS in ${makefile.path} asks for -j`, place, message: 'MAKEFLAGS asks make for -j here: it runs prerequisites at the same time' });
  }
  for (const inv of invocations) {
    const goals = inv.goals.length ? inv.goals : mk.defaultGoal ? [mk.defaultGoal] : [];
    const line = inv.source.positionAt(inv.range.start).line;
    for (const g of goals) goalsRunInParallel.set(g, { reason: `${inv.source.path}:${line} runs make with -j`, place: { source: inv.source, range: inv.range }, message: `make runs "${g}" with -j here` });
  }
  const byTarget = new Map<string, MakeRule>();
  // `.PHONY: all $(IMAGES)` names targets without defining them: the rule with a recipe or prerequisites wins.
  for (const r of mk.rules) for (const t of expand(r.targets.join(' '), mk.vars).split(/\s+/)) if (!t.startsWith('.') && (!byTarget.has(t) || (!byTarget.get(t)!.recipe.length && r.recipe.length))) byTarget.set(t, r);
  const requests: BuildRequest[] = [];
  for (const [goal, jobs] of goalsRunInParallel) {
    const rule = byTarget.get(goal);
    const prerequisites = rule ? expand(rule.prerequisites.join(' '), mk.vars).split(/\s+/).filter(Boolean) : [];
    if (!rule || prerequisites.length < 2) continue;
    const rulePlace = { place: { source: makefile, range: rule.range }, message: `make builds the prerequisites of "${goal}" (${prerequisites.join(', ')}) at the same time` };
    const targets: BuildTarget[] = [];
    for (const p of prerequisites) {
      const pre = byTarget.get(p);
      if (!pre) continue;
      for (const line of pre.recipe) {
        for (const command of expand(line.text, mk.vars).split(/\s*(?:&&|;|\|\|)\s*/)) {
          const place = { source: makefile, range: line.range };
          const step = commandStep(command, `${makefile.path} target "${pre.targets[0]}"`, place, dir);
          if (step?.kind !== 'build') continue;
          targets.push({
            ...step.target,
            label: `make target "${pre.targets[0]}" of ${makefile.path}`,
            startedBy: [{ place: jobs.place, message: jobs.message }, rulePlace, { place, message: `make target "${pre.targets[0]}" starts this build` }],
          });
        }
      }
    }
    if (targets.length < 2) continue;
    requests.push({
      label: `make -j ${goal}`,
      why: `make runs the prerequisites of "${goal}" at the same time (${jobs.reason}), and each starts a separate build on one builder`,
      targets,
      definedAt: { source: makefile, range: rule.range },
      separateBuilds: true,
    });
  }
  return requests;
}

// --- shell scripts ---------------------------------------------------------------

/** Where a script's builds run, and what a message calls it. */
interface ScriptContext {
  /** `script build.sh`, `.gitlab-ci.yml job "images"`. */
  what: string;
  /** Turns a range of the script's text into a place in its file (a GitLab job's script is in a YAML file). */
  placeOf: (r: Range) => DefinitionPlace;
  /** The folders it may run in: its builds' contexts are under the first that has their Dockerfile. */
  cwd: string[];
  /** The Docker its builds run on, for messages: `one builder`, `its docker:27-dind service`. */
  builder: string;
}

/** The requests of a script's concurrent groups. `vars`: variables set before it runs (a CI job's). */
function scriptRequests(text: string, context: ScriptContext, notes: string[], vars?: Map<string, string>): BuildRequest[] {
  const { placeOf } = context;
  const reading = concurrentScriptBuilds(text, vars);
  for (const n of reading.notes) {
    const place = placeOf(n.range);
    const at = place.source.positionAt(place.range.start);
    notes.push(`${place.source.path}:${at.line}:${at.column}: ${n.text}`);
  }
  return reading.groups.flatMap((g) => groupRequests(g, context, notes));
}

/** How many requests one group may become (jobs of several builds each: one request per combination). */
const MAX_COMBINATIONS = 16;

function groupRequests(group: ConcurrentGroup, { what, placeOf, cwd, builder }: ScriptContext, notes: string[]): BuildRequest[] {
  const lineOf = (r: Range) => {
    const p = placeOf(r);
    return p.source.positionAt(p.range.start).line;
  };
  const end = group.endsAt && group.how === 'background' ? { place: placeOf(group.endsAt), message: `waits here for the builds started before it` } : undefined;
  const jobs = group.jobs
    .map((job) =>
      job.flatMap((b) => {
        const place = placeOf(b.range);
        const step = buildIn(b.command, what, place, cwd);
        if (!step) return [];
        const message = { background: 'starts this build in the background', foreground: 'runs this build while the builds in the background run', 'fan-out': `${group.how} ${group.limit ?? ''}`.trimEnd() + ' runs this build for each item at the same time' }[b.how];
        const target: BuildTarget = { ...step.target, label: `${what} line ${lineOf(b.range)}${b.how === 'fan-out' ? ` (${itemOf(b)})` : ''}`, startedBy: [{ place, message }, ...(end ? [end] : [])] };
        return [target];
      }),
    )
    .filter((j) => j.length);
  if (jobs.length < 2) return [];
  const count = jobs.reduce((n, j) => n * j.length, 1);
  if (count > MAX_COMBINATIONS) {
    const at = placeOf(group.jobs[0][0].range);
    const pos = at.source.positionAt(at.range.start);
    notes.push(`${at.source.path}:${pos.line}:${pos.column}: ${jobs.length} jobs in the background run ${jobs.reduce((n, j) => n + j.length, 0)} builds, one after the other in each job: too many combinations to analyse (${count}); use --concurrent-builds with the Dockerfiles they build`);
    return [];
  }
  // Builds of one job run one after the other: each request takes one build of every job.
  let combinations: BuildTarget[][] = [[]];
  for (const job of jobs) combinations = combinations.flatMap((c) => job.map((t) => [...c, t]));
  const first = placeOf(group.jobs[0][0].range);
  const how =
    group.how === 'background'
      ? `starts ${jobs.length} builds in the background (\`&\`)${group.endsAt ? ` before it waits for them (line ${lineOf(group.endsAt)})` : ''}, so they run at the same time on ${builder}`
      : `runs ${jobs.length} builds at once with ${group.how}${group.limit ? ` ${group.limit}` : ''} (line ${lineOf(group.endsAt!)}), each a separate build on ${builder}`;
  return combinations.map((targets) => ({
    label: `${what}: builds ${group.how === 'background' ? 'in the background' : `by ${group.how}`}`,
    why: `${what} ${how}`,
    targets,
    definedAt: { source: first.source, range: group.endsAt ? placeOf(group.endsAt).range : first.range },
    separateBuilds: true,
  }));
}

/** A build command run in the first of `folders` where its Dockerfile is (the first one when none has it). */
function buildIn(command: string, what: string, place: DefinitionPlace, folders: string[]): CiBuildStep | undefined {
  const steps = [...new Set(folders)].map((cwd) => commandStep(command, what, place, cwd)).filter((s): s is CiBuildStep => s?.kind === 'build');
  return steps.find((s) => s.target.unknown || isFile(s.target.dockerfile)) ?? steps[0];
}

/** The item an xargs/parallel build was started for: its context, as a short name. */
function itemOf(b: ScriptBuild): string {
  return b.command.split(' ').pop() ?? '';
}

// --- GitLab CI ------------------------------------------------------------------

/**
 * The concurrent requests of a GitLab CI file:
 * - a job whose script (its `before_script` and `script`, run by one shell)
 *   starts builds at the same time, on the job's Docker (its dind service);
 * - a job whose `parallel: matrix:` instances each build, on one Docker they share:
 *   a `DOCKER_HOST` that is not the job's own dind service, or the runner's Docker
 *   (no dind service: the socket the runner binds in, shared by the jobs it runs).
 */
export function gitlabConcurrentRequests(source: SourceFile, dir: string, notes: string[]): BuildRequest[] {
  let yaml: YamlFile;
  try {
    yaml = parseYamlFile(source, false);
  } catch {
    return []; // gitlabSteps reports invalid YAML at its place
  }
  const root = yaml.entries(yaml.root);
  if (!root) return [];
  const top = new Map(root.map((e) => [e.key, e.value]));
  const defaults = yaml.entries(top.get('default'));
  const globalVars = variablesOf(yaml, top.get('variables'));
  const out: BuildRequest[] = [];
  for (const job of root) {
    if (job.key.startsWith('.') || ['default', 'variables', 'stages', 'include', 'workflow', 'image', 'services', 'before_script', 'after_script', 'cache'].includes(job.key)) continue;
    const get = (key: string) => jobValue(yaml, top, job.value, key) ?? (defaults?.find((e) => e.key === key)?.value ?? top.get(key));
    const script = scriptOf(yaml, source, [get('before_script'), get('script')]);
    if (!script || !mayStartConcurrentBuildsInJob(script.text)) continue;
    const vars = new Map([...globalVars, ...variablesOf(yaml, get('variables'))]);
    const what = `${source.path} job "${job.key}"`;
    const dind = servicesOf(yaml, get('services')).find((s) => /(^|\/)docker:[^\s]*dind/.test(s));
    const own = script.text;
    out.push(...scriptRequests(own, { what, placeOf: script.placeOf, cwd: [dir], builder: dind ? `its ${dind} service` : 'one builder' }, notes, vars));
    const matrix = matrixOf(yaml, jobValue(yaml, top, job.value, 'parallel'));
    if (!matrix.length) continue;
    const host = vars.get('DOCKER_HOST');
    const ownService = dind && (host === undefined || /^tcp:\/\/(?:docker|localhost|127\.0\.0\.1)(?::\d+)?\/?$/.test(host));
    const remote = /docker buildx create\b[^\n]*(?:--driver[ =]remote)/.test(own);
    if (ownService && !remote) continue;
    const shared = remote ? 'a remote builder its script sets up' : host && !ownService ? `the Docker at DOCKER_HOST=${host}` : "the runner's own Docker (no docker:dind service), which the instances that one runner serves share";
    const jobPlace = { place: { source, range: yaml.range(jobValue(yaml, top, job.value, 'parallel')) }, message: `parallel: matrix starts the instances of job "${job.key}" at the same time, on ${shared}` };
    const targets: BuildTarget[] = [];
    for (const entry of matrix) {
      const reading = concurrentScriptBuilds(own, new Map([...vars, ...Object.entries(entry)]));
      const name = Object.entries(entry).map(([k, v]) => `${k}=${v}`).join(', ');
      for (const b of reading.builds) {
        const place = script.placeOf(b.range);
        const step = commandStep(b.command, `${what} (matrix ${name})`, place, dir);
        if (step?.kind !== 'build') continue;
        targets.push({ ...step.target, label: `${what} (matrix ${name})`, startedBy: [jobPlace, { place, message: `builds here in each instance (this one: ${name})` }] });
      }
    }
    if (targets.length > 1) out.push({ label: `${what}: parallel matrix`, why: `the instances of job "${job.key}" of ${source.path} run at the same time (parallel: matrix) on ${shared}`, targets, definedAt: jobPlace.place, separateBuilds: true });
  }
  return out.filter((r) => r.targets.length > 1);
}

function mayStartConcurrentBuildsInJob(text: string): boolean {
  return /\bdocker\b/.test(text) && /\bbuild\b/.test(text);
}

/** A key of a job, through `extends` (the job's own value first, then its templates', the last template first). */
function jobValue(yaml: YamlFile, top: Map<string, YamlNode | null>, job: YamlNode | null, key: string, depth = 0): YamlNode | null | undefined {
  const own = yaml.get(job, key);
  if (own !== undefined || depth > 10) return own;
  const ext = yaml.get(job, 'extends');
  const names = yaml.items(ext)?.map((i) => yaml.scalar(i)).filter((s): s is string => !!s) ?? (yaml.scalar(ext) ? [yaml.scalar(ext)!] : []);
  for (const name of [...names].reverse()) {
    const found = jobValue(yaml, top, top.get(name) ?? null, key, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

function variablesOf(yaml: YamlFile, node: YamlNode | null | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of yaml.entries(node) ?? []) {
    const v = yaml.scalar(e.value) ?? yaml.scalar(yaml.get(e.value, 'value'));
    if (v !== undefined) out.set(e.key, v);
  }
  return out;
}

function servicesOf(yaml: YamlFile, node: YamlNode | null | undefined): string[] {
  return (yaml.items(node) ?? []).map((s) => yaml.scalar(s) ?? yaml.scalar(yaml.get(s, 'name')) ?? '').filter(Boolean);
}

/** The entries of `parallel: matrix:` (each a list of variables with one value or a list of values). */
function matrixOf(yaml: YamlFile, node: YamlNode | null | undefined): Array<Record<string, string>> {
  const out: Array<Record<string, string>> = [];
  for (const item of yaml.items(yaml.get(node, 'matrix')) ?? []) {
    let entries: Array<Record<string, string>> = [{}];
    for (const e of yaml.entries(item) ?? []) {
      const values = yaml.items(e.value)?.map((v) => yaml.scalar(v)) ?? [yaml.scalar(e.value)];
      if (values.some((v) => v === undefined)) return [];
      entries = entries.flatMap((x) => values.map((v) => ({ ...x, [e.key]: v! })));
    }
    out.push(...entries.filter((x) => Object.keys(x).length));
  }
  return out;
}

/**
 * A job's script lines as one shell text (GitLab runs them in one shell), with
 * where each line is in the YAML file: a block scalar's lines are found in the
 * file's text after its start; a line not found there is placed at its item.
 */
function scriptOf(yaml: YamlFile, source: SourceFile, nodes: Array<YamlNode | null | undefined>): { text: string; placeOf: (r: Range) => DefinitionPlace } | undefined {
  const lines: Array<{ at: number; length: number; source: number; found: boolean; item: Range }> = [];
  let text = '';
  for (const node of nodes) {
    const items = yaml.items(node) ?? (yaml.scalar(node) !== undefined ? [node!] : []);
    for (const item of items) {
      const value = yaml.scalar(item);
      if (value === undefined) continue;
      const range = yaml.range(item);
      let cursor = range.start;
      for (const line of value.split('\n')) {
        const found = line.trim() ? source.text.indexOf(line.trim(), cursor) : -1;
        const inside = found >= 0 && found < range.end;
        const lead = line.length - line.trimStart().length;
        lines.push({ at: text.length + lead, length: line.trim().length, source: inside ? found : range.start, found: inside, item: range });
        if (inside) cursor = found + line.trim().length;
        text += line + '\n';
      }
    }
  }
  if (!text.trim()) return undefined;
  const map = (offset: number) => {
    let best = lines[0];
    for (const l of lines) if (l.at <= offset) best = l;
    return best.found ? best.source + Math.min(Math.max(0, offset - best.at), best.length) : best.item.start;
  };
  return { text, placeOf: (r) => ({ source, range: { start: map(r.start), end: Math.max(map(r.start), map(Math.max(r.start, r.end - 1)) + 1) } }) };
}

// --- GitHub workflows -----------------------------------------------------------


function yamlRoot(source: SourceFile): YamlNode | null | undefined {
  const doc = parseDocument(source.text, { lineCounter: new LineCounter(), prettyErrors: false, merge: true });
  // The CI readers report invalid YAML at its place; here such a file has nothing to add.
  return doc.errors.length ? undefined : (doc.contents as YamlNode | null);
}

/** A job whose matrix legs share one Docker: why, and the place that says so (its `runs-on`, its setup-buildx step). */
export interface SharedBuilderJob {
  why: string;
  place: DefinitionPlace;
  message: string;
}

/**
 * The jobs of a GitHub workflow whose matrix legs build on one Docker, with why:
 * the job runs on a self-hosted runner (its labels include `self-hosted`), or sets
 * up buildx on a shared remote builder. GitHub starts the legs at the same time
 * (unless `max-parallel: 1`), so their builds are one request (src/builds/plan.ts).
 */
export function sharedBuilderJobs(source: SourceFile): Map<string, SharedBuilderJob> {
  const found = new Map<string, SharedBuilderJob>();
  const jobs = get(yamlRoot(source), 'jobs');
  if (!isMap(jobs)) return found;
  const placeOf = (node: YamlNode | null | undefined) => ({ source, range: node?.range ? { start: node.range[0], end: node.range[1] } : { start: 0, end: 0 } });
  for (const jobPair of jobs.items) {
    const job = jobPair.value as YamlNode;
    const steps = get(job, 'steps');
    const strategy = get(job, 'strategy');
    if (!isSeq(steps) || !isMap(get(strategy, 'matrix')) || scalar(get(strategy, 'max-parallel')) === '1') continue;
    const runsOn = get(job, 'runs-on');
    const labels = isSeq(runsOn) ? runsOn.items.map((i) => scalar(i as YamlNode) ?? '') : [scalar(runsOn) ?? ''];
    const remote = steps.items.find((step) => {
      const uses = scalar(get(step as YamlNode, 'uses')) ?? '';
      const input = get(step as YamlNode, 'with');
      return /^docker\/setup-buildx-action@/.test(uses) && (scalar(get(input, 'driver')) === 'remote' || scalar(get(input, 'endpoint')) !== undefined);
    }) as YamlNode | undefined;
    const name = keyOf(jobPair);
    if (remote) found.set(name, { why: 'its matrix legs build on one shared remote builder (docker/setup-buildx-action with driver: remote)', place: placeOf(remote), message: `every matrix leg of job "${name}" builds on the remote builder set up here, at the same time` });
    else if (labels.includes('self-hosted')) found.set(name, { why: `its matrix legs run at the same time on self-hosted runners (runs-on: ${labels.join(', ')}), which share one Docker engine where one machine serves them`, place: placeOf(runsOn), message: `the matrix legs of job "${name}" run here at the same time, on one Docker where one machine serves them` });
  }
  return found;
}
