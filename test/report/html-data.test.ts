/** The HTML view's data (src/report/html/data.ts), without a browser: overlap sets, lanes, races. */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { lintBuildSet, lintText, prepare, type LintOptions } from '../../src/engine/index.js';
import type { BuildModel, Step } from '../../src/model/index.js';
import { composeWhy, encodeSet, expandOverlap, viewOfBuilds, viewOfResult, type ViewData } from '../../src/report/index.js';
import { whyOverlap } from '../../src/rules/index.js';
import { APT } from '../builds/helpers.js';
import { random } from '../helpers/random.js';
import { REPO_ROOT } from '../helpers/paths.js';

describe('HTML view data', () => {
  before(prepare);

  it('overlap sets survive their encoding (ranges or bitset, whichever is shorter)', () => {
    const rand = random(23);
    for (let n = 0; n < 300; n++) {
      const size = 1 + Math.floor(rand() * 2000);
      const density = rand();
      const list = Array.from({ length: size }, (_, i) => i).filter(() => rand() < density);
      const encoded = encodeSet(list, size);
      assert.deepEqual(expandOverlap(encoded), list, encoded);
    }
    assert.equal(encodeSet([1, 2, 3, 7], 8), '1-3,7');
    assert.match(encodeSet(Array.from({ length: 500 }, (_, i) => i * 2), 1000), /^b[A-Za-z0-9+/]+$/);
  });

  it('the seed: two lanes, the merged step once, the race between lines 3 and 10, overlaps as the model says', () => {
    const result = lintText(readFileSync(join(REPO_ROOT, 'examples/seed/Dockerfile'), 'utf8'), 'Dockerfile');
    const view = viewOfResult(result)!;
    assert.deepEqual(view.lanes.map((l) => [l.stage, l.built]), [['builder', true], ['production', true]]);
    assert.deepEqual(view.steps.map((s) => s.line), [2, 3, 5, 10, 12]);
    assert.deepEqual(view.steps[0].also, ['Dockerfile:9 (production)']);
    assert.deepEqual(view.races.map((r) => [view.steps[r.a].line, view.steps[r.b].line, r.cache]), [[3, 10, '/var/cache/apt']]);
    const overlaps = view.steps.map((s) => (s.overlap < 0 ? [] : expandOverlap(view.overlapSets[s.overlap]).map((j) => view.steps[j].line)));
    assert.deepEqual(overlaps, [[], [10], [10], [3, 5], []]);
    assert.equal(view.caches[0].label, '"/var/cache/apt"');
  });

  it('a stage the target does not build is greyed, with why, and its steps are not built', () => {
    const result = lintText('FROM debian AS unused\nRUN --mount=type=cache,target=/var/cache/apt apt-get update\nFROM debian\nRUN echo hi\n', 'Dockerfile');
    const view = viewOfResult(result)!;
    assert.deepEqual(view.lanes.map((l) => [l.stage, l.built, l.reason]), [['unused', false, 'not built: target "stage-1" does not need it'], ['stage-1', true, 'the target']]);
    assert.deepEqual(view.steps.map((s) => [s.line, s.built]), [[2, false], [4, true]]);
  });

  /** The view's steps in its order (data.ts: each executed operation once, each skipped step on its own), checked pair by pair. */
  function sameWords(view: ViewData, members: BuildModel[], all: Step[], graph: BuildModel['graph']): number {
    const seen = new Set<string>();
    const drawn = all.filter((s) => {
      const key = graph.executing.has(s.vertex) && s.stage.reachable ? s.vertex : `skipped ${s.id}`;
      return !seen.has(key) && !!seen.add(key);
    });
    assert.equal(drawn.length, view.steps.length);
    let pairs = 0;
    drawn.forEach((a, i) =>
      drawn.forEach((b, j) => {
        if (!graph.mayOverlap(a, b)) return;
        const model = members.find((m) => m.origin.index === a.stage.origin.index)!;
        assert.equal(composeWhy(view, i, j), whyOverlap(a, b, model), `steps ${i} and ${j}`);
        pairs++;
      }),
    );
    return pairs;
  }

  it('the page says why two steps overlap in exactly whyOverlap\'s words', () => {
    const files: Array<[string, LintOptions]> = [
      [readFileSync(join(REPO_ROOT, 'examples/seed/Dockerfile'), 'utf8'), {}],
      ['FROM debian AS a\nRUN --mount=type=cache,target=/c x\nFROM debian AS b\nCOPY --from=a /x /x\nRUN --mount=type=cache,target=/c y\nFROM debian AS c\nRUN --mount=type=cache,target=/c z\nFROM debian\nCOPY --from=b /x /x\nCOPY --from=c /y /y\n', {}],
      ['FROM --platform=$BUILDPLATFORM debian AS tools\nRUN --mount=type=cache,target=/c make\nFROM debian AS app\nRUN --mount=type=cache,target=/c apt-get update\nCOPY --from=tools /t /t\n', { platforms: ['linux/amd64', 'linux/arm64'] }],
      ['FROM debian AS one\nRUN a\nFROM debian AS two\nRUN b\nFROM debian AS three\nCOPY --from=one /a /a\nCOPY --from=two /b /b\n', { target: 'three' }],
    ];
    let pairs = 0;
    for (const [text, options] of files) {
      const result = lintText(text, 'Dockerfile', options);
      pairs += sameWords(viewOfResult(result)!, [result.model!], result.model!.steps, result.model!.graph);
    }
    const set = lintBuildSet(
      ['api', 'worker'].map((name) => ({ path: `${name}/Dockerfile`, text: APT(name), options: {}, label: `bake target "${name}"`, name })),
      {},
      'group "default" builds api and worker in one request',
    );
    const view = viewOfBuilds(set.set!.members, set.set!.steps, set.set!.graph, 'bake', 'bake', set.set!.why, set.results);
    pairs += sameWords(view, set.set!.members, set.set!.steps, set.set!.graph);
    assert.ok(pairs > 20, `${pairs} pairs checked`);
  });
});
