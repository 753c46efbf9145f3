/**
 * One fuzz case from its seed, and a failure report that replays: the seed,
 * the options, what broke, and the input shrunk to a minimal one (as JSON
 * text, so that every invisible character shows). Shared by the tests and by
 * the campaign (scripts/fuzz-campaign.ts).
 */
import type { LintOptions } from '../../src/engine/index.js';
import { decodeText, encodeText } from '../../src/syntax/index.js';
import { random } from '../helpers/random.js';
import { generateDockerfile, mutate, type GeneratedCase } from './generate.js';
import { checkCase, type Violation } from './properties.js';
import { shrink } from './shrink.js';

export interface Failure {
  seed: number;
  violations: Violation[];
  /** What to print: everything needed to replay it. */
  report: string;
}

/** The generated case of `seed`, checked; a failure, shrunk, or undefined. */
export function fuzzCase(seed: number, fixSettings?: readonly LintOptions[]): Failure | undefined {
  const input = generateDockerfile(random(seed));
  const violations = checkCase(input, fixSettings);
  if (violations.length === 0) return undefined;
  return { seed, violations, report: describeFailure(`MOUNTLINT_FUZZ_SEED=${seed} MOUNTLINT_FUZZ_RUNS=1 node --test dist/test/fuzz.test.js`, input, violations, fixSettings) };
}

/** A real file cut and spliced: the `index`th mutation of `name` for `seed`. */
export function mutatedCase(seed: number, name: string, original: string, index: number, fixSettings?: readonly LintOptions[]): Failure | undefined {
  const rand = random((seed ^ hash(name)) + index);
  const input: GeneratedCase = { text: mutate(rand, original), options: {} };
  const violations = checkCase(input, fixSettings);
  if (violations.length === 0) return undefined;
  return { seed, violations, report: describeFailure(`MOUNTLINT_FUZZ_SEED=${seed} (${name}, mutation ${index})`, input, violations, fixSettings) };
}

function describeFailure(replay: string, input: GeneratedCase, violations: Violation[], fixSettings?: readonly LintOptions[]): string {
  const property = violations[0].property;
  const stillFails = (text: string) => {
    const candidate: GeneratedCase = input.bytes ? { text, options: input.options, bytes: encodeText(text, 'utf-8 with raw bytes') } : { text, options: input.options };
    return checkCase(candidate, fixSettings).some((v) => v.property === property);
  };
  const text = input.bytes ? decoded(input.bytes) : input.text;
  const minimal = shrink(text, stillFails);
  const minimalViolations = checkCase(input.bytes ? { ...input, text: minimal, bytes: encodeText(minimal, 'utf-8 with raw bytes') } : { ...input, text: minimal }, fixSettings);
  return [
    `property (${property}) fails; replay: ${replay}`,
    `options: ${JSON.stringify(input.options)}${input.bytes ? ' (read as bytes: \\udcXX is the raw byte XX)' : ''}`,
    `minimal input: ${JSON.stringify(minimal)}`,
    ...minimalViolations.filter((v) => v.property === property).map((v) => `  ${v.message}`),
    `original input: ${JSON.stringify(text)}`,
    ...violations.map((v) => `  (${v.property}) ${v.message.split('\n')[0]}`),
  ].join('\n');
}

/** The text of bytes as the CLI reads them (raw bytes kept as escapes). */
function decoded(bytes: Uint8Array): string {
  return decodeText(bytes).text;
}

/** A string's 32-bit FNV-1a hash (a corpus file's share of the seed). */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
