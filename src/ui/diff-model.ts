// The diff endpoint's text (a heading, then per object either "=== OBJECT: note" or a unified diff from
// `--- live/OBJECT` to `+++ desired/OBJECT`) as data for the unified and side-by-side views. Pure.

export interface DiffLine {
  kind: "context" | "removed" | "added";
  text: string;
  /** Line number on the live side (context and removed lines). */
  oldNo?: number;
  /** Line number on the desired side (context and added lines). */
  newNo?: number;
}

export interface DiffHunk {
  header: string;
  lines: DiffLine[];
}

export interface DiffSection {
  /** The object, as the server names it (`Deployment.apps/shop/web`). */
  title: string;
  /** For an object without a line diff, what is the matter ("missing (will be created)"). */
  note?: string;
  hunks: DiffHunk[];
}

export interface ParsedDiff {
  /** "revision abc1234 (message)" */
  heading: string;
  sections: DiffSection[];
}

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/** Reads one hunk's lines, counting them off its header; returns the index of the first line after it. */
function readHunk(lines: readonly string[], start: number, hunk: DiffHunk, match: RegExpExecArray): number {
  let oldNo = Number(match[1]);
  let newNo = Number(match[3]);
  let oldLeft = match[2] === undefined ? 1 : Number(match[2]);
  let newLeft = match[4] === undefined ? 1 : Number(match[4]);
  let i = start;
  while (i < lines.length && (oldLeft > 0 || newLeft > 0)) {
    const line = lines[i] ?? "";
    const text = line.slice(1);
    if (line.startsWith("+")) {
      hunk.lines.push({ kind: "added", text, newNo: newNo++ });
      newLeft--;
    } else if (line.startsWith("-")) {
      hunk.lines.push({ kind: "removed", text, oldNo: oldNo++ });
      oldLeft--;
    } else if (line.startsWith(" ") || line === "") {
      hunk.lines.push({ kind: "context", text, oldNo: oldNo++, newNo: newNo++ });
      oldLeft--;
      newLeft--;
    } else if (!line.startsWith("\\")) {
      break; // not a hunk line: the text was cut short
    }
    i++;
  }
  return i;
}

export function parseDiff(text: string): ParsedDiff {
  const lines = text.split("\n");
  const heading = lines[0]?.startsWith("revision ") ? (lines.shift() ?? "") : "";
  const sections: DiffSection[] = [];
  let current: DiffSection | undefined;
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? "";
    i++;
    if (line.startsWith("=== ")) {
      const body = line.slice(4);
      const colon = body.lastIndexOf(": ");
      current = undefined;
      sections.push(
        colon === -1
          ? { title: body, hunks: [] }
          : { title: body.slice(0, colon), note: body.slice(colon + 2), hunks: [] },
      );
    } else if (line.startsWith("--- ")) {
      current = { title: line.slice(4).replace(/^live\//, ""), hunks: [] };
      sections.push(current);
    } else if (line.startsWith("+++ ")) {
      // The desired side's header names the same object.
    } else {
      const match = HUNK.exec(line);
      if (match && current) {
        const hunk: DiffHunk = { header: line, lines: [] };
        current.hunks.push(hunk);
        i = readHunk(lines, i, hunk, match);
      }
    }
  }
  return { heading, sections };
}

/** One row of the side-by-side view: live on the left, desired on the right; a missing side is blank. */
export interface SideBySideRow {
  left?: DiffLine;
  right?: DiffLine;
}

/** A hunk's lines side by side: context on both sides, a run of removals paired with the additions after it. */
export function sideBySide(hunk: DiffHunk): SideBySideRow[] {
  const rows: SideBySideRow[] = [];
  let removed: DiffLine[] = [];
  let added: DiffLine[] = [];
  const flush = () => {
    for (let k = 0; k < Math.max(removed.length, added.length); k++) rows.push({ left: removed[k], right: added[k] });
    removed = [];
    added = [];
  };
  for (const line of hunk.lines) {
    if (line.kind === "removed") {
      if (added.length > 0) flush();
      removed.push(line);
    } else if (line.kind === "added") {
      added.push(line);
    } else {
      flush();
      rows.push({ left: line, right: line });
    }
  }
  flush();
  return rows;
}
