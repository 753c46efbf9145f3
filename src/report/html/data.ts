/**
 * What the HTML view draws, worked out from the model: lanes (one per stage ×
 * platform × build of the request), the operations BuildKit runs (merged
 * steps once), which of them may overlap (exactly `graph.mayOverlap`) and
 * why, every cache identity and who uses it, the races and the other
 * findings on their steps. Plain data: the page embeds it as JSON and the
 * browser only draws it, so the CLI and the playground show the same thing.
 */
import type { LintResult } from '../../engine/index.js';
import type { BuildModel, Step } from '../../model/index.js';
import { cacheLabel, useLabel } from '../../model/index.js';
import type { Diagnostic } from '../../rules/index.js';
import { neededChain } from '../../rules/index.js';
import type { SourceFile } from '../../syntax/index.js';

export interface ViewLane {
  build: string;
  /** Which build of the request (index into `builds`), and which stage of its Dockerfile. */
  origin: number;
  stageIndex: number;
  /** Why the target needs the stage, as a chain of uses ('' for the target itself); see why.ts. */
  chain: string;
  stage: string;
  platform: string;
  base: string;
  file: string;
  line: number;
  built: boolean;
  /** Why the build needs the stage ("the target", "used by …"), or why not. */
  reason: string;
}

export interface ViewStep {
  /** The lane it is drawn in (the first stage that runs it, when merged). */
  lane: number;
  kind: string;
  text: string;
  file: string;
  line: number;
  /** The target platform of the build it runs for. */
  tp: string;
  /** The other places BuildKit runs as this one operation (merged steps), as `file:line (stage)`. */
  also: string[];
  /** Steps it waits for (indexes into steps). */
  inputs: number[];
  /** Column: the longest chain of inputs before it. */
  depth: number;
  built: boolean;
  /** [cache index, sharing, target]. */
  caches: Array<[number, string, string]>;
  /** Steps that may run at the same time: an index into `overlapSets` (-1: none). */
  overlap: number;
  /** Findings on this step (indexes into findings). */
  findings: number[];
}

export interface ViewCache {
  /** The identity BuildKit keys the directory under (id, namespace, from= or uid/gid/mode). */
  key: string;
  /** As written: the id, or the target. */
  label: string;
  /** A short mark readable without colour: A, B, … */
  mark: string;
  /** What makes it a separate directory beyond its id (uid/gid/mode, from=), if anything. */
  detail: string;
  targets: string[];
  /** Mounts of it in steps the build runs (skipped stages aside). */
  users: number;
}

export interface ViewFinding {
  rule: string;
  severity: string;
  message: string;
  file: string;
  line: number;
  column: number;
  step?: number;
  fixes: string[];
}

export interface ViewRace {
  a: number;
  b: number;
  cache: string;
  message: string;
  finding: number;
}

export interface ViewData {
  title: string;
  /** How the request runs (`docker build Dockerfile`, `docker buildx bake`), and why its builds run together. */
  request: string;
  why: string;
  target: string;
  platforms: string[];
  lanes: ViewLane[];
  steps: ViewStep[];
  caches: ViewCache[];
  races: ViewRace[];
  findings: ViewFinding[];
  /** Per build of the request (lanes' `origin`): how its target is named, its platforms; and why the builds run together. See why.ts. */
  builds: Array<{ phrase: string; platforms: string[] }>;
  setWhy: string;
  /**
   * Distinct overlap sets (the steps of a stage mostly share one), each as
   * index ranges `"3-7,12"` or, where that is longer, `"b"` + a base64 bitset
   * (a big build's sets are long and full of holes; see expandOverlap).
   */
  overlapSets: string[];
}

/** The findings of a request, each with the file it is in. */
export interface FileFindings {
  source: SourceFile;
  diagnostics: Diagnostic[];
}

/** The view of a single Dockerfile's lint result (undefined when it did not model). */
export function viewOfResult(result: LintResult, title = result.source.path): ViewData | undefined {
  const model = result.model;
  if (!model) return undefined;
  if (model.set) return viewOfBuilds(model.set.members, model.set.steps, model.set.graph, title, 'the builds of one request', model.set.why, [result]);
  return viewOfBuilds([model], model.steps, model.graph, title, `docker build ${result.source.path}`, 'one build', [result]);
}

/** The view of the builds of one request (one member for a plain `docker build`). */
export function viewOfBuilds(members: BuildModel[], all: Step[], graph: BuildModel['graph'], title: string, request: string, why: string, results: FileFindings[]): ViewData {
  const fileOf = (s: Step) => s.stage.origin.df.file.source;
  const lineOf = (s: Step) => fileOf(s).positionAt(s.instruction.node.range.start).line;
  const multiBuild = members.length > 1;
  const buildName = (m: BuildModel) => m.origin.label || m.df.file.source.path;

  // Lanes: every stage of every member, per platform, in dispatch order.
  const lanes: ViewLane[] = [];
  const laneIndex = new Map<string, number>();
  const laneKey = (origin: number, stage: number, platform: string) => `${origin}\0${stage}\0${platform}`;
  for (const m of members) {
    for (const b of m.builds) {
      for (const node of b.stages) {
        const key = laneKey(m.origin.index, node.index, b.platform);
        if (laneIndex.has(key)) continue;
        const needed = node.neededBy;
        const source = m.df.file.source;
        const reason = !needed ? `not built: target "${b.target.name}" does not need it` : needed === 'target' ? 'the target' : `used by "${needed.user.name}" (${useLabel(needed.use)}, line ${source.positionAt(needed.use.range.start).line})`;
        laneIndex.set(key, lanes.length);
        const line = (offset: number) => source.positionAt(offset).line;
        lanes.push({ build: multiBuild ? buildName(m) : '', origin: members.indexOf(m), stageIndex: node.index, chain: needed && needed !== 'target' ? neededChain(node, line) : '', stage: node.name, platform: b.platform, base: node.baseName, file: source.path, line: source.positionAt(node.def.from.node.range.start).line, built: !!needed, reason });
      }
    }
  }
  const laneOf = (s: Step) => laneIndex.get(laneKey(s.stage.origin.index, s.stage.node.index, s.stage.platform)) ?? laneIndex.get(laneKey(s.stage.origin.index, s.stage.node.index, s.targetPlatform)) ?? 0;

  // Operations: one per vertex (merged steps once); steps of stages the build skips, each on its own.
  const drawn: Step[] = [];
  const byVertex = new Map<string, number>();
  const twins = new Map<number, Step[]>();
  for (const s of all) {
    const executed = graph.executing.has(s.vertex) && s.stage.reachable;
    const key = executed ? s.vertex : `skipped\0${s.id}`;
    const known = byVertex.get(key);
    if (known !== undefined) {
      twins.get(known)!.push(s);
      continue;
    }
    byVertex.set(key, drawn.length);
    twins.set(drawn.length, []);
    drawn.push(s);
  }
  const idOfVertex = (v: string) => byVertex.get(v);

  const caches: ViewCache[] = [];
  const cacheIndex = new Map<string, number>();
  const steps: ViewStep[] = drawn.map((s, i) => {
    const built = graph.executing.has(s.vertex) && s.stage.reachable;
    const others = twins.get(i)!.filter((t) => t.instruction !== s.instruction || t.stage.origin.index !== s.stage.origin.index);
    const also = dedupe(others.map((t) => `${fileOf(t).path}:${lineOf(t)} (${t.stage.node.name}${multiBuild ? `, ${t.stage.origin.label}` : ''})`));
    const inputs = built ? s.inputs.flatMap((v) => (idOfVertex(v) !== undefined ? [idOfVertex(v)!] : [])) : [];
    const stepCaches: ViewStep['caches'] = [];
    for (const m of s.mounts) {
      if (!m.cache) continue;
      let c = cacheIndex.get(m.cache.key);
      if (c === undefined) {
        c = caches.length;
        cacheIndex.set(m.cache.key, c);
        caches.push({ key: m.cache.key, label: cacheLabel(m.cache), mark: mark(c), detail: cacheDetail(m.mount), targets: [], users: 0 });
      }
      if (!caches[c].targets.includes(m.target)) caches[c].targets.push(m.target);
      if (built) caches[c].users++;
      stepCaches.push([c, m.sharing, m.target]);
    }
    return { lane: laneOf(s), kind: s.instruction.kind.toUpperCase(), text: s.instruction.node.line.text.replace(/\s+/g, ' ').trim(), file: fileOf(s).path, line: lineOf(s), tp: s.targetPlatform, also, inputs, depth: 0, built, caches: stepCaches, overlap: -1, findings: [] };
  });
  // Depth: inputs come before their users in dispatch order, so one pass suffices.
  // A skipped stage has no operations to wait for: its steps are drawn one after another.
  const laneDepth = new Map<number, number>();
  steps.forEach((st, i) => {
    const own = st.built ? 0 : (laneDepth.get(st.lane) ?? -1) + 1;
    st.depth = st.inputs.reduce((d, j) => (j < i ? Math.max(d, steps[j].depth + 1) : d), own);
    laneDepth.set(st.lane, st.depth);
  });

  // Which steps may overlap (the page says why: why.ts).
  const executed = drawn.map((s, i) => (steps[i].built ? i : -1)).filter((i) => i >= 0);
  const overlapSets: string[] = [];
  const setIndex = new Map<string, number>();
  for (const i of executed) {
    const a = drawn[i];
    const list: number[] = [];
    for (const j of executed) {
      if (j === i || !graph.mayOverlap(a, drawn[j])) continue;
      list.push(j);
    }
    if (!list.length) continue;
    const encoded = encodeSet(list, drawn.length);
    let k = setIndex.get(encoded);
    if (k === undefined) {
      k = overlapSets.length;
      overlapSets.push(encoded);
      setIndex.set(encoded, k);
    }
    steps[i].overlap = k;
  }

  // Findings on their steps; races between the two steps they name.
  const findings: ViewFinding[] = [];
  const races: ViewRace[] = [];
  const seenRace = new Set<string>();
  const stepAt = (file: SourceFile, offset: number, exclude?: number): number[] => {
    const out: number[] = [];
    drawn.forEach((s, i) => {
      if (i === exclude) return;
      const places = [s, ...twins.get(i)!];
      if (places.some((p) => fileOf(p).path === file.path && p.instruction.node.range.start <= offset && offset < Math.max(p.instruction.node.range.end, p.instruction.node.range.start + 1))) out.push(i);
    });
    return out;
  };
  const seenFinding = new Set<string>();
  for (const r of results) {
    for (const d of r.diagnostics) {
      const file = d.file ?? r.source;
      const key = `${file.path}\0${d.ruleId}\0${d.range.start}\0${d.message}`;
      if (seenFinding.has(key)) continue;
      seenFinding.add(key);
      const pos = file.positionAt(d.range.start);
      const here = stepAt(file, d.range.start);
      const builtHere = here.filter((i) => steps[i].built);
      const index = findings.length;
      const step = builtHere[0] ?? here[0];
      findings.push({ rule: d.ruleId, severity: d.severity, message: d.message, file: file.path, line: pos.line, column: pos.column, step, fixes: dedupe((d.suggestions ?? (d.fix ? [d.fix] : [])).map((f) => `${f.strategy ? `${f.strategy}: ` : ''}${f.description}`)) });
      if (step !== undefined) steps[step].findings.push(index);
      if (d.ruleId !== 'cache-race' || !d.related.length) continue;
      // The race's other step: the first related place, in its own file.
      const other = d.related[0];
      const there = stepAt(other.file ?? file, other.range.start).filter((i) => steps[i].built);
      const pair = pickPair(builtHere, there, (x, y) => graph.mayOverlap(drawn[x], drawn[y]));
      if (!pair) continue;
      const cache = /cache "([^"]*)"/.exec(d.message)?.[1] ?? commonCache(steps[pair[0]], steps[pair[1]], caches);
      const raceKey = `${Math.min(...pair)},${Math.max(...pair)},${cache}`;
      if (seenRace.has(raceKey)) continue;
      seenRace.add(raceKey);
      races.push({ a: pair[0], b: pair[1], cache, message: d.message, finding: index });
    }
  }
  const first = members[0];
  return { title, request, why, target: first.builds[0].target.name, platforms: first.options.platforms, lanes, steps, caches, races, findings, builds: members.map((m) => ({ phrase: targetPhrase(m), platforms: m.options.platforms })), setWhy: members[0].set?.why ?? '', overlapSets };
}

/** How whyOverlap names a build's target. */
function targetPhrase(model: BuildModel): string {
  const target = model.builds[0].target;
  const build = model.origin.label ? ` of ${model.origin.label}` : '';
  return model.options.target ? `target "${target.name}"${build}` : `the default target "${target.name}"${build} (the last stage)`;
}

function pickPair(as: number[], bs: number[], overlap: (a: number, b: number) => boolean): [number, number] | undefined {
  for (const a of as) for (const b of bs) if (a !== b && overlap(a, b)) return [a, b];
  for (const a of as) for (const b of bs) if (a !== b) return [a, b];
  return undefined;
}

function commonCache(a: ViewStep, b: ViewStep, caches: ViewCache[]): string {
  const shared = a.caches.find(([c]) => b.caches.some(([d]) => d === c));
  return shared ? caches[shared[0]].label.replace(/^"|"$/g, '') : '';
}

function cacheDetail(m: { uid?: number; gid?: number; mode?: number; from: string }): string {
  const parts: string[] = [];
  if (m.uid !== undefined) parts.push(`uid=${m.uid}`);
  if (m.gid !== undefined) parts.push(`gid=${m.gid}`);
  if (m.mode !== undefined) parts.push(`mode=${m.mode.toString(8)}`);
  if (m.from) parts.push(`from=${m.from}`);
  return parts.join(',');
}

/** A, B, …, Z, AA, AB, … */
function mark(n: number): string {
  let s = '';
  for (let i = n + 1; i > 0; i = Math.floor((i - 1) / 26)) s = String.fromCharCode(65 + ((i - 1) % 26)) + s;
  return s;
}

/** Sorted indexes as ranges: [1,2,3,7] → "1-3,7". */
export function ranges(list: number[]): string {
  const out: string[] = [];
  for (let i = 0; i < list.length; ) {
    let j = i;
    while (j + 1 < list.length && list[j + 1] === list[j] + 1) j++;
    out.push(j > i ? `${list[i]}-${list[j]}` : `${list[i]}`);
    i = j + 1;
  }
  return out.join(',');
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Sorted indexes below `size`: as ranges, or as `"b"` + a base64 bitset when that is shorter. */
export function encodeSet(list: number[], size: number): string {
  const asRanges = ranges(list);
  const bytes = new Uint8Array(Math.ceil(size / 8));
  for (const i of list) bytes[i >> 3] |= 1 << (i & 7);
  if (asRanges.length <= Math.ceil(bytes.length / 3) * 4 + 1) return asRanges;
  let out = 'b';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += BASE64[(n >> 18) & 63] + BASE64[(n >> 12) & 63] + BASE64[(n >> 6) & 63] + BASE64[n & 63];
  }
  return out;
}

/** The inverse of `encodeSet` (the page's script does the same). */
export function expandOverlap(text: string): number[] {
  if (!text) return [];
  if (text.startsWith('b')) {
    const out: number[] = [];
    for (let i = 1, byte = 0; i < text.length; i += 4, byte += 3) {
      const n = (BASE64.indexOf(text[i]) << 18) | (BASE64.indexOf(text[i + 1]) << 12) | (BASE64.indexOf(text[i + 2]) << 6) | BASE64.indexOf(text[i + 3]);
      const three = [(n >> 16) & 255, (n >> 8) & 255, n & 255];
      three.forEach((b, j) => {
        for (let bit = 0; bit < 8; bit++) if (b & (1 << bit)) out.push((byte + j) * 8 + bit);
      });
    }
    return out;
  }
  return text.split(',').flatMap((part) => {
    const [a, b] = part.split('-').map(Number);
    if (b === undefined) return [a];
    return Array.from({ length: b - a + 1 }, (_, k) => a + k);
  });
}

function dedupe(items: string[]): string[] {
  return [...new Set(items)];
}
