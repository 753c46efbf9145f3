/**
 * The editor's incremental lint (a LintSession kept across the versions of a
 * document) gives exactly what a fresh lint of the same text gives: random
 * edits (characters and whole lines inserted, deleted, replaced, moved, and
 * undone) are applied one after another to each real-world Dockerfile, and
 * after every edit both lints are compared, findings, suppressed findings and
 * the diagnostics the client is sent. The seed is fixed (MOUNTLINT_FUZZ_SEED
 * replays another).
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { LintSession, prepare } from '../../src/engine/index.js';
import { lintDocument, publishedDiagnostics, type LintedDocument } from '../../src/lsp/linting.js';
import { CORPUS, hasShared } from '../helpers/paths.js';
import { random } from '../helpers/random.js';

const SEED = process.env.MOUNTLINT_FUZZ_SEED ? Number(process.env.MOUNTLINT_FUZZ_SEED) >>> 0 : 25;
const EDITS_PER_FILE = 24;

/** What a user types: Dockerfile syntax, mount flags, characters outside the BMP. */
const TYPED = ['a', ' ', '\\', '"', '$', '{', '}', ',', '=', '-', '--mount=type=cache,target=/root/.cache ', ',sharing=locked', 'apt-get install -y x', '&& ', '<<EOF', '#', '😀'];
const LINES = ['RUN apt-get update && apt-get install -y curl', 'RUN --mount=type=cache,target=/var/cache/apt apt-get install -y git', 'FROM debian AS extra', 'ARG V=1', 'WORKDIR /src', 'RUN pip install -r requirements.txt', 'EOF', 'RUN <<EOF', '# mountlint-disable cache-race', ''];

/** One random edit of `text`, as an editor sends it. */
function edit(rand: () => number, text: string, history: string[]): string {
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
  const at = safe(text, Math.floor(rand() * (text.length + 1)));
  const lines = text.split('\n');
  const line = Math.floor(rand() * lines.length);
  switch (Math.floor(rand() * 8)) {
    case 0: // type something
      return text.slice(0, at) + pick(TYPED) + text.slice(at);
    case 1: {
      // delete a few characters
      const end = safe(text, Math.min(text.length, at + 1 + Math.floor(rand() * 6)));
      return text.slice(0, at) + text.slice(end);
    }
    case 2: {
      // replace a few characters
      const end = safe(text, Math.min(text.length, at + 1 + Math.floor(rand() * 4)));
      return text.slice(0, at) + pick(TYPED) + text.slice(end);
    }
    case 3: // insert a line
      lines.splice(line, 0, pick(LINES));
      return lines.join('\n');
    case 4: // delete a line
      lines.splice(line, 1);
      return lines.join('\n');
    case 5: // duplicate a line elsewhere
      lines.splice(Math.floor(rand() * lines.length), 0, lines[line]);
      return lines.join('\n');
    case 6: {
      // move a line
      const [moved] = lines.splice(line, 1);
      lines.splice(Math.floor(rand() * (lines.length + 1)), 0, moved ?? '');
      return lines.join('\n');
    }
    default: // undo: back to an earlier version
      return history.length ? history[Math.floor(rand() * history.length)] : text;
  }
}

/** Never split a surrogate pair. */
function safe(text: string, offset: number): number {
  const c = text.charCodeAt(offset);
  const b = text.charCodeAt(offset - 1);
  return c >= 0xdc00 && c <= 0xdfff && b >= 0xd800 && b <= 0xdbff ? offset - 1 : offset;
}

function assertSame(incremental: LintedDocument, full: LintedDocument, where: string): void {
  assert.deepStrictEqual(incremental.result.diagnostics, full.result.diagnostics, `${where}: findings`);
  assert.deepStrictEqual(incremental.result.suppressed, full.result.suppressed, `${where}: suppressed findings`);
  assert.deepStrictEqual(incremental.carried, full.carried, `${where}: findings carried over`);
  assert.deepStrictEqual(publishedDiagnostics(incremental), publishedDiagnostics(full), `${where}: published diagnostics`);
}

describe(`incremental lint equals a full lint after random edits (seed ${SEED})`, () => {
  before(() => prepare());

  it('every real-world Dockerfile, edit after edit', (t) => {
    if (!hasShared(t, CORPUS)) return;
    const rand = random(SEED);
    const files = readdirSync(CORPUS).filter((n) => n.endsWith('Dockerfile')).sort();
    assert.ok(files.length > 0, `no Dockerfiles in ${CORPUS}`);
    let reused = 0;
    let compared = 0;
    for (const name of files) {
      const uri = `file:///corpus/${name}`;
      const session = new LintSession();
      let text = readFileSync(join(CORPUS, name), 'utf8');
      const history: string[] = [];
      // Each lint's last result that built, as the server keeps it (findings are carried over from it).
      let lastIncremental: LintedDocument | undefined;
      let lastFull: LintedDocument | undefined;
      for (let version = 1; version <= EDITS_PER_FILE + 1; version++) {
        if (version > 1) {
          history.push(text);
          text = edit(rand, text, history);
        }
        const where = `${name} version ${version} (seed ${SEED})`;
        const incremental = lintDocument(uri, join('/corpus', name), text, version, {}, lastIncremental, session);
        const full = lintDocument(uri, join('/corpus', name), text, version, {}, lastFull);
        assertSame(incremental, full, where);
        if (incremental.result.model) lastIncremental = incremental;
        if (full.result.model) lastFull = full;
        reused += session.nodes.reused;
        compared++;
      }
    }
    // The comparison means something only if the session did reuse what it kept.
    assert.ok(reused > compared, `only ${reused} instructions reused over ${compared} lints`);
  });
});
