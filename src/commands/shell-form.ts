/**
 * What a stage's SHELL runs the RUN text with. BuildKit execs the SHELL argv
 * with the script appended, so `["/usr/bin/env", "bash", "-c"]`,
 * `["env", "-u", "X", "bash", "-o", "pipefail", "-c"]`, `["sh", "-eux", "-c"]`
 * and `["conda", "run", "-n", "app", "/bin/bash", "-c"]` all end in a POSIX
 * shell that reads the script; `pwsh -Command` and `cmd /S /C` do not, and
 * their scripts are left alone (the caller says so).
 */

/** POSIX-family shells whose scripts mountlint reads. */
export const POSIX_SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh', 'mksh', 'busybox-sh']);
/** Shells of another language: their scripts are not analysed. */
const OTHER_SHELLS = new Set(['pwsh', 'powershell', 'powershell.exe', 'pwsh.exe', 'cmd', 'cmd.exe']);

export interface ShellForm {
  /** The shell that reads the script (base name), or the program that does when it is no shell mountlint reads. */
  program: string;
  /** True when the script is POSIX shell that mountlint analyses. */
  posix: boolean;
  /** `NAME=value` settings the wrappers put into the environment (`env A=1 bash -c`). */
  assignments: Record<string, string>;
  /** The wrappers passed on the way (`env`, `conda run`), outermost first. */
  via: string[];
}

/** `env` options that take a value in the next word. */
const ENV_VALUE_OPTIONS = new Set(['-u', '--unset', '-C', '--chdir', '-S', '--split-string', '-P']);
/** `conda run` / `mamba run` / `micromamba run` options that take a value. */
const ENV_RUN_VALUE_OPTIONS = new Set(['-n', '--name', '-p', '--prefix', '--cwd', '-r', '--root-prefix', '-a', '--attach']);
const ENV_RUNNERS = new Set(['conda', 'mamba', 'micromamba']);

export function shellForm(shell: readonly string[]): ShellForm {
  const words = [...shell];
  const assignments: Record<string, string> = {};
  const via: string[] = [];
  let i = 0;
  for (let guard = 0; guard < 8 && i < words.length; guard++) {
    const name = basename(words[i]);
    if (name === 'env') {
      via.push('env');
      i++;
      while (i < words.length) {
        const w = words[i];
        if (w === '-S' || w === '--split-string') {
          // `env -S "bash -eo pipefail -c"`: the string is split into words.
          words.splice(i, 2, ...(words[i + 1] ?? '').split(/\s+/).filter(Boolean));
          continue;
        }
        if (w.startsWith('--split-string=')) {
          words.splice(i, 1, ...w.slice('--split-string='.length).split(/\s+/).filter(Boolean));
          continue;
        }
        if (ENV_VALUE_OPTIONS.has(w)) i += 2;
        else if (w === '--') i++;
        else if (w.startsWith('-')) i++;
        else if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) {
          const eq = w.indexOf('=');
          assignments[w.slice(0, eq)] = w.slice(eq + 1);
          i++;
        } else break;
      }
      continue;
    }
    if (ENV_RUNNERS.has(name) && words[i + 1] === 'run') {
      via.push(`${name} run`);
      i += 2;
      while (i < words.length && words[i].startsWith('-')) i += ENV_RUN_VALUE_OPTIONS.has(words[i]) ? 2 : 1;
      continue;
    }
    if (name === 'nice' || name === 'stdbuf' || name === 'eatmydata') {
      via.push(name);
      i++;
      while (i < words.length && words[i].startsWith('-')) i += words[i] === '-n' ? 2 : 1;
      continue;
    }
    break;
  }
  const program = basename(words[i] ?? 'sh');
  return { program, posix: POSIX_SHELLS.has(program) && !OTHER_SHELLS.has(program), assignments, via };
}

function basename(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash >= 0 ? path.slice(slash + 1) : path;
}
