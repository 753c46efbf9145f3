import type { Rule } from './types.js';

/** BuildKit would refuse to parse or build the file; the message is BuildKit's. */
export const syntaxRule: Rule = {
  meta: {
    id: 'syntax',
    severity: 'error',
    description: 'The Dockerfile does not parse, or BuildKit rejects an instruction.',
    rationale:
      'BuildKit stops at the first such error, so nothing else in the file is built. mountlint reports every one it finds, with BuildKit\'s own wording, at the place it comes from.',
    fixable: false,
    // BuildKit's own words: its error text is the message.
    messages: { buildkit: '{text}' },
    bad: [{ title: 'An instruction BuildKit does not know', dockerfile: 'FROM debian:bookworm\nRUNN apt-get update\n' }],
    good: [{ title: 'Fixed', dockerfile: 'FROM debian:bookworm\nRUN apt-get update\n' }],
    evidence: ['BuildKit frontend/dockerfile/parser and instructions [BK-PARSER]; stage names and FROM references [BK-CONVERT]', 'here-documents from Dockerfile 1.4 [BK-HEREDOC]'],
  },
  check(context) {
    for (const p of context.problems) {
      if (p.rule === 'syntax') context.report({ messageId: 'buildkit', data: { text: p.message }, range: p.range, severity: p.severity });
    }
  },
};
