// A readable unified diff of two objects, as YAML, from live to desired.
import { createTwoFilesPatch, FILE_HEADERS_ONLY } from "diff";
import { stringify } from "yaml";
import { describeRef, type ObjectRef } from "../api/index.js";

export interface RenderDiffOptions {
  /** The object both sides are about; names the headers (`--- live/Deployment.apps/prod/web`). */
  ref: ObjectRef;
  /** The left side; absent for an object that does not exist live (Missing). */
  live: unknown;
  /** The right side; absent for an object no longer rendered (Extraneous). */
  desired: unknown;
  /** Lines of context around each change. Default 3. */
  context?: number;
}

/** YAML of a value in the key order it has; no line folding, so one field stays one line. Absent → "". */
export function toYaml(value: unknown): string {
  return value === undefined ? "" : stringify(value, { lineWidth: 0, minContentWidth: 0 });
}

/**
 * A unified diff of the YAML renderings of `live` and `desired` with headers `--- live/<ref>` and
 * `+++ desired/<ref>`; "" when the renderings are equal. The caller passes masked, normalised objects:
 * this renders what it is given.
 */
export function renderDiff(options: RenderDiffOptions): string {
  const before = toYaml(options.live);
  const after = toYaml(options.desired);
  if (before === after) return "";
  const name = describeRef(options.ref);
  return createTwoFilesPatch(`live/${name}`, `desired/${name}`, before, after, undefined, undefined, {
    context: options.context ?? 3,
    headerOptions: FILE_HEADERS_ONLY,
  });
}
