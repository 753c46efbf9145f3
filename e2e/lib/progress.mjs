/** Progress for the e2e suite: every line stamped with the time since the start, and per-phase times. */
const started = performance.now();
export const phases = [];

export const clock = () => {
  const s = Math.round((performance.now() - started) / 1000);
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
};
export const say = (line) => console.log(`[${clock()}] ${line}`);
export const secs = (ms) => `${(ms / 1000).toFixed(1)}s`;
export const minutes = (ms) => `${(ms / 60000).toFixed(1)} min`;
export const elapsedMs = () => performance.now() - started;

/** Runs one phase of the suite, saying when it starts and how long it took. */
export async function phase(name, fn) {
  say(`${name}…`);
  const t = performance.now();
  try {
    return await fn();
  } finally {
    const ms = performance.now() - t;
    phases.push({ name, ms });
    say(`${name}: ${secs(ms)}`);
  }
}
