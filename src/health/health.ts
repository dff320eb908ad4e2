// The health of one object, computed from the object alone. Rules apply in a fixed order and the first that
// has something to say decides:
//
//   1. no object                                   → Missing
//   2. metadata.deletionTimestamp set              → Progressing ("being deleted")
//   3. metadata.generation > status.observedGeneration → Progressing (the status is about an older spec)
//   4. the Application's own CEL health check for the object's group and kind (custom-checks.ts), which
//      replaces steps 5 and 6 for that kind
//   5. the rule for the object's group and kind    (kinds/*.ts; a kind with a rule is judged by it alone)
//   6. generic conditions (Stalled, Reconciling, Ready/Available) for kinds without a rule
//   7. Healthy by default: the object exists and nothing says otherwise
//
// So a kind with no rule and no conditions (most custom resources) is Healthy only when it exists and its
// status.observedGeneration, when present, has reached metadata.generation: a CR at generation 2 whose
// status says observedGeneration 1 is Progressing, and holds its sync wave. A CR with no status at all, or a
// status without observedGeneration, is Healthy (as in Argo CD and kstatus: nothing says otherwise), and its
// message says it has no health check, so a person can tell that verdict from a real one. An
// observedGeneration is required only of kinds whose rule says their controller always writes it.
//
// The basis of the verdict is returned too, so that a caller can tell "Healthy because the rule for this
// kind says so" from "Healthy because nothing reports otherwise" (no health signal at all).
import { groupOf, type Health, type KubeObject } from "../api/index.js";
import { conditionsHealth } from "./conditions.js";
import { type CustomHealthRules, customRuleFor } from "./custom-checks.js";
import { deletionHealth } from "./deletion.js";
import { generationHealth } from "./generation.js";
import { apiServiceRule } from "./kinds/api-service.js";
import { cronJobRule } from "./kinds/cron-job.js";
import { customResourceDefinitionRule } from "./kinds/custom-resource-definition.js";
import { daemonSetRule } from "./kinds/daemon-set.js";
import { deploymentRule } from "./kinds/deployment.js";
import { horizontalPodAutoscalerRule } from "./kinds/horizontal-pod-autoscaler.js";
import { ingressRule } from "./kinds/ingress.js";
import { jobRule } from "./kinds/job.js";
import { namespaceRule } from "./kinds/namespace.js";
import { persistentVolumeClaimRule } from "./kinds/persistent-volume-claim.js";
import { podRule } from "./kinds/pod.js";
import { replicaSetRule } from "./kinds/replica-set.js";
import { sealedSecretRule } from "./kinds/sealed-secret.js";
import { serviceRule } from "./kinds/service.js";
import { statefulSetRule } from "./kinds/stateful-set.js";
import type { KindRule } from "./rule.js";

/** Which step of the order above decided a verdict. */
export type HealthBasis = "missing" | "deletion" | "generation" | "custom" | "kind" | "conditions" | "default";

export interface HealthOptions {
  /** The Application's own health checks (compileHealthChecks), overriding the built-in rule of their kinds. */
  custom?: CustomHealthRules;
}

export interface HealthAssessment {
  health: Health;
  basis: HealthBasis;
}

/** Every per-kind rule. A kind is identified by its API group and kind; the version does not matter. */
export const KIND_RULES: readonly KindRule[] = [
  deploymentRule,
  statefulSetRule,
  daemonSetRule,
  replicaSetRule,
  podRule,
  jobRule,
  cronJobRule,
  serviceRule,
  ingressRule,
  persistentVolumeClaimRule,
  horizontalPodAutoscalerRule,
  apiServiceRule,
  customResourceDefinitionRule,
  namespaceRule,
  sealedSecretRule,
];

const ruleKey = (group: string, kind: string): string => `${kind}.${group}`;

const RULES_BY_KIND: ReadonlyMap<string, KindRule> = new Map(KIND_RULES.map((r) => [ruleKey(r.group, r.kind), r]));

/** The rule for a group and kind, or undefined when the kind has none (it is judged by its conditions). */
export function kindRuleFor(group: string, kind: string): KindRule | undefined {
  return RULES_BY_KIND.get(ruleKey(group, kind));
}

/** Health of an existing object, with the step that decided it. Pure: reads `obj`, never changes it. */
export function assessHealth(obj: KubeObject, options: HealthOptions = {}): HealthAssessment {
  const group = groupOf(obj.apiVersion);
  const rule = kindRuleFor(group, obj.kind);

  const deleting = deletionHealth(obj, rule?.deletionDetail?.(obj));
  if (deleting) return { health: deleting, basis: "deletion" };

  const stale = generationHealth(obj, { tracksGeneration: rule?.tracksGeneration ?? false });
  if (stale) return { health: stale, basis: "generation" };

  const custom = customRuleFor(options.custom, group, obj.kind);
  if (custom) return { health: custom.check(obj), basis: "custom" };

  if (rule) return { health: rule.check(obj), basis: "kind" };

  const fromConditions = conditionsHealth(obj);
  if (fromConditions) return { health: fromConditions, basis: "conditions" };

  return {
    health: { status: "Healthy", message: `${obj.kind} exists; it has no health check and reports no conditions` },
    basis: "default",
  };
}

/** Health of an existing object. */
export function health(obj: KubeObject, options: HealthOptions = {}): Health {
  return assessHealth(obj, options).health;
}

/** Health of an object that may not exist: undefined (not found in the cluster) is Missing. */
export function healthOrMissing(obj: KubeObject | undefined, options: HealthOptions = {}): Health {
  if (obj === undefined) return { status: "Missing", message: "The object does not exist in the cluster" };
  return health(obj, options);
}
