/**
 * Knowledge of failures: how each tool fails, or waits, when something
 * else holds its cache, and which errors are the engine's own. Data only:
 * verify and diagnose find them in build logs (src/verify/signatures.ts),
 * docs/errors.md is generated from them.
 */

/**
 * How each tool fails, or waits, when another build holds its cache
 * (package-managers.md, observed-buildkit.md, and the races run by the e2e
 * suite, e2e/tools): recognised in BuildKit's plain progress output.
 */
export interface FailureSignature {
  id: string;
  tool: string;
  pattern: RegExp;
  /** What happened, in a few words. */
  meaning: string;
  /** A wait costs time and the build goes on; a failure (the default) breaks it. */
  kind?: 'failure' | 'wait';
  /** The line as the tool prints it (what a user searches for; docs/errors.md shows it, a test matches it). */
  example: string;
}

export const FAILURE_SIGNATURES: readonly FailureSignature[] = [
  { id: 'apt-archives-lock', tool: 'apt', pattern: /Could not get lock (\S*\/archives\/lock)/, meaning: "another apt holds the archives lock in the shared cache", example: "E: Could not get lock /var/cache/apt/archives/lock. It is held by process 0" },
  { id: 'apt-lists-lock', tool: 'apt', pattern: /Could not get lock (\S*\/lists\/lock)/, meaning: "another apt holds the lists lock in the shared cache", example: "E: Could not get lock /var/lib/apt/lists/lock. It is held by process 0" },
  { id: 'apt-unable-to-lock', tool: 'apt', pattern: /Unable to lock directory (\S+)/, meaning: 'apt could not lock a cache directory', example: "E: Unable to lock directory /var/cache/apt/archives/" },
  { id: 'apt-lists-partial', tool: 'apt', pattern: /List directory (\S*\/lists\/partial) is missing\. - Acquire \(17: File exists\)/, meaning: "two apt-get update created lists/partial at once", example: "E: List directory /var/lib/apt/lists/partial is missing. - Acquire (17: File exists)" },
  { id: 'dpkg-frontend-lock', tool: 'dpkg', pattern: /Could not get lock (\S*\/dpkg\/lock(?:-frontend)?)/, meaning: "dpkg's lock is held (a cache mount over /var/lib/dpkg?)", example: "E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 0" },
  { id: 'dnf-waiting', tool: 'dnf', pattern: /Waiting for process with pid \d+ to finish/, meaning: "dnf waits on a lock file from another container's pid", example: "Waiting for process with pid 42 to finish." },
  { id: 'yum-lock', tool: 'yum', pattern: /Another app is currently holding the yum lock/, meaning: 'yum lock held', example: "Another app is currently holding the yum lock; waiting for it to exit..." },
  { id: 'rpm-transaction-lock', tool: 'dnf', pattern: /(?:Failed to obtain|can't create transaction) lock/, meaning: 'the rpm transaction lock is held', example: "error: can't create transaction lock on /var/lib/rpm/.rpm.lock (Resource temporarily unavailable)" },
  { id: 'apk-lock', tool: 'apk', pattern: /Unable to lock database: (?:Resource temporarily unavailable|temporary error)/, meaning: "apk's database lock is held", example: "ERROR: Unable to lock database: Resource temporarily unavailable" },
  { id: 'apk-cache-corrupt', tool: 'apk', pattern: /(?:BAD signature|UNTRUSTED signature|file is corrupted|\.apknew)/, meaning: 'a package in the shared apk cache was clobbered', example: "ERROR: musl-1.2.4-r2: BAD signature" },
  { id: 'cargo-ok-exists', tool: 'cargo', pattern: /\.cargo-ok[^\n]*File exists \(os error 17\)/, meaning: 'two cargo builds unpacked the same crate at once', example: "error: failed to unpack package `serde v1.0.1`: failed to open `/usr/local/cargo/registry/src/x/serde-1.0.1/.cargo-ok`: File exists (os error 17)" },
  // Seen here (e2e/tools/cargo): two cargo runs cloning, fetching or checking out the same git repository
  // (a git index or a git dependency) in the shared cache; cargo fails in many ways, all inside git/ or registry/.
  { id: 'cargo-git-cache', tool: 'cargo', pattern: /(?:failed to (?:open directory|clone into|create locked file|lock file|remove directory)|Could not find Cargo\.toml in)[^\n]*\/\.?cargo\/(?:git|registry)\/|failed to initialize repository with template|object not found - no match for id [^\n]*class=Odb/, meaning: 'two cargo runs filled the same git repository in the cache at once', example: "error: failed to clone into: /usr/local/cargo/git/db/dep-0123456789abcdef" },
  { id: 'cargo-blocking', tool: 'cargo', kind: 'wait', pattern: /Blocking waiting for file lock on/, meaning: 'cargo waited for the lock another build holds (slow, not a failure)', example: "Blocking waiting for file lock on package cache" },
  { id: 'gradle-lock-timeout', tool: 'gradle', pattern: /Timeout waiting to lock [^\n]*It is currently in use by another Gradle instance/, meaning: "gradle waited 60 s for another container's lock", example: "Timeout waiting to lock journal cache (/root/.gradle/caches/journal-1). It is currently in use by another Gradle instance." },
  { id: 'maven-corrupt', tool: 'maven', pattern: /(?:Could not transfer artifact[^\n]*\.part|checksum validation failed)/i, meaning: 'two maven runs wrote one local-repository file', example: "Could not transfer artifact org.example:lib:jar:1.0 from/to central: /root/.m2/repository/org/example/lib/1.0/lib-1.0.jar.part (No such file or directory)" },
  { id: 'conda-corrupt', tool: 'conda', pattern: /(?:InvalidArchiveError|CondaVerificationError)/, meaning: 'the shared conda package cache was corrupted', example: "InvalidArchiveError('Error with archive /opt/conda/pkgs/numpy-1.26.0.conda.  You probably need to delete and re-download or re-create this file.')" },
  // A node_modules shared by concurrent `npm ci` runs: one empties it while the other installs there.
  // Seen here (e2e/tools/node, npm-node-modules-staggered): npm's tar finds the directory it extracts into gone, or the
  // step's next command finds the installed packages gone.
  { id: 'npm-node-modules-emptied', tool: 'npm', pattern: /npm (?:ERR!|error) code ENOTEMPTY|npm (?:ERR!|error) (?:path|dest) \S*\/node_modules\/|npm WARN tar (?:TAR_ENTRY_ERROR )?ENOENT[^\n]*\/node_modules\/|(?:cannot (?:stat|access) '[^'\n]*node_modules\/[^'\n]*'|\b\w+: [^\s:']*node_modules\/[^\s:']*): No such file or directory/, meaning: 'another npm ci emptied the shared node_modules while this step installed or read it', example: "npm ERR! code ENOTEMPTY" },
  { id: 'npm-cache-eexist', tool: 'npm', pattern: /npm (?:ERR!|error) code EEXIST/, meaning: 'npm cache write conflict', example: "npm ERR! code EEXIST" },
  // Seen here (e2e/tools/yarn1): Yarn 1 has no lock on its cache.
  { id: 'yarn-extract-corrupt', tool: 'yarn1', pattern: /Extracting tar content of undefined failed, the file appears to be corrupt/, meaning: 'another Yarn wrote the same cache entry at the same time', example: "error https://registry.npmjs.org/fresh/-/fresh-0.5.2.tgz: Extracting tar content of undefined failed, the file appears to be corrupt: \"ENOENT: no such file or directory, open '/usr/local/share/.cache/yarn/v6/npm-fresh-0.5.2-integrity/node_modules/fresh/.yarn-tarball.tgz'\"" },
  { id: 'yarn-cache-enoent', tool: 'yarn1', pattern: /ENOENT: no such file or directory, \w+ '[^']*(?:\.cache\/yarn|\.yarn-tarball\.tgz)/, meaning: 'a Yarn cache entry vanished while another Yarn was using it', example: "error An unexpected error occurred: \"ENOENT: no such file or directory, scandir '/usr/local/share/.cache/yarn/v6/npm-a-1.0.0-integrity/node_modules/a'\"." },
  { id: 'yarn-integrity', tool: 'yarn1', pattern: /Integrity check failed for "[^"]+" \(computed integrity doesn't match our records/, meaning: 'Yarn read a cached tarball another Yarn was still writing', example: "error https://registry.npmjs.org/a/-/a-1.0.0.tgz: Integrity check failed for \"a\" (computed integrity doesn't match our records, got \"sha512-x\")" },
  { id: 'yarn-cache-json', tool: 'yarn1', pattern: /SyntaxError: [^\n]*Unexpected end of JSON input/, meaning: 'Yarn read a package.json another Yarn was still writing into the cache', example: "SyntaxError: /usr/local/share/.cache/yarn/v6/npm-a-1.0.0-integrity/node_modules/a/package.json: Unexpected end of JSON input" },
  { id: 'yarn-cache-eexist', tool: 'yarn1', pattern: /EEXIST: file already exists, (?:mkdir|rename|symlink) '[^']*\.cache\/yarn/, meaning: 'two Yarns created the same cache entry at once', example: "EEXIST: file already exists, mkdir '/usr/local/share/.cache/yarn/v6/npm-a-1.0.0-integrity'" },
  { id: 'pip-cache-race', tool: 'pip', pattern: /(?:No such file or directory: '[^']*\/\.cache\/pip\/|FileExistsError: [^\n]*\.cache\/pip)/, meaning: 'pip cache entry vanished or appeared mid-write', example: "FileNotFoundError: [Errno 2] No such file or directory: '/root/.cache/pip/wheels/ab/cd/a-1.0-py3-none-any.whl'" },
  // Seen here (test/fixtures/build-logs/pip-non-root-docker26.log): pip as a non-root USER on a root-owned cache mount goes on without it.
  { id: 'pip-cache-disabled', tool: 'any', pattern: /The directory '[^']*' or its parent directory is not owned or is not writable by the current user\. The cache has been disabled/, meaning: 'pip runs as a user who cannot write the root-owned cache mount, so it disabled the cache', example: "WARNING: The directory '/home/app/.cache/pip' or its parent directory is not owned or is not writable by the current user. The cache has been disabled. Check the permissions and owner of that directory." },
  // Seen here (test/fixtures/build-logs/npm-non-root-docker26.log): npm as a non-root USER on a root-owned cache mount.
  { id: 'npm-cache-eacces', tool: 'any', pattern: /npm (?:ERR!|error) Your cache folder contains root-owned files/, meaning: 'npm runs as a user who cannot write the root-owned cache mount', example: "npm ERR! Your cache folder contains root-owned files, due to a bug in" },
  { id: 'permission-denied-cache', tool: 'any', pattern: /Permission denied[^\n]*(?:\/\.cache|\/var\/cache)/, meaning: 'a non-root user cannot write the root-owned cache', example: "PermissionError: [Errno 13] Permission denied: '/home/app/.cache/pip/http'" },
];

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
