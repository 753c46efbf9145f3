/** `node:path` in the browser bundle: the few POSIX operations reports use on the playground's one file name. */
export const sep = '/';
export const isAbsolute = (p: string): boolean => p.startsWith('/');
export const basename = (p: string): string => p.slice(p.lastIndexOf('/') + 1);
export const dirname = (p: string): string => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) || '/' : '.');
export const join = (...parts: string[]): string => parts.filter(Boolean).join('/').replace(/\/+/g, '/');
export const resolve = (...parts: string[]): string => {
  const last = [...parts].reverse().find((p) => p.startsWith('/'));
  return last ?? '/' + join(...parts);
};
export const relative = (from: string, to: string): string => (to.startsWith(from + '/') ? to.slice(from.length + 1) : to);

/** Collapses `.`, `..` and doubled slashes. */
export const normalize = (p: string): string => {
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return (p.startsWith('/') ? '/' : '') + out.join('/') || '.';
};
