/**
 * How BuildKit splits each instruction's arguments (parser/line_parsers.go):
 * JSON arrays, whitespace lists, `name=value` pairs, HEALTHCHECK, ONBUILD.
 * Values stay raw (quotes and escapes kept); expansion happens later.
 */
import { DockerfileSyntaxError } from './errors.js';
import { MappedText, MappedTextBuilder } from './mapped-text.js';
import type { ArgNode } from './nodes.js';
import { isLineSpace } from './flags.js';
import { isGoSpace } from './unicode.js';
import { goQuote } from './go-quote.js';

export interface ParsedArgs {
  args: ArgNode[];
  json: boolean;
  /** For ONBUILD: the trigger's line. */
  subLine?: MappedText;
}

const NOT_STRING_ARRAY = 'when using JSON array syntax, arrays must be comprised of strings only';

export type ArgStyle = 'maybeJSON' | 'maybeJSONToList' | 'whitespaceList' | 'string' | 'env' | 'label' | 'nameOrNameVal' | 'healthcheck' | 'subCommand' | 'ignore';

export const ARG_STYLE: Record<string, ArgStyle> = {
  add: 'maybeJSONToList',
  arg: 'nameOrNameVal',
  cmd: 'maybeJSON',
  copy: 'maybeJSONToList',
  entrypoint: 'maybeJSON',
  env: 'env',
  expose: 'whitespaceList',
  from: 'whitespaceList',
  healthcheck: 'healthcheck',
  label: 'label',
  maintainer: 'string',
  onbuild: 'subCommand',
  run: 'maybeJSON',
  shell: 'maybeJSON',
  stopsignal: 'string',
  user: 'string',
  volume: 'maybeJSONToList',
  workdir: 'string',
};

export function parseArgs(style: ArgStyle, rest: MappedText, escapeToken: string): ParsedArgs {
  switch (style) {
    case 'ignore':
      return { args: [{ value: '', range: rest.range }], json: false };
    case 'string':
      return { args: rest.length ? [arg(rest)] : [], json: false };
    case 'whitespaceList':
      return { args: splitWhitespace(rest), json: false };
    case 'maybeJSON': {
      if (rest.length === 0) return { args: [], json: false };
      const json = parseJSON(rest);
      if (json) return { args: json, json: true };
      return { args: [arg(rest)], json: false };
    }
    case 'maybeJSONToList': {
      const json = parseJSON(rest);
      if (json) return { args: json, json: true };
      return { args: splitWhitespace(rest), json: false };
    }
    case 'nameOrNameVal':
      return { args: parseWords(rest, escapeToken).map(arg), json: false };
    case 'env':
      return { args: parseNameVal(rest, 'ENV', escapeToken), json: false };
    case 'label':
      return { args: parseNameVal(rest, 'LABEL', escapeToken), json: false };
    case 'healthcheck':
      return parseHealthConfig(rest);
    case 'subCommand':
      return { args: [], json: false, subLine: rest.length ? rest : undefined };
  }
}

function arg(t: MappedText): ArgNode {
  return { value: t.text, range: t.range };
}

function splitWhitespace(rest: MappedText): ArgNode[] {
  if (rest.length === 0) return [];
  const out: ArgNode[] = [];
  const text = rest.text;
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i === text.length || isLineSpace(text[i])) {
      out.push(arg(rest.slice(start, i)));
      while (i < text.length && isLineSpace(text[i])) i++;
      start = i;
    }
  }
  return out;
}

/** Splits into words on unquoted whitespace; quotes and escapes are kept in the words. */
export function parseWords(rest: MappedText, escapeToken: string): MappedText[] {
  const text = rest.text;
  const words: MappedText[] = [];
  const word = new MappedTextBuilder();
  let phase: 'spaces' | 'word' | 'quote' = 'spaces';
  let quote = '';
  let blankOK = false;
  const push = (i: number) => words.push(word.build(rest.sourceOffset(i)));
  for (let pos = 0; pos <= text.length; pos++) {
    const ch = pos < text.length ? text[pos] : '';
    if (phase === 'spaces') {
      if (pos === text.length) break;
      if (isGoSpace(ch)) continue;
      phase = 'word';
    }
    if (pos === text.length) {
      if (blankOK || word.length > 0) push(pos);
      break;
    }
    if (phase === 'word') {
      if (isGoSpace(ch)) {
        phase = 'spaces';
        if (blankOK || word.length > 0) push(pos);
        word.reset();
        blankOK = false;
        continue;
      }
      if (ch === "'" || ch === '"') {
        quote = ch;
        blankOK = true;
        phase = 'quote';
      }
      if (ch === escapeToken) {
        if (pos + 1 === text.length) continue;
        word.push(ch, rest.sourceOffset(pos));
        pos++;
      }
      word.push(text[pos], rest.sourceOffset(pos));
      continue;
    }
    if (ch === quote) phase = 'word';
    if (ch === escapeToken && quote !== "'") {
      if (pos + 1 === text.length) {
        phase = 'word';
        continue;
      }
      word.push(ch, rest.sourceOffset(pos));
      pos++;
    }
    word.push(text[pos], rest.sourceOffset(pos));
  }
  return words;
}

function parseNameVal(rest: MappedText, key: string, escapeToken: string): ArgNode[] {
  const words = parseWords(rest, escapeToken);
  if (words.length === 0) return [];
  if (!words[0].text.includes('=')) {
    // Legacy form: KEY name value
    const text = rest.text;
    let i = 0;
    while (i < text.length && !isLineSpace(text[i])) i++;
    if (i === text.length) throw new DockerfileSyntaxError(`${key} must have two arguments`, rest.range);
    let j = i;
    while (j < text.length && isLineSpace(text[j])) j++;
    const value = rest.slice(j);
    return [arg(rest.slice(0, i)), arg(value), { value: '', range: value.sourceRange(value.length, value.length) }];
  }
  const out: ArgNode[] = [];
  for (const word of words) {
    const eq = word.text.indexOf('=');
    if (eq < 0) {
      throw new DockerfileSyntaxError(
        `Syntax error - can't find = in ${goQuote(word.text)}. Must be of the form: name=value`,
        word.range,
      );
    }
    out.push(arg(word.slice(0, eq)), arg(word.slice(eq + 1)), { value: '=', range: word.sourceRange(eq, eq + 1) });
  }
  return out;
}

function parseHealthConfig(rest: MappedText): ParsedArgs {
  const text = rest.text;
  let sep = 0;
  while (sep < text.length && !isGoSpace(text[sep])) sep++;
  let next = sep;
  while (next < text.length && isGoSpace(text[next])) next++;
  if (sep === 0) return { args: [], json: false };
  const cmd = parseArgs('maybeJSON', rest.slice(next), '\\');
  return { args: [arg(rest.slice(0, sep)), ...cmd.args], json: cmd.json };
}

/**
 * A JSON array of strings, or undefined when the text is not a JSON array
 * (then BuildKit takes it as shell form). An array holding anything but
 * strings is an error, as in BuildKit.
 */
function parseJSON(rest: MappedText): ArgNode[] | undefined {
  let start = 0;
  while (start < rest.length && isGoSpace(rest.text[start])) start++;
  const text = rest.text.slice(start);
  if (!text.startsWith('[')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed)) return undefined;
  if (parsed.some((v) => typeof v !== 'string')) throw new DockerfileSyntaxError(NOT_STRING_ARRAY, rest.range);
  const ranges = jsonStringRanges(text);
  return (parsed as string[]).map((value, i) => ({
    value,
    range: ranges[i] ? rest.sourceRange(start + ranges[i][0], start + ranges[i][1]) : rest.range,
  }));
}

/** [start, end) of each top-level string literal in a JSON array of strings. */
function jsonStringRanges(text: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = 1; i < text.length; i++) {
    if (text[i] !== '"') continue;
    const s = i;
    for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    out.push([s, i + 1]);
  }
  return out;
}
