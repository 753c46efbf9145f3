/** Whether a path is a file or a folder, false where it cannot be read: the build readers' one question about paths. */
import { statSync } from 'node:fs';

export function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

export function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
