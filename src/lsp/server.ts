/**
 * `mountlint lsp --stdio`: the language server. It keeps the shell parser
 * loaded and lints from the editor's buffers in memory: on open, on every
 * change and on save. Changes are debounced by the lint itself: a lint starts
 * FOLD_MS after the change that asked for it, long enough for the messages
 * already received to be read, so every edit that arrives while a lint runs
 * is folded into the next one (a burst of keystrokes in a large file costs
 * one lint, not one per key), and a quiet edit is linted at once. A request that fails answers with
 * an error; nothing a client sends ends the process.
 */
import { fileURLToPath } from 'node:url';
import {
  CodeActionKind,
  DiagnosticSeverity,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  TextDocuments,
  TextDocumentSyncKind,
  type ClientCapabilities,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CONFIG_FILE } from '../config/index.js';
import { isDockerfileName, prepare } from '../engine/index.js';
import { codeActions, FIX_ALL_KIND } from './code-actions.js';
import { hover } from './hover.js';
import { lintDocument, publishedDiagnostics, type LintedDocument } from './linting.js';
import { definition, documentLinks, documentSymbols } from './navigation.js';
import { documentOptions, type DocumentOptions } from './file-options.js';
import { DEFAULT_SETTINGS, readSettings, type EditorSettings } from './settings.js';

/** How long a lint waits for the rest of a burst of changes. */
const FOLD_MS = 2;

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const linted = new Map<string, LintedDocument>();
  const lastGood = new Map<string, LintedDocument>();
  /** Per document: the editor's settings and the options they and the configuration file give. */
  const settingsByUri = new Map<string, { editor: EditorSettings; file: DocumentOptions }>();
  const reported = new Set<string>();
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let client: ClientCapabilities = {};
  let globalSettings: unknown;

  const log = (message: string) => connection.console.log(message);
  const warnOnce = (message: string) => {
    if (reported.has(message)) return;
    reported.add(message);
    void connection.window.showWarningMessage(message);
  };
  const guard = <A extends unknown[], R>(name: string, handler: (...args: A) => R, fallback: R) => (...args: A): R => {
    try {
      return handler(...args);
    } catch (err) {
      connection.console.error(`mountlint: ${name} failed: ${(err as Error).stack ?? err}`);
      return fallback;
    }
  };

  function isDockerfile(doc: TextDocument): boolean {
    return doc.languageId === 'dockerfile' || isDockerfileName(baseName(doc.uri));
  }

  async function settingsFor(uri: string): Promise<{ editor: EditorSettings; file: DocumentOptions }> {
    const cached = settingsByUri.get(uri);
    if (cached) return cached;
    let raw = (globalSettings as { mountlint?: unknown } | undefined)?.mountlint;
    if (client.workspace?.configuration) {
      try {
        raw = await connection.workspace.getConfiguration({ scopeUri: uri, section: 'mountlint' });
      } catch (err) {
        log(`mountlint: could not read the settings: ${(err as Error).message}`);
      }
    }
    const { settings: editor, problems } = readSettings(raw);
    for (const p of problems) warnOnce(p);
    const file = await documentOptions(uri.startsWith('file:') ? pathOf(uri) : undefined, editor);
    if (file.configProblem) warnOnce(`mountlint: ${file.configProblem} (linting without the configuration file)`);
    const entry = { editor, file };
    settingsByUri.set(uri, entry);
    return entry;
  }

  /** Lints now if the editor's text is newer than the last lint; returns the current lint. */
  function lintNow(uri: string): LintedDocument | undefined {
    const doc = documents.get(uri);
    if (!doc || !isDockerfile(doc)) return undefined;
    const current = linted.get(uri);
    if (current && current.version === doc.version) return current;
    const settings = settingsByUri.get(uri);
    const limit = settings?.editor.maxDocumentSize ?? DEFAULT_SETTINGS.maxDocumentSize;
    const text = doc.getText();
    if (settings?.file.excluded || text.length > limit) {
      linted.delete(uri);
      void connection.sendDiagnostics({ uri, version: doc.version, diagnostics: settings?.file.excluded ? [] : [tooLarge(text.length, limit)] });
      return undefined;
    }
    const result = lintDocument(uri, pathOf(uri), text, doc.version, settings?.file.options ?? {}, lastGood.get(uri));
    if (result.optionProblem) warnOnce(`mountlint: ${result.optionProblem} (setting mountlint.target); linting the default target`);
    linted.set(uri, result);
    if (result.result.model) lastGood.set(uri, result);
    void connection.sendDiagnostics({ uri, version: doc.version, diagnostics: publishedDiagnostics(result) });
    return result;
  }

  function flush(): void {
    timer = undefined;
    const uris = [...pending];
    pending.clear();
    for (const uri of uris) {
      try {
        lintNow(uri);
      } catch (err) {
        connection.console.error(`mountlint: linting ${uri} failed: ${(err as Error).stack ?? err}`);
      }
    }
  }

  function schedule(uri: string): void {
    pending.add(uri);
    // vscode-jsonrpc handles one queued message per turn of the event loop:
    // a couple of milliseconds let the rest of a burst join this lint.
    timer ??= setTimeout(flush, FOLD_MS);
  }

  async function relintAll(): Promise<void> {
    settingsByUri.clear();
    reported.clear();
    for (const doc of documents.all()) {
      if (!isDockerfile(doc)) continue;
      await settingsFor(doc.uri);
      linted.delete(doc.uri);
      schedule(doc.uri);
    }
  }

  connection.onInitialize(async (params): Promise<InitializeResult> => {
    client = params.capabilities;
    globalSettings = params.initializationOptions?.settings;
    await prepare(); // the shell parser, once for the life of the server
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
        hoverProvider: true,
        documentSymbolProvider: true,
        definitionProvider: true,
        documentLinkProvider: { resolveProvider: false },
      },
      serverInfo: { name: 'mountlint', version: params.initializationOptions?.version },
    };
  });

  connection.onInitialized(() => {
    if (client.workspace?.didChangeConfiguration?.dynamicRegistration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: 'mountlint' });
    }
    // A configuration file written or removed changes every document's options.
    if (client.workspace?.didChangeWatchedFiles?.dynamicRegistration) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: `**/${CONFIG_FILE}` }] });
    }
  });

  connection.onDidChangeWatchedFiles(() => void relintAll());

  connection.onDidChangeConfiguration((change) => {
    globalSettings = change.settings;
    void relintAll();
  });

  documents.onDidOpen(async (e) => {
    if (!isDockerfile(e.document)) return;
    await settingsFor(e.document.uri);
    linted.delete(e.document.uri);
    schedule(e.document.uri);
  });
  documents.onDidChangeContent((e) => {
    // The first lint of a document waits for its settings (onDidOpen).
    if (settingsByUri.has(e.document.uri) && isDockerfile(e.document)) schedule(e.document.uri);
  });
  documents.onDidSave(async (e) => {
    if (baseName(e.document.uri) === CONFIG_FILE) return void relintAll();
    if (!isDockerfile(e.document)) return;
    // The configuration file may have changed beside it.
    settingsByUri.delete(e.document.uri);
    await settingsFor(e.document.uri);
    linted.delete(e.document.uri);
    schedule(e.document.uri);
  });
  documents.onDidClose((e) => {
    pending.delete(e.document.uri);
    linted.delete(e.document.uri);
    lastGood.delete(e.document.uri);
    settingsByUri.delete(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  /** A request about one document, answered from its current lint (null for documents that are not linted). */
  const about = <P extends { textDocument: { uri: string } }, R>(name: string, answer: (current: LintedDocument, params: P) => R) =>
    guard(name, (params: P) => {
      const current = lintNow(params.textDocument.uri);
      return current ? answer(current, params) : null;
    }, null);
  connection.onCodeAction(about('codeAction', (current, params) => codeActions(current, params, !!client.workspace?.workspaceEdit?.documentChanges)));
  connection.onHover(about('hover', (current, params) => hover(current, params.position)));
  connection.onDocumentSymbol(about('documentSymbol', (current) => documentSymbols(current)));
  connection.onDefinition(about('definition', (current, params) => definition(current, params.position)));
  connection.onDocumentLinks(about('documentLinks', (current) => documentLinks(current)));

  documents.listen(connection);
  connection.listen();
}

function tooLarge(size: number, limit: number) {
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Information,
    source: 'mountlint',
    message: `mountlint: not linted in the editor: the document has ${size} characters, more than mountlint.maxDocumentSize (${limit}); run mountlint on the file instead`,
  };
}

function baseName(uri: string): string {
  const path = uri.replace(/[?#].*$/, '');
  try {
    return decodeURIComponent(path.slice(path.lastIndexOf('/') + 1));
  } catch {
    return path.slice(path.lastIndexOf('/') + 1);
  }
}

/** The path reports name the file by: the file's path for file: URIs, else the URI. */
function pathOf(uri: string): string {
  if (!uri.startsWith('file:')) return uri;
  try {
    return fileURLToPath(uri);
  } catch {
    return uri;
  }
}
