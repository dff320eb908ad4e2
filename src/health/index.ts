// health/: the health of one object from its spec and status (per kind, an Application's CEL checks, plus
// generic conditions). Pure.
export {
  type CompiledHealthChecks,
  type CustomHealthRule,
  type CustomHealthRules,
  compileHealthChecks,
} from "./custom-checks.js";
export {
  assessHealth,
  type HealthAssessment,
  type HealthBasis,
  type HealthOptions,
  health,
  healthOrMissing,
  KIND_RULES,
  kindRuleFor,
} from "./health.js";
export type { KindRule } from "./rule.js";
