/**
 * The tool cases: for each package manager or build cache reachable here, two
 * stages that use one cache at the same time with default sharing. Each case
 * is built FROM a tool image (e2e/images/<image>), with its folder as the
 * build context. What the tool is expected to do there is not written here:
 * it is the knowledge layer's (src/knowledge/observed.ts, by case name), and
 * the suite checks the builds against it.
 *   name      the case's name (the knowledge's `observed:<name>` evidence)
 *   tool      the knowledge id of the tool
 *   file      the Dockerfile, relative to e2e/tools
 *   image     the tool image it builds from
 *   timing    whether the fix strategies are timed on it (one case per tool)
 *   setup     what it exercises, for docs/proof.md
 *   platforms (optional) built for these platforms at once, in one request
 *   engines   (optional) the engines it runs on (default: Docker 20.10 and 26.1)
 * apt is not here: every `model` case (../shared/oracle, e2e/cases) races apt, and the
 * knowledge cites the seed's case, h01-seed-with-dependency (APT_MODEL_CASE).
 */
export const APT_MODEL_CASE = { name: 'h01-seed-with-dependency', tool: 'apt', setup: "the seed's Dockerfile with its build dependency: apt-get update and install in two stages, /var/cache/apt and /var/lib/apt mounted" };

export const TOOL_CASES = [
  { name: 'npm-two-stages', tool: 'npm', file: 'node/npm-race.Dockerfile', image: 'node', timing: true, setup: 'npm 9.2 (Debian), npm ci of 106 packages from the npm registry, /root/.npm' },
  { name: 'npm-platforms', tool: 'npm', file: 'node/npm-platforms.Dockerfile', image: 'node', timing: false, platforms: ['linux/amd64', 'linux/arm64'], setup: 'npm 9.2: one stage built for linux/amd64 and linux/arm64 at once (FROM --platform=$BUILDPLATFORM, no emulator), both npm ci on one /root/.npm, as in the amd64+arm64 build of awkoy/notion-mcp-server#9' },
  { name: 'npm-node-modules-staggered', tool: 'npm', file: 'node/npm-node-modules-staggered.Dockerfile', image: 'node', timing: false, platforms: ['linux/amd64', 'linux/arm64'], setup: 'npm 9.2: one stage built for linux/amd64 and linux/arm64 at once (FROM --platform=$BUILDPLATFORM, no emulator), both npm ci into one cache mount on /app/node_modules, the arm64 step starting 4 s later (as when a platform\'s earlier steps are slower) and each reading node_modules for 5 s after installing, as a build does' },
  { name: 'npm-clean-beside-install', tool: 'npm', file: 'node/npm-clean-race.Dockerfile', image: 'node', timing: false, fullRunOnly: 'npm ci beside `npm cache clean --force` failed with exit 254 in some runs (1 of 2 on 20.10 in stop 27; 1 of 2 on 26.1 and on 28.5 on 2026-12-04), against 0 in the runs recorded in observed.ts: the knowledge does not yet model a cache cleaned while another step uses it, so the case waits for that work and runs only in the full run', setup: 'npm 9.2: npm ci in one stage while another installs and then runs npm cache clean --force on the same cache' },
  { name: 'yarn1-two-stages', tool: 'yarn1', file: 'node/yarn-race.Dockerfile', image: 'node', timing: true, setup: 'Yarn 1.22 (Debian yarnpkg), yarn install --frozen-lockfile of 106 packages, /usr/local/share/.cache/yarn' },
  { name: 'pnpm-two-stages', tool: 'pnpm', file: 'node/pnpm-race.Dockerfile', image: 'node', timing: true, setup: 'pnpm 9 (from npm), pnpm install --frozen-lockfile of 106 packages, store /pnpm/store' },
  { name: 'go-two-stages', tool: 'go', file: 'go/race.Dockerfile', image: 'go', timing: true, setup: 'Go 1.19 (Debian), golang.org/x/text from a file:// GOPROXY, module cache and build cache mounted' },
  { name: 'pip-two-stages', tool: 'pip', file: 'python/race.Dockerfile', image: 'python', timing: true, setup: 'pip 23.0 (Debian), 15 sdists from --find-links built into wheels; wheel cache in /root/.cache/pip (no index, so no HTTP cache)' },
  { name: 'cargo-registry-two-stages', tool: 'cargo', file: 'cargo/registry-race.Dockerfile', image: 'rust', timing: true, setup: 'cargo 1.65 (Debian), cargo fetch of 40 crates from a git-index registry on disk and one git dependency; registry/ and git/ mounted (Docker docs layout)' },
  { name: 'cargo-home-two-stages', tool: 'cargo', file: 'cargo/home-wait.Dockerfile', image: 'rust', timing: false, setup: 'the same fetch with one cache on all of CARGO_HOME (its package-cache lock inside)' },
  { name: 'ccache-two-stages', tool: 'ccache', file: 'ccache/race.Dockerfile', image: 'ccache', timing: true, setup: 'ccache 4.7 with gcc 12 (Debian), 23 of its 60 generated C files at -O2, /root/.cache/ccache' },
];
