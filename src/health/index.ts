// health/: the health of one object from its spec and status (per kind, plus generic conditions). Pure.
export {
  assessHealth,
  type HealthAssessment,
  type HealthBasis,
  health,
  healthOrMissing,
  KIND_RULES,
  kindRuleFor,
} from "./health.js";
export type { KindRule } from "./rule.js";
