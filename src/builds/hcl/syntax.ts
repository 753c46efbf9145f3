/**
 * HCL (bake files) read with tree-sitter-hcl into a small syntax tree that
 * keeps every node's place in the file: blocks, attributes, and expressions
 * down to each variable and function call, so that an evaluation error or a
 * finding can name the line and column. Why this parser and not a
 * WebAssembly build of HashiCorp's own: docs/design.md ("Reading bake files").
 */
import type { Node, Parser } from 'web-tree-sitter';
import { loadTreeSitter, wasmFile } from '../../commands/index.js';
import type { Range, SourceFile } from '../../syntax/index.js';
import { DefinitionError } from '../errors.js';

export type Expr =
  | { kind: 'literal'; value: string | number | boolean | null; range: Range }
  | { kind: 'template'; parts: Array<string | Expr>; range: Range }
  | { kind: 'tuple'; items: Expr[]; range: Range }
  | { kind: 'object'; items: Array<{ key: Expr; value: Expr }>; range: Range }
  | { kind: 'variable'; name: string; range: Range }
  | { kind: 'getattr'; object: Expr; name: string; range: Range }
  | { kind: 'index'; object: Expr; key: Expr; range: Range }
  | { kind: 'call'; name: string; args: Expr[]; expandFinal: boolean; range: Range }
  | { kind: 'conditional'; condition: Expr; then: Expr; otherwise: Expr; range: Range }
  | { kind: 'binary'; op: string; left: Expr; right: Expr; range: Range }
  | { kind: 'unary'; op: string; operand: Expr; range: Range }
  | { kind: 'for'; keyVar?: string; valueVar: string; collection: Expr; key?: Expr; value: Expr; condition?: Expr; grouped: boolean; object: boolean; range: Range }
  /** `%{ for k, v in collection }body%{ endfor }` in a template: the bodies joined. */
  | { kind: 'templateFor'; keyVar?: string; valueVar: string; collection: Expr; body: Expr; range: Range }
  /** `list[*].attr` / `list.*.attr`: `each` (over the variable SPLAT_ITEM) applied to every element. */
  | { kind: 'splat'; object: Expr; each: Expr; range: Range }
  /** Syntax we read but do not evaluate: its value is unknown. */
  | { kind: 'unsupported'; what: string; range: Range };

export interface Attribute {
  name: string;
  nameRange: Range;
  expr: Expr;
  range: Range;
}

export interface Block {
  type: string;
  labels: Array<{ value: string; range: Range }>;
  body: Body;
  /** The block's header (type and labels), where errors about the whole block point. */
  headerRange: Range;
  range: Range;
}

export interface Body {
  attributes: Attribute[];
  blocks: Block[];
}

let parser: Parser | undefined;

/** The name a splat's element has inside its traversal (not a valid HCL name, so no clash). */
export const SPLAT_ITEM = '\0splat';

const OPERATORS = new Set(['==', '!=', '<', '>', '<=', '>=', '+', '-', '*', '/', '%', '&&', '||']);

/** Loads tree-sitter-hcl once (about 5 ms after the shared tree-sitter runtime). */
export async function loadHclParser(): Promise<void> {
  if (parser) return;
  const { Language, Parser } = await loadTreeSitter();
  const language = await Language.load(wasmFile('@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-hcl.wasm'));
  const p = new Parser();
  p.setLanguage(language);
  parser = p;
}

/** Parses a whole HCL file; `loadHclParser()` must have been awaited. */
export function parseHcl(source: SourceFile): Body {
  if (!parser) throw new Error('the HCL parser is not loaded: await loadHclParser() first');
  const tree = parser.parse(source.text);
  if (!tree) throw new Error('the HCL parser returned no tree');
  try {
    const root = tree.rootNode;
    const problem = firstProblem(root);
    if (problem) throw new DefinitionError(problemMessage(problem, source), source, range(problem));
    const body = root.namedChildren.find((c) => c?.type === 'body');
    if (root.namedChildren.some((c) => c?.type === 'object')) {
      throw new DefinitionError('a bake file in HCL syntax is a body of blocks and attributes, not a JSON-like object (name the file .json for JSON)', source, range(root));
    }
    return body ? new Reader(source).body(body) : { attributes: [], blocks: [] };
  } finally {
    tree.delete();
  }
}

/** Parses one expression (a JSON string value of a bake .json file is an HCL template). */
export function parseTemplateString(value: string, source: SourceFile, at: Range): Expr {
  if (!parser) throw new Error('the HCL parser is not loaded: await loadHclParser() first');
  const quoted = '"' + quoteTemplate(value) + '"';
  const text = `v = ${quoted}\n`;
  const tree = parser.parse(text);
  if (!tree) throw new Error('the HCL parser returned no tree');
  try {
    const problem = firstProblem(tree.rootNode);
    if (problem) throw new DefinitionError(`invalid template ${JSON.stringify(value)}: ${problemMessage(problem, undefined)}`, source, at);
    const attr = tree.rootNode.namedChildren[0]?.namedChildren[0];
    const exprNode = attr?.namedChildren.find((c) => c?.type === 'expression');
    if (!exprNode) throw new DefinitionError(`invalid template ${JSON.stringify(value)}`, source, at);
    // Every node of the template gets the JSON string's place: its parts have none of their own in the file.
    return new Reader({ text } as SourceFile, at).expression(exprNode);
  } finally {
    tree.delete();
  }
}

/**
 * A JSON string's text as the inside of an HCL quoted template: its literal
 * parts escaped, its `${…}` and `%{…}` parts as they are (quotes inside them
 * are the expression's own).
 */
function quoteTemplate(value: string): string {
  const escape = (c: string) => ({ '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c] ?? c;
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    const opens = (c === '$' || c === '%') && value[i + 1] === '{' && value[i - 1] !== c;
    if (!opens) {
      out += escape(c);
      continue;
    }
    // Copy the interpolation up to its closing brace, skipping braces inside its strings.
    let depth = 0;
    let j = i + 1;
    let inString = false;
    for (; j < value.length; j++) {
      const d = value[j];
      if (inString) {
        if (d === '\\') j++;
        else if (d === '"') inString = false;
      } else if (d === '"') inString = true;
      else if (d === '{') depth++;
      else if (d === '}' && --depth === 0) break;
    }
    out += value.slice(i, j + 1).replace(/\n/g, ' ');
    i = j;
  }
  return out;
}

function range(node: Node): Range {
  return { start: node.startIndex, end: node.endIndex };
}

function firstProblem(node: Node): Node | undefined {
  if (node.type === 'ERROR' || node.isMissing) return node;
  if (!node.hasError) return undefined;
  for (const child of node.children) {
    const found = child && firstProblem(child);
    if (found) return found;
  }
  return node;
}

function problemMessage(node: Node, source: SourceFile | undefined): string {
  if (node.isMissing) return `invalid HCL: missing ${JSON.stringify(node.type)}`;
  const text = source ? source.text.slice(node.startIndex, node.endIndex) : node.text;
  const shown = text.split('\n')[0].trim();
  if (shown === '') return 'invalid HCL: unexpected end of a block or expression';
  return `invalid HCL: unexpected ${JSON.stringify(shown.length > 40 ? shown.slice(0, 40) + '…' : shown)}`;
}

/** Turns tree-sitter-hcl nodes into our tree. `fixed`: the one place every node gets (a JSON string's template). */
class Reader {
  constructor(
    private readonly source: Pick<SourceFile, 'text'>,
    private readonly fixed?: Range,
  ) {}

  private at(node: Node): Range {
    return this.fixed ?? range(node);
  }

  private text(node: Node): string {
    return this.source.text.slice(node.startIndex, node.endIndex);
  }

  body(node: Node): Body {
    const body: Body = { attributes: [], blocks: [] };
    for (const child of node.namedChildren) {
      if (!child) continue;
      if (child.type === 'attribute') {
        const name = child.namedChildren.find((c) => c?.type === 'identifier')!;
        const expr = child.namedChildren.find((c) => c?.type === 'expression')!;
        body.attributes.push({ name: this.text(name), nameRange: this.at(name), expr: this.expression(expr), range: this.at(child) });
      } else if (child.type === 'block') {
        body.blocks.push(this.block(child));
      }
    }
    return body;
  }

  private block(node: Node): Block {
    const named = node.namedChildren.filter((c): c is Node => !!c);
    const type = named.find((c) => c.type === 'identifier')!;
    const labels = named
      .filter((c) => c.type === 'string_lit' || (c.type === 'identifier' && c !== type))
      .map((c) => ({ value: c.type === 'string_lit' ? this.stringLiteral(c) : this.text(c), range: this.at(c) }));
    const inner = named.find((c) => c.type === 'body');
    const start = named.find((c) => c.type === 'block_start');
    return {
      type: this.text(type),
      labels,
      body: inner ? this.body(inner) : { attributes: [], blocks: [] },
      headerRange: { start: node.startIndex, end: start ? start.startIndex : node.endIndex },
      range: this.at(node),
    };
  }

  expression(node: Node): Expr {
    switch (node.type) {
      case 'expression':
        return this.expressionNode(node);
      case 'literal_value':
        return this.literal(node);
      case 'collection_value':
        return this.expression(node.namedChildren[0]!);
      case 'tuple':
        return { kind: 'tuple', items: this.named(node, 'expression').map((c) => this.expression(c)), range: this.at(node) };
      case 'object':
        return { kind: 'object', items: this.named(node, 'object_elem').map((e) => this.objectElement(e)), range: this.at(node) };
      case 'variable_expr':
        return { kind: 'variable', name: this.text(node.namedChildren[0]!), range: this.at(node) };
      case 'function_call':
        return this.call(node);
      case 'conditional': {
        const [condition, then, otherwise] = this.named(node, 'expression').map((c) => this.expression(c));
        return { kind: 'conditional', condition, then, otherwise, range: this.at(node) };
      }
      case 'operation':
        return this.expression(node.namedChildren[0]!);
      case 'binary_operation': {
        // An operand is a term and its suffixes (`x.v != ""` gives variable, get_attr, operator, literal).
        const children = node.children.filter((c): c is Node => !!c && c.type !== 'comment');
        const at = children.findIndex((c) => !c.isNamed && OPERATORS.has(c.type));
        const op = children[at].type;
        return { kind: 'binary', op, left: this.postfix(children.slice(0, at), node), right: this.postfix(children.slice(at + 1), node), range: this.at(node) };
      }
      case 'unary_operation': {
        const children = node.children.filter((c): c is Node => !!c && c.type !== 'comment');
        return { kind: 'unary', op: children[0].type, operand: this.postfix(children.slice(1), node), range: this.at(node) };
      }
      case 'template_expr':
        return this.template(node.namedChildren[0]!);
      case 'for_expr':
        return this.forExpression(node.namedChildren[0]!);
      default:
        return { kind: 'unsupported', what: node.type.replace(/_/g, ' '), range: this.at(node) };
    }
  }

  /** An `expression` node: a primary expression followed by .attr, [index] and splats, or a parenthesised one. */
  private expressionNode(node: Node): Expr {
    const parts = node.children.filter((c): c is Node => !!c && c.type !== 'comment');
    if (parts[0]?.type === '(') return this.expression(parts.find((c) => c.type === 'expression')!);
    return this.postfix(parts, node);
  }

  /** A term followed by .attr, [index] and splats. */
  private postfix(parts: Node[], whole: Node): Expr {
    if (!parts.length) return { kind: 'unsupported', what: 'empty operand', range: this.at(whole) };
    let expr = this.expression(parts[0]);
    for (const suffix of parts.slice(1)) {
      const range = this.fixed ?? { start: parts[0].startIndex, end: suffix.endIndex };
      if (suffix.type === 'get_attr') {
        expr = { kind: 'getattr', object: expr, name: this.text(suffix.namedChildren[0]!), range };
      } else if (suffix.type === 'index') {
        const index = suffix.namedChildren[0]!;
        const key: Expr =
          index.type === 'legacy_index'
            ? { kind: 'literal', value: Number(this.text(index).replace(/^\./, '')), range: this.at(index) }
            : this.expression(index.namedChildren.find((c) => c?.type === 'expression')!);
        expr = { kind: 'index', object: expr, key, range };
      } else if (suffix.type === 'splat') {
        // The traversals inside the splat apply to each element; those after it, to the list.
        const inner = suffix.namedChildren[0]!;
        const traversals = inner.namedChildren.filter((c): c is Node => !!c);
        // An attribute splat (`.*`) takes the attributes alone; an index after them is the list's.
        const cut = inner.type === 'attr_splat' ? traversals.findIndex((c) => c.type !== 'get_attr') : -1;
        const perItem = cut < 0 ? traversals : traversals.slice(0, cut);
        const item: Expr = { kind: 'variable', name: SPLAT_ITEM, range };
        expr = { kind: 'splat', object: expr, each: this.postfixOn(item, perItem, parts[0], range), range };
        if (cut >= 0) expr = this.postfixOn(expr, traversals.slice(cut), parts[0], range);
      } else {
        return { kind: 'unsupported', what: suffix.type.replace(/_/g, ' '), range };
      }
    }
    return expr;
  }

  /** get_attr and index suffixes applied to `expr`. */
  private postfixOn(expr: Expr, suffixes: Node[], first: Node, range: Range): Expr {
    let out = expr;
    for (const suffix of suffixes) {
      if (suffix.type === 'get_attr') out = { kind: 'getattr', object: out, name: this.text(suffix.namedChildren[0]!), range };
      else if (suffix.type === 'index') {
        const index = suffix.namedChildren[0]!;
        const key: Expr = index.type === 'legacy_index' ? { kind: 'literal', value: Number(this.text(index).replace(/^\./, '')), range: this.at(index) } : this.expression(index.namedChildren.find((c) => c?.type === 'expression')!);
        out = { kind: 'index', object: out, key, range };
      } else return { kind: 'unsupported', what: suffix.type.replace(/_/g, ' '), range: this.at(first) };
    }
    return out;
  }

  private named(node: Node, type: string): Node[] {
    return node.namedChildren.filter((c): c is Node => !!c && c.type === type);
  }

  private literal(node: Node): Expr {
    const inner = node.namedChildren[0]!;
    const text = this.text(inner);
    switch (inner.type) {
      case 'numeric_lit':
        return { kind: 'literal', value: Number(text), range: this.at(node) };
      case 'bool_lit':
        return { kind: 'literal', value: text === 'true', range: this.at(node) };
      case 'null_lit':
        return { kind: 'literal', value: null, range: this.at(node) };
      default:
        return { kind: 'literal', value: this.stringLiteral(inner), range: this.at(node) };
    }
  }

  /** A quoted string without interpolation (string_lit). */
  private stringLiteral(node: Node): string {
    return this.templateParts(node, false)
      .map((p) => (typeof p === 'string' ? p : ''))
      .join('');
  }

  private objectElement(node: Node): { key: Expr; value: Expr } {
    const [keyNode, valueNode] = this.named(node, 'expression');
    let key = this.expression(keyNode);
    // `{ name = 1 }`: a bare name is the key itself, not a variable (HCL); `(name)` evaluates it.
    if (key.kind === 'variable' && keyNode.children[0]?.type !== '(') key = { kind: 'literal', value: key.name, range: key.range };
    return { key, value: this.expression(valueNode) };
  }

  private call(node: Node): Expr {
    const name = this.text(node.namedChildren.find((c) => c?.type === 'identifier')!);
    const args = node.namedChildren.find((c) => c?.type === 'function_arguments');
    const list = args ? this.named(args, 'expression').map((c) => this.expression(c)) : [];
    const expandFinal = !!args?.namedChildren.some((c) => c?.type === 'ellipsis');
    return { kind: 'call', name, args: list, expandFinal, range: this.at(node) };
  }

  private forExpression(node: Node): Expr {
    const intro = node.namedChildren.find((c) => c?.type === 'for_intro')!;
    const vars = this.named(intro, 'identifier').map((c) => this.text(c));
    const collection = this.expression(intro.namedChildren.find((c) => c?.type === 'expression')!);
    const results = node.namedChildren.filter((c): c is Node => !!c && c.type === 'expression').map((c) => this.expression(c));
    const cond = node.namedChildren.find((c) => c?.type === 'for_cond');
    const object = node.type === 'for_object_expr';
    return {
      kind: 'for',
      keyVar: vars.length > 1 ? vars[0] : undefined,
      valueVar: vars[vars.length - 1],
      collection,
      key: object ? results[0] : undefined,
      value: object ? results[1] : results[0],
      condition: cond ? this.expression(cond.namedChildren.find((c) => c?.type === 'expression')!) : undefined,
      grouped: node.namedChildren.some((c) => c?.type === 'ellipsis'),
      object,
      range: this.at(node),
    };
  }

  private template(node: Node): Expr {
    const parts = this.templateParts(node, node.type === 'heredoc_template');
    if (parts.length === 1 && typeof parts[0] !== 'string') {
      // "${x}" alone is x itself, not its string form (HCL keeps its type).
      return parts[0];
    }
    return { kind: 'template', parts, range: this.at(node) };
  }

  /**
   * A template's literal text and interpolations, in order. Literal text is
   * taken from the source between the interpolations (so no whitespace is
   * lost), then unescaped as HCL does: `$${` and `%%{` everywhere, backslash
   * escapes in quoted strings only; `<<-` heredocs lose their common indent.
   */
  private templateParts(node: Node, heredoc: boolean): Array<string | Expr> {
    const children = node.children.filter((c): c is Node => !!c);
    let start: number;
    let end: number;
    if (heredoc) {
      const ids = children.filter((c) => c.type === 'heredoc_identifier');
      const afterOpen = this.source.text.indexOf('\n', ids[0].endIndex);
      start = afterOpen < 0 ? ids[0].endIndex : afterOpen + 1;
      const close = ids[ids.length - 1];
      end = this.source.text.lastIndexOf('\n', close.startIndex) + 1;
      if (end < start) end = start;
    } else {
      const open = children.find((c) => c.type === 'quoted_template_start');
      const close = children.find((c) => c.type === 'quoted_template_end');
      start = open ? open.endIndex : node.startIndex;
      end = close ? close.startIndex : node.endIndex;
    }
    const flush = heredoc && children.some((c) => c.type === 'heredoc_start' && this.text(c).startsWith('<<-'));
    // A `<<-` heredoc loses the common indent of all its lines, those inside %{…} directives included.
    const outer = this.flushIndent;
    this.flushIndent = flush ? commonIndent([this.source.text.slice(start, end)]) : 0;
    try {
      const raw = this.rawParts(children, start, end, heredoc);
      return dedentParts(raw, this.flushIndent, true).map((p) => (typeof p === 'string' ? unescapeTemplate(p, heredoc) : p));
    } finally {
      this.flushIndent = outer;
    }
  }

  /** The common indent being removed from the heredoc being read (0: none). */
  private flushIndent = 0;

  /**
   * Literal text (as in the source) and the interpolations and directives
   * between `start` and `end`. A directive's strip markers (`%{~ …}`,
   * `%{… ~}`) trim the whitespace beside it.
   */
  private rawParts(children: Node[], start: number, end: number, heredoc: boolean): Array<string | Expr> {
    const raw: Array<string | Expr> = [];
    let at = start;
    let trimNext = false;
    const pushText = (text: string) => {
      raw.push(trimNext ? text.replace(/^\s+/, '') : text);
      trimNext = false;
    };
    for (const child of children) {
      if (child.startIndex < start || child.endIndex > end) continue;
      if (child.type !== 'template_interpolation' && child.type !== 'template_directive') continue;
      if (child.startIndex > at) pushText(this.source.text.slice(at, child.startIndex));
      if (child.type === 'template_interpolation') {
        const inner = child.namedChildren.find((c) => c?.type === 'expression');
        raw.push(inner ? this.expression(inner) : { kind: 'literal', value: '', range: this.at(child) });
      } else {
        const { expr, left, right } = this.directive(child, heredoc);
        if (left && typeof raw[raw.length - 1] === 'string') raw[raw.length - 1] = (raw[raw.length - 1] as string).replace(/\s+$/, '');
        raw.push(expr);
        trimNext = right;
      }
      at = child.endIndex;
    }
    if (end > at) pushText(this.source.text.slice(at, end));
    return raw;
  }

  /** `%{ if c }…%{ else }…%{ endif }` as a conditional of templates; `%{ for … }…%{ endfor }` as a templateFor. */
  private directive(node: Node, heredoc: boolean): { expr: Expr; left: boolean; right: boolean } {
    const d = node.namedChildren.find((c): c is Node => !!c)!;
    const kids = d.namedChildren.filter((c): c is Node => !!c);
    const piece = (type: string) => kids.find((c) => c.type === type);
    const body = (from: Node, to: Node): Expr => {
      const parts = this.rawParts(d.children.filter((c): c is Node => !!c), from.endIndex, to.startIndex, heredoc);
      if (strips(from).right && typeof parts[0] === 'string') parts[0] = parts[0].replace(/^\s+/, '');
      const last = parts.length - 1;
      if (strips(to).left && typeof parts[last] === 'string') parts[last] = (parts[last] as string).replace(/\s+$/, '');
      const dedented = this.flushIndent ? dedentParts(parts, this.flushIndent, false) : parts;
      return { kind: 'template', parts: dedented.map((p) => (typeof p === 'string' ? unescapeTemplate(p, heredoc) : p)), range: this.at(node) };
    };
    if (d.type === 'template_if') {
      const intro = piece('template_if_intro')!;
      const otherwise = piece('template_else_intro');
      const end = piece('template_if_end')!;
      const condition = this.expression(intro.namedChildren.find((c) => c?.type === 'expression')!);
      const expr: Expr = { kind: 'conditional', condition, then: body(intro, otherwise ?? end), otherwise: otherwise ? body(otherwise, end) : { kind: 'literal', value: '', range: this.at(node) }, range: this.at(node) };
      return { expr, left: strips(intro).left, right: strips(end).right };
    }
    if (d.type === 'template_for') {
      const start = piece('template_for_start')!;
      const end = piece('template_for_end')!;
      const names = start.namedChildren.filter((c): c is Node => !!c && c.type === 'identifier').map((c) => this.text(c));
      const collection = this.expression(start.namedChildren.find((c) => c?.type === 'expression')!);
      const expr: Expr = { kind: 'templateFor', keyVar: names.length > 1 ? names[0] : undefined, valueVar: names[names.length - 1], collection, body: body(start, end), range: this.at(node) };
      return { expr, left: strips(start).left, right: strips(end).right };
    }
    return { expr: { kind: 'unsupported', what: `template directive ${d.type}`, range: this.at(node) }, left: false, right: false };
  }
}

/** Removes `indent` leading spaces from every line start among the literal parts. */
function dedentParts(parts: Array<string | Expr>, indent: number, atLineStart: boolean): Array<string | Expr> {
  if (!indent) return parts;
  let lineStart = atLineStart;
  return parts.map((part) => {
    if (typeof part !== 'string') {
      lineStart = false;
      return part;
    }
    const text = dedent(part, indent, lineStart);
    lineStart = part.endsWith('\n');
    return text;
  });
}

/** A directive piece's strip markers: `%{~` (left) and `~}` (right). */
function strips(piece: Node): { left: boolean; right: boolean } {
  const kids = piece.children.filter((c): c is Node => !!c);
  const open = kids.findIndex((c) => c.type === 'template_directive_start');
  const close = kids.findIndex((c) => c.type === 'template_directive_end');
  return { left: kids[open + 1]?.type === 'strip_marker', right: close > 0 && kids[close - 1]?.type === 'strip_marker' };
}

/** `$${` and `%%{` everywhere; backslash escapes in quoted strings only. */
function unescapeTemplate(text: string, heredoc: boolean): string {
  const t = text.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
  return heredoc ? t : unescapeQuoted(t);
}

/** The fewest leading spaces of any non-blank line of a `<<-` heredoc. */
function commonIndent(parts: Array<string | Expr>): number {
  const text = parts.map((p) => (typeof p === 'string' ? p : 'x')).join('');
  let min = Infinity;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    min = Math.min(min, line.length - line.trimStart().length);
  }
  return Number.isFinite(min) ? min : 0;
}

function dedent(text: string, indent: number, atLineStart: boolean): string {
  return text
    .split('\n')
    .map((line, i) => (i === 0 && !atLineStart ? line : line.slice(Math.min(indent, line.length - line.trimStart().length))))
    .join('\n');
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

function unescapeQuoted(text: string): string {
  return text.replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (whole, e: string) => {
    if (e.length > 1) return String.fromCodePoint(parseInt(e.slice(1), 16));
    return ESCAPES[e] ?? whole;
  });
}
