/** `node:os` in the browser bundle: the playground has no home folder (bake's homedir()). */
export function homedir(): string {
  return '/home/playground';
}
