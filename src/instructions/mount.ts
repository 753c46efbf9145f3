/**
 * `RUN --mount=…` values, parsed as BuildKit's parseMount does, in its two
 * passes: pass 1 (every stage, at parse time) checks only CSV syntax and
 * `from=`; pass 2 (only for stages the build dispatches) expands variables in
 * values and validates everything, with BuildKit's messages.
 * Every field keeps its source range, for diagnostics and minimal fixes.
 */
import { WordLexError, type FlagWord, type MappedText, type Range } from '../syntax/index.js';
import { CsvError, csvFields } from './csv.js';
import { InstructionError } from './errors.js';
import { withSuggestion } from './suggest.js';

export type MountType = 'bind' | 'cache' | 'tmpfs' | 'secret' | 'ssh';
export type Sharing = 'shared' | 'private' | 'locked';

export const MOUNT_TYPES: readonly MountType[] = ['bind', 'cache', 'tmpfs', 'secret', 'ssh'];
export const SHARING_MODES: readonly Sharing[] = ['shared', 'private', 'locked'];
const ALL_KEYS = [
  'type', 'from', 'source', 'target', 'readonly', 'id', 'sharing', 'required', 'size', 'mode', 'uid', 'gid',
  'src', 'dst', 'destination', 'ro', 'rw', 'readwrite', 'env',
];

/** One `key=value` (or bare `key`) field of a mount. */
export interface MountField {
  /** Lowercased key. */
  key: string;
  /** The field as written (after flag-word unquoting). */
  field: MappedText;
  /** The value after the first `=`, or undefined for a bare key. */
  value?: MappedText;
}

/**
 * A `--mount` flag after pass 1. Its fields are read again from the value
 * each time they are asked for (pass 2 and fixes ask once per mount): kept,
 * they were 14 % of the memory on 20 MB of stages (docs/design.md).
 */
export class MountSpec {
  constructor(
    readonly word: FlagWord,
    /** The text after `--mount=`. */
    readonly value: MappedText,
    /** `from=` as written (pass 1 decides stage dependencies from it). */
    readonly from?: string,
  ) {}

  get fields(): MountField[] {
    return mountFields(this.value);
  }
}

/** A mount after pass 2: options resolved as BuildKit resolves them. */
export interface Mount {
  spec: MountSpec;
  type: MountType;
  from: string;
  source: string;
  target: string;
  readOnly: boolean;
  sizeLimit?: number;
  /** `id=` after expansion ('' when not given). */
  id: string;
  /** `sharing=` after expansion (undefined when not given: BuildKit's default is shared). */
  sharing?: Sharing;
  required: boolean;
  env?: string;
  mode?: number;
  uid?: number;
  gid?: number;
}

const KEY_ALIASES: Record<string, string> = {
  src: 'source', dst: 'target', destination: 'target', ro: 'readonly', rw: 'readwrite',
};

/** The canonical option a key sets (`dst` → `target`). */
export function canonicalKey(key: string): string {
  return KEY_ALIASES[key] ?? key;
}

const KNOWN_KEYS = new Map(ALL_KEYS.map((k) => [k, k]));

/** A field's key, lowercased; a known key is one string for all mounts (not a copy per field). */
function keyName(written: string): string {
  const lower = written.toLowerCase();
  return KNOWN_KEYS.get(lower) ?? lower;
}

/** Pass 1, at parse time, for every RUN of every stage. */
export function parseMountSpec(word: FlagWord, value: MappedText): MountSpec {
  let fields: MountField[];
  try {
    fields = mountFields(value);
  } catch (err) {
    if (err instanceof CsvError) {
      const at = value.sourceRange(err.index, err.index + 1);
      throw new InstructionError(`failed to parse csv mounts: ${err.message}`, err.message === 'EOF' ? word.range : at, 'invalid-mount');
    }
    throw err;
  }
  let from: string | undefined;
  for (const f of fields) {
    if (f.key !== 'from' || f.value === undefined) continue;
    const dollar = f.value.text.indexOf('$');
    if (dollar !== -1 && dollar !== f.value.length - 1) {
      throw new InstructionError(
        "'from' doesn't support variable expansion, define alias stage instead",
        f.field.range,
        'invalid-mount',
      );
    }
    from = f.value.text;
  }
  return new MountSpec(word, value, from);
}

/** A mount value's `key=value` fields (throws CsvError where the CSV is bad). */
function mountFields(value: MappedText): MountField[] {
  return csvFields(value).map((field): MountField => {
    const eq = field.text.indexOf('=');
    if (eq < 0) return { key: keyName(field.text), field };
    return { key: keyName(field.text.slice(0, eq)), field, value: field.slice(eq + 1) };
  });
}

/** Pass 2, when the stage is dispatched: `expand` is the stage's ProcessWord. */
export function resolveMount(spec: MountSpec, expand: (value: string) => string): Mount {
  const m: Mount = {
    spec, type: 'bind', from: '', source: '', target: '', readOnly: false, id: '', required: false,
  };
  // The last field that set each key, for the messages below; not kept on the mount (one Map per mount
  // was 2 % of the memory on 20 MB of stages, docs/design.md).
  const fieldFor = new Map<string, MountField>();
  let roAuto = true;
  const fail = (message: string, range: Range = spec.word.range): never => {
    throw new InstructionError(message, range, 'invalid-mount');
  };

  for (const f of spec.fields) {
    const range = f.field.range;
    if (f.value === undefined) {
      switch (f.key) {
        case 'readonly': case 'ro':
          m.readOnly = true; roAuto = false; fieldFor.set('readonly', f); continue;
        case 'readwrite': case 'rw':
          m.readOnly = false; roAuto = false; fieldFor.set('readonly', f); continue;
        case 'required':
          if (m.type === 'secret' || m.type === 'ssh') { m.required = true; continue; }
          return fail(`unexpected key '${f.key}' for mount type '${m.type}'`, range);
        default:
          return fail(`invalid field '${f.field.text}' must be a key=value pair`, range);
      }
    }
    let value: string;
    try {
      value = expand(f.value.text);
    } catch (err) {
      if (!(err instanceof WordLexError)) throw err;
      return fail(err.message, f.value.range);
    }
    const valueRange = f.value.range;
    fieldFor.set(canonicalKey(f.key), f);
    switch (f.key) {
      case 'type': {
        // The constant, not the expanded copy: one string for every mount of the file.
        const t = MOUNT_TYPES.find((known) => known === value.toLowerCase());
        if (!t) return fail(withSuggestion(`unsupported mount type "${value}"`, value, MOUNT_TYPES), valueRange);
        m.type = t;
        break;
      }
      case 'from': m.from = value; break;
      case 'source': case 'src': m.source = value; break;
      case 'target': case 'dst': case 'destination': m.target = value; break;
      case 'readonly': case 'ro':
        m.readOnly = parseBool(value) ?? fail(`invalid value for ${f.key}: ${value}`, valueRange);
        roAuto = false;
        break;
      case 'readwrite': case 'rw': {
        const rw = parseBool(value) ?? fail(`invalid value for ${f.key}: ${value}`, valueRange);
        m.readOnly = !rw;
        roAuto = false;
        break;
      }
      case 'required':
        if (m.type !== 'secret' && m.type !== 'ssh') fail(`unexpected key '${f.key}' for mount type '${m.type}'`, range);
        m.required = parseBool(value) ?? fail(`invalid value for ${f.key}: ${value}`, valueRange);
        break;
      case 'size':
        if (m.type !== 'tmpfs') fail(`unexpected key '${f.key}' for mount type '${m.type}'`, range);
        m.sizeLimit = parseRAMInBytes(value) ?? fail(`invalid value for ${f.key}: ${value}`, valueRange);
        break;
      case 'id': m.id = value; break;
      case 'sharing': {
        const s = SHARING_MODES.find((known) => known === value.toLowerCase());
        if (!s) return fail(withSuggestion(`unsupported sharing value "${value}"`, value, SHARING_MODES), valueRange);
        m.sharing = s;
        break;
      }
      case 'mode': m.mode = parseUint(value, 8) ?? fail(`invalid value ${value} for mode`, valueRange); break;
      case 'uid': m.uid = parseUint(value, 10) ?? fail(`invalid value ${value} for uid`, valueRange); break;
      case 'gid': m.gid = parseUint(value, 10) ?? fail(`invalid value ${value} for gid`, valueRange); break;
      case 'env': m.env = value; break;
      default:
        fail(withSuggestion(`unexpected key '${f.key}' in '${f.field.text}'`, f.key, ALL_KEYS), range);
    }
  }

  if (m.type !== 'secret' && m.type !== 'ssh' && m.type !== 'cache') {
    for (const key of ['mode', 'uid', 'gid'] as const) {
      if (m[key] !== undefined) fail(`${key} not allowed for "${m.type}" type mounts`, fieldFor.get(key)?.field.range);
    }
  }
  if (roAuto) m.readOnly = !(m.type === 'cache' || m.type === 'tmpfs');
  if (m.type === 'secret') {
    if (m.from !== '') fail('secret mount should not have a from', fieldFor.get('from')?.field.range);
    if (m.sharing) fail('secret mount should not define sharing', fieldFor.get('sharing')?.field.range);
    if (m.source === '' && m.target === '' && m.id === '') fail('invalid secret mount. one of source, target required');
    if (m.source !== '' && m.id !== '') fail("both source and id can't be set");
  }
  if (m.sharing && m.type !== 'cache') fail(`invalid cache sharing set for ${m.type} mount`, fieldFor.get('sharing')?.field.range);
  // Checked when BuildKit dispatches the mount (convert_ssh.go, convert_secrets.go).
  if (m.type === 'ssh' && m.source !== '') fail('ssh does not support source', fieldFor.get('source')?.field.range);
  return m;
}

/** Go's strconv.ParseBool. */
function parseBool(v: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  return undefined;
}

/** Go's strconv.ParseUint(v, base, 32). */
function parseUint(v: string, base: 8 | 10): number | undefined {
  const digits = base === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
  const plain = v.replace(/_/g, '');
  if (!digits.test(plain) || plain !== v) return undefined;
  const n = Number.parseInt(v, base);
  return n <= 0xffffffff ? n : undefined;
}

/** go-units RAMInBytes: "64m", "1.5 GiB", "512k" (binary units). */
function parseRAMInBytes(v: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?) ?([kKmMgGtTpP])?[iI]?[bB]?$/.exec(v);
  if (!m) return undefined;
  const units: Record<string, number> = { k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40, p: 2 ** 50 };
  return Math.floor(Number.parseFloat(m[1]) * (m[2] ? units[m[2].toLowerCase()] : 1));
}
