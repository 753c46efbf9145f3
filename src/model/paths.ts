/** Already clean: no empty, `.` or `..` segment and no trailing slash (the common case, answered fast). */
const UNCLEAN = /\/\/|\/\.\.?(\/|$)|^\.\.?(\/|$)|.\/$/;

/** Go's path.Clean: BuildKit derives the default cache id from it. */
export function cleanPath(p: string): string {
  if (p === '') return '.';
  if (!UNCLEAN.test(p)) return p;
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(part);
  }
  const joined = out.join('/');
  if (rooted) return '/' + joined;
  return joined === '' ? '.' : joined;
}

/** Go's path.Join followed by Clean. */
export function joinPath(...parts: string[]): string {
  const nonEmpty = parts.filter((p) => p !== '');
  return nonEmpty.length ? cleanPath(nonEmpty.join('/')) : '';
}

/** Where a mount lands: relative targets are under the WORKDIR (BuildKit: Join("/", workdir, target)). */
export function absoluteTarget(target: string, workdir: string): string {
  const clean = cleanPath(target);
  // `${CARGO_HOME}/registry` with CARGO_HOME unknown: a path the base image decides, taken as it is.
  return clean.startsWith('/') || clean.startsWith('${') ? clean : joinPath('/', workdir, target);
}

/** The path of `inner` relative to `outer` if inner is outer or below it. */
export function relativeInside(outer: string, inner: string): string | undefined {
  const o = cleanPath(outer);
  const i = cleanPath(inner);
  if (o === i) return '';
  const prefix = o === '/' ? '/' : o + '/';
  return i.startsWith(prefix) ? i.slice(prefix.length) : undefined;
}
