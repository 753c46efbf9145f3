/**
 * Generated Dockerfiles of a given size in bytes, one per scaling shape that
 * once cost more than linear time or memory (issue 9). Each generator stops at
 * the first whole unit at or above `bytes`.
 */

/** ENV lines interleaved with RUN lines: every RUN sees every ENV before it. */
export function envInterleaved(bytes) {
  const out = ['FROM debian'];
  let n = out[0].length + 1;
  for (let i = 0; n < bytes; i++) {
    const lines = [`ENV VAR_${i}=value-${i} APP_HOME=/opt/app-${i}`, `RUN echo "$VAR_${i}" && make -C $APP_HOME/src`];
    for (const l of lines) {
      out.push(l);
      n += l.length + 1;
    }
  }
  return out.join('\n') + '\n';
}

/** One RUN whose heredoc script has many lines. */
export function longHeredoc(bytes) {
  const out = ['FROM debian', 'RUN --mount=type=cache,target=/var/cache/apt <<EOF'];
  let n = out.join('\n').length + 1;
  for (let i = 0; n < bytes; i++) {
    const l = i % 2 ? `apt-get install -y pkg-${i}` : `echo "step ${i}" > /tmp/log-${i}`;
    out.push(l);
    n += l.length + 1;
  }
  out.push('EOF');
  return out.join('\n') + '\n';
}

/** Many independent stages that all mount one apt cache, all needed by the last stage: they race. */
export function stagesRacing(bytes) {
  const stages = [];
  let n = 0;
  for (let i = 0; n < bytes; i++) {
    const s = `FROM debian AS s${i}\nRUN --mount=type=cache,target=/var/cache/apt apt-get update && apt-get install -y pkg-${i}\n`;
    stages.push(s);
    n += s.length + 30;
  }
  const last = ['FROM scratch', ...stages.map((_, i) => `COPY --from=s${i} /x /x${i}`)].join('\n');
  return stages.join('') + last + '\n';
}

/** Many stages, each a small build of its own with locked caches (no race): the 20 MB file of the issue. */
export function manyStages(bytes) {
  const out = [];
  let n = 0;
  for (let i = 0; n < bytes; i++) {
    const s = [
      `FROM debian:bookworm AS s${i}`,
      `ARG V=${i}`,
      `WORKDIR /src/${i}`,
      `RUN --mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt/lists,sharing=locked apt-get update && apt-get install -y curl`,
      `COPY . .`,
      `RUN make -j4 V=$V`,
      '',
    ].join('\n');
    out.push(s);
    n += s.length;
  }
  return out.join('');
}

export const SHAPES = { envInterleaved, longHeredoc, stagesRacing, manyStages };
