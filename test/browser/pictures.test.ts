/**
 * explain's pictures, checked by the programs that draw them: the dot output
 * by Graphviz (`dot -Tsvg`), the Mermaid output by Mermaid itself (its own
 * parse and render, run in Chromium from node_modules/mermaid: nothing
 * fetched). And what they must show: stages as clusters, merged steps once,
 * caches as written (no `//var/cache/apt`), racing pairs as red links
 * labelled with the cache.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { lintText, prepare } from '../../src/engine/index.js';
import { explainDot, explainMermaid, explainModel, type GraphExplanation } from '../../src/report/index.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { skipForMissingTool } from '../helpers/tools.js';
import { chromiumPath, launch, MISSING_CHROMIUM, watchedPage, type Session } from './chromium.js';

declare const window: any; // eslint-disable-line @typescript-eslint/no-explicit-any
declare const document: any; // eslint-disable-line @typescript-eslint/no-explicit-any

const SEED = readFileSync(join(REPO_ROOT, 'examples/seed/Dockerfile'), 'utf8');
const MULTI = 'FROM --platform=$BUILDPLATFORM debian AS tools\nRUN --mount=type=cache,target=/root/.cache/pip,id=pip,uid=1000 pip install x\nFROM debian\nCOPY --from=tools / /t\nRUN --mount=type=cache,target=/var/cache/apt apt-get update && apt-get install -y curl\n';

function explained(text: string, platforms?: string[]): GraphExplanation {
  const r = lintText(text, 'Dockerfile', { platforms });
  return explainModel(r.model!, 'Dockerfile');
}

describe('explain --format dot and mermaid', () => {
  before(prepare);

  it('the seed: stages as clusters, the merged step once, the cache as written, the race as a red edge', () => {
    const e = explained(SEED);
    const dot = explainDot(e);
    assert.match(dot, /subgraph cluster_0_0 \{\n {4}label="stage builder";/);
    assert.match(dot, /subgraph cluster_0_1 \{\n {4}label="stage production";/);
    assert.equal(dot.match(/^ *s\d+ \[label=/gm)!.length, 5, 'five operations: line 2 and line 9 are one');
    assert.match(dot, /s1 \[label="RUN Dockerfile:2 \(merged: also Dockerfile:9 \(production\)\)/);
    assert.doesNotMatch(dot, /\/\/var/);
    assert.match(dot, /c0 \[shape=cylinder, label="cache \\"\/var\/cache\/apt\\"", color=red/);
    assert.match(dot, /s2 -> s4 \[dir=both, color=red, fontcolor=red, penwidth=2\.5, constraint=false, label="race: \\"\/var\/cache\/apt\\""\]/);
    const mermaid = explainMermaid(e);
    assert.match(mermaid, /subgraph st0_0\["stage builder"\]/);
    assert.match(mermaid, /s2 <-->\|"race: #quot;\/var\/cache\/apt#quot;"\| s4\n {2}linkStyle 7 stroke:#c00/);
    assert.doesNotMatch(mermaid, /\/\/var/);
  });

  it('no race once the mounts are locked; platforms get a cluster each', () => {
    const locked = explainDot(explained(SEED.replace(/target=\/var\/cache\/apt/g, 'target=/var/cache/apt,sharing=locked')));
    assert.doesNotMatch(locked, /color=red/);
    const multi = explainDot(explained(MULTI, ['linux/amd64', 'linux/arm64']));
    assert.match(multi, /label="stage tools \(linux\/amd64\)"/);
    assert.match(multi, /label="stage stage-1 \(linux\/arm64\)"/);
    assert.match(multi, /cache \\"pip\\", uid=1000/);
  });

  const hasDot = !spawnSync('dot', ['-V']).error;
  it('Graphviz draws every picture', (t) => {
    if (!hasDot) return skipForMissingTool(t, 'Graphviz (dot) is not installed (apt-get install graphviz; .ci/run installs it)');
    for (const e of [explained(SEED), explained(MULTI, ['linux/amd64', 'linux/arm64'])]) {
      const drawn = spawnSync('dot', ['-Tsvg'], { input: explainDot(e), encoding: 'utf8' });
      assert.equal(drawn.status, 0, `Graphviz rejects the dot output: ${drawn.stderr}`);
      assert.match(drawn.stdout, /<svg[\s\S]*race: &quot;\/var\/cache\/apt&quot;/);
      assert.equal(drawn.stderr, '', 'no warnings');
    }
  });

  describe('Mermaid parses and renders every picture (in Chromium)', { concurrency: false }, () => {
    let session: Session | undefined;
    before(async () => {
      if (chromiumPath()) session = await launch();
    });
    after(async () => session?.close());

    it('parse and render', async (t: TestContext) => {
      if (!session) return skipForMissingTool(t, MISSING_CHROMIUM);
      const { page, errors, requests } = await watchedPage(session, (u) => u === 'about:blank');
      await page.setContent('<!doctype html><html><body><div id="out"></div></body></html>');
      await page.addScriptTag({ content: readFileSync(join(REPO_ROOT, 'node_modules/mermaid/dist/mermaid.min.js'), 'utf8') });
      for (const [i, e] of [explained(SEED), explained(MULTI, ['linux/amd64', 'linux/arm64'])].entries()) {
        const text = explainMermaid(e);
        const result = await page.evaluate(async (source: string, n: number) => {
          window.mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
          try {
            const parsed = await window.mermaid.parse(source);
            const { svg } = await window.mermaid.render(`picture${n}`, source);
            document.getElementById('out').innerHTML = svg;
            return { ok: !!parsed, svg };
          } catch (err) {
            return { ok: false, svg: String(err) };
          }
        }, text, i);
        assert.ok(result.ok, `Mermaid rejects:\n${text}\n${result.svg}`);
        assert.match(result.svg, /race: "\/var\/cache\/apt"|race: &quot;\/var\/cache\/apt&quot;/);
      }
      assert.deepEqual(errors, []);
      assert.deepEqual(requests, []);
    });
  });
});
