/**
 * Bake's function library (buildx bake/hclparser/stdlib.go), as far as it is
 * pure and used to compute build inputs: string, list and map functions,
 * arithmetic and comparisons. Functions that read the clock, the machine or
 * randomness (timestamp, homedir, uuidv4, …) and the ones we do not
 * implement give Unknown: the target that needs them is "not analysed"
 * rather than guessed. Docker's own evaluation (docker buildx bake --print)
 * resolves them all when it is installed.
 */
import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import type { Range } from '../../syntax/index.js';
import { asString, findUnknown, hasKey, isObject, newObject, typeName, Unknown, valuesEqual, type HclObject, type Value } from './values.js';

export interface FunctionContext {
  range: Range;
  fail(message: string): never;
}

type Fn = (args: Value[], ctx: FunctionContext) => Value;

/** Every function bake knows (stdlib.go); those without an implementation here evaluate to Unknown. */
const BAKE_FUNCTIONS = [
  'absolute', 'add', 'and', 'base64decode', 'base64encode', 'basename', 'bcrypt', 'byteslen', 'bytesslice', 'can', 'ceil', 'chomp',
  'chunklist', 'cidrhost', 'cidrnetmask', 'cidrsubnet', 'cidrsubnets', 'coalesce', 'coalescelist', 'compact', 'concat', 'contains',
  'convert', 'csvdecode', 'dirname', 'distinct', 'divide', 'element', 'equal', 'flatten', 'floor', 'format', 'formatdate',
  'formattimestamp', 'formatlist', 'greaterthan', 'greaterthanorequalto', 'hasindex', 'homedir', 'indent', 'index', 'indexof', 'int',
  'join', 'jsondecode', 'jsonencode', 'keys', 'length', 'lessthan', 'lessthanorequalto', 'log', 'lookup', 'lower', 'max', 'md5',
  'merge', 'min', 'modulo', 'multiply', 'negate', 'not', 'notequal', 'or', 'parseint', 'pow', 'range', 'regex_replace', 'regex',
  'regexall', 'replace', 'reverse', 'reverselist', 'rsadecrypt', 'sanitize', 'semvercmp', 'sethaselement', 'setintersection',
  'setproduct', 'setsubtract', 'setsymmetricdifference', 'setunion', 'sha1', 'sha256', 'sha512', 'signum', 'slice', 'sort', 'split',
  'strlen', 'substr', 'subtract', 'timeadd', 'timestamp', 'title', 'trim', 'trimprefix', 'trimspace', 'trimsuffix', 'try',
  'unixtimestampparse', 'upper', 'urlencode', 'uuidv4', 'uuidv5', 'values', 'zipmap',
];

const str = (v: Value, ctx: FunctionContext, what = 'argument'): string => {
  const s = asString(v);
  if (s === undefined) ctx.fail(`the ${what} must be a string, not a ${typeName(v)}`);
  return s!;
};
const num = (v: Value, ctx: FunctionContext): number => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (Number.isNaN(n)) ctx.fail(`the argument must be a number, not a ${typeName(v)}`);
  return n;
};
const bool = (v: Value, ctx: FunctionContext): boolean => {
  if (typeof v !== 'boolean') ctx.fail(`the argument must be a bool, not a ${typeName(v)}`);
  return v as boolean;
};
const list = (v: Value, ctx: FunctionContext): Value[] => {
  if (!Array.isArray(v)) ctx.fail(`the argument must be a list, not a ${typeName(v)}`);
  return v as Value[];
};
const object = (v: Value, ctx: FunctionContext): HclObject => {
  if (!isObject(v)) ctx.fail(`the argument must be a map or object, not a ${typeName(v)}`);
  return v as HclObject;
};
const distinct = (items: Value[]) => items.filter((v, i) => items.findIndex((w) => valuesEqual(v, w)) === i);

const FUNCTIONS: Record<string, Fn> = {
  upper: ([s], c) => str(s, c).toUpperCase(),
  lower: ([s], c) => str(s, c).toLowerCase(),
  title: ([s], c) => str(s, c).replace(/(^|[^\p{L}\p{N}])(\p{L})/gu, (_, a: string, b: string) => a + b.toUpperCase()),
  trimspace: ([s], c) => str(s, c).trim(),
  trim: ([s, chars], c) => {
    const set = new Set(str(chars, c));
    const t = [...str(s, c)];
    while (t.length && set.has(t[0])) t.shift();
    while (t.length && set.has(t[t.length - 1])) t.pop();
    return t.join('');
  },
  trimprefix: ([s, p], c) => (str(s, c).startsWith(str(p, c)) ? str(s, c).slice(str(p, c).length) : str(s, c)),
  trimsuffix: ([s, p], c) => (str(p, c) !== '' && str(s, c).endsWith(str(p, c)) ? str(s, c).slice(0, -str(p, c).length) : str(s, c)),
  chomp: ([s], c) => str(s, c).replace(/(\r\n|\n|\r)+$/, ''),
  strlen: ([s], c) => [...str(s, c)].length,
  substr: ([s, offset, length], c) => {
    const chars = [...str(s, c)];
    let o = num(offset, c);
    if (o < 0) o = Math.max(0, chars.length + o);
    const l = num(length, c);
    return chars.slice(o, l < 0 ? undefined : o + l).join('');
  },
  replace: ([s, search, replacement], c) => {
    // cty's replace() is plain text: "/re/" is a regular expression only in Terraform's (regex_replace here).
    return str(s, c).split(str(search, c)).join(str(replacement, c));
  },
  regex_replace: ([s, re, replacement], c) => str(s, c).replace(goRegex(str(re, c), c, 'g'), goReplacement(str(replacement, c))),
  regex: ([re, s], c) => {
    const m = goRegex(str(re, c), c, '').exec(str(s, c));
    if (!m) return c.fail('the pattern did not match');
    return captures(m);
  },
  regexall: ([re, s], c) => [...str(s, c).matchAll(goRegex(str(re, c), c, 'g'))].map(captures),
  formatlist: ([fmt, ...rest], c) => {
    const lengths = rest.filter(Array.isArray).map((l) => (l as Value[]).length);
    if (new Set(lengths).size > 1) c.fail('the lists must all have the same length');
    const n = lengths.length ? lengths[0] : 1;
    const out: Value[] = [];
    for (let i = 0; i < n; i++) {
      const v = format(str(fmt, c), rest.map((a) => (Array.isArray(a) ? a[i] : a)), c);
      if (v instanceof Unknown) return v;
      out.push(v);
    }
    return out;
  },
  md5: ([s], c) => createHash('md5').update(str(s, c)).digest('hex'),
  sha1: ([s], c) => createHash('sha1').update(str(s, c)).digest('hex'),
  sha256: ([s], c) => createHash('sha256').update(str(s, c)).digest('hex'),
  sha512: ([s], c) => createHash('sha512').update(str(s, c)).digest('hex'),
  uuidv5: ([ns, name], c) => uuidv5(str(ns, c), str(name, c), c),
  homedir: () => process.env.HOME ?? homedir(),
  log: ([n, base], c) => Math.log(num(n, c)) / Math.log(num(base, c)),
  hasindex: ([l, k]) => (Array.isArray(l) ? typeof k === 'number' && Number.isInteger(k) && k >= 0 && k < l.length : isObject(l) ? hasKey(l, asString(k) ?? '') : false),
  chunklist: ([l, size], c) => {
    const items = list(l, c);
    const n = num(size, c);
    if (n < 0) c.fail('the size must not be negative');
    if (n === 0) return [items];
    const out: Value[] = [];
    for (let i = 0; i < items.length; i += n) out.push(items.slice(i, i + n));
    return out;
  },
  setproduct: (lists, c) => lists.map((l) => list(l, c)).reduce<Value[][]>((acc, l) => acc.flatMap((a) => l.map((v) => [...a, v])), [[]]),
  setsymmetricdifference: (lists, c) => {
    const all = lists.map((l) => distinct(list(l, c)));
    return distinct(all.flat().filter((v) => all.filter((l) => l.some((w) => valuesEqual(v, w))).length % 2 === 1));
  },
  zipmap: ([k, v], c) => {
    const keys = list(k, c);
    const values = list(v, c);
    if (keys.length !== values.length) c.fail('the lists of keys and values must have the same length');
    return newObject(keys.map((key, i) => [str(key, c, 'key'), values[i]]));
  },
  csvdecode: ([s], c) => {
    const rows = str(s, c).split(/\r?\n/).filter((r) => r !== '').map((r) => r.split(','));
    if (!rows.length) c.fail('no header row');
    return rows.slice(1).map((r) => newObject(rows[0].map((h, i) => [h, r[i] ?? ''])));
  },
  byteslen: ([s], c) => Buffer.byteLength(str(s, c), 'utf8'),
  sanitize: ([s], c) => str(s, c).replace(/[^a-zA-Z0-9_-]/g, '_'),
  join: ([sep, ...lists], c) => lists.flatMap((l) => list(l, c)).map((v) => str(v, c, 'list element')).join(str(sep, c)),
  split: ([sep, s], c) => str(s, c).split(str(sep, c)),
  indent: ([n, s], c) => str(s, c).replace(/\n/g, '\n' + ' '.repeat(num(n, c))),
  format: ([fmt, ...rest], c) => format(str(fmt, c), rest, c),
  concat: (lists, c) => lists.flatMap((l) => list(l, c)),
  // cty's coalesce skips nulls only (Terraform's also skips empty strings; buildx uses cty's).
  coalesce: (args) => args.find((v) => v !== null) ?? null,
  coalescelist: (args, c) => args.find((v) => list(v, c).length > 0) ?? [],
  compact: ([l], c) => list(l, c).filter((v) => v !== null && v !== ''),
  contains: ([l, v], c) => list(l, c).some((x) => valuesEqual(x, v)),
  distinct: ([l], c) => distinct(list(l, c)),
  element: ([l, i], c) => {
    const items = list(l, c);
    if (!items.length) c.fail('cannot use element() on an empty list');
    return items[num(i, c) % items.length];
  },
  flatten: ([l], c) => {
    const out: Value[] = [];
    const walk = (v: Value) => (Array.isArray(v) ? v.forEach(walk) : out.push(v));
    list(l, c).forEach(walk);
    return out;
  },
  index: ([l, k], c) => {
    if (Array.isArray(l)) return l[num(k, c)] ?? c.fail('index out of range');
    const o = object(l, c);
    const key = str(k, c);
    return hasKey(o, key) ? o[key] : c.fail(`no key "${key}"`);
  },
  indexof: ([l, v], c) => list(l, c).findIndex((x) => valuesEqual(x, v)),
  keys: ([o], c) => Object.keys(object(o, c)).sort(),
  values: ([o], c) => {
    const m = object(o, c);
    return Object.keys(m).sort().map((k) => m[k]);
  },
  // cty's length() takes collections only; strlen() is for strings.
  length: ([v], c) => (Array.isArray(v) ? v.length : isObject(v) ? Object.keys(v).length : c.fail('collection must be a list, a map or a tuple')),
  lookup: ([o, k, fallback], c) => {
    const m = object(o, c);
    const key = str(k, c);
    if (hasKey(m, key)) return m[key];
    if (fallback === undefined) c.fail(`no key "${key}" and no default`);
    return fallback;
  },
  merge: (objects, c) => {
    const out = newObject();
    for (const o of objects) if (o !== null) Object.assign(out, object(o, c));
    return out;
  },
  reverse: ([s], c) => [...str(s, c)].reverse().join(''),
  reverselist: ([l], c) => [...list(l, c)].reverse(),
  slice: ([l, from, to], c) => list(l, c).slice(num(from, c), num(to, c)),
  sort: ([l], c) => list(l, c).map((v) => str(v, c, 'list element')).sort(),
  range: (args, c) => {
    const n = args.map((a) => num(a, c));
    const [start, end, step] = n.length === 1 ? [0, n[0], 1] : n.length === 2 ? [n[0], n[1], n[0] <= n[1] ? 1 : -1] : n;
    if (step === 0) c.fail('the step must not be zero');
    const out: number[] = [];
    for (let i = start; step > 0 ? i < end : i > end; i += step) {
      out.push(i);
      if (out.length > 1024) c.fail('more than 1024 elements');
    }
    return out;
  },
  setunion: (lists, c) => distinct(lists.flatMap((l) => list(l, c))),
  setintersection: ([first, ...rest], c) => distinct(list(first, c)).filter((v) => rest.every((l) => list(l, c).some((w) => valuesEqual(v, w)))),
  setsubtract: ([a, b], c) => distinct(list(a, c)).filter((v) => !list(b, c).some((w) => valuesEqual(v, w))),
  sethaselement: ([s, v], c) => list(s, c).some((w) => valuesEqual(v, w)),
  equal: ([a, b]) => valuesEqual(a, b),
  notequal: ([a, b]) => !valuesEqual(a, b),
  and: (args, c) => args.every((a) => bool(a, c)),
  or: (args, c) => args.some((a) => bool(a, c)),
  not: ([a], c) => !bool(a, c),
  add: ([a, b], c) => num(a, c) + num(b, c),
  subtract: ([a, b], c) => num(a, c) - num(b, c),
  multiply: ([a, b], c) => num(a, c) * num(b, c),
  divide: ([a, b], c) => (num(b, c) === 0 ? c.fail('division by zero') : num(a, c) / num(b, c)),
  modulo: ([a, b], c) => num(a, c) % num(b, c),
  negate: ([a], c) => -num(a, c),
  absolute: ([a], c) => Math.abs(num(a, c)),
  signum: ([a], c) => Math.sign(num(a, c)),
  ceil: ([a], c) => Math.ceil(num(a, c)),
  floor: ([a], c) => Math.floor(num(a, c)),
  int: ([a], c) => Math.trunc(num(a, c)),
  pow: ([a, b], c) => num(a, c) ** num(b, c),
  max: (args, c) => Math.max(...args.map((a) => num(a, c))),
  min: (args, c) => Math.min(...args.map((a) => num(a, c))),
  greaterthan: ([a, b], c) => num(a, c) > num(b, c),
  greaterthanorequalto: ([a, b], c) => num(a, c) >= num(b, c),
  lessthan: ([a, b], c) => num(a, c) < num(b, c),
  lessthanorequalto: ([a, b], c) => num(a, c) <= num(b, c),
  parseint: ([s, base], c) => {
    const n = parseInt(str(s, c), num(base, c));
    return Number.isNaN(n) ? c.fail(`cannot parse ${JSON.stringify(s)} as a number`) : n;
  },
  basename: ([p], c) => str(p, c).replace(/\/+$/, '').split('/').pop() || '/',
  dirname: ([p], c) => {
    const s = str(p, c).replace(/\/+$/, '');
    const i = s.lastIndexOf('/');
    return i < 0 ? '.' : i === 0 ? '/' : s.slice(0, i);
  },
  jsonencode: ([v]) => JSON.stringify(v),
  jsondecode: ([s], c) => {
    try {
      return JSON.parse(str(s, c)) as Value;
    } catch (err) {
      return c.fail(`not JSON: ${(err as Error).message}`);
    }
  },
  base64encode: ([s], c) => Buffer.from(str(s, c), 'utf8').toString('base64'),
  base64decode: ([s], c) => Buffer.from(str(s, c), 'base64').toString('utf8'),
  // Go's url.QueryEscape: letters, digits and -_.~ stay, a space is +, the rest %XX.
  urlencode: ([s], c) => [...Buffer.from(str(s, c), 'utf8')].map((b) => (/[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : b === 0x20 ? '+' : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join(''),
};

/** A Go (RE2) regular expression in JavaScript: `(?P<name>` is `(?<name>`; flags `(?i)` at the start. */
function goRegex(pattern: string, ctx: FunctionContext, flags: string): RegExp {
  let p = pattern.replace(/\(\?P</g, '(?<');
  const lead = /^\(\?([imsU]+)\)/.exec(p);
  if (lead) {
    p = p.slice(lead[0].length);
    flags += lead[1].replace(/[^ims]/g, '');
  }
  try {
    return new RegExp(p, flags + 'u');
  } catch (err) {
    return ctx.fail(`invalid regular expression ${JSON.stringify(pattern)}: ${(err as Error).message}`);
  }
}

/** Go's `${1}` and `${name}` in a replacement are JavaScript's `$1` and `$<name>`. */
function goReplacement(text: string): string {
  return text.replace(/\$\{(\d+)\}/g, '$$$1').replace(/\$\{([A-Za-z_]\w*)\}/g, '$$<$1>').replace(/\$([A-Za-z_]\w*)/g, '$$<$1>');
}

/** cty's regex(): the match when the pattern has no groups, a list of groups, or an object of named groups. */
function captures(m: RegExpMatchArray): Value {
  if (m.groups) return newObject(Object.entries(m.groups).map(([k, v]) => [k, v ?? null]));
  if (m.length === 1) return m[0];
  return m.slice(1).map((v) => v ?? null);
}

function uuidv5(namespace: string, name: string, ctx: FunctionContext): string {
  const known: Record<string, string> = { dns: '6ba7b810-9dad-11d1-80b4-00c04fd430c8', url: '6ba7b811-9dad-11d1-80b4-00c04fd430c8', oid: '6ba7b812-9dad-11d1-80b4-00c04fd430c8', x500: '6ba7b814-9dad-11d1-80b4-00c04fd430c8' };
  const ns = known[namespace] ?? namespace;
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(ns)) ctx.fail(`namespace must be dns, url, oid, x500 or a UUID, not ${JSON.stringify(namespace)}`);
  const hash = createHash('sha1').update(Buffer.from(ns.replace(/-/g, ''), 'hex')).update(name, 'utf8').digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const h = hash.subarray(0, 16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The result of a bake function; undefined when bake has no function of that name. */
export function callFunction(name: string, args: Value[], ctx: FunctionContext): Value | undefined {
  if (!BAKE_FUNCTIONS.includes(name)) return undefined;
  const fn = Object.prototype.hasOwnProperty.call(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
  if (!fn) return new Unknown(`${name}() is not evaluated without Docker`, ctx.range);
  const unknown = args.map(findUnknown).find((u) => u !== undefined);
  if (unknown) return unknown;
  return fn(args, ctx);
}

/**
 * cty's format(): Go's fmt verbs with flags, width and precision — %v %t
 * %d %b %o %x %X %e %E %f %g %G %s %q and %%. A verb cty does not know is an error.
 */
function format(fmt: string, args: Value[], ctx: FunctionContext): Value {
  let i = 0;
  return fmt.replace(/%([-+# 0]*)(\d*)(?:\.(\d*))?([a-zA-Z%])/g, (_whole, flags: string, width: string, precision: string | undefined, verb: string) => {
    if (verb === '%') return '%';
    if (i >= args.length) ctx.fail(`not enough arguments for "${fmt}"`);
    const v = args[i++];
    const prec = precision === undefined ? undefined : Number(precision || '0');
    let body: string;
    let numeric = false;
    const n = () => {
      numeric = true;
      const x = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
      if (Number.isNaN(x)) ctx.fail(`%${verb} needs a number, not a ${typeName(v)}`);
      return x;
    };
    const int = () => {
      const x = n();
      if (!Number.isInteger(x)) ctx.fail(`%${verb} needs a whole number, not ${x}`);
      return x;
    };
    switch (verb) {
      case 'v':
        body = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? asString(v)! : v === null ? 'null' : JSON.stringify(v);
        break;
      case 't':
        if (typeof v !== 'boolean' && v !== 'true' && v !== 'false') ctx.fail(`%t needs a bool, not a ${typeName(v)}`);
        body = String(v);
        break;
      case 's':
        body = str(v, ctx);
        if (prec !== undefined) body = [...body].slice(0, prec).join('');
        break;
      case 'q':
        body = JSON.stringify(str(v, ctx));
        break;
      case 'd':
        body = String(Math.abs(int()));
        break;
      case 'b':
        body = Math.abs(int()).toString(2);
        break;
      case 'o':
        body = Math.abs(int()).toString(8);
        break;
      case 'x':
      case 'X': {
        const x = typeof v === 'string' && Number.isNaN(Number(v)) ? Buffer.from(v).toString('hex') : Math.abs(int()).toString(16);
        body = verb === 'X' ? x.toUpperCase() : x;
        break;
      }
      case 'f':
      case 'F':
        body = Math.abs(n()).toFixed(prec ?? 6);
        break;
      case 'e':
      case 'E': {
        const e = Math.abs(n()).toExponential(prec ?? 6).replace(/e([+-])(\d)$/, 'e$10$2');
        body = verb === 'E' ? e.toUpperCase() : e;
        break;
      }
      case 'g':
      case 'G': {
        const x = Math.abs(n());
        const g = prec === undefined ? String(x) : String(Number(x.toPrecision(prec || 1)));
        body = verb === 'G' ? g.toUpperCase() : g;
        break;
      }
      default:
        return ctx.fail(`unrecognized format verb "%${verb}"`);
    }
    if (numeric) {
      const negative = typeof v === 'number' ? v < 0 : Number(v) < 0;
      const sign = negative ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
      const w = Number(width || '0');
      if (flags.includes('0') && !flags.includes('-') && sign.length + body.length < w) body = body.padStart(w - sign.length, '0');
      body = sign + body;
    }
    const w = Number(width || '0');
    return flags.includes('-') ? body.padEnd(w) : body.padStart(w);
  });
}
