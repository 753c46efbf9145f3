/**
 * The file system side of the CLI: finding Dockerfiles, reading them, and
 * writing fixes. Nothing here throws for a file-system problem: it becomes a
 * FileProblem, one line naming the file and the cause, and the run goes on
 * with the other files (exit 2 at the end).
 */
import {
  closeSync, fchmodSync, fchownSync, fstatSync, fsyncSync, lstatSync, openSync, readdirSync, readSync, realpathSync, renameSync,
  statSync, unlinkSync, writeSync, type Stats,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isDockerfileName } from '../engine/index.js';
import { decodeText, encodeText, NotTextError, type TextEncoding } from '../syntax/index.js';
import { FileProblem } from './errors.js';

const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'vendor']);

/**
 * Whether a directory search takes a file: `true`/`false` decides, `undefined`
 * leaves it to the name (isDockerfileName). The configuration's include globs.
 */
export type IncludeFile = (path: string) => boolean | undefined;

export interface FoundFiles {
  files: string[];
  /** Paths that do not exist, directories that cannot be listed, links that lead nowhere. */
  problems: FileProblem[];
}

/**
 * Files named on the command line (whatever their name), and Dockerfiles
 * found under named directories, in a stable order. Symbolic links to files
 * are followed; links to directories are not (no loops, no escaping the tree).
 */
export function findFiles(paths: string[], include?: IncludeFile): FoundFiles {
  const found: FoundFiles = { files: [], problems: [] };
  for (const p of paths) {
    if (p === '-') {
      found.files.push('-');
      continue;
    }
    let stat: Stats;
    try {
      stat = statSync(p);
    } catch (err) {
      found.problems.push(problem(p, err));
      continue;
    }
    if (stat.isDirectory()) walk(p, found, include);
    else found.files.push(p);
  }
  return found;
}

function walk(dir: string, found: FoundFiles, include?: IncludeFile): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    found.problems.push(problem(dir, err));
    return;
  }
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) walk(path, found, include);
    } else if (include?.(path) ?? isDockerfileName(e.name)) {
      if (e.isFile()) found.files.push(path);
      else if (e.isSymbolicLink()) {
        try {
          if (statSync(path).isFile()) found.files.push(path);
        } catch (err) {
          found.problems.push(problem(path, err)); // a link to nowhere, or a loop
        }
      }
    }
  }
}

/** Larger than any Dockerfile: a guard against reading a device or an endless pipe. */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

export interface Input {
  text: string;
  encoding: TextEncoding;
  /** The file as read (for --fix: to write back only if it did not change meanwhile). */
  stat?: Stats;
}

/** Reads a file (or standard input for '-') as text. Throws FileProblem. */
export function readInput(path: string): Input {
  const name = path === '-' ? '<stdin>' : path;
  let fd: number | undefined;
  try {
    fd = path === '-' ? 0 : openSync(path, 'r');
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new FileProblem(name, 'is a directory');
    if (stat.isCharacterDevice() && path !== '-') throw new FileProblem(name, 'not a regular file (a device)');
    if (stat.isBlockDevice()) throw new FileProblem(name, 'not a regular file (a device)');
    if (stat.isFile() && stat.size > MAX_INPUT_BYTES) throw new FileProblem(name, `larger than ${MAX_INPUT_BYTES / 1024 / 1024} MiB: not a Dockerfile`);
    const decoded = decodeText(readAll(fd, name, stat.isFile() ? stat.size : undefined));
    return { ...decoded, stat: stat.isFile() ? stat : undefined };
  } catch (err) {
    if (err instanceof NotTextError) throw new FileProblem(name, err.message);
    throw problem(name, err);
  } finally {
    if (fd !== undefined && fd !== 0) closeSync(fd);
  }
}

/**
 * Everything until end of file (pipes and FIFOs included), at most MAX_INPUT_BYTES.
 * A regular file's first read asks for its size and a byte more (it may have
 * grown), so a typical Dockerfile costs one small buffer: a fresh 1 MiB buffer
 * per file cost ~11% of the CPU time of a 770-file run, mostly in garbage collection.
 */
function readAll(fd: number, path: string, size?: number): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const want = chunks.length === 0 && size !== undefined ? size + 1 : 1 << 16;
    const chunk = Buffer.allocUnsafe(Math.min(want, MAX_INPUT_BYTES + 1 - total));
    let n: number;
    try {
      n = readSync(fd, chunk, 0, chunk.length, null);
    } catch (err) {
      // Standard input in non-blocking mode (a terminal, some pipes): wait and retry.
      if ((err as NodeJS.ErrnoException).code === 'EAGAIN') {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
        continue;
      }
      throw err;
    }
    if (n === 0) break;
    chunks.push(chunk.subarray(0, n));
    total += n;
    if (total > MAX_INPUT_BYTES) throw new FileProblem(path, `larger than ${MAX_INPUT_BYTES / 1024 / 1024} MiB: not a Dockerfile`);
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
}

/** A fixed file written beside its target, not yet renamed over it. */
interface Staged {
  path: string;
  target: string;
  tmp: string;
  input: Input;
}

function stage(path: string, text: string, input: Input, checkUnchanged = true): Staged {
  let target: string;
  let stat: Stats;
  try {
    target = realpathSync(path);
    stat = lstatSync(target);
  } catch (err) {
    throw problem(path, err, 'not written: ');
  }
  if (!stat.isFile()) throw new FileProblem(path, 'not written: not a regular file');
  if ((stat.mode & 0o222) === 0) throw new FileProblem(path, `not written: the file is read-only (mode ${(stat.mode & 0o777).toString(8).padStart(4, '0')})`);
  if (stat.nlink > 1) throw new FileProblem(path, `not written: the file has ${stat.nlink} hard links, which writing a new file would split`);
  if (checkUnchanged && input.stat && changed(input.stat, stat)) throw new FileProblem(path, 'not written: the file changed while mountlint was fixing it');
  const uid = process.getuid?.();
  if (uid !== undefined && uid !== 0 && stat.uid !== uid) throw new FileProblem(path, `not written: the file belongs to another user (uid ${stat.uid}), whom only root can give the fixed file`);

  const tmp = join(dirname(target), `.${basename(target)}.mountlint-${process.pid}-${Math.random().toString(36).slice(2, 8)}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', 0o600);
    const bytes = encodeText(text, input.encoding);
    for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
    if (uid !== undefined && (stat.uid !== uid || stat.gid !== process.getgid?.())) {
      try {
        fchownSync(fd, stat.uid, stat.gid);
      } catch {
        throw new FileProblem(path, `not written: this user cannot give a new file the group of the old one (gid ${stat.gid})`);
      }
    }
    fchmodSync(fd, stat.mode & 0o7777);
    fsyncSync(fd);
    closeSync(fd);
    return { path, target, tmp, input };
  } catch (err) {
    if (fd !== undefined) closeQuietly(fd);
    unlinkQuietly(tmp);
    throw problem(path, err, 'not written: ');
  }
}

function commit(s: Staged): void {
  try {
    renameSync(s.tmp, s.target);
  } catch (err) {
    unlinkQuietly(s.tmp);
    throw problem(s.path, err, 'not written: ');
  }
}

/**
 * Writes fixed Dockerfiles as a set (one file is a set of one): every new
 * text goes to a file beside its target first (same mode, owner and group),
 * flushed to disk; only when all are written are they renamed over the
 * originals. A symbolic link keeps pointing at its target, which is what gets
 * fixed. If a write fails, nothing was replaced; if a rename fails, the files
 * already replaced get their old bytes back. Refused, with every file left
 * as it was: read-only files, files whose owner or group this user cannot
 * give the new file, files with several hard links (a rename would split
 * them), and files changed since they were read (`input`). Throws FileProblem.
 */
export function writeAllOrNothing(files: ReadonlyArray<{ path: string; text: string; input: Input }>): void {
  const staged: Staged[] = [];
  try {
    for (const f of files) staged.push(stage(f.path, f.text, f.input));
  } catch (err) {
    for (const s of staged) unlinkQuietly(s.tmp);
    throw err;
  }
  const done: Staged[] = [];
  try {
    for (const s of staged) {
      commit(s);
      done.push(s);
    }
  } catch (err) {
    for (const s of staged) if (!done.includes(s)) unlinkQuietly(s.tmp);
    for (const s of done) commit(stage(s.path, s.input.text, s.input, false));
    throw err;
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // not created, or already renamed
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
}

function changed(before: Stats, now: Stats): boolean {
  return before.ino !== now.ino || before.size !== now.size || before.mtimeMs !== now.mtimeMs;
}

/** The cause of a file-system error in a few words: "permission denied", not "EACCES: permission denied, open '…'". */
function problem(path: string, err: unknown, prefix = ''): FileProblem {
  if (err instanceof FileProblem) return err;
  const e = err as NodeJS.ErrnoException;
  const words = CAUSES[e.code ?? ''] ?? e.message?.replace(/^E[A-Z]+: /, '').replace(/, \w+ '.*'$/, '') ?? String(err);
  const where = e.syscall === 'open' && prefix ? ' (creating the new file beside it)' : e.syscall === 'rename' ? ' (replacing it)' : '';
  return new FileProblem(path, `${prefix}${words}${where}`);
}

const CAUSES: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP: 'too many levels of symbolic links (a loop?)',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EIO: 'input/output error',
  ENAMETOOLONG: 'file name too long',
  EMFILE: 'too many open files',
  ETXTBSY: 'text file busy',
  EBUSY: 'device or resource busy',
  EXDEV: 'cross-device link',
};
