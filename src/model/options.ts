import { BuildOptionError } from './stages.js';

/** What one `docker build` asks for: the inputs that change which steps run and which caches they get. */
export interface BuildOptions {
  /** `--target`; default: the last stage. */
  target?: string;
  /** `--build-arg K=V`; BUILDKIT_CACHE_MOUNT_NS here sets the cache namespace, as in BuildKit. */
  buildArgs?: Record<string, string>;
  /** `--platform a,b`; default: the build platform. */
  platforms?: string[];
  /** The builder's own platform (BUILDPLATFORM). */
  buildPlatform?: string;
  /**
   * Which Dockerfile frontend runs a file that has no `# syntax=` directive:
   * today's (default), or Docker 20.10's built-in one, which does not expand
   * variables in `--mount` values and has no heredocs (observed-buildkit.md).
   */
  frontend?: Frontend;
  /**
   * What is known about a base image's configuration (the engine supplies it
   * from the knowledge layer). BuildKit expands Dockerfile variables with the
   * image's ENV; for an image this does not know, a variable the Dockerfile
   * uses but never sets may come from the image, so its value is unknown.
   */
  imageConfig?: (image: string) => ImageConfig | undefined;
}

/** The parts of an image's configuration that change what a Dockerfile's words mean. */
export interface ImageConfig {
  env: Record<string, string>;
  /** Variables the image sets to values this does not know (versions). */
  varying?: string[];
  workdir?: string;
}

/**
 * How a variable whose value cannot be known is written into expanded text:
 * as the reference itself, `${NAME}`, so that paths stay readable and equal
 * references stay equal. `isUnknownPath` tells such a path apart.
 */
export function unknownValue(name: string): string {
  return '${' + name + '}';
}

export function isUnknownPath(path: string): boolean {
  return path.includes('${');
}

export type Frontend = 'current' | 'docker-20.10';
export const FRONTENDS: readonly Frontend[] = ['current', 'docker-20.10'];

export const DEFAULT_PLATFORM = 'linux/amd64';
export const CACHE_NAMESPACE_ARG = 'BUILDKIT_CACHE_MOUNT_NS';

export interface Platform {
  os: string;
  arch: string;
  variant: string;
  text: string;
}

/** Operating systems and architectures containerd's platform parser knows (platforms/database.go), with its aliases. */
const KNOWN_OS = new Set(['aix', 'android', 'darwin', 'dragonfly', 'freebsd', 'hurd', 'illumos', 'ios', 'js', 'linux', 'nacl', 'netbsd', 'openbsd', 'plan9', 'solaris', 'windows', 'zos', 'wasip1']);
const KNOWN_ARCH = new Set([
  '386', 'amd64', 'amd64p32', 'arm', 'armbe', 'arm64', 'arm64be', 'ppc64', 'ppc64le', 'loong64', 'mips', 'mipsle', 'mips64', 'mips64le',
  'mips64p32', 'mips64p32le', 'ppc', 'riscv', 'riscv64', 's390', 's390x', 'sparc', 'sparc64', 'wasm',
  'i386', 'x86_64', 'x86-64', 'aarch64', 'armhf', 'armel',
]);

/**
 * "linux/arm64/v8" → parts; a bare arch or os is accepted as containerd
 * does for the common cases. Anything containerd would reject (an unknown
 * OS or architecture, an empty part, more than three) is a BuildOptionError.
 */
export function parsePlatform(text: string): Platform {
  const parts = text.trim().toLowerCase().split('/');
  const bad = (why: string) => new BuildOptionError(`"${text}" is not a platform such as linux/amd64: ${why}`);
  if (parts.length > 3) throw bad('more than three parts (os/arch/variant)');
  if (parts.some((p) => p === '')) throw bad('an empty part');
  if (parts.length === 1 && !KNOWN_ARCH.has(parts[0]) && !KNOWN_OS.has(parts[0])) throw bad(`unknown operating system or architecture "${parts[0]}"`);
  const [os = 'linux', arch = 'amd64', variant = ''] = parts.length === 1 ? (KNOWN_OS.has(parts[0]) ? [parts[0]] : ['linux', parts[0]]) : parts;
  if (!KNOWN_OS.has(os)) throw bad(`unknown operating system "${os}"`);
  if (!KNOWN_ARCH.has(arch)) throw bad(`unknown architecture "${arch}"`);
  if (variant && !/^[a-z0-9.]+$/.test(variant)) throw bad(`invalid variant "${variant}"`);
  const normalized = [os, arch, variant].filter(Boolean).join('/');
  return { os, arch, variant, text: normalized };
}

/** BuildKit's automatic platform ARGs (platform.go defaultArgs). */
export function platformArgs(target: Platform, build: Platform, targetStage: string): Record<string, string> {
  return {
    BUILDPLATFORM: build.text,
    BUILDOS: build.os,
    BUILDOSVERSION: '',
    BUILDARCH: build.arch,
    BUILDVARIANT: build.variant,
    TARGETPLATFORM: target.text,
    TARGETOS: target.os,
    TARGETOSVERSION: '',
    TARGETARCH: target.arch,
    TARGETVARIANT: target.variant,
    TARGETSTAGE: targetStage,
  };
}
