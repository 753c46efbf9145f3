/**
 * Asking Docker itself what a bake or compose build is: `docker buildx bake
 * --print` resolves variables, functions, matrices, env files and compose
 * interpolation exactly as the build will. Used where buildx is installed;
 * our own reader still gives every target its place in the files. Nothing
 * is built: `--print` only evaluates the definition.
 */
import { spawnSync } from 'node:child_process';
import { dirname, isAbsolute, join, normalize, relative, resolve } from 'node:path';
import { isRemote } from './bake/index.js';
import type { BuildRequest, BuildTarget } from './types.js';

interface PrintedTarget {
  context?: string;
  dockerfile?: string;
  'dockerfile-inline'?: string;
  target?: string;
  args?: Record<string, string | null>;
  platforms?: string[];
  contexts?: Record<string, string>;
}

interface Printed {
  group?: Record<string, { targets?: string[] }>;
  target?: Record<string, PrintedTarget>;
}

export interface DockerResolver {
  /** The Docker CLI to ask. */
  bin: string;
  env: NodeJS.ProcessEnv;
}

/** Whether `docker buildx bake` can be asked (buildx installed); checked once per process. */
const available = new Map<string, boolean>();
export function canAskDocker(resolver: DockerResolver): boolean {
  let ok = available.get(resolver.bin);
  if (ok === undefined) {
    const r = spawnSync(resolver.bin, ['buildx', 'bake', '--help'], { env: resolver.env, encoding: 'utf8', timeout: 15_000 });
    ok = r.status === 0;
    available.set(resolver.bin, ok);
  }
  return ok;
}

/**
 * The request as `docker buildx bake --print` resolves it, with each target's
 * place taken from `ours` (the same request read by mountlint); undefined
 * with the reason when Docker could not answer.
 */
export function askDocker(resolver: DockerResolver, files: string[], names: string[], ours: BuildRequest, cwd: string = dirname(files[0]), localPlatform = 'linux/amd64'): { request?: BuildRequest; problem?: string } {
  const args = ['buildx', 'bake', '--print', ...files.flatMap((f) => ['-f', resolve(f)]), ...names];
  const r = spawnSync(resolver.bin, args, { cwd: resolve(cwd), env: resolver.env, encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) return { problem: (r.stderr || r.error?.message || 'no answer').trim().split('\n').pop() };
  let printed: Printed;
  try {
    printed = JSON.parse(r.stdout) as Printed;
  } catch {
    return { problem: 'docker buildx bake --print did not print JSON' };
  }
  const base = cwd;
  const fallback = ours.definedAt ?? ours.targets[0]?.definedAt;
  if (!fallback) return { problem: 'no place in the files to name its targets by' };
  const targets: BuildTarget[] = Object.entries(printed.target ?? {}).map(([name, t]) => {
    const mine = ours.targets.find((x) => x.name === name);
    // `cwd://` paths are under the folder bake runs in; --print shows them as written.
    const context = (t.context ?? '.').replace(/^cwd:\/\//, '') || '.';
    const contextPath = isRemote(context) ? context : isAbsolute(context) ? context : join(base, context);
    const printedDockerfile = t.dockerfile ?? 'Dockerfile';
    const dockerfile = printedDockerfile.startsWith('cwd://') ? relativeTo(base, printedDockerfile.slice(6)) : printedDockerfile;
    return {
      name,
      label: mine?.label,
      kind: mine?.kind ?? 'bake target',
      definedAt: mine?.definedAt ?? fallback,
      context: contextPath,
      dockerfile: normalize(isAbsolute(dockerfile) ? dockerfile : join(contextPath, dockerfile)),
      inline: t['dockerfile-inline'] !== undefined ? { text: t['dockerfile-inline'].replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{'), place: mine?.inline?.place ?? mine?.definedAt ?? fallback } : undefined,
      stage: t.target || undefined,
      args: Object.fromEntries(Object.entries(t.args ?? {}).filter((e): e is [string, string] => e[1] !== null).map(([k, v]) => [k, v.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{')])),
      platforms: (t.platforms ?? []).map((p) => (p === 'local' ? localPlatform : p)),
      namedContexts: t.contexts ?? {},
      unknown: isRemote(context) && t['dockerfile-inline'] === undefined ? { reason: `its context is remote (${context}), so its Dockerfile is not on this machine`, place: mine?.definedAt ?? fallback } : undefined,
    };
  });
  return { request: { ...ours, targets } };
}

/** A path under `base`, as an absolute path when `base` is (so that it is not joined to the context again). */
function relativeTo(base: string, path: string): string {
  return isAbsolute(path) ? path : resolve(base, path);
}

interface ComposeConfig {
  services?: Record<string, { platform?: string; build?: { context?: string; dockerfile?: string; dockerfile_inline?: string; target?: string; args?: Record<string, string | null>; platforms?: string[]; additional_contexts?: Record<string, string> } }>;
}

/** Whether `docker compose` can be asked; checked once per process. */
const composeAvailable = new Map<string, boolean>();
export function canAskCompose(resolver: DockerResolver): boolean {
  let ok = composeAvailable.get(resolver.bin);
  if (ok === undefined) {
    const r = spawnSync(resolver.bin, ['compose', 'version'], { env: resolver.env, encoding: 'utf8', timeout: 15_000 });
    ok = r.status === 0;
    composeAvailable.set(resolver.bin, ok);
  }
  return ok;
}

/**
 * The request as `docker compose config` resolves it (for `docker compose
 * build`: profiles, env files and interpolation as Compose applies them,
 * which bake's reading of compose files does not), each service keeping its
 * place from `ours`. `services`: the ones asked for (default: every one that builds).
 */
export function askCompose(resolver: DockerResolver, files: string[], ours: BuildRequest, options: { envFiles?: string[]; profiles?: string[]; services?: string[] }): { request?: BuildRequest; problem?: string } {
  const args = ['compose', ...files.flatMap((f) => ['-f', resolve(f)]), ...(options.envFiles ?? []).flatMap((f) => ['--env-file', resolve(f)]), ...(options.profiles ?? []).flatMap((p) => ['--profile', p]), 'config', '--format', 'json'];
  const r = spawnSync(resolver.bin, args, { cwd: resolve(dirname(files[0])), env: resolver.env, encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) return { problem: (r.stderr || r.error?.message || 'no answer').trim().split('\n').pop() };
  let config: ComposeConfig;
  try {
    config = JSON.parse(r.stdout) as ComposeConfig;
  } catch {
    return { problem: 'docker compose config did not print JSON' };
  }
  // config prints absolute contexts; reports keep the user's style of path.
  const projectDir = dirname(files[0]);
  const fallback = ours.definedAt ?? ours.targets[0]?.definedAt;
  const targets: BuildTarget[] = [];
  for (const [name, s] of Object.entries(config.services ?? {})) {
    const b = s.build;
    if (!b || (options.services?.length && !options.services.includes(name))) continue;
    const mine = ours.targets.find((x) => x.name === name);
    const place = mine?.definedAt ?? fallback;
    if (!place) continue;
    const context = b.context ?? resolve(projectDir);
    const contextPath = isRemote(context) || isAbsolute(projectDir) ? context : relative(process.cwd(), context) || '.';
    const dockerfile = b.dockerfile ?? 'Dockerfile';
    const unescape = (v: string) => v.replace(/\$\$/g, '$');
    targets.push({
      name,
      kind: 'compose service',
      definedAt: place,
      context: contextPath,
      dockerfile: normalize(isAbsolute(dockerfile) ? dockerfile : join(contextPath, dockerfile)),
      inline: b.dockerfile_inline !== undefined ? { text: unescape(b.dockerfile_inline), place: mine?.inline?.place ?? place } : undefined,
      stage: b.target || undefined,
      args: Object.fromEntries(Object.entries(b.args ?? {}).filter((e): e is [string, string] => e[1] !== null).map(([k, v]) => [k, unescape(v)])),
      platforms: b.platforms ?? (s.platform ? [s.platform] : []),
      namedContexts: Object.fromEntries(Object.entries(b.additional_contexts ?? {}).map(([k, v]) => [k, v.startsWith('service:') ? `target:${v.slice('service:'.length)}` : v])),
      unknown: isRemote(context) && b.dockerfile_inline === undefined ? { reason: `its context is remote (${context}), so its Dockerfile is not on this machine`, place } : undefined,
    });
  }
  return { request: { ...ours, targets } };
}
