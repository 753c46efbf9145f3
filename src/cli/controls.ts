/**
 * The options that control what is reported and where: rule selection,
 * severities, the fail level, output formats and files, the configuration
 * file; and the MOUNTLINT_* environment variables that set the same.
 * A flag beats its variable; a variable beats the configuration file.
 */
import { FAIL_LEVELS, RULE_LEVELS, type Controls, type FailLevel, type RuleLevel } from '../config/index.js';
import { REPORT_FORMATS, type ReportFormat } from '../report/index.js';
import { allRules } from '../rules/index.js';
import { UsageError } from './errors.js';

export const CONTROL_OPTIONS = {
  format: { type: 'string', multiple: true },
  output: { type: 'string', multiple: true },
  select: { type: 'string', multiple: true },
  ignore: { type: 'string', multiple: true },
  severity: { type: 'string', multiple: true },
  'fail-level': { type: 'string' },
  config: { type: 'string' },
  'no-config': { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  statistics: { type: 'boolean' },
  'report-unused-suppressions': { type: 'boolean' },
} as const;

export const CONTROLS_HELP = `Rules, severities and what fails (flags beat MOUNTLINT_* variables, which beat .mountlint.yaml):
  --select R[,R…]          run only these rules
  --ignore R[,R…]          never run these rules (beats --select and --severity)
  --severity R=LEVEL       a rule's severity: error | warning | info | on (its own) | off; repeatable
  --fail-level L           error (default) | warning | info | none: the lowest severity that exits 1
  --report-unused-suppressions  report # mountlint ignore= comments that silence nothing
  --config FILE            use this configuration file for every Dockerfile
  --no-config              read no .mountlint.yaml

Reports:
  --format F               ${REPORT_FORMATS.join(' | ')} (default: text); repeatable
  --output FILE            write the --format just before it to FILE; repeatable. Standard output gets
                           the --format given without a file, else text
  -q, --quiet              report only findings at or above the fail level; say nothing when there are none
  --statistics             counts per rule after the report (on standard error when it is not text)

Environment: MOUNTLINT_SELECT, MOUNTLINT_IGNORE, MOUNTLINT_SEVERITY (R=LEVEL,…), MOUNTLINT_FAIL_LEVEL,
  MOUNTLINT_FORMAT, MOUNTLINT_OUTPUT, MOUNTLINT_CONFIG, MOUNTLINT_NO_CONFIG, MOUNTLINT_QUIET,
  MOUNTLINT_STATISTICS, MOUNTLINT_REPORT_UNUSED_SUPPRESSIONS (1/true or 0/false), MOUNTLINT_TARGET,
  MOUNTLINT_PLATFORM, MOUNTLINT_FRONTEND, MOUNTLINT_FIX_STRATEGY, MOUNTLINT_JOBS, MOUNTLINT_CACHE,
  MOUNTLINT_CACHE_LOCATION
`;

/** Environment variable → the flag it stands for. */
const ENV_FLAGS: Record<string, { flag: string; boolean?: boolean }> = {
  MOUNTLINT_SELECT: { flag: 'select' },
  MOUNTLINT_IGNORE: { flag: 'ignore' },
  MOUNTLINT_SEVERITY: { flag: 'severity' },
  MOUNTLINT_FAIL_LEVEL: { flag: 'fail-level' },
  MOUNTLINT_FORMAT: { flag: 'format' },
  MOUNTLINT_OUTPUT: { flag: 'output' },
  MOUNTLINT_CONFIG: { flag: 'config' },
  MOUNTLINT_NO_CONFIG: { flag: 'no-config', boolean: true },
  MOUNTLINT_QUIET: { flag: 'quiet', boolean: true },
  MOUNTLINT_STATISTICS: { flag: 'statistics', boolean: true },
  MOUNTLINT_REPORT_UNUSED_SUPPRESSIONS: { flag: 'report-unused-suppressions', boolean: true },
  MOUNTLINT_TARGET: { flag: 'target' },
  MOUNTLINT_PLATFORM: { flag: 'platform' },
  MOUNTLINT_FRONTEND: { flag: 'frontend' },
  MOUNTLINT_FIX_STRATEGY: { flag: 'fix-strategy' },
  MOUNTLINT_JOBS: { flag: 'jobs' },
  MOUNTLINT_CACHE: { flag: 'cache', boolean: true },
  MOUNTLINT_CACHE_LOCATION: { flag: 'cache-location' },
};

export interface EnvSetting {
  /** The variable, for messages. */
  name: string;
  /** The flag and value it stands for. */
  args: string[];
  /** A boolean variable set to 0/false/no: it turns the setting off, even against the configuration file. */
  off?: string;
}

/** The MOUNTLINT_* variables that are set, as the flags they stand for. */
export function environmentSettings(env: NodeJS.ProcessEnv): EnvSetting[] {
  const out: EnvSetting[] = [];
  for (const [name, { flag, boolean }] of Object.entries(ENV_FLAGS)) {
    const value = env[name];
    if (value === undefined) continue;
    if (!boolean) {
      out.push({ name, args: [`--${flag}=${value}`] });
      continue;
    }
    const v = value.trim().toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(v)) out.push({ name, args: [`--${flag}`] });
    else if (['0', 'false', 'no', 'off', ''].includes(v)) out.push({ name, args: [], off: flag });
    else throw new UsageError(`${name} must be 1/true or 0/false, not "${value}"`);
  }
  return out;
}

export interface Output {
  format: ReportFormat;
  /** Undefined: standard output. */
  file?: string;
}

/**
 * `--format` and `--output` in the order given: an `--output FILE` takes the
 * `--format` just before it (or, with none, the format its extension names,
 * else text). Standard output gets the one format left without a file, or
 * text when every format has one.
 */
export function pairOutputs(tokens: Array<{ name: 'format' | 'output'; value: string }>): Output[] {
  const outputs: Output[] = [];
  let pending: ReportFormat | undefined;
  let toStdout: ReportFormat | undefined;
  const stdout = (format: ReportFormat) => {
    if (toStdout) throw new UsageError(`--format ${toStdout} and --format ${format} both go to standard output; give one of them an --output FILE after it`);
    toStdout = format;
  };
  for (const t of tokens) {
    if (t.name === 'format') {
      if (pending) stdout(pending);
      pending = reportFormat(t.value);
    } else {
      if (t.value === '') throw new UsageError('--output needs a file name');
      const format = pending ?? formatOfFile(t.value);
      if (t.value === '-') stdout(format);
      else outputs.push({ format, file: t.value });
      pending = undefined;
    }
  }
  if (pending) stdout(pending);
  return [{ format: toStdout ?? 'text' }, ...outputs];
}

function reportFormat(value: string): ReportFormat {
  if (!REPORT_FORMATS.includes(value as ReportFormat)) throw new UsageError(`--format must be one of ${REPORT_FORMATS.join(', ')}, not "${value}"`);
  return value as ReportFormat;
}

function formatOfFile(file: string): ReportFormat {
  if (/\.sarif(\.json)?$/i.test(file)) return 'sarif';
  if (/\.json$/i.test(file)) return 'json';
  if (/\.md$/i.test(file)) return 'markdown';
  return 'text';
}

const RULE_IDS = new Set(allRules.map((r) => r.meta.id));

function ruleIds(flag: string, lists: string[] | undefined): string[] | undefined {
  if (!lists) return undefined;
  const ids = lists.flatMap((l) => l.split(',')).map((s) => s.trim()).filter(Boolean);
  for (const id of ids) if (!RULE_IDS.has(id)) throw new UsageError(`--${flag}: unknown rule "${id}" (rules: ${[...RULE_IDS].join(', ')})`);
  return ids;
}

export interface ControlValues {
  select?: string[];
  ignore?: string[];
  severity?: string[];
  'fail-level'?: string;
  'report-unused-suppressions'?: boolean;
}

/** The rule controls of the parsed flags (build options are read by args.ts). */
export function ruleControls(values: ControlValues): Pick<Controls, 'select' | 'ignore' | 'severity' | 'failLevel' | 'reportUnusedSuppressions'> {
  const severity: Record<string, RuleLevel> = {};
  for (const entry of (values.severity ?? []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean)) {
    const eq = entry.indexOf('=');
    const id = entry.slice(0, eq);
    const level = entry.slice(eq + 1);
    if (eq <= 0) throw new UsageError(`--severity takes RULE=LEVEL, not "${entry}"`);
    ruleIds('severity', [id]);
    if (!RULE_LEVELS.includes(level as RuleLevel)) throw new UsageError(`--severity ${id}=${level}: the level must be one of ${RULE_LEVELS.join(', ')}`);
    severity[id] = level as RuleLevel;
  }
  const failLevel = values['fail-level'];
  if (failLevel !== undefined && !FAIL_LEVELS.includes(failLevel as FailLevel)) throw new UsageError(`--fail-level must be one of ${FAIL_LEVELS.join(', ')}, not "${failLevel}"`);
  return {
    select: ruleIds('select', values.select),
    ignore: ruleIds('ignore', values.ignore),
    severity: Object.keys(severity).length ? severity : undefined,
    failLevel: failLevel as FailLevel | undefined,
    reportUnusedSuppressions: values['report-unused-suppressions'],
  };
}
