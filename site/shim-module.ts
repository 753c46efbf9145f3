/** `node:module` in the browser bundle: nothing to require there (see shim-fs.ts for the files it has). */
export function createRequire(): { resolve(name: string): string } {
  return {
    resolve(name: string): string {
      throw new Error(`${name}: not available in the browser`);
    },
  };
}
