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
  // Outside the caches: a mirror or registry that did not answer, or a build stopped at its time limit.
  if (run.failure?.download) return { kind: 'unreachable', message: `could not download: ${run.failure.download.line}` };
  if (run.timedOut) return { kind: 'unreachable', message: 'stopped at its time limit' };
  // The failed step's last words say more than BuildKit's "did not complete successfully" (a tool's error not yet known).
  const said = (run.failure?.step?.output ?? []).map((l) => l.trim()).filter(Boolean).slice(-2).join(' / ');
  return { kind: 'invalid', message: `${run.failure?.message ?? 'failed'}${said ? ` — the step said: ${said}` : ''}` };
}

/** How long one build of the suite may take before it is stopped (a mirror that never answers hung apt for 10 minutes here). */
export const BUILD_TIME_LIMIT_MS = 10 * 60_000;

/**
 * verify (or verifyBake), where a run that failed for a reason outside the caches (a
 * download, a hang) is run again, at most `retries` times in all: such a run says nothing
 * about a race, and the case's runs should. `result.ranAgain` says which runs were, and why.
 */
export async function verifySteadily(verify, options, tool, retries = 2) {
  const result = await verify({ timeoutMs: BUILD_TIME_LIMIT_MS, ...options });
  result.ranAgain = [];
  for (const name of ['original', 'fixed']) {
    const variant = result[name];
    if (!variant) continue;
    for (let i = 0; i < variant.runs.length; i++) {
      let seen = observeRun(variant.runs[i], tool);
      while (seen.kind === 'unreachable' && result.ranAgain.length < retries) {
        const number = variant.runs[i].run;
        result.ranAgain.push(`${name} run ${number} (${seen.message.slice(0, 100)})`);
        const onLog = options.onLog && ((at, log) => options.onLog({ ...at, run: number }, log));
        const again = await verify({ timeoutMs: BUILD_TIME_LIMIT_MS, ...options, runs: 1, onLog });
        result.cleanup.problems.push(...again.cleanup.problems);
        variant.runs[i] = { ...again[name].runs[0], run: number };
        seen = observeRun(variant.runs[i], tool);
      }
    }
  }
  return result;
}

/** The row's note on runs made again, if any. */
export const ranAgainNote = (results) => {
  const all = results.flatMap((r) => r.ranAgain ?? []);
  return all.length ? `  ran again: ${all.join('; ')}` : '';
};

/** The runs of one variant, summed up: counts, and a short text for the tables. */
export function summarize(runs, tool) {
  // A run still outside the caches after its retries is a failure the case cannot explain.
  const seen = runs.map((r) => observeRun(r, tool)).map((s) => (s.kind === 'unreachable' ? { kind: 'invalid', message: s.message } : s));
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
    s.kind === 'race' ? `race ${s.race}/${n}` + (s.invalid ? ` (+${s.invalid} other failures; the first: ${seen.find((x) => x.kind === 'invalid').message.slice(-160)})` : '')
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
