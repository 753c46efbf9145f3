/**
 * Reading YAML definitions (compose files, workflows) node by node, so every
 * value keeps its place in the file, with YAML 1.1 merge keys (`<<: *base`,
 * `<<: [*a, *b]`) and aliases resolved as Compose and GitHub read them. The
 * yaml package resolves merge keys only when it converts a document to plain
 * values; walking its nodes, we expand them here: a map's own keys win over
 * merged ones, and of several merged maps the first wins.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode, type Pair } from 'yaml';
import type { Range, SourceFile } from '../syntax/index.js';
import { DefinitionError } from './errors.js';

export type { Node as YamlNode } from 'yaml';

/** One key of a mapping, after merge keys: its name, its key node and its value (aliases resolved). */
export interface Entry {
  key: string;
  keyNode: YamlNode;
  value: YamlNode | null;
}

/** A parsed YAML file: its document, for resolving aliases. */
export class YamlFile {
  constructor(
    readonly source: SourceFile,
    readonly doc: Document.Parsed,
  ) {}

  get root(): YamlNode | null {
    return this.resolve(this.doc.contents as YamlNode | null);
  }

  /** The node an alias points at (the node itself otherwise). */
  resolve(node: YamlNode | null | undefined): YamlNode | null {
    let n: unknown = node ?? null;
    for (let i = 0; isAlias(n) && i < 100; i++) n = n.resolve(this.doc) ?? null;
    return n as YamlNode | null;
  }

  /** A mapping's entries with merge keys expanded; undefined when the node is not a mapping. */
  entries(node: YamlNode | null | undefined, depth = 0): Entry[] | undefined {
    const map = this.resolve(node);
    if (!isMap(map)) return undefined;
    const own: Entry[] = [];
    const merged: Entry[] = [];
    for (const pair of map.items as Pair[]) {
      if (isMergeKey(pair)) {
        if (depth > 50) throw new DefinitionError('merge keys nest too deeply', this.source, this.range(pair.value as YamlNode));
        const value = this.resolve(pair.value as YamlNode | null);
        const sources = isSeq(value) ? value.items.map((i) => this.resolve(i as YamlNode)) : [value];
        for (const s of sources) {
          const entries = this.entries(s, depth + 1);
          if (!entries) throw new DefinitionError('a merge key (<<) takes a mapping or a list of mappings', this.source, this.range(s ?? (pair.value as YamlNode)));
          for (const e of entries) if (!merged.some((m) => m.key === e.key)) merged.push(e);
        }
        continue;
      }
      own.push({ key: keyOf(pair), keyNode: pair.key as YamlNode, value: this.resolve(pair.value as YamlNode | null) });
    }
    return [...own, ...merged.filter((m) => !own.some((o) => o.key === m.key))];
  }

  /** The value of `key` in a mapping (merge keys included). */
  get(node: YamlNode | null | undefined, key: string): YamlNode | null | undefined {
    return this.entries(node)?.find((e) => e.key === key)?.value;
  }

  /** A list's items, aliases resolved; undefined when the node is not a list. */
  items(node: YamlNode | null | undefined): Array<YamlNode | null> | undefined {
    const seq = this.resolve(node);
    return isSeq(seq) ? seq.items.map((i) => this.resolve(i as YamlNode)) : undefined;
  }

  range(node: YamlNode | null | undefined): Range {
    const r = node?.range;
    return r ? { start: r[0], end: r[1] } : { start: 0, end: Math.min(1, this.source.text.length) };
  }

  /**
   * A scalar as a string, the way compose-go turns a decoded YAML value into
   * one: `3.10` is the number 3.1 ("3.1"), `0.5e1` is "5", booleans are
   * "true"/"false"; undefined for null, mappings and lists.
   */
  scalar(node: YamlNode | null | undefined): string | undefined {
    const n = this.resolve(node);
    if (!isScalar(n) || n.value === null || typeof n.value === 'object') return undefined;
    return String(n.value);
  }
}

/** Parses a YAML file with merge keys on; invalid YAML is a DefinitionError at its place. */
export function parseYamlFile(source: SourceFile, uniqueKeys = true): YamlFile {
  const doc = parseDocument(source.text, { lineCounter: new LineCounter(), prettyErrors: false, uniqueKeys, merge: true });
  if (doc.errors.length) {
    const e = doc.errors[0];
    throw new DefinitionError(`invalid YAML: ${e.message.split('\n')[0]}`, source, { start: e.pos[0], end: e.pos[1] });
  }
  return new YamlFile(source, doc);
}

export function keyOf(pair: Pair): string {
  return isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
}

function isMergeKey(pair: Pair): boolean {
  return isScalar(pair.key) && (typeof pair.key.value === 'symbol' || (pair.key.value === '<<' && pair.key.type === 'PLAIN'));
}

export { isMap, isScalar, isSeq };
