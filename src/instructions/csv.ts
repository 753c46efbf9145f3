/**
 * One CSV record, read as BuildKit reads `--mount` values (go-csvvalue with
 * `,`, no lazy quotes, no space trimming). Fields keep their source mapping.
 */
import type { MappedText } from '../syntax/index.js';
import { MappedTextBuilder } from '../syntax/index.js';

export class CsvError extends Error {
  constructor(
    message: string,
    /** 0-based character index in the value where the error is. */
    readonly index: number,
  ) {
    super(message);
  }
}

export function csvFields(input: MappedText): MappedText[] {
  let line = input;
  if (line.text.endsWith('\r\n')) line = line.slice(0, line.length - 2);
  else if (line.text.endsWith('\n')) line = line.slice(0, line.length - 1);
  if (line.length === 0) throw new CsvError('EOF', 0);

  const text = line.text;
  const fields: MappedText[] = [];
  let pos = 0;
  for (;;) {
    if (text[pos] !== '"') {
      const comma = text.indexOf(',', pos);
      const end = comma < 0 ? text.length : comma;
      const quote = text.indexOf('"', pos);
      if (quote >= 0 && quote < end) throw parseError(quote, 'bare " in non-quoted-field');
      fields.push(line.slice(pos, end));
      if (comma < 0) return fields;
      pos = comma + 1;
      continue;
    }
    // A quoted field: "" is a quote, commas are literal.
    const field = new MappedTextBuilder();
    pos++;
    for (;;) {
      const quote = text.indexOf('"', pos);
      if (quote < 0) throw parseError(pos, 'extraneous or missing " in quoted-field');
      for (let i = pos; i < quote; i++) field.push(text[i], line.sourceOffset(i));
      pos = quote + 1;
      if (text[pos] === '"') {
        field.push('"', line.sourceOffset(pos));
        pos++;
        continue;
      }
      if (text[pos] === ',') {
        fields.push(field.build(line.sourceOffset(quote)));
        pos++;
        break;
      }
      if (pos === text.length) {
        fields.push(field.build(line.sourceOffset(quote)));
        return fields;
      }
      throw parseError(pos - 1, 'extraneous or missing " in quoted-field');
    }
  }
}

function parseError(index: number, what: string): CsvError {
  return new CsvError(`parse error on line 1, column ${index + 1}: ${what}`, index);
}
