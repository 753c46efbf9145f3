/**
 * cache-hides-output: a cache mount over files the image needs. What a RUN
 * writes under a cache mount stays in the cache, not in the image: installed
 * packages, node_modules, build outputs, dpkg's database. Where each tool
 * writes them is data in the knowledge layer (`outputs`), resolved for the
 * step: its WORKDIR, `cd` in the script, `--manifest-path`, CARGO_TARGET_DIR,
 * VIRTUAL_ENV, Poetry's settings.
 */
import type { Invocation } from '../commands/index.js';
import type { OutputDir, ToolUse } from '../knowledge/index.js';
import { isUnknownPath, relativeInside, type ResolvedMount, type Step } from '../model/index.js';
import { builtRunSteps, invocationsWithCwd, reportOnStep, toolUses } from './tool-uses.js';
import type { MessageRef } from './messages.js';
import type { Rule, RuleContext } from './types.js';

export const cacheHidesOutputRule: Rule = {
  meta: {
    id: 'cache-hides-output',
    severity: 'warning',
    description: 'A cache mount over files the image needs: what the RUN writes there is not in the image.',
    rationale:
      'A cache mount replaces the directory for the duration of the RUN; whatever the RUN writes there stays in the cache and never reaches the image. ' +
      "Mounting site-packages, node_modules, a gem home, Poetry's virtualenvs, Cargo's target/ (without copying the binary out in the same RUN), or /var/lib/dpkg builds an image without them. " +
      "Mounting all of /var/lib/apt, as Docker's reference does, also keeps apt's auto-installed marks (extended_states) out of the image; that matters only where something reads them (`apt-get autoremove`, `--auto-remove`, `apt-mark showmanual`), and it is reported only there, as info. " +
      "Where a tool writes is worked out for the step: the WORKDIR and any `cd` before the command, `--manifest-path`, `--target-dir` and CARGO_TARGET_DIR for Cargo, VIRTUAL_ENV, and Poetry's virtualenv settings (POETRY_VIRTUALENVS_CREATE, POETRY_VIRTUALENVS_IN_PROJECT, `poetry config`).",
    fixable: false,
    messages: {
      hides: 'The cache mount at {target} hides {what}: files written there are in the cache, not in the image.',
      hidesUncopied: 'The cache mount at {target} hides {what} (nothing is copied out of it in this RUN or a later one): files written there are in the cache, not in the image.',
      readLater: 'The cache mount at {target} holds {what}, and `{command}` {where} relies on it: {consequence}.',
      readLaterNarrower: 'The cache mount at {target} holds {what}, and `{command}` {where} relies on it: {consequence}. Mount {narrower} instead.',
    },
    bad: [
      { title: 'node_modules as a cache', dockerfile: 'FROM node:20\nWORKDIR /app\nCOPY package.json yarn.lock ./\nRUN --mount=type=cache,target=/app/node_modules yarn install --frozen-lockfile\n' },
      { title: "Cargo's target/ without copying the binary out", dockerfile: 'FROM rust:1.80\nWORKDIR /app\nCOPY . .\nRUN --mount=type=cache,target=/app/target cargo build --release\n' },
    ],
    good: [
      { title: 'Cache the download cache, and copy build outputs out in the same RUN', dockerfile: 'FROM rust:1.80\nWORKDIR /app\nCOPY . .\nRUN --mount=type=cache,target=/usr/local/cargo/registry,sharing=locked --mount=type=cache,target=/app/target \\\n    cargo build --release && cp target/release/app /usr/local/bin/app\n' },
      { title: "All of /var/lib/apt, as in Docker's reference, with nothing reading the auto-installed marks", dockerfile: 'FROM debian:bookworm\nRUN rm -f /etc/apt/apt.conf.d/docker-clean\nRUN --mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt,sharing=locked \\\n    apt-get update && apt-get install -y gcc\n' },
      { title: 'Poetry installing into the image, not into its cache', dockerfile: 'FROM python:3.12\nENV POETRY_VIRTUALENVS_CREATE=false\nRUN --mount=type=cache,target=/root/.cache/pypoetry,sharing=locked poetry install\n' },
    ],
    evidence: ['BuildKit reference: cache mount contents are not part of the image [BK-REF]', 'each tool\'s output directories and their evidence: docs/tools.md'],
  },
  check(context) {
    for (const step of builtRunSteps(context)) {
      for (const mount of step.mounts) {
        if (!mount.cache || isUnknownPath(mount.target)) continue;
        const found = hidden(context, step, mount);
        if (!found) continue;
        const { use, spec, reader } = found;
        const related = [{ range: use.invocation.range, message: `${use.invocation.program} writes there` }];
        let ref: MessageRef = { messageId: spec.intermediate ? 'hidesUncopied' : 'hides', data: { target: mount.target, what: spec.what } };
        if (reader && spec.readBy) {
          const where = reader.step === step ? 'here' : `on line ${context.parsed.source.positionAt(reader.invocation.range.start).line}`;
          const consequence = reader.underMount ? spec.readBy.inCache : spec.readBy.inImage;
          const data = { target: mount.target, what: spec.what, command: commandLine(reader.invocation), where, consequence };
          ref = spec.narrower ? { messageId: 'readLaterNarrower', data: { ...data, narrower: spec.narrower } } : { messageId: 'readLater', data };
          if (reader.step !== step) related.push({ range: reader.invocation.range, message: `${reader.invocation.program} reads ${spec.what}` });
        }
        reportOnStep(context, step, { severity: spec.minor ? 'info' : undefined, ...ref, range: mount.mount.spec.word.range, related });
      }
    }
  },
};

interface Reader {
  step: Step;
  invocation: Invocation;
  /** It runs under a cache mount over the directory (it reads the cache's copy). */
  underMount: boolean;
}

function hidden(context: RuleContext, step: Step, mount: ResolvedMount): { use: ToolUse; spec: OutputDir; reader?: Reader } | undefined {
  for (const use of toolUses(context, step)) {
    for (const { spec, dir } of use.outputs) {
      const covered = spec.pattern ? new RegExp(spec.pattern).test(mount.target) : dir !== undefined && !isUnknownPath(dir) && relativeInside(mount.target, dir) !== undefined;
      if (!covered) continue;
      if (spec.intermediate && (copiesOut(context, step, dir ?? mount.target) || continuedLater(context, step, mount))) continue;
      if (!spec.readBy) return { use, spec };
      const reader = readerOf(context, step, new RegExp(spec.readBy.pattern), dir ?? mount.target);
      if (reader) return { use, spec, reader };
    }
  }
  return undefined;
}

/**
 * The first command that reads the directory, in this RUN or in a later RUN
 * of the same image (its stage, or a stage built FROM it), e.g.
 * `apt-get autoremove` reading apt's auto-installed marks.
 */
function readerOf(context: RuleContext, step: Step, pattern: RegExp, dir: string): Reader | undefined {
  const inImage = (s: Step) => (s.stage === step.stage ? s.id >= step.id : descendsFrom(s.stage.node, step.stage.node));
  for (const s of context.model!.steps) {
    if (s.instruction.kind !== 'run' || s.platform !== step.platform || !inImage(s)) continue;
    const invocation = context.invocations(s).find((inv) => pattern.test(commandLine(inv)));
    if (invocation) return { step: s, invocation, underMount: s.mounts.some((m) => m.cache && relativeInside(m.target, dir) !== undefined) };
  }
  return undefined;
}

function descendsFrom(node: Step['stage']['node'], ancestor: Step['stage']['node']): boolean {
  for (let n = node.baseStage; n; n = n.baseStage) if (n === ancestor) return true;
  return false;
}

function commandLine(inv: Invocation): string {
  return [inv.program, ...inv.args].join(' ');
}

/** Another RUN of the build mounts the same cache (e.g. `cargo chef cook`, then the real build that copies out). */
function continuedLater(context: RuleContext, step: Step, mount: ResolvedMount): boolean {
  return context.model!.steps.some((s) => s.id > step.id && s.instruction !== step.instruction && s.mounts.some((m) => m.cache?.key === mount.cache?.key));
}

/** A cp, mv, install, rsync or tar in the RUN that reads from the directory (`cp target/release/app /usr/local/bin/`). */
function copiesOut(context: RuleContext, step: Step, dir: string): boolean {
  return invocationsWithCwd(context, step).some(
    ({ invocation, cwd }) =>
      ['cp', 'mv', 'install', 'rsync', 'tar'].includes(invocation.program) &&
      invocation.args.some((a) => !a.startsWith('-') && relativeInside(dir, a.startsWith('/') ? a : `${cwd}/${a}`) !== undefined),
  );
}
