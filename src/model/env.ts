/** Variable scopes as BuildKit keeps them while dispatching a stage. */
import { AnalysisLimitError, processWord, WordLexError, type EnvLookup, type Range } from '../syntax/index.js';
import { ModelError } from './errors.js';

export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * A set of variables (later assignments replace earlier ones) that is cheap
 * to snapshot: every step keeps the variables it saw, and a file of
 * thousands of ENV lines between thousands of RUNs must not copy them all
 * for each RUN (that cost ENV × RUN: 22 s and 1.3 GB for 1 MB, measured).
 *
 * A scope records its own assignments with a version number each, and
 * reads the rest from the scope it was cloned from, as that scope was at
 * the time: `clone()` is O(1) and `get` is a binary search per scope on the
 * way. Clones of clones are flattened past MAX_DEPTH, so a lookup never
 * walks a long chain.
 *
 * `identity()` names the contents for BuildKit's merging of equal
 * operations: three 32-bit sums of a hash of each (name, value) pair, kept
 * up to date on every assignment, so equal sets get equal names whatever
 * the order of assignment. Two different sets share a name with a chance
 * of about 2^-96 per pair (docs/design.md).
 */
export class Scope implements EnvLookup {
  // Every step keeps a scope, so a scope is kept small (measured on 20 MB of stages, docs/design.md):
  // no Map until its first assignment, the sums as three int32 fields (an array of
  // three unsigned numbers held three heap numbers), the base as two fields.
  /** This scope's own assignments: for each name, its versions and values in order. */
  private own?: Map<string, { versions: number[]; values: string[] }>;
  private version = 0;
  /** The three sums of identity(), modulo 2^32, kept as int32. */
  private sum0 = 0;
  private sum1 = 0;
  private sum2 = 0;
  /** The scope this one was cloned from, at the version it had then. */
  private readonly base?: Scope;
  private readonly baseVersion: number = 0;
  private readonly depth: number;

  constructor(entries?: Iterable<[string, string]>, base?: Scope) {
    if (base) {
      this.base = base;
      this.baseVersion = base.version;
      this.sum0 = base.sum0;
      this.sum1 = base.sum1;
      this.sum2 = base.sum2;
      this.depth = base.depth + 1;
    } else {
      this.depth = 0;
    }
    for (const [name, value] of entries ?? []) this.set(name, value);
  }

  static readonly MAX_DEPTH = 32;

  get(name: string): string | undefined {
    return this.getAt(name, this.version);
  }

  private getAt(name: string, version: number): string | undefined {
    const history = this.own?.get(name);
    if (history) {
      const i = lastAtOrBefore(history.versions, version);
      if (i >= 0) return history.values[i];
    }
    return this.base?.getAt(name, this.baseVersion);
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  set(name: string, value: string): void {
    const old = this.get(name);
    if (old === value) return;
    if (old !== undefined) this.addPair(name, old, -1);
    this.addPair(name, value, 1);
    this.own ??= new Map();
    const history = this.own.get(name);
    // A first assignment makes arrays of one (push on an empty array reserves 17 places).
    if (!history) this.own.set(name, { versions: [++this.version], values: [value] });
    else {
      history.versions.push(++this.version);
      history.values.push(value);
    }
  }

  /** A scope with these variables, which later assignments to either do not reach. O(1) (flattened past MAX_DEPTH). */
  clone(): Scope {
    if (this.depth >= Scope.MAX_DEPTH) return new Scope(this.entries());
    return new Scope(undefined, this);
  }

  /** The variables, in no particular order. O(size). */
  entries(): Array<[string, string]> {
    const out = new Map<string, string>();
    this.collect(this.version, out);
    return [...out];
  }

  private collect(version: number, out: Map<string, string>): void {
    this.base?.collect(this.baseVersion, out);
    if (!this.own) return;
    for (const [name, history] of this.own) {
      const i = lastAtOrBefore(history.versions, version);
      if (i >= 0) out.set(name, history.values[i]);
    }
  }

  /** A name for this set of variables: equal sets, equal names. */
  identity(): string {
    return [this.sum0, this.sum1, this.sum2].map((n) => (n >>> 0).toString(36)).join('.');
  }

  /** Both scopes seen as one, the second winning. */
  static merged(a: Scope, b: Scope): Scope {
    const out = a.clone();
    for (const [k, v] of b.entries()) out.set(k, v);
    return out;
  }

  /** Adds (sign 1) or removes (sign -1) a pair's three hashes to the sums, modulo 2^32. */
  private addPair(name: string, value: string, sign: 1 | -1): void {
    const [a, b, c] = pairHashes(name, value);
    this.sum0 = (this.sum0 + sign * a) | 0;
    this.sum1 = (this.sum1 + sign * b) | 0;
    this.sum2 = (this.sum2 + sign * c) | 0;
  }
}

/** Index of the last element ≤ value in a sorted array, or -1. */
function lastAtOrBefore(sorted: number[], value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  if (hi < 0 || sorted[0] > value) return -1;
  if (sorted[hi] <= value) return hi; // the usual case: the latest assignment
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (sorted[mid] <= value) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** A (name, value) pair's three hashes, unsigned 32-bit. */
function pairHashes(name: string, value: string): [number, number, number] {
  // Three FNV-1a variants with different offsets and primes over "name\0value".
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  let c = 0x5bd1e995;
  const visit = (code: number) => {
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x5bd1e995);
    c = Math.imul(c ^ code, 0x27d4eb2d);
  };
  for (let i = 0; i < name.length; i++) visit(name.charCodeAt(i));
  visit(0);
  for (let i = 0; i < value.length; i++) visit(value.charCodeAt(i));
  // A final mix, so that sums of nearby hashes do not cancel out in the low bits.
  const mix = (h: number) => {
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    return (h ^ (h >>> 16)) >>> 0;
  };
  return [mix(a), mix(b), mix(c)];
}

/** BuildKit's ProcessWord in normal mode: quotes processed, unset variables become "". */
export function expandWord(word: string, scope: EnvLookup, escapeToken: string): string {
  return processWord(word, scope, { escapeToken }).result;
}

/** expandWord for text outside an instruction being dispatched: failures become a ModelError at `range`. */
export function expandAt(word: string, scope: EnvLookup, escapeToken: string, range: Range): string {
  try {
    return expandWord(word, scope, escapeToken);
  } catch (err) {
    if (err instanceof WordLexError) throw new ModelError(err.message, range);
    if (err instanceof AnalysisLimitError) err.range ??= range;
    throw err;
  }
}
