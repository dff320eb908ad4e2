// The fields a JSON text names twice in one object, by path (`data.a`, `spec.containers[0].name`): what Go's
// strict decoding reports as `duplicate field`. JSON.parse keeps the last value silently. Pure.

interface Frame {
  array: boolean;
  path: string;
  keys: Set<string>;
  index: number;
  /** An object after `{` or `,`: the next string is a key. */
  expectKey: boolean;
  /** The key whose value comes next. */
  key?: string;
}

function childPath(frame: Frame | undefined): string {
  if (!frame) return "";
  if (frame.array) return `${frame.path}[${frame.index}]`;
  return frame.path ? `${frame.path}.${frame.key ?? ""}` : (frame.key ?? "");
}

/** The index of the closing quote of the JSON string starting at text[start]. */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
  return i;
}

/** A key of the object on top: noted, and reported when the object named it before. */
function sawKey(top: Frame, key: string, out: string[]): void {
  top.key = key;
  top.expectKey = false;
  if (top.keys.has(key)) out.push(childPath(top));
  top.keys.add(key);
}

/** Duplicate fields of a JSON text, in the order they appear; [] for text that is not valid JSON. */
export function duplicateFields(text: string): string[] {
  const out: string[] = [];
  const stack: Frame[] = [];
  try {
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      const top = stack.at(-1);
      if (c === '"') {
        const end = stringEnd(text, i);
        // Only keys are decoded: a body's long values are skipped over.
        if (top?.expectKey) sawKey(top, JSON.parse(text.slice(i, end + 1)) as string, out);
        i = end;
      } else if (c === "{" || c === "[") {
        stack.push({ array: c === "[", path: childPath(top), keys: new Set(), index: 0, expectKey: c === "{" });
      } else if (c === "}" || c === "]") {
        stack.pop();
      } else if (c === "," && top) {
        if (top.array) top.index++;
        else top.expectKey = true;
      }
    }
  } catch {
    return [];
  }
  return out;
}
