/**
 * The parts of the pipeline for one file (linter.ts puts them together):
 * text → syntax tree → instructions (parseFront), what each RUN runs
 * (InvocationCache), and the rules over one build (runRules). Every layer's
 * errors become diagnostics; nothing here throws for a bad Dockerfile.
 */
import { fastPathReader, loadShellParser, runInvocations, type Invocation } from '../commands/index.js';
import { parseInstructions, type DockerfileInstructions } from '../instructions/index.js';
import { mentionsKnownTool, seeThroughRetry } from '../knowledge/index.js';
import type { BuildModel, BuildOptions, Step } from '../model/index.js';
import { allRules, renderMessage, syntaxRule, type Diagnostic, type FixStrategy, type Rule, type RuleContext, type Severity } from '../rules/index.js';
import { DockerfileSyntaxError, parseDockerfile, SourceFile, type ParsedDockerfile } from '../syntax/index.js';
import type { LintSession } from './session.js';
import { orderFindings } from './findings.js';
import { applySuppressions, parseSuppressions, suppressesUnparsed, SUPPRESSION_RULE } from './suppressions.js';

export interface LintOptions extends BuildOptions {
  fixStrategy?: FixStrategy;
  /** --fix also applies fixes marked unsafe (a strategy the user names is always applied). */
  unsafeFixes?: boolean;
  /** Per tool id (or `default`): the race fix strategy when `fixStrategy` names none (a config file sets these). */
  fixStrategies?: Record<string, FixStrategy>;
  /** The rules that run (default: all). */
  rules?: Rule[];
  /** A severity per rule id, replacing the one the rule gives. */
  severities?: Record<string, Severity>;
  /** Report suppression comments that silence nothing. */
  reportUnusedSuppressions?: boolean;
  /** A suppression comment without `reason=` is an error. */
  requireSuppressionReason?: boolean;
  /**
   * Separate builds (two CI jobs, two bake commands) run at the same time on
   * one builder: they share cache ids, and `sharing=locked` does not order
   * them in every BuildKit version, so a race fix gives each build its own
   * cache namespace or ids.
   */
  concurrentBuilds?: boolean;
}

export interface LintResult {
  source: SourceFile;
  diagnostics: Diagnostic[];
  /** What suppression comments silenced (not in `diagnostics`, never fixed). Absent: nothing. */
  suppressed?: Diagnostic[];
  /** Present when the file parsed. */
  parsed?: ParsedDockerfile;
  instructions?: DockerfileInstructions;
  model?: BuildModel;
  /** The programs a RUN step runs, as the rules saw them (present when the file parsed). */
  invocations?: (step: Step) => Invocation[];
}

/**
 * Rules look at the commands of RUNs that mount something, and at RUNs that
 * run a known tool. A RUN with neither (no mount, no tool named anywhere in
 * its text or heredocs) needs no shell parsing.
 */
function needsAnalysis(step: Step): boolean {
  const run = step.instruction;
  if (run.kind !== 'run') return false;
  if (run.mounts.length) return true;
  return mentionsKnownTool(run.node.line.text) || run.heredocs.some((h) => mentionsKnownTool(h.content));
}

/** Must be awaited once before `lintText` (loads the shell parser). */
export async function prepare(): Promise<void> {
  await loadShellParser();
}

/** What the rules look at: the file parsed, its instructions, the build model, and the problems found on the way. */
export interface FrontEnd {
  parsed: ParsedDockerfile;
  instructions: DockerfileInstructions;
  model?: BuildModel;
  problems: RuleContext['problems'];
}

/** Text → syntax tree → instructions (the part that does not depend on build options but the frontend). */
/** `session`: what the lints of this file's earlier versions kept (the language server's documents). */
export function parseFront(text: string, path: string, options: Pick<LintOptions, 'frontend' | 'rules' | 'severities'>, session?: LintSession): FrontEnd | LintResult {
  let parsed: ParsedDockerfile;
  session?.startLint();
  try {
    parsed = parseDockerfile(text, path, { heredocs: options.frontend !== 'docker-20.10', reuse: session?.nodes });
  } catch (err) {
    if (!(err instanceof DockerfileSyntaxError)) throw err;
    return syntaxFailure(err, new SourceFile(path, text), options);
  }
  session?.setParsed(parsed);

  const problems: RuleContext['problems'] = [];
  const instructions = parseInstructions(parsed);
  for (const e of instructions.errors) problems.push({ message: e.message, range: e.range, rule: e.rule, severity: 'error' });
  return { parsed, instructions, problems };
}

/**
 * A file the parser cannot read to the end (an unterminated heredoc): no rule can run,
 * but the finding obeys what every finding obeys — the syntax rule switched off
 * (`--ignore syntax`), its severity (`--severity syntax=warning`), and a suppression
 * comment above the instruction or for the whole file (read from the text's lines).
 */
function syntaxFailure(err: DockerfileSyntaxError, source: SourceFile, options: Pick<LintOptions, 'rules' | 'severities'>): LintResult {
  const ref = { messageId: 'buildkit', data: { text: err.message } };
  const finding: Diagnostic = { ruleId: 'syntax', ...ref, severity: options.severities?.syntax ?? 'error', message: renderMessage(syntaxRule.meta, ref), range: err.range, related: [] };
  const enabled = !options.rules || options.rules.some((r) => r.meta.id === 'syntax');
  if (!enabled) return { source, diagnostics: [], suppressed: [] };
  if (suppressesUnparsed(source, 'syntax', source.positionAt(err.range.start).line)) return { source, diagnostics: [], suppressed: [finding] };
  return { source, diagnostics: [finding], suppressed: [] };
}

/** What every step that is not an analysed RUN runs: one array for all of them (nothing adds to it). */
const NO_INVOCATIONS: Invocation[] = [];

/** What each RUN runs, found once per instruction however many rules ask. */
export class InvocationCache {
  private readonly byInstruction = new Map<Step['instruction'], Invocation[]>();

  /** With a session, what earlier versions of the file found is reused (scripts whose text has not changed). */
  constructor(private readonly session?: LintSession) {}

  /**
   * Reads these steps' scripts with the fast path alone, before any rule asks.
   * Returns whether some script needs the shell parser: then nothing is kept,
   * and the steps are read again, with it, when the rules ask (load it first).
   */
  readFast(steps: readonly Step[]): boolean {
    const reader = fastPathReader();
    const read = new Map<Step['instruction'], Invocation[]>();
    for (const step of steps) {
      if (read.has(step.instruction) || this.byInstruction.has(step.instruction)) continue;
      read.set(step.instruction, this.analyse(step, reader.read));
      if (reader.neededParser()) return true;
    }
    for (const [instruction, list] of read) this.byInstruction.set(instruction, list);
    return false;
  }

  private analyse(step: Step, read?: Parameters<typeof runInvocations>[2]): Invocation[] {
    return step.instruction.kind === 'run' && needsAnalysis(step) ? runInvocations(step.instruction, step.shell, read).map((inv) => seeThroughRetry(inv) ?? inv) : NO_INVOCATIONS;
  }

  of(step: Step): Invocation[] {
    let list = this.byInstruction.get(step.instruction);
    if (!list) {
      list = this.session ? this.session.invocations(step, () => this.analyse(step)) : this.analyse(step);
      this.byInstruction.set(step.instruction, list);
    }
    return list;
  }
}

/** The rules over a front end, then suppressions, severities and the order of the findings. */
export function runRules(front: FrontEnd, options: LintOptions, invocations: InvocationCache): LintResult {
  const { parsed, instructions, model, problems } = front;
  const rules = options.rules ?? allRules;
  const found: Diagnostic[] = [];
  for (const rule of rules) {
    const context: RuleContext = {
      parsed,
      instructions,
      model,
      problems,
      fixStrategy: options.fixStrategy,
      fixStrategyFor: (toolId) => options.fixStrategy ?? options.fixStrategies?.[toolId] ?? options.fixStrategies?.default,
      concurrentBuilds: options.concurrentBuilds,
      invocations: (step) => invocations.of(step),
      report(d) {
        const severity = options.severities?.[rule.meta.id] ?? d.severity ?? rule.meta.severity;
        const { messageId, data, notes, ...rest } = d;
        const message = renderMessage(rule.meta, { messageId, data, notes });
        found.push({ ...rest, ruleId: rule.meta.id, messageId, ...(data ? { data } : {}), message, severity, related: d.related ?? [] });
      },
    };
    rule.check(context);
  }
  const enabledRules = new Set(rules.map((r) => r.meta.id));
  const { diagnostics, suppressed } = applySuppressions(found, parseSuppressions(parsed), {
    enabledRules,
    knownRules: new Set(allRules.map((r) => r.meta.id)),
    reportUnused: options.reportUnusedSuppressions,
    requireReason: options.requireSuppressionReason,
  });
  // The comments' own problems belong to the suppression rule: off when it is.
  const reported = diagnostics.filter((d) => enabledRules.has(d.ruleId)).map((d) => (options.severities?.[d.ruleId] && d.ruleId === SUPPRESSION_RULE ? { ...d, severity: options.severities[d.ruleId] } : d));
  orderFindings(reported);
  return { source: parsed.source, diagnostics: reported, suppressed, parsed, instructions, model, invocations: (step) => invocations.of(step) };
}
