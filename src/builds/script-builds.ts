/**
 * Builds a shell script starts at the same time, read from tree-sitter-bash's
 * syntax tree (the script is never run):
 * - commands put in the background (`docker build … &`, a backgrounded
 *   subshell, loop body or function call) run together until the next `wait`
 *   (or the script's end); a build in the foreground meanwhile runs with them;
 * - `xargs -P N` and GNU `parallel` run one build per input item at once, when
 *   the script names the items (`printf '%s\n' api web | xargs -P 2 …`,
 *   `parallel … ::: api web`); items it reads from elsewhere are a note.
 * `for` loops over literal words, the script's own literal variables and its
 * functions (`build() { docker build …; }`) are followed; anything computed is
 * left as it is, so the build it starts is "not analysed" rather than guessed.
 */
import type { Node } from 'web-tree-sitter';
import { parseScript } from '../commands/index.js';
import type { Range } from '../syntax/index.js';

/** One `docker build` the script runs, with the script's values put in. */
export interface ScriptBuild {
  /** The command, words quoted for the shell (a computed word stays `${…}`). */
  command: string;
  /** Its place in the script's text. */
  range: Range;
  /** How it starts: in the background, in the foreground beside background builds, or one item of xargs -P / parallel. */
  how: 'background' | 'foreground' | 'fan-out';
}

/** Builds that run at the same time: each job runs its builds one after the other, the jobs run together. */
export interface ConcurrentGroup {
  jobs: ScriptBuild[][];
  how: 'background' | 'xargs' | 'parallel';
  /** The `wait` that ends the group, or the xargs/parallel command; undefined: the script's end. */
  endsAt?: Range;
  /** xargs/parallel: how many at once, as written (`-P 4`, `-j 4`; '' for the default). */
  limit?: string;
}

export interface ScriptReading {
  groups: ConcurrentGroup[];
  /** Every build the script starts, in order, however it starts them. */
  builds: ScriptBuild[];
  /** What starts builds at the same time but could not be read: its place and why. */
  notes: Array<{ range: Range; text: string }>;
}

type Vars = ReadonlyMap<string, string>;

/** Commands that run the words after them as a command. */
const PREFIXES = new Set(['sudo', 'time', 'nohup', 'command', 'exec', 'env', 'nice']);
const MAX_DEPTH = 8;

/**
 * The script's concurrent builds. `vars`: variables set before it runs (a CI
 * job's). The shell parser must be loaded (`loadShellParser`).
 */
export function concurrentScriptBuilds(text: string, vars?: ReadonlyMap<string, string>): ScriptReading {
  const parsed = parseScript(text);
  try {
    const reader = new Reader(vars);
    reader.list(parsed.root.children, new Map(), 0, false);
    reader.flush(undefined);
    return { groups: reader.groups, builds: reader.builds, notes: reader.notes };
  } finally {
    parsed.dispose();
  }
}

class Reader {
  groups: ConcurrentGroup[] = [];
  builds: ScriptBuild[] = [];
  notes: ScriptReading['notes'] = [];
  /** Background jobs started since the last `wait`. */
  private jobs: ScriptBuild[][] = [];
  /** Foreground builds run while those jobs run. */
  private main: ScriptBuild[] = [];
  private vars: Map<string, string>;
  private functions = new Map<string, Node>();

  constructor(vars?: ReadonlyMap<string, string>) {
    this.vars = new Map(vars);
  }

  /** A list of statements, as the shell runs them. `guessing`: in a loop whose values the script does not name. */
  list(children: Array<Node | null>, vars: Vars, depth: number, guessing: boolean): void {
    for (let i = 0; i < children.length; i++) {
      const n = children[i];
      if (!n || !n.isNamed || n.type === 'comment') continue;
      if (children[i + 1]?.type === '&') {
        const job = this.sequential(n, vars, depth).map((b) => ({ ...b, how: 'background' as const }));
        if (!job.length) continue;
        this.builds.push(...job);
        if (guessing) this.notes.push({ range: span(n), text: 'builds started in the background in a loop over values the script does not name: which ones is not known, so they are not analysed (use --concurrent-builds with the Dockerfiles they build)' });
        else this.jobs.push(job);
        continue;
      }
      this.statement(n, vars, depth, guessing);
    }
  }

  /** The script's literal variables with the loop values and function arguments in scope over them. */
  private scope(overlay: Vars): Vars {
    return overlay.size ? new Map([...this.vars, ...overlay]) : this.vars;
  }

  /** `vars`: the loop values and function arguments in scope (the script's own variables are added to them). */
  private statement(n: Node, vars: Vars, depth: number, guessing: boolean): void {
    if (depth > MAX_DEPTH) return;
    const all = this.scope(vars);
    switch (n.type) {
      case 'command': {
        const words = commandWords(n);
        const name = words[0] ? literal(words[0], all) : undefined;
        if (name === 'wait') return this.flush(span(n));
        const body = name !== undefined ? this.functions.get(name) : undefined;
        if (body) return this.list(body.children, withArguments(vars, all, words.slice(1)), depth + 1, guessing);
        if (this.fanOut(n, undefined, all)) return;
        return this.foreground(this.sequential(n, vars, depth));
      }
      case 'variable_assignment':
        return this.assign(n, all);
      case 'declaration_command':
        for (const c of n.namedChildren) if (c?.type === 'variable_assignment') this.assign(c, all);
        return;
      case 'function_definition': {
        const name = n.childForFieldName('name')?.text;
        const body = n.childForFieldName('body');
        if (name && body) this.functions.set(name, body);
        return;
      }
      case 'for_statement': {
        const body = n.childForFieldName('body');
        if (!body) return;
        const values = loopValues(n, all);
        const variable = n.childForFieldName('variable')?.text ?? '';
        if (!values) return this.list(body.children, vars, depth + 1, true);
        for (const v of values) this.list(body.children, new Map([...vars, [variable, v]]), depth + 1, guessing);
        return;
      }
      case 'while_statement':
      case 'c_style_for_statement': {
        const body = n.childForFieldName('body');
        if (body) this.list(body.children, vars, depth + 1, true);
        return;
      }
      case 'pipeline': {
        const commands = n.namedChildren.filter((c): c is Node => c?.type === 'command');
        for (let k = 1; k < commands.length; k++) if (this.fanOut(commands[k], commands[k - 1], all)) return;
        return this.foreground(this.sequential(n, vars, depth));
      }
      case 'redirected_statement': {
        const body = n.childForFieldName('body') ?? n.namedChildren[0];
        if (body) this.statement(body, vars, depth, guessing);
        return;
      }
      case 'list':
      case 'subshell':
      case 'compound_statement':
      case 'do_group':
      case 'if_statement':
      case 'elif_clause':
      case 'else_clause':
      case 'case_statement':
      case 'case_item':
        return this.list(n.children, vars, depth + 1, guessing);
      default:
        return this.foreground(this.sequential(n, vars, depth));
    }
  }

  private assign(n: Node, vars: Vars): void {
    const name = n.childForFieldName('name')?.text;
    const value = n.childForFieldName('value');
    if (!name) return;
    const v = value ? literal(value, vars) : '';
    // A value the script computes is unknown from here on (not the one set before).
    if (v === undefined) this.vars.delete(name);
    else this.vars.set(name, v);
  }

  private foreground(builds: ScriptBuild[]): void {
    this.builds.push(...builds);
    if (this.jobs.length) this.main.push(...builds.map((b) => ({ ...b, how: 'foreground' as const })));
  }

  /** A `wait` (or the end): the background jobs and the foreground builds beside them run together. */
  flush(endsAt: Range | undefined): void {
    const jobs = [...this.jobs, ...(this.main.length ? [this.main] : [])];
    if (jobs.length > 1) this.groups.push({ jobs, how: 'background', endsAt });
    this.jobs = [];
    this.main = [];
  }

  /**
   * Every build a statement runs, one after the other (loops over literal words
   * and the script's functions followed): the builds of one background job.
   */
  private sequential(n: Node, vars: Vars, depth: number): ScriptBuild[] {
    if (depth > MAX_DEPTH) return [];
    const all = this.scope(vars);
    if (n.type === 'command') {
      const words = commandWords(n);
      const name = words[0] ? literal(words[0], all) : undefined;
      const body = name !== undefined ? this.functions.get(name) : undefined;
      if (body) return this.sequential(body, withArguments(vars, all, words.slice(1)), depth + 1);
      const build = buildCommand(words.map((w) => valueOrComputed(w, all)), span(n));
      return build ? [build] : [];
    }
    if (n.type === 'for_statement') {
      const body = n.childForFieldName('body');
      const values = loopValues(n, all);
      const variable = n.childForFieldName('variable')?.text ?? '';
      if (body && values) return values.flatMap((v) => this.sequential(body, new Map([...vars, [variable, v]]), depth + 1));
    }
    if (n.type === 'function_definition') return [];
    return n.namedChildren.flatMap((c) => (c ? this.sequential(c, vars, depth + 1) : []));
  }

  /**
   * `xargs -P N …docker build…` (fed by `producer`) or `parallel … docker build … ::: a b`:
   * one build per item, at once. True when the command is one of them (read or noted).
   */
  private fanOut(command: Node, producer: Node | undefined, vars: Vars): boolean {
    const words = commandWords(command);
    const values = words.map((w) => valueOrComputed(w, vars));
    let k = 0;
    while (k < values.length && PREFIXES.has(values[k])) k++;
    const tool = values[k];
    if (tool !== 'xargs' && tool !== 'parallel') return false;
    const parsed = tool === 'xargs' ? xargsCommand(values.slice(k + 1)) : parallelCommand(values.slice(k + 1));
    if (!parsed || !buildCommand(parsed.template, span(command))) return false;
    if (!parsed.concurrent) return false; // one at a time: the builds never overlap
    const fromInput = parsed.items ?? (producer ? producedItems(producer, vars, tool === 'xargs') : undefined);
    if (!fromInput) {
      this.notes.push({ range: span(command), text: `builds started by ${tool} ${parsed.limit || ''}`.trimEnd() + ' run at the same time, but which ones depends on input the script does not name: not analysed (use --concurrent-builds with the Dockerfiles they build)' });
      return true;
    }
    const jobs = fromInput.map((item) => {
      const words = parsed.replace ? parsed.template.map((w) => w.split(parsed.replace!).join(item)) : [...parsed.template, item];
      const build = buildCommand(words, span(command));
      return build ? [{ ...build, how: 'fan-out' as const }] : [];
    });
    const started = jobs.filter((j) => j.length);
    this.builds.push(...started.flat());
    // Background jobs still running run beside them too.
    const all = [...this.jobs, ...(this.main.length ? [this.main] : []), ...started];
    if (all.length > 1) this.groups.push({ jobs: all, how: tool, endsAt: span(command), limit: parsed.limit });
    return true;
  }
}

/** The words of a command node (its name and arguments; redirections and assignments left out). */
function commandWords(n: Node): Node[] {
  const out: Node[] = [];
  for (const c of n.namedChildren) {
    if (!c) continue;
    if (c.type === 'command_name') out.push(c.namedChildren[0] ?? c);
    else if (WORDS.has(c.type)) out.push(c);
  }
  return out;
}

const WORDS = new Set(['word', 'string', 'raw_string', 'concatenation', 'simple_expansion', 'expansion', 'number', 'command_substitution', 'ansi_c_string']);

/** A word's value where the script says it (its literal variables put in); undefined when the shell computes it. */
function literal(n: Node, vars: Vars): string | undefined {
  switch (n.type) {
    case 'word':
    case 'number':
      return n.text.replace(/\\(.)/g, '$1');
    case 'raw_string':
      return n.text.slice(1, -1);
    case 'string_content':
      return n.text.replace(/\\([$`"\\])/g, '$1');
    case 'simple_expansion':
    case 'expansion': {
      const name = /^\$\{?([A-Za-z_][A-Za-z0-9_]*|[0-9])\}?$/.exec(n.text)?.[1];
      return name === undefined ? undefined : vars.get(name);
    }
    case 'string':
    case 'concatenation': {
      let out = '';
      for (const c of n.namedChildren) {
        if (!c) continue;
        const v = literal(c, vars);
        if (v === undefined) return undefined;
        out += v;
      }
      return n.type === 'string' && !n.namedChildren.length ? '' : out;
    }
    default:
      return undefined;
  }
}

/** The literal value, or a `${…}` that marks the word as computed (a build using it there is not analysed). */
function valueOrComputed(n: Node, vars: Vars): string {
  return literal(n, vars) ?? '${computed}';
}

/** `$1`, `$2`… of a function call, over the values in scope (`vars`); `all`: those and the script's variables. */
function withArguments(vars: Vars, all: Vars, args: Node[]): Vars {
  const out = new Map(vars);
  args.forEach((a, i) => {
    const v = literal(a, all);
    if (v === undefined) out.delete(String(i + 1));
    else out.set(String(i + 1), v);
  });
  return out;
}

/** The values of `for x in …` when the script names them (words split as the shell splits an unquoted variable). */
function loopValues(n: Node, vars: Vars): string[] | undefined {
  const values: string[] = [];
  let seenIn = false;
  for (const c of n.children) {
    if (!c) continue;
    if (c.type === 'in') {
      seenIn = true;
      continue;
    }
    if (!seenIn || !c.isNamed || c.type === 'do_group' || c === n.childForFieldName('variable')) continue;
    const v = literal(c, vars);
    if (v === undefined) return undefined;
    values.push(...(c.type === 'simple_expansion' || c.type === 'expansion' ? v.split(/\s+/).filter(Boolean) : [v]));
  }
  return seenIn ? values : undefined;
}

/** A `docker build` / `docker buildx build` command (after sudo, env and the like), quoted back for the shell. */
function buildCommand(values: string[], range: Range): ScriptBuild | undefined {
  let k = 0;
  while (k < values.length && (PREFIXES.has(values[k]) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(values[k]) || (values[k - 1] === 'nice' && /^-/.test(values[k])))) k++;
  const rest = values.slice(k);
  const build = rest[0] === 'docker' && (rest[1] === 'build' || (rest[1] === 'buildx' && rest[2] === 'build') || (rest[1] === 'image' && rest[2] === 'build'));
  if (!build) return undefined;
  const words = rest[1] === 'image' ? ['docker', 'build', ...rest.slice(3)] : rest;
  return { command: words.map(quote).join(' '), range, how: 'foreground' };
}

function quote(word: string): string {
  if (word === '${computed}') return word;
  return /^[A-Za-z0-9_@%+=:,./{}-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}

interface FanOut {
  /** The command each item runs, before the item is put in. */
  template: string[];
  /** The text replaced by the item (xargs -I, parallel's `{}`); none: the item is the last argument. */
  replace?: string;
  /** Items named on the command line (parallel's `:::`). */
  items?: string[];
  concurrent: boolean;
  limit: string;
}

/** `xargs [-P N] [-I R] [-n 1] command…`. */
function xargsCommand(args: string[]): FanOut | undefined {
  let procs: string | undefined;
  let replace: string | undefined;
  let k = 0;
  for (; k < args.length && args[k].startsWith('-'); k++) {
    const a = args[k];
    const value = (short: string, long: string) => (a === short || a === long ? args[++k] : a.startsWith(`${long}=`) ? a.slice(long.length + 1) : a.startsWith(short) && short.length === 2 ? a.slice(2) : undefined);
    const p = value('-P', '--max-procs');
    if (p !== undefined) {
      procs = p;
      continue;
    }
    if (a === '-i' || a === '--replace') {
      replace = '{}';
      continue;
    }
    const r = value('-I', '--replace');
    if (r !== undefined) {
      replace = r;
      continue;
    }
    // -n N, -L N, -d D, -a FILE, -E S, -s N take a value when written apart.
    if (/^-[nLdaEs]$/.test(a)) k++;
  }
  if (procs === undefined) return { template: args.slice(k), replace, concurrent: false, limit: '' };
  return { template: args.slice(k), replace, concurrent: procs !== '1', limit: `-P ${procs}` };
}

/** GNU `parallel [-j N] command… [::: items…]`. */
function parallelCommand(args: string[]): FanOut | undefined {
  let jobs = '';
  let k = 0;
  for (; k < args.length && args[k].startsWith('-') && args[k] !== ':::'; k++) {
    const a = args[k];
    if (a === '-j' || a === '--jobs' || a === '-P') jobs = args[++k] ?? '';
    else if (/^-j\d+$/.test(a)) jobs = a.slice(2);
    else if (a.startsWith('--jobs=')) jobs = a.slice(7);
    else if (/^-[IaEdS]$|^--(?:arg-file|colsep|delimiter|sshlogin)$/.test(a)) k++;
  }
  const rest = args.slice(k);
  const sep = rest.indexOf(':::');
  let template = sep >= 0 ? rest.slice(0, sep) : rest;
  const items = sep >= 0 ? rest.slice(sep + 1) : undefined;
  // A second `:::` combines inputs (`{1}`, `{2}`): not read.
  if (items?.includes(':::') || template.some((w) => /\{\d+\}/.test(w))) return undefined;
  // `parallel 'docker build ./{}' ::: …`: the command as one word.
  if (template.length === 1 && /\s/.test(template[0])) template = template[0].split(/\s+/).filter(Boolean);
  const replace = template.some((w) => w.includes('{}')) ? '{}' : undefined;
  return { template, replace, items, concurrent: jobs !== '1', limit: jobs ? `-j ${jobs}` : '' };
}

/** The items a literal `printf …` or `echo …` feeds to xargs (split on blanks) or parallel (one per line). */
function producedItems(producer: Node, vars: Vars, blanks: boolean): string[] | undefined {
  const words = commandWords(producer).map((w) => literal(w, vars));
  if (words.some((w) => w === undefined)) return undefined;
  const [name, ...args] = words as string[];
  let output: string;
  if (name === 'echo') {
    const flags = args.filter((a, i) => /^-[neE]+$/.test(a) && args.slice(0, i).every((b) => /^-[neE]+$/.test(b)));
    const text = args.slice(flags.length).join(' ');
    output = flags.some((f) => f.includes('e')) ? text.replace(/\\n/g, '\n') : text;
  } else if (name === 'printf' && args.length) {
    const [format, ...values] = args;
    const one = format.replace(/\\n/g, '\n');
    output = values.length ? values.map((v) => one.replace('%s', v)).join('') : one;
  } else {
    return undefined;
  }
  const items = (blanks ? output.split(/\s+/) : output.split('\n')).map((s) => s.trim()).filter(Boolean);
  return items.length ? items : undefined;
}

function span(n: Node): Range {
  return { start: n.startIndex, end: n.endIndex };
}
