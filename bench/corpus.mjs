/** The benchmark corpus: shared Dockerfiles (read in place, never copied) and generated ones. */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SHARED = resolve(ROOT, '..', 'shared');

function listDockerfiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return listDockerfiles(p);
    return e.name === 'Dockerfile' || e.name.endsWith('.Dockerfile') ? [p] : [];
  });
}

/** A realistic multi-stage Dockerfile of about `lines` lines (cache mounts, continuations, ARG/ENV, COPY --from). */
export function generateDockerfile(lines) {
  const out = ['# syntax=docker/dockerfile:1', 'ARG BASE=debian:bookworm'];
  let stage = 0;
  while (out.length < lines) {
    const name = `s${stage}`;
    out.push(`FROM \${BASE} AS ${name}`, `ARG VERSION=${stage}`, `ENV APP_HOME=/opt/${name} PATH=/opt/${name}/bin:$PATH`, 'WORKDIR $APP_HOME');
    out.push(
      `RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \\`,
      `    --mount=type=cache,target=/var/lib/apt/lists,sharing=locked \\`,
      `    apt-get update && apt-get install -y --no-install-recommends \\`,
      `      curl ca-certificates pkg-${stage} \\`,
      `    && echo ${name}`,
    );
    out.push(`RUN --mount=type=cache,id=pip-${stage},target=/root/.cache/pip pip install -r requirements-${stage}.txt`);
    out.push(`COPY src/${name} ./src`, `RUN make -C src VERSION=$VERSION && ./configure --prefix=/usr/local | tee build.log`);
    if (stage > 0) out.push(`COPY --from=s${stage - 1} /opt/s${stage - 1}/bin /opt/prev/bin`);
    out.push('');
    stage++;
  }
  out.push('FROM scratch', ...Array.from({ length: stage }, (_, i) => `COPY --from=s${i} /opt/s${i}/bin /bin/s${i}`));
  return out.join('\n') + '\n';
}

export function loadCorpus() {
  const paths = [
    ...listDockerfiles(join(SHARED, 'oracle')),
    ...listDockerfiles(join(SHARED, 'corpus/real-world')),
    ...listDockerfiles(join(SHARED, 'conformance/buildkit/frontend/dockerfile/parser')),
  ];
  const files = paths.map((p) => ({ path: p, text: readFileSync(p, 'utf8') }));
  files.push({ path: 'generated-10000-lines.Dockerfile', text: generateDockerfile(10_000) });
  return files;
}

export { ROOT };

/** `stages` stages the last one needs, each installing with apt into one shared cache: one race, `stages` users. */
export function generateRacingStages(stages) {
  const out = [];
  for (let i = 0; i < stages; i++) out.push(`FROM debian:bookworm AS s${i}`, `RUN --mount=type=cache,target=/var/cache/apt apt-get install -y p${i}`);
  out.push('FROM scratch', ...Array.from({ length: stages }, (_, i) => `COPY --from=s${i} /x /x${i}`));
  return out.join('\n') + '\n';
}
