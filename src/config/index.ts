export { ConfigError, findConfigFile, loadConfig, loadConfigSync, parseConfig, prepareConfigLoader, type Config, type Settings } from './load.js';
export { settingsFor, lintOptionsFor, failLevelFor, fails, isExcluded, isIncluded, type Controls } from './resolve.js';
export { configSchema, CONFIG_FILE, SCHEMA_ID, RULE_LEVELS, FAIL_LEVELS, PLATFORM_PATTERN, type RuleLevel, type FailLevel } from './schema.js';
