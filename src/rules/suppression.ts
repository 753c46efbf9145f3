import type { Rule } from './types.js';

const WRITE = 'write `# mountlint ignore=RULE[,RULE…] reason=…` or `# mountlint global ignore=RULE[,RULE…] reason=…`';

/**
 * Problems with `# mountlint ignore=…` comments. The engine reports them
 * (src/engine/suppressions.ts): only it sees every other rule's findings, so
 * only it knows which comments silenced something. This entry gives the
 * rule its id, severity and documentation, and lets it be configured.
 */
export const suppressionRule: Rule = {
  meta: {
    id: 'suppression',
    severity: 'warning',
    description: 'A `# mountlint ignore=` comment that cannot be read, names an unknown rule, stands where it silences nothing, is unused, or lacks a required reason.',
    rationale: [
      'A suppression that silently does nothing is worse than none: the team believes a finding was judged while it was not, or the comment outlives the code it was about.',
      'Write `# mountlint ignore=RULE[,RULE…] reason=…` on the line(s) directly above an instruction to silence those rules inside it (continuation lines and heredocs included), or `# mountlint global ignore=…` anywhere to silence them in the whole file; `all` stands for every rule.',
      'Unused suppressions are reported with `--report-unused-suppressions` (or `suppressions: {report-unused: true}` in `.mountlint.yaml`), with a fix that removes them; `suppressions: {require-reason: true}` makes a suppression without `reason=` an error.',
      "Docker's `# check=skip=…` directive does not silence mountlint: it names Docker's own build checks (JSONArgsRecommended, …), which BuildKit runs; a file that skips Docker's style checks has not judged a cache race.",
    ].join('\n\n'),
    fixable: true,
    messages: {
      insideInstruction: 'This suppression is inside the instruction that starts on line {line}; put it on the line above that instruction.',
      notAbove: 'This suppression is not directly above an instruction (a blank line or the end of the file follows), so it silences nothing.',
      unreadable: `Cannot read this suppression comment; ${WRITE}.`,
      notARuleId: `"{id}" is not a rule id; ${WRITE}.`,
      textNotReason: `Text after the rule list must start with "reason=" (found "{found}"); ${WRITE}.`,
      unknownRule: 'Unknown rule "{id}" in this suppression; mountlint\'s rules are {rules}.',
      reasonRequired: 'This suppression gives no reason; add reason=… saying why the finding does not apply (the configuration requires one).',
      unused: 'Unused suppression: {ids} reports nothing {where}.',
    },
    bad: [
      { title: 'A misspelt rule id silences nothing', dockerfile: 'FROM debian:bookworm\n# mountlint ignore=cache-rase reason=one stage only\nRUN --mount=type=cache,target=/var/cache/apt,sharing=locked apt-get update\n' },
      { title: 'A blank line between the comment and the instruction', dockerfile: 'FROM debian:bookworm\n# mountlint ignore=missing-cache-mount reason=tiny image\n\nRUN apt-get update && apt-get install -y curl\n' },
    ],
    good: [{ title: 'Directly above the instruction, with a reason', dockerfile: 'FROM debian:bookworm\n# mountlint ignore=missing-cache-mount reason=tiny image, built once\nRUN apt-get update && apt-get install -y curl\n' }],
    evidence: [
      "hadolint's `# hadolint ignore=` / `global ignore=` pragmas (placement on the line above the instruction) and Ruff's unused-noqa (RUF100), which users already know",
      "Docker's build checks: the `# check=skip=` directive and its rule names (docs.docker.com/reference/build-checks/)",
    ],
  },
  check() {
    // Reported by the engine after every other rule has run.
  },
};
