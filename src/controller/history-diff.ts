// What changed between two syncs of an Application: the objects rendered at one history entry's revision
// against those rendered at another's, as the diff endpoint's text (the `live/` side is the older entry,
// the `desired/` side the newer one), Secret values masked as the diff module masks them. Pure.
import { describeRef, type HistoryEntry, type KubeObject, type ObjectRef, refOf } from "../api/index.js";
import { maskSecret, renderDiff } from "../diff/index.js";
import { maskSensitive } from "./values-from.js";

export interface RenderedAt {
  /** The revision the objects were rendered at (a commit SHA, a chart version, several joined by commas). */
  revision: string;
  objects: readonly KubeObject[];
  /** Values from Secrets (helm.valuesFrom) that must not show. */
  sensitive?: readonly string[];
}

export interface RenderChanges {
  /** Unified diffs of the objects that differ, after a heading naming both revisions; "" headings only. */
  text: string;
  /** Objects in both renders that differ. */
  changed: number;
  /** Objects only the newer render has (`Kind.group/namespace/name`). */
  added: string[];
  /** Objects only the older render has. */
  removed: string[];
}

const short = (revision: string) =>
  revision
    .split(",")
    .map((r) => r.slice(0, 7))
    .join(",");

function byRef(objects: readonly KubeObject[]): Map<string, { ref: ObjectRef; object: KubeObject }> {
  const out = new Map<string, { ref: ObjectRef; object: KubeObject }>();
  for (const object of objects) {
    const ref = refOf(object);
    out.set(describeRef(ref), { ref, object });
  }
  return out;
}

/**
 * The objects of `to` against those of `from`, per object (matched by group, kind, namespace and name, in
 * name order): a unified diff of their YAML, a Secret's values shown only as changed or not, every value from
 * a Secret (helm.valuesFrom) of either render masked wherever it appears.
 */
export function diffRenders(from: RenderedAt, to: RenderedAt): RenderChanges {
  const before = byRef(from.objects);
  const after = byRef(to.objects);
  const names = [...new Set([...before.keys(), ...after.keys()])].sort();
  const parts: string[] = [];
  const added: string[] = [];
  const removed: string[] = [];
  let changed = 0;
  for (const name of names) {
    const old = before.get(name);
    const now = after.get(name);
    const masked = maskSecret(old?.object, now?.object);
    const diff = renderDiff({ ref: (now ?? old)?.ref as ObjectRef, live: masked.live, desired: masked.desired });
    if (diff === "") continue;
    parts.push(diff.endsWith("\n") ? diff : `${diff}\n`);
    if (!old) added.push(name);
    else if (!now) removed.push(name);
    else changed++;
  }
  const heading = `revision ${short(from.revision)} → ${short(to.revision)}\n`;
  const body = parts.length > 0 ? parts.join("\n") : "no differences\n";
  const sensitive = [...new Set([...(from.sensitive ?? []), ...(to.sensitive ?? [])])].sort(
    (a, b) => b.length - a.length,
  );
  return { text: maskSensitive(heading + body, sensitive), changed, added, removed };
}

/** Why two history entries cannot be compared, as an HTTP status and a message; or the two entries. */
export function pickEntries(
  history: readonly HistoryEntry[],
  fromId: unknown,
  toId: unknown,
): { from: HistoryEntry; to: HistoryEntry } | { code: 400 | 404; error: string } {
  const ids = [fromId, toId].map((v) => (typeof v === "string" && /^\d+$/.test(v) ? Number(v) : v));
  const [f, t] = ids;
  if (typeof f !== "number" || typeof t !== "number" || !Number.isInteger(f) || !Number.isInteger(t))
    return { code: 400, error: "from and to must be history entry ids" };
  if (f === t) return { code: 400, error: `from and to are both history entry ${f}: nothing to compare` };
  const from = history.find((h) => h.id === f);
  const to = history.find((h) => h.id === t);
  if (!from) return { code: 404, error: `history entry ${f} not found` };
  if (!to) return { code: 404, error: `history entry ${t} not found` };
  return { from, to };
}
