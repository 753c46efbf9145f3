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

/** "linux/arm64/v8" → parts; a bare arch or os is accepted as containerd does for the common cases. */
export function parsePlatform(text: string): Platform {
  const parts = text.trim().toLowerCase().split('/');
  const [os = 'linux', arch = 'amd64', variant = ''] = parts.length === 1 ? ['linux', parts[0]] : parts;
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
