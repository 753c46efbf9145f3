/**
 * `mountlint explain` for everything one request builds (a bake or compose
 * build; a single Dockerfile is a request of one build): which builds run
 * together and why, each build's stages, the operations BuildKit runs (one
 * per merged step, naming every build that shares it), which RUN steps may
 * overlap, and every cache with its users. As text, JSON, or a picture:
 * Mermaid (renders in GitHub markdown) and Graphviz dot.
 */
import type { BuildModel, BuildSet, Step } from '../model/index.js';
import { cacheLabel, useLabel } from '../model/index.js';

export interface GraphExplanation {
  /** How the request is started and why its builds run together. */
  request: { label: string; why: string };
  builds: Array<{ label: string; file: string; target: string; platforms: string[]; namespace: string }>;
  stages: Array<{ build: string; file: string; name: string; base: string; line: number; built: boolean; reason: string }>;
  /** Operations the request runs, one per merged step. */
  steps: Array<{ id: string; kind: string; text: string; platform: string; at: Array<{ build: string; file: string; line: number; stage: string }>; inputs: string[]; caches: string[] }>;
  /** RUN operations that may run at the same time (ids from `steps`). */
  overlaps: Array<[string, string]>;
  /** `label`: the cache as written (its id or target, its namespace, what else makes it its own directory); `key`: BuildKit's. */
  caches: Array<{ key: string; label: string; targets: string[]; users: Array<{ step: string; sharing: string }>; contended: boolean }>;
  /** Pairs of steps that may overlap on a cache both mount with sharing=shared (ids from `steps`, the cache's index). */
  races: Array<{ a: string; b: string; cache: number }>;
}

/** The explanation of a build set; `label`/`why` say how the request is run. */
export function explainSet(set: BuildSet, label: string): GraphExplanation {
  return explainSteps(set.members, set.steps, set.graph, label, set.why);
}

/** A single Dockerfile's build as a request of one. */
export function explainModel(model: BuildModel, path: string): GraphExplanation {
  return explainSteps([model], model.steps, model.graph, `docker build ${path}`, 'one build');
}

function explainSteps(members: BuildModel[], all: Step[], graph: BuildModel['graph'], label: string, why: string): GraphExplanation {
  const lineOf = (s: Step) => s.stage.origin.df.file.source.positionAt(s.instruction.node.range.start).line;
  const fileOf = (m: BuildModel) => m.df.file.source.path;
  const buildName = (m: BuildModel) => m.origin.label || fileOf(m);
  const builds = members.map((m) => ({ label: buildName(m), file: fileOf(m), target: m.builds[0].target.name, platforms: m.options.platforms, namespace: m.namespace }));
  const stages = members.flatMap((m) =>
    m.builds[0].stages.map((node) => {
      const needed = node.neededBy;
      const line = m.df.file.source.positionAt(node.def.from.node.range.start).line;
      const reason = !needed ? 'not built: the target does not need it' : needed === 'target' ? 'the target' : `used by "${needed.user.name}" (${useLabel(needed.use)}, line ${m.df.file.source.positionAt(needed.use.range.start).line})`;
      return { build: buildName(m), file: fileOf(m), name: node.name, base: node.baseName, line, built: !!needed, reason };
    }),
  );

  const byVertex = new Map<string, Step[]>();
  for (const s of all) {
    if (!graph.executing.has(s.vertex) || !s.stage.reachable) continue;
    byVertex.set(s.vertex, [...(byVertex.get(s.vertex) ?? []), s]);
  }
  const ids = new Map([...byVertex.keys()].map((v, i) => [v, `s${i + 1}`]));
  const steps = [...byVertex].map(([vertex, list]) => {
    const s = list[0];
    const at = dedupe(list.map((x) => ({ build: x.stage.origin.label || x.stage.origin.df.file.source.path, file: x.stage.origin.df.file.source.path, line: lineOf(x), stage: x.stage.node.name })));
    return {
      id: ids.get(vertex)!,
      kind: s.instruction.kind.toUpperCase(),
      text: shorten(s.instruction.node.line.text.replace(/\s+/g, ' ').trim()),
      platform: s.platform,
      at,
      inputs: s.inputs.flatMap((v) => (ids.has(v) ? [ids.get(v)!] : [])),
      caches: s.mounts.flatMap((m) => (m.cache ? [m.cache.key] : [])),
    };
  });

  const runs = [...byVertex.values()].map((l) => l[0]).filter((s) => s.instruction.kind === 'run');
  const overlaps: Array<[string, string]> = [];
  for (let i = 0; i < runs.length; i++) for (let j = i + 1; j < runs.length; j++) if (graph.mayOverlap(runs[i], runs[j])) overlaps.push([ids.get(runs[i].vertex)!, ids.get(runs[j].vertex)!]);

  const caches = new Map<string, GraphExplanation['caches'][number]>();
  for (const s of runs) {
    for (const m of s.mounts) {
      if (!m.cache) continue;
      const c = caches.get(m.cache.key) ?? { key: m.cache.key, label: cacheName(m.cache, m.mount), targets: [], users: [], contended: false };
      if (!c.targets.includes(m.target)) c.targets.push(m.target);
      c.users.push({ step: ids.get(s.vertex)!, sharing: m.sharing });
      caches.set(m.cache.key, c);
    }
  }
  const races: GraphExplanation['races'] = [];
  [...caches.values()].forEach((c, index) => {
    const shared = c.users.filter((u) => u.sharing === 'shared').map((u) => u.step);
    for (const [a, b] of overlaps) if (shared.includes(a) && shared.includes(b)) races.push({ a, b, cache: index });
    c.contended = races.some((r) => r.cache === index);
  });
  return { request: { label, why }, builds, stages, steps, overlaps, caches: [...caches.values()], races };
}

/** `"/var/cache/apt"`, `"apt" (namespace "ci"), uid=1000`: as written, never BuildKit's `//var/cache/apt`. */
function cacheName(cache: Parameters<typeof cacheLabel>[0], mount: { uid?: number; gid?: number; mode?: number; from: string }): string {
  const extra = [mount.uid !== undefined ? `uid=${mount.uid}` : '', mount.gid !== undefined ? `gid=${mount.gid}` : '', mount.mode !== undefined ? `mode=${mount.mode.toString(8)}` : '', mount.from ? `from=${mount.from}` : ''].filter(Boolean);
  return cacheLabel(cache) + (extra.length ? `, ${extra.join(',')}` : '');
}

function dedupe<T>(items: T[]): T[] {
  const seen = new Set<string>();
  return items.filter((i) => {
    const k = JSON.stringify(i);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function shorten(text: string): string {
  return text.length > 72 ? text.slice(0, 71) + '…' : text;
}

const where = (a: GraphExplanation['steps'][number]['at'][number]) => `${a.file}:${a.line}`;

export function explainGraphText(e: GraphExplanation): string {
  let out = `${e.request.label}\n  ${e.request.why}\n\nBuilds\n`;
  for (const b of e.builds) out += `  ${b.label}  ${b.file}  target ${b.target}; platforms ${b.platforms.join(', ')}${b.namespace ? `; cache namespace ${JSON.stringify(b.namespace)}` : ''}\n`;
  out += '\nStages\n';
  for (const s of e.stages) out += `  ${s.build}  ${s.name.padEnd(14)} FROM ${s.base.padEnd(24)} ${s.file}:${s.line}  ${s.built ? 'built' : 'skipped'}: ${s.reason}\n`;
  out += '\nSteps BuildKit runs (identical steps merged)\n';
  for (const s of e.steps) {
    const merged = new Set(s.at.map((a) => a.build)).size > 1 ? `  (merged: ${[...new Set(s.at.map((a) => a.build))].join(', ')})` : '';
    out += `  ${s.id.padEnd(4)} ${s.platform.padEnd(12)} ${s.at.map(where).join(', ')}  ${s.text}${merged}\n`;
  }
  out += '\nRUN steps that may run at the same time\n';
  if (!e.overlaps.length) out += '  none\n';
  for (const [a, b] of e.overlaps) out += `  ${a} with ${b}\n`;
  out += '\nCaches\n';
  if (!e.caches.length) out += '  none\n';
  for (const c of e.caches) out += `  ${c.label} at ${c.targets.join(', ')}: ${c.users.map((u) => `${u.step} (sharing=${u.sharing})`).join(', ')}${c.contended ? '  — used by steps that may overlap' : ''}\n`;
  return out;
}

/**
 * How the pictures group steps: a box per build (when the request has
 * several), inside it a box per stage (× platform), steps in them once each
 * (a merged step in the first stage that runs it, naming the others).
 */
interface Cluster {
  id: string;
  label: string;
  steps: GraphExplanation['steps'];
}

function clusters(e: GraphExplanation): Array<{ build: string; label: string; stages: Cluster[] }> {
  const many = e.builds.length > 1;
  const multiPlatform = e.builds.some((b) => b.platforms.length > 1);
  const out: Array<{ build: string; label: string; stages: Cluster[] }> = [];
  e.steps.forEach((s) => {
    const first = s.at[0];
    let build = out.find((b) => b.build === first.build);
    if (!build) out.push((build = { build: first.build, label: first.build, stages: [] }));
    const label = `stage ${first.stage}${multiPlatform ? ` (${s.platform})` : ''}`;
    let stage = build.stages.find((c) => c.label === label);
    if (!stage) build.stages.push((stage = { id: `${out.indexOf(build)}_${build.stages.length}`, label, steps: [] }));
    stage.steps.push(s);
  });
  return many ? out : out.map((b) => ({ ...b, label: '' }));
}

/** A step's box: where it is, merged places, and its text. */
function stepLabel(s: GraphExplanation['steps'][number]): string[] {
  const places = s.at.map((a, i) => `${a.file}:${a.line}${i > 0 ? ` (${a.stage})` : ''}`);
  return [`${s.kind} ${places[0]}${places.length > 1 ? ` (merged: also ${places.slice(1).join(', ')})` : ''}`, s.text];
}

/** A Mermaid flowchart: builds and stages as subgraphs, caches as cylinders, racing pairs joined by red links. */
export function explainMermaid(e: GraphExplanation): string {
  // Quoted labels; lines joined with <br/> (Mermaid's line break), text escaped with its entity codes.
  const q = (lines: string[]) => '"' + lines.map((l) => l.replace(/#/g, '#35;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;')).join('<br/>') + '"';
  let out = 'flowchart LR\n';
  clusters(e).forEach((b, i) => {
    const indent = b.label ? '    ' : '  ';
    if (b.label) out += `  subgraph b${i}[${q([b.label])}]\n`;
    for (const c of b.stages) {
      out += `${indent}subgraph st${c.id}[${q([c.label])}]\n`;
      for (const s of c.steps) out += `${indent}  ${s.id}[${q(stepLabel(s))}]\n`;
      out += `${indent}end\n`;
    }
    if (b.label) out += '  end\n';
  });
  let link = 0;
  for (const s of e.steps) {
    for (const i of s.inputs) {
      out += `  ${i} --> ${s.id}\n`;
      link++;
    }
  }
  e.caches.forEach((c, i) => {
    out += `  c${i}[(${q([`cache ${c.label}`])})]\n`;
    for (const u of c.users) {
      out += `  ${u.step} -.->|${u.sharing}| c${i}\n`;
      link++;
    }
    if (c.contended) out += `  style c${i} fill:#fdd,stroke:#c00\n`;
  });
  const red: number[] = [];
  for (const r of e.races) {
    out += `  ${r.a} <-->|${q([`race: ${e.caches[r.cache].label}`])}| ${r.b}\n`;
    red.push(link++);
  }
  if (red.length) out += `  linkStyle ${red.join(',')} stroke:#c00,stroke-width:3px,color:#c00\n`;
  return out;
}

/** Graphviz dot: the same picture (`dot -Tsvg`). */
export function explainDot(e: GraphExplanation): string {
  const q = (s: string) => JSON.stringify(s);
  let out = 'digraph build {\n  rankdir=TB;\n  compound=true;\n  node [shape=box, fontname="monospace", fontsize=10];\n';
  clusters(e).forEach((b, i) => {
    const indent = b.label ? '    ' : '  ';
    if (b.label) out += `  subgraph cluster_b${i} {\n    label=${q(b.label)};\n    style=rounded;\n`;
    for (const c of b.stages) {
      out += `${indent}subgraph cluster_${c.id} {\n${indent}  label=${q(c.label)};\n${indent}  style=filled;\n${indent}  fillcolor="#f6f8fa";\n`;
      for (const s of c.steps) out += `${indent}  ${s.id} [label=${q(stepLabel(s).join('\n'))}${s.at.length > 1 ? ', style=bold' : ''}];\n`;
      out += `${indent}}\n`;
    }
    if (b.label) out += '  }\n';
  });
  for (const s of e.steps) for (const i of s.inputs) out += `  ${i} -> ${s.id};\n`;
  e.caches.forEach((c, i) => {
    out += `  c${i} [shape=cylinder, label=${q(`cache ${c.label}`)}${c.contended ? ', color=red, fontcolor=red' : ''}];\n`;
    for (const u of c.users) out += `  ${u.step} -> c${i} [style=dashed, label=${q(u.sharing)}];\n`;
  });
  for (const r of e.races) out += `  ${r.a} -> ${r.b} [dir=both, color=red, fontcolor=red, penwidth=2.5, constraint=false, label=${q(`race: ${e.caches[r.cache].label}`)}];\n`;
  return out + '}\n';
}
