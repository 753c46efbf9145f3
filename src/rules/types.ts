/**
 * What a rule is (ESLint-style: metadata beside the check) and what it
 * reports (diagnostics with ranges, related locations and fixes that carry an
 * applicability, Ruff-style).
 */
import type { Invocation } from '../commands/index.js';
import type { TextEdit } from '../edits/index.js';
import type { DockerfileInstructions } from '../instructions/index.js';
import type { BuildModel, ModelError, Step } from '../model/index.js';
import type { ParsedDockerfile, Range, SourceFile } from '../syntax/index.js';
import type { MessageData, MessageRef } from './messages.js';

export type Severity = 'error' | 'warning' | 'info';
export type FixStrategy = 'locked' | 'private' | 'id' | 'wait';
export const FIX_STRATEGIES: readonly FixStrategy[] = ['locked', 'private', 'id', 'wait'];

export interface Fix {
  /** What applying it does, in a few words. */
  description: string;
  /** safe: keeps the build's meaning; unsafe: changes behaviour a user may rely on. */
  applicability: 'safe' | 'unsafe';
  strategy?: FixStrategy;
  edits: TextEdit[];
  /**
   * The caches (id=, or the target without one) whose mounts the fix adds or
   * changes, each with what it gives them (sharing, owner). That choice was
   * made against the other mounts of the cache as they are, so --fix makes
   * only fixes that agree on a cache in one pass, and works the others out
   * again on the new text.
   */
  caches?: Record<string, string>;
}

export interface RelatedLocation {
  range: Range;
  message: string;
  /** The file it is in, when that is not the diagnostic's own file (another Dockerfile of a bake or compose build). */
  file?: SourceFile;
}

export interface Diagnostic {
  ruleId: string;
  /** Which of the rule's messages (its `meta.messages`), and the data it was rendered with. */
  messageId: string;
  data?: MessageData;
  severity: Severity;
  /** The text, rendered from the message id and data (rules/messages.ts). */
  message: string;
  range: Range;
  /**
   * The file the diagnostic is in, when that is not the file being linted:
   * linting a bake or compose build reports findings in every Dockerfile it
   * builds. Absent: the linted file (LintResult.source).
   */
  file?: SourceFile;
  related: RelatedLocation[];
  /** The fix `--fix` applies (for the chosen strategy). */
  fix?: Fix;
  /** Every alternative fix, one per strategy. */
  suggestions?: Fix[];
  /** The tools (knowledge ids) the finding is about, e.g. the two that collide in a cache. */
  tools?: string[];
}

export interface RuleExample {
  title: string;
  dockerfile: string;
  /** Build options for the example (target, platforms). */
  options?: { target?: string; platforms?: string[] };
}

export interface RuleMeta {
  id: string;
  severity: Severity;
  /** One line: what the rule finds. */
  description: string;
  /** Why it matters, for the docs page. */
  rationale: string;
  fixable: boolean;
  strategies?: FixStrategy[];
  /** Every message the rule can give, by id: text with `{name}` placeholders for the report's data. */
  messages: Record<string, string>;
  bad: RuleExample[];
  good: RuleExample[];
  /** Sources behind the rule (specs, issues, observations). */
  evidence: string[];
  /** hadolint rules that misfire on correct cache mounts, and what this rule says instead. */
  hadolint?: Array<{ rule: string; note: string }>;
}

export interface RuleContext {
  parsed: ParsedDockerfile;
  instructions?: DockerfileInstructions;
  model?: BuildModel;
  /** Errors from the earlier layers (syntax, instructions, model). */
  problems: Array<{ message: string; range: Range; rule: string; severity: 'error' | 'warning' }>;
  fixStrategy?: FixStrategy;
  /** The race fix strategy the user chose for a tool (by tool id), if any. */
  fixStrategyFor?(toolId: string): FixStrategy | undefined;
  /** Separate builds run at the same time on one builder (`--concurrent-builds`): `locked` does not order them everywhere. */
  concurrentBuilds?: boolean;
  /** The programs a step runs (cached per step). */
  invocations(step: Step): Invocation[];
  /** A finding: the id of one of the rule's messages with its data; the engine renders the text. */
  report(diagnostic: Report): void;
}

export type Report = Omit<Diagnostic, 'ruleId' | 'severity' | 'related' | 'message' | 'messageId' | 'data'> & MessageRef & { severity?: Severity; related?: RelatedLocation[] };

export interface Rule {
  meta: RuleMeta;
  check(context: RuleContext): void;
}

export type { ModelError };
