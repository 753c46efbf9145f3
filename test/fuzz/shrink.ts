/**
 * Shrinks a failing fuzz input to a small one that still fails the same way
 * (delta debugging, as in Zeller's ddmin): drop chunks of lines, then chunks
 * of code points, halving the chunk size whenever nothing can go. Bounded by
 * a number of tries, so a slow property cannot stall a test run.
 */

/** The smallest `input` found for which `fails` still holds (`fails(input)` must hold). */
export function shrink(input: string, fails: (candidate: string) => boolean, maxTries = 1500): string {
  let tries = 0;
  const attempt = (candidate: string) => tries++ < maxTries && fails(candidate);
  let best = input;
  for (const unit of ['line', 'codePoint'] as const) {
    let parts = split(best, unit);
    for (let size = Math.max(1, parts.length >> 1); size >= 1 && tries < maxTries; size = size === 1 ? 0 : size >> 1) {
      for (let at = 0; at < parts.length && tries < maxTries; ) {
        const candidate = [...parts.slice(0, at), ...parts.slice(at + size)];
        if (candidate.length < parts.length && attempt(candidate.join(''))) parts = candidate;
        else at += size;
      }
    }
    best = parts.join('');
  }
  return best;
}

/** Lines with their endings, or code points (a surrogate pair stays whole). */
function split(text: string, unit: 'line' | 'codePoint'): string[] {
  return unit === 'line' ? text.match(/[^\n]*\n|[^\n]+$/g) ?? [] : Array.from(text);
}
