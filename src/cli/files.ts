/** Finding Dockerfiles, reading them, and writing fixes atomically. */
import { readdirSync, readFileSync, renameSync, statSync, writeFileSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UsageError } from './args.js';

const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'vendor']);

export function isDockerfileName(name: string): boolean {
  return name === 'Dockerfile' || name === 'Containerfile' || name.endsWith('.Dockerfile') || name.startsWith('Dockerfile.') || name.endsWith('.dockerfile');
}

/**
 * Whether a directory search takes a file: `true`/`false` decides, `undefined`
 * leaves it to the name (isDockerfileName). The configuration's include globs.
 */
export type IncludeFile = (path: string) => boolean | undefined;

/** Files named on the command line, and Dockerfiles found under named directories, in a stable order. */
export function findFiles(paths: string[], include?: IncludeFile): string[] {
  const out: string[] = [];
  for (const p of paths) {
    if (p === '-') {
      out.push('-');
      continue;
    }
    let stat;
    try {
      stat = statSync(p);
    } catch (err) {
      throw new UsageError(`cannot read ${p}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (err as Error).message}`);
    }
    if (stat.isDirectory()) out.push(...walk(p, include));
    else out.push(p);
  }
  return out;
}

function walk(dir: string, include?: IncludeFile): string[] {
  const found: string[] = [];
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) found.push(...walk(join(dir, e.name), include));
    } else if (e.isFile() && (include?.(join(dir, e.name)) ?? isDockerfileName(e.name))) {
      found.push(join(dir, e.name));
    }
  }
  return found;
}

export function readInput(path: string): string {
  try {
    const text = path === '-' ? readFileSync(0, 'utf8') : readFileSync(path, 'utf8');
    return text;
  } catch (err) {
    throw new UsageError(`cannot read ${path}: ${(err as Error).message}`);
  }
}

/** Writes through a temporary file in the same folder and a rename: never a half-written Dockerfile. */
export function writeAtomically(path: string, text: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.mountlint-${process.pid}.tmp`);
  try {
    writeFileSync(tmp, text, { mode: statSync(path).mode });
    renameSync(tmp, path);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing to clean up
    }
    throw err;
  }
}

/**
 * Writes several files as a set: every new text goes to a temporary file
 * beside its target first; only when all are written are they renamed over
 * the originals. If a write fails, nothing was replaced; if a rename fails,
 * the files already replaced get their old text back. Used by --fix for the
 * Dockerfiles of one bake or compose build.
 */
export function writeAllOrNothing(files: Map<string, string>): void {
  const staged: Array<{ path: string; tmp: string; before: string }> = [];
  try {
    for (const [path, text] of files) {
      const tmp = join(dirname(path), `.${basename(path)}.mountlint-${process.pid}.tmp`);
      const before = readFileSync(path, 'utf8');
      writeFileSync(tmp, text, { mode: statSync(path).mode });
      staged.push({ path, tmp, before });
    }
  } catch (err) {
    for (const s of staged) unlinkQuietly(s.tmp);
    throw err;
  }
  const done: typeof staged = [];
  try {
    for (const s of staged) {
      renameSync(s.tmp, s.path);
      done.push(s);
    }
  } catch (err) {
    for (const s of staged) if (!done.includes(s)) unlinkQuietly(s.tmp);
    for (const s of done) writeAtomically(s.path, s.before);
    throw err;
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
