/**
 * Seeded randomness for the property and fuzz tests. Every run draws a new
 * seed and prints it in the test's name; MOUNTLINT_FUZZ_SEED=N replays a run
 * (a failure message names its seed).
 */

/** A small deterministic PRNG (mulberry32): numbers in [0, 1). */
export function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** This run's seed: MOUNTLINT_FUZZ_SEED when set, otherwise a fresh one. */
export function fuzzSeed(): number {
  const given = process.env.MOUNTLINT_FUZZ_SEED;
  if (given !== undefined && given !== '') return Number(given) >>> 0;
  return Math.floor(Math.random() * 2 ** 32) >>> 0;
}
