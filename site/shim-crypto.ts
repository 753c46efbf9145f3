/** `node:crypto` in the browser bundle: hashing (bake's md5/sha* functions, --version's fingerprint) is CLI only, and says so when asked for. */
export function createHash(algorithm: string): never {
  throw new Error(`${algorithm} hashing (a bake function) is not available in the playground; run mountlint on the command line`);
}
