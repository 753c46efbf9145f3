/**
 * Knowledge of failures: the lines each tool prints when something else
 * holds its cache (each tool's `signatures` in tools.ts, gathered here with
 * the few any tool may print), and which errors are the engine's own. Data
 * only: verify and diagnose find them in build logs (src/verify/signatures.ts),
 * docs/errors.md is generated from them.
 */
import { TOOLS, type ToolSignature } from './tools.js';

export type { ToolSignature };

/** A signature with the tool that prints it: a tool's id (tools.ts), or `any` for a line any tool may print. */
export interface FailureSignature extends ToolSignature {
  tool: string;
}

/** Lines no one tool owns: a cache the step's user cannot write, whatever writes to it. */
const ANY_TOOL: readonly FailureSignature[] = [
  { id: 'permission-denied-cache', tool: 'any', kind: 'unwritable', pattern: /Permission denied[^\n]*(?:\/\.cache|\/var\/cache)/, meaning: 'a non-root user cannot write the root-owned cache', example: "PermissionError: [Errno 13] Permission denied: '/home/app/.cache/pip/http'" },
];

/** Every signature, the tools' in the order of TOOLS, then those of any tool. */
export const FAILURE_SIGNATURES: readonly FailureSignature[] = [...TOOLS.flatMap((t) => t.signatures.map((s) => ({ ...s, tool: t.id }))), ...ANY_TOOL];

/**
 * Errors of the engine, not of the build's commands: the build could not run,
 * so a failure with one of these says nothing about a race. Matched against
 * the build's own error (BuildKit's, or the Docker CLI's when it refused the
 * request before any step ran), never a step's output, where a tool may print
 * the same words about its own downloads.
 */
export interface InfrastructureError {
  id: string;
  pattern: RegExp;
  meaning: string;
  /** What to do about it. */
  remedy: string;
  /** The engine's words, as recorded here (test/verify/refusals.test.ts reads them back through the log reader). */
  seen?: ReadonlyArray<{ engine: string; text: string }>;
}

export const INFRASTRUCTURE_ERRORS: readonly InfrastructureError[] = [
  {
    id: 'multi-platform-unsupported',
    pattern: /Multi-platform build is not supported for the docker driver/,
    meaning: 'this builder cannot build several platforms at once (the docker driver without the containerd image store)',
    remedy: 'turn on the containerd image store in the engine\'s daemon.json ("features": {"containerd-snapshotter": true}), use another builder (--builder), or verify one platform at a time',
    seen: [{ engine: 'docker-26.1', text: 'ERROR: Multi-platform build is not supported for the docker driver.\nSwitch to a different driver, or turn on the containerd image store, and try again.\nLearn more at https://docs.docker.com/go/build-multi-platform/' }],
  },
  {
    id: 'platform-list-unsupported',
    pattern: /is an invalid component of "[^"]*,[^"]*": platform specifier/,
    meaning: 'this Docker CLI takes one platform per build (the classic builder)',
    remedy: 'verify one platform at a time, or use an engine with buildx and the containerd image store',
    seen: [{ engine: 'docker-20.10', text: 'Error response from daemon: "amd64,linux" is an invalid component of "linux/amd64,linux/arm64": platform specifier component must match "^[A-Za-z0-9_-]+$": invalid argument' }],
  },
  {
    id: 'entitlement-not-allowed',
    pattern: /(?:network\.host|security\.insecure) is not allowed|granting entitlement \S+ is not allowed/,
    meaning: 'the build asks for an entitlement (RUN --network=host or --security=insecure) the builder or this request does not grant',
    remedy: 'allow it on the builder ("builder": {"entitlements": {"network-host": true}} in daemon.json, or buildkitd\'s --allow-insecure-entitlement) and pass --allow network.host',
    seen: [
      { engine: 'docker-28.5', text: 'ERROR: failed to build: failed to solve: failed to load LLB: network.host is not allowed' },
      { engine: 'docker-26.1', text: 'ERROR: target api: failed to solve: failed to load LLB: network.host is not allowed' },
      { engine: 'docker-26.1', text: 'ERROR: failed to solve: failed to load LLB: network.host is not allowed' },
      { engine: 'docker-26.1-bake', text: 'ERROR: failed to build: failed to solve: failed to load LLB: network.host is not allowed' },
    ],
  },
  {
    id: 'bake-privileges',
    pattern: /^additional privileges requested$/m,
    meaning: 'bake asks for privileges the command did not grant (a context or file outside the folder it runs in needs fs.read)',
    remedy: 'run verify from a folder that holds the build\'s contexts (--workdir), or grant what bake lists (--allow=fs.read=PATH)',
    seen: [{ engine: 'docker-28.5', text: 'ERROR: additional privileges requested' }],
  },
  {
    id: 'option-unknown',
    pattern: /^unknown (?:shorthand )?flag: /m,
    meaning: "this Docker CLI or buildx does not know an option verify passes",
    remedy: 'install a newer buildx as a CLI plugin, or use --docker to pick another Docker CLI',
    seen: [
      { engine: 'docker-20.10', text: 'unknown flag: --allow' },
      // verify --builder on the classic builder, which has no builders.
      { engine: 'docker-20.10', text: "unknown flag: --builder\nSee 'docker build --help'." },
    ],
  },
  {
    id: 'builder-missing',
    pattern: /no builder "[^"]*" found|failed to find (?:a )?builder/,
    meaning: 'no builder of that name exists on this Docker CLI',
    remedy: 'list the builders with `docker buildx ls`, or leave out --builder to use the current one',
    seen: [{ engine: 'docker-26.1', text: 'ERROR: no builder "nosuch" found' }, { engine: 'docker-26.1-bake', text: 'ERROR: no builder "no-such-builder" found' }, { engine: 'docker-28.5', text: 'ERROR: no builder "nosuch" found' }],
  },
  {
    id: 'frontend-unreachable',
    // Docker 20.10 names the frontend in the step (`resolve image config for …`), its last line only the gateway.
    pattern: /(?:resolve image config for|failed to resolve source metadata for) \S*docker\/dockerfile[:@]|failed to solve with frontend gateway\.v0: failed to do request/,
    meaning: 'the Dockerfile\'s `# syntax=` frontend image could not be fetched',
    remedy: 'make the registry reachable, load the frontend image into the engine, or remove the `# syntax=` line to use the engine\'s built-in frontend',
    seen: [
      { engine: 'docker-26.1', text: 'ERROR: failed to solve: failed to resolve source metadata for docker.io/docker/dockerfile:1.7: failed to do request: Head "https://registry-1.docker.io/v2/docker/dockerfile/manifests/1.7": dial tcp: lookup registry-1.docker.io on 10.255.255.53:53: no such host' },
      { engine: 'docker-28.5', text: 'ERROR: failed to build: failed to solve: failed to resolve source metadata for docker.io/docker/dockerfile:1.7: failed to do request: Head "https://registry-1.docker.io/v2/docker/dockerfile/manifests/1.7": dial tcp: lookup registry-1.docker.io on 10.255.255.53:53: no such host' },
      { engine: 'docker-26.1-bake', text: 'ERROR: failed to build: failed to solve: failed to resolve source metadata for docker.io/docker/dockerfile:1.7: failed to do request: Head "https://registry-1.docker.io/v2/docker/dockerfile/manifests/1.7": dial tcp: lookup registry-1.docker.io on 10.255.255.53:53: no such host' },
      { engine: 'docker-20.10', text: 'failed to solve with frontend dockerfile.v0: failed to solve with frontend gateway.v0: failed to do request: Head "https://registry-1.docker.io/v2/docker/dockerfile/manifests/1.7": dial tcp: lookup registry-1.docker.io on 10.255.255.53:53: no such host' },
    ],
  },
  {
    id: 'dockerfile-refused',
    // The frontend turns the Dockerfile into build steps before any runs: a flag it does not know (Docker 20.10's
    // built-in frontend has no RUN --network) stops the build there.
    pattern: /dockerfile parse error (?:on )?line \d+|failed to create LLB definition/,
    meaning: "the engine's Dockerfile frontend refused the Dockerfile before any step ran (a flag or instruction it does not know, or a line it cannot parse)",
    remedy: 'add a `# syntax=docker/dockerfile:1` line so a current frontend reads the file (the engine fetches it from the registry), build on a newer engine, or change the line the engine names',
    seen: [
      { engine: 'docker-20.10', text: 'failed to solve with frontend dockerfile.v0: failed to create LLB definition: dockerfile parse error line 2: Unknown flag: network' },
      { engine: 'docker-26.1', text: 'ERROR: failed to solve: dockerfile parse error on line 2: unknown flag: frobnicate' },
      { engine: 'docker-26.1-bake', text: 'ERROR: failed to build: failed to solve: dockerfile parse error on line 2: unknown flag: frobnicate' },
      { engine: 'docker-28.5', text: 'ERROR: failed to build: failed to solve: dockerfile parse error on line 2: unknown flag: --frobnicate' },
    ],
  },
  { id: 'network-missing', pattern: /network (?:bridge|\S+) not found/, meaning: 'the engine has no such network', remedy: 'run the engine with a bridge network, or build with --network host or none' },
  { id: 'image-unreachable', pattern: /failed to (?:do request|resolve source metadata|authorize)|pull access denied|manifest unknown|no such host/, meaning: 'a base image could not be fetched (no registry reachable, or no such image on this engine)', remedy: 'make the registry reachable, or load the image into the engine first' },
  { id: 'disk-full', pattern: /no space left on device/, meaning: 'the engine ran out of disk space', remedy: 'free space (docker builder prune, docker image prune) and run again' },
  { id: 'engine-gone', pattern: /Cannot connect to the Docker daemon|error during connect|connection reset by peer/, meaning: 'the connection to the engine was lost', remedy: 'check that the engine runs (docker info) and run again' },
];

/**
 * A build that failed before any step ran, for a reason none of the errors
 * above names: still the engine's refusal, never evidence of a race.
 */
export const REFUSED_BEFORE_ANY_STEP: InfrastructureError = {
  id: 'refused',
  pattern: /$^/,
  meaning: 'the engine refused the request before any step ran',
  remedy: "read the engine's words above; verify needs an engine that can run the request as given",
};

/**
 * A step that could not download what it installs: a mirror, registry or
 * index was unreachable or answered with an error. The build failed for a
 * reason outside the caches, so such a failure is no evidence of a race
 * (verify says so; the e2e suite runs such a build again). Matched against
 * the failed step's own output, and only where no tool's race signature is.
 */
export interface DownloadFailure {
  id: string;
  /** The tool whose download failed, or `any`. */
  tool: string;
  pattern: RegExp;
  meaning: string;
  /** A line as the tool prints it (a test matches it). */
  example: string;
}

// The first that matches a line names it: the catch-all `Failed to fetch` comes after apt's more precise ones.
export const DOWNLOAD_FAILURES: readonly DownloadFailure[] = [
  { id: 'apt-mirror-unreachable', tool: 'apt', pattern: /Temporary failure resolving '|Could not resolve '|Could not connect to \S+:\d+|Unable to connect to \S+:|Connection timed out \[IP:|Connection failed \[IP:/, meaning: 'apt could not reach its mirror', example: "W: Failed to fetch http://deb.debian.org/debian/dists/bookworm/InRelease  Temporary failure resolving 'deb.debian.org'" },
  { id: 'apt-hash-mismatch', tool: 'apt', pattern: /Hash Sum mismatch|File has unexpected size/, meaning: 'the mirror served a file that did not match its index (a mirror being updated)', example: 'E: Failed to fetch http://deb.debian.org/debian/pool/main/a/a.deb  Hash Sum mismatch' },
  { id: 'apt-fetch-failed', tool: 'apt', pattern: /\bE: Failed to fetch \S+/, meaning: 'apt could not fetch a package or an index from its mirror', example: 'E: Failed to fetch http://deb.debian.org/debian/pool/main/g/gcc-12/cpp-12_12.2.0-14_amd64.deb  502  Bad Gateway [IP: 151.101.2.132 80]' },
  { id: 'npm-network', tool: 'npm', pattern: /npm (?:ERR!|error) (?:code (?:ETIMEDOUT|ECONNRESET|ECONNREFUSED|EAI_AGAIN|ENOTFOUND|E50[0-4]|ERR_SOCKET_TIMEOUT)|network request to \S+ failed)/, meaning: 'npm could not reach the registry', example: 'npm ERR! code ECONNRESET' },
  { id: 'yarn-network', tool: 'yarn1', pattern: /There appears to be trouble with your network connection|error An unexpected error occurred: "[^"]*(?:ETIMEDOUT|ECONNRESET|EAI_AGAIN|ENOTFOUND|ESOCKETTIMEDOUT)/, meaning: 'Yarn could not reach the registry', example: 'info There appears to be trouble with your network connection. Retrying...' },
  { id: 'pnpm-network', tool: 'pnpm', pattern: /ERR_PNPM_META_FETCH_FAIL|ERR_PNPM_FETCH_5\d\d|(?:ETIMEDOUT|ECONNRESET|EAI_AGAIN|ENOTFOUND)[^\n]*registry/, meaning: 'pnpm could not reach the registry', example: 'ERR_PNPM_META_FETCH_FAIL  GET https://registry.npmjs.org/a: request to https://registry.npmjs.org/a failed, reason: ECONNRESET' },
  { id: 'pip-network', tool: 'pip', pattern: /Max retries exceeded with url|ReadTimeoutError|NewConnectionError|Could not fetch URL/, meaning: 'pip could not reach the package index', example: "WARNING: Retrying (Retry(total=4, connect=None, read=None, redirect=None, status=None)) after connection broken by 'NewConnectionError'" },
  { id: 'cargo-network', tool: 'cargo', pattern: /spurious network error|failed to download from `https?:|\[6\] Couldn't resolve host name/, meaning: 'cargo could not reach its registry', example: 'warning: spurious network error (3 tries remaining): [6] Couldn\'t resolve host name' },
  { id: 'go-network', tool: 'go', pattern: /dial tcp[^\n]*(?:i\/o timeout|no such host|connection refused)|TLS handshake timeout/, meaning: 'go could not reach its module proxy', example: 'go: golang.org/x/text@v0.14.0: Get "https://proxy.golang.org/golang.org/x/text/@v/v0.14.0.mod": dial tcp: lookup proxy.golang.org: no such host' },
];
