/**
 * How apt, apt-get and aptitude lock their cache directories
 * (package-managers.md, "apt / apt-get"): a non-blocking fcntl lock on
 * `<dir>/lock`, inside the directory, so two containers sharing the directory
 * collide — and apt never waits for these locks (DPkg::Lock::Timeout only
 * covers dpkg's own locks in /var/lib/dpkg).
 */
import { debianPackageVersion, versionBelow } from './images.js';
import type { Invocation } from '../commands/index.js';

export type AptLockKind = 'archives' | 'lists';

export interface CacheLockUse {
  tool: string;
  kind: AptLockKind;
  /** Absolute directory holding the lock. */
  dir: string;
  /** The lock file. */
  lockFile: string;
  invocation: Invocation;
}

export const APT_PROGRAMS = new Set(['apt', 'apt-get', 'aptitude']);

/** Subcommands that lock Dir::State::lists. */
export const APT_UPDATE_COMMANDS: readonly string[] = ['update'];
/** Subcommands that run the install machinery (they lock Dir::Cache::archives). */
export const APT_INSTALL_COMMANDS: readonly string[] = [
  'install', 'reinstall', 'remove', 'purge', 'autoremove', 'auto-remove', 'upgrade', 'dist-upgrade', 'full-upgrade',
  'safe-upgrade', 'build-dep', 'satisfy',
];
/** Subcommands that empty the archives (they lock them too). */
export const APT_CLEAN_COMMANDS: readonly string[] = ['clean', 'autoclean', 'auto-clean', 'distclean', 'dist-clean'];

const LISTS_COMMANDS = new Set(APT_UPDATE_COMMANDS);
const ARCHIVES_COMMANDS = new Set([...APT_INSTALL_COMMANDS, ...APT_CLEAN_COMMANDS]);
/** Options that take the next word as their value. */
const OPTIONS_WITH_VALUE = new Set(['-o', '--option', '-c', '--config-file', '-t', '--target-release', '--default-release', '-a', '--host-architecture', '-P', '--build-profiles']);
/** Options under which apt takes no lock at all. */
const NO_LOCK_OPTIONS = new Set(['-s', '--simulate', '--just-print', '--dry-run', '--recon', '--no-act', '--print-uris']);

/**
 * What apt prints when a lock is held, for a cache directory; `version`: the
 * apt the image has, when its tag tells (apt before 1.9.2 did not name the
 * holder, and printed the errno instead [APT-6]).
 */
export const APT_SYMPTOMS: Record<AptLockKind, (dir: string, version?: string) => string[]> = {
  archives: (dir, version) => [lockHeld(dir, version), `E: Unable to lock directory ${dir}/`],
  lists: (dir, version) => [lockHeld(dir, version), `E: List directory ${dir}/partial is missing. - Acquire (17: File exists)`],
};

/** What apt prints when another apt holds this lock, in the words of the apt the base image ships (its tag tells the version). */
export function lockSymptoms(lock: Pick<CacheLockUse, 'kind' | 'dir'>, baseImage: string): string[] {
  return APT_SYMPTOMS[lock.kind](lock.dir, debianPackageVersion(baseImage, 'apt'));
}

function lockHeld(dir: string, version: string | undefined): string {
  return version !== undefined && versionBelow(version, '1.9.2') ? `E: Could not get lock ${dir}/lock - open (11: Resource temporarily unavailable)` : `E: Could not get lock ${dir}/lock. It is held by process 0`;
}

export const APT_DEFAULT_DIRS: Record<AptLockKind, string> = {
  archives: '/var/cache/apt/archives',
  lists: '/var/lib/apt/lists',
};

/** The cache locks one apt invocation takes, honouring `-o Dir::…` overrides. */
export function aptLockUses(inv: Invocation): CacheLockUse[] {
  if (!APT_PROGRAMS.has(inv.program)) return [];
  const config = new Map<string, string>();
  let subcommand: string | undefined;
  for (let i = 0; i < inv.args.length; i++) {
    const arg = inv.args[i];
    if (NO_LOCK_OPTIONS.has(arg)) return [];
    if (arg === '-o' || arg === '--option') {
      const [k, v] = splitOption(inv.args[++i] ?? '');
      config.set(k.toLowerCase(), v);
      continue;
    }
    if (arg.startsWith('-o') && arg.length > 2) {
      const [k, v] = splitOption(arg.slice(2));
      config.set(k.toLowerCase(), v);
      continue;
    }
    if (arg.startsWith('--option=')) {
      const [k, v] = splitOption(arg.slice('--option='.length));
      config.set(k.toLowerCase(), v);
      continue;
    }
    if (OPTIONS_WITH_VALUE.has(arg)) {
      i++;
      continue;
    }
    if (arg.startsWith('-')) continue;
    subcommand ??= arg;
  }
  if (!subcommand || /^(1|true|yes)$/i.test(config.get('debug::nolocking') ?? '')) return [];
  const dirs = aptDirs(config);
  const uses: CacheLockUse[] = [];
  const add = (kind: AptLockKind) => uses.push({ tool: inv.program, kind, dir: dirs[kind], lockFile: dirs[kind] + '/lock', invocation: inv });
  if (LISTS_COMMANDS.has(subcommand)) add('lists');
  if (ARCHIVES_COMMANDS.has(subcommand)) add('archives');
  return uses;
}

function splitOption(text: string): [string, string] {
  const eq = text.indexOf('=');
  return eq < 0 ? [text, ''] : [text.slice(0, eq), text.slice(eq + 1)];
}

/** Dir::Cache::archives and Dir::State::lists, resolved the way apt nests them. */
function aptDirs(config: Map<string, string>): Record<AptLockKind, string> {
  const join = (base: string, sub: string) => (sub.startsWith('/') ? sub : `${base.replace(/\/+$/, '')}/${sub}`);
  const root = config.get('dir') ?? '/';
  const cache = join(root, config.get('dir::cache') ?? 'var/cache/apt');
  const state = join(root, config.get('dir::state') ?? 'var/lib/apt');
  return {
    archives: join(cache, config.get('dir::cache::archives') ?? 'archives').replace(/\/+$/, ''),
    lists: join(state, config.get('dir::state::lists') ?? 'lists').replace(/\/+$/, ''),
  };
}
