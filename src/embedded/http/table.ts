// meta.k8s.io/v1 Table responses, which `kubectl get` asks for: for built-in kinds kube-apiserver's own
// columns (builtin-printers.ts); otherwise a name column, a custom resource's printer columns, and the age.

import type { KubeObject } from "../../api/index.js";
import { isRecord } from "../../api/index.js";
import type { PrinterColumn, ResourceType } from "../resources/resource-type.js";
import { type BuiltinPrinter, builtinPrinter, humanDuration } from "./builtin-printers.js";

/** Whether an Accept header asks for a Table. */
export function wantsTable(accept: string | undefined): boolean {
  return (accept ?? "").split(",").some((part) => /;\s*as=Table/.test(part) && /g=meta\.k8s\.io/.test(part));
}

/** AGE as kube-apiserver prints it (HumanDuration since creation). */
function age(created: string | undefined, now: Date): string {
  if (!created) return "<unknown>";
  return humanDuration(now.getTime() - Date.parse(created));
}

/** A simple JSONPath (`.spec.replicas`, `.status.conditions[0].type`) read. */
function readJsonPath(obj: unknown, path: string): unknown {
  let node = obj;
  for (const part of path
    .replace(/^\{?\./, "")
    .replace(/\}$/, "")
    .split(".")) {
    const m = /^([^[]*)(?:\[(\d+)\])?$/.exec(part);
    if (!m || !isRecord(node)) return undefined;
    node = node[m[1] ?? ""];
    if (m[2] !== undefined) node = Array.isArray(node) ? node[Number(m[2])] : undefined;
  }
  return node;
}

function columnsOf(type: ResourceType): PrinterColumn[] {
  if (!type.builtin) return type.printerColumns.filter((c) => !/^\.metadata\.creationTimestamp$/.test(c.jsonPath));
  return [];
}

function cell(value: unknown): unknown {
  if (value === undefined || value === null) return "<none>";
  return typeof value === "object" ? JSON.stringify(value) : value;
}

export function toTable(
  type: ResourceType,
  objects: readonly KubeObject[],
  resourceVersion: string,
  now: Date,
): Record<string, unknown> {
  // A kind stored as another prints as that one does (kube-apiserver prints the internal type).
  const stored = type.storedAs;
  if (stored) {
    const printer = builtinPrinter(stored.group, stored.kind);
    if (printer) return printedTable(printer, objects.map(stored.toStorage), resourceVersion, now);
  }
  const printer = type.builtin ? builtinPrinter(type.group, type.kind) : undefined;
  if (printer) return printedTable(printer, objects, resourceVersion, now);
  const extra = columnsOf(type);
  const columnDefinitions = [
    {
      name: "Name",
      type: "string",
      format: "name",
      description: "Name must be unique within a namespace.",
      priority: 0,
    },
    ...extra.map((c) => ({
      name: c.name,
      type: c.type,
      format: c.format ?? "",
      description: c.description ?? "",
      priority: c.priority ?? 0,
    })),
    {
      name: "Age",
      type: "string",
      format: "",
      description: "CreationTimestamp is a timestamp representing the server time when this object was created.",
      priority: 0,
    },
  ];
  const rows = objects.map((obj) => ({
    cells: [
      obj.metadata.name,
      ...extra.map((c) => cell(readJsonPath(obj, c.jsonPath))),
      age(obj.metadata.creationTimestamp, now),
    ],
    object: partialObjectMetadata(obj),
  }));
  return { kind: "Table", apiVersion: "meta.k8s.io/v1", metadata: { resourceVersion }, columnDefinitions, rows };
}

function partialObjectMetadata(obj: KubeObject): Record<string, unknown> {
  return { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: obj.metadata };
}

function printedTable(
  printer: BuiltinPrinter,
  objects: readonly KubeObject[],
  resourceVersion: string,
  now: Date,
): Record<string, unknown> {
  const rows = objects.map((obj) => {
    const conditions = printer.conditions?.(obj);
    return {
      cells: printer.cells(obj, now),
      ...(conditions ? { conditions } : {}),
      object: partialObjectMetadata(obj),
    };
  });
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata: { resourceVersion },
    columnDefinitions: printer.columns.map((c) => ({ ...c })),
    rows,
  };
}
