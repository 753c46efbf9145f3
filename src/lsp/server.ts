/**
 * `mountlint lsp --stdio`: the language server, as the wiring of the
 * protocol's messages to two parts: each document's settings
 * (document-settings.ts) and its lints (document-lints.ts: on open, on every
 * change, debounced, and on save). It keeps the shell parser loaded and lints
 * from the editor's buffers in memory. A request that fails answers with an
 * error; nothing a client sends ends the process.
 */
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CONFIG_FILE } from '../config/index.js';
import { prepare } from '../engine/index.js';
import { codeActions, FIX_ALL_KIND } from './code-actions.js';
import { DocumentLints, isDockerfile } from './document-lints.js';
import { DocumentSettings } from './document-settings.js';
import { hover } from './hover.js';
import type { LintedDocument } from './linting.js';
import { definition, documentLinks, documentSymbols } from './navigation.js';
import { baseName } from './uris.js';

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const settings = new DocumentSettings(connection);
  const lints = new DocumentLints(connection, documents, settings);

  const guard = <A extends unknown[], R>(name: string, handler: (...args: A) => R, fallback: R) => (...args: A): R => {
    try {
      return handler(...args);
    } catch (err) {
      connection.console.error(`mountlint: ${name} failed: ${(err as Error).stack ?? err}`);
      return fallback;
    }
  };
  /** Settings or configuration changed: every open Dockerfile is linted again with its new settings. */
  const relintAll = async () => {
    settings.forgetAll();
    for (const doc of documents.all()) {
      if (!isDockerfile(doc)) continue;
      await settings.of(doc.uri);
      lints.redo(doc.uri);
    }
  };

  // Nothing is linted, so nothing published, before the client has the answer to `initialize`: the
  // protocol allows no notification before it, and a client sending didOpen right behind it would
  // otherwise get diagnostics first (a quiet change is linted at once).
  let answered!: () => void;
  const initialized = new Promise<void>((resolve) => (answered = resolve));

  connection.onInitialize(async (params): Promise<InitializeResult> => {
    settings.client = params.capabilities;
    settings.global = params.initializationOptions?.settings;
    await prepare(); // the shell parser, once for the life of the server
    // After this handler's answer is written (it is sent when the returned promise settles).
    setImmediate(answered);
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
    const workspace = settings.client.workspace;
    if (workspace?.didChangeConfiguration?.dynamicRegistration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: 'mountlint' });
    }
    // A configuration file written or removed changes every document's options.
    if (workspace?.didChangeWatchedFiles?.dynamicRegistration) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: `**/${CONFIG_FILE}` }] });
    }
  });

  connection.onDidChangeWatchedFiles(() => void relintAll());

  connection.onDidChangeConfiguration((change) => {
    settings.global = change.settings;
    void relintAll();
  });

  documents.onDidOpen(async (e) => {
    if (!isDockerfile(e.document)) return;
    await initialized;
    await settings.of(e.document.uri);
    lints.redo(e.document.uri);
  });
  documents.onDidChangeContent((e) => {
    // The first lint of a document waits for its settings (onDidOpen).
    if (settings.known(e.document.uri) && isDockerfile(e.document)) lints.schedule(e.document.uri);
  });
  documents.onDidSave(async (e) => {
    if (baseName(e.document.uri) === CONFIG_FILE) return void relintAll();
    if (!isDockerfile(e.document)) return;
    // The configuration file may have changed beside it.
    settings.forget(e.document.uri);
    await settings.of(e.document.uri);
    lints.redo(e.document.uri);
  });
  documents.onDidClose((e) => {
    lints.drop(e.document.uri);
    settings.forget(e.document.uri);
  });

  /** A request about one document, answered from its current lint (null for documents that are not linted). */
  const about = <P extends { textDocument: { uri: string } }, R>(name: string, answer: (current: LintedDocument, params: P) => R) =>
    guard(name, (params: P) => {
      const current = lints.current(params.textDocument.uri);
      return current ? answer(current, params) : null;
    }, null);
  connection.onCodeAction(about('codeAction', (current, params) => codeActions(current, params, !!settings.client.workspace?.workspaceEdit?.documentChanges)));
  connection.onHover(about('hover', (current, params) => hover(current, params.position)));
  connection.onDocumentSymbol(about('documentSymbol', (current) => documentSymbols(current)));
  connection.onDefinition(about('definition', (current, params) => definition(current, params.position)));
  connection.onDocumentLinks(about('documentLinks', (current) => documentLinks(current)));

  documents.listen(connection);
  connection.listen();
}
