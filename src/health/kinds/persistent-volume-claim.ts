// core/PersistentVolumeClaim. A claim whose StorageClass binds on first use (volumeBindingMode
// WaitForFirstConsumer) stays Pending until a pod uses it; it is Progressing then, as in Argo CD.
import type { Health, KubeObject } from "../../api/index.js";
import { str } from "../fields.js";
import { degraded, healthy, type KindRule, progressing, unknown } from "../rule.js";

export function persistentVolumeClaimHealth(obj: KubeObject): Health {
  const phase = str(obj, "status", "phase");
  const volume = str(obj, "spec", "volumeName");
  switch (phase) {
    case "Bound": {
      const size = str(obj, "status", "capacity", "storage");
      return healthy(`Bound to volume ${volume ?? "?"}${size ? ` (${size})` : ""}`);
    }
    case "Lost":
      return degraded(`Lost: the PersistentVolume ${volume ?? "(unnamed)"} it was bound to no longer exists`);
    case "Pending":
    case undefined: {
      const storageClass = str(obj, "spec", "storageClassName");
      const from = storageClass ? ` (storageClassName ${storageClass})` : "";
      return progressing(`Pending: waiting for a volume to be provisioned or bound${from}`);
    }
    default:
      return unknown(`Claim phase "${phase}" is not one this check knows`);
  }
}

export const persistentVolumeClaimRule: KindRule = {
  group: "",
  kind: "PersistentVolumeClaim",
  tracksGeneration: false,
  check: persistentVolumeClaimHealth,
};
