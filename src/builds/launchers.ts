/**
 * Places in a repository that start separate builds at the same time on one
 * builder, found without `--concurrent-builds`:
 * - a Makefile rule whose prerequisites each run `docker build`, when make
 *   runs with `-j` (`MAKEFLAGS += -j` in the Makefile, or `make -j` in a CI file
 *   or script of the repository) and the Makefile has no `.NOTPARALLEL`;
 * - a shell script (or a GitLab job's script) that backgrounds builds
 *   (`docker build … &`) before a `wait`;
 * - a GitHub workflow job whose matrix legs build on one machine's Docker: a
 *   self-hosted runner, or a shared remote builder (`docker/setup-buildx-action`
 *   with `driver: remote` or an `endpoint`).
 * Each becomes one build request whose targets run together, so that the
 * races between them are found and reported as for a bake file. What cannot
 * be seen from the repository (a runner shared with other projects, builds
 * another repository starts) stays behind `--concurrent-builds`.
 * `xargs -P` and GNU `parallel` are noted, not analysed: the builds they start
 * are named by their input, not by the script.
 * Nothing is executed: the files are read as text.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { SourceFile } from '../syntax/index.js';
import type { BuildRequest, BuildTarget } from './types.js';
import { isDirectory, isFile } from './paths.js';
import { commandStep, get, keyOf, scalar } from './workflows.js';

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
 * The concurrent requests of a folder's Makefile, scripts and GitLab jobs. `ciFiles`: the
 * CI files of the folder (workflows, .gitlab-ci.yml), searched for `make -j` too.
 */
export function findLaunchers(dir: string, ciFiles: string[]): Launchers {
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
  for (const s of scripts) result.requests.push(...backgroundedBuilds(s, s.text, { start: 0, end: s.text.length }, `script ${s.path}`, dirname(s.path), result.notes));
  for (const s of ci) {
    if (/(^|[\\/])\.gitlab-ci\.ya?ml$/.test(s.path)) result.requests.push(...gitlabJobs(s, dir, result.notes));
  }
  // Only requests with two or more builds start anything at the same time.
  result.requests = result.requests.filter((r) => r.targets.length > 1);
  return result;
}

// --- Makefiles ---------------------------------------------------------------

interface MakeRule {
  targets: string[];
  prerequisites: string[];
  recipe: Array<{ text: string; range: { start: number; end: number } }>;
  range: { start: number; end: number };
}

/**
 * A Makefile read only as far as this question needs: simple variables
 * (`A = b`, `A := b`, `A ?= b`), `MAKEFLAGS` with `-j`, `.NOTPARALLEL`, rules and
 * their recipe lines (continuations joined). Conditionals, includes, functions and
 * pattern rules are not evaluated; a recipe line that uses them keeps a `$` and its
 * build is then "not analysed", never guessed (docs/design.md says why this is ours).
 */
function readMakefile(source: SourceFile): { rules: MakeRule[]; vars: Map<string, string>; jobs: boolean; notParallel: boolean; defaultGoal?: string } {
  const vars = new Map<string, string>();
  const rules: MakeRule[] = [];
  let jobs = false;
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
    const range = { start, end: offset - 1 };
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
      if (name === 'MAKEFLAGS' && /(?:^|\s)-j\d*|--jobs\b/.test(value)) jobs = true;
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
  return { rules, vars, jobs, notParallel, defaultGoal };
}

/** `$(A)` and `${A}` from the file's simple variables; `$$` is a shell `$`. Unknown references stay. */
function expand(text: string, vars: Map<string, string>, depth = 0): string {
  if (depth > 5) return text;
  return text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.]*)\)|\$\{([A-Za-z_][A-Za-z0-9_.]*)\}/g, (all, a, b) => {
    if (all === '$$') return '\u0000';
    const v = vars.get(a ?? b);
    return v === undefined ? all : expand(v, vars, depth + 1);
  }).replace(/\u0000/g, '$');
}

/** Where a CI file or script runs `make -j … [goals]`: the goals (empty: the default goal). */
function makeJobsInvocations(texts: SourceFile[]): Array<{ goals: string[]; source: SourceFile; at: number }> {
  const out: Array<{ goals: string[]; source: SourceFile; at: number }> = [];
  for (const source of texts) {
    for (const m of source.text.matchAll(/(?:^|[\s;&|(`"'])make((?:[ \t]+[^\s;&|)`"'#]+)*)/gm)) {
      const words = m[1].trim().split(/\s+/).filter(Boolean);
      if (!words.some((w) => /^-j\d*$|^--jobs(?:=\d+)?$|^-[A-Za-z]*j\d*$/.test(w) && !w.startsWith('--j') || w.startsWith('--jobs'))) continue;
      const goals = words.filter((w, k) => !w.startsWith('-') && !w.includes('=') && !/^-C$|^-f$/.test(words[k - 1] ?? '') && !/^\d+$/.test(w));
      out.push({ goals, source, at: m.index ?? 0 });
    }
  }
  return out;
}

function makeRequests(makefile: SourceFile, others: SourceFile[], dir: string): BuildRequest[] {
  const mk = readMakefile(makefile);
  if (mk.notParallel) return [];
  const invocations = makeJobsInvocations(others);
  const goalsRunInParallel = new Map<string, string>();
  if (mk.jobs) for (const r of mk.rules) for (const t of r.targets) goalsRunInParallel.set(t, `MAKEFLAGS in ${makefile.path} asks for -j`);
  for (const inv of invocations) {
    const goals = inv.goals.length ? inv.goals : mk.defaultGoal ? [mk.defaultGoal] : [];
    const line = inv.source.positionAt(inv.at).line;
    for (const g of goals) goalsRunInParallel.set(g, `${inv.source.path}:${line} runs make with -j`);
  }
  const byTarget = new Map<string, MakeRule>();
  // `.PHONY: all $(IMAGES)` names targets without defining them: the rule with a recipe or prerequisites wins.
  for (const r of mk.rules) for (const t of expand(r.targets.join(' '), mk.vars).split(/\s+/)) if (!t.startsWith('.') && (!byTarget.has(t) || (!byTarget.get(t)!.recipe.length && r.recipe.length))) byTarget.set(t, r);
  const requests: BuildRequest[] = [];
  for (const [goal, reason] of goalsRunInParallel) {
    const rule = byTarget.get(goal);
    const prerequisites = rule ? expand(rule.prerequisites.join(' '), mk.vars).split(/\s+/).filter(Boolean) : [];
    if (!rule || prerequisites.length < 2) continue;
    const targets: BuildTarget[] = [];
    for (const p of prerequisites) {
      const pre = byTarget.get(p);
      if (!pre) continue;
      for (const line of pre.recipe) {
        for (const command of expand(line.text, mk.vars).split(/\s*(?:&&|;|\|\|)\s*/)) {
          const step = commandStep(command, `${makefile.path} target "${pre.targets[0]}"`, { source: makefile, range: line.range }, dir);
          if (step?.kind === 'build') targets.push({ ...step.target, label: `make target "${pre.targets[0]}" of ${makefile.path}` });
        }
      }
    }
    if (targets.length < 2) continue;
    requests.push({
      label: `make -j ${goal}`,
      why: `make runs the prerequisites of "${goal}" at the same time (${reason}), and each starts a separate build on one builder`,
      targets,
      definedAt: { source: makefile, range: rule.range },
      separateBuilds: true,
    });
  }
  return requests;
}

// --- shell scripts ---------------------------------------------------------------

/**
 * Builds started in the background (`docker build … &`) before the next `wait`
 * run at the same time: one request per such group.
 */
function backgroundedBuilds(source: SourceFile, text: string, within: { start: number; end: number }, what: string, cwd: string, notes: string[]): BuildRequest[] {
  const requests: BuildRequest[] = [];
  let group: BuildTarget[] = [];
  let groupStart = within.start;
  const flush = (end: number) => {
    if (group.length > 1) {
      requests.push({
        label: `${what}: builds in the background`,
        why: `${what} starts ${group.length} builds in the background (\`&\`) before it waits for them, so they run at the same time on one builder`,
        targets: group,
        definedAt: { source, range: { start: groupStart, end } },
        separateBuilds: true,
      });
    }
    group = [];
  };
  let offset = within.start;
  for (const raw of text.split('\n')) {
    const start = offset;
    offset += raw.length + 1;
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!line) continue;
    if (/\b(?:xargs\b[^|;]*\s-P\s*\d*|parallel\b)[^#]*\bdocker\s+(?:buildx\s+)?(?:build|bake)\b/.test(line)) {
      const at = source.positionAt(start);
      notes.push(`${source.path}:${at.line}:${at.column}: builds started by xargs -P or parallel run at the same time, but which ones depends on their input: not analysed (use --concurrent-builds with the Dockerfiles they build)`);
      continue;
    }
    if (/^wait\b/.test(line)) {
      flush(start);
      continue;
    }
    const background = /^(.*[^&])&\s*$/.exec(line);
    const command = (background ? background[1] : line).replace(/^\(\s*|\s*\)$/g, '').trim();
    const step = commandStep(command, what, { source, range: { start, end: offset - 1 } }, cwd);
    if (!background || step?.kind !== 'build') continue;
    if (!group.length) groupStart = start;
    group.push({ ...step.target, label: `${what} line ${source.positionAt(start).line}` });
  }
  flush(within.end);
  return requests;
}

// --- CI files ------------------------------------------------------------------


function yamlRoot(source: SourceFile): YamlNode | null | undefined {
  const doc = parseDocument(source.text, { lineCounter: new LineCounter(), prettyErrors: false, merge: true });
  // The CI readers report invalid YAML at its place; here such a file has nothing to add.
  return doc.errors.length ? undefined : (doc.contents as YamlNode | null);
}

/** A GitLab job's script as one shell text: backgrounded builds in it run together on the job's Docker (one dind service). */
function gitlabJobs(source: SourceFile, dir: string, notes: string[]): BuildRequest[] {
  const root = yamlRoot(source);
  if (!isMap(root)) return [];
  const out: BuildRequest[] = [];
  for (const job of root.items) {
    const script = get(job.value as YamlNode, 'script');
    if (!isSeq(script)) continue;
    for (const item of script.items) {
      const node = item as YamlNode;
      const text = scalar(node);
      if (!text || !node.range) continue;
      // A block scalar's text is not at its node's offset line for line: name the item as the place.
      const lines = text.split('\n');
      const place = { start: node.range[0], end: node.range[1] };
      const found = backgroundedBuilds(source, lines.join('\n'), place, `${source.path} job "${keyOf(job)}"`, dir, notes);
      for (const r of found) out.push({ ...r, definedAt: { source, range: place }, targets: r.targets.map((t) => ({ ...t, definedAt: { source, range: place } })) });
    }
  }
  return out;
}

/**
 * The jobs of a GitHub workflow whose matrix legs build on one Docker, with why:
 * the job runs on a self-hosted runner (its labels include `self-hosted`), or sets
 * up buildx on a shared remote builder. GitHub starts the legs at the same time
 * (unless `max-parallel: 1`), so their builds are one request (src/builds/plan.ts).
 */
export function sharedBuilderJobs(source: SourceFile): Map<string, string> {
  const found = new Map<string, string>();
  const jobs = get(yamlRoot(source), 'jobs');
  if (!isMap(jobs)) return found;
  for (const jobPair of jobs.items) {
    const job = jobPair.value as YamlNode;
    const steps = get(job, 'steps');
    const strategy = get(job, 'strategy');
    if (!isSeq(steps) || !isMap(get(strategy, 'matrix')) || scalar(get(strategy, 'max-parallel')) === '1') continue;
    const runsOn = get(job, 'runs-on');
    const labels = isSeq(runsOn) ? runsOn.items.map((i) => scalar(i as YamlNode) ?? '') : [scalar(runsOn) ?? ''];
    const remote = steps.items.some((step) => {
      const uses = scalar(get(step as YamlNode, 'uses')) ?? '';
      const input = get(step as YamlNode, 'with');
      return /^docker\/setup-buildx-action@/.test(uses) && (scalar(get(input, 'driver')) === 'remote' || scalar(get(input, 'endpoint')) !== undefined);
    });
    if (remote) found.set(keyOf(jobPair), 'its matrix legs build on one shared remote builder (docker/setup-buildx-action with driver: remote)');
    else if (labels.includes('self-hosted')) found.set(keyOf(jobPair), `its matrix legs run at the same time on self-hosted runners (runs-on: ${labels.join(', ')}), which share one Docker engine where one machine serves them`);
  }
  return found;
}
