/** What every command shares: the process's streams and environment, colours, how a path is shown. */
import { encodeText, type TextEncoding } from '../syntax/index.js';
import type { CliRequest } from './args.js';

export interface CliIO {
  stdout: (s: string) => void;
  /** Raw bytes to stdout (a fixed file or a diff that is not valid UTF-8); without it, stdout gets them decoded. */
  stdoutBytes?: (bytes: Uint8Array) => void;
  stderr: (s: string) => void;
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
  /** Standard input as a stream (diagnose reads a log from it); default: the process's. */
  stdin?: AsyncIterable<Buffer>;
}

/** Text to stdout as the bytes it stands for in `encoding` (see src/syntax/bytes.ts). */
export function writeEncoded(io: CliIO, text: string, encoding: TextEncoding): void {
  if (encoding === 'utf-8' || !io.stdoutBytes) io.stdout(text);
  else io.stdoutBytes(encodeText(text, encoding));
}

export function displayPath(path: string): string {
  return path === '-' ? '<stdin>' : path;
}

export function useColor(request: CliRequest, io: CliIO): boolean {
  if (request.color !== undefined) return request.color;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  return io.isTTY;
}
