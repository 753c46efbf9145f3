/**
 * `mountlint verify docker-bake.hcl` (or compose.yaml): runs the request for
 * real with `docker buildx bake` — every target together, as the user's
 * `docker buildx bake` or `docker compose build` would — several times, each
 * from cold caches of its own (a fresh BUILDKIT_CACHE_MOUNT_NS for all
 * targets, no layer cache, results kept only in the build cache), and maps
 * each failure back to its target, Dockerfile and line, and to the finding
 * that predicted it. Compose files go through bake too: that is what
 * `docker compose build` does since Compose 2.37.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { requestMembers, type BuildRequest } from '../builds/index.js';
import { fixBuildSet, lintBuildSet, type LintOptions, type SetLintResult } from '../engine/index.js';
import { CACHE_NAMESPACE_ARG } from '../model/index.js';
import type { FixStrategy } from '../rules/index.js';
import { parseBuildLog, type LoggedStep, type ParsedBuildLog } from './build-log.js';
import { detectDocker, DockerUnavailable, runCommand, type DockerSetup } from './docker-cli.js';
import { EngineApi } from './engine-api.js';
import { failureOf, locate, predictedBy } from './map-failure.js';
import type { DownloadMatch, InfrastructureError, SignatureMatch } from './signatures.js';
import { findWaits, type ObservedWait } from './waits.js';
import { chooseRuns, recordIds, removeNewRecords, runNamespace, withProgress, type ProgressEvent, type RunCount } from './verify.js';

export interface BakeVerifyOptions {
  /** The definition files, passed to bake with -f, in order. */
  files: string[];
  /** The request those files make (for the prediction and to map failures to targets). */
  request: BuildRequest;
  /** Groups or targets named on the command line (none: bake's default). */
  bakeTargets: string[];
  /** The folder bake runs in (relative contexts are under it); default: the first file's. */
  cwd?: string;
  runs?: number;
  /** `host`: the targets' RUN steps get the host network (`--set *.network=host --allow network.host`). */
  network?: string;
  builder?: string;
  dockerBin: string;
  env: NodeJS.ProcessEnv;
  fixStrategy?: FixStrategy;
  onProgress?: (event: ProgressEvent) => void;
  /** Every run's whole output, as the engine printed it. */
  onLog?: (at: { variant: ProgressEvent['variant']; run: number }, log: string) => void;
  /** Stop a run that takes longer than this (default: no limit). */
  timeoutMs?: number;
}

export interface BakeFailure {
  target?: string;
  /** The failed step's Dockerfile and line. */
  file?: string;
  line?: number;
  stage?: string;
  platform?: string;
  step?: string;
  signatures: SignatureMatch[];
  message: string;
  /** The check finding on that instruction, if one predicted it. */
  finding?: { ruleId: string; file: string; line: number };
  /** The engine could not run the build (no tool failed): not evidence of a race. */
  infrastructure?: InfrastructureError;
  /** The failed step could not download what it installs (no tool raced): not evidence of a race either. */
  download?: DownloadMatch;
}

export interface BakeRunResult {
  run: number;
  ok: boolean;
  ms: number;
  failure?: BakeFailure;
  /** Tools that waited for a lock another build held (a wait, not a failure). */
  waits: ObservedWait[];
  /** Stopped at its time limit. */
  timedOut?: boolean;
}

export interface BakeVariant {
  variant: 'original' | 'fixed';
  prediction: SetLintResult;
  runs: BakeRunResult[];
}

export interface BakeVerifyResult {
  engine: { client: string; server: string; buildx: boolean; bake: string };
  runs: RunCount;
  original: BakeVariant;
  fixed?: BakeVariant & { strategy: FixStrategy; changed: string[] };
  cleanup: { records: number; images: number; problems: string[] };
}

export async function verifyBake(options: BakeVerifyOptions): Promise<BakeVerifyResult> {
  const setup = detectDocker(options.dockerBin, options.env);
  if (!setup.buildx) throw new DockerUnavailable('docker buildx is not installed: verifying a bake or compose build needs `docker buildx bake` (install docker-buildx)');
  const bakeVersion = (await runCommand(setup, ['buildx', 'version'], setup.env, () => {})).log.trim();
  const api = options.builder ? undefined : EngineApi.fromEnv(options.env);
  const cleanup = { records: 0, images: 0, problems: [] as string[] };
  if (options.builder) cleanup.problems.push(`build-cache records on builder "${options.builder}" are not removed automatically (docker buildx prune --builder ${options.builder})`);
  const before = api ? await recordIds(api, cleanup.problems) : undefined;

  const lintOptions: LintOptions = { fixStrategy: options.fixStrategy };
  const notes: string[] = [];
  const { members, targets } = requestMembers(options.request, notes);
  const scratch = mkdtempSync(join(tmpdir(), 'mountlint-verify-bake-'));
  try {
    const prediction = lintBuildSet(members, lintOptions, options.request.why);
    // As for a single file: more runs where a tool's races fail only some of the time.
    const runs = chooseRuns(options.runs, () => prediction.results);
    let networkFile: string | undefined;
    if (options.network === 'host') {
      networkFile = join(scratch, 'mountlint-verify-network.hcl');
      writeFileSync(networkFile, targets.map((t) => `target ${JSON.stringify(t.name)} {\n  network = "host"\n}\n`).join(''));
    }
    const original = await runVariant('original', prediction, [], options, runs.runs, setup, networkFile);
    let fixed: BakeVerifyResult['fixed'];
    if (options.fixStrategy) {
      const out = fixBuildSet(members, lintOptions, options.request.why, prediction);
      // Fixed copies in a scratch folder; each target keeps its own context.
      const overrides: string[] = [];
      members.forEach((m, i) => {
        if (!out.changed.includes(m.path)) return;
        const copy = join(scratch, `${targets[i].name}.Dockerfile`);
        writeFileSync(copy, out.outputs.get(m.path)!);
        overrides.push(`${targets[i].name}.dockerfile=${copy}`);
      });
      const fixedPrediction = out.result;
      const result = await runVariant('fixed', fixedPrediction, overrides, options, runs.runs, setup, networkFile);
      fixed = { ...result, strategy: options.fixStrategy, changed: out.changed };
    }
    if (api && before) await removeNewRecords(api, before, cleanup);
    return { engine: { client: setup.client, server: setup.server, buildx: setup.buildx, bake: bakeVersion }, runs, original, fixed, cleanup };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * The `docker buildx bake` arguments of one cold run. `networkFile`: a bake
 * file of ours, merged after the user's, that gives every target
 * `network = "host"` (bake's `--set *.network=` did not take effect with
 * buildx 0.29, measured here; buildx 0.13 has no `network` at all).
 */
export function bakeCommand(options: Pick<BakeVerifyOptions, 'files' | 'bakeTargets' | 'network' | 'builder'>, namespace: string, overrides: string[], networkFile?: string): string[] {
  const args = ['buildx', 'bake', '--progress=plain'];
  for (const f of options.files) args.push('-f', resolve(f));
  if (networkFile) args.push('-f', networkFile, '--allow', 'network.host');
  if (options.builder) args.push('--builder', options.builder);
  args.push('--set', '*.no-cache=true', '--set', `*.args.${CACHE_NAMESPACE_ARG}=${namespace}`, '--set', '*.output=type=cacheonly');
  for (const o of overrides) args.push('--set', o);
  args.push(...options.bakeTargets);
  return args;
}

async function runVariant(variant: 'original' | 'fixed', prediction: SetLintResult, overrides: string[], options: BakeVerifyOptions, count: number, setup: DockerSetup, networkFile?: string): Promise<BakeVariant> {
  const runs: BakeRunResult[] = [];
  const targets = options.request.targets.filter((t) => !t.unknown).map((t) => t.name);
  for (let run = 1; run <= count; run++) {
    const namespace = runNamespace(variant, run);
    // Run from the first definition file's folder: bake resolves contexts against it.
    // The fixed Dockerfiles are our scratch copies, outside the project: newer buildx asks for an fs entitlement to read them.
    const env = overrides.length ? { ...setup.env, BUILDX_BAKE_ENTITLEMENTS_FS: '0' } : setup.env;
    const outcome = await withProgress(options.onProgress, { variant, run, runs: count }, /^#\d+ (\[[^\]]+ \d+\/\d+\] .*)$/, (onLine) =>
      runCommand(setup, bakeCommand(options, namespace, overrides, networkFile), env, onLine, { cwd: resolve(options.cwd ?? resolve(options.files[0], '..')), timeoutMs: options.timeoutMs }),
    );
    const ok = outcome.code === 0;
    options.onLog?.({ variant, run }, outcome.log);
    const log = parseBuildLog(outcome.log);
    runs.push({ run, ok, ms: outcome.ms, failure: ok ? undefined : mapBakeFailure(log, outcome.log, prediction, options.request, targets), waits: findWaits(log), ...(outcome.timedOut ? { timedOut: true } : {}) });
  }
  return { variant, prediction, runs };
}

/** A bake step's `[target platform stage k/n]` prefix, split into its parts. */
function stepParts(step: LoggedStep, targets: string[]): { target?: string; platform?: string; stage?: string } {
  const words = [...(step.platform ? step.platform.split(' ') : []), ...(step.stage ? [step.stage] : [])];
  const target = words.find((w) => targets.includes(w));
  const platform = words.find((w) => /^[a-z0-9]+\/[a-z0-9_]+/.test(w));
  const rest = words.filter((w) => w !== target && w !== platform);
  return { target, platform, stage: rest[rest.length - 1] };
}

/** The failed target (bake says `ERROR: target NAME: …`), its step, Dockerfile line and the finding that predicted it: mapped as for a single file, in that target's Dockerfile. */
export function mapBakeFailure(log: ParsedBuildLog, raw: string, prediction: SetLintResult, request: BuildRequest, targets: string[]): BakeFailure {
  const { failed, signatures, message, infrastructure, download } = failureOf(log);
  const parts = failed ? stepParts(failed, targets) : {};
  const target = /ERROR: target ([^\s:]+):/.exec(raw)?.[1] ?? parts.target;
  const index = request.targets.filter((t) => !t.unknown).findIndex((t) => t.name === target);
  const member = index >= 0 ? prediction.set?.members[index] : undefined;
  const result = member ? prediction.results.find((r) => r.source.path === member.df.file.source.path) : undefined;
  // The step's stage as bake names it (`[api build 2/3]`): the target's own stage name, for the text and position fallbacks.
  const instruction = result ? locate(log, failed && { ...failed, stage: parts.stage }, result) : undefined;
  const source = result?.source;
  const finding = instruction && result ? predictedBy(result.diagnostics, instruction) : undefined;
  return {
    target,
    file: source?.path,
    line: instruction && source ? source.positionAt(instruction.node.range.start).line : undefined,
    stage: parts.stage,
    platform: parts.platform,
    step: failed?.name,
    signatures,
    message,
    infrastructure,
    download,
    finding: finding && source ? { ruleId: finding.ruleId, file: source.path, line: source.positionAt(finding.range.start).line } : undefined,
  };
}
