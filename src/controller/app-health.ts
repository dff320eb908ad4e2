// The health of an Application's objects: the health module's rules with the Application's own CEL checks.
import type { Application, Health, KubeObject } from "../api/index.js";
import { compileHealthChecks, healthOrMissing } from "../health/index.js";

/**
 * Judges the live objects of app (undefined: not in the cluster). A check that does not compile is left out;
 * spec-check refuses the Application for it before anything is synced.
 */
export function appHealth(app: Application): (live: KubeObject | undefined) => Health {
  const { rules } = compileHealthChecks(app.spec.healthChecks);
  return (live) => healthOrMissing(live, { custom: rules });
}
