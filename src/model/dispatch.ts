/**
 * Dispatches every stage for one platform, the way dockerfile2llb does:
 * variables in BuildKit's scopes, mounts resolved (pass 2) with the stage's
 * variables, and each operation given a digest over what BuildKit's LLB digest
 * covers (command, env, cwd, user, mounts, network, security, platform,
 * inputs), so identical operations merge as they do in BuildKit.
 * Unreachable stages are dispatched too, for `explain` and for warnings, but
 * are marked: BuildKit never builds or validates them.
 */
import type { DockerfileInstructions, Instruction, RunInstruction } from '../instructions/index.js';
import { InstructionError, resolveMount } from '../instructions/index.js';
import { AnalysisLimitError, WordLexError } from '../syntax/index.js';
import { cacheKey } from './cache-key.js';
import { DEFAULT_PATH, expandAt, expandWord, Scope } from './env.js';
import { ModelError } from './errors.js';
import { absoluteTarget, joinPath } from './paths.js';
import { unknownValue, type ImageConfig } from './options.js';
import type { StageNode } from './stages.js';
import type { BuildOrigin, DispatchedStage, ResolvedMount, Step } from './steps.js';

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

function dispatchStage(node: StageNode, earlier: DispatchedStage[], ctx: DispatchContext): DispatchedStage {
  const reachable = node.neededBy !== undefined;
  const platformFlag = node.def.from.platform?.value.text;
  const platform = platformFlag ? expandAt(platformFlag, ctx.meta, ctx.escapeToken, node.def.from.node.range) || ctx.platform : ctx.platform;
  const parent = node.baseStage ? earlier[node.baseStage.index] : undefined;
  // A named context is not an image: what it holds is not known here.
  const config = parent || node.baseName === 'scratch' || ctx.namedContext?.(node.baseName, platform) !== undefined ? undefined : ctx.imageConfig?.(node.baseName);
  const stage: DispatchedStage = {
    node,
    origin: ctx.origin,
    platform,
    reachable,
    steps: [],
    finalVertex: parent ? parent.finalVertex : imageVertex(node.baseName, platform, ctx),
    imageEnv: parent ? parent.imageEnv.clone() : new Scope(Object.entries(config?.env ?? { PATH: DEFAULT_PATH })),
    workdir: parent ? parent.workdir : (config?.workdir ?? '/'),
    unknownVariable: parent ? parent.unknownVariable : unknownVariables(config, ctx.referenced),
    user: parent ? parent.user : '',
    shell: parent ? parent.shell : ['/bin/sh', '-c'],
    imageFrom: parent ? parent.imageFrom : ctx.namedStage?.(node.baseName, platform),
  };
  // ENV plus the ARGs declared so far: what `$VAR` sees in this stage.
  const state = stage.imageEnv.clone();
  // Steps share one snapshot of the variables until an ARG or ENV changes them.
  let snapshot: Scope | undefined;
  // Variables the image may set but this does not know stay unknown (`${NAME}`), not empty.
  const scope = { get: (name: string) => state.get(name) ?? (stage.unknownVariable(name) ? unknownValue(name) : undefined) };
  const expand = (word: string) => expandWord(word, scope, ctx.escapeToken);

  for (const ins of node.def.instructions) {
    try {
      dispatchInstruction(ins);
    } catch (caught) {
      // A variable expansion that fails is BuildKit's error for the whole instruction.
      if (caught instanceof AnalysisLimitError) caught.range ??= ins.node.range;
      const err = caught instanceof WordLexError ? new ModelError(caught.message, ins.node.range) : caught;
      if (err instanceof InstructionError || err instanceof ModelError) {
        // BuildKit only validates dispatched stages; elsewhere the problem is latent.
        const severity = reachable ? 'error' : 'warning';
        const message = reachable ? err.message : `${err.message} (not reported by BuildKit while stage "${node.name}" is not built for this target)`;
        ctx.errors.push(new ModelError(message, err.range, err.rule, severity));
        continue;
      }
      throw err;
    }
  }
  return stage;

  function dispatchInstruction(ins: Instruction): void {
    switch (ins.kind) {
      case 'arg':
        for (const pair of ins.pairs) {
          let value: string | undefined;
          if (Object.prototype.hasOwnProperty.call(ctx.buildArgs, pair.key)) value = ctx.buildArgs[pair.key];
          else if (pair.value !== undefined) value = expand(pair.value);
          else value = ctx.meta.get(pair.key);
          if (value === undefined) continue;
          state.set(pair.key, value);
          snapshot = undefined;
        }
        return;
      case 'env': {
        const values = ins.pairs.map((p) => [p.key, expand(p.value)] as const);
        for (const [k, v] of values) {
          stage.imageEnv.set(k, v);
          state.set(k, v);
        }
        snapshot = undefined;
        return;
      }
      case 'workdir': {
        const path = expand(ins.path);
        stage.workdir = path.startsWith('/') ? joinPath(path) : joinPath(stage.workdir, path);
        addStep(ins, [stage.finalVertex], { workdir: stage.workdir });
        return;
      }
      case 'user':
        stage.user = expand(ins.user);
        return;
      case 'shell':
        stage.shell = ins.shell;
        return;
      case 'copy':
      case 'add': {
        const inputs = [stage.finalVertex];
        if (ins.from) {
          const from = ins.from.value.text;
          const used = node.uses.find((u) => u.instruction === ins && u.via === 'copy');
          inputs.push(used ? earlier[used.stage.index].finalVertex : imageVertex(from, platform, ctx));
        }
        addStep(ins, inputs, ctx.contextKey === undefined || ins.from ? { text: ins.node.line.text } : { text: ins.node.line.text, context: ctx.contextKey });
        return;
      }
      case 'run':
        dispatchRun(ins);
        return;
      default:
        return;
    }
  }

  function dispatchRun(ins: RunInstruction): void {
    const mounts: ResolvedMount[] = [];
    const inputs = [stage.finalVertex];
    for (const spec of ins.mounts) {
      const mount = resolveMount(spec, ctx.expandMounts ? expand : (value) => value);
      let fromVertex = '';
      if (mount.from !== '') {
        const used = node.uses.find((u) => u.via === 'mount' && u.range === spec.word.range);
        fromVertex = used ? earlier[used.stage.index].finalVertex : imageVertex(mount.from, platform, ctx);
      }
      // tmpfs, secret and ssh mounts never wait for their from= (no LLB edge).
      if (fromVertex && (mount.type === 'bind' || mount.type === 'cache')) inputs.push(fromVertex);
      const target = absoluteTarget(mount.target, stage.workdir);
      if (target === '/' && mount.type !== 'secret' && mount.type !== 'ssh') {
        throw new InstructionError('invalid mount target "/"', spec.word.range, 'invalid-mount');
      }
      mounts.push({
        mount,
        target,
        cache: mount.type === 'cache' ? cacheKey(mount, ctx.namespace, fromVertex) : undefined,
        sharing: mount.sharing ?? 'shared',
      });
    }
    const network = ins.network ? expand(ins.network.value.text) : '';
    const security = ins.security ? expand(ins.security.value.text) : '';
    const command = ins.json ? ins.execArgs.map((a) => a.value) : [...stage.shell, ins.shellText.text];
    // A bind mount without from= reads the build context, which is each build's own.
    const readsContext = ctx.contextKey !== undefined && mounts.some((m) => m.mount.type === 'bind' && m.mount.from === '');
    const identity = {
      ...(readsContext ? { context: ctx.contextKey } : {}),
      command,
      heredocs: ins.heredocs.map((h) => [h.name, h.content, h.chomp, h.expand]),
      env: state.identity(), // the set of variables, named in O(1) (Scope)
      workdir: stage.workdir,
      user: stage.user,
      network,
      security,
      mounts: mounts.map((m) => [m.mount.type, m.target, m.cache?.key, m.sharing, m.mount.source, m.mount.readOnly, m.mount.from]),
    };
    addStep(ins, inputs, identity, mounts);
  }

  function addStep(ins: Instruction, inputs: string[], identity: unknown, mounts: ResolvedMount[] = []): void {
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
      env: (snapshot ??= state.clone()),
      workdir: stage.workdir,
      user: stage.user,
      shell: stage.shell,
    });
    stage.finalVertex = vertex;
  }
}
