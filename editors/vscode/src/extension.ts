/**
 * The VS Code extension: starts the mountlint language server bundled in the
 * extension (server/mountlint-lsp.cjs, with the shell parser's WebAssembly
 * beside it) on VS Code's own Node, over stdio, for Dockerfiles.
 */
import { workspace, type ExtensionContext } from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

export async function activate(context: ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath('server/mountlint-lsp.cjs');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.stdio },
    debug: { module, transport: TransportKind.stdio },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { language: 'dockerfile' },
      { scheme: 'file', pattern: '**/{Dockerfile,Containerfile,*.Dockerfile,Dockerfile.*,Containerfile.*}' },
    ],
    synchronize: { configurationSection: 'mountlint', fileEvents: workspace.createFileSystemWatcher('**/.mountlint.yaml') },
  };
  client = new LanguageClient('mountlint', 'mountlint', serverOptions, clientOptions);
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
