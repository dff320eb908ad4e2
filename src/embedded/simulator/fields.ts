// Narrow readers over objects' JSON for the simulator: every field is `unknown` until read here, and a
// field of the wrong type reads as absent.

import type { KubeObject } from "../../api/index.js";
import { isRecord, type JsonRecord } from "../../api/index.js";

export function at(value: unknown, ...path: string[]): unknown {
  let node = value;
  for (const key of path) {
    if (!isRecord(node)) return undefined;
    node = node[key];
  }
  return node;
}

export function str(value: unknown, ...path: string[]): string | undefined {
  const v = at(value, ...path);
  return typeof v === "string" ? v : undefined;
}

export function num(value: unknown, ...path: string[]): number | undefined {
  const v = at(value, ...path);
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

export function bool(value: unknown, ...path: string[]): boolean | undefined {
  const v = at(value, ...path);
  return typeof v === "boolean" ? v : undefined;
}

export function rec(value: unknown, ...path: string[]): JsonRecord | undefined {
  const v = at(value, ...path);
  return isRecord(v) ? v : undefined;
}

export function arr(value: unknown, ...path: string[]): unknown[] {
  const v = at(value, ...path);
  return Array.isArray(v) ? v : [];
}

/** A map of strings (labels, annotations, nodeSelector); entries that are not strings are dropped. */
export function stringMap(value: unknown, ...path: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(rec(value, ...path) ?? {})) if (typeof v === "string") out[k] = v;
  return out;
}

export function nameOf(obj: KubeObject): string {
  return obj.metadata.name ?? "";
}

export function namespaceOf(obj: KubeObject): string {
  return obj.metadata.namespace ?? "";
}

export function isDeleting(obj: KubeObject): boolean {
  return typeof obj.metadata.deletionTimestamp === "string";
}

/** Milliseconds since the epoch of an RFC 3339 timestamp, or undefined. */
export function timeOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}

/** An int-or-percent (maxSurge, maxUnavailable) against a total; percentages round up or down. */
export function scaledValue(value: unknown, total: number, roundUp: boolean): number {
  if (typeof value === "number" && Number.isFinite(value)) return Math.max(0, Math.floor(value));
  if (typeof value === "string") {
    const m = /^(\d+)%$/.exec(value);
    if (m) {
      const exact = (Number(m[1]) * total) / 100;
      return roundUp ? Math.ceil(exact) : Math.floor(exact);
    }
    if (/^\d+$/.test(value)) return Number(value);
  }
  return 0;
}
