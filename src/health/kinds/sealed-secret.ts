// bitnami.com/SealedSecret. Its controller (Bitnami's or bosun's) reports one `Synced` condition: True once
// the Secret was written from the sealed data, False with the reason when unsealing failed (a wrong key, a
// SealedSecret moved to another namespace, a Secret it may not overwrite). Until the condition is there the
// Secret does not exist yet, so a wave holding it must wait.
import type { Health, KubeObject } from "../../api/index.js";
import { conditionsOf, findCondition } from "../fields.js";
import { degraded, healthy, type KindRule, progressing } from "../rule.js";
import { describeCondition } from "../text.js";

export function sealedSecretHealth(obj: KubeObject): Health {
  const synced = findCondition(conditionsOf(obj), "Synced");
  if (!synced) return progressing("Waiting for the Sealed Secrets controller to unseal it");
  if (synced.status === "True") return healthy("Unsealed into its Secret");
  return degraded(`Not unsealed: ${describeCondition(synced, "the controller could not unseal it")}`);
}

export const sealedSecretRule: KindRule = {
  group: "bitnami.com",
  kind: "SealedSecret",
  // Older Bitnami controllers write no observedGeneration; a stale one still counts (health.ts, step 3).
  tracksGeneration: false,
  check: sealedSecretHealth,
};
