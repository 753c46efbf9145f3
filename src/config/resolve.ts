/**
 * From a configuration file and what the user asked for on top of it (flags
 * and MOUNTLINT_* variables, or an editor's settings) to the options one
 * file is linted with. The CLI and the language server both go through
 * here, so they never disagree on a file.
 *
 * Precedence: the top level of the nearest `.mountlint.yaml`, then its
 * `overrides` that match the file (in order), then the controls. Within the
 * controls: `--select` replaces the enabled set, `--severity` sets one
 * rule's level (`off` disables it, any other level enables it), and
 * `--ignore` disables a rule whatever else says.
 */
import { relative, sep } from 'node:path';
import picomatch from 'picomatch';
import type { LintOptions } from '../engine/index.js';
import type { Frontend } from '../model/index.js';
import { allRules, type FixStrategy, type Severity } from '../rules/index.js';
import type { Config, Settings } from './load.js';
import type { FailLevel, RuleLevel } from './schema.js';

/** What the user asks for above the configuration file (flags, environment, editor settings). */
export interface Controls {
  select?: string[];
  ignore?: string[];
  severity?: Record<string, RuleLevel>;
  failLevel?: FailLevel;
  target?: string;
  platforms?: string[];
  buildArgs?: Record<string, string>;
  frontend?: Frontend;
  fixStrategy?: FixStrategy;
  unsafeFixes?: boolean;
  reportUnusedSuppressions?: boolean;
}

/** The settings for one file: the top level, then every override whose globs match it. */
export function settingsFor(config: Config | undefined, file: string): Settings {
  if (!config) return {};
  let settings: Settings = { rules: config.rules, build: config.build, fix: config.fix, suppressions: config.suppressions };
  for (const override of config.overrides) {
    if (matches(config, override.files, file)) settings = mergeSettings(settings, override);
  }
  return settings;
}

function mergeSettings(a: Settings, b: Settings): Settings {
  return {
    rules: { ...a.rules, ...b.rules },
    build: { ...a.build, ...b.build, buildArgs: { ...a.build?.buildArgs, ...b.build?.buildArgs } },
    fix: { strategy: { ...a.fix?.strategy, ...b.fix?.strategy } },
    suppressions: { ...a.suppressions, ...definedOnly(b.suppressions) },
  };
}

function definedOnly<T extends object>(o: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The lint options for a file with these settings, under these controls. */
export function lintOptionsFor(settings: Settings, controls: Controls = {}): LintOptions {
  const levels: Record<string, RuleLevel> = { ...settings.rules };
  let enabled = new Set(allRules.map((r) => r.meta.id).filter((id) => levels[id] !== 'off'));
  if (controls.select) enabled = new Set(controls.select);
  for (const [id, level] of Object.entries(controls.severity ?? {})) {
    levels[id] = level;
    if (level === 'off') enabled.delete(id);
    else enabled.add(id);
  }
  for (const id of controls.ignore ?? []) enabled.delete(id);

  const severities: Record<string, Severity> = {};
  for (const [id, level] of Object.entries(levels)) {
    if (level === 'error' || level === 'warning' || level === 'info') severities[id] = level;
  }
  const build = settings.build ?? {};
  const buildArgs = { ...build.buildArgs, ...controls.buildArgs };
  const options: LintOptions = {
    target: controls.target ?? build.target,
    buildArgs,
    platforms: controls.platforms ?? build.platforms,
    frontend: controls.frontend ?? (build.frontend as Frontend | undefined),
    fixStrategy: controls.fixStrategy,
    fixStrategies: settings.fix?.strategy,
    unsafeFixes: controls.unsafeFixes,
    rules: allRules.filter((r) => enabled.has(r.meta.id)),
    severities,
    reportUnusedSuppressions: controls.reportUnusedSuppressions ?? settings.suppressions?.reportUnused,
    requireSuppressionReason: settings.suppressions?.requireReason,
  };
  return options;
}

/** The fail level: the controls', else the configuration's, else error. */
export function failLevelFor(config: Config | undefined, controls: Controls = {}): FailLevel {
  return controls.failLevel ?? config?.failLevel ?? 'error';
}

const RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };
const FAIL_RANK: Record<FailLevel, number> = { error: 3, warning: 2, info: 1, none: Infinity };

/** Whether a finding of this severity makes the run fail at this fail level. */
export function fails(severity: Severity, level: FailLevel): boolean {
  return RANK[severity] >= FAIL_RANK[level];
}

/** `exclude` applies to every file, named on the command line or found. */
export function isExcluded(config: Config | undefined, file: string): boolean {
  return !!config?.exclude?.length && matches(config, config.exclude, file);
}

/** Whether a directory search takes this file: `include` when the configuration has it, else undefined (the default names). */
export function isIncluded(config: Config | undefined, file: string): boolean | undefined {
  return config?.include ? matches(config, config.include, file) : undefined;
}

const matchers = new WeakMap<string[], (path: string) => boolean>();

/** Globs are relative to the configuration file's folder; a glob without a slash matches a file name anywhere. */
function matches(config: Config, globs: string[], file: string): boolean {
  let match = matchers.get(globs);
  if (!match) matchers.set(globs, (match = compileGlobs(globs)));
  return match(relative(config.dir, file).split(sep).join('/'));
}

/** picomatch's own `basename` option also changes how globs with a slash match (picomatch 4), so names are matched here. */
function compileGlobs(globs: string[]): (path: string) => boolean {
  const byName = globs.filter((g) => !g.includes('/'));
  const byPath = globs.filter((g) => g.includes('/'));
  const name = byName.length ? picomatch(byName, { dot: true }) : () => false;
  const path = byPath.length ? picomatch(byPath, { dot: true }) : () => false;
  return (rel) => path(rel) || name(rel.slice(rel.lastIndexOf('/') + 1));
}
