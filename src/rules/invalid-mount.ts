import type { Rule } from './types.js';

/** A `--mount` BuildKit rejects; the message is BuildKit's. */
export const invalidMountRule: Rule = {
  meta: {
    id: 'invalid-mount',
    severity: 'error',
    description: 'A RUN --mount option that BuildKit rejects.',
    rationale:
      'BuildKit checks `--mount` in two passes: CSV syntax and `from=` for every stage when it parses the file, and everything else only for the stages it builds. ' +
      'An invalid mount in a stage the target does not need is reported as a warning: BuildKit stays silent until another target builds that stage.',
    fixable: false,
    // BuildKit's own words: its error text is the message.
    messages: { buildkit: '{text}' },
    bad: [
      { title: 'A space after a comma ends the flag word', dockerfile: 'FROM debian:bookworm\nRUN --mount=type=cache, target=/var/cache/apt apt-get update\n' },
      { title: 'A misspelt option', dockerfile: 'FROM debian:bookworm\nRUN --mount=type=cache,taget=/var/cache/apt apt-get update\n' },
    ],
    good: [{ title: 'Fixed', dockerfile: 'FROM debian:bookworm\nRUN --mount=type=cache,target=/var/cache/apt apt-get update\n' }],
    evidence: ['BuildKit parseMount and its messages [BK-RUNMOUNT]; pass-2 checks while dispatching [BK-CONVERT]', 'a line continuation inside a --mount flag splits it (seen on Docker 20.10 and 26.1) [PROOF]'],
  },
  check(context) {
    for (const p of context.problems) {
      if (p.rule === 'invalid-mount') context.report({ messageId: 'buildkit', data: { text: p.message }, range: p.range, severity: p.severity });
    }
  },
};
