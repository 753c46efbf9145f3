/**
 * With MOUNTLINT_E2E_SAVE_LOGS=DIR, every build the suite runs through
 * verify leaves its whole output in DIR as <case>-<engine>-<variant>-<run>.log,
 * beside a .json of what the run showed, in the form `mountlint diagnose`'s
 * tests read (test/fixtures/build-logs): the engine, the Dockerfile, the exit,
 * the failed step and its line as verify mapped them, the signatures, and the
 * verdict the run settles (a tool's race signature: a race inside the build;
 * another failure: not a cache problem; no failure: a pass). Copy the ones
 * worth keeping (and their dockerfiles/) into test/fixtures/build-logs.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { observeRun } from './observe.mjs';

const DIR = process.env.MOUNTLINT_E2E_SAVE_LOGS;

/** verify's onLog for one case on one engine (undefined when logs are not saved). */
export function logRecorder() {
  if (!DIR) return undefined;
  const logs = new Map();
  // The Dockerfile's text is read now: a fixed variant's is a scratch copy that verify removes when it ends.
  const onLog = (at, log) => logs.set(`${at.variant}-${at.run}`, { log, dockerfile: at.dockerfile, text: at.dockerfile && readFileSync(at.dockerfile, 'utf8') });
  return { onLog, logs };
}

/** Writes the recorded logs of a verify result with their facts. `tool`: the tool whose race the case is about. */
export function saveLogs(recorder, { root, c, engine, result, tool }) {
  if (!recorder) return;
  mkdirSync(DIR, { recursive: true });
  for (const variant of [result.original, result.fixed].filter(Boolean)) {
    for (const run of variant.runs) {
      const saved = recorder.logs.get(`${variant.variant}-${run.run}`);
      if (!saved) continue;
      const seen = observeRun(run, tool);
      const f = run.failure;
      const name = `${c.name.replace(/[^A-Za-z0-9.-]+/g, '-')}-${engine.name}-${variant.variant}-${run.run}`;
      writeFileSync(join(DIR, `${name}.log`), saved.log);
      // The Dockerfile built: the case's own file where it is one (../shared's oracle stays there, never
      // copied into the repository); a scratch copy of the repository's e2e files is kept beside the log.
      const own = !saved.dockerfile || saved.dockerfile === (c.file ?? c.path); // bake: the definition file
      if (!own) {
        mkdirSync(join(DIR, 'dockerfiles'), { recursive: true });
        writeFileSync(join(DIR, 'dockerfiles', `${name}.Dockerfile`), saved.text);
      }
      const facts = {
        engine: engine.name,
        dockerfile: own ? relative(root, c.file ?? c.path) : `test/fixtures/build-logs/dockerfiles/${name}.Dockerfile`,
        exitCode: run.ok ? 0 : 1,
        failedSteps: f?.step ? [typeof f.step === 'string' ? f.step : f.step.name] : [], // bake's failure names its step
        failedLine: f?.line,
        failedTarget: f?.target,
        signatures: (f?.signatures ?? []).map((s) => s.signature.id),
        verdict: run.ok ? 'pass' : seen.kind === 'race' ? 'race-in-build' : 'not-cache',
        from: 'e2e',
      };
      writeFileSync(join(DIR, `${name}.json`), JSON.stringify(facts, null, 2) + '\n');
    }
  }
}
