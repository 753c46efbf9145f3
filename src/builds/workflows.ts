/**
 * CI files as build definitions. Most public multi-platform races are set
 * up in CI, not in a bake file:
 * - GitHub Actions: a `docker/build-push-action` step (`context`, `file`,
 *   `target`, `platforms`, `build-args`) is one build; a `docker/bake-action`
 *   step (`files`, `targets`, `set`, `workdir`) is one bake request;
 * - GitLab CI (and any script): plain `docker buildx build …` and
 *   `docker buildx bake …` lines.
 * A value that GitHub computes (`${{ … }}`) is resolved from the job's
 * literal matrix, one build per matrix entry (each job runs on its own
 * runner); anything else makes the step "not analysed", never guessed.
 */
import { dirname, isAbsolute, join, normalize } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode, type Pair } from 'yaml';
import type { Range, SourceFile } from '../syntax/index.js';
import { DefinitionError } from './errors.js';
import type { BuildTarget, DefinitionPlace } from './types.js';

/** A bake request that a CI step makes: resolved by the bake reader with these files and overrides. */
export interface CiBakeStep {
  kind: 'bake';
  step: string;
  /** The workflow job it belongs to (GitHub). */
  job?: string;
  place: DefinitionPlace;
  /** The folder bake runs in. */
  workdir: string;
  /** Bake files (empty: the default files in workdir). */
  files: string[];
  targets: string[];
  /** `--set` overrides: `pattern.key=value`. */
  set: string[];
  /** An input GitHub computes (files, targets, set, workdir): which targets the step builds is not known. */
  unknown?: { reason: string; range: Range };
}

/** A single `docker buildx build`: one target, possibly several platforms. */
export interface CiBuildStep {
  kind: 'build';
  step: string;
  /** The workflow job it belongs to (GitHub). */
  job?: string;
  place: DefinitionPlace;
  target: BuildTarget;
}

export type CiStep = CiBakeStep | CiBuildStep;

function parse(source: SourceFile) {
  const doc = parseDocument(source.text, { lineCounter: new LineCounter(), prettyErrors: false, merge: true });
  if (doc.errors.length) {
    const e = doc.errors[0];
    throw new DefinitionError(`invalid YAML: ${e.message.split('\n')[0]}`, source, { start: e.pos[0], end: e.pos[1] });
  }
  return doc.contents as YamlNode | null;
}

export const keyOf = (p: Pair) => (isScalar(p.key) ? String(p.key.value) : String(p.key));
export const get = (node: YamlNode | null | undefined, key: string) => (isMap(node) ? (node.items.find((p) => keyOf(p) === key)?.value as YamlNode | null | undefined) : undefined);
const rangeOf = (node: YamlNode | null | undefined): Range => (node?.range ? { start: node.range[0], end: node.range[1] } : { start: 0, end: 0 });
export const scalar = (node: YamlNode | null | undefined): string | undefined => (isScalar(node) && node.value !== null ? String(node.value) : undefined);

/** Newline- or comma-separated lists, as the docker actions read their inputs. */
function inputList(value: string | undefined, commas = true): string[] {
  if (value === undefined) return [];
  return value
    .split(commas ? /[\n,]/ : /\n/)
    .map((s) => s.trim())
    .filter((s) => s && !s.startsWith('#'));
}

/**
 * The builds of a GitHub workflow: one entry per build-push-action or
 * bake-action step (and per matrix entry of its job when the step's inputs
 * use `${{ matrix.… }}`). `repoRoot`: the checkout the steps run in.
 */
export function githubWorkflowSteps(source: SourceFile, repoRoot: string): CiStep[] {
  const root = parse(source);
  const jobs = get(root, 'jobs');
  if (!isMap(jobs)) return [];
  const out: CiStep[] = [];
  for (const jobPair of jobs.items) {
    const jobName = keyOf(jobPair);
    const job = jobPair.value as YamlNode | null;
    const steps = get(job, 'steps');
    if (!isSeq(steps)) continue;
    const matrices = matrixEntries(get(get(job, 'strategy'), 'matrix'));
    steps.items.forEach((stepNode, index) => {
      const step = stepNode as YamlNode;
      const uses = scalar(get(step, 'uses')) ?? '';
      const action = /^docker\/(build-push-action|bake-action)(?:\/subaction\/\w+)?@/.exec(uses)?.[1];
      if (!action) return;
      const name = scalar(get(step, 'name')) ?? `${action} (step ${index + 1})`;
      const place = { source, range: rangeOf(step) };
      const withNode = get(step, 'with');
      const inputs = new Map<string, { value: string; range: Range }>();
      if (isMap(withNode)) for (const p of withNode.items) if (scalar(p.value as YamlNode) !== undefined) inputs.set(keyOf(p), { value: scalar(p.value as YamlNode)!, range: rangeOf(p.value as YamlNode) });
      const usesMatrix = [...inputs.values()].some((v) => v.value.includes('${{'));
      const entries = usesMatrix && matrices.length ? matrices : [undefined];
      for (const matrix of entries) {
        const entry = matrix ? ` (matrix ${Object.entries(matrix).map(([k, v]) => `${k}=${v}`).join(', ')})` : '';
        const label = `workflow ${source.path} job "${jobName}" step "${name}"${entry}`;
        const targetLabel = `workflow step "${name}"${entry} (job "${jobName}" of ${source.path})`;
        const value = (key: string): { value?: string; unknown?: string; range?: Range } => {
          const input = inputs.get(key);
          if (!input) return {};
          const resolved = githubExpression(input.value, matrix);
          return resolved === undefined ? { unknown: `with.${key} is computed by GitHub (${input.value.trim()})`, range: input.range } : { value: resolved, range: input.range };
        };
        if (action === 'build-push-action') out.push({ ...buildPushStep(label, targetLabel, place, repoRoot, value), job: jobName });
        else out.push({ ...bakeActionStep(label, place, repoRoot, value), job: jobName });
      }
    });
  }
  return out;
}

type InputValue = (key: string) => { value?: string; unknown?: string; range?: Range };

function buildPushStep(label: string, targetLabel: string, place: DefinitionPlace, repoRoot: string, input: InputValue): CiBuildStep {
  const unknown = ['context', 'file', 'target', 'platforms', 'build-args'].map(input).find((v) => v.unknown);
  // Without `context`, the action builds the repository itself (its Git context).
  const context = join(repoRoot, input('context').value ?? '.');
  const file = input('file').value;
  const dockerfile = file === undefined ? join(context, 'Dockerfile') : isAbsolute(file) ? file : join(repoRoot, file);
  const args: Record<string, string> = {};
  for (const line of inputList(input('build-args').value, false)) {
    const eq = line.indexOf('=');
    if (eq > 0) args[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return {
    kind: 'build',
    step: label,
    place,
    target: {
      name: label.replace(/^workflow \S+ /, ''),
      label: targetLabel,
      kind: 'workflow step',
      definedAt: place,
      context,
      dockerfile: normalize(dockerfile),
      stage: input('target').value || undefined,
      args,
      platforms: inputList(input('platforms').value),
      namedContexts: {},
      unknown: unknown ? { reason: unknown.unknown!, place: { source: place.source, range: unknown.range ?? place.range } } : undefined,
    },
  };
}

/**
 * A bake-action step. Its `source` (v6) says where the definition is read:
 * the repository's Git context by default (`{{defaultContext}}`, the same
 * files as the checkout), a folder of it (`{{defaultContext}}:sub`, paths
 * under it), the checkout itself (`.`, under `workdir`), or a remote URL
 * (not on this machine).
 */
function bakeActionStep(label: string, place: DefinitionPlace, repoRoot: string, input: InputValue): CiBakeStep {
  const source = input('source');
  const sub = source.value === undefined ? undefined : /^\{\{\s*defaultContext\s*\}\}(?::(.*))?$/.exec(source.value.trim());
  const local = source.value === undefined || source.value.trim() === '.' || sub;
  const workdir = sub ? join(repoRoot, sub[1] || '.') : join(repoRoot, input('workdir').value ?? '.');
  const computed = ['files', 'targets', 'set', 'workdir', 'source'].map(input).find((v) => v.unknown);
  const unknown = computed
    ? { reason: `${computed.unknown}, so mountlint cannot tell which bake targets it builds`, range: computed.range ?? place.range }
    : !local
      ? { reason: `with.source is a remote bake definition (${source.value}), not on this machine`, range: source.range ?? place.range }
      : undefined;
  return {
    unknown,
    kind: 'bake',
    step: label,
    place,
    workdir,
    files: inputList(input('files').value).map((f) => (isAbsolute(f) ? f : join(workdir, f))),
    targets: inputList(input('targets').value),
    set: inputList(input('set').value, false),
  };
}

/** `${{ matrix.x }}` (and plain text around it) from a literal matrix entry; undefined for anything else GitHub computes. */
function githubExpression(value: string, matrix: Record<string, string> | undefined): string | undefined {
  let unknown = false;
  const out = value.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_, expr: string) => {
    const m = /^matrix\.([A-Za-z0-9_-]+)$/.exec(expr);
    if (m && matrix && m[1] in matrix) return matrix[m[1]];
    unknown = true;
    return '';
  });
  return unknown ? undefined : out;
}

/** The entries of a literal `strategy.matrix` (lists of scalars, `include` entries); none when GitHub computes it. */
function matrixEntries(matrix: YamlNode | null | undefined): Array<Record<string, string>> {
  if (!isMap(matrix)) return [];
  let entries: Array<Record<string, string>> = [{}];
  const includes: Array<Record<string, string>> = [];
  for (const p of matrix.items) {
    const key = keyOf(p);
    const value = p.value as YamlNode | null;
    if (key === 'include' && isSeq(value)) {
      for (const item of value.items) if (isMap(item)) includes.push(Object.fromEntries(item.items.map((x) => [keyOf(x), scalar(x.value as YamlNode) ?? ''])));
      continue;
    }
    if (key === 'exclude') continue;
    if (!isSeq(value)) return [];
    const options = value.items.map((i) => scalar(i as YamlNode));
    if (options.some((o) => o === undefined)) return [];
    entries = options.flatMap((o) => entries.map((e) => ({ ...e, [key]: o! })));
  }
  return [...(Object.keys(entries[0]).length ? entries : []), ...includes];
}

/**
 * `docker buildx build …` and `docker buildx bake …` lines in the scripts of
 * a GitLab CI file (or any YAML whose jobs have `script:` lists), where they
 * are plain: a line with a variable in an option that matters is not analysed.
 */
export function gitlabSteps(source: SourceFile, repoRoot: string): CiStep[] {
  const root = parse(source);
  if (!isMap(root)) return [];
  const out: CiStep[] = [];
  for (const jobPair of root.items) {
    const job = jobPair.value as YamlNode | null;
    for (const key of ['before_script', 'script']) {
      const script = get(job, key);
      if (!isSeq(script)) continue;
      for (const item of script.items) {
        const line = scalar(item as YamlNode);
        if (!line) continue;
        const place = { source, range: rangeOf(item as YamlNode) };
        for (const command of line.split(/\s*(?:&&|;|\n)\s*/)) {
          const step = commandStep(command, `${source.path} job "${keyOf(jobPair)}"`, place, repoRoot);
          if (step) out.push(step);
        }
      }
    }
  }
  return out;
}

/** One shell command, if it is `docker buildx build|bake` (or `docker build` with BuildKit). */
export function commandStep(command: string, label: string, place: DefinitionPlace, cwd: string): CiStep | undefined {
  const words = shellWords(command.trim());
  if (!words) return undefined;
  let i = 0;
  while (i < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i])) i++;
  if (words[i] !== 'docker') return undefined;
  i++;
  if (words[i] === 'buildx') i++;
  const sub = words[i];
  if (sub !== 'build' && sub !== 'bake') return undefined;
  const rest = words.slice(i + 1);
  const options = new Map<string, string[]>();
  const positional: string[] = [];
  const takesValue = new Set(['-f', '--file', '--target', '--platform', '--build-arg', '--set', '-t', '--tag', '--output', '-o', '--cache-from', '--cache-to', '--builder', '--progress', '--network', '--secret', '--ssh', '--build-context', '--label', '--metadata-file', '--iidfile', '--allow', '--provenance', '--sbom', '--attest', '--annotation', '--call', '--shm-size', '--ulimit', '--add-host', '--cgroup-parent', '--var']);
  for (let k = 0; k < rest.length; k++) {
    const w = rest[k];
    const eq = w.startsWith('--') ? w.indexOf('=') : -1;
    const name = eq > 0 ? w.slice(0, eq) : w;
    if (takesValue.has(name)) {
      const value = eq > 0 ? w.slice(eq + 1) : rest[++k];
      options.set(name, [...(options.get(name) ?? []), value ?? '']);
    } else if (!w.startsWith('-')) positional.push(w);
  }
  const all = (...names: string[]) => names.flatMap((n) => options.get(n) ?? []);
  const variable = [...all('-f', '--file', '--target', '--platform', '--build-arg', '--set'), ...positional].find((v) => v.includes('$'));
  const stepLabel = `${label}: ${words.slice(0, i + 1).join(' ')}`;
  if (sub === 'bake') {
    if (variable) return undefined;
    return { kind: 'bake', step: stepLabel, place, workdir: cwd, files: all('-f', '--file').map((f) => (isAbsolute(f) ? f : join(cwd, f))), targets: positional, set: all('--set') };
  }
  const context = positional[0] ?? '.';
  const file = all('-f', '--file')[0];
  const args: Record<string, string> = {};
  for (const a of all('--build-arg')) {
    const eq = a.indexOf('=');
    if (eq > 0) args[a.slice(0, eq)] = a.slice(eq + 1);
  }
  const contextPath = join(cwd, context);
  const target: BuildTarget = {
    name: stepLabel.replace(/^\S+ /, ''),
    label: `${label.replace(/^(\S+) (job .*)$/, '$2 of $1')}`,
    kind: 'CI job',
    definedAt: place,
    context: contextPath,
    dockerfile: normalize(file ? (isAbsolute(file) ? file : join(cwd, file)) : join(contextPath, 'Dockerfile')),
    stage: all('--target')[0],
    args,
    platforms: all('--platform').flatMap((p) => p.split(',')).map((p) => p.trim()).filter(Boolean),
    namedContexts: {},
    unknown: variable ? { reason: `"${variable}" is set by the CI job at run time`, place } : context === '-' ? { reason: 'the context is read from standard input', place } : undefined,
  };
  return { kind: 'build', step: stepLabel, place, target };
}

/** Shell words with quotes removed (no expansion); undefined when the line is not that simple. */
function shellWords(line: string): string[] | undefined {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "'" || c === '"') {
      const end = line.indexOf(c, i + 1);
      if (end < 0) return undefined;
      word += line.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else if ('|<>`()'.includes(c)) {
      return undefined;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** The repository root of a workflow file (`…/.github/workflows/x.yml` → `…`). */
export function repositoryRootOf(workflowPath: string): string {
  const parts = workflowPath.split(/[\\/]/);
  const at = parts.lastIndexOf('.github');
  return at >= 0 ? parts.slice(0, at).join('/') || '.' : dirname(workflowPath);
}
