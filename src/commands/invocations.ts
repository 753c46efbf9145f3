/**
 * The programs a RUN step runs: shell form, exec form, heredoc scripts,
 * `sh -c`/`bash -c` strings, `VAR=x cmd` prefixes, `&&`, `||`, `;`, pipes,
 * subshells, `if`/`for`/`while`, and wrappers such as `sudo` or `env`.
 * Nothing is executed; the shell text is only parsed: by the fast path for
 * simple scripts where it can, by tree-sitter-bash otherwise.
 */
import type { RunInstruction } from '../instructions/index.js';
import type { MappedText, Range } from '../syntax/index.js';
import type { ShellCommand } from './shell-command.js';
import { parseSimpleScript } from './simple-script.js';
import { treeSitterCommands } from './tree-sitter-commands.js';
import { POSIX_SHELLS, shellForm } from './shell-form.js';
import type { Invocation } from './types.js';

const SHELLS = POSIX_SHELLS;
/** The `via` and `flocks` of the many commands reached directly and holding no lock (nothing adds to them later; not frozen: see NO_HEREDOCS in syntax/parser.ts). */
const NONE: string[] = [];
/** The `assignments` of the many commands without `VAR=value` words (nothing adds to them later). */
const NO_ASSIGNMENTS: Record<string, string> = {};

function hasAny(record: Record<string, string>): boolean {
  for (const _ in record) return true;
  return false;
}
/** Programs that run the command given after their own options. */
const WRAPPERS = new Set(['sudo', 'env', 'nice', 'nohup', 'time', 'exec', 'command', 'eatmydata', 'stdbuf', 'timeout', 'flock', 'xargs', 'chronic', 'ionice']);

/** Maps an index in the analysed script text back to the Dockerfile. */
type SourceMap = (index: number) => number;

interface Script {
  text: string;
  map: SourceMap;
  via: string[];
  /** Locks held by the command that runs this script (`flock F sh -c '…'`). */
  flocks?: string[];
  read: ScriptReader;
}

/** Turns a script's text into its commands. */
export type ScriptReader = (text: string) => ShellCommand[];

/** The fast path for simple scripts, tree-sitter-bash for the others (it must be loaded: loadShellParser). */
export const readScript: ScriptReader = (text) => {
  let commands = readBefore(text);
  if (!commands) remember(text, (commands = parseSimpleScript(text) ?? treeSitterCommands(text)));
  return commands;
};

/**
 * A reader that never needs tree-sitter, and a flag that says whether some script
 * would have: the pipeline reads every RUN with it first, and loads the shell
 * parser only when one does (most files have only simple scripts).
 */
export function fastPathReader(): { read: ScriptReader; neededParser: () => boolean } {
  let needed = false;
  return {
    read: (text) => {
      let commands = readBefore(text);
      if (commands) return commands;
      commands = parseSimpleScript(text);
      if (commands) return remember(text, commands);
      needed = true;
      return [];
    },
    neededParser: () => needed,
  };
}

/**
 * Scripts read in this process, by their text: a repository repeats its
 * `apt-get install` and `pip install` lines across Dockerfiles, and an editor
 * reads the unchanged RUNs of a file again on every edit. A script's commands
 * depend on its text alone (positions are offsets in it), and no caller
 * changes them. Kept to SCRIPT_MEMORY characters of script text, the oldest
 * read first forgotten (measured: docs/design.md, issue 25).
 */
const scripts = new Map<string, ShellCommand[]>();
const SCRIPT_MEMORY = 4_000_000;
let remembered = 0;

function readBefore(text: string): ShellCommand[] | undefined {
  const commands = scripts.get(text);
  if (commands) {
    // Read again: now the last to be forgotten.
    scripts.delete(text);
    scripts.set(text, commands);
  }
  return commands;
}

function remember(text: string, commands: ShellCommand[]): ShellCommand[] {
  if (text.length > SCRIPT_MEMORY / 4) return commands;
  scripts.set(text, commands);
  remembered += text.length;
  for (const [old] of scripts) {
    if (remembered <= SCRIPT_MEMORY) break;
    scripts.delete(old);
    remembered -= old.length;
  }
  return commands;
}

/** Everything the RUN runs. `shell` is the stage's SHELL (default /bin/sh -c). */
export function runInvocations(run: RunInstruction, shell: string[] = ['/bin/sh', '-c'], read: ScriptReader = readScript): Invocation[] {
  const out = shellInvocations(run, shell, read);
  // `SHELL ["env", "PIP_NO_CACHE_DIR=1", "bash", "-c"]` sets variables for every command (a command's own prefix wins).
  const form = run.json ? undefined : shellForm(shell);
  if (form && Object.keys(form.assignments).length) for (const inv of out) inv.assignments = { ...form.assignments, ...inv.assignments };
  return out;
}

function shellInvocations(run: RunInstruction, shell: string[], read: ScriptReader): Invocation[] {
  const out: Invocation[] = [];
  if (run.json) {
    const argv = run.execArgs;
    if (argv.length === 0) return out;
    const words = argv.map((a) => a.value);
    const ranges = argv.map((a) => a.range);
    addInvocation(out, words, words.map(() => true), ranges, {}, { start: ranges[0].start, end: ranges[ranges.length - 1].end }, []);
    return out;
  }
  // SHELL ["/usr/bin/env", "bash", "-c"], ["conda", "run", "-n", "x", "bash", "-c"], …: the shell at the end reads the script.
  const form = shellForm(shell);
  if (!form.posix) return out; // e.g. SHELL ["pwsh", "-Command"]: not analysed (cache-race says so where it matters)
  const text = run.shellText;
  const script = run.heredocs.length > 0 ? heredocScript(text.text.trim()) : undefined;
  if (script) {
    const doc = run.heredocs[0];
    // `RUN <<EOT` runs the document with the shell, or with its #! line; `RUN <<EOT bash` and `RUN bash -e <<EOT` give it to a shell on stdin.
    const interpreter = script === 'default' ? (doc.content.startsWith('#!') ? /^#!\s*(?:\S*\/)?(?:env\s+)?(\S+)/.exec(doc.content)?.[1] : 'sh') : script;
    if (interpreter && SHELLS.has(interpreter)) {
      analyse({ text: doc.content, map: (i) => doc.contentRange.start + i, via: ['heredoc script'], read }, out, run);
    }
    return out;
  }
  analyse({ text: text.text, map: mapped(text), via: [], read }, out, run);
  return out;
}

/**
 * Is the RUN's command only a heredoc run as a script? `<<EOT` alone
 * ('default': the shell or the document's #! line), or `<<EOT bash`,
 * `<<EOT sh -e`, `bash -ex <<EOT` (the shell named: it reads the script from
 * stdin; not with -c, which makes the document plain input).
 */
function heredocScript(command: string): string | undefined {
  if (/^\d*<<-?\s*\S+$/.test(command)) return 'default';
  const after = /^\d*<<-?\s*\S+\s+(\S+)((?:\s+-[A-Za-z]+|\s+-o\s+\w+)*)$/.exec(command);
  const before = /^(\S+)((?:\s+-[A-Za-z]+|\s+-o\s+\w+)*)\s+\d*<<-?\s*\S+$/.exec(command);
  const m = after ?? before;
  if (!m || /\s-[A-Za-z]*c/.test(m[2])) return undefined;
  const program = basename(m[1]);
  return SHELLS.has(program) ? program : undefined;
}

function mapped(text: MappedText): SourceMap {
  return (i) => text.sourceOffset(i);
}

function analyse(script: Script, out: Invocation[], run: RunInstruction): void {
  const commands = script.read(script.text);
  for (const command of commands) handleCommand(command, script, out, run);
}

function handleCommand(command: ShellCommand, script: Script, out: Invocation[], run: RunInstruction): void {
  const { words } = command;
  if (words.length === 0) return;
  const range = (from: number, to: number): Range => ({ start: script.map(from), end: script.map(to - 1) + 1 });
  addInvocation(
    out,
    words.map((w) => w.value),
    words.map((w) => w.literal),
    words.map((w) => range(w.start, w.end)),
    { ...command.assignments },
    range(command.start, command.end),
    script.via,
    (i) => {
      // `sh -c 'script'`: analyse the script string too.
      const word = words[i];
      if (!word) return undefined; // `flock FILE -c` with no script after it
      if (word.kind !== 'string' && word.kind !== 'raw_string' && word.kind !== 'word') return undefined;
      const start = word.start + (word.kind === 'word' ? 0 : 1);
      return { text: word.value, map: (k: number) => script.map(start + k), via: [], read: script.read };
    },
    run,
    script.flocks,
  );
}

type NestedScript = (argIndex: number) => Script | undefined;

function addInvocation(
  out: Invocation[],
  words: string[],
  literal: boolean[],
  ranges: Range[],
  assignments: Record<string, string>,
  range: Range,
  via: string[],
  nested?: NestedScript,
  run?: RunInstruction,
  inherited?: string[],
): void {
  let i = 0;
  const chain = [...via];
  const flocks = [...(inherited ?? [])];
  // See through wrappers: `sudo -E apt-get …`, `env A=1 apt-get …`, `flock /x apt-get …`.
  while (i < words.length && WRAPPERS.has(basename(words[i]))) {
    const wrapper = basename(words[i]);
    chain.push(wrapper);
    i++;
    if (wrapper === 'flock' || wrapper === 'timeout') {
      while (i < words.length && words[i].startsWith('-')) i++;
      if (wrapper === 'flock' && words[i] !== undefined) flocks.push(words[i]);
      i++; // the lock file or the duration
      if (wrapper === 'flock' && (words[i] === '-c' || words[i] === '--command') && nested) {
        const script = nested(i + 1);
        if (script && run) analyse({ ...script, via: [...chain, 'flock -c'], flocks }, out, run);
        return;
      }
      continue;
    }
    while (i < words.length && (words[i].startsWith('-') || (wrapper === 'env' && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i])))) {
      if (wrapper === 'env' && words[i].includes('=') && !words[i].startsWith('-')) {
        const eq = words[i].indexOf('=');
        assignments[words[i].slice(0, eq)] = words[i].slice(eq + 1);
      }
      i++;
    }
  }
  if (i >= words.length) return;
  const program = basename(words[i]);
  if (SHELLS.has(program)) {
    const c = words.indexOf('-c', i + 1);
    const combined = c < 0 ? words.slice(i + 1).findIndex((w) => /^-[a-z]*c[a-z]*$/.test(w)) : -1;
    const at = c >= 0 ? c : combined >= 0 ? i + 1 + combined : -1;
    if (at >= 0 && at + 1 < words.length && nested && run) {
      const script = nested(at + 1);
      if (script) {
        analyse({ ...script, via: [...chain, `${program} -c`], flocks }, out, run);
        return;
      }
    }
  }
  out.push({
    program,
    args: words.slice(i + 1),
    literal: literal.slice(i + 1),
    assignments: hasAny(assignments) ? assignments : NO_ASSIGNMENTS,
    range,
    nameRange: ranges[i],
    // Most commands are reached directly and hold no lock: one empty array for all of them.
    via: chain.length ? chain : NONE,
    flocks: flocks.length ? flocks : NONE,
  });
}

function basename(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash >= 0 ? path.slice(slash + 1) : path;
}
