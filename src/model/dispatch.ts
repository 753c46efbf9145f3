/**
 * Dispatches every stage for one platform, the way dockerfile2llb does:
 * variables in BuildKit's scopes, mounts resolved (pass 2) with the stage's
 * variables, and each operation given a digest over what BuildKit's LLB digest
 * covers (command, env, cwd, user, mounts, network, security, platform,
 * inputs), so identical operations merge as they do in BuildKit.
 * Unreachable stages are dispatched too, for `explain` and for warnings, but
 * are marked: BuildKit never builds or validates them.
 */
import type { ArgInstruction, CopyInstruction, DockerfileInstructions, EnvInstruction, Instruction, RunInstruction } from '../instructions/index.js';
import { InstructionError, resolveMount } from '../instructions/index.js';
import { AnalysisLimitError, WordLexError } from '../syntax/index.js';
import { cacheKey } from './cache-key.js';
import { DEFAULT_PATH, expandAt, expandWord, Scope } from './env.js';
import { ModelError } from './errors.js';
import { absoluteTarget, joinPath } from './paths.js';
import { unknownValue, type ImageConfig } from './options.js';
import type { StageNode } from './stages.js';
import type { BuildOrigin, CacheKey, DispatchedStage, ResolvedMount } from './steps.js';

export interface DispatchContext {
  df: DockerfileInstructions;
  escapeToken: string;
  platform: string;
  /** Meta ARGs and automatic platform ARGs. */
  meta: Scope;
  buildArgs: Record<string, string>;
  namespace: string;
  /** Docker 20.10's frontend takes `--mount` values literally. */
  expandMounts: boolean;
  /** Numbering shared across platforms. */
  nextStepId: () => number;
  /** The vertex of an operation: equal operations get the same one (see vertexNaming). */
  vertexOf: (operation: unknown) => string;
  /** One string for equal strings the model keeps (mount targets and cache ids recur in every stage). */
  intern: (text: string) => string;
  /** A number for each distinct text: equal texts, equal numbers (see textNumbering). */
  textId: (text: string) => number;
  errors: ModelError[];
  origin: BuildOrigin;
  /**
   * A named context (bake `contexts`, compose `additional_contexts`) that
   * replaces an image: its vertex on this platform (another target's result,
   * or a local folder). Undefined: the name is an image.
   */
  namedContext?: (name: string, platform: string) => string | undefined;
  /** The final stage of the build a named context links to, when it is one. */
  namedStage?: (name: string, platform: string) => DispatchedStage | undefined;
  /**
   * Set when several builds run in one request: each has its own build
   * context (its own session), so a COPY or ADD from the context is never the
   * same operation in two builds.
   */
  contextKey?: string;
  imageConfig?: (image: string) => ImageConfig | undefined;
  /** Variables the Dockerfile refers to anywhere. */
  referenced: Set<string>;
}

export function dispatchStages(nodes: StageNode[], ctx: DispatchContext): DispatchedStage[] {
  const dispatched: DispatchedStage[] = [];
  for (const node of nodes) dispatched.push(dispatchStage(node, dispatched, ctx));
  return dispatched;
}

/**
 * BuildKit merges operations with equal digests. We name each distinct
 * operation (its JSON: kind, platform, input vertices, everything that
 * decides its result) once, in order: exact, where a truncated hash only
 * almost is, and cheaper than loading node:crypto for every CLI run.
 */
export function vertexNaming(): (operation: unknown) => string {
  const names = new Map<string, string>();
  return (operation) => {
    const json = JSON.stringify(operation);
    let name = names.get(json);
    if (name === undefined) names.set(json, (name = `op${names.size + 1}`));
    return name;
  };
}

/**
 * A number per distinct text, for the long texts of an operation (its command,
 * its heredocs, a COPY's line) in the JSON vertexNaming keeps: equal texts get
 * equal numbers, so operations merge exactly as with the texts themselves, and
 * the names' keys stay short. With the texts, the keys were the largest part
 * of what building a model of 20 MB of stages left to collect (docs/design.md).
 * The Map holds the texts the instructions hold anyway, not copies.
 */
export function textNumbering(): (text: string) => number {
  const ids = new Map<string, number>();
  return (text) => {
    let id = ids.get(text);
    if (id === undefined) ids.set(text, (id = ids.size));
    return id;
  };
}

/**
 * Equal strings as one: the model keeps a target, a cache id and its key per
 * mount per step, mostly the same few strings (measured on 20 MB of stages,
 * docs/design.md). Lives as long as one model is built.
 */
export function interning(): (text: string) => string {
  const seen = new Map<string, string>();
  return (text) => {
    const known = seen.get(text);
    if (known !== undefined) return known;
    seen.set(text, text);
    return text;
  };
}

/**
 * Which unset variables an image may set: on an image whose configuration is
 * unknown, any the Dockerfile refers to (BuildKit would expand them with the
 * image's ENV); on a known one, those it sets to versions. Scratch sets none.
 */
function unknownVariables(config: ImageConfig | undefined, referenced: Set<string>): (name: string) => boolean {
  if (config) {
    const varying = new Set(config.varying ?? []);
    return (name) => varying.has(name);
  }
  return (name) => referenced.has(name);
}

function imageVertex(name: string, platform: string, ctx: DispatchContext): string {
  const named = ctx.namedContext?.(name, platform);
  if (named !== undefined) return named;
  return name === 'scratch' ? 'scratch' : `image:${name}@${platform}`;
}

/**
 * What dispatching one stage works on: the stage as built so far, and the
 * variables its instructions see. Each instruction's dispatcher reads and
 * updates it, in file order.
 */
interface StageDispatch {
  ctx: DispatchContext;
  node: StageNode;
  /** The stages dispatched before this one (a `COPY --from` or `--mount from=` names one by index). */
  earlier: DispatchedStage[];
  /** The platform this stage runs on (its `FROM --platform`, else the target's). */
  platform: string;
  stage: DispatchedStage;
  /** ENV plus the ARGs declared so far: what `$VAR` sees in this stage. */
  vars: Scope;
  /** The variables steps record: one snapshot, shared until an ARG or ENV changes them. */
  snapshot?: Scope;
  /** Expands a word with `vars`; a variable the image may set but this does not know stays unknown (`${NAME}`), not empty. */
  expand: (word: string) => string;
}

function dispatchStage(node: StageNode, earlier: DispatchedStage[], ctx: DispatchContext): DispatchedStage {
  const state = startStage(node, earlier, ctx);
  for (const ins of node.def.instructions) {
    try {
      dispatchInstruction(state, ins);
    } catch (caught) {
      recordError(state, ins, caught);
    }
  }
  return state.stage;
}

/** What a stage starting from an image (or a named context) starts with: the same for every stage on that image. */
interface ImageStart {
  vertex: string;
  /** The image's ENV: never assigned to, each stage works on a clone. */
  env: Scope;
  workdir: string;
  unknownVariable: (name: string) => boolean;
  shell: string[];
}

// Per dispatch context: thousands of stages on one image share one start (measured on 20 MB of stages, docs/design.md).
const imageStarts = new WeakMap<DispatchContext, Map<string, ImageStart>>();

function imageStart(name: string, platform: string, ctx: DispatchContext): ImageStart {
  let starts = imageStarts.get(ctx);
  if (!starts) imageStarts.set(ctx, (starts = new Map()));
  const key = `${name}\0${platform}`;
  let start = starts.get(key);
  if (!start) {
    // A named context is not an image: what it holds is not known here.
    const config = name === 'scratch' || ctx.namedContext?.(name, platform) !== undefined ? undefined : ctx.imageConfig?.(name);
    start = {
      vertex: imageVertex(name, platform, ctx),
      env: new Scope(Object.entries(config?.env ?? { PATH: DEFAULT_PATH })),
      workdir: config?.workdir ?? '/',
      unknownVariable: unknownVariables(config, ctx.referenced),
      shell: ['/bin/sh', '-c'],
    };
    starts.set(key, start);
  }
  return start;
}

/** The stage before its first instruction: what its base (an earlier stage, an image, a named context) gives it. */
function startStage(node: StageNode, earlier: DispatchedStage[], ctx: DispatchContext): StageDispatch {
  const platformFlag = node.def.from.platform?.value.text;
  const platform = platformFlag ? expandAt(platformFlag, ctx.meta, ctx.escapeToken, node.def.from.node.range) || ctx.platform : ctx.platform;
  const parent = node.baseStage ? earlier[node.baseStage.index] : undefined;
  const image = parent ? undefined : imageStart(node.baseName, platform, ctx);
  const stage: DispatchedStage = {
    node,
    origin: ctx.origin,
    platform,
    reachable: node.neededBy !== undefined,
    steps: [],
    finalVertex: parent ? parent.finalVertex : image!.vertex,
    imageEnv: parent ? parent.imageEnv.clone() : image!.env.clone(),
    workdir: parent ? parent.workdir : image!.workdir,
    unknownVariable: parent ? parent.unknownVariable : image!.unknownVariable,
    user: parent ? parent.user : '',
    shell: parent ? parent.shell : image!.shell,
    imageFrom: parent ? parent.imageFrom : ctx.namedStage?.(node.baseName, platform),
  };
  const vars = stage.imageEnv.clone();
  const scope = { get: (name: string) => vars.get(name) ?? (stage.unknownVariable(name) ? unknownValue(name) : undefined) };
  return { ctx, node, earlier, platform, stage, vars, expand: (word) => expandWord(word, scope, ctx.escapeToken) };
}

/**
 * An instruction that cannot be dispatched (a variable expansion that fails
 * is BuildKit's error for the whole instruction) is an error where BuildKit
 * builds the stage, and a warning where it would not: it only validates
 * dispatched stages, so elsewhere the problem is latent. Anything else is a bug.
 */
function recordError({ ctx, node, stage }: StageDispatch, ins: Instruction, caught: unknown): void {
  if (caught instanceof AnalysisLimitError) caught.range ??= ins.node.range;
  const err = caught instanceof WordLexError ? new ModelError(caught.message, ins.node.range) : caught;
  if (!(err instanceof InstructionError || err instanceof ModelError)) throw err;
  const severity = stage.reachable ? 'error' : 'warning';
  const message = stage.reachable ? err.message : `${err.message} (not reported by BuildKit while stage "${node.name}" is not built for this target)`;
  ctx.errors.push(new ModelError(message, err.range, err.rule, severity));
}

function dispatchInstruction(s: StageDispatch, ins: Instruction): void {
  switch (ins.kind) {
    case 'arg':
      return dispatchArg(s, ins);
    case 'env':
      return dispatchEnv(s, ins);
    case 'workdir': {
      const path = s.expand(ins.path);
      s.stage.workdir = path.startsWith('/') ? joinPath(path) : joinPath(s.stage.workdir, path);
      addStep(s, ins, [s.stage.finalVertex], { workdir: s.stage.workdir });
      return;
    }
    case 'user':
      s.stage.user = s.expand(ins.user);
      return;
    case 'shell':
      s.stage.shell = ins.shell;
      return;
    case 'copy':
    case 'add':
      return dispatchCopy(s, ins);
    case 'run':
      return dispatchRun(s, ins);
    default:
      return;
  }
}

/** A build argument wins over the default; without either, the meta or automatic platform ARG of that name; a variable none of them sets stays unset. */
function dispatchArg(s: StageDispatch, ins: ArgInstruction): void {
  for (const pair of ins.pairs) {
    let value: string | undefined;
    if (Object.prototype.hasOwnProperty.call(s.ctx.buildArgs, pair.key)) value = s.ctx.buildArgs[pair.key];
    else if (pair.value !== undefined) value = s.expand(pair.value);
    else value = s.ctx.meta.get(pair.key);
    if (value === undefined) continue;
    s.vars.set(pair.key, value);
    s.snapshot = undefined;
  }
}

/** All values are expanded before any is set (`ENV A=1 B=$A` sees the old A), as BuildKit does. */
function dispatchEnv(s: StageDispatch, ins: EnvInstruction): void {
  const values = ins.pairs.map((p) => [p.key, s.expand(p.value)] as const);
  for (const [k, v] of values) {
    s.stage.imageEnv.set(k, v);
    s.vars.set(k, v);
  }
  s.snapshot = undefined;
}

function dispatchCopy(s: StageDispatch, ins: CopyInstruction): void {
  const inputs = [s.stage.finalVertex];
  if (ins.from) {
    const used = s.node.uses.find((u) => u.instruction === ins && u.via === 'copy');
    inputs.push(used ? s.earlier[used.stage.index].finalVertex : imageVertex(ins.from.value.text, s.platform, s.ctx));
  }
  const text = s.ctx.textId(ins.node.line.text);
  addStep(s, ins, inputs, s.ctx.contextKey === undefined || ins.from ? { text } : { text, context: s.ctx.contextKey });
}

function dispatchRun(s: StageDispatch, ins: RunInstruction): void {
  const { mounts, inputs } = resolveMounts(s, ins);
  const network = ins.network ? s.expand(ins.network.value.text) : '';
  const security = ins.security ? s.expand(ins.security.value.text) : '';
  const command = (ins.json ? ins.execArgs.map((a) => a.value) : [...s.stage.shell, ins.shellText.text]).map(s.ctx.textId);
  // A bind mount without from= reads the build context, which is each build's own.
  const readsContext = s.ctx.contextKey !== undefined && mounts.some((m) => m.mount.type === 'bind' && m.mount.from === '');
  const identity = {
    ...(readsContext ? { context: s.ctx.contextKey } : {}),
    command,
    heredocs: ins.heredocs.map((h) => [h.name, s.ctx.textId(h.content), h.chomp, h.expand]),
    env: s.vars.identity(), // the set of variables, named in O(1) (Scope)
    workdir: s.stage.workdir,
    user: s.stage.user,
    network,
    security,
    mounts: mounts.map((m) => [m.mount.type, m.target, m.cache?.key, m.sharing, m.mount.source, m.mount.readOnly, m.mount.from]),
  };
  addStep(s, ins, inputs, identity, mounts);
}

/** A RUN's mounts (pass 2: expanded with the stage's variables), and the operation's inputs: the stage so far, and each bind or cache mount's from=. */
function resolveMounts(s: StageDispatch, ins: RunInstruction): { mounts: ResolvedMount[]; inputs: string[] } {
  const mounts: ResolvedMount[] = [];
  const inputs = [s.stage.finalVertex];
  for (const spec of ins.mounts) {
    const mount = resolveMount(spec, s.ctx.expandMounts ? s.expand : (value) => value);
    let fromVertex = '';
    if (mount.from !== '') {
      const used = s.node.uses.find((u) => u.via === 'mount' && u.range === spec.word.range);
      fromVertex = used ? s.earlier[used.stage.index].finalVertex : imageVertex(mount.from, s.platform, s.ctx);
    }
    // tmpfs, secret and ssh mounts never wait for their from= (no LLB edge).
    if (fromVertex && (mount.type === 'bind' || mount.type === 'cache')) inputs.push(fromVertex);
    const { intern } = s.ctx;
    mount.target = intern(mount.target);
    mount.source = intern(mount.source);
    mount.id = intern(mount.id);
    const target = intern(absoluteTarget(mount.target, s.stage.workdir));
    if (target === '/' && mount.type !== 'secret' && mount.type !== 'ssh') {
      throw new InstructionError('invalid mount target "/"', spec.word.range, 'invalid-mount');
    }
    mounts.push({
      mount,
      target,
      cache: mount.type === 'cache' ? internKey(cacheKey(mount, s.ctx.namespace, fromVertex), intern) : undefined,
      sharing: mount.sharing ?? 'shared',
    });
  }
  return { mounts, inputs };
}

function internKey(key: CacheKey, intern: (text: string) => string): CacheKey {
  return { id: intern(key.id), name: intern(key.name), namespace: key.namespace, base: key.base === undefined ? undefined : intern(key.base), key: intern(key.key) };
}

/** One operation: its vertex names it by everything that decides its result, so equal operations merge. */
function addStep(s: StageDispatch, ins: Instruction, inputs: string[], identity: unknown, mounts: ResolvedMount[] = []): void {
  const { stage, platform, ctx } = s;
  const vertex = ctx.vertexOf([ins.kind, platform, inputs, identity]);
  stage.steps.push({
    id: ctx.nextStepId(),
    vertex,
    platform,
    targetPlatform: ctx.platform,
    stage,
    instruction: ins,
    inputs,
    mounts,
    env: (s.snapshot ??= s.vars.clone()),
    workdir: stage.workdir,
    user: stage.user,
    shell: stage.shell,
  });
  stage.finalVertex = vertex;
}
