/**
 * Evaluates HCL expressions the way bake does, for the values that decide
 * what BuildKit runs (dockerfile, context, target, args, platforms). What
 * cannot be known without Docker becomes Unknown; what is wrong (an undefined
 * variable, a type error) is a DefinitionError at its place in the file.
 */
import type { Range, SourceFile } from '../../syntax/index.js';
import { DefinitionError } from '../errors.js';
import { callFunction, type FunctionContext } from './functions.js';
import { SPLAT_ITEM, type Expr } from './syntax.js';
import { asString, findUnknown, hasKey, isObject, isUnknown, newObject, typeName, Unknown, valuesEqual, type Value } from './values.js';

export interface UserFunction {
  params: string[];
  variadic?: string;
  result: Expr;
  source: SourceFile;
}

export interface EvalEnvironment {
  /** A global name (variable, top-level attribute, `target`): undefined when there is none. */
  lookup(name: string, range: Range, source: SourceFile): Value | undefined;
  /** User-defined `function` blocks. */
  functions: Map<string, UserFunction>;
}

export class Evaluator {
  private depth = 0;

  constructor(private readonly env: EvalEnvironment) {}

  evaluate(expr: Expr, source: SourceFile, locals: Map<string, Value> = new Map()): Value {
    const fail = (message: string, range: Range = expr.range): never => {
      throw new DefinitionError(message, source, range);
    };
    const ev = (e: Expr, l = locals) => this.evaluate(e, source, l);
    switch (expr.kind) {
      case 'literal':
        return expr.value;
      case 'template': {
        let out = '';
        for (const part of expr.parts) {
          if (typeof part === 'string') {
            out += part;
            continue;
          }
          const v = ev(part);
          if (isUnknown(v)) return v;
          const s = asString(v);
          if (s === undefined) fail(`cannot use a ${typeName(v)} value in a string template`, part.range);
          out += s;
        }
        return out;
      }
      case 'tuple':
        return expr.items.map((i) => ev(i));
      case 'object': {
        const o = newObject();
        for (const { key, value } of expr.items) {
          const k = ev(key);
          if (isUnknown(k)) return k;
          const name = asString(k);
          if (name === undefined) fail(`an object key must be a string, not a ${typeName(k)}`, key.range);
          o[name!] = ev(value);
        }
        return o;
      }
      case 'variable': {
        if (locals.has(expr.name)) return locals.get(expr.name)!;
        const v = this.env.lookup(expr.name, expr.range, source);
        if (v === undefined) fail(`unknown variable "${expr.name}": there is no variable, attribute or block named "${expr.name}"`);
        return v!;
      }
      case 'getattr': {
        const o = ev(expr.object);
        if (isUnknown(o)) return o;
        if (!isObject(o)) return fail(`cannot read attribute "${expr.name}" of a ${typeName(o)} value`);
        if (!hasKey(o, expr.name)) fail(`this object has no attribute "${expr.name}"`);
        return o[expr.name];
      }
      case 'index': {
        const o = ev(expr.object);
        const k = ev(expr.key);
        if (isUnknown(o)) return o;
        if (isUnknown(k)) return k;
        if (Array.isArray(o)) {
          if (typeof k !== 'number' || !Number.isInteger(k) || k < 0 || k >= o.length) fail(`index ${JSON.stringify(k)} is out of range for a list of ${o.length}`);
          return o[k as number];
        }
        if (isObject(o)) {
          const name = asString(k);
          if (name === undefined || !hasKey(o, name)) fail(`this object has no key ${JSON.stringify(k)}`);
          return o[name!];
        }
        return fail(`cannot index a ${typeName(o)} value`);
      }
      case 'conditional': {
        const c = ev(expr.condition);
        if (isUnknown(c)) return c;
        if (typeof c !== 'boolean') fail(`the condition must be a bool, not a ${typeName(c)}`, expr.condition.range);
        return c ? ev(expr.then) : ev(expr.otherwise);
      }
      case 'unary': {
        const v = ev(expr.operand);
        if (isUnknown(v)) return v;
        if (expr.op === '!') {
          if (typeof v !== 'boolean') fail(`"!" needs a bool, not a ${typeName(v)}`);
          return !v;
        }
        const n = toNumber(v);
        if (n === undefined) fail(`"-" needs a number, not a ${typeName(v)}`);
        return -n!;
      }
      case 'binary':
        return this.binary(expr, ev(expr.left), () => ev(expr.right), fail);
      case 'for':
        return this.forExpression(expr, source, locals, fail);
      case 'call':
        return this.call(expr, source, locals, fail);
      case 'templateFor': {
        const collection = ev(expr.collection);
        if (isUnknown(collection)) return collection;
        let entries: Array<[Value, Value]>;
        if (Array.isArray(collection)) entries = collection.map((v, i) => [i, v]);
        else if (isObject(collection)) entries = Object.keys(collection).sort().map((k) => [k, collection[k]]);
        else return fail(`a %{for} directive needs a list or an object, not a ${typeName(collection)}`, expr.collection.range);
        let out = '';
        for (const [k, v] of entries) {
          const scope = new Map(locals);
          if (expr.keyVar) scope.set(expr.keyVar, k);
          scope.set(expr.valueVar, v);
          const part = this.evaluate(expr.body, source, scope);
          if (isUnknown(part)) return part;
          out += asString(part) ?? '';
        }
        return out;
      }
      case 'splat': {
        // HCL: a null is an empty list, a single value a list of itself.
        const o = ev(expr.object);
        if (isUnknown(o)) return o;
        const items = o === null ? [] : Array.isArray(o) ? o : [o];
        return items.map((item) => ev(expr.each, new Map([...locals, [SPLAT_ITEM, item]])));
      }
      case 'unsupported':
        return new Unknown(`${expr.what} is not evaluated without Docker`, expr.range);
    }
  }

  private binary(expr: Extract<Expr, { kind: 'binary' }>, left: Value, right: () => Value, fail: (m: string, r?: Range) => never): Value {
    if (isUnknown(left)) return left;
    if (expr.op === '&&' || expr.op === '||') {
      if (typeof left !== 'boolean') fail(`"${expr.op}" needs bools, not a ${typeName(left)}`, expr.left.range);
      if (expr.op === '&&' && !left) return false;
      if (expr.op === '||' && left) return true;
      const r = right();
      if (isUnknown(r)) return r;
      if (typeof r !== 'boolean') fail(`"${expr.op}" needs bools, not a ${typeName(r)}`, expr.right.range);
      return r;
    }
    const r = right();
    if (isUnknown(r)) return r;
    if (expr.op === '==') return valuesEqual(left, r);
    if (expr.op === '!=') return !valuesEqual(left, r);
    const a = toNumber(left);
    const b = toNumber(r);
    if (a === undefined || b === undefined) fail(`"${expr.op}" needs numbers, not ${typeName(left)} and ${typeName(r)}`);
    switch (expr.op) {
      case '+':
        return a! + b!;
      case '-':
        return a! - b!;
      case '*':
        return a! * b!;
      case '/':
        if (b === 0) fail('division by zero');
        return a! / b!;
      case '%':
        return a! % b!;
      case '<':
        return a! < b!;
      case '<=':
        return a! <= b!;
      case '>':
        return a! > b!;
      case '>=':
        return a! >= b!;
    }
    return fail(`unknown operator "${expr.op}"`);
  }

  private forExpression(expr: Extract<Expr, { kind: 'for' }>, source: SourceFile, locals: Map<string, Value>, fail: (m: string, r?: Range) => never): Value {
    const collection = this.evaluate(expr.collection, source, locals);
    if (isUnknown(collection)) return collection;
    let entries: Array<[Value, Value]>;
    if (Array.isArray(collection)) entries = collection.map((v, i) => [i, v]);
    else if (isObject(collection)) entries = Object.keys(collection).sort().map((k) => [k, collection[k]]);
    else return fail(`a for expression needs a list or an object, not a ${typeName(collection)}`, expr.collection.range);
    const list: Value[] = [];
    const object = newObject();
    for (const [k, v] of entries) {
      const scope = new Map(locals);
      if (expr.keyVar) scope.set(expr.keyVar, k);
      scope.set(expr.valueVar, v);
      if (expr.condition) {
        const keep = this.evaluate(expr.condition, source, scope);
        if (isUnknown(keep)) return keep;
        if (typeof keep !== 'boolean') fail(`a for condition must be a bool, not a ${typeName(keep)}`, expr.condition.range);
        if (!keep) continue;
      }
      const value = this.evaluate(expr.value, source, scope);
      if (!expr.object) {
        list.push(value);
        continue;
      }
      const key = this.evaluate(expr.key!, source, scope);
      if (isUnknown(key)) return key;
      const name = asString(key);
      if (name === undefined) fail(`an object key must be a string, not a ${typeName(key)}`, expr.key!.range);
      if (expr.grouped) object[name!] = [...((object[name!] as Value[] | undefined) ?? []), value];
      else if (hasKey(object, name!)) fail(`duplicate key "${name}" in a for expression (add "..." to group them)`, expr.key!.range);
      else object[name!] = value;
    }
    return expr.object ? object : list;
  }

  private call(expr: Extract<Expr, { kind: 'call' }>, source: SourceFile, locals: Map<string, Value>, fail: (m: string, r?: Range) => never): Value {
    if ((expr.name === 'try' || expr.name === 'can') && !this.env.functions.has(expr.name)) return this.tryOrCan(expr, source, locals, fail);
    let args = expr.args.map((a) => this.evaluate(a, source, locals));
    if (expr.expandFinal && args.length) {
      const last = args[args.length - 1];
      if (isUnknown(last)) return last;
      if (!Array.isArray(last)) fail(`"..." needs a list, not a ${typeName(last)}`, expr.args[expr.args.length - 1].range);
      args = [...args.slice(0, -1), ...(last as Value[])];
    }
    const user = this.env.functions.get(expr.name);
    if (user) return this.callUser(expr, user, args, fail);
    const ctx: FunctionContext = { range: expr.range, fail: (m) => fail(`${expr.name}(): ${m}`) };
    const result = callFunction(expr.name, args, ctx);
    if (result === undefined) fail(`there is no function named "${expr.name}"`);
    return result!;
  }

  /** try(a, b, …): the first argument that evaluates without an error; can(a): whether it does. */
  private tryOrCan(expr: Extract<Expr, { kind: 'call' }>, source: SourceFile, locals: Map<string, Value>, fail: (m: string, r?: Range) => never): Value {
    if (expr.name === 'can' && expr.args.length !== 1) fail('can() takes one argument');
    if (expr.name === 'try' && !expr.args.length) fail('try() needs at least one argument');
    for (const arg of expr.args) {
      try {
        const v = this.evaluate(arg, source, locals);
        // An unknown value may or may not fail at build time: the result is unknown too.
        if (findUnknown(v)) return findUnknown(v)!;
        if (expr.name === 'can') return true;
        return v;
      } catch (err) {
        if (!(err instanceof DefinitionError)) throw err;
        if (expr.name === 'can') return false;
      }
    }
    return fail('try(): no argument could be evaluated');
  }

  private callUser(expr: Extract<Expr, { kind: 'call' }>, fn: UserFunction, args: Value[], fail: (m: string, r?: Range) => never): Value {
    if (args.length < fn.params.length || (!fn.variadic && args.length > fn.params.length)) {
      fail(`function "${expr.name}" takes ${fn.params.length}${fn.variadic ? ' or more' : ''} argument${fn.params.length === 1 ? '' : 's'}, not ${args.length}`);
    }
    if (this.depth > 100) fail(`function "${expr.name}" calls itself too deeply`);
    const scope = new Map<string, Value>();
    fn.params.forEach((p, i) => scope.set(p, args[i]));
    if (fn.variadic) scope.set(fn.variadic, args.slice(fn.params.length));
    this.depth++;
    try {
      return this.evaluate(fn.result, fn.source, scope);
    } finally {
      this.depth--;
    }
  }
}

function toNumber(v: Value): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  return undefined;
}
