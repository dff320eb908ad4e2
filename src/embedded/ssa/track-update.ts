// Ownership after a write that is not an apply (create, update, patch): the writer takes what it added
// and changed; others lose what it changed or removed. Managers left with nothing are dropped.

import type { FieldSchema } from "../resources/field-schema.js";
import { compareObjects, withoutRemoved } from "./compare.js";
import { FieldSet } from "./field-set.js";
import { type ManagerEntry, type ManagerIdentity, sameManager } from "./managed-fields.js";

export interface TrackUpdateInput {
  before: Record<string, unknown> | undefined;
  after: Record<string, unknown>;
  managers: readonly ManagerEntry[];
  writer: Omit<ManagerIdentity, "operation">;
  apiVersion: string;
  schema: FieldSchema;
  now: string;
}

export function trackUpdate(input: TrackUpdateInput): ManagerEntry[] {
  const { added, modified, removed } = compareObjects(input.before, input.after, input.schema);
  const writer: ManagerIdentity = { ...input.writer, operation: "Update" };
  const out: ManagerEntry[] = [];
  let own: ManagerEntry | undefined;
  for (const entry of input.managers) {
    if (sameManager(entry, writer)) {
      own = entry;
      continue;
    }
    const fields = withoutRemoved(entry.fields.difference(modified), removed);
    if (!fields.isEmpty()) out.push({ ...entry, fields });
  }
  const previous = own?.fields ?? new FieldSet();
  const fields = withoutRemoved(previous.union(added).union(modified), removed);
  if (!fields.isEmpty()) {
    const entry: ManagerEntry = {
      manager: writer.manager,
      operation: "Update",
      apiVersion: input.apiVersion,
      time: input.now,
      fields,
    };
    if (writer.subresource) entry.subresource = writer.subresource;
    out.push(entry);
  }
  return out;
}
