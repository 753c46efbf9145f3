/** Command-line arguments → a validated request. Errors here are usage errors (exit 2). */
import { parseArgs } from 'node:util';
import type { Controls } from '../config/index.js';
import type { LintOptions } from '../engine/index.js';
import { suggest } from '../instructions/index.js';
import { BuildOptionError, FRONTENDS, parsePlatform, type Frontend } from '../model/index.js';
import type { ReportFormat } from '../report/index.js';
import { FIX_STRATEGIES, type FixStrategy } from '../rules/index.js';
import { CONTROL_OPTIONS, CONTROLS_HELP, environmentSettings, pairOutputs, ruleControls, type Output } from './controls.js';

import { UsageError } from './errors.js';

/** The options of a run without configuration files (explain, verify, bake/compose builds). */
export function lintOptions(r: CliRequest): LintOptions {
  return { target: r.target, buildArgs: r.buildArgs, platforms: r.platforms, frontend: r.frontend, fixStrategy: r.fixStrategy, unsafeFixes: r.unsafeFixes };
}

export interface CliRequest {
  command: 'check' | 'explain' | 'verify' | 'diagnose' | 'help' | 'version';
  paths: string[];
  target?: string;
  buildArgs: Record<string, string>;
  platforms?: string[];
  frontend?: Frontend;
  /** The format on standard output (explain and verify: text or json). */
  format: ReportFormat | 'mermaid' | 'dot' | 'html';
  /** Every report to write: standard output first, then files. */
  outputs: Output[];
  /** Rule selection, severities, fail level (flags over environment); the configuration file comes below them. */
  controls: Pick<Controls, 'select' | 'ignore' | 'severity' | 'failLevel' | 'reportUnusedSuppressions'>;
  /** --config FILE */
  config?: string;
  noConfig: boolean;
  quiet: boolean;
  statistics: boolean;
  /** bake groups or targets to build (a bake file), compose services (a compose file). */
  bakeTargets?: string[];
  services?: string[];
  /** `--workdir`: the folder `docker buildx bake -f FILE` would run in (relative bake contexts are under it); default: the current one. */
  workdir?: string;
  /** `--env-file`: compose's env files, read instead of the project's .env. */
  envFiles?: string[];
  /** `--profile`: compose profiles to build. */
  profiles?: string[];
  /** Separate builds (CI jobs, bake commands) run at the same time on one builder. */
  concurrentBuilds: boolean;
  /** Who resolves bake and compose files: Docker (`docker buildx bake --print`) where installed, or mountlint alone. */
  resolver: 'auto' | 'docker' | 'mountlint';
  fix: boolean;
  diff: boolean;
  fixStrategy?: FixStrategy;
  unsafeFixes: boolean;
  color?: boolean;
  /** Threads that lint at once, the main one included (undefined: decided by the run's size and the cores). */
  jobs?: number;
  /** --cache / --no-cache (undefined: as each file's configuration says). */
  cache?: boolean;
  cacheLocation?: string;
  /** verify only */
  /** Undefined: verify chooses from the tools the file races with. */
  runs?: number;
  /** verify: stop a run after this long. */
  timeoutMs?: number;
  builder?: string;
  network?: string;
  context?: string;
  docker: string;
  /** diagnose only: -f, the Dockerfile (or bake/compose file) the log's build used. */
  file?: string;
}

export const HELP = `mountlint — finds and fixes what goes wrong with RUN --mount=type=cache, by modelling how BuildKit runs a Dockerfile.

Usage:
  mountlint [check] [options] [paths… | -]   lint Dockerfiles (directories are searched)
  mountlint explain [options] FILE           show stages, steps that may run together, cache mounts
                                             (FILE: a Dockerfile, or a bake/compose file: its whole build;
                                             --format text|json|mermaid|dot|html)
  mountlint verify [options] FILE            run the build for real, from cold caches, and show what fails
  mountlint diagnose [options] [LOG | -]     read a failed build's log (docker build, buildx, bake, compose, as
                                             GitHub Actions, GitLab or Jenkins store it) and say why it failed:
                                             the step and line, the cache, the other step that held it, the fix
                                             (-f FILE: the Dockerfile or bake/compose file, when the log's is not
                                             in the working directory; --format text|json|sarif|github|markdown;
                                             --fix/--diff/--fix-strategy fix what was diagnosed)
  mountlint lsp --stdio                      the language server for editors (settings: README, "In your editor")
  mountlint install-docker-plugin [--dir D]  make "docker mountlint …" run this mountlint (a Docker CLI plugin)

Build definitions (docker-bake.hcl/.json, compose.yaml, .github/workflows/*.yml, .gitlab-ci.yml; a folder's own are found):
  --bake-target NAME       bake group or target to build; repeatable (default: "default")
  --service NAME           compose service to build; repeatable (default: every service that builds)
  --workdir DIR            the folder docker buildx bake runs in: a bake file's relative contexts are under it, as with
                           docker buildx bake -f FILE (default: the current folder)
  --env-file FILE          compose's --env-file: read instead of the project's .env; repeatable
  --profile NAME           compose profile to build; repeatable (default: COMPOSE_PROFILES)
  --concurrent-builds      separate builds (CI jobs, bake commands) run at the same time on one builder
  --resolver R             auto (default: docker buildx bake --print, or docker compose config for compose files,
                           where installed, else mountlint's own reading) | docker | mountlint

Build options (what BuildKit would be asked to build):
  --target STAGE           the stage to build (default: the last one)
  --build-arg K=V          a build argument; repeatable (BUILDKIT_CACHE_MOUNT_NS sets the cache namespace)
  --platform A[,B…]        target platforms; several build concurrently
  --frontend F             current (default) | docker-20.10: the frontend that runs files without # syntax=
                           (verify picks it from the engine's version)

Fixes:
  --fix                    apply fixes to the files in place
  --diff                   print the fixes as a unified diff instead of writing them
  --fix-strategy S         locked | private | id | wait (default: what suits the tool; apt: locked)
  --unsafe-fixes           --fix also applies fixes marked unsafe (e.g. adding cache mounts)
  --color / --no-color     force colours on or off (default: on for a terminal, unless NO_COLOR is set)

Speed:
  --jobs N                 lint on N threads at once, the main one included (default: one per core
                           when there are 16 files or more; --jobs 1: no worker threads)
  --cache / --no-cache     keep each file's findings in a result cache and reuse them while the file,
                           the options, the configuration and mountlint stay the same (default: off,
                           or the configuration's "cache: true")
  --cache-location DIR     the cache's folder (default: node_modules/.cache/mountlint when the working
                           directory is in a project that has node_modules, else $XDG_CACHE_HOME/mountlint)

${CONTROLS_HELP}
Verify (runs docker; never touches your own caches):
  --runs N                 cold builds to run (default 3, more for tools whose races fail only sometimes)
  --timeout SECONDS        stop a run that takes longer (a mirror that never answers, a tool waiting
                           for a lock forever); the run is reported as stopped (default: no limit)
  --builder NAME           buildx builder
  --network MODE           passed to the build (e.g. host)
  --context DIR            build context (default: the Dockerfile's folder)
  --docker PATH            the Docker CLI to use (default: docker)
  --fix-strategy S         also verify the fixed file (a temporary copy) and compare

  -h, --help               this help
  --version                the version

Exit codes: 0 no errors (verify: every run passed; diagnose: no cache failure in the log), 1 an error-level problem
was found (verify: a run failed; diagnose: a cache failure diagnosed), 2 usage error, unreadable input (diagnose: not
a build log), or (verify) Docker or BuildKit not available, or the engine could not run the build.
`;

const OPTIONS = {
        ...CONTROL_OPTIONS,
        target: { type: 'string' },
        'build-arg': { type: 'string', multiple: true },
        platform: { type: 'string', multiple: true },
        frontend: { type: 'string' },
        'bake-target': { type: 'string', multiple: true },
        service: { type: 'string', multiple: true },
        workdir: { type: 'string' },
        'env-file': { type: 'string', multiple: true },
        profile: { type: 'string', multiple: true },
        'concurrent-builds': { type: 'boolean' },
        resolver: { type: 'string' },
        fix: { type: 'boolean' },
        diff: { type: 'boolean' },
        'fix-strategy': { type: 'string' },
        'unsafe-fixes': { type: 'boolean' },
        color: { type: 'boolean' },
        'no-color': { type: 'boolean' },
        jobs: { type: 'string' },
        cache: { type: 'boolean' },
        'no-cache': { type: 'boolean' },
        'cache-location': { type: 'string' },
        runs: { type: 'string' },
        timeout: { type: 'string' },
        builder: { type: 'string' },
        network: { type: 'string' },
        context: { type: 'string' },
        docker: { type: 'string' },
        file: { type: 'string', short: 'f' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];
type FormatToken = { name: 'format' | 'output'; value: string };

function parseFlags(argv: string[]) {
  try {
    const { values, positionals, tokens } = parseArgs({ args: argv, allowPositionals: true, options: OPTIONS, tokens: true });
    const formats = tokens.flatMap((t) => (t.kind === 'option' && (t.name === 'format' || t.name === 'output') ? [{ name: t.name, value: t.value ?? '' } as FormatToken] : []));
    return { values, positionals, formats };
  } catch (err) {
    throw new UsageError(optionError(err as Error & { code?: string }));
  }
}

/**
 * Flags, and MOUNTLINT_* environment variables below them: a flag replaces
 * its variable (per rule for --severity, per name for --build-arg; --format
 * and --output as a group). Each variable is checked on its own, so an error
 * names it.
 */
export function parseCli(argv: string[], env: NodeJS.ProcessEnv = {}): CliRequest {
  const flags = parseFlags(argv);
  let values: Values = {};
  let formats: FormatToken[] = [];
  const off = new Set<string>();
  for (const setting of environmentSettings(env)) {
    if (setting.off) off.add(setting.off);
    const layer = parseFlags(setting.args);
    try {
      toRequest(layer.values, [], layer.formats);
    } catch (err) {
      if (err instanceof UsageError) throw new UsageError(`${setting.name}: ${err.message}`);
      throw err;
    }
    values = { ...values, ...layer.values };
    formats.push(...layer.formats);
  }
  if (flags.formats.length) formats = flags.formats;
  const merged: Values = { ...values, ...flags.values };
  for (const key of ['severity', 'build-arg'] as const) merged[key] = [...(values[key] ?? []), ...(flags.values[key] ?? [])];
  if (flags.values['no-cache'] && !flags.values.cache) delete merged.cache; // --no-cache beats MOUNTLINT_CACHE=1
  const request = toRequest(merged, flags.positionals, formats);
  if (off.has('report-unused-suppressions') && flags.values['report-unused-suppressions'] === undefined) request.controls.reportUnusedSuppressions = false;
  if (off.has('cache') && request.cache === undefined) request.cache = false; // MOUNTLINT_CACHE=0 beats the configuration's cache: true
  return request;
}

function toRequest(values: Values, positionals: string[], formatTokens: FormatToken[]): CliRequest {
  if (values.help || positionals[0] === 'help') return base('help');
  if (values.version) return base('version');

  let command: CliRequest['command'] = 'check';
  let paths = positionals;
  if (paths[0] === 'check' || paths[0] === 'explain' || paths[0] === 'verify' || paths[0] === 'diagnose') {
    command = paths[0];
    paths = paths.slice(1);
  }
  if ((command === 'explain' || command === 'verify') && paths.length !== 1) throw new UsageError(`${command} takes exactly one Dockerfile`);
  if (command === 'diagnose' && paths.length > 1) throw new UsageError('diagnose reads one log (a file, or - for standard input)');
  if (values.file !== undefined && command !== 'diagnose') throw new UsageError('-f/--file is an option of mountlint diagnose');
  if (command === 'verify' && paths[0] === '-') throw new UsageError('verify needs a Dockerfile on disk, not standard input');
  const runs = values.runs === undefined ? undefined : Number(values.runs);
  if (runs !== undefined && (!Number.isInteger(runs) || runs < 1 || runs > 100)) throw new UsageError(`--runs takes a whole number from 1 to 100, not "${values.runs}"`);
  const timeout = values.timeout === undefined ? undefined : Number(values.timeout);
  if (timeout !== undefined && (!Number.isFinite(timeout) || timeout <= 0 || !/^\d+(?:\.\d+)?$/.test(values.timeout!))) throw new UsageError(`--timeout takes a number of seconds above 0, not "${values.timeout}"`);
  for (const flag of ['runs', 'timeout', 'builder', 'network', 'context', 'docker'] as const) {
    if (values[flag] !== undefined && command !== 'verify') throw new UsageError(`--${flag} is an option of mountlint verify`);
  }
  for (const flag of ['fix', 'diff', 'unsafe-fixes'] as const) {
    if (values[flag] && command !== 'check' && !(command === 'diagnose' && flag !== 'unsafe-fixes')) throw new UsageError(`--${flag} is an option of mountlint check, not of mountlint ${command}`);
  }

  const outputs = pairOutputs(command === 'explain' ? [] : formatTokens);
  const format = command === 'explain' ? (formatTokens.filter((t) => t.name === 'format').pop()?.value ?? 'text') : outputs[0].format;
  const picture = command === 'explain' && (format === 'mermaid' || format === 'dot' || format === 'html');
  if (command === 'explain' && formatTokens.some((t) => t.name === 'output')) throw new UsageError('explain writes to standard output only');
  const diagnoseFormat = command === 'diagnose' && outputs.length === 1 && ['text', 'json', 'sarif', 'github', 'markdown'].includes(format);
  if (command === 'diagnose' && !diagnoseFormat) throw new UsageError(`--format must be text, json, sarif, github or markdown for diagnose, not "${format}" (one format, on standard output)`);
  if (command !== 'check' && command !== 'diagnose' && (outputs.length > 1 || (format !== 'text' && format !== 'json' && !picture))) throw new UsageError(`--format must be text or json${command === 'explain' ? ', mermaid, dot or html' : ''} for ${command}, not "${format}"`);
  const controls = ruleControls(values);
  if (values.config !== undefined && values['no-config']) throw new UsageError('use either --config or --no-config, not both');
  if (values.config === '') throw new UsageError('--config needs a file name');
  const strategy = values['fix-strategy'];
  if (strategy !== undefined && !FIX_STRATEGIES.includes(strategy as FixStrategy)) {
    throw new UsageError(`--fix-strategy must be one of ${FIX_STRATEGIES.join(', ')}, not "${strategy}"`);
  }
  if (values.fix && values.diff) throw new UsageError('use either --fix or --diff, not both');
  const jobs = values.jobs === undefined ? undefined : Number(values.jobs);
  if (jobs !== undefined && (!/^\d+$/.test(values.jobs!) || jobs < 1 || jobs > 256)) throw new UsageError(`--jobs takes a whole number from 1 to 256, not "${values.jobs}"`);
  if (values.cache && values['no-cache']) throw new UsageError('use either --cache or --no-cache, not both');
  if (values['cache-location'] === '') throw new UsageError('--cache-location needs a folder');

  const buildArgs: Record<string, string> = {};
  for (const kv of values['build-arg'] ?? []) {
    const eq = kv.indexOf('=');
    if (eq <= 0) throw new UsageError(`--build-arg takes KEY=VALUE, not "${kv}"`);
    buildArgs[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  const platforms = values.platform?.flatMap((p) => p.split(',')).map((p) => p.trim());
  for (const p of platforms ?? []) {
    if (p === '') throw new UsageError('--platform needs platforms such as linux/amd64,linux/arm64 (an empty one was given)');
    try {
      parsePlatform(p);
    } catch (err) {
      if (err instanceof BuildOptionError) throw new UsageError(`--platform: ${err.message}`);
      throw err;
    }
  }
  if (values.target !== undefined && values.target === '') throw new UsageError('--target needs a stage name');
  if (values.frontend !== undefined && !FRONTENDS.includes(values.frontend as Frontend)) {
    throw new UsageError(`--frontend must be one of ${FRONTENDS.join(', ')}, not "${values.frontend}"`);
  }

  return {
    command,
    paths: paths.length ? paths : [command === 'diagnose' ? '-' : '.'],
    target: values.target,
    buildArgs,
    platforms: platforms?.length ? platforms : undefined,
    frontend: values.frontend as Frontend | undefined,
    format: format as CliRequest['format'],
    outputs,
    controls,
    config: values.config,
    noConfig: !!values['no-config'],
    quiet: !!values.quiet,
    statistics: !!values.statistics,
    bakeTargets: values['bake-target']?.flatMap((t) => t.split(',')).filter(Boolean),
    services: values.service?.flatMap((t) => t.split(',')).filter(Boolean),
    workdir: values.workdir,
    envFiles: values['env-file'],
    profiles: values.profile?.flatMap((t) => t.split(',')).filter(Boolean),
    concurrentBuilds: !!values['concurrent-builds'],
    resolver: resolverOf(values.resolver),
    fix: !!values.fix,
    diff: !!values.diff,
    fixStrategy: strategy as FixStrategy | undefined,
    unsafeFixes: !!values['unsafe-fixes'],
    color: values['no-color'] ? false : values.color ? true : undefined,
    jobs,
    cache: values['no-cache'] ? false : values.cache ? true : undefined,
    cacheLocation: values['cache-location'],
    runs,
    timeoutMs: timeout === undefined ? undefined : timeout * 1000,
    builder: values.builder,
    network: values.network,
    context: values.context,
    docker: values.docker ?? 'docker',
    file: values.file,
  };
}

function base(command: 'help' | 'version'): CliRequest {
  return { command, paths: [], buildArgs: {}, format: 'text', outputs: [{ format: 'text' }], controls: {}, noConfig: false, quiet: false, statistics: false, concurrentBuilds: false, resolver: 'auto', fix: false, diff: false, unsafeFixes: false, docker: 'docker' };
}

/** Node's parseArgs messages, said our way: "unknown option --fxi (did you mean --fix?)". */
function optionError(err: Error & { code?: string }): string {
  const option = /'(-[^' ]*)/.exec(err.message)?.[1] ?? '';
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const name = option.replace(/^-+/, '').split('=')[0];
      const close = name.length > 1 ? suggest(name, Object.keys(OPTIONS)) : undefined;
      return `unknown option ${option}${close ? ` (did you mean --${close}?)` : ''}; a path that starts with "-" goes after "--"`;
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /argument missing/.test(err.message) ? `${option} needs a value` : `${option} takes no value`;
    default:
      return err.message;
  }
}

function resolverOf(value: string | undefined): CliRequest['resolver'] {
  if (value === undefined) return 'auto';
  if (value === 'auto' || value === 'docker' || value === 'mountlint') return value;
  throw new UsageError(`--resolver must be auto, docker or mountlint, not "${value}"`);
}
