/**
 * Inputs far past any real Dockerfile still lint: nothing spreads a list as
 * big as the input into a call's arguments (V8 overflows its stack there
 * somewhere past 100,000 elements).
 */
import { strict as assert } from 'node:assert';
import { before, describe, it } from 'node:test';
import { lintText, prepare } from '../../src/engine/index.js';

describe('huge inputs', () => {
  before(prepare);

  it('a heredoc script of 200,000 lines with a path on each is read to the end', () => {
    const lines = Array.from({ length: 200_000 }, (_, i) => `cp /src/file${i} /dst/`);
    // A finding on the step (apt's archives emptied by docker-clean) makes the rule look at every word of the script for an ARG assumed empty.
    const text = `FROM debian:bookworm\nARG DIR\nRUN --mount=type=cache,target=/var/cache/apt <<EOF\napt-get install -y curl\n${lines.join('\n')}\nEOF\n`;
    const result = lintText(text, 'Dockerfile');
    assert.deepEqual(result.diagnostics.map((d) => `${d.ruleId}/${d.messageId}`), ['cache-ineffective/discarded']);
  });

  it('a stage of 200,000 ENV lines is modelled', () => {
    const lines = Array.from({ length: 200_000 }, (_, i) => `ENV V${i}=/opt/${i}`);
    const text = `FROM debian:bookworm\n${lines.join('\n')}\nRUN --mount=type=cache,target=/var/cache/apt,sharing=locked apt-get update\n`;
    const result = lintText(text, 'Dockerfile');
    assert.ok(result.model);
  });
});
