// A small glob matcher for directory include/exclude (no dependency, no experimental node API):
// `*` and `?` within one path segment, `**` across segments, `[abc]` / `[!a-z]` classes, `{a,b}` alternatives.

const SPECIAL = /[\\^$.|+()]/;

function classAt(pattern: string, start: number): { source: string; end: number } | undefined {
  const close = pattern.indexOf("]", start + 2);
  if (close < 0) return undefined;
  let body = pattern.slice(start + 1, close);
  if (body.startsWith("!")) body = `^${body.slice(1)}`;
  return { source: `[${body.replaceAll("\\", "\\\\")}]`, end: close };
}

/** `*` or `**` at `i`: the regular expression and how many characters it took. */
function starAt(pattern: string, i: number): { source: string; length: number } {
  if (pattern[i + 1] !== "*") return { source: "[^/]*", length: 1 };
  const atSegmentStart = i === 0 || pattern[i - 1] === "/";
  if (atSegmentStart && pattern[i + 2] === "/") return { source: "(?:[^/]*/)*", length: 3 };
  return { source: ".*", length: 2 };
}

function literal(c: string): string {
  return SPECIAL.test(c) || c === "{" || c === "}" || c === "]" ? `\\${c}` : c;
}

/** The regular expression a glob stands for, anchored at both ends. */
export function globToRegExp(pattern: string): RegExp {
  let source = "";
  let braces = 0;
  let i = 0;
  while (i < pattern.length) {
    const c = pattern.charAt(i);
    let length = 1;
    if (c === "*") {
      const star = starAt(pattern, i);
      source += star.source;
      length = star.length;
    } else if (c === "?") {
      source += "[^/]";
    } else if (c === "[") {
      const cls = classAt(pattern, i);
      source += cls ? cls.source : "\\[";
      length = cls ? cls.end - i + 1 : 1;
    } else if (c === "{") {
      braces += 1;
      source += "(?:";
    } else if (c === "}" && braces > 0) {
      braces -= 1;
      source += ")";
    } else if (c === "," && braces > 0) {
      source += "|";
    } else {
      source += literal(c);
    }
    i += length;
  }
  if (braces > 0) throw new SyntaxError(`unbalanced "{" in glob ${JSON.stringify(pattern)}`);
  return new RegExp(`^${source}$`);
}

/**
 * Whether a path (relative, `/`-separated) matches a glob. A pattern without `/` is matched against the file
 * name alone, so `*.yaml` selects YAML files at any depth; a pattern with `/` is matched against the whole path.
 */
export function matchesGlob(path: string, pattern: string): boolean {
  const subject = pattern.includes("/") ? path : path.slice(path.lastIndexOf("/") + 1);
  return globToRegExp(pattern).test(subject);
}
