// Where Go's base64.StdEncoding refuses an input (the error `[]byte` fields of built-in kinds get, e.g.
// `illegal base64 data at input byte 4`): its decoder's quantum by quantum rules, newlines skipped.

const ALPHABET = new Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");

const isNewline = (c: string | undefined) => c === "\n" || c === "\r";

function skipNewlines(src: string, at: number): number {
  let si = at;
  while (si < src.length && isNewline(src[si])) si++;
  return si;
}

/** After a `=` at quantum position `j` (read up to `si`): what Go makes of the padding and what follows. */
function padding(src: string, si: number, j: number): { error?: number; next: number } {
  if (j < 2) return { error: si - 1, next: si };
  let at = si;
  if (j === 2) {
    at = skipNewlines(src, at);
    if (at === src.length) return { error: src.length, next: at };
    if (src[at] !== "=") return { error: at - 1, next: at };
    at++;
  }
  at = skipNewlines(src, at);
  return at < src.length ? { error: at, next: at } : { next: at };
}

/** The offset Go reports for one quantum starting at `start`, and where the next one starts. */
function quantum(src: string, start: number): { error?: number; next: number } {
  let si = start;
  for (let j = 0; j < 4; j++) {
    if (si === src.length) return j === 0 ? { next: si } : { error: si - j, next: si };
    const c = src[si];
    si++;
    if (ALPHABET.has(c ?? "")) continue;
    if (isNewline(c)) {
      j--;
      continue;
    }
    return c === "=" ? padding(src, si, j) : { error: si - 1, next: si };
  }
  return { next: si };
}

/** Go's error for decoding `src` with base64.StdEncoding, or undefined when it decodes. */
export function goBase64Error(src: string): string | undefined {
  let si = 0;
  while (si < src.length) {
    const q = quantum(src, si);
    if (q.error !== undefined) return `illegal base64 data at input byte ${q.error}`;
    if (q.next === si) break;
    si = q.next;
  }
  return undefined;
}
