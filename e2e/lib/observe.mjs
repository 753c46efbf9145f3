/**
 * What the builds of a case showed, run by run: a race (a failure with a
 * tool's known signature), a wait (the build went on after a tool waited for
 * a lock another build held), another failure, or nothing.
 */
export function observeRun(run, tool) {
  if (run.ok) return run.waits.length ? { kind: 'waited', seconds: run.waits.reduce((s, w) => s + (w.seconds ?? 0), 0) } : { kind: 'clean' };
  // Failures only: a wait is not one, nor a cache the step's user cannot write (kind 'unwritable').
  const sigs = (run.failure?.signatures ?? []).filter((s) => (s.signature.kind ?? 'failure') === 'failure');
  const raced = tool ? sigs.filter((s) => s.signature.tool === tool) : sigs;
  if (raced.length) return { kind: 'race', signatures: raced.map((s) => s.signature.id) };
  return { kind: 'invalid', message: run.failure?.message ?? 'failed' };
}

/** The runs of one variant, summed up: counts, and a short text for the tables. */
export function summarize(runs, tool) {
  const seen = runs.map((r) => observeRun(r, tool));
  const count = (k) => seen.filter((s) => s.kind === k).length;
  const n = runs.length;
  const signatures = [...new Set(seen.flatMap((s) => s.signatures ?? []))];
  const waits = seen.filter((s) => s.kind === 'waited').map((s) => s.seconds);
  const s = { runs: n, race: count('race'), waited: count('waited'), invalid: count('invalid'), clean: count('clean'), signatures, waits };
  if (s.race) s.kind = 'race';
  else if (s.invalid) s.kind = 'invalid';
  else if (s.waited) s.kind = 'waited';
  else s.kind = 'clean';
  s.text =
    s.kind === 'race' ? `race ${s.race}/${n}` + (s.invalid ? ` (+${s.invalid} other failures)` : '')
    : s.kind === 'invalid' ? `failed ${s.invalid}/${n}: ${seen.find((x) => x.kind === 'invalid').message.slice(0, 120)}`
    : s.kind === 'waited' ? `waited ${s.waited}/${n} (up to ${Math.max(...waits).toFixed(1)}s)`
    : `clean 0/${n}`;
  return s;
}

/** What `check` predicts: an error-level race, a warning-level one (a wait, or "it depends"), another error, or nothing. */
export function predictedOf(result) {
  const races = result.diagnostics.filter((d) => d.ruleId === 'cache-race');
  if (races.some((d) => d.severity === 'error')) return 'race';
  if (result.diagnostics.some((d) => d.severity === 'error')) return 'invalid';
  if (races.length) return 'warn';
  return 'clean';
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
