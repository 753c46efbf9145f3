/**
 * What mountlint knows about each package manager and build cache, as data.
 * Evidence tags resolve to public sources in evidence.ts (the tags of the
 * team's package-manager survey). One entry per tool; `test/knowledge/tools.test.ts`
 * checks every entry is complete and cited.
 *
 * Cache directories are shell-word templates, expanded with the step's
 * variables (ENV, ARG, the base image's known defaults, HOME from USER), so
 * `${PIP_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/pip}` follows every
 * way a user can move pip's cache.
 */

import type { Sharing } from '../instructions/index.js';
import { APT_CLEAN_COMMANDS, APT_INSTALL_COMMANDS, APT_UPDATE_COMMANDS } from './apt.js';

/** What happens when two builds use the same cache directory at the same time. */
export type Concurrency =
  | 'fails' // a lock inside the cache that does not wait: one build fails
  | 'corrupts' // no coordination: files clobbered, builds fail at random
  | 'waits' // a lock inside the cache that waits: only time is lost
  | 'safe' // designed for concurrent use
  | 'depends'; // depends on the version or configuration: see `dependsOn`


export interface ToolKnowledge {
  id: string;
  name: string;
  /** Program names (base names) that run the tool. */
  programs: string[];
  /** Other ways to run it: `python -m pip`, `corepack yarn`, `npx`. Each is argv before the tool's own arguments. */
  wrappers?: string[][];
  /** Subcommands that use the cache; undefined: every invocation. */
  cacheCommands?: string[];
  /** Where the cache is, as a template expanded with the step's variables. */
  cacheDirs: string[];
  /** Options that move the cache: `--cache-dir DIR` or `--cache-dir=DIR`; `-Dmaven.repo.local=` style when ending in `=`. */
  cacheFlags?: string[];
  /** Variables whose presence (any value) disables the cache. */
  disablingEnv?: string[];
  /** Options that disable the cache. */
  disablingFlags?: string[];
  /** Commands (argument prefixes after the program) that empty the cache. */
  wipeCommands?: string[][];
  concurrency: Concurrency;
  /** What a user sees when two builds collide (or why it is safe). */
  concurrencyNote: string;
  /** For 'depends': what decides it, and how. */
  dependsOn?: string;
  /** What must hold for a cache mount to cache anything. */
  effective: string;
  recommendedSharing: Sharing;
  /**
   * The fix `--fix` applies to a race of this tool, where it was chosen by
   * timing the strategies on a real race (docs/proof.md); otherwise `locked`
   * when recommendedSharing is `locked`, else `private`.
   */
  fixStrategy?: 'locked' | 'private' | 'id' | 'wait';
  evidence: string[];
  /**
   * Defaults a shell template cannot say (they depend on the user or on which
   * variables are set): a variable name, and values tried in order, the first
   * whose condition holds. Cache templates refer to them like variables.
   */
  defaults?: Record<string, Array<{ when?: DefaultCondition; value: string }>>;
  /**
   * The lines it prints when another build holds its cache, or when it cannot
   * write it, as BuildKit's plain progress output shows them (failures.ts gathers
   * them; verify and diagnose find them in build logs). Empty: none is known.
   */
  signatures: ToolSignature[];
  /** What the tool does when its cache directory is not writable by the user (a root-owned cache mount under a non-root USER). */
  unwritableCache: { behaviour: 'fails' | 'degrades' | 'works'; note: string; evidence: string[] };
  /** Ways the tool throws away what it downloads into the cache, each with what shows it is not happening. */
  discards?: Discard[];
  /** Subcommands that download packages (where a cache mount saves downloads); '' is the bare command. */
  installCommands?: string[];
  /** The directories to mount for it, when they differ from its cache directories (apt: all of /var/cache/apt). */
  mountTargets?: string[];
  /**
   * Mount targets only some subcommands fill (apt's lists: `update`). A RUN
   * that installs without running one of them first reads what an earlier RUN
   * left in the image, which an empty cache mount would hide: install fails.
   */
  filledBy?: Record<string, string[]>;
  /** Where it installs or builds what the image needs: never a cache. */
  outputs?: OutputDir[];
  /** Options that name the project directory (`--manifest-path FILE` names it by a file in it). */
  projectFlags?: Array<{ flag: string; file?: boolean }>;
  /** Options under which it works outside any project (`npm install -g`): no project outputs. */
  globalFlags?: string[];
  /** `TOOL config KEY VALUE` settings that act like variables for later runs (`poetry config virtualenvs.create false`). */
  configKeys?: Record<string, string>;
  /** Another major version run by the same programs (Yarn 2+ is `yarn` too): the tool it is told apart from. */
  variantOf?: string;
  /** Arguments only this variant accepts: when one is there, the run is this tool; when none is, it may be either. */
  markers?: string[];
  /**
   * Failures reported in public (an issue, a pull request or a fix commit
   * quoting the error) in a shape of concurrent use, whatever `concurrency`
   * (the tool's documentation and design) claims: a race in that shape is
   * reported, as an error where the e2e suite reproduced it, else as a
   * warning that names the report.
   */
  reportedFailures?: ReportedFailure[];
  /** Safe to share from this version on; the file's own install line tells the version where it can (see find-races). */
  safeFromVersion?: VersionSafety;
  /**
   * Safe or not by the version of a program the base image ships (apk-tools in
   * Alpine): `images.ts` names the version from the image's tag, and these majors
   * decide; an image whose tag does not tell stays "it depends".
   */
  safeByImageProgram?: { program: 'apk-tools'; safeMajors: number[]; unsafeMajors: number[] };
  /**
   * A lock the tool takes outside its cache directories, relative to their parent
   * (`.package-cache` beside cargo's `registry` and `git`): where the same cache
   * mount holds it too, every run takes that one lock and waits (a warning with
   * `waitReason`); else the runs fill the cache at once (an error).
   */
  lockBesideCache?: { file: string; cacheDirNames: string[]; waitReason: string };
  /**
   * The tool's use of a cache is read from the locks each subcommand takes (apt.ts:
   * `aptLockUses`), not from its cache directories: a run that takes no lock is no user.
   */
  usesByLocks?: boolean;
}

/**
 * A line a tool prints when something else holds its cache (package-managers.md,
 * observed-buildkit.md, and the races run by the e2e suite, e2e/tools).
 */
export interface ToolSignature {
  id: string;
  /** Matches the line; group 1, where there is one, is the path it names. */
  pattern: RegExp;
  /** What happened, in a few words. */
  meaning: string;
  /**
   * A failure (the default) breaks the build; a wait costs time and the build goes on;
   * `unwritable`: the step's user cannot write the cache mount (not a race: every build).
   */
  kind?: 'failure' | 'wait' | 'unwritable';
  /** The line as the tool prints it (what a user searches for; docs/errors.md shows it, a test matches it). */
  example: string;
}

/** How steps used the cache at once when a failure was reported. */
export type RaceShape = 'platforms' | 'stages' | 'separate builds';

export interface ReportedFailure {
  /** The source tag of the public report (evidence.ts, kind 'report'). */
  source: string;
  /** The shapes it failed in: one step built for several platforms at once, stages of one build, separate builds on one builder. */
  shapes: RaceShape[];
  /** The error as the report quotes it. */
  symptom: string;
  /** The e2e case that ran this shape here (observed.ts), when one did. */
  triedHere?: string;
}

export interface VersionSafety {
  /** The first version that is safe to share. */
  safeFrom: string;
  /**
   * A regular expression over a RUN's text that finds the line installing
   * the tool: group 1 the comparison (`==`, `>=`, `~=`, or none), group 2 the
   * version (none: the newest release, when the line upgrades).
   */
  installLine: string;
  /** A regular expression that marks the line as an upgrade to the newest release when it pins nothing. */
  upgrade: string;
}

/** The user is root; a variable is set (to a value matching `matches`, case-insensitively, when given); any variable with this prefix is set. */
export type DefaultCondition = 'root' | { set: string; matches?: string; programs?: string[] } | { anySetWithPrefix: string };

export interface Discard {
  /** What the cache still holds. */
  keeps: 'nothing' | 'metadata only';
  /** Why, in words that fit after "the cache … : ". */
  why: string;
  /** Text (a regular expression) that, anywhere in the step or before it in its FROM chain, shows the remedy is in place. */
  remedy: string;
  /** Only on images with this fact. */
  imageHas?: 'docker-clean';
  /** Only on images whose short name matches (a regular expression). */
  images?: string;
  /** Only from this version of a Debian/Ubuntu package on, where the image's tag tells its version (`apt` deletes downloads since apt 1.2). */
  since?: { package: 'apt'; version: string };
  /** Only for these programs of the tool. */
  programs?: string[];
  /** Only for these subcommands (default: those that use the cache). */
  commands?: string[];
  /** Only when this path is in the mounted cache. */
  path?: string;
  /** Options that are the remedy too (`--cache-dir`). */
  remedyFlags?: string[];
  /** The remedy as a RUN to insert before the step. */
  remedyRun?: string;
  /** The remedy as an option to add after the program name. */
  remedyOption?: string;
  evidence: string[];
}

export interface OutputDir {
  /** Template; $PROJECT_DIR is the project directory (the working directory, or what projectFlags name). Empty expansions are ignored. */
  dir?: string;
  /** Or: a regular expression a mount target matches when it is such a directory (site-packages). */
  pattern?: string;
  /** Options that move it (`--target-dir DIR`). */
  flags?: string[];
  /** What lives there, for messages. */
  what: string;
  /** Subcommands that write it; undefined: the tool's cacheCommands. */
  commands?: string[];
  /** Build output that a good RUN copies out before it ends (target/): a cache mount there is fine then. */
  intermediate?: boolean;
  /** Losing it is minor (apt's extended_states): report as info. */
  minor?: boolean;
  /**
   * Subcommands that empty or replace the whole directory before writing it
   * (`npm ci` removes node_modules): a cache mount over it shared by steps
   * that run at the same time loses the other step's files mid-write.
   */
  emptiedBy?: { commands: string[]; how: string; evidence: string[] };
  /** A narrower directory that holds what is worth caching, to mount instead (apt: /var/lib/apt/lists, not all of /var/lib/apt). */
  narrower?: string;
  /**
   * Only later commands read it (apt's auto-installed marks: autoremove,
   * apt-mark showmanual): a cache mount over it matters only where one runs,
   * in the same RUN (it reads the cache's copy) or in a later RUN of the image
   * (it finds the image's copy, which lacks what the mounted RUN wrote).
   */
  readBy?: ReadBy;
  evidence: string[];
}

export interface ReadBy {
  /** The programs that read it (RUNs naming them are analysed). */
  programs: string[];
  /** A regular expression over a command line (`program arg …`). */
  pattern: string;
  /** What such a command gets from the image, in words that fit after "there, ". */
  inImage: string;
  /** What it gets under a cache mount, in words that fit after "there, ". */
  inCache: string;
}


export const TOOLS: readonly ToolKnowledge[] = [
  {
    id: 'apt',
    usesByLocks: true,
    name: 'apt / apt-get / aptitude',
    programs: ['apt', 'apt-get', 'aptitude'],
    cacheCommands: [...APT_UPDATE_COMMANDS, ...APT_INSTALL_COMMANDS],
    cacheDirs: ['/var/cache/apt/archives', '/var/lib/apt/lists'],
    wipeCommands: APT_CLEAN_COMMANDS.map((c) => [c]),
    concurrency: 'fails',
    concurrencyNote: 'non-blocking fcntl lock on archives/lock and lists/lock inside the cache: "Could not get lock … It is held by process 0"',
    effective: 'Debian/Ubuntu images delete downloaded .debs (docker-clean): remove it; `apt` also needs Binary::apt::APT::Keep-Downloaded-Packages "true"',
    recommendedSharing: 'locked',
    evidence: ['APT-1', 'APT-2', 'APT-3', 'DEBUERREOTYPE', 'APT-7', 'BK-REF', 'observed:h01-seed-with-dependency'],
    signatures: [
      { id: 'apt-archives-lock', pattern: /Could not get lock (\S*\/archives\/lock)/, meaning: "another apt holds the archives lock in the shared cache", example: "E: Could not get lock /var/cache/apt/archives/lock. It is held by process 0" },
      { id: 'apt-lists-lock', pattern: /Could not get lock (\S*\/lists\/lock)/, meaning: "another apt holds the lists lock in the shared cache", example: "E: Could not get lock /var/lib/apt/lists/lock. It is held by process 0" },
      { id: 'apt-unable-to-lock', pattern: /Unable to lock directory (\S+)/, meaning: 'apt could not lock a cache directory', example: "E: Unable to lock directory /var/cache/apt/archives/" },
      { id: 'apt-lists-partial', pattern: /List directory (\S*\/lists\/partial) is missing\. - Acquire \(17: File exists\)/, meaning: "two apt-get update created lists/partial at once", example: "E: List directory /var/lib/apt/lists/partial is missing. - Acquire (17: File exists)" },
      { id: 'dpkg-frontend-lock', pattern: /Could not get lock (\S*\/dpkg\/lock(?:-frontend)?)/, meaning: "dpkg's lock is held (a cache mount over /var/lib/dpkg?)", example: "E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 0" },
    ],
    unwritableCache: { behaviour: 'fails', note: 'installs system packages: it must run as root, and as another user it stops before using the cache', evidence: ['BK-REF'] },
    discards: [
      { keeps: 'nothing', imageHas: 'docker-clean', path: '/var/cache/apt/archives', commands: [...APT_INSTALL_COMMANDS], remedy: 'docker-clean', why: "the base image's /etc/apt/apt.conf.d/docker-clean deletes downloaded packages after every install (remove it in an earlier RUN: rm -f /etc/apt/apt.conf.d/docker-clean)", remedyRun: 'rm -f /etc/apt/apt.conf.d/docker-clean', evidence: ['DEBUERREOTYPE'] },
      { keeps: 'nothing', programs: ['apt'], since: { package: 'apt', version: '1.2' }, path: '/var/cache/apt/archives', commands: [...APT_INSTALL_COMMANDS], remedy: 'Keep-Downloaded-Packages', why: '`apt` deletes downloaded packages after installing them unless Binary::apt::APT::Keep-Downloaded-Packages is "true" (or use apt-get)', remedyRun: `echo 'Binary::apt::APT::Keep-Downloaded-Packages "true";' > /etc/apt/apt.conf.d/keep-cache`, evidence: ['APT-7'] },
    ],
    installCommands: ['install', 'upgrade', 'dist-upgrade', 'full-upgrade', 'build-dep'],
    mountTargets: ['/var/cache/apt', '/var/lib/apt/lists'],
    filledBy: { '/var/lib/apt/lists': [...APT_UPDATE_COMMANDS] },
    outputs: [
      { dir: '/var/lib/dpkg', what: "dpkg's database (/var/lib/dpkg): the image will not know which packages are installed", evidence: ['APT-4'] },
      {
        dir: '/var/lib/apt/extended_states',
        what: "apt's extended_states (which packages were installed automatically)",
        minor: true,
        narrower: '/var/lib/apt/lists',
        // Docker's own example mounts all of /var/lib/apt: harmless until something reads the marks.
        readBy: {
          programs: ['apt', 'apt-get', 'aptitude', 'apt-mark'],
          pattern: '^(apt|apt-get|aptitude) (.* )?(autoremove|--auto-remove|--autoremove)( |$)|^apt-mark (.* )?(showauto|showmanual)( |$)',
          inImage: 'the image has no auto-installed marks for the packages the mounted RUN installed, so they count as installed by hand',
          inCache: 'it reads the marks in the cache, which every build mounting this cache writes: a package another build installed automatically counts as automatic here too',
        },
        evidence: ['APT-4'],
      },
    ],
  },
  {
    id: 'apk',
    name: 'apk (Alpine)',
    programs: ['apk'],
    cacheCommands: ['add', 'upgrade', 'fix', 'update', 'fetch', 'cache'],
    cacheDirs: ['/etc/apk/cache', '/var/cache/apk'],
    cacheFlags: ['--cache-dir'],
    disablingFlags: ['--no-cache'],
    wipeCommands: [['cache', 'clean'], ['cache', 'purge']],
    concurrency: 'depends',
    concurrencyNote: 'apk-tools v2 writes cache files through a fixed temporary name, so concurrent writers clobber each other; v3 writes atomically',
    dependsOn: 'Alpine 3.23+ ships apk-tools v3 (safe to share); Alpine 3.22 and older ship v2',
    safeByImageProgram: { program: 'apk-tools', safeMajors: [3], unsafeMajors: [2] },
    effective: 'packages are cached only when /etc/apk/cache exists (a symlink to the mount) or --cache-dir is given; `apk add --no-cache` caches nothing',
    recommendedSharing: 'locked',
    evidence: ['APK-1', 'APK-2', 'APK-3', 'APK-4'],
    signatures: [
      { id: 'apk-lock', pattern: /Unable to lock database: (?:Resource temporarily unavailable|temporary error)/, meaning: "apk's database lock is held", example: "ERROR: Unable to lock database: Resource temporarily unavailable" },
      { id: 'apk-cache-corrupt', pattern: /(?:BAD signature|UNTRUSTED signature|file is corrupted|\.apknew)/, meaning: 'a package in the shared apk cache was clobbered', example: "ERROR: musl-1.2.4-r2: BAD signature" },
    ],
    unwritableCache: { behaviour: 'fails', note: 'installs system packages: it must run as root, and as another user it stops before using the cache', evidence: ['BK-REF'] },
    discards: [
      { keeps: 'metadata only', path: '/var/cache/apk', remedy: '/etc/apk/cache', remedyFlags: ['--cache-dir'], why: 'without /etc/apk/cache (a link to the mounted directory) or --cache-dir, apk keeps only package indexes there', evidence: ['APK-1', 'APK-2'] },
    ],
    installCommands: ['add', 'upgrade'],
    mountTargets: ['/etc/apk/cache'],
  },
  {
    id: 'yum',
    name: 'yum (EL7)',
    programs: ['yum'],
    cacheCommands: ['install', 'update', 'upgrade', 'makecache', 'reinstall', 'downgrade', 'groupinstall', 'localinstall'],
    cacheDirs: ['/var/cache/yum'],
    wipeCommands: [['clean']],
    concurrency: 'corrupts',
    concurrencyNote: 'the yum lock is a PID file in the image, not in the cache: two containers write the cache unprotected',
    effective: 'CentOS/RHEL ship keepcache=0: set keepcache=1 or packages are deleted after install',
    recommendedSharing: 'locked',
    evidence: ['YUM-1', 'YUM-2', 'YUM-3'],
    signatures: [
      { id: 'yum-lock', pattern: /Another app is currently holding the yum lock/, meaning: 'yum lock held', example: "Another app is currently holding the yum lock; waiting for it to exit..." },
    ],
    unwritableCache: { behaviour: 'fails', note: 'installs system packages: it must run as root, and as another user it stops before using the cache', evidence: ['BK-REF'] },
    discards: [{ images: '^(centos|rhel|rockylinux|almalinux|oraclelinux|redhat)', keeps: 'metadata only', remedy: 'keepcache=(1|true|yes)', remedyOption: '--setopt=keepcache=1', why: 'this image ships keepcache=0: yum deletes downloaded packages after installing them (set keepcache=1)', evidence: ['YUM-1', 'YUM-3'] }],
    installCommands: ['install', 'update', 'upgrade'],
  },
  {
    id: 'dnf',
    name: 'dnf (dnf4)',
    programs: ['dnf', 'dnf-3'],
    cacheCommands: ['install', 'update', 'upgrade', 'makecache', 'reinstall', 'downgrade', 'groupinstall', 'builddep', 'distro-sync'],
    cacheDirs: ['/var/cache/dnf'],
    wipeCommands: [['clean']],
    concurrency: 'corrupts',
    concurrencyNote: "dnf's lock files hold a PID checked against the local /proc: across containers the lock is stolen or waited on forever",
    effective: 'keepcache defaults to False: without --setopt=keepcache=1 (or keepcache=True) the cache holds repository metadata only, not packages',
    recommendedSharing: 'locked',
    evidence: ['DNF-1', 'DNF-2', 'DNF-5'],
    signatures: [
      { id: 'dnf-waiting', pattern: /Waiting for process with pid \d+ to finish/, meaning: "dnf waits on a lock file from another container's pid", example: "Waiting for process with pid 42 to finish." },
      { id: 'rpm-transaction-lock', pattern: /(?:Failed to obtain|can't create transaction) lock/, meaning: 'the rpm transaction lock is held', example: "error: can't create transaction lock on /var/lib/rpm/.rpm.lock (Resource temporarily unavailable)" },
    ],
    unwritableCache: { behaviour: 'fails', note: 'installs system packages: it must run as root, and as another user it stops before using the cache', evidence: ['BK-REF'] },
    discards: [{ keeps: 'metadata only', remedy: 'keepcache=(1|true|yes)', remedyOption: '--setopt=keepcache=1', why: 'dnf deletes downloaded packages after installing them unless keepcache is on (--setopt=keepcache=1)', evidence: ['DNF-5'] }],
    installCommands: ['install', 'upgrade', 'update', 'builddep'],
  },
  {
    id: 'dnf5',
    name: 'dnf5',
    programs: ['dnf5'],
    cacheCommands: ['install', 'upgrade', 'makecache', 'reinstall', 'downgrade', 'builddep', 'distro-sync'],
    cacheDirs: ['/var/cache/libdnf5'],
    wipeCommands: [['clean']],
    concurrency: 'corrupts',
    concurrencyNote: 'no lock on the cache: a second dnf5 deletes the cached packages of a running one',
    effective: 'keepcache defaults to False: pass --setopt=keepcache=1',
    recommendedSharing: 'locked',
    evidence: ['DNF5-1', 'DNF5-2', 'DNF5-4'],
    signatures: [],
    unwritableCache: { behaviour: 'fails', note: 'installs system packages: it must run as root, and as another user it stops before using the cache', evidence: ['BK-REF'] },
    discards: [{ keeps: 'metadata only', remedy: 'keepcache=(1|true|yes)', remedyOption: '--setopt=keepcache=1', why: 'dnf5 deletes downloaded packages after installing them unless keepcache is on (--setopt=keepcache=1)', evidence: ['DNF5-2'] }],
    installCommands: ['install', 'upgrade'],
  },
  {
    id: 'microdnf',
    name: 'microdnf',
    programs: ['microdnf'],
    cacheCommands: ['install', 'update', 'upgrade', 'makecache', 'reinstall'],
    cacheDirs: ['/var/cache/yum'],
    wipeCommands: [['clean']],
    concurrency: 'corrupts',
    concurrencyNote: "libdnf's PID lock files in the cache: a stale lock and PID reuse across containers wedge later builds",
    effective: 'pass --setopt=keepcache=1',
    recommendedSharing: 'locked',
    evidence: ['LIBDNF-1685', 'MICRODNF-27'],
    signatures: [],
    unwritableCache: { behaviour: 'fails', note: 'installs system packages: it must run as root, and as another user it stops before using the cache', evidence: ['BK-REF'] },
    discards: [{ keeps: 'metadata only', remedy: 'keepcache=(1|true|yes)', remedyOption: '--setopt=keepcache=1', why: 'microdnf deletes downloaded packages after installing them unless keepcache is on (--setopt=keepcache=1)', evidence: ['LIBDNF-1685'] }],
    installCommands: ['install', 'update'],
  },
  {
    id: 'zypper',
    name: 'zypper',
    programs: ['zypper'],
    cacheCommands: ['install', 'in', 'update', 'up', 'dist-upgrade', 'dup', 'refresh', 'ref', 'patch'],
    cacheDirs: ['/var/cache/zypp'],
    wipeCommands: [['clean'], ['cc']],
    concurrency: 'corrupts',
    concurrencyNote: "zypper's lock is /run/zypp.pid in the image: the cache is unprotected across containers",
    effective: 'packages are kept only with keeppackages=1 on the repository (or a .keep_packages file)',
    recommendedSharing: 'locked',
    evidence: ['ZYPP-1', 'ZYPP-2', 'ZYPP-3'],
    signatures: [],
    unwritableCache: { behaviour: 'fails', note: 'installs system packages: it must run as root, and as another user it stops before using the cache', evidence: ['BK-REF'] },
    discards: [{ keeps: 'metadata only', remedy: 'keeppackages|keep-packages|\\.keep_packages', why: 'zypper keeps downloaded packages only for repositories with keeppackages=1 (zypper mr --keep-packages)', evidence: ['ZYPP-3'] }],
  },
  {
    id: 'pacman',
    name: 'pacman',
    programs: ['pacman'],
    cacheDirs: ['/var/cache/pacman/pkg'],
    wipeCommands: [['-Scc'], ['-Sc']],
    concurrency: 'corrupts',
    concurrencyNote: 'the lock is db.lck in the image, not in the cache',
    effective: 'packages are kept unless `pacman -Scc` runs',
    recommendedSharing: 'locked',
    evidence: ['PACMAN'],
    signatures: [],
    unwritableCache: { behaviour: 'fails', note: 'installs system packages: it must run as root, and as another user it stops before using the cache', evidence: ['BK-REF'] },
  },
  {
    id: 'pip',
    name: 'pip',
    programs: ['pip', 'pip3'],
    wrappers: [['python', '-m', 'pip'], ['python3', '-m', 'pip']],
    cacheCommands: ['install', 'download', 'wheel'],
    cacheDirs: ['${PIP_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/pip}'],
    cacheFlags: ['--cache-dir'],
    disablingEnv: ['PIP_NO_CACHE_DIR'],
    disablingFlags: ['--no-cache-dir'],
    wipeCommands: [['cache', 'purge'], ['cache', 'remove']],
    concurrency: 'depends',
    concurrencyNote: 'HTTP cache writes are atomic; before pip 25.3 built wheels were moved into the cache across filesystems, not atomically',
    dependsOn: 'pip 25.3 and later are safe to share; earlier versions can leave partial wheels',
    safeFromVersion: {
      safeFrom: '25.3',
      installLine: String.raw`(?:\bpip3?|\bpython3?(?:\.\d+)? -m pip) install\b[^\n;&|]*?[\s"']pip(?:\s*(==|>=|~=)\s*([0-9][0-9.]*))?(?=["'\s;&|]|$)`,
      upgrade: String.raw`\s(-U|--upgrade)\b`,
    },
    effective: 'any value of PIP_NO_CACHE_DIR (even 0, false or off), or --no-cache-dir, disables the cache',
    recommendedSharing: 'shared',
    // Timed on pip-two-stages (docs/proof.md): locked 118/101 s, private 219/144 s, id 185/144 s on Docker 20.10/26.1;
    // building wheels is CPU work, and with locked the second pip reuses the wheels the first built.
    fixStrategy: 'locked',
    evidence: ['PIP-1', 'PIP-2', 'PIP-3', 'PIP-4', 'observed:pip-two-stages'],
    signatures: [
      { id: 'pip-cache-race', pattern: /(?:No such file or directory: '[^']*\/\.cache\/pip\/|FileExistsError: [^\n]*\.cache\/pip)/, meaning: 'pip cache entry vanished or appeared mid-write', example: "FileNotFoundError: [Errno 2] No such file or directory: '/root/.cache/pip/wheels/ab/cd/a-1.0-py3-none-any.whl'" },
      // Seen here (test/fixtures/build-logs/pip-non-root-docker26.log): pip as a non-root USER on a root-owned cache mount goes on without it.
      { id: 'pip-cache-disabled', kind: 'unwritable', pattern: /The directory '[^']*' or its parent directory is not owned or is not writable by the current user\. The cache has been disabled/, meaning: 'pip runs as a user who cannot write the root-owned cache mount, so it disabled the cache', example: "WARNING: The directory '/home/app/.cache/pip' or its parent directory is not owned or is not writable by the current user. The cache has been disabled. Check the permissions and owner of that directory." },
    ],
    unwritableCache: { behaviour: 'degrades', note: 'pip warns "The cache has been disabled" and installs without it', evidence: ['PIP-OWNER'] },
    installCommands: ['install', 'wheel', 'download'],
    outputs: [
      { dir: '${VIRTUAL_ENV}', what: 'the virtual environment pip installs into (VIRTUAL_ENV)', commands: ['install'], evidence: ['PIP-1'] },
      { pattern: '/(site|dist)-packages$', what: 'installed Python packages (site-packages)', commands: ['install'], evidence: ['PIP-1'] },
    ],
  },
  {
    id: 'uv',
    name: 'uv',
    programs: ['uv', 'uvx'],
    cacheDirs: ['${UV_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/uv}'],
    cacheFlags: ['--cache-dir'],
    disablingEnv: ['UV_NO_CACHE'],
    disablingFlags: ['--no-cache', '-n'],
    wipeCommands: [['cache', 'clean'], ['cache', 'prune']],
    concurrency: 'safe',
    concurrencyNote: 'flock on the cache and per entry: "safe to run multiple uv commands concurrently"',
    effective: 'set UV_LINK_MODE=copy to silence hard-link warnings (the mount is another filesystem)',
    recommendedSharing: 'shared',
    evidence: ['UV-1', 'UV-2', 'UV-4'],
    signatures: [],
    unwritableCache: { behaviour: 'fails', note: 'uv creates its cache directory first and stops when it cannot', evidence: ['BK-REF'] },
    installCommands: ['pip', 'sync', 'add'],
    outputs: [
      {
        dir: '${UV_PROJECT_ENVIRONMENT:-$PROJECT_DIR/.venv}',
        what: "the project's virtual environment",
        commands: ['sync', 'add', 'lock', 'run'],
        emptiedBy: { commands: ['venv'], how: '`uv venv` removes the environment there and creates a new one while the other step installs into it', evidence: ['UV-VENV'] },
        evidence: ['UV-ENV'],
      },
      { pattern: '/(site|dist)-packages$', what: 'installed Python packages (site-packages)', commands: ['pip'], evidence: ['UV-ENV'] },
    ],
    projectFlags: [{ flag: '--directory' }, { flag: '--project' }],
  },
  {
    id: 'poetry',
    name: 'Poetry',
    programs: ['poetry'],
    cacheCommands: ['install', 'add', 'update', 'lock', 'sync'],
    cacheDirs: ['${POETRY_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/pypoetry}'],
    wipeCommands: [['cache', 'clear']],
    concurrency: 'corrupts',
    concurrencyNote: 'open races on parallel installs into one cache (partial artifacts, CacheControl body files)',
    effective: "the default virtualenv lives inside the cache: set POETRY_VIRTUALENVS_IN_PROJECT=true or virtualenvs.create false, or the venv is not in the image",
    recommendedSharing: 'locked',
    evidence: ['POETRY-1', 'POETRY-2', 'POETRY-3', 'POETRY-4'],
    signatures: [],
    unwritableCache: { behaviour: 'fails', note: 'Poetry writes its cache and virtualenvs there and stops when it cannot', evidence: ['BK-REF'] },
    installCommands: ['install'],
    outputs: [
      { dir: '${VIRTUAL_ENV}', what: 'the active virtual environment (VIRTUAL_ENV) Poetry installs into', commands: ['install', 'add', 'update', 'sync'], evidence: ['POETRY-VENV'] },
      {
        dir: '$POETRY_VENV',
        what: "Poetry's virtual environment (by default inside its cache: set POETRY_VIRTUALENVS_IN_PROJECT=true or virtualenvs.create false to keep it out)",
        commands: ['install', 'add', 'update', 'sync'],
        emptiedBy: { commands: ['install', 'sync'], how: 'Poetry installs into the environment and removes what it replaces with no lock on it, so two installs delete each other\'s files (`poetry install` also recreates an environment it finds broken)', evidence: ['POETRY-VENV', 'POETRY-3'] },
        evidence: ['POETRY-1'],
      },
    ],
    defaults: {
      POETRY_VENV: [
        { when: { set: 'VIRTUAL_ENV' }, value: '' },
        { when: { set: 'POETRY_VIRTUALENVS_CREATE', matches: '^(false|0)$' }, value: '' },
        { value: '$POETRY_VENV_DIR' },
      ],
      POETRY_VENV_DIR: [
        { when: { set: 'POETRY_VIRTUALENVS_IN_PROJECT', matches: '^(true|1)$' }, value: '$PROJECT_DIR/.venv' },
        { value: '${POETRY_VIRTUALENVS_PATH:-${POETRY_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/pypoetry}/virtualenvs}' },
      ],
    },
    projectFlags: [{ flag: '-C' }, { flag: '--directory' }, { flag: '-P' }, { flag: '--project' }],
    configKeys: { 'virtualenvs.create': 'POETRY_VIRTUALENVS_CREATE', 'virtualenvs.in-project': 'POETRY_VIRTUALENVS_IN_PROJECT', 'virtualenvs.path': 'POETRY_VIRTUALENVS_PATH', 'cache-dir': 'POETRY_CACHE_DIR' },
  },
  {
    id: 'pipenv',
    name: 'pipenv',
    programs: ['pipenv'],
    cacheCommands: ['install', 'sync', 'lock', 'update'],
    cacheDirs: ['${PIPENV_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/pipenv}'],
    concurrency: 'depends',
    concurrencyNote: "pipenv installs with pip: pip's behaviour applies",
    dependsOn: 'the pip version it runs (25.3 and later are safe)',
    effective: 'as for pip',
    recommendedSharing: 'shared',
    evidence: ['PIPENV', 'PIP-4'],
    signatures: [],
    unwritableCache: { behaviour: 'fails', note: 'pipenv writes its own cache there (no fallback is known)', evidence: ['BK-REF'] },
  },
  {
    id: 'conda',
    name: 'conda',
    programs: ['conda'],
    cacheCommands: ['install', 'create', 'update', 'env'],
    cacheDirs: ['${CONDA_PKGS_DIRS:-/opt/conda/pkgs}'],
    wipeCommands: [['clean']],
    concurrency: 'corrupts',
    concurrencyNote: '"undefined behavior can result when conda is running in multiple processes on the same package caches": InvalidArchiveError, File exists',
    effective: 'packages are kept unless `conda clean` runs',
    recommendedSharing: 'locked',
    evidence: ['CONDA-1', 'CONDA-2', 'CONDA-5'],
    signatures: [
      { id: 'conda-corrupt', pattern: /(?:InvalidArchiveError|CondaVerificationError)/, meaning: 'the shared conda package cache was corrupted', example: "InvalidArchiveError('Error with archive /opt/conda/pkgs/numpy-1.26.0.conda.  You probably need to delete and re-download or re-create this file.')" },
    ],
    unwritableCache: { behaviour: 'degrades', note: 'conda uses the first writable package cache in pkgs_dirs (~/.conda/pkgs for a user), not the mounted one', evidence: ['CONDA-PKGS'] },
  },
  {
    id: 'mamba',
    name: 'mamba / micromamba',
    programs: ['mamba', 'micromamba'],
    cacheCommands: ['install', 'create', 'update', 'env'],
    cacheDirs: ['${CONDA_PKGS_DIRS:-${MAMBA_ROOT_PREFIX:-/opt/conda}/pkgs}'],
    wipeCommands: [['clean']],
    concurrency: 'waits',
    concurrencyNote: 'lock files on the package cache; a second user waits (no timeout by default)',
    effective: 'packages are kept unless `clean` runs',
    recommendedSharing: 'shared',
    evidence: ['MAMBA-1', 'MAMBA-2'],
    signatures: [],
    unwritableCache: { behaviour: 'degrades', note: 'like conda, it falls back to a writable package cache in the user\'s home', evidence: ['CONDA-PKGS'] },
  },
  {
    id: 'npm',
    name: 'npm',
    programs: ['npm', 'npx'],
    cacheCommands: ['install', 'i', 'ci', 'add', 'update', 'exec', 'x'],
    cacheDirs: ['${npm_config_cache:-${NPM_CONFIG_CACHE:-$HOME/.npm}}'],
    cacheFlags: ['--cache'],
    wipeCommands: [['cache', 'clean']],
    concurrency: 'safe',
    concurrencyNote: 'cacache: lockless, content-addressed, integrity-checked on read and write',
    effective: 'as root the cache is /root/.npm; for USER node it is /home/node/.npm',
    recommendedSharing: 'shared',
    evidence: ['NPM-1', 'CACACHE', 'DOCS-OPT', 'observed:npm-two-stages', 'observed:npm-platforms', 'observed:npm-clean-beside-install', 'observed:npm-node-modules-staggered'],
    reportedFailures: [{ source: 'NPM-PR9', shapes: ['platforms'], symptom: '`npm error code EEXIST` … `syscall rename` … `_cacache/tmp/…` → `_cacache/content-v2/…`', triedHere: 'npm-platforms' }],
    signatures: [
      // A node_modules shared by concurrent `npm ci` runs: one empties it while the other installs there.
      // Seen here (e2e/tools/node, npm-node-modules-staggered): npm's tar finds the directory it extracts into gone, or the
      // step's next command finds the installed packages gone.
      { id: 'npm-node-modules-emptied', pattern: /npm (?:ERR!|error) code ENOTEMPTY|npm (?:ERR!|error) (?:path|dest) \S*\/node_modules\/|npm WARN tar (?:TAR_ENTRY_ERROR )?ENOENT[^\n]*\/node_modules\/|(?:cannot (?:stat|access) '[^'\n]*node_modules\/[^'\n]*'|\b\w+: [^\s:']*node_modules\/[^\s:']*): No such file or directory/, meaning: 'another npm ci emptied the shared node_modules while this step installed or read it', example: "npm ERR! code ENOTEMPTY" },
      { id: 'npm-cache-eexist', pattern: /npm (?:ERR!|error) code EEXIST/, meaning: 'npm cache write conflict', example: "npm ERR! code EEXIST" },
      // Seen here (test/fixtures/build-logs/npm-non-root-docker26.log): npm as a non-root USER on a root-owned cache mount.
      { id: 'npm-cache-eacces', kind: 'unwritable', pattern: /npm (?:ERR!|error) Your cache folder contains root-owned files/, meaning: 'npm runs as a user who cannot write the root-owned cache mount', example: "npm ERR! Your cache folder contains root-owned files, due to a bug in" },
    ],
    unwritableCache: { behaviour: 'fails', note: 'npm stops with EACCES ("Your cache folder contains root-owned files")', evidence: ['NPM-EACCES'] },
    installCommands: ['ci', 'install', 'i'],
    outputs: [
      {
        dir: '$PROJECT_DIR/node_modules',
        what: 'the installed node_modules',
        commands: ['install', 'i', 'ci', 'add', 'update'],
        emptiedBy: { commands: ['ci', 'clean-install', 'ic', 'install-clean', 'isntall-clean'], how: '`npm ci` removes node_modules before it installs, so the other step\'s files vanish under it (ENOTEMPTY, ENOENT; reproduced here: observed:npm-node-modules-staggered)', evidence: ['NPM-CI', 'NPM-21007', 'observed:npm-node-modules-staggered'] },
        evidence: ['NPM-1'],
      },
    ],
    projectFlags: [{ flag: '--prefix' }, { flag: '-C' }],
    globalFlags: ['-g', '--global'],
  },
  {
    id: 'yarn1',
    name: 'Yarn 1 (classic)',
    programs: ['yarn'],
    wrappers: [['corepack', 'yarn']],
    cacheCommands: ['install', 'add', 'upgrade', ''],
    cacheDirs: ['${YARN_CACHE_FOLDER:-${XDG_CACHE_HOME:-$YARN1_HOME/.cache}/yarn}'],
    cacheFlags: ['--cache-folder'],
    wipeCommands: [['cache', 'clean']],
    concurrency: 'corrupts',
    concurrencyNote: 'no lock on the cache: ENOENT … .yarn-tarball.tgz, ENOTEMPTY, a broken cache',
    effective: 'as root on Linux the cache is /usr/local/share/.cache/yarn, not /root/.cache/yarn',
    recommendedSharing: 'locked',
    evidence: ['YARN1-1', 'YARN1-2', 'YARN1-3', 'observed:yarn1-two-stages'],
    signatures: [
      // Seen here (e2e/tools/yarn1): Yarn 1 has no lock on its cache.
      { id: 'yarn-extract-corrupt', pattern: /Extracting tar content of undefined failed, the file appears to be corrupt/, meaning: 'another Yarn wrote the same cache entry at the same time', example: "error https://registry.npmjs.org/fresh/-/fresh-0.5.2.tgz: Extracting tar content of undefined failed, the file appears to be corrupt: \"ENOENT: no such file or directory, open '/usr/local/share/.cache/yarn/v6/npm-fresh-0.5.2-integrity/node_modules/fresh/.yarn-tarball.tgz'\"" },
      { id: 'yarn-cache-enoent', pattern: /ENOENT: no such file or directory, \w+ '[^']*(?:\.cache\/yarn|\.yarn-tarball\.tgz)/, meaning: 'a Yarn cache entry vanished while another Yarn was using it', example: "error An unexpected error occurred: \"ENOENT: no such file or directory, scandir '/usr/local/share/.cache/yarn/v6/npm-a-1.0.0-integrity/node_modules/a'\"." },
      { id: 'yarn-integrity', pattern: /Integrity check failed for "[^"]+" \(computed integrity doesn't match our records/, meaning: 'Yarn read a cached tarball another Yarn was still writing', example: "error https://registry.npmjs.org/a/-/a-1.0.0.tgz: Integrity check failed for \"a\" (computed integrity doesn't match our records, got \"sha512-x\")" },
      { id: 'yarn-cache-json', pattern: /SyntaxError: [^\n]*Unexpected end of JSON input/, meaning: 'Yarn read a package.json another Yarn was still writing into the cache', example: "SyntaxError: /usr/local/share/.cache/yarn/v6/npm-a-1.0.0-integrity/node_modules/a/package.json: Unexpected end of JSON input" },
      { id: 'yarn-cache-eexist', pattern: /EEXIST: file already exists, (?:mkdir|rename|symlink) '[^']*\.cache\/yarn/, meaning: 'two Yarns created the same cache entry at once', example: "EEXIST: file already exists, mkdir '/usr/local/share/.cache/yarn/v6/npm-a-1.0.0-integrity'" },
    ],
    unwritableCache: { behaviour: 'degrades', note: 'Yarn 1 skips a cache folder it cannot write ("Skipping preferred cache folder … because it is not writable") and uses a temporary one', evidence: ['YARN1-FALLBACK'] },
    installCommands: ['install', ''],
    defaults: { YARN1_HOME: [{ when: 'root', value: '/usr/local/share' }, { value: '$HOME' }] },
    outputs: [{ dir: '$PROJECT_DIR/node_modules', flags: ['--modules-folder'], what: 'the installed node_modules', commands: ['install', 'add', 'upgrade', ''], evidence: ['YARN1-1'] }],
    projectFlags: [{ flag: '--cwd' }],
  },
  {
    id: 'yarn-berry',
    name: 'Yarn Berry (2–4)',
    programs: [],
    variantOf: 'yarn1',
    markers: ['--immutable', '--immutable-cache', 'dlx', 'focus', 'foreach', 'up', 'dedupe', 'constraints', 'plugin'],
    cacheDirs: ['${YARN_GLOBAL_FOLDER:-$HOME/.yarn/berry}/cache'],
    wipeCommands: [['cache', 'clean']],
    concurrency: 'safe',
    concurrencyNote: 'the cache is "relatively safe to be shared … even when multiple Yarn instances run at the same time"; checksums are validated on read',
    effective: 'the global cache is ~/.yarn/berry/cache (enableGlobalCache, the default in Yarn 4)',
    recommendedSharing: 'shared',
    evidence: ['BERRY-1', 'BERRY-2', 'BERRY-4'],
    signatures: [],
    unwritableCache: { behaviour: 'fails', note: 'Yarn Berry writes its global cache there (no fallback is known)', evidence: ['BK-REF'] },
    outputs: [{ dir: '$PROJECT_DIR/node_modules', what: 'the installed node_modules', commands: ['install', ''], evidence: ['BERRY-1'] }],
    projectFlags: [{ flag: '--cwd' }],
  },
  {
    id: 'pnpm',
    name: 'pnpm',
    programs: ['pnpm'],
    wrappers: [['corepack', 'pnpm']],
    cacheCommands: ['install', 'i', 'add', 'update', 'fetch'],
    cacheDirs: ['${PNPM_STORE_DIR:-$PNPM_STORE}'],
    cacheFlags: ['--store-dir'],
    wipeCommands: [['store', 'prune']],
    concurrency: 'safe',
    concurrencyNote: 'content-addressable store with atomic renames: "concurrent installs should work fine"',
    effective: 'the docs recommend ENV PNPM_HOME=/pnpm and a cache mount on /pnpm/store',
    recommendedSharing: 'shared',
    evidence: ['PNPM-1', 'PNPM-2', 'PNPM-3', 'observed:pnpm-two-stages'],
    signatures: [],
    unwritableCache: { behaviour: 'fails', note: 'pnpm writes its store there (no fallback is known)', evidence: ['BK-REF'] },
    installCommands: ['install', 'i'],
    defaults: { PNPM_STORE: [{ when: { set: 'PNPM_HOME' }, value: '$PNPM_HOME/store' }, { value: '${XDG_DATA_HOME:-$HOME/.local/share}/pnpm/store' }] },
    outputs: [{ dir: '$PROJECT_DIR/node_modules', what: 'the installed node_modules', commands: ['install', 'i', 'add', 'update'], evidence: ['PNPM-2'] }],
    projectFlags: [{ flag: '-C' }, { flag: '--dir' }],
    globalFlags: ['-g', '--global'],
  },
  {
    id: 'bun',
    name: 'Bun',
    programs: ['bun'],
    cacheCommands: ['install', 'i', 'add'],
    cacheDirs: ['${BUN_INSTALL_CACHE_DIR:-$HOME/.bun/install/cache}'],
    wipeCommands: [['pm', 'cache', 'rm']],
    concurrency: 'corrupts',
    concurrencyNote: 'no lock: "Failed to link …: EEXIST" with parallel installs',
    effective: 'the cache is ~/.bun/install/cache (not node_modules)',
    recommendedSharing: 'locked',
    evidence: ['BUN-1', 'BUN-3', 'BUN-5'],
    signatures: [],
    unwritableCache: { behaviour: 'fails', note: 'Bun writes its install cache there (no fallback is known)', evidence: ['BK-REF'] },
    installCommands: ['install', 'i'],
    outputs: [{ dir: '$PROJECT_DIR/node_modules', what: 'the installed node_modules', commands: ['install', 'i', 'add'], evidence: ['BUN-1'] }],
    projectFlags: [{ flag: '--cwd' }],
    globalFlags: ['-g', '--global'],
  },
  {
    id: 'cargo',
    name: 'Cargo',
    programs: ['cargo'],
    cacheCommands: ['build', 'install', 'fetch', 'vendor', 'test', 'check', 'run', 'update', 'generate-lockfile', 'chef'],
    cacheDirs: ['${CARGO_HOME:-$HOME/.cargo}/registry', '${CARGO_HOME:-$HOME/.cargo}/git'],
    concurrency: 'depends',
    concurrencyNote: "cargo's package-cache lock is $CARGO_HOME/.package-cache, outside the usual registry/git mounts: without it two cargo runs fill the cache at once and one fails, in some runs only (`.cargo-ok … File exists (os error 17)`; seen here: `failed to remove directory …/git/db/…` and `failed to create locked file '…/.git/config.lock': File exists`)",
    dependsOn: 'one mount on all of CARGO_HOME holds the lock too (cargo then waits); registry/git mounts alone do not',
    lockBesideCache: { file: '.package-cache', cacheDirNames: ['registry', 'git'], waitReason: 'the cargo package-cache lock is in this cache too, so cargo waits ("Blocking waiting for file lock")' },
    effective: 'official rust images set CARGO_HOME=/usr/local/cargo: /root/.cargo is the wrong path there',
    recommendedSharing: 'locked',
    evidence: ['CARGO-1', 'CARGO-2', 'DOCS-25597', 'DOCS-25616', 'RUST-IMAGE', 'observed:cargo-registry-two-stages', 'observed:cargo-home-two-stages'],
    signatures: [
      { id: 'cargo-ok-exists', pattern: /\.cargo-ok[^\n]*File exists \(os error 17\)/, meaning: 'two cargo builds unpacked the same crate at once', example: "error: failed to unpack package `serde v1.0.1`: failed to open `/usr/local/cargo/registry/src/x/serde-1.0.1/.cargo-ok`: File exists (os error 17)" },
      // Seen here (e2e/tools/cargo): two cargo runs cloning, fetching or checking out the same git repository
      // (a git index or a git dependency) in the shared cache; cargo fails in many ways, all inside git/ or registry/.
      { id: 'cargo-git-cache', pattern: /(?:failed to (?:open directory|clone into|create locked file|lock file|remove directory|remove file)|Could not find Cargo\.toml in|could not find repository from)[^\n]*\/\.?cargo\/(?:git|registry)\/|failed to initialize repository with template|object not found - no match for id [^\n]*class=Odb/, meaning: 'two cargo runs filled the same git repository in the cache at once', example: "error: failed to clone into: /usr/local/cargo/git/db/dep-0123456789abcdef" },
      // Seen here (e2e/tools/cargo, Docker 20.10 and 26.1, 5 of 24 runs on 2026-12-04): one cargo read or parsed a crate's
      // Cargo.toml in registry/src while the other was still unpacking that crate there ("failed to download replaced source
      // registry", "no targets specified in the manifest").
      { id: 'cargo-src-incomplete', pattern: /failed to (?:read|parse manifest at) `[^`\n]*\/\.?cargo\/registry\/src\/[^`\n]*`/, meaning: 'a crate another cargo was still unpacking into registry/src was read half-written', example: "  failed to read `/root/.cargo/registry/src/-98f5878892d4d297/mlc32-1.0.0/Cargo.toml`" },
      { id: 'cargo-blocking', kind: 'wait', pattern: /Blocking waiting for file lock on/, meaning: 'cargo waited for the lock another build holds (slow, not a failure)', example: "Blocking waiting for file lock on package cache" },
    ],
    unwritableCache: { behaviour: 'fails', note: 'cargo creates its registry directories there and stops with Permission denied', evidence: ['BK-REF'] },
    installCommands: ['build', 'install', 'fetch'],
    outputs: [
      {
        dir: '${CARGO_TARGET_DIR:-$PROJECT_DIR/target}',
        flags: ['--target-dir'],
        what: "Cargo's build output",
        commands: ['build', 'test', 'check', 'run', 'chef'],
        intermediate: true,
        emptiedBy: { commands: ['clean'], how: '`cargo clean` deletes the target directory while the other step builds in it', evidence: ['CARGO-CLEAN'] },
        evidence: ['CARGO-TARGET'],
      },
    ],
    projectFlags: [{ flag: '--manifest-path', file: true }],
  },
  {
    id: 'go',
    name: 'Go',
    programs: ['go'],
    cacheCommands: ['build', 'install', 'mod', 'get', 'test', 'run', 'generate', 'vet'],
    cacheDirs: ['${GOMODCACHE:-${GOPATH:-$HOME/go}/pkg/mod}', '${GOCACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/go-build}'],
    wipeCommands: [['clean', '-modcache'], ['clean', '-cache']],
    concurrency: 'safe',
    concurrencyNote: '"Multiple instances of the go command may safely access the same module cache at the same time"',
    effective: 'golang images set GOPATH=/go: the module cache is /go/pkg/mod',
    recommendedSharing: 'shared',
    evidence: ['GO-1', 'GO-2', 'GO-IMAGE', 'observed:go-two-stages'],
    signatures: [],
    unwritableCache: { behaviour: 'fails', note: 'go creates the module and build caches there and stops with Permission denied', evidence: ['BK-REF'] },
    installCommands: ['build', 'install', 'mod'],
  },
  {
    id: 'maven',
    name: 'Maven',
    programs: ['mvn', 'mvnw'],
    cacheDirs: ['$HOME/.m2/repository'],
    cacheFlags: ['-Dmaven.repo.local='],
    concurrency: 'corrupts',
    concurrencyNote: "Maven 3.9's resolver locks only inside one JVM: concurrent builds can corrupt the local repository",
    effective: 'the local repository is ~/.m2/repository',
    recommendedSharing: 'locked',
    evidence: ['MVN-1', 'MVN-2', 'MVN-3'],
    signatures: [
      { id: 'maven-corrupt', pattern: /(?:Could not transfer artifact[^\n]*\.part|checksum validation failed)/i, meaning: 'two maven runs wrote one local-repository file', example: "Could not transfer artifact org.example:lib:jar:1.0 from/to central: /root/.m2/repository/org/example/lib/1.0/lib-1.0.jar.part (No such file or directory)" },
    ],
    unwritableCache: { behaviour: 'fails', note: 'Maven creates its local repository there and stops when it cannot', evidence: ['BK-REF'] },
    installCommands: ['package', 'install', 'verify', 'dependency:go-offline', 'compile'],
  },
  {
    id: 'gradle',
    name: 'Gradle',
    programs: ['gradle', 'gradlew'],
    cacheDirs: ['${GRADLE_USER_HOME:-$HOME/.gradle}'],
    cacheFlags: ['--gradle-user-home', '-g'],
    concurrency: 'fails',
    concurrencyNote: 'the lock owner is pinged over UDP, which cannot cross containers: "Timeout waiting to lock … in use by another Gradle instance" after 60 s',
    effective: 'in gradle images /root/.gradle is a symlink into a VOLUME: set GRADLE_USER_HOME and mount that',
    recommendedSharing: 'locked',
    evidence: ['GRADLE-1', 'GRADLE-2', 'GRADLE-3', 'GRADLE-IMAGE'],
    signatures: [
      { id: 'gradle-lock-timeout', pattern: /Timeout waiting to lock [^\n]*It is currently in use by another Gradle instance/, meaning: "gradle waited 60 s for another container's lock", example: "Timeout waiting to lock journal cache (/root/.gradle/caches/journal-1). It is currently in use by another Gradle instance." },
    ],
    unwritableCache: { behaviour: 'fails', note: 'Gradle creates its user home there and stops when it cannot', evidence: ['BK-REF'] },
    installCommands: ['build', 'assemble', 'dependencies'],
  },
  {
    id: 'ccache',
    name: 'ccache',
    programs: ['ccache'],
    cacheDirs: ['${CCACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ccache}'],
    wipeCommands: [['-C'], ['--clear']],
    concurrency: 'safe',
    concurrencyNote: 'designed for a cache shared between builds (lock files with heartbeats, atomic writes)',
    effective: 'the compiler must actually run through ccache (CC="ccache gcc" or masquerade links)',
    recommendedSharing: 'shared',
    evidence: ['CCACHE-1', 'CCACHE-2', 'observed:ccache-two-stages'],
    signatures: [],
    unwritableCache: { behaviour: 'fails', note: 'ccache cannot store results there (no fallback is known)', evidence: ['BK-REF'] },
  },
  {
    id: 'sccache',
    name: 'sccache',
    programs: ['sccache'],
    cacheDirs: ['${SCCACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/sccache}'],
    concurrency: 'corrupts',
    concurrencyNote: '"multiple sccache servers pointing to the same cache directory" is not supported: random failures when evicting',
    effective: 'needs RUSTC_WRAPPER=sccache (or CC wrappers)',
    recommendedSharing: 'locked',
    evidence: ['SCCACHE-1', 'SCCACHE-2', 'SCCACHE-3'],
    signatures: [],
    unwritableCache: { behaviour: 'fails', note: 'sccache cannot store results there (no fallback is known)', evidence: ['BK-REF'] },
  },
  {
    id: 'bundler',
    name: 'RubyGems / Bundler',
    programs: ['gem', 'bundle', 'bundler'],
    cacheCommands: ['install', 'update'],
    cacheDirs: ['$GEM_DEFAULT_CACHE', '${BUNDLE_USER_CACHE:-$HOME/.bundle/cache}'],
    // Bundler with a path (BUNDLE_PATH, `bundle config set path`, deployment mode) keeps the .gem files it
    // downloads in PATH/ruby/<Ruby ABI version>/cache: a directory that depends on the Ruby version, so it
    // stays unknown (a cache mount over PATH holds it; none is suggested where it is not mounted). [BUNDLE-CONFIG]
    defaults: {
      GEM_DEFAULT_CACHE: [
        { when: { set: 'BUNDLE_PATH', programs: ['bundle', 'bundler'] }, value: '${BUNDLE_PATH}/ruby/\\${RUBY_ABI_VERSION}/cache' },
        { when: { set: 'BUNDLE_DEPLOYMENT', matches: '^(1|true|yes)$', programs: ['bundle', 'bundler'] }, value: '$PROJECT_DIR/vendor/bundle/ruby/\\${RUBY_ABI_VERSION}/cache' },
        { value: '${GEM_HOME:-$HOME/.gem}/cache' },
      ],
    },
    configKeys: { path: 'BUNDLE_PATH', 'set path': 'BUNDLE_PATH', deployment: 'BUNDLE_DEPLOYMENT', 'set deployment': 'BUNDLE_DEPLOYMENT' },
    wipeCommands: [['cleanup'], ['clean']],
    concurrency: 'corrupts',
    concurrencyNote: "bundler's lock file is in the install path, not the cache: the cache is unprotected across containers",
    effective: 'ruby images set GEM_HOME=/usr/local/bundle: /root/.gem is not where gems are downloaded',
    recommendedSharing: 'locked',
    evidence: ['GEM-1', 'BUNDLER-1', 'BUNDLER-2', 'RUBY-IMAGE'],
    signatures: [],
    unwritableCache: { behaviour: 'degrades', note: 'RubyGems downloads into the user\'s own gem directory when GEM_HOME/cache is not writable', evidence: ['GEM-1'] },
    installCommands: ['install'],
    outputs: [{ dir: '${GEM_HOME}', what: 'the installed gems (GEM_HOME; mount its cache subdirectory instead)', commands: ['install', 'update'], evidence: ['RUBY-IMAGE'] }],
  },
  {
    id: 'composer',
    name: 'Composer',
    programs: ['composer'],
    cacheCommands: ['install', 'update', 'require', 'create-project'],
    cacheDirs: ['${COMPOSER_CACHE_DIR:-$COMPOSER_DEFAULT_CACHE}'],
    wipeCommands: [['clear-cache'], ['clearcache'], ['cc']],
    concurrency: 'corrupts',
    concurrencyNote: 'dist archives are copied into the cache non-atomically',
    effective: 'the official composer image sets COMPOSER_HOME=/tmp: its cache is /tmp/cache; elsewhere it is ~/.composer/cache (or $XDG_CACHE_HOME/composer when an XDG_ variable is set)',
    recommendedSharing: 'locked',
    evidence: ['COMPOSER-1', 'COMPOSER-2', 'COMPOSER-3'],
    signatures: [],
    unwritableCache: { behaviour: 'degrades', note: 'Composer says "Cannot create cache directory … or directory is not writable. Proceeding without cache"', evidence: ['COMPOSER-2'] },
    installCommands: ['install', 'update'],
    defaults: {
      COMPOSER_DEFAULT_CACHE: [
        { when: { set: 'COMPOSER_HOME' }, value: '$COMPOSER_HOME/cache' },
        { when: { anySetWithPrefix: 'XDG_' }, value: '${XDG_CACHE_HOME:-$HOME/.cache}/composer' },
        { value: '$HOME/.composer/cache' },
      ],
    },
    outputs: [{ dir: '$PROJECT_DIR/vendor', what: 'the installed vendor directory', commands: ['install', 'update', 'require'], evidence: ['COMPOSER-1'] }],
    projectFlags: [{ flag: '-d' }, { flag: '--working-dir' }],
  },
  {
    id: 'nuget',
    name: 'NuGet / dotnet',
    programs: ['dotnet', 'nuget'],
    cacheCommands: ['restore', 'build', 'publish', 'test', 'pack', 'add'],
    cacheDirs: ['${NUGET_PACKAGES:-$HOME/.nuget/packages}'],
    wipeCommands: [['nuget', 'locals']],
    concurrency: 'fails',
    concurrencyNote: "NuGet's cross-process locks live in /tmp, not in the cache: concurrent `dotnet restore` on one cache fails",
    effective: 'the global packages folder is ~/.nuget/packages',
    recommendedSharing: 'locked',
    evidence: ['NUGET-1', 'NUGET-2', 'BK-2459'],
    signatures: [],
    unwritableCache: { behaviour: 'fails', note: 'NuGet writes the global packages folder there (no fallback is known)', evidence: ['BK-REF'] },
    installCommands: ['restore', 'publish', 'build'],
  },
  {
    id: 'coursier',
    name: 'Coursier',
    programs: ['cs', 'coursier'],
    cacheDirs: ['${COURSIER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/coursier/v1}'],
    concurrency: 'safe',
    concurrencyNote: 'per-artifact lock files inside the cache coordinate concurrent users',
    effective: 'the cache is ~/.cache/coursier/v1',
    recommendedSharing: 'shared',
    evidence: ['COURSIER-1', 'COURSIER-2', 'COURSIER-3'],
    reportedFailures: [{ source: 'COURSIER-2591', shapes: ['platforms', 'stages', 'separate builds'], symptom: 'parallel downloads wiped files freshly written by others (`concurrent download` errors), fixed in November 2022 — in one JVM; across containers not verified' }],
    signatures: [],
    unwritableCache: { behaviour: 'fails', note: 'Coursier writes its cache there (no fallback is known)', evidence: ['BK-REF'] },
  },
  {
    id: 'sbt',
    name: 'sbt / Ivy',
    programs: ['sbt'],
    // sbt 1.3+ resolves through Coursier: its cache is sbt's too.
    cacheDirs: ['$HOME/.ivy2/cache', '$HOME/.sbt', '${COURSIER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/coursier/v1}'],
    concurrency: 'depends',
    concurrencyNote: 'Ivy has a lock-free strategy that "should not be used" with a shared cache, and a lock strategy',
    dependsOn: "which Ivy lock strategy sbt uses (not verified); its dependencies also go through Coursier's cache",
    effective: 'the caches are ~/.ivy2/cache and ~/.sbt',
    recommendedSharing: 'locked',
    evidence: ['IVY-1', 'COURSIER-1'],
    reportedFailures: [{ source: 'SBT-3146', shapes: ['platforms', 'stages', 'separate builds'], symptom: '`Waiting for lock on …/ivy2/.sbt.ivy.lock` … `java.io.IOException: Resource deadlock would occur` with four sbt runs on one cache' }],
    signatures: [],
    unwritableCache: { behaviour: 'fails', note: 'sbt writes its caches there (no fallback is known)', evidence: ['BK-REF'] },
  },
];

/** The tool a program belongs to (`apt-get` → apt). */
export function toolOfProgram(program: string): ToolKnowledge | undefined {
  return TOOLS.find((t) => t.programs.includes(program.replace(/^.*\//, '')));
}

export function toolById(id: string): ToolKnowledge | undefined {
  return TOOLS.find((t) => t.id === id);
}

/**
 * The fix `--fix` applies to a race of this tool unless the user chooses: the one
 * measured fastest on a real race of the tool where there is one (fixStrategy),
 * else `locked` for tools that must not share and `private` for the others.
 */
export function defaultFixStrategy(tool: ToolKnowledge): 'locked' | 'private' | 'id' | 'wait' {
  return tool.fixStrategy ?? (tool.recommendedSharing === 'locked' ? 'locked' : 'private');
}

/** Tools that replace each other: a cache mount for one on a RUN that runs another is a common slip. */
export const TOOL_FAMILY: Record<string, string> = {
  pip: 'python', uv: 'python', poetry: 'python', pipenv: 'python',
  npm: 'node', yarn1: 'node', 'yarn-berry': 'node', pnpm: 'node', bun: 'node',
  yum: 'rpm', dnf: 'rpm', dnf5: 'rpm', microdnf: 'rpm',
};

/** Path fragments by which a mount target reveals the tool it was meant for. */
export const PATH_HINTS: Record<string, RegExp> = {
  apt: /\/apt(\/|$)/, apk: /\/apk(\/|$)/, yum: /\/yum(\/|$)/, dnf: /\/(lib)?dnf5?(\/|$)/, zypper: /\/zypp(er)?(\/|$)/,
  pip: /\/pip(\/|$)/, uv: /\/uv(\/|$)/, poetry: /pypoetry/, pipenv: /pipenv/, npm: /\/\.npm(\/|$)/, yarn1: /yarn/, 'yarn-berry': /yarn/,
  pnpm: /pnpm/, bun: /\.bun/, cargo: /cargo/, go: /(go-build|\/pkg\/mod)/, maven: /\.m2/, gradle: /gradle/, bundler: /(\.gem|bundle)/,
  composer: /(composer|^\/tmp\/cache$)/, nuget: /nuget/i, conda: /\/pkgs(\/|$)/, mamba: /\/pkgs(\/|$)/, ccache: /ccache/, sccache: /sccache/,
};
