/**
 * Minimal edits to one `--mount` flag: change an option's value where it is
 * written, or append `,key=value` just after the mount's last character
 * (inside its quotes, if it is quoted). Nothing else in the line moves.
 */
import type { MountSpec } from '../instructions/index.js';
import { canonicalKey } from '../instructions/index.js';
import type { TextEdit } from './text-edit.js';

export function setMountOption(spec: MountSpec, key: 'sharing' | 'id' | 'uid' | 'gid', value: string): TextEdit | undefined {
  const field = [...spec.fields].reverse().find((f) => canonicalKey(f.key) === key && f.value !== undefined);
  if (field?.value) {
    if (field.value.text === value) return undefined;
    return { range: field.value.range, text: value };
  }
  const end = spec.value.range.end;
  return { range: { start: end, end }, text: `,${key}=${value}` };
}
