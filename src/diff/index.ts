// diff/: pure comparison of desired (server-side dry-run) and live objects. No I/O.
export { type ChangedValue, changedPaths, changedValues } from "./changed-paths.js";
export { type CompareOptions, type Comparison, compare } from "./compare.js";
export {
  type AttributeDriftOptions,
  attributeDrift,
  type DriftAttribution,
  type DriftSummary,
  summarizeDrift,
  UNKNOWN_MANAGER,
} from "./drift.js";
export { IgnoreRuleError, JsonPointerError } from "./errors.js";
export { type FieldChange, fieldChanges, MAX_VALUE_CHARS, renderValue } from "./field-change.js";
export { type OwnedField, ownedFields, ownedPointers } from "./fields-v1.js";
export { type ApplyIgnoreOptions, applyIgnoreDifferences, ruleMatches } from "./ignore-differences.js";
export { formatPointer, isAncestorPointer, parsePointer, valueAt } from "./json-pointer.js";
export { LAST_APPLIED_ANNOTATION, normalize } from "./normalize.js";
export {
  isSecret,
  maskSecret,
  maskSecretValues,
  SECRET_ANNOTATION_PLACEHOLDER,
  SECRET_PLACEHOLDER,
  SECRET_PLACEHOLDER_DESIRED,
  SECRET_PLACEHOLDER_LIVE,
} from "./secret-mask.js";
export { type RenderDiffOptions, renderDiff, toYaml } from "./unified-diff.js";
