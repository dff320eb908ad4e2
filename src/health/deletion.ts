// First rule of all: an object with a deletionTimestamp is on its way out, whatever its status says.
import type { Health, KubeObject } from "../api/index.js";
import { list, str } from "./fields.js";
import { progressing } from "./rule.js";

/** Progressing when the object is being deleted; undefined otherwise. `detail` says what it waits for. */
export function deletionHealth(obj: KubeObject, detail?: string): Health | undefined {
  const since = str(obj, "metadata", "deletionTimestamp");
  if (since === undefined) return undefined;
  const finalizers = list(obj, "metadata", "finalizers").filter((f): f is string => typeof f === "string");
  const parts = [`${obj.kind} is being deleted (since ${since})`];
  if (finalizers.length > 0) parts.push(`waiting for finalizers: ${finalizers.join(", ")}`);
  if (detail) parts.push(detail);
  return progressing(parts.join("; "));
}
