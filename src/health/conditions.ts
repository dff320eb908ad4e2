// The generic rule for kinds without a rule of their own (custom resources above all): read the conditions
// that the kstatus convention and most controllers (Flux, cert-manager, Crossplane, Cluster API, bosun's
// own Application) write.
//
//   Stalled=True                      → Degraded    (the controller gave up; it says so)
//   Reconciling=True                  → Progressing (the controller is working on it)
//   Ready (or else Available):
//     describes an older generation   → Progressing (its observedGeneration is behind metadata.generation)
//     True                            → Healthy
//     False or Unknown                → Progressing
//   none of these conditions          → no verdict (undefined): the caller decides the default
//
// Decision: Ready=False alone is Progressing, not Degraded. Following kstatus, a controller that has given
// up must say so with Stalled=True; many controllers (Flux's DependencyNotReady, cert-manager's Issuing)
// report waiting and retryable failures as Ready=False and then recover by themselves. Reporting those
// as Degraded would fail syncs that would have converged. A Ready=False that never clears is caught by
// the caller's wait timeout, and the condition's reason and message are carried into the health message
// so a person still sees why.
import type { Health, KubeObject } from "../api/index.js";
import { type Condition, conditionsOf, findCondition, num } from "./fields.js";
import { degraded, healthy, progressing } from "./rule.js";
import { describeCondition } from "./text.js";

function label(condition: Condition): string {
  return `${condition.type}=${condition.status}`;
}

/** Health from status.conditions alone, or undefined when no condition says anything about health. */
export function conditionsHealth(obj: KubeObject): Health | undefined {
  const conditions = conditionsOf(obj);
  const stalled = findCondition(conditions, "Stalled");
  if (stalled?.status === "True") return degraded(`Stalled: ${describeCondition(stalled, "the controller gave up")}`);
  const reconciling = findCondition(conditions, "Reconciling");
  if (reconciling?.status === "True")
    return progressing(`Reconciling: ${describeCondition(reconciling, "the controller is working on it")}`);

  const ready = findCondition(conditions, "Ready") ?? findCondition(conditions, "Available");
  if (!ready) return undefined;
  const generation = num(obj, "metadata", "generation");
  if (generation !== undefined && ready.observedGeneration !== undefined && ready.observedGeneration < generation)
    return progressing(
      `Waiting for the controller to report on generation ${generation} (the ${ready.type} condition describes generation ${ready.observedGeneration})`,
    );
  const detail = describeCondition(ready);
  if (ready.status === "True") return healthy(detail || ready.type);
  return progressing(detail ? `${label(ready)}: ${detail}` : label(ready));
}
