// core/Namespace. A terminating Namespace waits for its content to go; the namespace controller says what
// still remains in conditions (NamespaceContentRemaining, NamespaceFinalizersRemaining, …Failure).
import type { Health, KubeObject } from "../../api/index.js";
import { conditionsOf, str } from "../fields.js";
import { healthy, type KindRule, progressing } from "../rule.js";

/** The messages of the namespace controller's conditions that are True: what deletion is waiting for. */
export function namespaceDeletionDetail(obj: KubeObject): string | undefined {
  const waiting = conditionsOf(obj)
    .filter((c) => c.status === "True" && c.type.startsWith("Namespace") && c.message)
    .map((c) => c.message);
  return waiting.length > 0 ? waiting.join("; ") : undefined;
}

export function namespaceHealth(obj: KubeObject): Health {
  if (str(obj, "status", "phase") === "Terminating") {
    const detail = namespaceDeletionDetail(obj);
    return progressing(`Namespace is terminating${detail ? `: ${detail}` : ""}`);
  }
  return healthy("Active");
}

export const namespaceRule: KindRule = {
  group: "",
  kind: "Namespace",
  tracksGeneration: false,
  check: namespaceHealth,
  deletionDetail: namespaceDeletionDetail,
};
