/**
 * The blocks of one or more bake files (HCL or JSON), merged in file order
 * as buildx merges them (bake/hclparser MergeFiles): variables, functions,
 * groups and targets, with every expression kept unevaluated and its place.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import type { Range, SourceFile } from '../../syntax/index.js';
import { DefinitionError } from '../errors.js';
import { parseHcl, parseTemplateString, type Attribute, type Body, type Expr } from '../hcl/syntax.js';

export interface RawAttribute {
  expr: Expr;
  source: SourceFile;
  range: Range;
}

/** One `target "name" { … }` or `group "name" { … }` block (or its JSON object). */
export interface RawBlock {
  name: string;
  source: SourceFile;
  headerRange: Range;
  attributes: Map<string, RawAttribute>;
}

export interface RawVariable {
  name: string;
  source: SourceFile;
  range: Range;
  default?: RawAttribute;
  /** `type = list(string)`: how an environment value converts (typed variables, buildx 0.23+). */
  type?: RawAttribute;
}

export interface RawFunction {
  name: string;
  source: SourceFile;
  range: Range;
  params: string[];
  variadic?: string;
  result?: RawAttribute;
}

export interface RawConfig {
  variables: Map<string, RawVariable>;
  /** Attributes at the top level of a file act as variables (buildx: p.attrs). */
  globals: Map<string, RawAttribute>;
  functions: Map<string, RawFunction>;
  groups: RawBlock[];
  targets: RawBlock[];
}

export function emptyConfig(): RawConfig {
  return { variables: new Map(), globals: new Map(), functions: new Map(), groups: [], targets: [] };
}

/** Adds one HCL bake file to the configuration. */
export function addHclFile(config: RawConfig, source: SourceFile): void {
  const body = parseHcl(source);
  for (const attr of body.attributes) config.globals.set(attr.name, { expr: attr.expr, source, range: attr.range });
  for (const block of body.blocks) {
    const label = block.labels[0];
    const needLabel = () => {
      if (!label || block.labels.length !== 1) throw new DefinitionError(`a ${block.type} block needs exactly one name: ${block.type} "name" { … }`, source, block.headerRange);
      return label.value;
    };
    switch (block.type) {
      case 'variable': {
        const name = needLabel();
        const def = attribute(block.body, 'default', source);
        config.variables.set(name, { name, source, range: block.headerRange, default: def, type: attribute(block.body, 'type', source) });
        break;
      }
      case 'function': {
        const name = needLabel();
        const params = attribute(block.body, 'params', source);
        const variadic = attribute(block.body, 'variadic_params', source);
        config.functions.set(name, {
          name,
          source,
          range: block.headerRange,
          params: params ? parameterNames(params, source) : [],
          variadic: variadic?.expr.kind === 'variable' ? variadic.expr.name : undefined,
          result: attribute(block.body, 'result', source),
        });
        break;
      }
      case 'group':
      case 'target': {
        const name = needLabel();
        const raw: RawBlock = { name, source, headerRange: block.headerRange, attributes: attributes(block.body, source) };
        (block.type === 'group' ? config.groups : config.targets).push(raw);
        break;
      }
      default:
        throw new DefinitionError(`unknown block type "${block.type}" (a bake file has variable, function, group and target blocks)`, source, block.headerRange);
    }
  }
}

function attribute(body: Body, name: string, source: SourceFile): RawAttribute | undefined {
  const a = body.attributes.find((x) => x.name === name);
  return a ? { expr: a.expr, source, range: a.range } : undefined;
}

function attributes(body: Body, source: SourceFile): Map<string, RawAttribute> {
  const out = new Map<string, RawAttribute>();
  for (const a of body.attributes as Attribute[]) {
    if (out.has(a.name)) throw new DefinitionError(`attribute "${a.name}" is defined twice in this block`, source, a.nameRange);
    out.set(a.name, { expr: a.expr, source, range: a.range });
  }
  return out;
}

function parameterNames(params: RawAttribute, source: SourceFile): string[] {
  if (params.expr.kind !== 'tuple') throw new DefinitionError('params must be a list of names, e.g. params = [a, b]', source, params.range);
  return params.expr.items.map((item) => {
    if (item.kind !== 'variable') throw new DefinitionError('a parameter is a bare name', source, item.range);
    return item.name;
  });
}

/**
 * Adds one JSON bake file. Its strings are HCL templates (HCL's JSON syntax),
 * so `"${TAG}"` works as in HCL. Read with the yaml package (JSON is YAML),
 * which keeps every value's place for messages.
 */
export function addJsonFile(config: RawConfig, source: SourceFile): void {
  const lines = new LineCounter();
  const doc = parseDocument(source.text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    const e = doc.errors[0];
    throw new DefinitionError(`invalid JSON: ${e.message.split('\n')[0]}`, source, { start: e.pos[0], end: e.pos[1] });
  }
  const root = doc.contents;
  if (!isMap(root)) throw new DefinitionError('a bake JSON file is an object with "variable", "group" and "target" keys', source, nodeRange(root, source));
  for (const pair of root.items) {
    const kind = String(isScalar(pair.key) ? pair.key.value : '');
    const value = pair.value as YamlNode | null;
    if (kind === 'variable' || kind === 'group' || kind === 'target' || kind === 'function') {
      if (!isMap(value)) throw new DefinitionError(`"${kind}" must be an object of named ${kind}s`, source, nodeRange(value, source));
      for (const entry of value.items) {
        const name = String(isScalar(entry.key) ? entry.key.value : '');
        const keyRange = nodeRange(entry.key as YamlNode, source);
        const body = entry.value as YamlNode | null;
        if (!isMap(body)) throw new DefinitionError(`${kind} "${name}" must be an object`, source, nodeRange(body, source) ?? keyRange);
        const attrs = new Map<string, RawAttribute>();
        for (const a of body.items) {
          const attrName = String(isScalar(a.key) ? a.key.value : '');
          const range = nodeRange(a.value as YamlNode, source);
          attrs.set(attrName, { expr: jsonExpr(a.value as YamlNode, source), source, range });
        }
        if (kind === 'variable') config.variables.set(name, { name, source, range: keyRange, default: attrs.get('default') });
        else if (kind === 'function') {
          const params = attrs.get('params');
          config.functions.set(name, {
            name,
            source,
            range: keyRange,
            params: params?.expr.kind === 'tuple' ? params.expr.items.map((i) => (i.kind === 'literal' ? String(i.value) : '')) : [],
            result: attrs.get('result'),
          });
        } else (kind === 'group' ? config.groups : config.targets).push({ name, source, headerRange: keyRange, attributes: attrs });
      }
    } else {
      config.globals.set(kind, { expr: jsonExpr(value, source), source, range: nodeRange(value, source) });
    }
  }
}

function nodeRange(node: YamlNode | null | undefined, source: SourceFile): Range {
  const r = node?.range;
  return r ? { start: r[0], end: r[1] } : { start: 0, end: Math.min(1, source.text.length) };
}

function jsonExpr(node: YamlNode | null, source: SourceFile): Expr {
  const range = nodeRange(node, source);
  if (isMap(node)) {
    return {
      kind: 'object',
      items: node.items.map((p) => ({ key: { kind: 'literal', value: String(isScalar(p.key) ? p.key.value : ''), range: nodeRange(p.key as YamlNode, source) } as Expr, value: jsonExpr(p.value as YamlNode, source) })),
      range,
    };
  }
  if (isSeq(node)) return { kind: 'tuple', items: node.items.map((i) => jsonExpr(i as YamlNode, source)), range };
  const value = isScalar(node) ? node.value : null;
  if (typeof value === 'string') return value.includes('${') || value.includes('%{') ? parseTemplateString(value, source, range) : { kind: 'literal', value, range };
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return { kind: 'literal', value, range };
  return { kind: 'literal', value: String(value), range };
}
