// metadata.managedFields as entries with a FieldSet each, and back, in the order the API server keeps
// them (applies first, then by time, then by manager).

import type { ManagedFieldsEntry } from "../../api/index.js";
import { FieldSet } from "./field-set.js";

export interface ManagerEntry {
  manager: string;
  operation: "Apply" | "Update";
  apiVersion: string;
  time: string;
  subresource?: string;
  fields: FieldSet;
}

/** Who writes: the identity of one managedFields entry. */
export interface ManagerIdentity {
  manager: string;
  operation: "Apply" | "Update";
  subresource?: string;
}

export function sameManager(a: ManagerIdentity, b: ManagerIdentity): boolean {
  return a.manager === b.manager && a.operation === b.operation && (a.subresource ?? "") === (b.subresource ?? "");
}

export function decodeManagedFields(entries: unknown): ManagerEntry[] {
  if (!Array.isArray(entries)) return [];
  const out: ManagerEntry[] = [];
  for (const raw of entries as ManagedFieldsEntry[]) {
    if (typeof raw !== "object" || raw === null) continue;
    const entry: ManagerEntry = {
      manager: typeof raw.manager === "string" ? raw.manager : "",
      operation: raw.operation === "Apply" ? "Apply" : "Update",
      apiVersion: typeof raw.apiVersion === "string" ? raw.apiVersion : "",
      time: typeof raw.time === "string" ? raw.time : "",
      fields: FieldSet.fromFieldsV1(raw.fieldsV1),
    };
    if (typeof raw.subresource === "string" && raw.subresource) entry.subresource = raw.subresource;
    out.push(entry);
  }
  return out;
}

export function encodeManagedFields(entries: readonly ManagerEntry[]): ManagedFieldsEntry[] {
  const sorted = entries
    .filter((e) => !e.fields.isEmpty())
    .sort(
      (a, b) =>
        (a.operation === b.operation ? 0 : a.operation === "Apply" ? -1 : 1) ||
        a.time.localeCompare(b.time) ||
        a.manager.localeCompare(b.manager),
    );
  return sorted.map((e) => {
    const out: ManagedFieldsEntry = { manager: e.manager, operation: e.operation, apiVersion: e.apiVersion };
    if (e.time) out.time = e.time;
    out.fieldsType = "FieldsV1";
    out.fieldsV1 = e.fields.toFieldsV1();
    if (e.subresource) out.subresource = e.subresource;
    return out;
  });
}
