/**
 * Tools hidden behind retry wrappers. CI images and Dockerfiles often run a
 * flaky download through a helper: `retry apt-get install …`,
 * `with-retry cargo fetch`, `retry -t 3 -- npm ci`, or a script named after the
 * tool (`ci_conda_retry install …`, `apt-get-retry install …`). Their source is
 * not read (it may be in the build context, or an image's script), so the tool
 * they run is a guess, and the invocation says so.
 */
import type { Invocation } from '../commands/index.js';
import { TOOLS } from './tools.js';

/** A program whose name says it retries (`retry`, `with-retry`, `ci_retry`, `apt_retry`, `retry.sh`). */
const RETRY_NAME = /retry|retries/i;
const PROGRAMS = new Set(TOOLS.flatMap((t) => [...t.programs, ...(t.wrappers ?? []).map((w) => w[0])]));

/** The tool a retry wrapper runs, as an invocation of that tool; undefined when the program is no retry wrapper or names none. */
export function seeThroughRetry(inv: Invocation): Invocation | undefined {
  const name = inv.program.replace(/\.(sh|bash|py)$/, '');
  if (!RETRY_NAME.test(name) || PROGRAMS.has(inv.program)) return undefined;
  // `retry [options] [--] TOOL args…`: the first word that is not an option (or an option's number) is the command.
  for (let i = 0; i < inv.args.length && i < 8; i++) {
    const word = inv.args[i];
    if (word === '--' || word.startsWith('-') || /^\d+[smh]?$/.test(word)) continue;
    const program = word.replace(/^.*\//, '');
    if (!PROGRAMS.has(program) || !inv.literal[i]) break;
    return {
      ...inv,
      program,
      args: inv.args.slice(i + 1),
      literal: inv.literal.slice(i + 1),
      via: [...inv.via, inv.program],
      assumption: `\`${inv.program}\` is taken for a retry wrapper that runs \`${program}\` with the arguments after it (its source is not read)`,
    };
  }
  // `ci_conda_retry install …`: a wrapper named after the tool, given the tool's own arguments.
  const named = name.split(/[^A-Za-z0-9]+/).filter((part) => PROGRAMS.has(part) && !RETRY_NAME.test(part));
  const hyphenated = [...PROGRAMS].filter((p) => p.includes('-') && name.includes(p));
  const program = [...hyphenated, ...named][0];
  if (!program) return undefined;
  return {
    ...inv,
    program,
    via: [...inv.via, inv.program],
    assumption: `\`${inv.program}\` is taken for a retry wrapper around \`${program}\` (by its name; its source is not read), given ${program}'s own arguments`,
  };
}
