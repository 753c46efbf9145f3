/**
 * Each open document's settings: the editor's (asked of the client per
 * document when it can answer, else the ones it sent at start or with its
 * last change notification) and the options they and the nearest
 * configuration file give. Worked out once per document, again after a
 * change of settings or configuration. Problems with them are shown once.
 */
import type { ClientCapabilities, Connection } from 'vscode-languageserver';
import { documentOptions, type DocumentOptions } from './file-options.js';
import { pathOf } from './uris.js';
import { readSettings, type EditorSettings } from './settings.js';

export interface DocumentSetup {
  editor: EditorSettings;
  file: DocumentOptions;
}

export class DocumentSettings {
  private readonly byUri = new Map<string, DocumentSetup>();
  private readonly shown = new Set<string>();
  client: ClientCapabilities = {};
  /** What the client sent at start (initializationOptions.settings) or with its last didChangeConfiguration. */
  global: unknown;

  constructor(private readonly connection: Connection) {}

  /** The settings already worked out for a document (none before it was opened). */
  known(uri: string): DocumentSetup | undefined {
    return this.byUri.get(uri);
  }

  async of(uri: string): Promise<DocumentSetup> {
    const cached = this.byUri.get(uri);
    if (cached) return cached;
    let raw = (this.global as { mountlint?: unknown } | undefined)?.mountlint;
    if (this.client.workspace?.configuration) {
      try {
        raw = await this.connection.workspace.getConfiguration({ scopeUri: uri, section: 'mountlint' });
      } catch (err) {
        this.connection.console.log(`mountlint: could not read the settings: ${(err as Error).message}`);
      }
    }
    const { settings: editor, problems } = readSettings(raw);
    for (const p of problems) this.warnOnce(p);
    const file = await documentOptions(uri.startsWith('file:') ? pathOf(uri) : undefined, editor);
    if (file.configProblem) this.warnOnce(`mountlint: ${file.configProblem} (linting without the configuration file)`);
    const entry = { editor, file };
    this.byUri.set(uri, entry);
    return entry;
  }

  /** Forget one document's settings (closed, or its configuration file may have changed). */
  forget(uri: string): void {
    this.byUri.delete(uri);
  }

  /** Forget every document's, and the problems shown: settings or configuration changed. */
  forgetAll(): void {
    this.byUri.clear();
    this.shown.clear();
  }

  warnOnce(message: string): void {
    if (this.shown.has(message)) return;
    this.shown.add(message);
    void this.connection.window.showWarningMessage(message);
  }
}
