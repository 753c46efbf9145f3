/**
 * The JSON Schema of `.mountlint.yaml`, built from what the tool knows (rule
 * ids, tool ids, fix strategies, frontends), so it never lists a rule that
 * does not exist. `npm run build` compiles it into the validator the loader
 * runs (scripts/gen-config-validator.ts, with ajv's standalone code: no
 * schema compilation at run time); `npm run docs` writes it to
 * schema/mountlint.schema.json, which the package publishes for editors.
 */
import { TOOLS } from '../knowledge/index.js';
import { FRONTENDS } from '../model/index.js';
import { allRules, FIX_STRATEGIES, REPOSITORY_URL } from '../rules/index.js';

export const CONFIG_FILE = '.mountlint.yaml';
export const RULE_LEVELS = ['off', 'on', 'error', 'warning', 'info'] as const;
export type RuleLevel = (typeof RULE_LEVELS)[number];
export const FAIL_LEVELS = ['error', 'warning', 'info', 'none'] as const;
export type FailLevel = (typeof FAIL_LEVELS)[number];
/** BuildKit's platform syntax: os[/arch[/variant]]. */
export const PLATFORM_PATTERN = '^[a-z0-9_]+(/[a-z0-9_.-]+){0,2}$';

/** Not empty (a pattern, not minLength: the compiled validator then needs no ajv helper for Unicode lengths). */
const NON_EMPTY = '\\S';

export const SCHEMA_ID = `${REPOSITORY_URL}/blob/main/schema/mountlint.schema.json`;

type Schema = Record<string, unknown>;

const globs = (what: string): Schema => ({
  type: 'array',
  description: what,
  items: { type: 'string', pattern: NON_EMPTY },
});

function rulesSchema(): Schema {
  const properties: Record<string, Schema> = {};
  for (const rule of allRules) {
    properties[rule.meta.id] = {
      enum: [...RULE_LEVELS],
      description: `${rule.meta.description} Default: ${rule.meta.severity}. "on" keeps the rule's own severity; "off" turns it off.`,
    };
  }
  return { type: 'object', description: 'Rules on or off, and the severity of each rule\'s findings.', additionalProperties: false, properties };
}

function buildSchema(): Schema {
  return {
    type: 'object',
    description: 'What BuildKit would be asked to build, as on the command line (flags replace these).',
    additionalProperties: false,
    properties: {
      target: { type: 'string', pattern: NON_EMPTY, description: 'The stage to build (--target). Default: the last stage.' },
      platforms: { type: 'array', description: 'Target platforms (--platform); several build concurrently.', items: { type: 'string', pattern: PLATFORM_PATTERN } },
      'build-args': { type: 'object', description: 'Build arguments (--build-arg); a flag with the same name wins. Numbers and booleans are read as text.', additionalProperties: { type: ['string', 'number', 'boolean'] } },
      frontend: { enum: [...FRONTENDS], description: 'The Dockerfile frontend for files without # syntax= (--frontend).' },
    },
  };
}

function fixSchema(): Schema {
  const properties: Record<string, Schema> = { default: { enum: [...FIX_STRATEGIES], description: 'For every tool not named here.' } };
  for (const tool of TOOLS) properties[tool.id] = { enum: [...FIX_STRATEGIES], description: tool.name };
  return {
    type: 'object',
    description: 'How --fix fixes findings.',
    additionalProperties: false,
    properties: {
      strategy: { type: 'object', description: 'The race fix strategy per tool id (--fix-strategy replaces all of them).', additionalProperties: false, properties },
    },
  };
}

function suppressionsSchema(): Schema {
  return {
    type: 'object',
    description: 'How `# mountlint ignore=` comments are checked.',
    additionalProperties: false,
    properties: {
      'report-unused': { type: 'boolean', description: 'Report suppressions that silence nothing (--report-unused-suppressions).' },
      'require-reason': { type: 'boolean', description: 'A suppression without reason=… is an error.' },
    },
  };
}

/** The settings a file's findings depend on: the top level of the file, and each override. */
function settingsProperties(): Record<string, Schema> {
  return { rules: { $ref: '#/definitions/rules' }, build: { $ref: '#/definitions/build' }, fix: { $ref: '#/definitions/fix' }, suppressions: { $ref: '#/definitions/suppressions' } };
}

export function configSchema(): Schema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: SCHEMA_ID,
    title: 'mountlint configuration (.mountlint.yaml)',
    description: 'Found by walking up from each linted file (the nearest wins), or given with --config. Flags beat MOUNTLINT_* environment variables, which beat this file.',
    type: 'object',
    additionalProperties: false,
    definitions: { rules: rulesSchema(), build: buildSchema(), fix: fixSchema(), suppressions: suppressionsSchema() },
    properties: {
      ...settingsProperties(),
      'fail-level': { enum: [...FAIL_LEVELS], description: 'The lowest severity that makes mountlint exit 1 (--fail-level). Default: error.' },
      cache: { type: 'boolean', description: 'Keep the findings of the files this configuration applies to in the result cache and reuse them while nothing they depend on changes (--cache; --no-cache turns it off). Default: false.' },
      include: globs('Globs (relative to this file\'s folder) of the files a directory search lints. Default: Dockerfile, *.Dockerfile, Dockerfile.*, Containerfile, *.dockerfile.'),
      exclude: globs('Globs (relative to this file\'s folder) of files never linted, even when named on the command line (as pre-commit does).'),
      overrides: {
        type: 'array',
        description: 'Settings for some files; later entries win over earlier ones and over the top level.',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['files'],
          properties: { files: { ...globs('Globs (relative to this file\'s folder) of the files this entry applies to.'), minItems: 1 }, ...settingsProperties() },
        },
      },
    },
  };
}
