/**
 * A language client for tests: starts the real server binary
 * (`bin/mountlint.cjs lsp --stdio`) and talks to it with
 * vscode-languageserver's own protocol client side.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type Diagnostic,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { REPO_ROOT } from './paths.js';

export interface TestClient {
  connection: ProtocolConnection;
  process: ChildProcess;
  /** Settings answered to workspace/configuration (per request; change and notify to apply). */
  settings: Record<string, unknown>;
  messages: Array<{ type: number; message: string }>;
  /** How many publishDiagnostics notifications arrived, for each document. */
  publications: Map<string, number>;
  /** window/logMessage messages of type Error (what the server logs when a request or lint fails). */
  errors: string[];
  stderr: () => string;
  open(uri: string, text: string, languageId?: string): Promise<PublishDiagnosticsParams>;
  /** Replaces the whole text (as a full-document change) and waits for that version's diagnostics. */
  change(uri: string, text: string): Promise<PublishDiagnosticsParams>;
  /** The next diagnostics for `uri` at `version` or later. */
  diagnostics(uri: string, version?: number): Promise<PublishDiagnosticsParams>;
  version(uri: string): number;
  close(): Promise<void>;
}

export const CAPABILITIES: ClientCapabilities = {
  workspace: { configuration: true, workspaceEdit: { documentChanges: true }, didChangeConfiguration: { dynamicRegistration: false } },
  textDocument: {
    publishDiagnostics: { relatedInformation: true, tagSupport: { valueSet: [1, 2] }, codeDescriptionSupport: true, dataSupport: true, versionSupport: true },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } }, isPreferredSupport: true },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
  },
};

/** `server`: the Node arguments that start it (default: the CLI's `lsp --stdio`). */
export async function startClient(settings: Record<string, unknown> = {}, capabilities: ClientCapabilities = CAPABILITIES, server = [join(REPO_ROOT, 'bin/mountlint.cjs'), 'lsp', '--stdio']): Promise<TestClient> {
  const child = spawn(process.execPath, server, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const published: PublishDiagnosticsParams[] = [];
  const waiters: Array<{ uri: string; version: number; resolve: (p: PublishDiagnosticsParams) => void }> = [];
  const versions = new Map<string, number>();
  const messages: TestClient['messages'] = [];
  const errors: string[] = [];
  const publications = new Map<string, number>();
  const client: TestClient = {
    connection,
    process: child,
    settings,
    messages,
    errors,
    publications,
    stderr: () => stderr,
    async open(uri, text, languageId = 'dockerfile') {
      versions.set(uri, 1);
      const next = client.diagnostics(uri, 1);
      await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
      return next;
    },
    async change(uri, text) {
      const version = (versions.get(uri) ?? 0) + 1;
      versions.set(uri, version);
      const next = client.diagnostics(uri, version);
      await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
      return next;
    },
    diagnostics(uri, version = 0) {
      const found = published.find((p) => p.uri === uri && (p.version ?? 0) >= version);
      if (found) {
        published.splice(published.indexOf(found), 1);
        return Promise.resolve(found);
      }
      return new Promise((resolve) => waiters.push({ uri, version, resolve }));
    },
    version: (uri) => versions.get(uri) ?? 0,
    async close() {
      if (child.exitCode === null) {
        await connection.sendRequest('shutdown').catch(() => undefined);
        await connection.sendNotification('exit').catch(() => undefined);
        await new Promise((r) => (child.exitCode !== null ? r(undefined) : child.once('exit', r)));
      }
      connection.dispose();
    },
  };
  connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    publications.set(p.uri, (publications.get(p.uri) ?? 0) + 1);
    const waiter = waiters.find((w) => w.uri === p.uri && (p.version ?? 0) >= w.version);
    if (waiter) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(p);
    } else {
      // Keep only the newest per document.
      for (let i = published.length - 1; i >= 0; i--) if (published[i].uri === p.uri) published.splice(i, 1);
      published.push(p);
    }
  });
  connection.onRequest('workspace/configuration', (params: { items: Array<{ section?: string }> }) => params.items.map((i) => (i.section === 'mountlint' ? client.settings : null)));
  connection.onNotification('window/showMessage', (m: { type: number; message: string }) => {
    messages.push(m);
  });
  connection.onRequest('window/showMessageRequest', (m: { type: number; message: string }) => {
    messages.push(m);
    return null;
  });
  connection.onNotification('window/logMessage', (m: { type: number; message: string }) => {
    if (m.type === 1) errors.push(m.message);
  });
  connection.onRequest('client/registerCapability', () => null);
  connection.listen();
  await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities });
  await connection.sendNotification('initialized', {});
  return client;
}

export function byRule(diagnostics: Diagnostic[], rule: string): Diagnostic[] {
  return diagnostics.filter((d) => d.code === rule);
}
