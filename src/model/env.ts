/** Variable scopes as BuildKit keeps them while dispatching a stage. */
import { AnalysisLimitError, processWord, WordLexError, type EnvLookup, type Range } from '../syntax/index.js';
import { ModelError } from './errors.js';

export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** An ordered set of variables; later assignments replace earlier ones. */
export class Scope implements EnvLookup {
  private readonly vars: Map<string, string>;

  constructor(entries?: Iterable<[string, string]>) {
    this.vars = new Map(entries);
  }

  get(name: string): string | undefined {
    return this.vars.get(name);
  }

  has(name: string): boolean {
    return this.vars.has(name);
  }

  set(name: string, value: string): void {
    this.vars.delete(name);
    this.vars.set(name, value);
  }

  clone(): Scope {
    return new Scope(this.vars);
  }

  entries(): Array<[string, string]> {
    return [...this.vars];
  }

  /** Both scopes seen as one, the second winning. */
  static merged(a: Scope, b: Scope): Scope {
    const out = a.clone();
    for (const [k, v] of b.entries()) out.set(k, v);
    return out;
  }
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
