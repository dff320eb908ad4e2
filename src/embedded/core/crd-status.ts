// A CustomResourceDefinition is accepted and established as it is written: its status says so the way
// the apiextensions controller would, and its resource is served from then on.

import type { KubeObject } from "../../api/index.js";
import { isRecord, type JsonRecord } from "../../api/index.js";

function condition(type: string, reason: string, message: string, now: string): JsonRecord {
  return { type, status: "True", lastTransitionTime: now, reason, message };
}

export function establishCrd(crd: KubeObject, previous: KubeObject | undefined, now: string): void {
  const spec = isRecord(crd.spec) ? crd.spec : {};
  const versions = Array.isArray(spec.versions) ? spec.versions : [];
  const storage = versions.find((v) => isRecord(v) && v.storage === true);
  const prevStatus = isRecord(previous?.status) ? previous.status : {};
  const stored = Array.isArray(prevStatus.storedVersions) ? (prevStatus.storedVersions as string[]) : [];
  const storageName = isRecord(storage) && typeof storage.name === "string" ? storage.name : undefined;
  const prevConditions = Array.isArray(prevStatus.conditions) ? (prevStatus.conditions as JsonRecord[]) : [];
  const since = (type: string) => {
    const found = prevConditions.find((c) => c.type === type);
    return typeof found?.lastTransitionTime === "string" ? found.lastTransitionTime : now;
  };
  crd.status = {
    conditions: [
      condition("NamesAccepted", "NoConflicts", "no conflicts found", since("NamesAccepted")),
      condition("Established", "InitialNamesAccepted", "the initial names have been accepted", since("Established")),
    ],
    acceptedNames: spec.names ?? {},
    storedVersions: storageName && !stored.includes(storageName) ? [...stored, storageName] : stored,
  };
}
