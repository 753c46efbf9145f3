/**
 * The server's first minute, as fast as the rest. V8 compiles the lint's code
 * to fast machine code only after it has run it for a while: in a fresh
 * process, a lint of a 500-line file took about 30 ms for the first twenty
 * edits, 20 ms for the next twenty, 11 ms after forty and 5–8 ms after sixty
 * (docs/design.md, "Incremental editor"). So when the first Dockerfile is
 * opened, the server lints a small built-in Dockerfile of the usual shapes
 * (stages, cache mounts of several tools, ARG, ENV, COPY --from) a number of
 * times, editing it as a user would, one lint per turn of the event loop and
 * never while a document's lint is waiting: a message that arrives meanwhile
 * waits for at most one small lint. Nothing is published.
 */
import { LintSession } from '../engine/index.js';
import { lintDocument, publishedDiagnostics, type LintedDocument } from './linting.js';

/**
 * Lints of the sample: about 1.4 s of CPU, once per server, most of it V8
 * compiling (measured on 2 cores: 40 lints left a 500-line lint at 18 ms,
 * 80 at 12–14 ms, 150 at 6.5–9 ms, against 22–25 ms without).
 */
const LINTS = 150;

/** A Dockerfile of `stages` stages shaped like the ones users write. */
function sample(stages: number): string {
  const out = ['# syntax=docker/dockerfile:1', 'ARG BASE=debian:bookworm'];
  for (let i = 0; i < stages; i++) {
    out.push(
      `FROM \${BASE} AS s${i}`,
      `ARG VERSION=${i}`,
      `ENV APP_HOME=/opt/s${i} PATH=/opt/s${i}/bin:$PATH`,
      'WORKDIR $APP_HOME',
      'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \\',
      '    --mount=type=cache,target=/var/lib/apt/lists \\',
      `    apt-get update && apt-get install -y --no-install-recommends curl pkg-${i}`,
      `RUN --mount=type=cache,id=pip-${i},target=/root/.cache/pip pip install -r requirements-${i}.txt`,
      'RUN --mount=type=cache,target=/root/.npm npm ci && npm run build',
      'RUN --mount=type=cache,target=/root/.cache/go-build --mount=type=cache,target=/go/pkg/mod go build ./...',
      `COPY src/s${i} ./src`,
      'RUN make -C src VERSION=$VERSION | tee build.log',
    );
    if (i > 0) out.push(`COPY --from=s${i - 1} /opt/s${i - 1}/bin /opt/prev/bin`);
  }
  out.push('FROM scratch', ...Array.from({ length: stages }, (_, i) => `COPY --from=s${i} /opt/s${i}/bin /bin/s${i}`));
  return out.join('\n') + '\n';
}

/** Starts the warm-up; `busy()` says a document's lint is waiting (the warm-up then lets it go first). */
export function warmUp(busy: () => boolean): void {
  const base = sample(8);
  const session = new LintSession();
  let last: LintedDocument | undefined;
  let done = 0;
  const step = () => {
    if (done >= LINTS) return;
    if (!busy()) {
      // Add and remove a sharing mode, as the bench's edit does: races come and go.
      const text = done % 2 ? base : base.replace('/var/lib/apt/lists', '/var/lib/apt/lists,sharing=locked');
      try {
        last = lintDocument('file:///mountlint/warm-up/Dockerfile', '/mountlint/warm-up/Dockerfile', text, done, {}, last, session);
        publishedDiagnostics(last);
      } catch {
        return; // a bug the documents' own lints will report; the warm-up is only a speed-up
      }
      done++;
    }
    if (busy()) setTimeout(step, 5);
    else setImmediate(step);
  };
  setImmediate(step);
}
