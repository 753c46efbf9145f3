/** What every command shares: the process's streams and environment, colours, how a path is shown. */
import type { CliRequest } from './args.js';

export interface CliIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
}

export function displayPath(path: string): string {
  return path === '-' ? '<stdin>' : path;
}

export function useColor(request: CliRequest, io: CliIO): boolean {
  if (request.color !== undefined) return request.color;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  return io.isTTY;
}
