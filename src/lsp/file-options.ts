/**
 * The options a document is linted with: the nearest `.mountlint.yaml`
 * (found and read exactly as the CLI finds and reads it, by the config
 * layer), with the editor's settings on top where the CLI's flags would be.
 * With no editor settings, the editor lints a file exactly as `mountlint
 * FILE` does.
 */
import { dirname } from 'node:path';
import { ConfigError, findConfigFile, isExcluded, lintOptionsFor, loadConfigSync, prepareConfigLoader, settingsFor, type Config } from '../config/index.js';
import type { LintOptions } from '../engine/index.js';
import { controlsOf, type EditorSettings } from './settings.js';

export interface DocumentOptions {
  options: LintOptions;
  /** The configuration file excludes the document: the CLI would not lint it, so neither does the editor. */
  excluded: boolean;
  /** The configuration file that applies, if any. */
  configFile?: string;
  /** A configuration file that cannot be read (the document is then linted without it). */
  configProblem?: string;
}

/** `path`: the document's file, or undefined for a document that is not a file (untitled, remote). */
export async function documentOptions(path: string | undefined, editor: EditorSettings): Promise<DocumentOptions> {
  const controls = controlsOf(editor);
  let config: Config | undefined;
  let configFile: string | undefined;
  let configProblem: string | undefined;
  if (path) {
    try {
      configFile = findConfigFile(dirname(path));
      if (configFile) {
        await prepareConfigLoader();
        config = loadConfigSync(configFile);
      }
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      configProblem = err.message;
    }
  }
  return {
    options: lintOptionsFor(settingsFor(config, path ?? ''), controls),
    excluded: !!path && isExcluded(config, path),
    configFile,
    configProblem,
  };
}
