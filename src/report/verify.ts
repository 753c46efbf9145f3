/** What `mountlint verify` prints: progress while builds run, then a summary. */
import type { BakeVerifyResult, DownloadMatch, ProgressEvent, RunResult, VariantResult, VerifyResult } from '../verify/index.js';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

/** One status line; on a terminal it replaces the previous one. */
export function progressLine(e: ProgressEvent): string {
  const label = e.variant === 'fixed' ? 'fixed ' : '';
  if (e.finished) return `${label}run ${e.run}/${e.runs} ${e.finished.ok ? 'passed' : 'FAILED'} after ${seconds(e.elapsedMs)}`;
  return `${label}run ${e.run}/${e.runs} ${seconds(e.elapsedMs).padStart(6)}  ${e.step ?? 'starting'}`;
}

/** Why a failed run says nothing about the caches, when it does not: the engine refused it, or a step could not download. */
function outsideTheCaches(f: { infrastructure?: { meaning: string; remedy: string }; download?: DownloadMatch }): string | undefined {
  if (f.infrastructure) return `    the build could not run: ${f.infrastructure.meaning}\n    remedy: ${f.infrastructure.remedy}\n`;
  if (f.download) {
    return `    ${f.download.failure.meaning} (${f.download.failure.id}): ${f.download.line}\n` +
      '    not a cache problem: this run says nothing about a race; run verify again when the source answers\n';
  }
  return undefined;
}

function durations(runs: RunResult[]) {
  const ms = runs.map((r) => r.ms).sort((a, b) => a - b);
  return { median: ms[Math.floor(ms.length / 2)], min: ms[0], max: ms[ms.length - 1] };
}

function variantText(v: VariantResult, title: string): string {
  const failed = v.runs.filter((r) => !r.ok).length;
  let out = `${title}\n`;
  for (const r of v.runs) {
    out += `  run ${r.run}  ${r.ok ? 'passed' : r.timedOut ? 'STOPPED at its time limit (--timeout)' : 'FAILED'}  ${seconds(r.ms)}\n`;
    for (const w of r.waits ?? []) {
      out += `    ${w.signature.tool} waited${w.seconds !== undefined ? ` ${w.seconds.toFixed(1)}s` : ''} in ${w.stage ? `stage "${w.stage}"` : w.step}: ${w.line}\n`;
    }
    const f = r.failure;
    if (!f) continue;
    out += `    step: ${f.stage ? `stage "${f.stage}"` : 'unknown stage'}${f.line ? `, line ${f.line}` : ''}${f.step ? ` — ${f.step.name}` : ''}\n`;
    for (const s of f.signatures) out += `    ${s.signature.tool} ${s.signature.kind === 'wait' ? 'waited' : 'failed'} (${s.signature.id}, ${s.signature.meaning}): ${s.line}\n`;
    if (!f.signatures.length) out += `    error: ${f.message}\n`;
    const outside = outsideTheCaches(f);
    if (outside) {
      out += outside;
      continue;
    }
    out += f.finding
      ? `    predicted by ${f.finding.ruleId} at line ${v.prediction.source.positionAt(f.finding.range.start).line}${f.finding.tools?.length ? ` (${f.finding.tools.join(', ')})` : ''}\n`
      : '    not predicted by mountlint check\n';
  }
  const d = durations(v.runs);
  out += `  ${failed} of ${v.runs.length} runs failed; duration median ${seconds(d.median)}, min ${seconds(d.min)}, max ${seconds(d.max)}\n`;
  const predicted = v.prediction.diagnostics.filter((x) => x.severity === 'error').map((x) => `${x.ruleId} (line ${v.prediction.source.positionAt(x.range.start).line})`);
  out += `  mountlint check predicted: ${predicted.length ? predicted.join(', ') : 'no error'}\n`;
  return out;
}

export function verifyText(path: string, r: VerifyResult): string {
  const engine = `Docker ${r.engine.server}${r.engine.buildx ? ' via buildx' : ' (DOCKER_BUILDKIT=1 docker build)'}`;
  let out = `mountlint verify ${path} — ${engine}, ${r.original.runs.length} cold run${r.original.runs.length === 1 ? '' : 's'} each\n`;
  if (r.runs && r.runs.reason !== 'asked for' && r.runs.reason !== 'the default') out += `(${r.runs.reason})\n`;
  out += '\n';
  out += variantText(r.original, 'original');
  if (r.fixed) {
    out += '\n' + variantText(r.fixed, `fixed with --fix-strategy ${r.fixed.strategy}${r.fixed.changed ? '' : ' (nothing to change)'}`);
    const a = durations(r.original.runs);
    const b = durations(r.fixed.runs);
    const fa = r.original.runs.filter((x) => !x.ok).length;
    const fb = r.fixed.runs.filter((x) => !x.ok).length;
    out += `\n${''.padEnd(16)}${'original'.padEnd(14)}fixed (${r.fixed.strategy})\n`;
    out += `${'runs failed'.padEnd(16)}${`${fa} of ${r.original.runs.length}`.padEnd(14)}${fb} of ${r.fixed.runs.length}\n`;
    out += `${'median time'.padEnd(16)}${seconds(a.median).padEnd(14)}${seconds(b.median)}\n`;
  }
  out += `\ncleanup: removed ${r.cleanup.records} build-cache record${r.cleanup.records === 1 ? '' : 's'} and ${r.cleanup.images} image${r.cleanup.images === 1 ? '' : 's'} created by verify; your own caches were not touched\n`;
  for (const p of r.cleanup.problems) out += `cleanup: NOT DONE: ${p}\n`;
  return out;
}

/** What `mountlint verify docker-bake.hcl` prints: each run, each failure at its target, Dockerfile and line. */
export function verifyBakeText(path: string, r: BakeVerifyResult): string {
  let out = `mountlint verify ${path} — Docker ${r.engine.server}, ${r.engine.bake.split('\n')[0]}, ${r.original.runs.length} cold run${r.original.runs.length === 1 ? '' : 's'} each of docker buildx bake\n\n`;
  const variant = (v: BakeVerifyResult['original'], title: string) => {
    let text = `${title}\n`;
    for (const run of v.runs) {
      text += `  run ${run.run}  ${run.ok ? 'passed' : run.timedOut ? 'STOPPED at its time limit (--timeout)' : 'FAILED'}  ${seconds(run.ms)}\n`;
      const f = run.failure;
      if (!f) continue;
      text += `    target ${f.target ?? '(unknown)'}${f.platform ? ` (${f.platform})` : ''}: ${f.file ?? 'unknown file'}${f.line ? `:${f.line}` : ''}${f.stage ? `, stage "${f.stage}"` : ''}\n`;
      for (const s of f.signatures) text += `    ${s.signature.id}: ${s.line}\n`;
      if (!f.signatures.length) text += `    error: ${f.message}\n`;
      const outside = outsideTheCaches(f);
      if (outside) text += outside;
      else text += f.finding ? `    predicted by ${f.finding.ruleId} at ${f.finding.file}:${f.finding.line}\n` : '    not predicted by mountlint check\n';
    }
    const failed = v.runs.filter((x) => !x.ok).length;
    text += `  ${failed} of ${v.runs.length} runs failed\n`;
    const predicted = v.prediction.results.flatMap((res) => res.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.ruleId} (${res.source.path}:${res.source.positionAt(d.range.start).line})`));
    text += `  mountlint check predicted: ${predicted.length ? predicted.join(', ') : 'no error'}\n`;
    return text;
  };
  out += variant(r.original, 'original');
  if (r.fixed) out += '\n' + variant(r.fixed, `fixed with --fix-strategy ${r.fixed.strategy} (${r.fixed.changed.length ? r.fixed.changed.join(', ') : 'nothing to change'})`);
  out += `\ncleanup: removed ${r.cleanup.records} build-cache record${r.cleanup.records === 1 ? '' : 's'} created by verify; your own caches were not touched\n`;
  for (const p of r.cleanup.problems) out += `cleanup: NOT DONE: ${p}\n`;
  return out;
}
