/**
 * The lints of the open documents, and when they run. Changes are debounced
 * by the lint itself: a lint starts FOLD_MS after the change that asked for
 * it, long enough for the messages already received to be read, so every
 * edit that arrives while a lint runs is folded into the next one (a burst of
 * keystrokes in a large file costs one lint, not one per key), and a quiet
 * edit (nothing changed or linted in the last QUIET_MS) is linted at once,
 * before the next message is read. A request about a document lints it first if its
 * text is newer than its lint.
 */
import { DiagnosticSeverity, type Connection, type TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { isDockerfileName, LintSession } from '../engine/index.js';
import type { DocumentSettings } from './document-settings.js';
import { lintDocument, publishedDiagnostics, type LintedDocument } from './linting.js';
import { DEFAULT_SETTINGS } from './settings.js';
import { baseName, pathOf } from './uris.js';

/** How long a lint waits for the rest of a burst of changes. */
const FOLD_MS = 2;
/** A change this long after the last change and the last lint starts no burst: it is linted without waiting. */
const QUIET_MS = 5;

export function isDockerfile(doc: TextDocument): boolean {
  return doc.languageId === 'dockerfile' || isDockerfileName(baseName(doc.uri));
}

export class DocumentLints {
  private readonly linted = new Map<string, LintedDocument>();
  /** Each document's last lint that had a build model (hover and navigation fall back to it while the text does not parse). */
  private readonly lastGood = new Map<string, LintedDocument>();
  /** What each document's lints keep from version to version (an edit re-reads only the instructions it changed). */
  private readonly sessions = new Map<string, LintSession>();
  private readonly pending = new Set<string>();
  private scheduled = false;
  /** When the last change arrived or the last lint ended (performance.now()). */
  private lastActivity = -Infinity;

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly settings: DocumentSettings,
  ) {}

  /** Lints now if the editor's text is newer than the last lint; returns the current lint. */
  current(uri: string): LintedDocument | undefined {
    const doc = this.documents.get(uri);
    if (!doc || !isDockerfile(doc)) return undefined;
    const known = this.linted.get(uri);
    if (known && known.version === doc.version) return known;
    const settings = this.settings.known(uri);
    const limit = settings?.editor.maxDocumentSize ?? DEFAULT_SETTINGS.maxDocumentSize;
    const text = doc.getText();
    if (settings?.file.excluded || text.length > limit) {
      this.linted.delete(uri);
      void this.connection.sendDiagnostics({ uri, version: doc.version, diagnostics: settings?.file.excluded ? [] : [tooLarge(text.length, limit)] });
      return undefined;
    }
    let session = this.sessions.get(uri);
    if (!session) this.sessions.set(uri, (session = new LintSession()));
    const result = lintDocument(uri, pathOf(uri), text, doc.version, settings?.file.options ?? {}, this.lastGood.get(uri), session);
    if (result.optionProblem) this.settings.warnOnce(`mountlint: ${result.optionProblem} (setting mountlint.target); linting the default target`);
    this.linted.set(uri, result);
    if (result.result.model) this.lastGood.set(uri, result);
    void this.connection.sendDiagnostics({ uri, version: doc.version, diagnostics: publishedDiagnostics(result) });
    return result;
  }

  /** Lint soon: with the rest of a burst of changes. */
  schedule(uri: string): void {
    this.pending.add(uri);
    const now = performance.now();
    const quiet = now - this.lastActivity > QUIET_MS;
    this.lastActivity = now;
    if (this.scheduled) return;
    this.scheduled = true;
    // vscode-jsonrpc handles one queued message per turn of the event loop:
    // a couple of milliseconds let the rest of a burst join this lint. A
    // quiet change has no burst behind it: setImmediate lints it before the
    // next message is handled.
    if (quiet) setImmediate(() => this.flush());
    else setTimeout(() => this.flush(), FOLD_MS);
  }

  /** Lint again soon, whatever the version (settings or configuration changed). */
  redo(uri: string): void {
    this.linted.delete(uri);
    this.schedule(uri);
  }

  /** The document was closed: no lint, no diagnostics. */
  drop(uri: string): void {
    this.pending.delete(uri);
    this.linted.delete(uri);
    this.lastGood.delete(uri);
    this.sessions.delete(uri);
    void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  private flush(): void {
    this.scheduled = false;
    const uris = [...this.pending];
    this.pending.clear();
    for (const uri of uris) {
      try {
        this.current(uri);
      } catch (err) {
        this.connection.console.error(`mountlint: linting ${uri} failed: ${(err as Error).stack ?? err}`);
      }
    }
    this.lastActivity = performance.now();
  }
}

function tooLarge(size: number, limit: number) {
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Information,
    source: 'mountlint',
    message: `mountlint: not linted in the editor: the document has ${size} characters, more than mountlint.maxDocumentSize (${limit}); run mountlint on the file instead`,
  };
}
