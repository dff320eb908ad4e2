// apiregistration.k8s.io/APIService: an aggregated API is usable when the aggregator has found it Available.
import type { Health, KubeObject } from "../../api/index.js";
import { conditionsOf, findCondition } from "../fields.js";
import { degraded, healthy, type KindRule, progressing } from "../rule.js";
import { describeCondition } from "../text.js";

export function apiServiceHealth(obj: KubeObject): Health {
  const available = findCondition(conditionsOf(obj), "Available");
  if (!available) return progressing("Waiting for the aggregator to check the API (no Available condition yet)");
  if (available.status === "True") return healthy(describeCondition(available, "Available"));
  if (available.status === "False") return degraded(`API not available: ${describeCondition(available)}`);
  return progressing(`Availability not known yet: ${describeCondition(available, "Available=Unknown")}`);
}

export const apiServiceRule: KindRule = {
  group: "apiregistration.k8s.io",
  kind: "APIService",
  tracksGeneration: false,
  check: apiServiceHealth,
};
