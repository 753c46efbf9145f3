/**
 * Which configuration each file gets, and the lint options and fail level
 * that follow from it and the flags. Configuration files are read once each;
 * the YAML parser is loaded only when one exists.
 */
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError, failLevelFor, findConfigFile, isExcluded, isIncluded, lintOptionsFor, loadConfigSync, prepareConfigLoader, settingsFor, type Config, type Controls, type FailLevel } from '../config/index.js';
import type { LintOptions } from '../engine/index.js';
import type { CliRequest } from './args.js';

export class FileSettings {
  private readonly found = new Map<string, string | null>();
  private readonly loaded = new Map<string, Config>();
  private readonly shared = new Map<Config | undefined, LintOptions>();
  private readonly controls: Controls;

  private constructor(
    private readonly request: CliRequest,
    private readonly fixed: Config | undefined,
  ) {
    const r = request;
    this.controls = { ...r.controls, target: r.target, platforms: r.platforms, buildArgs: r.buildArgs, frontend: r.frontend, fixStrategy: r.fixStrategy, unsafeFixes: r.unsafeFixes || undefined };
  }

  /** Reads --config now (its errors come first); prepares the YAML parser if any file may need it. */
  static async create(request: CliRequest): Promise<FileSettings> {
    if (request.noConfig) return new FileSettings(request, undefined);
    if (request.config !== undefined) {
      await prepareConfigLoader();
      return new FileSettings(request, loadConfigSync(request.config));
    }
    const settings = new FileSettings(request, undefined);
    // A directory search may meet a configuration below the folder it starts from.
    if (request.paths.some((p) => settings.configFileFor(p) !== undefined || isDirectory(p))) await prepareConfigLoader();
    return settings;
  }

  private configFileFor(path: string): string | undefined {
    return findConfigFile(path === '-' ? process.cwd() : dirname(resolve(path)), this.found);
  }

  /** The configuration for a file (standard input: the working directory's). */
  configFor(path: string): Config | undefined {
    if (this.request.noConfig) return undefined;
    if (this.fixed) return this.fixed;
    const file = this.configFileFor(path);
    if (!file) return undefined;
    let config = this.loaded.get(file);
    if (!config) this.loaded.set(file, (config = loadConfigSync(file)));
    return config;
  }

  /** For a directory search: the configuration's include globs decide, else the Dockerfile names. */
  include = (path: string): boolean | undefined => isIncluded(this.configFor(path), resolve(path));

  excluded(path: string): boolean {
    return path !== '-' && isExcluded(this.configFor(path), resolve(path));
  }

  optionsFor(path: string): LintOptions {
    const config = this.configFor(path);
    // Without overrides every file of a configuration gets the same options: made once (and fingerprinted once by the result cache).
    if (!config?.overrides.length) {
      let options = this.shared.get(config);
      if (!options) this.shared.set(config, (options = lintOptionsFor(settingsFor(config, ''), this.controls)));
      return options;
    }
    const absolute = path === '-' ? resolve('Dockerfile') : resolve(path);
    return lintOptionsFor(settingsFor(config, absolute), this.controls);
  }

  /** Whether the file's results go through the result cache: --cache/--no-cache, else its configuration's `cache`. */
  cacheFor(path: string): boolean {
    return this.request.cache ?? this.configFor(path)?.cache ?? false;
  }

  failLevelFor(path: string): FailLevel {
    return failLevelFor(this.configFor(path), this.controls);
  }
}

function isDirectory(path: string): boolean {
  try {
    return path !== '-' && statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export { ConfigError };
