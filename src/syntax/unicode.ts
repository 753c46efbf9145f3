/** Go's unicode.IsSpace. */
export function isGoSpace(ch: string): boolean {
  switch (ch) {
    case '\t': case '\n': case '\v': case '\f': case '\r': case ' ': case '\u0085': case '\u00a0':
      return true;
  }
  return ch.charCodeAt(0) > 0xff && /^\p{White_Space}$/u.test(ch);
}

export function isGoLetter(ch: string): boolean {
  return /^\p{L}$/u.test(ch);
}

export function isGoDigit(ch: string): boolean {
  return /^\p{Nd}$/u.test(ch);
}

/** Go's strings.TrimSpace / TrimLeftFunc(unicode.IsSpace). */
export function trimGoSpace(s: string): string {
  return trimGoSpaceRight(trimGoSpaceLeft(s));
}

export function trimGoSpaceLeft(s: string): string {
  let i = 0;
  while (i < s.length && isGoSpace(s[i])) i++;
  return s.slice(i);
}

export function trimGoSpaceRight(s: string): string {
  let i = s.length;
  while (i > 0 && isGoSpace(s[i - 1])) i--;
  return s.slice(0, i);
}
