/**
 * The editor's `mountlint` settings (workspace/configuration), checked one
 * key at a time: a bad value is reported and left out, the rest still apply.
 * The server never fails on settings.
 */
import type { Controls } from '../config/index.js';
import { FRONTENDS, type Frontend } from '../model/index.js';
import { allRules, FIX_STRATEGIES, type FixStrategy, type Severity } from '../rules/index.js';

/** A rule's level in the editor's settings (the configuration file's RuleLevel also has `on`). */
export type EditorRuleLevel = Severity | 'off';

export interface EditorSettings {
  target?: string;
  platforms?: string[];
  buildArgs: Record<string, string>;
  frontend?: Frontend;
  fixStrategy?: FixStrategy;
  unsafeFixes: boolean;
  /** Per-rule severity, or off. */
  rules: Record<string, EditorRuleLevel>;
  /** Documents longer than this (in characters) are not linted: one lint would hold the server for seconds. */
  maxDocumentSize: number;
}

export const DEFAULT_MAX_DOCUMENT_SIZE = 4_000_000;

export const DEFAULT_SETTINGS: EditorSettings = { buildArgs: {}, unsafeFixes: false, rules: {}, maxDocumentSize: DEFAULT_MAX_DOCUMENT_SIZE };

const LEVELS: readonly EditorRuleLevel[] = ['error', 'warning', 'info', 'off'];

/** `raw` is whatever the client sent for the `mountlint` section. */
export function readSettings(raw: unknown): { settings: EditorSettings; problems: string[] } {
  const problems: string[] = [];
  const settings: EditorSettings = { ...DEFAULT_SETTINGS, buildArgs: {}, rules: {} };
  if (raw === undefined || raw === null) return { settings, problems };
  if (typeof raw !== 'object' || Array.isArray(raw)) return { settings, problems: ['mountlint settings must be an object'] };
  const s = raw as Record<string, unknown>;
  const bad = (key: string, expected: string) => problems.push(`mountlint.${key} ${expected}, not ${JSON.stringify(s[key])}; ignored`);

  if (s.target !== undefined && s.target !== null && s.target !== '') {
    if (typeof s.target === 'string') settings.target = s.target;
    else bad('target', 'must be a stage name');
  }
  if (s.platforms !== undefined && s.platforms !== null) {
    const list = typeof s.platforms === 'string' ? s.platforms.split(',') : s.platforms;
    if (!Array.isArray(list) || !list.every((p) => typeof p === 'string')) bad('platforms', 'must be a list of platforms such as linux/amd64');
    else {
      const platforms = list.map((p) => p.trim()).filter(Boolean);
      const invalid = platforms.filter((p) => !validPlatform(p));
      if (invalid.length) bad('platforms', `must be platforms such as linux/amd64 (${invalid.join(', ')} is not)`);
      else if (platforms.length) settings.platforms = platforms;
    }
  }
  if (s.buildArgs !== undefined && s.buildArgs !== null) {
    if (typeof s.buildArgs !== 'object' || Array.isArray(s.buildArgs) || !Object.values(s.buildArgs).every((v) => typeof v === 'string')) {
      bad('buildArgs', 'must map names to string values');
    } else settings.buildArgs = { ...(s.buildArgs as Record<string, string>) };
  }
  if (s.frontend !== undefined && s.frontend !== null) {
    if (FRONTENDS.includes(s.frontend as Frontend)) settings.frontend = s.frontend as Frontend;
    else bad('frontend', `must be one of ${FRONTENDS.join(', ')}`);
  }
  if (s.fixStrategy !== undefined && s.fixStrategy !== null && s.fixStrategy !== '') {
    if (FIX_STRATEGIES.includes(s.fixStrategy as FixStrategy)) settings.fixStrategy = s.fixStrategy as FixStrategy;
    else bad('fixStrategy', `must be one of ${FIX_STRATEGIES.join(', ')}`);
  }
  if (s.unsafeFixes !== undefined && s.unsafeFixes !== null) {
    if (typeof s.unsafeFixes === 'boolean') settings.unsafeFixes = s.unsafeFixes;
    else bad('unsafeFixes', 'must be true or false');
  }
  if (s.rules !== undefined && s.rules !== null) {
    if (typeof s.rules !== 'object' || Array.isArray(s.rules)) bad('rules', 'must map rule ids to error, warning, info or off');
    else {
      const ids = new Set(allRules.map((r) => r.meta.id));
      for (const [id, level] of Object.entries(s.rules as Record<string, unknown>)) {
        if (!ids.has(id)) problems.push(`mountlint.rules: there is no rule "${id}"; ignored`);
        else if (!LEVELS.includes(level as EditorRuleLevel)) problems.push(`mountlint.rules.${id} must be one of ${LEVELS.join(', ')}, not ${JSON.stringify(level)}; ignored`);
        else settings.rules[id] = level as EditorRuleLevel;
      }
    }
  }
  if (s.maxDocumentSize !== undefined && s.maxDocumentSize !== null) {
    if (typeof s.maxDocumentSize === 'number' && Number.isFinite(s.maxDocumentSize) && s.maxDocumentSize > 0) settings.maxDocumentSize = s.maxDocumentSize;
    else bad('maxDocumentSize', 'must be a positive number of characters');
  }
  return { settings, problems };
}

/** What the CLI's --platform accepts. */
function validPlatform(p: string): boolean {
  return /^[a-z0-9_]+(\/[a-z0-9_.-]+){0,2}$/i.test(p);
}

/** The editor's settings stand where the CLI's flags stand: above the configuration file. */
export function controlsOf(settings: EditorSettings): Controls {
  return {
    severity: settings.rules,
    target: settings.target,
    platforms: settings.platforms,
    buildArgs: settings.buildArgs,
    frontend: settings.frontend,
    fixStrategy: settings.fixStrategy,
    unsafeFixes: settings.unsafeFixes || undefined,
  };
}
