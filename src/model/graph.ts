/**
 * The union of every platform's operations, merged by digest, and the one
 * question the analyses ask of it: can two operations run at the same time?
 * BuildKit starts an operation as soon as all its inputs are done and runs
 * independent ones in parallel, so two operations can overlap exactly when
 * neither is an ancestor of the other (buildkit-semantics §3.3).
 */
import type { Step } from './steps.js';

/** Above this many vertices, ancestor bitsets would cost too much memory; fall back to searches. */
const BITSET_LIMIT = 30_000;

export class BuildGraph {
  private readonly index = new Map<string, number>();
  /**
   * Vertex v's inputs are inputList[inputStart[v] .. inputStart[v + 1]): two typed
   * arrays for the graph instead of an array per vertex (measured on 20 MB of stages,
   * docs/design.md).
   */
  private readonly inputStart: Int32Array;
  private readonly inputList: Int32Array;
  private readonly count: number;
  readonly stepsByVertex = new Map<string, Step[]>();
  private ancestors?: Uint32Array[];
  private readonly words: number;

  constructor(
    steps: Step[],
    /** Vertices the build needs (reachable from each platform's target). */
    readonly executing: Set<string>,
  ) {
    // Steps are created in dispatch order, so inputs always come first.
    const id = (v: string) => {
      let i = this.index.get(v);
      if (i === undefined) {
        i = this.index.size;
        this.index.set(v, i);
      }
      return i;
    };
    // First pass: number the vertices, and choose the step whose inputs a vertex keeps (its first with any).
    const chosen: Array<Step | undefined> = [];
    let edges = 0;
    for (const step of steps) {
      for (const input of step.inputs) id(input);
      const self = id(step.vertex);
      if (!chosen[self]?.inputs.length && step.inputs.length) {
        edges += step.inputs.length - (chosen[self]?.inputs.length ?? 0);
        chosen[self] = step;
      }
      const list = this.stepsByVertex.get(step.vertex);
      if (list) list.push(step);
      else this.stepsByVertex.set(step.vertex, [step]);
    }
    this.count = this.index.size;
    this.inputStart = new Int32Array(this.count + 1);
    this.inputList = new Int32Array(edges);
    let at = 0;
    for (let v = 0; v < this.count; v++) {
      this.inputStart[v] = at;
      for (const input of chosen[v]?.inputs ?? []) this.inputList[at++] = this.index.get(input)!;
    }
    this.inputStart[this.count] = at;
    this.words = Math.ceil(this.count / 32);
  }

  /** The step's operation's place in one topological order of the graph (inputs come first). */
  order(step: Step): number {
    return this.index.get(step.vertex)!;
  }

  /** True when BuildKit may run both at once: distinct, both executed, neither waits for the other. */
  mayOverlap(a: Step, b: Step): boolean {
    if (a.vertex === b.vertex) return false;
    if (!this.executing.has(a.vertex) || !this.executing.has(b.vertex)) return false;
    const ia = this.index.get(a.vertex)!;
    const ib = this.index.get(b.vertex)!;
    return !this.isAncestor(ia, ib) && !this.isAncestor(ib, ia);
  }

  /** Is `a` an ancestor of `b`? */
  private isAncestor(a: number, b: number): boolean {
    if (this.count <= BITSET_LIMIT) {
      const bits = this.ancestorBits()[b];
      return (bits[a >>> 5] & (1 << (a & 31))) !== 0;
    }
    const seen = new Uint8Array(this.count);
    const stack = [b];
    while (stack.length) {
      const v = stack.pop()!;
      for (let k = this.inputStart[v]; k < this.inputStart[v + 1]; k++) {
        const u = this.inputList[k];
        if (u === a) return true;
        if (!seen[u]) {
          seen[u] = 1;
          stack.push(u);
        }
      }
    }
    return false;
  }

  private ancestorBits(): Uint32Array[] {
    if (this.ancestors) return this.ancestors;
    const all: Uint32Array[] = new Array(this.count);
    for (let v = 0; v < this.count; v++) {
      const bits = new Uint32Array(this.words);
      for (let k = this.inputStart[v]; k < this.inputStart[v + 1]; k++) {
        const u = this.inputList[k];
        bits[u >>> 5] |= 1 << (u & 31);
        const ub = all[u];
        for (let w = 0; w < this.words; w++) bits[w] |= ub[w];
      }
      all[v] = bits;
    }
    this.ancestors = all;
    return all;
  }
}

/** Every vertex reachable from `roots` through inputs. */
export function reachableVertices(roots: string[], steps: Step[]): Set<string> {
  const inputsOf = new Map<string, string[]>();
  for (const s of steps) if (!inputsOf.has(s.vertex)) inputsOf.set(s.vertex, s.inputs);
  const seen = new Set<string>();
  const stack = [...roots];
  while (stack.length) {
    const v = stack.pop()!;
    if (seen.has(v)) continue;
    seen.add(v);
    for (const u of inputsOf.get(v) ?? []) stack.push(u);
  }
  return seen;
}
