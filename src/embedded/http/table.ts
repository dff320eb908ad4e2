// meta.k8s.io/v1 Table responses, which `kubectl get` asks for: a name column, the printer columns of
// a custom resource (or a few well-known ones of built-in kinds), and the age.

import type { KubeObject } from "../../api/index.js";
import { isRecord } from "../../api/index.js";
import type { PrinterColumn, ResourceType } from "../resources/resource-type.js";

/** Whether an Accept header asks for a Table. */
export function wantsTable(accept: string | undefined): boolean {
  return (accept ?? "").split(",").some((part) => /;\s*as=Table/.test(part) && /g=meta\.k8s\.io/.test(part));
}

function age(created: string | undefined, now: Date): string {
  if (!created) return "<unknown>";
  const s = Math.max(0, Math.floor((now.getTime() - Date.parse(created)) / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 120) return `${m}m`;
  const h = Math.floor(m / 60);
  return h < 48 ? `${h}h` : `${Math.floor(h / 24)}d`;
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

const BUILTIN_COLUMNS: Readonly<Record<string, PrinterColumn[]>> = {
  "apps/Deployment": [
    { name: "Replicas", type: "integer", jsonPath: ".spec.replicas" },
    { name: "Available", type: "integer", jsonPath: ".status.availableReplicas" },
  ],
  "/Pod": [{ name: "Status", type: "string", jsonPath: ".status.phase" }],
  "/Namespace": [{ name: "Status", type: "string", jsonPath: ".status.phase" }],
  "/ConfigMap": [],
};

function columnsOf(type: ResourceType): PrinterColumn[] {
  if (!type.builtin) return type.printerColumns.filter((c) => !/^\.metadata\.creationTimestamp$/.test(c.jsonPath));
  return BUILTIN_COLUMNS[`${type.group}/${type.kind}`] ?? [];
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
    object: { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: obj.metadata },
  }));
  return { kind: "Table", apiVersion: "meta.k8s.io/v1", metadata: { resourceVersion }, columnDefinitions, rows };
}
