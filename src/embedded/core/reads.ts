// Reads: list with label and field selectors and limit/continue pagination, and watch from a
// resourceVersion out of the event log, then live.

import type { KubeObject } from "../../api/index.js";
import { badRequest, gone, statusBody } from "../errors.js";
import { type FieldSelector, matchesFields, parseFieldSelector } from "../select/field-selector.js";
import { type LabelSelector, matchesLabels, parseLabelSelector, SelectorParseError } from "../select/label-selector.js";
import { builtinSelectableFields, customSelectableFields, type SelectableFields } from "../select/selectable-fields.js";
import { type Change, ExpiredRevisionError, type SqliteStore } from "../store/sqlite-store.js";
import { present, storageOf, type Target } from "./target.js";

export interface Selection {
  labelSelector?: string;
  fieldSelector?: string;
}

export interface ListRequest extends Selection {
  limit?: number;
  continue?: string;
}

export interface ListResult {
  items: KubeObject[];
  resourceVersion: string;
  continue?: string;
}

interface Matcher {
  labels: LabelSelector;
  fields: FieldSelector;
}

/** What the target's kind may be selected by (a custom resource: its served version's selectableFields). */
function selectableFor(target: Target): SelectableFields {
  const { type } = target;
  if (type.builtin) return builtinSelectableFields(type.group, type.kind);
  return customSelectableFields(type.namespaced, type.selectableFields?.[target.version] ?? []);
}

export function parseSelection(target: Target, sel: Selection): Matcher {
  try {
    return {
      labels: parseLabelSelector(sel.labelSelector ?? ""),
      fields: parseFieldSelector(sel.fieldSelector ?? "", selectableFor(target)),
    };
  } catch (err) {
    if (err instanceof SelectorParseError) throw badRequest(err.message);
    throw err;
  }
}

/** Whether a stored object matches, read as the target serves it (a field selector names the served fields). */
function matches(m: Matcher, obj: KubeObject, target: Target): boolean {
  if (!matchesLabels(m.labels, obj.metadata.labels)) return false;
  return m.fields.length === 0 || matchesFields(m.fields, target.type.storedAs ? present(obj, target) : obj);
}

interface Cursor {
  namespace: string;
  name: string;
}

function encodeContinue(c: Cursor, rv: number): string {
  return Buffer.from(JSON.stringify({ v: "meta.k8s.io/v1", rv, start: `${c.namespace}/${c.name}` })).toString(
    "base64url",
  );
}

function decodeContinue(token: string): Cursor {
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { start?: unknown };
    if (typeof parsed.start !== "string") throw new Error("no start");
    const slash = parsed.start.indexOf("/");
    return { namespace: parsed.start.slice(0, slash), name: parsed.start.slice(slash + 1) };
  } catch {
    throw badRequest("the continue parameter is not valid");
  }
}

function namespaceOf(target: Target): string | undefined {
  return target.type.namespaced && target.namespace ? target.namespace : undefined;
}

export function listObjects(store: SqliteStore, target: Target, req: ListRequest): ListResult {
  const m = parseSelection(target, req);
  const limit = req.limit && req.limit > 0 ? req.limit : undefined;
  let after = req.continue ? decodeContinue(req.continue) : undefined;
  const items: KubeObject[] = [];
  const batch = Math.max(limit ?? 0, 500);
  for (;;) {
    const page = store.list({
      ...storageOf(target.type),
      namespace: namespaceOf(target),
      after,
      limit: batch,
    });
    for (const obj of page) {
      after = { namespace: obj.metadata.namespace ?? "", name: obj.metadata.name ?? "" };
      if (!matches(m, obj, target)) continue;
      items.push(present(obj, target));
      if (limit && items.length === limit) {
        const more =
          store.list({
            ...storageOf(target.type),
            namespace: namespaceOf(target),
            after,
            limit: 1,
          }).length > 0;
        const result: ListResult = { items, resourceVersion: String(store.revision()) };
        if (more) result.continue = encodeContinue(after, store.revision());
        return result;
      }
    }
    if (page.length < batch) return { items, resourceVersion: String(store.revision()) };
  }
}

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";

export interface WatchEvent {
  type: WatchEventType;
  object: unknown;
}

export interface WatchRequest extends Selection {
  resourceVersion?: string;
  /**
   * Watch-list (client-go's WatchListClient): the current objects as ADDED, then a BOOKMARK annotated
   * `k8s.io/initial-events-end`, then live changes.
   */
  sendInitialEvents?: boolean;
}

export const INITIAL_EVENTS_END = "k8s.io/initial-events-end";

/**
 * Starts a watch: past changes after `resourceVersion` from the event log (or, without one, the current
 * objects as ADDED), then live changes. An expired version yields one ERROR event (410 Expired).
 * Returns the function that stops it.
 */
export function startWatch(
  store: SqliteStore,
  target: Target,
  req: WatchRequest,
  emit: (e: WatchEvent) => void,
): () => void {
  const m = parseSelection(target, req);
  const namespace = namespaceOf(target);
  const stored = storageOf(target.type);
  const relevant = (c: Change) =>
    c.key.group === stored.group &&
    c.key.resource === stored.resource &&
    (namespace === undefined || c.key.namespace === namespace);
  const send = (c: Change) => {
    if (matches(m, c.object, target)) emit({ type: c.type, object: present(c.object, target) });
  };
  const rv = req.resourceVersion;
  if (req.sendInitialEvents || rv === undefined || rv === "" || rv === "0") {
    for (const obj of store.list({ ...stored, namespace })) {
      if (matches(m, obj, target)) emit({ type: "ADDED", object: present(obj, target) });
    }
    if (req.sendInitialEvents) {
      const metadata = { resourceVersion: String(store.revision()), annotations: { [INITIAL_EVENTS_END]: "true" } };
      emit({
        type: "BOOKMARK",
        object: {
          kind: target.type.kind,
          apiVersion: present({ apiVersion: "", kind: "", metadata: {} }, target).apiVersion,
          metadata,
        },
      });
    }
  } else {
    const from = Number(rv);
    if (!Number.isInteger(from) || from < 0) throw badRequest(`invalid resource version: ${rv}`);
    try {
      for (const c of store.changesSince(from, { ...stored, namespace })) send(c);
    } catch (err) {
      if (!(err instanceof ExpiredRevisionError)) throw err;
      const status = gone(err.message);
      emit({ type: "ERROR", object: statusBody(status.code, status.reason, status.message) });
      return () => undefined;
    }
  }
  return store.subscribe((c) => {
    if (!relevant(c)) return;
    const now = matches(m, c.object, target);
    const before = c.previous ? matches(m, c.previous, target) : now;
    // An object that starts or stops matching the selectors is ADDED to or DELETED from this watch's view.
    if (c.type === "MODIFIED" && now !== before)
      emit({ type: now ? "ADDED" : "DELETED", object: present(c.object, target) });
    else if (now) emit({ type: c.type, object: present(c.object, target) });
  });
}
