/**
 * BuildKit's BFlags: which `--flags` an instruction accepts and how their
 * values are read, with BuildKit's error messages.
 */
import type { FlagWord, MappedText, Range } from '../syntax/index.js';
import { InstructionError } from './errors.js';
import { withSuggestion } from './suggest.js';

export type FlagKind = 'string' | 'strings' | 'bool';

export interface FlagValue {
  name: string;
  /** The text after `=`, mapped to the source (empty for a bare bool flag). */
  value: MappedText;
  word: FlagWord;
}

export const INSTRUCTION_FLAGS: Record<string, Record<string, FlagKind>> = {
  from: { platform: 'string' },
  run: { mount: 'strings', network: 'string', security: 'string', device: 'strings' },
  copy: { chown: 'string', from: 'string', chmod: 'string', link: 'bool', exclude: 'strings', parents: 'bool' },
  add: {
    chown: 'string', chmod: 'string', link: 'bool', 'keep-git-dir': 'bool', checksum: 'string', unpack: 'bool', exclude: 'strings',
  },
  healthcheck: { interval: 'string', timeout: 'string', 'start-period': 'string', 'start-interval': 'string', retries: 'string' },
};

export class ParsedFlags {
  constructor(private readonly values: Map<string, FlagValue[]>) {}

  get(name: string): FlagValue | undefined {
    return this.values.get(name)?.[0];
  }

  all(name: string): FlagValue[] {
    return this.values.get(name) ?? [];
  }

  bool(name: string): boolean {
    const v = this.get(name);
    return v !== undefined && v.value.text.toLowerCase() !== 'false';
  }
}

export function parseFlags(words: FlagWord[], spec: Record<string, FlagKind>): ParsedFlags {
  const values = new Map<string, FlagValue[]>();
  for (const word of words) {
    const text = word.text.text;
    if (text === '--') break;
    if (!text.startsWith('--')) throw new InstructionError(`arg should start with -- : ${text}`, word.range);
    const eq = text.indexOf('=');
    const flagName = eq < 0 ? text : text.slice(0, eq);
    const name = flagName.slice(2);
    const kind = spec[name];
    if (!kind) {
      throw new InstructionError(withSuggestion(`unknown flag: ${flagName}`, name, Object.keys(spec)), word.range);
    }
    if (values.has(name) && kind !== 'strings') {
      throw new InstructionError(`duplicate flag specified: ${flagName}`, word.range);
    }
    const value = eq < 0 ? word.text.slice(text.length) : word.text.slice(eq + 1);
    checkValue(kind, flagName, eq >= 0, value.text, word.range);
    values.set(name, [...(values.get(name) ?? []), { name, value, word }]);
  }
  return new ParsedFlags(values);
}

function checkValue(kind: FlagKind, flagName: string, hasValue: boolean, value: string, range: Range): void {
  if (kind === 'bool') {
    if (hasValue && value === '') throw new InstructionError(`missing a value on flag: ${flagName}`, range);
    if (!['true', '', 'false'].includes(value.toLowerCase())) {
      throw new InstructionError(`expecting boolean value for flag ${flagName}, not: ${value}`, range);
    }
    return;
  }
  if (!hasValue) throw new InstructionError(`missing a value on flag: ${flagName}`, range);
}
