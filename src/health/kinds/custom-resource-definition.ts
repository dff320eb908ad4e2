// apiextensions.k8s.io/CustomResourceDefinition: usable once Established (its API is served). Names that
// clash with another CRD's (NamesAccepted=False) keep it from ever being established under those names.
import type { Health, KubeObject } from "../../api/index.js";
import { conditionsOf, findCondition } from "../fields.js";
import { degraded, healthy, type KindRule, progressing } from "../rule.js";
import { describeCondition } from "../text.js";

export function customResourceDefinitionHealth(obj: KubeObject): Health {
  const conditions = conditionsOf(obj);
  const names = findCondition(conditions, "NamesAccepted");
  if (names?.status === "False") return degraded(`Names not accepted: ${describeCondition(names)}`);
  const established = findCondition(conditions, "Established");
  if (established?.status === "True") return healthy(`Established: ${describeCondition(established, "API served")}`);
  if (established) return progressing(`Not established yet: ${describeCondition(established)}`);
  return progressing("Waiting for the API server to establish the CRD (no Established condition yet)");
}

export const customResourceDefinitionRule: KindRule = {
  group: "apiextensions.k8s.io",
  kind: "CustomResourceDefinition",
  tracksGeneration: false,
  check: customResourceDefinitionHealth,
};
