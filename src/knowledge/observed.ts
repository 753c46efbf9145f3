/**
 * What real builds showed here: the races the e2e suite runs on Docker 20.10
 * and 26.1 (e2e/tools/cases.mjs, results in docs/proof.md). Each entry is one
 * case — two stages using one cache at the same time with default sharing —
 * and what the tool did. A tool's `evidence` names its cases as
 * `observed:<case>`; the suite checks on every run that the builds still do
 * what is written here, and `test/knowledge` that it agrees with each tool's
 * `concurrency`.
 */

export interface ObservedRace {
  /** The case's name in e2e/tools/cases.mjs. */
  case: string;
  tool: string;
  /** What the shared cache did: a build failed, a tool waited, or nothing happened. */
  outcome: 'fails' | 'waits' | 'safe';
  /** Cold runs with the cache shared, and how many failed, over both engines (measured here). */
  runs: number;
  failures: number;
  /** The tool version and cache layout the case exercised. */
  setup: string;
  /**
   * What the steps shared: the tool's cache (the default, judged against the
   * tool's `concurrency`), or an output directory the tool empties
   * (node_modules under `npm ci`, judged against the output's `emptiedBy`).
   */
  shared?: 'cache' | 'output';
  /** A public report of the same shape this case was run against, and whether it reproduced it (a report not reproduced here still counts as evidence). */
  against?: { report: string; reproduced: boolean };
}

export const OBSERVED_RACES: readonly ObservedRace[] = [
  { case: 'h01-seed-with-dependency', tool: 'apt', outcome: 'fails', runs: 4, failures: 4, setup: 'apt 2.6 (Debian 12), update and install in two stages' },
  { case: 'npm-two-stages', tool: 'npm', outcome: 'safe', runs: 8, failures: 0, setup: 'npm 9.2, npm ci of 106 packages, /root/.npm' },
  { case: 'npm-platforms', tool: 'npm', outcome: 'safe', runs: 10, failures: 0, setup: 'npm 9.2, one stage built for linux/amd64 and linux/arm64 at once, both npm ci on one /root/.npm (Docker 26.1, containerd image store)', against: { report: 'NPM-PR9', reproduced: false } },
  { case: 'npm-node-modules-staggered', tool: 'npm', shared: 'output', outcome: 'fails', runs: 10, failures: 3, setup: 'npm 9.2, one stage built for linux/amd64 and linux/arm64 at once (FROM --platform=$BUILDPLATFORM, Docker 26.1 with the containerd store), both npm ci into one cache mount on /app/node_modules, the arm64 step 4 s later, each reading node_modules for 5 s after installing: npm\'s tar lost files it was extracting (TAR_ENTRY_ERROR ENOENT) or the other step found its packages gone. Started at the same moment with no read afterwards, the same shape failed in 0 of 14 runs (both emptied an empty directory first)' },
  { case: 'npm-clean-beside-install', tool: 'npm', outcome: 'safe', runs: 6, failures: 0, setup: 'npm 9.2, npm ci beside npm install + npm cache clean --force on the same cache' },
  { case: 'yarn1-two-stages', tool: 'yarn1', outcome: 'fails', runs: 10, failures: 10, setup: 'Yarn 1.22, install of 106 packages, /usr/local/share/.cache/yarn' },
  { case: 'pnpm-two-stages', tool: 'pnpm', outcome: 'safe', runs: 8, failures: 0, setup: 'pnpm 9, install of 106 packages, store /pnpm/store' },
  { case: 'go-two-stages', tool: 'go', outcome: 'safe', runs: 8, failures: 0, setup: 'Go 1.19, module cache and build cache, golang.org/x/text from a file:// GOPROXY' },
  { case: 'pip-two-stages', tool: 'pip', outcome: 'safe', runs: 6, failures: 0, setup: 'pip 23.0, 15 sdists built into its wheel cache (no index: no HTTP cache)' },
  { case: 'cargo-registry-two-stages', tool: 'cargo', outcome: 'fails', runs: 65, failures: 38, setup: 'cargo 1.65, registry/ and git/ mounted, a git-index registry and a git dependency on disk' },
  { case: 'cargo-home-two-stages', tool: 'cargo', outcome: 'waits', runs: 8, failures: 0, setup: 'cargo 1.65, one cache on all of CARGO_HOME' },
  { case: 'ccache-two-stages', tool: 'ccache', outcome: 'safe', runs: 4, failures: 0, setup: 'ccache 4.7 with gcc 12, 23 C files at -O2' },
];

/**
 * How many cold runs without a failure make a clean result convincing: with a
 * failure rate p per run (the lowest measured for the tool), a race survives n
 * clean runs with chance (1 - p)^n; n is the least for which that is at most
 * 1 - confidence. Undefined when no failing race of the tool was measured.
 */
export function runsToConvince(toolId: string, confidence = 0.95, shared: 'cache' | 'output' = 'cache'): number | undefined {
  const rates = OBSERVED_RACES.filter((o) => o.tool === toolId && (o.shared ?? 'cache') === shared && o.outcome === 'fails' && o.runs > 0 && o.failures > 0).map((o) => o.failures / o.runs);
  if (!rates.length) return undefined;
  const p = Math.min(...rates);
  return p >= 1 ? 1 : Math.ceil(Math.log(1 - confidence) / Math.log(1 - p));
}

export function observedRace(caseName: string): ObservedRace | undefined {
  return OBSERVED_RACES.find((o) => o.case === caseName);
}

/** How two separate builds used one cache: the same `id`/target, or a cache per build. */
export type SeparateSharing = 'shared' | 'locked' | 'private' | 'ids' | 'namespace';

/**
 * Two separate builds started at the same moment on one engine, each with an apt
 * step on the same caches (e2e/kinds/separate.mjs, docs/proof.md). `outcome`:
 * - `meets`: they may get one directory and then race (apt failed), or a directory
 *   each (BuildKit created the cache twice; the second build saw none of the
 *   first's files, as moby/buildkit#7088 reports) — both were seen;
 * - `ordered` (locked): never both in one directory at once — the second build
 *   waited for the first, or (a Compose build beside a buildx build, here) each
 *   got a directory of its own; never a failure;
 * - `apart`: a directory each, every run.
 */
export interface SeparateBuilds {
  engine: 'docker-20.10' | 'docker-26.1' | 'docker-28.5';
  launcher: 'docker build' | 'buildx build' | 'buildx bake' | 'compose build';
  sharing: SeparateSharing;
  outcome: 'meets' | 'ordered' | 'apart';
  runs: number;
  /** Runs where a build failed on apt's lock. */
  failures: number;
  /** Runs where one apt step ran only after the other had finished. */
  waits: number;
  /** Runs where the builds got one directory (one saw the other's marker, or failed on its lock). */
  oneDirectory: number;
}

/** Measured here on 2026-12-04 (2 runs per row; `compose build` is a `docker compose build` beside a `docker buildx build`). */
export const SEPARATE_BUILDS: readonly SeparateBuilds[] = [
  { engine: 'docker-20.10', launcher: 'docker build', sharing: 'shared', outcome: 'meets', runs: 2, failures: 2, waits: 0, oneDirectory: 2 },
  { engine: 'docker-20.10', launcher: 'docker build', sharing: 'locked', outcome: 'ordered', runs: 2, failures: 0, waits: 2, oneDirectory: 2 },
  { engine: 'docker-20.10', launcher: 'docker build', sharing: 'private', outcome: 'apart', runs: 2, failures: 0, waits: 0, oneDirectory: 0 },
  { engine: 'docker-20.10', launcher: 'docker build', sharing: 'ids', outcome: 'apart', runs: 2, failures: 0, waits: 0, oneDirectory: 0 },
  { engine: 'docker-20.10', launcher: 'docker build', sharing: 'namespace', outcome: 'apart', runs: 2, failures: 0, waits: 0, oneDirectory: 0 },
  { engine: 'docker-26.1', launcher: 'buildx build', sharing: 'shared', outcome: 'meets', runs: 2, failures: 1, waits: 0, oneDirectory: 1 },
  { engine: 'docker-26.1', launcher: 'buildx build', sharing: 'locked', outcome: 'ordered', runs: 2, failures: 0, waits: 2, oneDirectory: 2 },
  { engine: 'docker-26.1', launcher: 'buildx build', sharing: 'private', outcome: 'apart', runs: 2, failures: 0, waits: 0, oneDirectory: 0 },
  { engine: 'docker-26.1', launcher: 'buildx build', sharing: 'ids', outcome: 'apart', runs: 2, failures: 0, waits: 0, oneDirectory: 0 },
  { engine: 'docker-26.1', launcher: 'buildx build', sharing: 'namespace', outcome: 'apart', runs: 2, failures: 0, waits: 0, oneDirectory: 0 },
  { engine: 'docker-28.5', launcher: 'buildx build', sharing: 'shared', outcome: 'meets', runs: 2, failures: 2, waits: 0, oneDirectory: 2 },
  { engine: 'docker-28.5', launcher: 'buildx build', sharing: 'locked', outcome: 'ordered', runs: 2, failures: 0, waits: 2, oneDirectory: 2 },
  { engine: 'docker-28.5', launcher: 'buildx build', sharing: 'private', outcome: 'apart', runs: 2, failures: 0, waits: 0, oneDirectory: 0 },
  { engine: 'docker-28.5', launcher: 'buildx build', sharing: 'ids', outcome: 'apart', runs: 2, failures: 0, waits: 0, oneDirectory: 0 },
  { engine: 'docker-28.5', launcher: 'buildx build', sharing: 'namespace', outcome: 'apart', runs: 2, failures: 0, waits: 0, oneDirectory: 0 },
  { engine: 'docker-28.5', launcher: 'buildx bake', sharing: 'shared', outcome: 'meets', runs: 2, failures: 0, waits: 0, oneDirectory: 0 },
  { engine: 'docker-28.5', launcher: 'buildx bake', sharing: 'locked', outcome: 'ordered', runs: 2, failures: 0, waits: 2, oneDirectory: 2 },
  { engine: 'docker-28.5', launcher: 'buildx bake', sharing: 'private', outcome: 'apart', runs: 2, failures: 0, waits: 0, oneDirectory: 0 },
  { engine: 'docker-28.5', launcher: 'buildx bake', sharing: 'ids', outcome: 'apart', runs: 2, failures: 0, waits: 0, oneDirectory: 0 },
  { engine: 'docker-28.5', launcher: 'buildx bake', sharing: 'namespace', outcome: 'apart', runs: 2, failures: 0, waits: 0, oneDirectory: 0 },
  { engine: 'docker-28.5', launcher: 'compose build', sharing: 'shared', outcome: 'meets', runs: 2, failures: 1, waits: 0, oneDirectory: 1 },
  // Under locked, the compose build and the buildx build each got a directory of its own here: neither waited nor failed.
  { engine: 'docker-28.5', launcher: 'compose build', sharing: 'locked', outcome: 'ordered', runs: 2, failures: 0, waits: 0, oneDirectory: 0 },
  { engine: 'docker-28.5', launcher: 'compose build', sharing: 'private', outcome: 'apart', runs: 2, failures: 0, waits: 0, oneDirectory: 0 },
  { engine: 'docker-28.5', launcher: 'compose build', sharing: 'ids', outcome: 'apart', runs: 2, failures: 0, waits: 0, oneDirectory: 0 },
  { engine: 'docker-28.5', launcher: 'compose build', sharing: 'namespace', outcome: 'apart', runs: 2, failures: 0, waits: 0, oneDirectory: 0 },
];

export function separateBuildObservation(engine: string, launcher: string, sharing: string): SeparateBuilds | undefined {
  return SEPARATE_BUILDS.find((o) => o.engine === engine && o.launcher === launcher && o.sharing === sharing);
}

/** Runs, failures, waits and one-directory runs of separate builds under some ways of sharing, over every engine and launcher. */
export function separateBuildTotals(sharings: readonly SeparateSharing[], table: readonly SeparateBuilds[] = SEPARATE_BUILDS): { runs: number; failures: number; waits: number; oneDirectory: number } {
  const rows = table.filter((o) => sharings.includes(o.sharing));
  const sum = (k: 'runs' | 'failures' | 'waits' | 'oneDirectory') => rows.reduce((n, o) => n + o[k], 0);
  return { runs: sum('runs'), failures: sum('failures'), waits: sum('waits'), oneDirectory: sum('oneDirectory') };
}

/**
 * Whether a lock file inside the cache (the `wait` fix: `flock`) can order
 * separate builds: only where they were seen to get one directory for a shared
 * cache. Builds that each get a directory of their own never meet in it, so a
 * lock file there orders nothing (and there is nothing to order).
 */
export function lockFileOrdersSeparateBuilds(table: readonly SeparateBuilds[] = SEPARATE_BUILDS): boolean {
  return separateBuildTotals(['shared'], table).oneDirectory > 0;
}

/** The sentence the cache-race rule gives separate builds, from the table (its counts are what was measured). */
export function separateBuildsEvidence(table: readonly SeparateBuilds[] = SEPARATE_BUILDS): string {
  const shared = separateBuildTotals(['shared'], table);
  const locked = separateBuildTotals(['locked'], table);
  const apart = separateBuildTotals(['private', 'ids', 'namespace'], table);
  return (
    `Two separate builds started together on one engine, each running apt on one shared cache, got one directory for it in ${shared.oneDirectory} of ${shared.runs} runs here (apt failed in ${shared.failures}) and a directory each in the rest; ` +
    `with sharing=locked the second build waited in ${locked.waits} of ${locked.runs} (Docker's own builder; moby/buildkit#6014 reports locked ignored by the docker-container driver); ` +
    `a cache per build (sharing=private, an id per build, or its own BUILDKIT_CACHE_MOUNT_NS) kept them apart in ${apart.runs - apart.oneDirectory - apart.failures} of ${apart.runs}.`
  );
}
