/** BuildKit's "did you mean X?" (util/suggest): the closest option at edit distance < 3. */
import { distance } from 'fastest-levenshtein';

export function suggest(value: string, options: readonly string[], caseSensitive = true): string | undefined {
  const v = caseSensitive ? value : value.toLowerCase();
  let match: string | undefined;
  let best = 3;
  for (const option of options) {
    const o = caseSensitive ? option : option.toLowerCase();
    if (o === v) return undefined; // an exact match means the error is about something else
    const d = distance(v, o);
    if (d < best) {
      best = d;
      match = caseSensitive ? o : matchCase(o, value);
    }
  }
  return match;
}

/** Appends BuildKit's suggestion suffix when there is one. */
export function withSuggestion(message: string, value: string, options: readonly string[], caseSensitive = true): string {
  const match = suggest(value, options, caseSensitive);
  return match ? `${message} (did you mean ${match}?)` : message;
}

function matchCase(value: string, original: string): string {
  if (original === original.toLowerCase()) return value.toLowerCase();
  if (original === original.toUpperCase()) return value.toUpperCase();
  return value;
}
