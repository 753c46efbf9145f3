/** `node:module` in the browser bundle: nothing to require there (see shim-fs.ts for the files it has); callers catch the error. */
export function createRequire(): ((name: string) => never) & { resolve(name: string): never } {
  const fail = (name: string): never => {
    throw new Error(`${name}: not available in the browser`);
  };
  return Object.assign(fail, { resolve: fail });
}
