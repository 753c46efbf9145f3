/**
 * The pipeline for one file: text → syntax tree → instructions → build model
 * → rules → diagnostics. Every layer's errors become diagnostics; nothing
 * here throws for a bad Dockerfile (only for bad build options).
 */
import { loadShellParser, runInvocations, ShellParserNotLoaded, type Invocation } from '../commands/index.js';
import { parseInstructions, type DockerfileInstructions } from '../instructions/index.js';
import { mentionsKnownTool } from '../knowledge/index.js';
import { buildModel, ModelError, type BuildModel, type BuildOptions, type Step } from '../model/index.js';
import { allRules, type Diagnostic, type FixStrategy, type Rule, type RuleContext } from '../rules/index.js';
import { DockerfileSyntaxError, parseDockerfile, SourceFile, type ParsedDockerfile } from '../syntax/index.js';

export interface LintOptions extends BuildOptions {
  fixStrategy?: FixStrategy;
  /** --fix also applies fixes marked unsafe (a strategy the user names is always applied). */
  unsafeFixes?: boolean;
  rules?: Rule[];
}

export interface LintResult {
  source: SourceFile;
  diagnostics: Diagnostic[];
  /** Present when the file parsed. */
  parsed?: ParsedDockerfile;
  instructions?: DockerfileInstructions;
  model?: BuildModel;
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

/** Must be awaited once before linting (loads the shell parser). */
export async function prepare(): Promise<void> {
  await loadShellParser();
}

/**
 * Runs `work` (a lint or a fix) without `prepare()`, and prepares and runs it
 * again only if one of its scripts needed tree-sitter. Simple scripts never
 * do, so a one-off run on such a file skips the shell parser's startup, which
 * is most of a CLI run's own time (docs/design.md). `work` must be pure.
 */
export async function preparingIfNeeded<T>(work: () => T, prepareParser: () => Promise<void> = prepare): Promise<T> {
  try {
    return work();
  } catch (err) {
    if (!(err instanceof ShellParserNotLoaded)) throw err;
    await prepareParser();
    return work();
  }
}

export function lintText(text: string, path: string, options: LintOptions = {}): LintResult {
  let parsed: ParsedDockerfile;
  try {
    parsed = parseDockerfile(text, path, { heredocs: options.frontend !== 'docker-20.10' });
  } catch (err) {
    if (!(err instanceof DockerfileSyntaxError)) throw err;
    const source = new SourceFile(path, text);
    return { source, diagnostics: [{ ruleId: 'syntax', severity: 'error', message: err.message, range: err.range, related: [] }] };
  }

  const problems: RuleContext['problems'] = [];
  const instructions = parseInstructions(parsed);
  for (const e of instructions.errors) problems.push({ message: e.message, range: e.range, rule: e.rule, severity: 'error' });

  let model: BuildModel | undefined;
  if (instructions.errors.length === 0 && instructions.stages.length > 0) {
    try {
      model = buildModel(instructions, options);
      for (const e of model.errors) problems.push({ message: e.message, range: e.range, rule: e.rule, severity: e.severity });
    } catch (err) {
      if (!(err instanceof ModelError)) throw err;
      problems.push({ message: err.message, range: err.range, rule: err.rule, severity: err.severity });
    }
  }

  const diagnostics: Diagnostic[] = [];
  const invocationCache = new Map<Step['instruction'], Invocation[]>();
  for (const rule of options.rules ?? allRules) {
    const context: RuleContext = {
      parsed,
      instructions,
      model,
      problems,
      fixStrategy: options.fixStrategy,
      invocations(step) {
        let list = invocationCache.get(step.instruction);
        if (!list) {
          list = step.instruction.kind === 'run' && needsAnalysis(step) ? runInvocations(step.instruction, step.shell) : [];
          invocationCache.set(step.instruction, list);
        }
        return list;
      },
      report(d) {
        diagnostics.push({ ...d, ruleId: rule.meta.id, severity: d.severity ?? rule.meta.severity, related: d.related ?? [] });
      },
    };
    rule.check(context);
  }
  const rank = { error: 0, warning: 1, info: 2 };
  diagnostics.sort((a, b) => a.range.start - b.range.start || rank[a.severity] - rank[b.severity] || a.ruleId.localeCompare(b.ruleId));
  return { source: parsed.source, diagnostics, parsed, instructions, model };
}
