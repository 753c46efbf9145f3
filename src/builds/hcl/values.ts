/**
 * HCL values as bake evaluates them (go-cty, simplified): strings, numbers,
 * booleans, null, lists and objects — and Unknown, for a value mountlint
 * cannot know without running Docker (an impure function such as
 * timestamp(), a splat, a template directive). Unknown spreads through every
 * operation that uses it; a build target whose inputs are unknown is reported
 * as not analysed, never guessed.
 */
import type { Range } from '../../syntax/index.js';

export type Value = string | number | boolean | null | Value[] | HclObject | Unknown;

export interface HclObject {
  [key: string]: Value;
}

export class Unknown {
  constructor(
    /** Why, in words: "timestamp() is not evaluated without Docker". */
    readonly reason: string,
    readonly range: Range,
  ) {}
}

export function isUnknown(v: Value): v is Unknown {
  return v instanceof Unknown;
}

export function isObject(v: Value): v is HclObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Unknown);
}

/** The first unknown inside a value (lists and objects included). */
export function findUnknown(v: Value): Unknown | undefined {
  if (v instanceof Unknown) return v;
  if (Array.isArray(v)) {
    for (const item of v) {
      const u = findUnknown(item);
      if (u) return u;
    }
  } else if (isObject(v)) {
    for (const item of Object.values(v)) {
      const u = findUnknown(item);
      if (u) return u;
    }
  }
  return undefined;
}

export function typeName(v: Value): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'list';
  if (v instanceof Unknown) return 'unknown';
  return typeof v === 'object' ? 'object' : typeof v === 'boolean' ? 'bool' : typeof v;
}

/** HCL's string conversion: numbers in their shortest form, booleans as words; lists and objects do not convert. */
export function asString(v: Value): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return undefined;
}

export function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(15)));
}

/** Equality as HCL's == (deep, no conversion between types). */
export function valuesEqual(a: Value, b: Value): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => valuesEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    return ka.length === kb.length && ka.every((k, i) => k === kb[i] && valuesEqual(a[k], b[k]));
  }
  return a === b;
}

export function newObject(entries: Array<[string, Value]> = []): HclObject {
  const o: HclObject = Object.create(null) as HclObject;
  for (const [k, v] of entries) o[k] = v;
  return o;
}

export function hasKey(o: HclObject, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, key);
}
